#!/usr/bin/env bash
# Load benchmark (issue 2): builds the release preset, starts `cozeauth serve` on loopback with
# a fresh SQLite store, creates a user, a published bot and a PAT with the admin CLI, then runs
# wrk against GET /healthz (our HTTP ceiling), PAT-authorized GET /v1/users/me and
# GET /v1/bots/{id}, and prints req/s, p99 and each authorized route's ratio to /healthz.
# --flood SHARE adds GET /v1/users/me with SHARE (0-1) of the requests carrying a distinct,
# never-repeated garbage PAT (bench/flood.lua; issue 8), and the server's cache counters.
# --rehearsal cut|grant then runs the two authorized routes again while a migration rehearsal of
# the bench workspace into an enterprise runs (issue 13: every request on W is also decided as if
# migrated), and prints them beside the runs without one.
#   bench/load.sh [--duration 10s] [--connections 32] [--threads 1] [--flood 0.5] [--bin PATH]
#                 [--rehearsal cut|grant] [--db URL]
# --db runs on the given (empty) store instead of a fresh SQLite file, e.g. a PostgreSQL database
# (bench/postgres.sh compares the two).
# --bin runs a given cozeauth binary instead of building the release preset (before/after
# comparisons of two commits in one run).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration=10s; connections=32; threads=1; flood=; bin=; rehearsal=; db=
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2;;
    --connections) connections=$2; shift 2;;
    --threads) threads=$2; shift 2;;
    --flood) flood=$2; shift 2;;
    --bin) bin=$2; shift 2;;
    --db) db=$2; shift 2;;
    --rehearsal) rehearsal=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
command -v wrk >/dev/null || ./scripts/setup.sh --test
. bench/lib.sh
bench_release_bin
tmp=$(mktemp -d); pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$tmp"' EXIT
db=${db:-"sqlite:$tmp/bench.db"}
bench_user "$db"
bench_bot_and_pat "$db"
if [ -n "$rehearsal" ]; then
  org=$($bin admin enterprise create --db "$db" --json --name bench-ent --owner "$uid" | bench_json "['default_org_account_id']")
fi
bench_serve "$db" "$tmp"
base=$url

run() {  # name path [auth]
  local out
  if [ -n "${3:-}" ]; then
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "Authorization: Bearer $3" "$base$2")
  else
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency "$base$2")
  fi
  if echo "$out" | grep -q "Non-2xx"; then echo "$out" >&2; echo "non-2xx responses on $2" >&2; exit 1; fi
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  printf '%s %s %s\n' "$1" "$rps" "$p99"
}
# Correctness first: the authorized routes must answer code 0.
curl -sf -H "Authorization: Bearer $pat" "$base/v1/bots/$bid" | grep -q '"code":0' || { echo "bot route not authorized" >&2; exit 1; }
results=$( { run healthz /healthz; run users_me /v1/users/me "$pat"; run bot "/v1/bots/$bid" "$pat"; } )
if [ -n "$flood" ]; then
  metric() { curl -sf "$base/metrics" | awk -v m="$1" '$1==m {print $2}'; }
  hits0=$(metric cozeauth_auth_cache_hits_total); misses0=$(metric cozeauth_auth_cache_misses_total)
  # HTTP 200 for valid and garbage alike (4100 is a business code), so no Non-2xx check here.
  out=$(BENCH_PAT=$pat BENCH_GARBAGE_SHARE=$flood wrk -t"$threads" -c"$connections" -d"$duration" \
    --latency -s bench/flood.lua "$base/v1/users/me")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  results=$(printf '%s\nflood_mix %s %s' "$results" "$rps" "$p99")
  hits1=$(metric cozeauth_auth_cache_hits_total); misses1=$(metric cozeauth_auth_cache_misses_total)
fi
if [ -n "$rehearsal" ]; then
  $bin migrate rehearse --db "$db" --workspace "$wid" --to-org "$org" --mode "$rehearsal" --for 1h >/dev/null
  # The server sees the CLI's write at its next epoch poll (every 200 ms).
  for _ in $(seq 100); do curl -sf "$base/metrics" | grep -q '^cozeauth_rehearsal_active{' && break; sleep 0.1; done
  curl -sf "$base/metrics" | grep -q '^cozeauth_rehearsal_active{' || { echo "the rehearsal never started" >&2; exit 1; }
  results=$(printf '%s\n%s' "$results" "$( { run users_me+reh /v1/users/me "$pat"; run bot+reh "/v1/bots/$bid" "$pat"; } )")
fi
echo "wrk -t$threads -c$connections -d$duration on $(nproc) cores, $(date -u +%F)"
echo "$results" | awk 'NR==1 {h=$2} {printf "%-12s %10.0f req/s   p99 %-8s  %5.1f%% of /healthz\n", $1, $2, $3, 100*$2/h}'
if [ -n "$flood" ]; then
  echo "flood_mix: GET /v1/users/me, $flood of requests with a distinct garbage PAT; valid ones at" \
    "$(awk -v r="$(echo "$results" | awk '$1=="flood_mix" {print $2}')" -v f="$flood" 'BEGIN {printf "%.0f", r*(1-f)}') req/s"
  echo "cache during the flood: $((hits1 - hits0)) hits, $((misses1 - misses0)) store reads"
fi
