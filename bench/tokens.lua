-- wrk script for bench/compare.sh (issue 10, workload 5): GET BENCH_PATH with the bearer tokens of
-- BENCH_TOKENS (one a line, all of one length), each thread cycling through its share (line i
-- goes to thread i mod BENCH_THREADS) in order. With BENCH_ONCE=1 a thread stops after one pass
-- over its share and then creates the file BENCH_DONE_DIR/<thread index> (the cache warm-up:
-- compare.sh waits for one file per thread and interrupts wrk).
--
-- wrk runs each thread's init() just before starting that thread, so a slow init() would let the
-- first thread run unmeasured while the next one loads: init() only reads the file as one string
-- and request() cuts a token out of it, the same work for one hot token as for a million.
-- Responses are not parsed: compare.sh counts the server's non-zero codes from /metrics.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "bench_common.lua")

local blob, width, count, nthreads, record, once, head, tail

function init(args)
  once = os.getenv("BENCH_ONCE") == "1"
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local f = assert(io.open(os.getenv("BENCH_TOKENS"), "rb"))
  blob = f:read("*a")
  f:close()
  width = assert(blob:find("\n", 1, true), "empty token file")
  assert(#blob % width == 0, "BENCH_TOKENS: lines of different lengths")
  count = #blob / width
  assert(index < count, "fewer tokens than wrk threads")
  local marker = "\1TOKEN\1"
  local r = wrk.format("GET", os.getenv("BENCH_PATH"), { ["Authorization"] = "Bearer " .. marker })
  local at = r:find(marker, 1, true)
  head, tail = r:sub(1, at - 1), r:sub(at + #marker)
  record = index
end

function request()
  if record >= count then
    if once then
      local done = io.open(os.getenv("BENCH_DONE_DIR") .. "/" .. index, "w")
      if done then done:close() end
      wrk.thread:stop()
    end
    record = index
  end
  local off = record * width
  record = record + nthreads
  return head .. blob:sub(off + 1, off + width - 1) .. tail
end
