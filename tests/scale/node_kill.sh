#!/usr/bin/env bash
# Node failure behind a load balancer (issue 11, item 5; docs/deploying.md, "A load balancer in
# front (HAProxy)").
#   tests/scale/node_kill.sh /path/to/cozeauth
# On loopback: a fresh PostgreSQL cluster (initdb, trust authentication, locale C, fsync off), 3
# `cozeauth serve` nodes on one database, and HAProxy in front (health check GET /readyz every
# 200 ms, retries with redispatch). tests/scale/drive.mjs drives the official @coze/api SDK through
# HAProxy with 4 concurrent callers for NODE_KILL_SECONDS (default 20) and at least 5 s after node
# 2 is back; once it printed "steady" (200 successful calls) node 2 gets SIGKILL; once HAProxy
# reported it DOWN, node 2 is started again on the same port; once HAProxy reported it UP the
# driver gets SIGUSR2 and stops 5 s later (or at NODE_KILL_SECONDS, whichever is later).
# Fails when an idempotent call (GET) failed, when a conversation the client saw created is
# missing from the database, or when the restarted node served nothing. Prints the figures,
# including the non-idempotent calls (POST) that failed: those in flight on node 2 when it died.
#
# HAProxy 2.6 (`retry-on`) replays any request it still holds in its buffer, whatever the method:
# with `empty-response` a POST whose node died after committing would run twice. The
# configuration below therefore allows layer-7 retries (empty-response, response-timeout) for GET
# and HEAD only (`http-request disable-l7-retry unless METH_GET`); a POST is retried only on a
# connection failure, when it provably never reached a node. A POST in flight on a dying node
# comes back to the client as 502 (HAProxy's page; the SDK raises an error): it may or may not
# have been committed.
#
# Everything (processes, directories) is removed on exit; COZEAUTH_KEEP_TEST_DIRS=1 keeps the
# directories (logs, haproxy.cfg). Works as root: initdb and pg_ctl then run as `postgres`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
compat="$here/../compat"
bin=${1:?usage: node_kill.sh /path/to/cozeauth}
seconds=${NODE_KILL_SECONDS:-20}
[ -x "$bin" ] || { echo "node_kill: $bin is not an executable" >&2; exit 1; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

need() { command -v "$1" >/dev/null || { echo "node_kill: $1 is not installed; run scripts/setup.sh --test" >&2; exit 1; }; }
need haproxy; need node; need python3; need curl
[ -d "$compat/node_modules/@coze/api" ] || {
  echo "node_kill: tests/compat/node_modules is missing @coze/api; run scripts/setup.sh --test" >&2; exit 1; }
pgbin=
for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do  # newest first
  [ -x "$d/initdb" ] && { pgbin=$d; break; }
done
[ -n "$pgbin" ] || pgbin=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
[ -x "$pgbin/initdb" ] || { echo "node_kill: PostgreSQL's initdb is not installed; run scripts/setup.sh --test" >&2; exit 1; }

# A developer's COZEAUTH_* settings must not leak into the nodes or the CLI.
for v in $(env | sed -n 's/^\(COZEAUTH_[A-Z_]*\)=.*/\1/p'); do
  [ "$v" = COZEAUTH_KEEP_TEST_DIRS ] || unset "$v"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cozeauth-node-kill-XXXXXX")
# PostgreSQL's directory: owned by `postgres` when we are root (initdb refuses root).
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/cozeauth-node-kill-pg-XXXXXX")
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "node_kill: running as root and there is no user postgres" >&2; exit 1; }
  chown postgres: "$pgdir"
  chmod 755 "$pgdir"
  as_pg=(runuser -u postgres --)
fi
pg_started=
declare -A pid=()   # name -> pid of what we started in the background

