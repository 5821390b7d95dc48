#!/usr/bin/env bash
# Runs the official Coze Node SDK (@coze/api) against a real cozeauth server.
#   tests/compat/run_compat.sh /path/to/cozeauth
# Starts `cozeauth serve` on 127.0.0.1 port 0 over a fresh SQLite file in a temporary directory,
# creates a user, a team workspace, a published bot and PATs with `cozeauth admin`, exports them
# to compat.test.mjs and runs `node --test` on it and on the OAuth suites (oauth.test.mjs,
# oauth_negative.test.mjs, and workflows.test.mjs, which create their fixtures through cli.mjs);
# stops the server
# (SIGTERM) and checks it exited 0.
# Set COZEAUTH_KEEP_TEST_DIRS=1 to keep the directory (server logs) afterwards.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:?usage: run_compat.sh /path/to/cozeauth}
[ -x "$bin" ] || { echo "run_compat: $bin is not an executable" >&2; exit 1; }
command -v node >/dev/null || { echo "run_compat: node is not installed; run scripts/setup.sh --test" >&2; exit 1; }
if [ ! -d "$here/node_modules/@coze/api" ]; then
  echo "run_compat: tests/compat/node_modules is missing @coze/api; run scripts/setup.sh --test" \
       "(it runs 'npm ci' in tests/compat)" >&2
  exit 1
fi

. "$(cd "$here/../support" && pwd)/server_fixture.sh"
fixture_start run_compat "$bin" Compat-Passw0rd!


account_points=listWorkspace,createWorkspace,getChat,cancelChat,createConversation,retrieveConversation,listConversation,editConversation,createMessage,listMessage,retrieveMessage,modifyMessage,deleteMessage,uploadFile,retrieveFile,listVoice
workspace_points=chat,createBot,edit,publish,disconnectBot,listBot,getMetadata,getPublishedBot,readMember

user_id=$(admin user create --name compat --email compat@cozeauth.test --password Compat-User-Pw1 | field id)
workspace_id=$(admin workspace create --account "$user_id" --owner "$user_id" --name "Compat team" | field id)
bot_prompt="Compat:"
bot_id=$(admin bot create --workspace "$workspace_id" --name "Compat bot" --prompt "$bot_prompt" --publish | field id)
pat() { admin pat create --user "$user_id" --days 7 --workspaces all "$@" | field token; }
pat_all=$(pat --name all --account-permissions "$account_points" --workspace-permissions "$workspace_points")
pat_no_meta=$(pat --name no-meta --account-permissions "$account_points" \
  --workspace-permissions "${workspace_points/getMetadata,/}")
revoked_json=$(admin pat create --user "$user_id" --days 7 --workspaces all --name revoked \
  --account-permissions "$account_points" --workspace-permissions "$workspace_points")
admin token revoke --id "$(printf '%s' "$revoked_json" | field id)" >/dev/null
pat_revoked=$(printf '%s' "$revoked_json" | field token)

# The OAuth suites (oauth.test.mjs, oauth_negative.test.mjs) build their own users, apps and
# enterprises with the CLI (cli.mjs) from COZEAUTH_BIN and COZEAUTH_DB. Each test file runs in
# its own process; OAUTH_COMPAT_FILES narrows the run (e.g. "oauth.test.mjs").
files=${OAUTH_COMPAT_FILES:-compat.test.mjs oauth.test.mjs oauth_negative.test.mjs workflows.test.mjs}
bin_abs="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"  # the tests run in $here
status=0
(
  cd "$here"
  # shellcheck disable=SC2086 # $files is a list of file names
  COZEAUTH_BASE_URL="http://127.0.0.1:$port" PAT="$pat_all" PAT_NO_META="$pat_no_meta" \
    PAT_REVOKED="$pat_revoked" USER_ID="$user_id" WORKSPACE_ID="$workspace_id" BOT_ID="$bot_id" \
    BOT_PROMPT="$bot_prompt" COZEAUTH_BIN="$bin_abs" COZEAUTH_DB="$db" \
    node --test --test-reporter=spec $files
) || status=$?

fixture_stop "$status" || status=$?

exit "$status"
