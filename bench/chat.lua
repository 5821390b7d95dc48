-- wrk script for bench/compare.sh (issue 10, target 4: chat/SSE throughput reported): POSTs
-- BENCH_BODY to /v3/chat with the bearer BENCH_TOKEN, one streamed chat a request. Every response
-- is read to its end: a stream that does not end in Coze's `done` event, or that carries an
-- `error` event, counts in `errors` (compare.sh adds those to the run's errors), beside the
-- server's non-zero codes that compare.sh reads from /metrics.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "bench_common.lua")

local req
errors = 0

function init(args)
  req = wrk.format("POST", "/v3/chat", {
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
    ["Content-Type"] = "application/json",
  }, os.getenv("BENCH_BODY"))
end

function request()
  return req
end

function response(status, headers, body)
  if status ~= 200 or body:find("event:error", 1, true) or
      not body:find('event:done\ndata:"[DONE]"', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  report({ "errors" })
end