cleanup() {
  local status=$?
  local name
  for name in drive haproxy node1 node2 node3; do
    if [ -n "${pid[$name]:-}" ] && kill -0 "${pid[$name]}" 2>/dev/null; then
      kill -TERM "${pid[$name]}" 2>/dev/null || true
      wait "${pid[$name]}" 2>/dev/null || true
    fi
  done
  if [ -n "$pg_started" ]; then
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "${COZEAUTH_KEEP_TEST_DIRS:-}" ]; then
    echo "node_kill: kept $tmp and $pgdir" >&2
  else
    rm -rf "$tmp" "$pgdir"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for FILE REGEX PID SECONDS WHAT: polls FILE until a line matches REGEX (grep -E); fails when
# PID (if not empty) exits first or after SECONDS.
wait_for() {
  local file=$1 regex=$2 p=$3 limit=$4 what=$5
  local deadline=$((SECONDS + limit))
  while ! grep -qE "$regex" "$file" 2>/dev/null; do
    if [ -n "$p" ] && ! kill -0 "$p" 2>/dev/null; then
      echo "node_kill: exited before $what; $file:" >&2; cat "$file" >&2 || true; exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "node_kill: no $what within $limit s; $file:" >&2; cat "$file" >&2 || true; exit 1
    fi
    sleep 0.05
  done
}

# --- PostgreSQL -------------------------------------------------------------------------------
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdir/data" -A trust -U cz -E UTF8 --locale=C --no-sync \
  >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
pg_port=
for _ in 1 2 3; do  # another process may take the free port before the server binds it
  pg_port=$(free_port)
  if "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 start \
       -o "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c listen_addresses=127.0.0.1 -p $pg_port -k '$pgdir' -c max_connections=100" \
       >/dev/null 2>&1; then
    pg_started=1; break
  fi
done
[ -n "$pg_started" ] || { echo "node_kill: PostgreSQL did not start:" >&2; cat "$pgdir/server.log" >&2; exit 1; }
"$pgbin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U cz -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE cozeauth LOCALE 'C' TEMPLATE template0" >/dev/null
db="postgresql://cz@127.0.0.1:$pg_port/cozeauth"
sql() { "$pgbin/psql" -X -q -At -h 127.0.0.1 -p "$pg_port" -U cz -d cozeauth -v ON_ERROR_STOP=1 -c "$1"; }

# --- the nodes --------------------------------------------------------------------------------
declare -A port=()
# start_node N LISTEN_PORT LOG_SUFFIX: starts node N and waits for its listening line.
start_node() {
  local n=$1 listen=$2 suffix=$3
  mkdir -p "$tmp/node$n"
  COZEAUTH_ADMIN_EMAIL=root@cozeauth.test COZEAUTH_ADMIN_PASSWORD='NodeKill-Passw0rd!' \
    "$bin" serve --listen "127.0.0.1:$listen" --db "$db" --data-dir "$tmp/node$n/var" \
    --access-log true >"$tmp/node$n/access$suffix.log" 2>"$tmp/node$n/stderr$suffix.log" &
  pid[node$n]=$!
  wait_for "$tmp/node$n/stderr$suffix.log" '^cozeauth: listening on http://127\.0\.0\.1:[0-9]+' \
    "${pid[node$n]}" 60 "the listening line of node $n"
  port[$n]=$(sed -n 's|^cozeauth: listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' \
    "$tmp/node$n/stderr$suffix.log" | head -n 1)
}
# Node 1 first: it creates the schema; then the others (they find it in place).
start_node 1 0 ""
start_node 2 0 ""
start_node 3 0 ""

# --- the tenancy (as tests/compat/run_compat.sh) ----------------------------------------------
admin() { "$bin" admin "$@" --db "$db" --json; }
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];if(v===undefined)process.exit(1);console.log(v)})' "$1"; }
user_id=$(admin user create --name nodekill --email nodekill@cozeauth.test --password NodeKill-User-Pw1 | field id)
workspace_id=$(admin workspace create --account "$user_id" --owner "$user_id" --name "Node kill" | field id)
bot_id=$(admin bot create --workspace "$workspace_id" --name "Node kill bot" --prompt "NK:" --publish | field id)
pat=$(admin pat create --user "$user_id" --days 1 --workspaces all --name node-kill \
  --account-permissions listWorkspace,createConversation,retrieveConversation \
  --workspace-permissions getMetadata,getPublishedBot,listBot | field token)

