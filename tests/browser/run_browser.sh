#!/usr/bin/env bash
# Drives Debian's chromium (headless, through playwright-core) through cozeauth's OAuth pages.
#   tests/browser/run_browser.sh /path/to/cozeauth
# Starts `cozeauth serve` on 127.0.0.1 port 0 over a fresh SQLite file in a temporary directory,
# creates a user and a team workspace with `cozeauth admin`, and runs browser.test.mjs with
# `node --test` (it creates the OAuth apps itself, once its callback server has a port); stops the
# server (SIGTERM) and checks it exited 0 and logged no token.
# Screenshots go to build/test-artifacts/browser/ under the repository root, or to
# $COZEAUTH_ARTIFACTS_DIR/browser/ when COZEAUTH_ARTIFACTS_DIR is set.
# Set COZEAUTH_KEEP_TEST_DIRS=1 to keep the temporary directory (server logs) afterwards, and
# CHROMIUM=/path/to/chromium to use another browser binary than /usr/bin/chromium.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:?usage: run_browser.sh /path/to/cozeauth}
[ -x "$bin" ] || { echo "run_browser: $bin is not an executable" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
command -v node >/dev/null || { echo "run_browser: node is not installed; run scripts/setup.sh --test" >&2; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "run_browser: $chromium is missing; run scripts/setup.sh --test (apt package chromium)" >&2; exit 1; }
if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "run_browser: tests/browser/node_modules is missing playwright-core; run scripts/setup.sh --test" \
       "(it runs 'npm ci' in tests/browser)" >&2
  exit 1
fi

artifacts=${COZEAUTH_ARTIFACTS_DIR:-$repo/build/test-artifacts}/browser
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)
rm -f "$artifacts"/*.png  # this run's screenshots only

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cozeauth-browser-XXXXXX")
db="sqlite:$tmp/b.db"
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "${COZEAUTH_KEEP_TEST_DIRS:-}" ]; then
    echo "run_browser: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

# A developer's COZEAUTH_* settings must not leak into the server or the CLI.
for v in $(env | sed -n 's/^\(COZEAUTH_[A-Z_]*\)=.*/\1/p'); do
  [ "$v" = COZEAUTH_KEEP_TEST_DIRS ] || unset "$v"
done

COZEAUTH_ADMIN_EMAIL=root@cozeauth.test COZEAUTH_ADMIN_PASSWORD=Browser-Root-Pw1! \
  "$bin" serve --listen 127.0.0.1:0 --db "$db" --data-dir "$tmp/var" --access-log true \
  >"$tmp/access.log" 2>"$tmp/stderr.log" &
server_pid=$!

port=
for _ in $(seq 1 200); do
  port=$(sed -n 's|^cozeauth: listening on http://127\.0\.0\.1:\([0-9][0-9]*\) .*|\1|p' "$tmp/stderr.log")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "run_browser: server exited:" >&2; cat "$tmp/stderr.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "run_browser: server did not start within 20 s:" >&2; cat "$tmp/stderr.log" >&2; exit 1; }

admin() { "$bin" admin "$@" --db "$db" --json; }
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];if(v===undefined)process.exit(1);console.log(v)})' "$1"; }

user_email=browser@cozeauth.test
user_password=Browser-User-Pw1
user_json=$(admin user create --name browser --email "$user_email" --password "$user_password")
user_id=$(printf '%s' "$user_json" | field id)
account_id=$(printf '%s' "$user_json" | field personal_account_id)
workspace_name="Browser team"
workspace_id=$(admin workspace create --account "$account_id" --owner "$user_id" --name "$workspace_name" | field id)

status=0
(
  cd "$here"
  COZEAUTH_BASE_URL="http://127.0.0.1:$port" COZEAUTH_BIN="$bin" COZEAUTH_DB="$db" \
    ARTIFACTS_DIR="$artifacts" CHROMIUM="$chromium" USER_ID="$user_id" ACCOUNT_ID="$account_id" \
    USER_EMAIL="$user_email" USER_PASSWORD="$user_password" WORKSPACE_ID="$workspace_id" \
    WORKSPACE_NAME="$workspace_name" node --test --test-reporter=spec browser.test.mjs
) || status=$?

kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
server_pid=
if [ "$server_status" -ne 0 ]; then
  echo "run_browser: server exited with $server_status after SIGTERM:" >&2
  cat "$tmp/stderr.log" >&2
  [ "$status" -ne 0 ] || status=1
fi
if grep -Eq 'czu_|czs_|pat_' "$tmp/access.log"; then
  echo "run_browser: a token appears in the access log" >&2
  [ "$status" -ne 0 ] || status=1
fi
echo "run_browser: screenshots in $artifacts:"
ls -1 "$artifacts"/*.png 2>/dev/null | sed 's/^/  /' || true
exit "$status"
