#!/usr/bin/env bash
# Smoke test of `cozeauth admin …` against a throwaway SQLite store: the happy path of every
# noun an operator script needs (user, enterprise, workspace, bot, PAT), that listings never
# show a secret, and that rejected arguments exit non-zero and leave the store untouched.
# Usage: cli_test.sh PATH/TO/cozeauth
set -euo pipefail

BIN=${1:?usage: cli_test.sh PATH/TO/cozeauth}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DB_FILE=$TMP/smoke.db
export COZEAUTH_DB=sqlite:$DB_FILE
unset COZEAUTH_USER_PASSWORD

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok - $*"; }
# json_get FIELD: reads one JSON object on stdin and prints FIELD (nested with dots).
json_get() {
  python3 -c 'import json,sys
v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v[k]
print(v if not isinstance(v,bool) else str(v).lower())' "$1"
}
dump_hash() { sqlite3 "$DB_FILE" .dump | sha256sum; }
# expect_rejected DESCRIPTION ARGS…: the command exits non-zero and writes nothing.
expect_rejected() {
  local what=$1; shift
  local before after
  before=$(dump_hash)
  if "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"; then fail "$what: exited 0"; fi
  [[ -s $TMP/err ]] || fail "$what: no message on stderr"
  after=$(dump_hash)
  [[ $before == "$after" ]] || fail "$what: the store changed"
  pass "$what is rejected and writes nothing"
}

# --- user
out=$("$BIN" admin user create --name alice --email alice@example.com --password 'correct horse' --json)
USER_ID=$(json_get id <<<"$out")
[[ $USER_ID =~ ^[0-9]{19}$ ]] || fail "user id '$USER_ID' is not 19 digits"
if grep -q password <<<"$out"; then fail "user create printed a password field"; fi
PERSONAL_WS=$(json_get personal_workspace_id <<<"$out")
pass "user create ($USER_ID)"
out=$(COZEAUTH_USER_PASSWORD='battery staple' "$BIN" admin user create --name bob \
  --email bob@example.com --json)
BOB_ID=$(json_get id <<<"$out")
grep -q bob@example.com <<<"$("$BIN" admin user list)" || fail "user list lacks bob"
if grep -qi password <<<"$("$BIN" admin user list --json)"; then fail "user list shows a password"; fi
pass "user list"

# --- enterprise: both ids printed; the default organization id is a 19-digit string
out=$("$BIN" admin enterprise create --name Acme --owner "$USER_ID" --json)
ENT_ID=$(json_get enterprise_id <<<"$out")
ORG_ID=$(json_get default_org_account_id <<<"$out")
[[ $ENT_ID =~ ^ent_[0-9]+$ ]] || fail "enterprise id '$ENT_ID'"
python3 -c 'import json,sys; v=json.load(sys.stdin)["default_org_account_id"]; assert isinstance(v,str) and len(v)==19 and v.isdigit(), v' <<<"$out" \
  || fail "default_org_account_id is not a 19-digit string"
[[ $(json_get edition <<<"$out") == team ]] || fail "default edition is not team"
pass "enterprise create ($ENT_ID, default org $ORG_ID)"

# --- workspace and bot
out=$("$BIN" admin workspace create --account "$ORG_ID" --owner "$USER_ID" --name Research --json)
WS_ID=$(json_get id <<<"$out")
[[ $WS_ID =~ ^[0-9]{19}$ ]] || fail "workspace id '$WS_ID'"
[[ $(json_get owner_account_id <<<"$out") == "$ORG_ID" ]] || fail "workspace owner account"
grep -q Research <<<"$("$BIN" admin workspace list --account "$ORG_ID")" || fail "workspace list"
pass "workspace create ($WS_ID)"
out=$("$BIN" admin bot create --workspace "$WS_ID" --name Helper --prompt 'Be brief.' --publish --json)
BOT_ID=$(json_get id <<<"$out")
[[ $BOT_ID =~ ^[0-9]{19}$ ]] || fail "bot id '$BOT_ID'"
[[ $(json_get is_published <<<"$out") == true ]] || fail "bot not published"
pass "bot create ($BOT_ID)"

