#!/usr/bin/env bash
# Side-by-side comparison with peer servers (issue 10). Installs the peers (bench/peers: pinned
# oidc-provider and @node-oauth/oauth2-server, package-lock.json) with `npm ci` into a cache
# outside the repo, starts them and `cozeauth serve` on 127.0.0.1 (fresh SQLite stores, access log
# off), seeds equivalent data, runs wrk on every workload in the same run, stops everything it
# started and prints one table:
#   ceiling  GET /healthz                       vs a bare node:http server (the same small JSON)
#   pat      PAT-authorized GET /v1/users/me and GET /v1/bots/{id}
#                                               vs oauth2-server authenticate() on an in-memory token
#            targets: >= 2x the peer, >= 85 % of our own /healthz
#   jwt      JWT-bearer grant (RS256 assertion, unique jti, durable)
#                                               vs oidc-provider client_credentials + private_key_jwt
#            target: >= 2x the peer; assertions are signed before the timed run (--jwt-rate)
#   refresh  refresh grant with rotating refresh tokens (obtained through the web-app code flow)
#   chat     POST /v3/chat, streamed (SSE): one chat a request with the published bench bot, a new
#            conversation each, its messages saved; reported, no peer (bench/chat.lua checks that
#            every stream ends in Coze's `done` event)
#   cache    GET /v1/users/me cycling --cache-tokens distinct PATs (bulk-seeded in one SQLite
#            transaction as copies of a CLI-created PAT, warmed by one pass) vs one hot PAT, on a
#            server of its own; targets: cycled >= 80 % of hot, VmRSS <= 256 MiB
# Errors are counted, never hidden: non-2xx/3xx and socket errors from wrk, the requests cozeauth
# answered with a non-zero code (from /metrics), and what the wrk scripts report. A workload with
# errors is flagged in the table and makes the script exit 1; unmet targets do not (exit 0).
#
#   bench/compare.sh [--duration 10s] [--connections 32] [--threads 2] [--runs 1] [--bin PATH]
#                    [--cache-tokens 1000000] [--jwt-rate 8000] [--refresh-tokens 4*connections]
#                    [--peer-workers 1] [--workloads ceiling,pat,jwt,refresh,chat,cache] [--db URL]
#                    [--slices 1]
# --db puts cozeauth's main store (every workload but cache, which seeds a SQLite file of its own)
# on the given empty store, e.g. a PostgreSQL database (bench/postgres.sh).
# --bin runs a given cozeauth binary instead of building the release preset. --runs N repeats
# the whole set N times (one table row per workload and run). --jwt-rate: assertions signed per
# second of --duration for each grant server (a run that uses them all is flagged). --peer-workers
# runs the stateless node peers (ceiling, pat) in N processes (node:cluster); the issue's figures
# are with 1. --slices N measures each side of the stateless comparisons (ceiling, pat, cache) in
# N slices of --duration / N, taken in turn — cozeauth, the peer, cozeauth, … and, for pat, our
# own /healthz as a third — so that a host that slows down or speeds up during a comparison
# weighs on both sides alike; a side's req/s is then its requests over its seconds, its p99 the
# worst slice's. The issue's figures are with 1. The peers' npm cache: $COZEAUTH_BENCH_CACHE
# (default ~/.cache/cozeauth-bench).
# Needs wrk, node + npm, sqlite3, openssl, python3, curl.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration=10s; connections=32; threads=2; runs=1; bin=; cache_tokens=1000000; jwt_rate=8000
refresh_tokens=; peer_workers=1; workloads=ceiling,pat,jwt,refresh,chat,cache; main_db=; slices=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2;;
    --connections) connections=$2; shift 2;;
    --threads) threads=$2; shift 2;;
    --runs) runs=$2; shift 2;;
    --bin) bin=$2; shift 2;;
    --cache-tokens) cache_tokens=$2; shift 2;;
    --jwt-rate) jwt_rate=$2; shift 2;;
    --refresh-tokens) refresh_tokens=$2; shift 2;;
    --peer-workers) peer_workers=$2; shift 2;;
    --workloads) workloads=$2; shift 2;;
    --db) main_db=$2; shift 2;;
    --slices) slices=$2; shift 2;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
refresh_tokens=${refresh_tokens:-$((4 * connections))}
selected() { [[ ",$workloads," == *",$1,"* ]]; }
command -v wrk >/dev/null || ./scripts/setup.sh --test
for tool in wrk node npm sqlite3 openssl python3 curl; do
  command -v "$tool" >/dev/null || { echo "compare.sh needs $tool" >&2; exit 2; }
