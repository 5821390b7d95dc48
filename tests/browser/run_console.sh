#!/usr/bin/env bash
# The console walked as the Coze guide's two people walk it, in Debian's chromium (headless,
# through playwright-core): console.test.mjs. Usage: tests/browser/run_console.sh /path/to/cozeauth
# Starts `cozeauth serve` on 127.0.0.1 port 0 over a fresh SQLite file (tests/support/
# server_fixture.sh) and creates, with `cozeauth admin`, only what the console cannot: the two
# users, the personal user's team workspace W with a published bot, and the enterprise whose
# super_admin the second user is. Everything else the test does through pages.
# Screenshots (every page, zh-CN and en) go to build/test-artifacts/console/ under the repository
# root, or to $COZEAUTH_ARTIFACTS_DIR/console/. COZEAUTH_KEEP_TEST_DIRS=1 keeps the server's
# directory; CHROMIUM=/path/to/chromium picks another browser than /usr/bin/chromium.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${1:?usage: run_console.sh /path/to/cozeauth}
[ -x "$bin" ] || { echo "run_console: $bin is not an executable" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
command -v node >/dev/null || { echo "run_console: node is not installed; run scripts/setup.sh --test" >&2; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { echo "run_console: $chromium is missing; run scripts/setup.sh --test (apt package chromium)" >&2; exit 1; }
for m in playwright-core axe-core @coze/api; do
  [ -d "$here/node_modules/$m" ] || { echo "run_console: tests/browser/node_modules lacks $m; run scripts/setup.sh --test" >&2; exit 1; }
done

artifacts=${COZEAUTH_ARTIFACTS_DIR:-$repo/build/test-artifacts}/console
mkdir -p "$artifacts"
artifacts=$(cd "$artifacts" && pwd)
rm -f "$artifacts"/*.png  # this run's screenshots only

. "$(cd "$here/../support" && pwd)/server_fixture.sh"
fixture_start run_console "$bin" Console-Root-Pw1!

# The personal user (the guide's developer) and their team workspace W with a published bot.
p_email=lilei@cozeauth.test
p_password=Personal-User-Pw1
p_json=$(admin user create --name "Li Lei" --email "$p_email" --password "$p_password")
p_id=$(printf '%s' "$p_json" | field id)
p_account=$(printf '%s' "$p_json" | field personal_account_id)
w_name="Li Lei's <team> \"W\""
w_id=$(admin workspace create --account "$p_account" --owner "$p_id" --name "$w_name" | field id)
bot_id=$(admin bot create --workspace "$w_id" --name "Support bot" --publish | field id)
# The enterprise administrator and the enterprise.
a_email=hanmeimei@cozeauth.test
a_password=Enterprise-Admin-Pw1
a_id=$(admin user create --name "Han Meimei" --email "$a_email" --password "$a_password" | field id)
e_name="Acme 企业 <b>&\"'"
e_json=$(admin enterprise create --name "$e_name" --owner "$a_id" --edition enterprise)
e_id=$(printf '%s' "$e_json" | field enterprise_id)

status=0
(
  cd "$here"
  COZEAUTH_BASE_URL="http://127.0.0.1:$port" COZEAUTH_BIN="$bin" COZEAUTH_DB="$db" \
    ARTIFACTS_DIR="$artifacts" CHROMIUM="$chromium" \
    P_ID="$p_id" P_EMAIL="$p_email" P_PASSWORD="$p_password" \
    A_ID="$a_id" A_EMAIL="$a_email" A_PASSWORD="$a_password" \
    ENTERPRISE_ID="$e_id" ENTERPRISE_NAME="$e_name" WORKSPACE_ID="$w_id" WORKSPACE_NAME="$w_name" BOT_ID="$bot_id" \
    node --test --test-reporter=spec console.test.mjs
) || status=$?

fixture_stop "$status" || status=$?
echo "run_console: screenshots in $artifacts:"
ls -1 "$artifacts"/*.png 2>/dev/null | sed 's/^/  /' || true
exit "$status"