# --- memberships, upgrade, organizations; a successful write does change the dump (so the
# "writes nothing" checks below can see a write)
before=$(dump_hash)
"$BIN" admin enterprise add-member --enterprise "$ENT_ID" --user "$BOB_ID" --role member >/dev/null
[[ $before != "$(dump_hash)" ]] || fail "enterprise add-member did not change the store"
"$BIN" admin workspace add-member --workspace "$WS_ID" --user "$BOB_ID" --role admin >/dev/null
"$BIN" admin workspace remove-member --workspace "$WS_ID" --user "$BOB_ID" >/dev/null
"$BIN" admin enterprise remove-member --enterprise "$ENT_ID" --user "$BOB_ID" >/dev/null
out=$("$BIN" admin enterprise upgrade --enterprise "$ENT_ID" --json)
[[ $(json_get edition <<<"$out") == enterprise ]] || fail "upgrade did not change the edition"
out=$("$BIN" admin org create --enterprise "$ENT_ID" --name Lab --json)
[[ $(json_get enterprise_id <<<"$out") == "$ENT_ID" ]] || fail "org create"
TEAM_ENT_ID=$("$BIN" admin enterprise create --name Beta --owner "$BOB_ID" --json | json_get enterprise_id)
pass "members, upgrade, org create"

# --- SAT: permanent by default
out=$("$BIN" admin sat create --user "$USER_ID" --account "$ORG_ID" --name svc \
  --workspace-permissions chat --workspaces all --json)
[[ $(json_get token <<<"$out") =~ ^sat_[A-Za-z0-9]{64}$ ]] || fail "sat token format"
[[ $(json_get expires_at <<<"$out") == -1 ]] || fail "sat is not permanent by default"
pass "sat create"
python3 -c 'import json,sys; assert any(p["name"]=="chat" for p in json.load(sys.stdin))' \
  <<<"$("$BIN" admin permissions --json)" || fail "permissions lacks chat"
pass "permissions"

# --- PAT: plaintext once, in the pat_ + 64 alphanumerics format, never its hash
out=$("$BIN" admin pat create --user "$USER_ID" --name ci --days 7 \
  --account-permissions createConversation,createMessage --workspace-permissions chat \
  --workspaces "$PERSONAL_WS" --json)
TOKEN=$(json_get token <<<"$out")
TOKEN_ID=$(json_get id <<<"$out")
[[ $TOKEN =~ ^pat_[A-Za-z0-9]{64}$ ]] || fail "token '$TOKEN' is not pat_ + 64 alphanumerics"
if grep -q token_hash <<<"$out"; then fail "pat create printed token_hash"; fi
pass "pat create ($TOKEN_ID)"
# What the store keeps instead of the plaintext (credentials/token.hpp: SHA-256 hex).
TOKEN_HASH=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
grep -q "$TOKEN_HASH" <<<"$(sqlite3 "$DB_FILE" .dump)" || fail "the store does not hold the token's hash"
human=$("$BIN" admin pat create --user "$USER_ID" --name ci2 --days 30 \
  --workspace-permissions chat --workspaces all)
grep -qE 'pat_[A-Za-z0-9]{64}' <<<"$human" || fail "human pat create lacks the token"
grep -qi 'shown once' <<<"$human" || fail "human pat create lacks the shown-once warning"
pass "pat create (human output)"

