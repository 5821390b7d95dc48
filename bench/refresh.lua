-- wrk script for bench/compare.sh (issue 10, workload 4): cozeauth's refresh grant with rotating,
-- single-use refresh tokens. Each thread keeps a queue of its share of BENCH_REFRESH_TOKENS (one a
-- line): request() takes the oldest, response() parses the successor out of the body and queues
-- it. A response without one is an `error` (that token is lost); a request with the queue empty
-- (more connections than tokens) is `starved` and sends a refresh token that cannot work.
-- BENCH_CLIENT_ID, BENCH_SECRET: the web app's client id and secret.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "bench_common.lua")

local queue, head, tail = {}, 1, 0
local client_id, headers
errors, starved = 0, 0

function init(args)
  client_id = os.getenv("BENCH_CLIENT_ID")
  headers = { ["Content-Type"] = "application/json",
              ["Authorization"] = "Bearer " .. os.getenv("BENCH_SECRET") }
  for _, t in ipairs(read_share(os.getenv("BENCH_REFRESH_TOKENS"))) do
    tail = tail + 1
    queue[tail] = t
  end
end

function request()
  local token = "starved"
  if head <= tail then
    token = queue[head]
    queue[head] = nil
    head = head + 1
  else
    starved = starved + 1
  end
  return wrk.format("POST", nil, headers, '{"grant_type":"refresh_token","client_id":"' ..
    client_id .. '","refresh_token":"' .. token .. '"}')
end

function response(status, hdrs, body)
  local successor = status == 200 and body:match('"refresh_token":"([^"]+)"')
  if successor then
    tail = tail + 1
    queue[tail] = successor
  else
    errors = errors + 1
  end
end

function done(summary, latency, reqs)
  report({ "errors", "starved" })
end
