-- wrk script for bench/compare.sh (issue 10, workload 3): POSTs pre-signed RS256 assertions
-- (BENCH_ASSERTIONS, one a line, bench/peers/sign_assertions.js) in order, each once (the servers
-- refuse a replayed jti), as BENCH_GRANT:
--   cozeauth: POST …/oauth2/token, the assertion as bearer, Coze's JSON jwt-bearer body;
--   oidc:     POST /token, RFC 7523 client_credentials with client_assertion (private_key_jwt).
-- When a thread runs out of assertions it counts `exhausted`, sends a harmless GET
-- (BENCH_IDLE_PATH) instead of a replay and stops; compare.sh flags the rate then.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "bench_common.lua")

local assertions, next_assertion, grant, idle = {}, 1, nil, nil
exhausted = 0

-- init() only reads this thread's share (see tokens.lua: wrk starts each thread right after its
-- init(), so a slow init() would let the first thread run unmeasured); request() builds.
function init(args)
  grant = os.getenv("BENCH_GRANT")
  assertions = read_share(os.getenv("BENCH_ASSERTIONS"))
  idle = wrk.format("GET", os.getenv("BENCH_IDLE_PATH"))
end

local json_body = '{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","duration_seconds":900}'
local form_body = "grant_type=client_credentials" ..
  "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer" ..
  "&client_assertion="

function request()
  local jwt = assertions[next_assertion]
  if jwt == nil then
    exhausted = exhausted + 1
    wrk.thread:stop()
    return idle
  end
  next_assertion = next_assertion + 1
  if grant == "oidc" then
    return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" },
      form_body .. jwt)
  end
  return wrk.format("POST", nil,
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. jwt }, json_body)
end

function done(summary, latency, reqs)
  report({ "exhausted" })
end