# --- listing never shows a secret
for args in "--json" "" "--kind pat --json"; do
  # shellcheck disable=SC2086
  listing=$("$BIN" admin token list --user "$USER_ID" $args)
  grep -q "$TOKEN_ID" <<<"$listing" || fail "token list ($args) lacks $TOKEN_ID"
  if grep -q 'pat_' <<<"$listing"; then fail "token list ($args) shows a plaintext"; fi
  if grep -q 'token_hash' <<<"$listing"; then fail "token list ($args) shows token_hash"; fi
  if grep -q "$TOKEN_HASH" <<<"$listing"; then fail "token list ($args) shows the token's hash"; fi
done
pass "token list shows no plaintext and no hash"

# --- revoke
"$BIN" admin token revoke --id "$TOKEN_ID" >/dev/null
status=$("$BIN" admin token list --user "$USER_ID" --json |
  python3 -c 'import json,sys; print([t["status"] for t in json.load(sys.stdin) if t["id"]==sys.argv[1]][0])' "$TOKEN_ID")
[[ $status == revoked ]] || fail "token status after revoke is '$status'"
pass "token revoke"

# --- rejected arguments write nothing
expect_rejected "pat create --days 31" admin pat create --user "$USER_ID" --name x --days 31 \
  --workspace-permissions chat --workspaces all
expect_rejected "pat create --days seven" admin pat create --user "$USER_ID" --name x \
  --days seven --workspace-permissions chat --workspaces all
expect_rejected "pat create with an unknown permission" admin pat create --user "$USER_ID" \
  --name x --days 7 --account-permissions fly
expect_rejected "pat create for an unknown user" admin pat create --user 1000000000000000001 \
  --name x --days 7 --workspace-permissions chat --workspaces all
expect_rejected "pat create without --days" admin pat create --user "$USER_ID" --name x \
  --workspace-permissions chat --workspaces all
expect_rejected "enterprise add-member --role wizard" admin enterprise add-member \
  --enterprise "$ENT_ID" --user "$USER_ID" --role wizard
expect_rejected "workspace add-member --role owner" admin workspace add-member \
  --workspace "$WS_ID" --user "$USER_ID" --role owner
expect_rejected "enterprise create for an unknown owner" admin enterprise create --name X \
  --owner 1000000000000000001
expect_rejected "enterprise create --edition gold" admin enterprise create --name X \
  --owner "$USER_ID" --edition gold
expect_rejected "org create on a team enterprise" admin org create --enterprise "$TEAM_ENT_ID" \
  --name B
expect_rejected "user create with a duplicate email" admin user create --name alice2 \
  --email alice@example.com --password 'correct horse'
expect_rejected "token revoke twice" admin token revoke --id "$TOKEN_ID"
expect_rejected "admin without a subcommand" admin
expect_rejected "an unknown option" admin user list --frobnicate

# --json errors are JSON on stderr
if "$BIN" admin token revoke --id 42 --json 2>"$TMP/err"; then fail "revoking id 42 succeeded"; fi
python3 -c 'import json,sys; assert "error" in json.load(open(sys.argv[1]))' "$TMP/err" \
  || fail "--json error is not JSON"
pass "--json errors are JSON"
# --- an explicit --db beats COZEAUTH_DB (CLI11 2.1 fills every command's --db from the
# environment; an admin command that was not run must not override the one that was)
other=sqlite:$TMP/other.db
grep -q alice@example.com <<<"$(COZEAUTH_DB=$other "$BIN" admin user list --db "sqlite:$DB_FILE")" \
  || fail "admin --db lost to COZEAUTH_DB"
"$BIN" serve --db "$other" --listen 127.0.0.1:0 --data-dir "$TMP/data" 2>"$TMP/serve.err" &
serve_pid=$!
for _ in $(seq 100); do
  if grep -q listening "$TMP/serve.err"; then break; fi
  sleep 0.1
done
kill "$serve_pid"
wait "$serve_pid" || true
grep -q "(store $other)" "$TMP/serve.err" || fail "serve --db lost to COZEAUTH_DB: $(cat "$TMP/serve.err")"
pass "--db beats COZEAUTH_DB for admin and serve"

echo "cli smoke test passed"