done
. bench/lib.sh
bench_release_bin
case "$duration" in
  *ms) seconds=1;; *s) seconds=${duration%s};; *m) seconds=$((${duration%m} * 60));;
  *h) seconds=$((${duration%h} * 3600));; *) seconds=$duration;;
esac
slice=$duration  # one slice's wrk -d
if [ "$slices" != 1 ]; then
  if ! [[ $slices =~ ^[1-9][0-9]*$ ]] || [ $((seconds % slices)) -ne 0 ]; then
    echo "--slices must divide --duration's seconds" >&2; exit 2
  fi
  slice=$((seconds / slices))s
fi

# --- the peers, from the lockfile, outside the repo
cache=${COZEAUTH_BENCH_CACHE:-$HOME/.cache/cozeauth-bench}
mkdir -p "$cache"
if ! cmp -s bench/peers/package-lock.json "$cache/package-lock.json" || [ ! -d "$cache/node_modules" ]; then
  echo "installing the peers into $cache (npm ci)" >&2
  cp bench/peers/package.json bench/peers/package-lock.json "$cache/"
  (cd "$cache" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
fi
# Node resolves a script's imports from the script's own directory up: run them beside node_modules.
cp bench/peers/*.js "$cache/"

tmp=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME CMD…: runs CMD in the background (stderr in $tmp/NAME.err) and waits for it to
# listen (bench_listening). Sets $url and $pid.
start() {
  local name=$1; shift
  "$@" 2>"$tmp/$name.err" &
  pid=$!; pids+=("$pid")
  bench_listening "$tmp/$name.err" || { echo "($name)" >&2; exit 1; }
}
serve() {  # NAME DB [serve options…]
  local name=$1 db=$2; shift 2
  start "$name" env COZEAUTH_ADMIN_PASSWORD=unused-bench-pw "$bin" serve --listen 127.0.0.1:0 \
    --db "$db" --data-dir "$tmp/$name-var" --access-log false "$@"
}
# Requests the cozeauth at $1 answered with a non-zero business code so far.
coze_failures() {
  curl -sf "$1/metrics" | awk '/^cozeauth_http_requests_total\{/ && $1 !~ /code="0"/ {n += $NF} END {print n + 0}'
}
metric() { curl -sf "$1/metrics" | awk -v m="$2" '$1 == m {v = $2} END {printf "%.0f\n", v + 0}'; }

# measure COZE_BASE NAME URL [wrk options…]: one timed wrk run of $d (default: one slice), added
# to NAME's: its output to $tmp/NAME.wrk, its errors to $tmp/NAME.errors — socket errors plus the
# most of (non-2xx/3xx responses, the script's `errors` and `starved`, and — when COZE_BASE is a
# cozeauth — its non-zero codes during the run). Then sets rps, p99 and errors (result NAME).
measure() {
  local coze=$1 name=$2 target=$3; shift 3
  local before=0 after=0 out=$tmp/$name.wrk.last
  [ -n "$coze" ] && before=$(coze_failures "$coze")
  wrk -t"$threads" -c"$connections" -d"${d:-$slice}" --latency "$@" "$target" >"$out"
  [ -n "$coze" ] && after=$(coze_failures "$coze")
  awk -v server=$((after - before)) '
    /Non-2xx/ {status = $NF}
    /Socket errors/ {gsub(",", ""); socket = $4 + $6 + $8 + $10}
    /^bench-lua:/ {for (i = 2; i <= NF; i++) {split($i, kv, "="); if (kv[1] != "exhausted") lua += kv[2]}}
    END {m = status; if (lua > m) m = lua; if (server > m) m = server; print m + socket}' "$out" >>"$tmp/$name.errors"
  cat "$out" >>"$tmp/$name.wrk"; rm -f "$out"
  result "$name"
}
# result NAME: NAME's measurements so far, summed: rps (requests over seconds), p99 (the worst
# run's) and errors.
result() {
  rps=$(awk '/ requests in / {n += $1; t += ($4 ~ /ms/ ? ($4 + 0) / 1000 : $4 ~ /m/ ? ($4 + 0) * 60 : $4 + 0)}
      END {printf "%.0f", n / t}' "$tmp/$1.wrk")
  p99=$(awk '$1 == "99%" {v = $2 + 0; u = $2; sub(/^[0-9.]+/, "", u)
      ms = u == "us" ? v / 1000 : u == "s" ? v * 1000 : u == "m" ? v * 60000 : v
      if (ms > worst) {worst = ms; text = $2}} END {print text}' "$tmp/$1.wrk")
  errors=$(awk '{n += $1} END {print n + 0}' "$tmp/$1.errors")
}
lua_counter() { sed -n "s/^bench-lua:.* $2=\([0-9]*\).*/\1/p" "$tmp/$1.wrk"; }

# row FIELDS…: one table row, '|'-separated: run, workload, cozeauth req/s, p99, peer, peer
# req/s, peer p99, ratio, target, met, errors.
row() { (IFS='|'; echo "$*") >>"$tmp/rows"; }
failed=0
# compare RUN WORKLOAD C_RPS C_P99 C_ERR PEER P_RPS P_P99 P_ERR MIN_RATIO: a row with
# ratio C/P (as "2.00x", or as a percentage when MIN_RATIO ends in %) and whether it meets
# MIN_RATIO ("-" for none).
compare() {
  local run=$1 wl=$2 c=$3 cp=$4 ce=$5 peer=$6 p=$7 pp=$8 pe=$9 min=${10}
  local ratio met=- err=$((ce + pe)) target=-
  if [[ $min == *% ]]; then
    ratio=$(awk -v c="$c" -v p="$p" 'BEGIN {printf "%.1f %%", 100 * c / p}')
    target=">= $min"
    met=$(awk -v c="$c" -v p="$p" -v m="${min%\%}" 'BEGIN {print (100 * c / p >= m) ? "yes" : "no"}')
  else
    ratio=$(awk -v c="$c" -v p="$p" 'BEGIN {printf "%.2fx", c / p}')
    if [ "$min" != - ]; then
      target=">= ${min}x"
      met=$(awk -v c="$c" -v p="$p" -v m="$min" 'BEGIN {print (c / p >= m) ? "yes" : "no"}')
    fi
  fi
  [ "$err" -gt 0 ] && { met="ERRORS"; failed=1; }
  row "$run" "$wl" "$c" "$cp" "$peer" "$p" "$pp" "$ratio" "$target" "$met" "$ce/$pe"
}
notes=()

# --- seed the main store (as bench/load.sh does) and the apps of the grant workloads
db=${main_db:-"sqlite:$tmp/main.db"}
bench_user "$db"
bench_bot_and_pat "$db"
if selected jwt; then
  bench_service_app "$db" "$tmp" --account-permissions createConversation --workspace-permissions chat,listBot
fi
if selected refresh; then
  redirect=http://127.0.0.1:9/callback
  web=$($bin admin app create --db "$db" --json --owner-account "$acct" --name bench-web --client-type web \
    --redirect-uri "$redirect" --account-permissions createConversation --workspace-permissions chat)
  web_id=$(echo "$web" | bench_json "['id']"); web_client=$(echo "$web" | bench_json "['client_id']")
  web_secret=$($bin admin app secret create --db "$db" --json --app "$web_id" | bench_json "['secret']")
fi
if selected chat; then
  chat_pat=$($bin admin pat create --db "$db" --json --user "$uid" --name bench-chat --days 1 \
    --account-permissions createConversation --workspace-permissions chat --workspaces all | bench_json "['token']")
  chat_body='{"bot_id":"'$bid'","user_id":"bench","stream":true,"additional_messages":[{"role":"user","content":"how are you today","content_type":"text"}]}'
fi

# --- the cache store: N PATs in one transaction, each a copy of a CLI-created PAT's row with its
# own id and token digest (what `admin pat create` would write, minus N processes)
if selected cache; then
  cache_db=$tmp/cache.db
  cuid=$($bin admin user create --db "sqlite:$cache_db" --json --name cache --email cache@example.com --password benchpass1 | bench_json "['id']")
  template=$($bin admin pat create --db "sqlite:$cache_db" --json --user "$cuid" --name cache --days 30 \
    --workspace-permissions getMetadata --workspaces all)
  template_id=$(echo "$template" | bench_json "['id']")
  echo "seeding $cache_tokens PATs" >&2
  node "$cache/mint_pats.js" --count "$cache_tokens" --tokens "$tmp/pats" --rows "$tmp/pats.csv"
  IFS='|' read -r columns values < <(sqlite3 "$cache_db" "SELECT group_concat(name, ', '), group_concat(v, ', ') FROM (
    SELECT name, CASE name WHEN 'id' THEN 'b.id' WHEN 'token_hash' THEN 'b.token_hash' ELSE 't.' || name END AS v
    FROM pragma_table_info('tokens') ORDER BY cid)")
  sqlite3 "$cache_db" <<SQL
CREATE TABLE bench_bulk (id TEXT, token_hash TEXT);
.mode csv
.import $tmp/pats.csv bench_bulk
BEGIN;
INSERT INTO tokens ($columns) SELECT $values FROM bench_bulk b, tokens t WHERE t.id = '$template_id';
COMMIT;
DROP TABLE bench_bulk;
SQL
  seeded=$(sqlite3 "$cache_db" "SELECT count(*) FROM tokens WHERE user_id = '$cuid'")
  [ "$seeded" -eq $((cache_tokens + 1)) ] || { echo "seeded $seeded tokens, expected $((cache_tokens + 1))" >&2; exit 1; }
  # The hot token is one of the N, so that the working set is N tokens in both runs (the
  # template itself is never presented).
  hot=$(head -n1 "$tmp/pats")
  for _ in $(seq "$threads"); do echo "$hot"; done >"$tmp/hot"
  rm "$tmp/pats.csv"
fi

# --- start everything
serve cozeauth "$db"; coze=$url
if selected ceiling; then start bare-http env WORKERS="$peer_workers" node "$cache/bare_http.js"; bare=$url; fi
if selected pat; then
  start oauth2-server env WORKERS="$peer_workers" node "$cache/oauth2_resource.js" \
    --token "$pat" --user-id "$uid" --bot-id "$bid"
  resource=$url
fi
if selected jwt; then
  oidc_issuer=http://127.0.0.1
  start oidc-provider node "$cache/oidc_client_credentials.js" --issuer "$oidc_issuer" \
    --client-id "$svc" --public-key-file "$tmp/pub.pem" --kid "$kid"
  oidc=$url
fi
if selected cache; then
  capacity=()
  [ "$cache_tokens" -gt 1000000 ] && capacity=(--token-cache-capacity "$((cache_tokens + 1))")
  serve cozeauth-cache "sqlite:$cache_db" "${capacity[@]}"; cache_url=$url; cache_pid=$pid
fi

# Correctness first: every seeded credential works on both sides.
ok() { curl -sf -H "Authorization: Bearer $2" "$1" | grep -q '"code":0' || { echo "not authorized: $1" >&2; exit 1; }; }
ok "$coze/v1/users/me" "$pat"; ok "$coze/v1/bots/$bid" "$pat"
if selected pat; then ok "$resource/v1/users/me" "$pat"; ok "$resource/v1/bots/$bid" "$pat"; fi
if selected chat; then
  curl -sf -X POST -H "Authorization: Bearer $chat_pat" -H 'Content-Type: application/json' -d "$chat_body" \
    "$coze/v3/chat" | grep -q '^event:conversation.chat.completed' || { echo "chat did not complete" >&2; exit 1; }
fi
if selected cache; then
  for n in 1 $(((cache_tokens + 1) / 2)) "$cache_tokens"; do ok "$cache_url/v1/users/me" "$(sed -n "${n}p" "$tmp/pats")"; done
fi
export BENCH_THREADS=$threads

for run in $(seq "$runs"); do
  healthz=
  if selected ceiling; then
    for _ in $(seq "$slices"); do
      measure "$coze" "healthz-$run" "$coze/healthz"
      measure "" "bare-$run" "$bare/healthz"
    done
    result "healthz-$run"; healthz=$rps; c=("$rps" "$p99" "$errors")
    result "bare-$run"
    compare "$run" "HTTP ceiling: GET /healthz" "${c[@]}" "node:http" "$rps" "$p99" "$errors" -
  fi

  if selected pat; then
    for route in users_me bot; do
      path=/v1/users/me; [ $route = bot ] && path=/v1/bots/$bid
      own=$healthz
      for _ in $(seq "$slices"); do
        measure "$coze" "$route-$run" "$coze$path" -H "Authorization: Bearer $pat"
        measure "" "peer-$route-$run" "$resource$path" -H "Authorization: Bearer $pat"
        [ "$slices" != 1 ] && measure "$coze" "own-healthz-$route-$run" "$coze/healthz"
      done
      [ "$slices" != 1 ] && { result "own-healthz-$route-$run"; own=$rps; }
      result "$route-$run"; c=("$rps" "$p99" "$errors")
      result "peer-$route-$run"
      compare "$run" "PAT GET ${path/$bid/{id\}}" "${c[@]}" "oauth2-server" "$rps" "$p99" "$errors" 2
      [ -n "$own" ] && compare "$run" "  vs own /healthz" "${c[@]}" "cozeauth /healthz" "$own" - 0 85%
    done
  fi

  if selected jwt; then
    count=$((jwt_rate * seconds + connections))
    echo "signing 2 x $count assertions" >&2
    node "$cache/sign_assertions.js" --key "$tmp/key.pem" --kid "$kid" --iss "$svc" --aud 127.0.0.1 \
      --for cozeauth --count "$count" --out "$tmp/jwt-coze"
    node "$cache/sign_assertions.js" --key "$tmp/key.pem" --kid "$kid" --iss "$svc" --aud "$oidc_issuer" \
      --for oidc --count "$count" --out "$tmp/jwt-oidc"
    issued0=$(metric "$coze" 'cozeauth_tokens_issued_total{grant_type="jwt_bearer"}')
    d=$duration BENCH_GRANT=cozeauth BENCH_ASSERTIONS=$tmp/jwt-coze BENCH_IDLE_PATH=/healthz \
      measure "$coze" "jwt-$run" "$coze/api/permission/oauth2/token" -s bench/grant.lua
    c=("$rps" "$p99" "$errors"); c_exhausted=$(lua_counter "jwt-$run" exhausted)
    issued=$(( $(metric "$coze" 'cozeauth_tokens_issued_total{grant_type="jwt_bearer"}') - issued0 ))
    d=$duration BENCH_GRANT=oidc BENCH_ASSERTIONS=$tmp/jwt-oidc BENCH_IDLE_PATH=/.well-known/openid-configuration \
      measure "" "oidc-$run" "$oidc/token" -s bench/grant.lua
    compare "$run" "JWT-bearer grant" "${c[@]}" "oidc-provider" "$rps" "$p99" "$errors" 2
    notes+=("run $run: JWT-bearer grant: cozeauth issued $issued tokens (/metrics) for $(awk '/requests in/ {print $1}' "$tmp/jwt-$run.wrk") responses counted by wrk")
    for side in "cozeauth:$c_exhausted" "oidc-provider:$(lua_counter "oidc-$run" exhausted)"; do
      [ "${side#*:}" -gt 0 ] && notes+=("run $run: ${side%%:*} used all $count assertions before the end: its rate is a lower bound; raise --jwt-rate")
    done
    rm -f "$tmp/jwt-coze" "$tmp/jwt-oidc"
  fi

  if selected refresh; then
    node "$cache/obo_refresh_tokens.js" --base "$coze" --email bench@example.com --password benchpass1 \
      --client-id "$web_client" --secret "$web_secret" --redirect "$redirect" --count "$refresh_tokens" \
      --out "$tmp/refresh-tokens"
    d=$duration BENCH_CLIENT_ID=$web_client BENCH_SECRET=$web_secret BENCH_REFRESH_TOKENS=$tmp/refresh-tokens \
      measure "$coze" "refresh-$run" "$coze/api/permission/oauth2/token" -s bench/refresh.lua
    met=-; [ "$errors" -gt 0 ] && { met=ERRORS; failed=1; }
    row "$run" "refresh grant (rotating)" "$rps" "$p99" - - - - - "$met" "$errors/-"
  fi

  if selected chat; then
    d=$duration BENCH_TOKEN=$chat_pat BENCH_BODY=$chat_body \
      measure "$coze" "chat-$run" "$coze/v3/chat" -s bench/chat.lua
    met=-; [ "$errors" -gt 0 ] && { met=ERRORS; failed=1; }
    row "$run" "chat: POST /v3/chat, SSE stream" "$rps" "$p99" - - - - - "$met" "$errors/-"
  fi

  if selected cache; then
    export BENCH_PATH=/v1/users/me
    if [ "$run" = 1 ]; then
      # One pass over every token (each thread stops after its share and leaves a file; wrk's
      # main thread sleeps for -d regardless, so it is interrupted once all have finished).
      rss0=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$cache_pid/status")
      mkdir "$tmp/warm"; before=$(coze_failures "$cache_url")
      BENCH_ONCE=1 BENCH_DONE_DIR=$tmp/warm BENCH_TOKENS=$tmp/pats \
        wrk -t"$threads" -c"$connections" -d1h -s bench/tokens.lua "$cache_url$BENCH_PATH" >"$tmp/warm.wrk" &
      wrk_pid=$!; pids+=("$wrk_pid")
      while [ "$(find "$tmp/warm" -type f | wc -l)" -lt "$threads" ] && kill -0 "$wrk_pid" 2>/dev/null; do sleep 0.2; done
      kill -INT "$wrk_pid" 2>/dev/null || true; wait "$wrk_pid" || true
      warm_errors=$(( $(coze_failures "$cache_url") - before ))
      notes+=("cache warm-up: one pass over $cache_tokens PATs at $(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$tmp/warm.wrk") req/s (store reads), $warm_errors errors; VmRSS $rss0 MiB before it")
      [ "$warm_errors" -gt 0 ] && failed=1
    fi
    hits=0; misses=0
    for _ in $(seq "$slices"); do
      hits0=$(metric "$cache_url" cozeauth_auth_cache_hits_total); misses0=$(metric "$cache_url" cozeauth_auth_cache_misses_total)
      BENCH_TOKENS=$tmp/pats measure "$cache_url" "cycled-$run" "$cache_url$BENCH_PATH" -s bench/tokens.lua
      hits=$(( hits + $(metric "$cache_url" cozeauth_auth_cache_hits_total) - hits0 ))
      misses=$(( misses + $(metric "$cache_url" cozeauth_auth_cache_misses_total) - misses0 ))
      BENCH_TOKENS=$tmp/hot measure "$cache_url" "hot-$run" "$cache_url$BENCH_PATH" -s bench/tokens.lua
    done
    result "cycled-$run"; c=("$rps" "$p99" "$errors")
    result "hot-$run"
    compare "$run" "cache: $cache_tokens PATs cycled" "${c[@]}" "one hot PAT" "$rps" "$p99" "$errors" 80%
    notes+=("run $run: cache: while cycling, $hits cache hits and $misses misses (store reads)")
    rss=$(awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$cache_pid/status")
    anon=$(awk '/^RssAnon/ {printf "%.0f", $2 / 1024}' "/proc/$cache_pid/status")
    row "$run" "cache: VmRSS after (anon $anon MiB)" "$rss MiB" - - - - - "<= 256 MiB" \
      "$( [ "$rss" -le 256 ] && echo yes || echo no)" -
    # What the resident memory holds: the token cache's entries, SQLite's page caches.
    cached=$(metric "$cache_url" 'cozeauth_token_cache_entries{kind="known"}')
    evicted=$(metric "$cache_url" 'cozeauth_token_cache_evictions_total{kind="known"}')
    sqlite_mib=$(( $(metric "$cache_url" cozeauth_store_memory_bytes) / 1048576 ))
    notes+=("run $run: cache: after, $cached tokens cached ($evicted evicted so far); SQLite's memory $sqlite_mib MiB of the $rss MiB resident")
  fi
done

# --- the table
echo
echo "bench/compare.sh on $(nproc) cores, $(date -u '+%F %H:%M UTC'), cozeauth $bin"
echo "wrk -t$threads -c$connections -d$duration, $runs run(s); peers: oidc-provider" \
  "$(node -p "require('$cache/node_modules/oidc-provider/package.json').version")," \
  "@node-oauth/oauth2-server $(node -p "require('$cache/node_modules/@node-oauth/oauth2-server/package.json').version")," \
  "node $(node --version), $peer_workers process(es) for node:http and oauth2-server"
echo
{
  echo "run|workload|cozeauth req/s|p99|peer|peer req/s|p99|ratio|target|met?|errors (cozeauth/peer)"
  cat "$tmp/rows"
} | awk -F'|' '
  {for (i = 1; i <= NF; i++) {cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i)}; if (NF > n) n = NF}
  END {
    for (r = 1; r <= NR; r++) {
      line = ""
      for (i = 1; i <= n; i++) line = line (i > 1 ? " | " : "") (i < n ? sprintf("%-" w[i] "s", cell[r, i]) : cell[r, i])
      print line
      if (r == 1) {
        line = ""
        for (i = 1; i <= n; i++) {s = sprintf("%" w[i] "s", ""); gsub(/ /, "-", s); line = line (i > 1 ? "-+-" : "") s}
        print line
      }
    }
  }'
echo
for n in "${notes[@]}"; do echo "- $n"; done
if [ "$failed" -ne 0 ]; then
  echo "ERRORS: a workload above had failed requests (errors column; wrk output was in $tmp, now removed);" \
    "its rate is not a valid measurement" >&2
  exit 1
fi
