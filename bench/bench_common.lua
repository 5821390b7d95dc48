-- Shared by the wrk scripts of bench/compare.sh (issue 10): each wrk thread takes its share of a
-- file of lines (line i goes to thread i mod BENCH_THREADS), and done() sums per-thread counters
-- and prints them as one line, "bench-lua: name=N …", which compare.sh parses.
-- Load with: dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "bench_common.lua")
local threads = {}

-- Setup phase: number the threads; `index` (0-based) is a global in each thread's environment.
function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

-- Running phase: this thread's lines of `path`, in file order.
function read_share(path)
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local f = assert(io.open(path, "r"))
  local out, i = {}, 0
  for line in f:lines() do
    if line ~= "" then
      if i % nthreads == index then out[#out + 1] = line end
      i = i + 1
    end
  end
  f:close()
  return out
end

-- Done phase: the sum over threads of each global named in `counters`.
function report(counters)
  local parts = {}
  for _, name in ipairs(counters) do
    local sum = 0
    for _, t in ipairs(threads) do sum = sum + (t:get(name) or 0) end
    parts[#parts + 1] = name .. "=" .. sum
  end
  io.write("bench-lua: " .. table.concat(parts, " ") .. "\n")
end
