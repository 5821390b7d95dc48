#!/usr/bin/env bash
# Token issuance benchmark (issue 10, target 2): starts `cozeauth serve` on loopback over a fresh
# SQLite file (WAL, synchronous=NORMAL: every acknowledged token survives kill -9), creates a
# service app with an RSA key authorized in its owner's account, pre-signs --count JWT-bearer
# assertions with distinct jtis (bench/sign_assertions.py; by default 15,000 per second of
# --duration, given in seconds), runs wrk POSTing them to /api/permission/oauth2/token
# (bench/jwt_grant.lua), and prints grants/s and p99. Every grant must succeed: a non-2xx
# response (e.g. a replayed jti when the assertions ran out) fails the run.
#   bench/issuance.sh [--duration 10s] [--connections 32] [--threads 2] [--count N]
#                     [--bin PATH] [--db URL] [-- extra serve flags, e.g. --workers 4]
# --db runs on the given (empty) store instead of a fresh SQLite file, e.g. a PostgreSQL database
# (bench/postgres.sh compares the two).
# --bin runs a given cozeauth binary instead of building the release preset (before/after
# comparisons of two builds in one run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration=10s; connections=32; threads=2; count=; bin=; serve_flags=(); db=
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2;;
    --connections) connections=$2; shift 2;;
    --threads) threads=$2; shift 2;;
    --count) count=$2; shift 2;;
    --bin) bin=$2; shift 2;;
    --db) db=$2; shift 2;;
    --) shift; serve_flags=("$@"); break;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
# Enough for 15,000 grants a second (a grant that finds its assertion used is refused, and fails
# the run): 10.9k/s seen on 2 cores.
count=${count:-$((15000 * ${duration%s}))}
command -v wrk >/dev/null || ./scripts/setup.sh --test
. bench/lib.sh
bench_release_bin
tmp=$(mktemp -d); pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$tmp"' EXIT
db=${db:-"sqlite:$tmp/bench.db"}
bench_user "$db"
bench_service_app "$db" "$tmp" --account-permissions listWorkspace
bench_serve "$db" "$tmp" "${serve_flags[@]}"
base=$url
aud=${base#http://}

python3 bench/sign_assertions.py --key "$tmp/key.pem" --kid "$kid" --iss "$svc" --aud "$aud" \
  --count "$count" >"$tmp/assertions"
# Correctness first: one grant, and its token answers GET /v1/users/me with code 0.
first=$(head -1 "$tmp/assertions")
token=$(curl -sf -X POST "$base/api/permission/oauth2/token" -H "Authorization: Bearer $first" \
  -H 'Content-Type: application/json' \
  -d '{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer"}' | bench_json "['access_token']")
curl -sf -H "Authorization: Bearer $token" "$base/v1/users/me" | grep -q '"code":0' \
  || { echo "the issued token is not accepted" >&2; exit 1; }
tail -n +2 "$tmp/assertions" >"$tmp/rest"

out=$(BENCH_ASSERTIONS="$tmp/rest" BENCH_THREADS=$threads wrk -t"$threads" -c"$connections" \
  -d"$duration" --latency -s bench/jwt_grant.lua "$base/api/permission/oauth2/token")
if echo "$out" | grep -q "Non-2xx"; then
  echo "$out" >&2; echo "non-2xx responses (too few assertions for the run? --count)" >&2; exit 1
fi
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p99=$(echo "$out" | awk '$1=="99%" {print $2}')
echo "wrk -t$threads -c$connections -d$duration on $(nproc) cores, $(date -u +%F), serve ${serve_flags[*]:-(defaults)}"
printf '%-12s %10.0f grants/s   p99 %s\n' jwt_bearer "$rps" "$p99"
