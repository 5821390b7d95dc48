-- wrk script for bench/issuance.sh: POST /api/permission/oauth2/token with the JWT-bearer grant,
-- each request carrying the next pre-signed assertion of BENCH_ASSERTIONS (one JWT per line,
-- bench/sign_assertions.py), so that no jti repeats: wrk thread k of n (BENCH_THREADS) takes
-- lines k, k+n, ….
-- When a thread runs out it starts over, and the replays are refused (HTTP 401): size the file
-- for the run (rate × duration) and check wrk's "Non-2xx" line.
local path = os.getenv("BENCH_ASSERTIONS")
local body = '{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","duration_seconds":900}'
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  local total = tonumber(os.getenv("BENCH_THREADS") or "1")  -- wrk's -t
  mine = {}
  local line_no = 0
  for line in io.lines(path) do
    if line_no % total == (id - 1) then table.insert(mine, line) end
    line_no = line_no + 1
  end
  next_index = 0
end

function request()
  next_index = next_index % #mine + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. mine[next_index],
  }, body)
end
