#!/usr/bin/env bash
# PostgreSQL beside SQLite, in one run (issue 11): starts a throwaway PostgreSQL cluster on
# loopback (initdb in a temporary directory, fsync and synchronous_commit left on: a commit is
# durable, as SQLite's WAL commit is), then measures on a fresh SQLite file and on a fresh
# PostgreSQL database each:
#   bots        PAT-authorized GET /v1/bots/{id} (cached), bench/load.sh
#   jwt         JWT-bearer grants (durable tokens, unique jtis), bench/issuance.sh
#   refresh     refresh grants, rotating (tokens obtained through the code flow), bench/compare.sh
#   migration   migrating a workspace of --big bots + conversations vs one of 10, migration_bench
# and, on PostgreSQL only, with --nodes `cozeauth serve` nodes on one database:
#   invalidation  revoke -> first 4100 on every node, p50/p99 over --trials, invalidation_bench
# It prints each tool's lines, then the PostgreSQL/SQLite ratios.
#
#   bench/postgres.sh [--duration 10s] [--connections 32] [--trials 100] [--nodes 3]
#                     [--big 100000] [--bin DIR]   (DIR holds cozeauth and bench/*: a release build)
# Needs the Debian packages postgresql and wrk (scripts/setup.sh --test installs both).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration=10s; connections=32; trials=100; nodes=3; big=100000; dir=
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2;;
    --connections) connections=$2; shift 2;;
    --trials) trials=$2; shift 2;;
    --nodes) nodes=$2; shift 2;;
    --big) big=$2; shift 2;;
    --bin) dir=$2; shift 2;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] && command -v wrk >/dev/null || ./scripts/setup.sh --test
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
if [ -z "$dir" ]; then
  cmake --preset release -DCOZEAUTH_BUILD_BENCH=ON >/dev/null
  cmake --build --preset release --target cozeauth invalidation_bench migration_bench >/dev/null
  dir=./build/release
fi
bin=$dir/cozeauth

tmp=$(mktemp -d /tmp/cozeauth-pgbench.XXXXXX); node_pids=()
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for p in "${node_pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -f "$tmp/data/postmaster.pid" ] && as_pg "$pgbin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres "$tmp"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$pgbin/initdb" -D "$tmp/data" -A trust -U cz -E UTF8 --locale=C >/dev/null
as_pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/pg.log" -w \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
newdb() {
  "$pgbin/psql" -h 127.0.0.1 -p "$port" -U cz -d postgres -qc "CREATE DATABASE $1" >/dev/null
  echo "postgresql://cz@127.0.0.1:$port/$1"
}

echo "== bots: PAT-authorized GET /v1/bots/{id} (bench/load.sh)"
sqlite_bots=$(./bench/load.sh --bin "$bin" --duration "$duration" --connections "$connections")
pg_bots=$(./bench/load.sh --bin "$bin" --duration "$duration" --connections "$connections" \
  --db "$(newdb bots)")
echo "sqlite:"; echo "$sqlite_bots"; echo "postgresql:"; echo "$pg_bots"

echo "== jwt: JWT-bearer grants (bench/issuance.sh)"
sqlite_jwt=$(./bench/issuance.sh --bin "$bin" --duration "$duration" --connections "$connections")
pg_jwt=$(./bench/issuance.sh --bin "$bin" --duration "$duration" --connections "$connections" \
  --db "$(newdb jwt)")
echo "sqlite:"; echo "$sqlite_jwt"; echo "postgresql:"; echo "$pg_jwt"

echo "== refresh: refresh grants with rotating refresh tokens (bench/compare.sh)"
sqlite_refresh=$(./bench/compare.sh --bin "$bin" --workloads refresh --duration "$duration" \
  --connections "$connections")
pg_refresh=$(./bench/compare.sh --bin "$bin" --workloads refresh --duration "$duration" \
  --connections "$connections" --db "$(newdb refresh)")
echo "sqlite:"; echo "$sqlite_refresh" | grep 'refresh grant'
echo "postgresql:"; echo "$pg_refresh" | grep 'refresh grant'

echo "== migration: a workspace of $big bots + conversations vs one of 10 (migration_bench)"
sqlite_mig=$("$dir/bench/migration_bench" --big "$big" --repeat 3)
pg_mig=$("$dir/bench/migration_bench" --big "$big" --repeat 3 --db "$(newdb migration)")
echo "sqlite:"; echo "$sqlite_mig"; echo "postgresql:"; echo "$pg_mig"

echo "== invalidation: $nodes nodes on one PostgreSQL database (invalidation_bench)"
url=$(newdb nodes)
addrs=
for i in $(seq 1 "$nodes"); do
  COZEAUTH_ADMIN_PASSWORD=unused-bench-pw "$bin" serve --db "$url" --listen 127.0.0.1:0 \
    --data-dir "$tmp/node$i" --access-log false 2>"$tmp/node$i.err" &
  node_pids+=($!)
  for _ in $(seq 1 200); do
    grep -q 'listening on' "$tmp/node$i.err" 2>/dev/null && break
    kill -0 "${node_pids[-1]}" 2>/dev/null || { cat "$tmp/node$i.err" >&2; exit 1; }
    sleep 0.05
  done
  p=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/node$i.err")
  [ -n "$p" ] || { echo "node $i did not start" >&2; cat "$tmp/node$i.err" >&2; exit 1; }
  addrs="$addrs${addrs:+,}127.0.0.1:$p"
done
"$dir/bench/invalidation_bench" --db "$url" --nodes "$addrs" --trials "$trials"

echo "== PostgreSQL / SQLite"
rate() { echo "$1" | awk -v k="$2" '$1==k {print $2}'; }
awk -v s="$(rate "$sqlite_bots" bot)" -v p="$(rate "$pg_bots" bot)" \
  'BEGIN {printf "bots        %8.0f vs %8.0f req/s     %5.1f %% (target >= 90 %%)\n", p, s, 100*p/s}'
awk -v s="$(rate "$sqlite_jwt" jwt_bearer)" -v p="$(rate "$pg_jwt" jwt_bearer)" \
  'BEGIN {printf "jwt         %8.0f vs %8.0f grants/s  %5.1f %%\n", p, s, 100*p/s}'
refresh_rate() { echo "$1" | sed -n 's/.*refresh grant (rotating)[ |]*\([0-9.]*\).*/\1/p' | head -1; }
awk -v s="$(refresh_rate "$sqlite_refresh")" -v p="$(refresh_rate "$pg_refresh")" \
  'BEGIN {printf "refresh     %8.0f vs %8.0f grants/s  %5.1f %%\n", p, s, 100*p/s}'
ratio() { echo "$1" | awk '/ratio big\/small/ {print $3}'; }
echo "migration   big/small $(ratio "$pg_mig") on PostgreSQL, $(ratio "$sqlite_mig") on SQLite (target within 2x)"
