# Sourced by the Node-driven suites (tests/compat/run_compat.sh, tests/browser/run_browser.sh):
# starts the real `cozeauth serve` on 127.0.0.1 port 0 over a fresh SQLite file in a temporary
# directory, and stops it again checking that it exited 0 on SIGTERM and logged no secret.
#
#   . "$repo/tests/support/server_fixture.sh"
#   fixture_start run_compat "$bin" 'Admin-Passw0rd!'   # sets tmp, db, port, server_pid
#   admin user create … | field id                      # `cozeauth admin … --db $db --json`
#   fixture_stop "$status"; exit $?                     # SIGTERM, exit status, access-log check
#
# COZEAUTH_KEEP_TEST_DIRS=1 keeps the directory (server logs) afterwards.

fixture_cleanup() {
  if [ -n "${server_pid:-}" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "${COZEAUTH_KEEP_TEST_DIRS:-}" ]; then
    echo "$fixture_name: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}

# fixture_start NAME BIN ADMIN_PASSWORD
fixture_start() {
  fixture_name=$1
  fixture_bin=$2
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/cozeauth-$1-XXXXXX")
  tmp=$(cd "$tmp" && pwd)  # absolute: the tests run elsewhere and reach the db through the CLI
  db="sqlite:$tmp/c.db"
  server_pid=
  trap fixture_cleanup EXIT
  # A developer's COZEAUTH_* settings must not leak into the server or the CLI.
  for v in $(env | sed -n 's/^\(COZEAUTH_[A-Z_]*\)=.*/\1/p'); do
    [ "$v" = COZEAUTH_KEEP_TEST_DIRS ] || unset "$v"
  done
  COZEAUTH_ADMIN_EMAIL=root@cozeauth.test COZEAUTH_ADMIN_PASSWORD=$3 \
    "$fixture_bin" serve --listen 127.0.0.1:0 --db "$db" --data-dir "$tmp/var" --access-log true \
    >"$tmp/access.log" 2>"$tmp/stderr.log" &
  server_pid=$!
  port=
  for _ in $(seq 1 200); do
    port=$(sed -n 's|^cozeauth: listening on http://127\.0\.0\.1:\([0-9][0-9]*\) .*|\1|p' "$tmp/stderr.log")
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || { echo "$1: server exited:" >&2; cat "$tmp/stderr.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "$1: server did not start within 20 s:" >&2
  cat "$tmp/stderr.log" >&2
  exit 1
}

admin() { "$fixture_bin" admin "$@" --db "$db" --json; }
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];if(v===undefined)process.exit(1);console.log(v)})' "$1"; }

# fixture_stop TEST_STATUS: stops the server; returns TEST_STATUS, or 1 when the tests passed but
# the server did not exit 0 on SIGTERM or a token or authorization code reached its access log.
fixture_stop() {
  local status=$1 server_status=0
  kill -TERM "$server_pid"
  wait "$server_pid" || server_status=$?
  server_pid=
  if [ "$server_status" -ne 0 ]; then
    echo "$fixture_name: server exited with $server_status after SIGTERM:" >&2
    cat "$tmp/stderr.log" >&2
    [ "$status" -ne 0 ] || status=1
  fi
  if grep -qE 'pat_|sat_|czu_|czs_|code_[A-Za-z0-9]{16}' "$tmp/access.log"; then
    echo "$fixture_name: a token or an authorization code appears in the access log" >&2
    [ "$status" -ne 0 ] || status=1
  fi
  return "$status"
}
