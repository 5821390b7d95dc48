#!/usr/bin/env bash
# The JWT-bearer grant over one growing store (issue 10, target 2): seeds a service app with an
# RSA key on a fresh SQLite file, starts `cozeauth serve` on it, then runs --runs successive
# `wrk -t2 -c32` runs of --duration each, every grant with a fresh assertion (signed before each
# run by bench/peers/sign_assertions.js), and prints per run: grants/s and p99; the server's CPU
# per grant by thread (named for their jobs: docs/running.md "Threads"); the bytes it wrote per
# grant (/proc/PID/io: wchar, and write_bytes — what reached the block layer); the machine's idle
# and I/O-wait share (/proc/stat); the store's size. What compare.sh's second JWT run sees after
# its first, spelled out.
#   bench/grant_growth.sh [--runs 4] [--duration 10s] [--rate 11000] [--bin PATH]
# Needs the peers' npm cache that bench/compare.sh installs (for the signer) and wrk.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=4; duration=10s; rate=11000; bin=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2;;
    --duration) duration=$2; shift 2;;
    --rate) rate=$2; shift 2;;
    --bin) bin=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
cache=${COZEAUTH_BENCH_CACHE:-$HOME/.cache/cozeauth-bench}
if [ ! -f "$cache/sign_assertions.js" ] || [ ! -d "$cache/node_modules" ]; then
  echo "no signer in $cache: run bench/compare.sh once first" >&2; exit 1
fi
. bench/lib.sh
bench_release_bin
seconds=${duration%s}
tmp=$(mktemp -d); pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$tmp"' EXIT
db=sqlite:$tmp/main.db
bench_user "$db"
bench_service_app "$db" "$tmp" --account-permissions createConversation --workspace-permissions chat,listBot
bench_serve "$db" "$tmp"

# thread-name CPU-ticks, summed over the threads of a name
cpu() {
  for t in "/proc/$pid/task/"*; do echo "$(cat "$t/comm") $(awk '{print $14 + $15}' "$t/stat")"; done |
    awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}
io() { awk '/^wchar/ {w = $2} /^write_bytes/ {b = $2} END {print w, b}' /proc/$pid/io; }
tick=$(getconf CLK_TCK)
count=$((rate * seconds + 32))
for run in $(seq "$runs"); do
  node "$cache/sign_assertions.js" --key "$tmp/key.pem" --kid "$kid" --iss "$svc" --aud 127.0.0.1 \
    --for cozeauth --count "$count" --out "$tmp/assertions" >/dev/null
  cpu >"$tmp/cpu0"; io0=$(io); stat0=$(head -n1 /proc/stat)
  BENCH_THREADS=2 BENCH_GRANT=cozeauth BENCH_ASSERTIONS=$tmp/assertions BENCH_IDLE_PATH=/healthz \
    wrk -t2 -c32 -d"$duration" --latency -s bench/grant.lua "$url/api/permission/oauth2/token" >"$tmp/wrk"
  cpu >"$tmp/cpu1"; io1=$(io); stat1=$(head -n1 /proc/stat)
  n=$(awk '/requests in/ {print $1}' "$tmp/wrk")
  grep -q "Non-2xx" "$tmp/wrk" && { echo "run $run: refused grants:" >&2; cat "$tmp/wrk" >&2; exit 1; }
  rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$tmp/wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk")
  threads=$(join -a2 "$tmp/cpu0" "$tmp/cpu1" | awk -v n="$n" -v t="$tick" '
    NF == 2 {$3 = $2; $2 = 0} {d = ($3 - $2) * 1e6 / t / n; all += d; if (d >= 0.5) printf "%s %.0f, ", ($1 == "cozeauth" ? "main (I/O)" : $1), d}
    END {printf "all %.0f", all}')
  bytes=$(echo "$io0 $io1 $n" | awk '{printf "wrote %.1f KiB (to the block layer %.1f KiB)", ($3 - $1) / $5 / 1024, ($4 - $2) / $5 / 1024}')
  machine=$(echo "$stat0 $stat1" | awk '{h = NF / 2; for (i = 2; i <= h; i++) {d = $(i + h) - $i; all += d; if (i == 5) idle = d; if (i == 6) wait = d}
    printf "machine idle %.0f %%, I/O wait %.0f %%", 100 * idle / all, 100 * wait / all}')
  echo "run $run: $rps grants/s, p99 $p99; CPU µs per grant: $threads; per grant $bytes; $machine; store $(du -m "$tmp/main.db" | cut -f1) MiB"
done
