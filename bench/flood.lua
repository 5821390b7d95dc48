-- wrk script for bench/load.sh --flood: a share of the requests (BENCH_GARBAGE_SHARE, default
-- 0.5) carries a well-formed PAT the store has never seen, distinct on every request (a per-thread
-- random prefix and a counter), the rest the valid PAT in BENCH_PAT (issue 8: a garbage flood
-- must not evict valid tokens from the server's cache).
local pat = os.getenv("BENCH_PAT")
local share = tonumber(os.getenv("BENCH_GARBAGE_SHARE") or "0.5")
local prefix, counter = "", 0
local valid = { ["Authorization"] = "Bearer " .. pat }

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  local alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
  local t = {}
  for i = 1, 16 do
    local r = math.random(1, #alphabet)
    t[i] = alphabet:sub(r, r)
  end
  prefix = table.concat(t)
end

function request()
  if math.random() < share then
    counter = counter + 1
    local token = string.format("pat_%s%048d", prefix, counter)
    return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token })
  end
  return wrk.format("GET", nil, valid)
end