# --- HAProxy ----------------------------------------------------------------------------------
lb_port=$(free_port)
cat >"$tmp/haproxy.cfg" <<EOF
global
    maxconn 2000
    # One line per request on stderr: method, server, status, termination state, retries.
    log stderr format raw local0 info

defaults
    mode http
    log global
    log-format "request %HM %HP %b/%s status=%ST term=%ts retries=%rc Ta=%Ta"
    timeout connect 1s
    timeout client 30s
    timeout server 10s
    timeout http-keep-alive 10s
    timeout check 1s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend cozeauth_in
    bind 127.0.0.1:$lb_port
    default_backend cozeauth_nodes

backend cozeauth_nodes
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    # Replaying a request the node may have executed is safe for GET/HEAD only: a POST is retried
    # on a connection failure (never reached a node), not on an empty response or a timeout.
    http-request disable-l7-retry unless METH_GET
    default-server inter 200ms fall 2 rise 2
    server node1 127.0.0.1:${port[1]} check
    server node2 127.0.0.1:${port[2]} check
    server node3 127.0.0.1:${port[3]} check
EOF
haproxy -c -q -f "$tmp/haproxy.cfg"
haproxy -f "$tmp/haproxy.cfg" -db >"$tmp/haproxy.log" 2>&1 &
pid[haproxy]=$!
deadline=$((SECONDS + 30))
until curl -fsS -o /dev/null "http://127.0.0.1:$lb_port/healthz" 2>/dev/null; do
  kill -0 "${pid[haproxy]}" 2>/dev/null || { echo "node_kill: haproxy exited:" >&2; cat "$tmp/haproxy.log" >&2; exit 1; }
  [ "$SECONDS" -lt "$deadline" ] || { echo "node_kill: haproxy did not answer within 30 s" >&2; cat "$tmp/haproxy.log" >&2; exit 1; }
  sleep 0.05
done

# --- the run ----------------------------------------------------------------------------------
COZEAUTH_BASE_URL="http://127.0.0.1:$lb_port" PAT="$pat" BOT_ID="$bot_id" USER_ID="$user_id" \
  WORKSPACE_ID="$workspace_id" DRIVE_SECONDS="$seconds" DRIVE_UNTIL_SIGNAL=1 \
  node "$here/drive.mjs" >"$tmp/drive.out" 2>"$tmp/drive.err" &
pid[drive]=$!
wait_for "$tmp/drive.out" '^steady$' "${pid[drive]}" 60 "\"steady\" from drive.mjs"

kill -KILL "${pid[node2]}"
wait "${pid[node2]}" 2>/dev/null || true
pid[node2]=
echo "node_kill: SIGKILL node 2 (127.0.0.1:${port[2]}) at $(date +%T.%3N)"
wait_for "$tmp/haproxy.log" 'Server cozeauth_nodes/node2 is DOWN' "${pid[haproxy]}" 30 "node 2 DOWN in haproxy's log"
echo "node_kill: haproxy marked node 2 DOWN at $(date +%T.%3N)"

start_node 2 "${port[2]}" ".restart"
echo "node_kill: node 2 listening again at $(date +%T.%3N)"
wait_for "$tmp/haproxy.log" 'Server cozeauth_nodes/node2 is UP' "${pid[haproxy]}" 30 "node 2 UP in haproxy's log"
echo "node_kill: haproxy marked node 2 UP at $(date +%T.%3N)"
kill -USR2 "${pid[drive]}" 2>/dev/null || {
  echo "node_kill: drive.mjs finished (240 s) before node 2 was back:" >&2; cat "$tmp/drive.err" >&2; exit 1; }

