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

. "$(cd "$here/../support" && pwd)/server_fixture.sh"
fixture_start run_browser "$bin" Browser-Root-Pw1!


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

fixture_stop "$status" || status=$?
echo "run_browser: screenshots in $artifacts:"
ls -1 "$artifacts"/*.png 2>/dev/null | sed 's/^/  /' || true
exit "$status"