status=0
wait "${pid[drive]}" || status=$?
pid[drive]=
if [ "$status" -ne 0 ]; then
  echo "node_kill: drive.mjs exited with $status:" >&2; cat "$tmp/drive.err" "$tmp/drive.out" >&2; exit 1
fi
summary=$(tail -n 1 "$tmp/drive.out")
# Every node still running stops cleanly on SIGTERM (exit 0: no sanitizer report either).
for n in 1 2 3; do
  node_status=0
  kill -TERM "${pid[node$n]}"
  wait "${pid[node$n]}" || node_status=$?
  pid[node$n]=
  if [ "$node_status" -ne 0 ]; then
    echo "node_kill: node $n exited with $node_status after SIGTERM:" >&2
    cat "$tmp/node$n/stderr"*.log >&2
    exit 1
  fi
done
conversations=$(sql "SELECT count(*) FROM conversations")
served_after_restart=$(grep -vc '"route":"/healthz"' "$tmp/node2/access.restart.log" || true)
# HAProxy's view: requests it retried (retries=N, "+N" when redispatched to another node) and
# requests it did not answer with a node's response.
lb_retried_get=$(grep -cE '^request (GET|HEAD) .* retries=\+?[1-9]' "$tmp/haproxy.log" || true)
lb_retried_post=$(grep -cE '^request POST .* retries=\+?[1-9]' "$tmp/haproxy.log" || true)
lb_abnormal=$(grep -E '^request ' "$tmp/haproxy.log" | grep -vE 'status=[0-9]+ term=-- ' || true)

# --- the figures ------------------------------------------------------------------------------
# shellcheck disable=SC2016 # the program is JavaScript, its ${…} are template literals
SUMMARY="$summary" CONVERSATIONS="$conversations" SERVED="$served_after_restart" \
  RETRIED_GET="$lb_retried_get" RETRIED_POST="$lb_retried_post" ABNORMAL="$lb_abnormal" node -e '
const s = JSON.parse(process.env.SUMMARY);
const conv = Number(process.env.CONVERSATIONS), served = Number(process.env.SERVED);
const i = s.idempotent, n = s.non_idempotent;
console.log(`node_kill: ${s.duration_s} s, ${i.ok + i.failed + n.ok + n.failed} calls through haproxy`);
console.log(`  idempotent (GET):      ${i.ok} ok, ${i.failed} failed, slowest ${i.max_ms} ms`);
console.log(`  non-idempotent (POST): ${n.ok} ok, ${n.failed} failed, slowest ${n.max_ms} ms`);
console.log(`  conversations in the database: ${conv} (${conv - n.ok} created without the client seeing it)`);
console.log(`  requests served by node 2 after its restart: ${served}`);
const rg = Number(process.env.RETRIED_GET), rp = Number(process.env.RETRIED_POST);
console.log(`  retried by haproxy: ${rg} GET, ${rp} POST`);
for (const l of process.env.ABNORMAL.split("\n").filter(Boolean)) console.log(`  haproxy: ${l}`);
for (const f of s.failures) console.log(`  failure: ${JSON.stringify(f)}`);
console.log(JSON.stringify({ idempotent: i, non_idempotent: n, duration_s: s.duration_s,
  conversations_in_db: conv, node2_served_after_restart: served,
  haproxy_retried: { get: rg, post: rp } }));
let bad = [];
if (i.failed > 0) bad.push(`${i.failed} idempotent calls failed`);
if (i.ok === 0 || n.ok === 0) bad.push("no successful calls of one kind");
if (conv < n.ok) bad.push(`only ${conv} conversations in the database for ${n.ok} acknowledged`);
if (served === 0) bad.push("node 2 served nothing after its restart");
if (bad.length) { console.error(`node_kill: FAILED: ${bad.join("; ")}`); process.exit(1); }
console.log("node_kill: passed");
'
