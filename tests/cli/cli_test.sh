#!/usr/bin/env bash
# Smoke test of `cozeauth admin …` against a throwaway SQLite store: the happy path of every
# noun an operator script needs (user, enterprise, workspace, bot, PAT, OAuth app), that listings
# never show a secret, and that rejected arguments exit non-zero and leave the store untouched.
# Usage: cli_test.sh PATH/TO/cozeauth (needs sqlite3, python3 and openssl)
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

# --- OAuth apps (docs/cli.md "OAuth apps"): one app of each client type
APP_POINTS=(--account-permissions createConversation,listMessage --workspace-permissions chat,listBot)
out=$("$BIN" admin app create --owner-account "$USER_ID" --name svc-app --client-type service \
  "${APP_POINTS[@]}" --json)
SVC_APP=$(json_get id <<<"$out")
[[ $SVC_APP =~ ^[0-9]{19}$ ]] || fail "service app id '$SVC_APP'"
[[ $(json_get client_id <<<"$out") == "$SVC_APP" ]] || fail "a service app's client_id is not its id"
[[ $(json_get client_type <<<"$out") == service ]] || fail "service app client_type"
[[ $(json_get owner_user_id <<<"$out") == "$USER_ID" ]] || fail "--owner does not default to the personal account's user"
[[ $(json_get status <<<"$out") == active ]] || fail "new app is not active"
out=$("$BIN" admin app create --owner-account "$USER_ID" --owner "$USER_ID" --name web-app \
  --client-type web --redirect-uri http://localhost:8080/callback \
  --redirect-uri https://app.example.com/cb "${APP_POINTS[@]}" --json)
WEB_APP=$(json_get id <<<"$out")
WEB_CLIENT_ID=$(json_get client_id <<<"$out")
[[ $WEB_CLIENT_ID =~ ^[0-9]{32}\.app\.coze$ ]] || fail "web client_id '$WEB_CLIENT_ID'"
python3 -c 'import json,sys; assert json.load(sys.stdin)["redirect_uris"]==["http://localhost:8080/callback","https://app.example.com/cb"]' \
  <<<"$out" || fail "web app redirect_uris"
out=$("$BIN" admin app create --owner-account "$USER_ID" --name pkce-app --client-type pkce \
  --redirect-uri http://127.0.0.1:3000/cb --account-permissions listMessage --json)
PKCE_APP=$(json_get id <<<"$out")
[[ $(json_get client_type <<<"$out") == pkce ]] || fail "pkce app client_type"
DEVICE_APP=$("$BIN" admin app create --owner-account "$USER_ID" --name device-app \
  --client-type device --workspace-permissions chat --description 'A CLI' --json | json_get id)
human=$("$BIN" admin app create --owner-account "$ORG_ID" --owner "$USER_ID" --name org-app \
  --client-type service --app-type connector --workspace-permissions chat)
grep -q 'created app' <<<"$human" || fail "human app create: $human"
pass "app create: service, web, pkce, device, organization connector"
listing=$("$BIN" admin app list --account "$USER_ID" --json)
for id in "$SVC_APP" "$WEB_APP" "$PKCE_APP" "$DEVICE_APP"; do
  grep -q "$id" <<<"$listing" || fail "app list lacks $id"
done
grep -q org-app <<<"$("$BIN" admin app list --account "$ORG_ID")" || fail "app list (org) lacks org-app"
pass "app list"

# --- public keys: the kid is base64url(SHA-256(DER SubjectPublicKeyInfo))
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/private.pem" 2>/dev/null
openssl pkey -in "$TMP/private.pem" -pubout -out "$TMP/public.pem"
out=$("$BIN" admin app key add --app "$SVC_APP" --public-key-file "$TMP/public.pem" --json)
KID=$(json_get kid <<<"$out")
expected_kid=$(openssl pkey -pubin -in "$TMP/public.pem" -outform DER |
  openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\n')
[[ $KID == "$expected_kid" ]] || fail "kid '$KID' is not the key's fingerprint '$expected_kid'"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/private2.pem" 2>/dev/null
openssl pkey -in "$TMP/private2.pem" -pubout -out "$TMP/public2.pem"
human=$("$BIN" admin app key add --app "$SVC_APP" --public-key-file "$TMP/public2.pem")
KID2=$(sed -n 's/^kid: //p' <<<"$human")
[[ -n $KID2 && $KID2 != "$KID" ]] || fail "human key add does not print the kid: $human"
"$BIN" admin app key delete --app "$SVC_APP" --kid "$KID2" >/dev/null
keys=$("$BIN" admin app get --app "$SVC_APP" --json |
  python3 -c 'import json,sys; print(",".join(k["kid"] for k in json.load(sys.stdin)["public_keys"]))')
[[ $keys == "$KID" ]] || fail "public keys after delete: '$keys'"
pass "app key add|delete ($KID)"

# --- client secrets: the plaintext once, then only its mask
out=$("$BIN" admin app secret create --app "$WEB_APP" --json)
SECRET=$(json_get secret <<<"$out")
SECRET_ID=$(json_get id <<<"$out")
MASK=$(json_get mask <<<"$out")
[[ ${#SECRET} -ge 32 ]] || fail "client secret '$SECRET' is too short"
[[ $MASK != *"$SECRET"* ]] || fail "the mask is the secret"
if grep -q secret_hash <<<"$out"; then fail "secret create printed secret_hash"; fi
SECRET_HASH=$(printf %s "$SECRET" | sha256sum | cut -d' ' -f1)
grep -q "$SECRET_HASH" <<<"$(sqlite3 "$DB_FILE" .dump)" || fail "the store does not hold the secret's hash"
for args in "--json" ""; do
  # shellcheck disable=SC2086
  shown=$("$BIN" admin app get --app "$WEB_APP" $args)
  grep -qF -- "$MASK" <<<"$shown" || fail "app get ($args) lacks the mask"
  if grep -qF -- "$SECRET" <<<"$shown"; then fail "app get ($args) shows the secret"; fi
  if grep -q "$SECRET_HASH" <<<"$shown"; then fail "app get ($args) shows the secret's hash"; fi
done
if grep -qF -- "$SECRET" <<<"$("$BIN" admin app list --account "$USER_ID" --json)"; then
  fail "app list shows the secret"
fi
human=$("$BIN" admin app secret create --app "$WEB_APP")
grep -qi 'shown once' <<<"$human" || fail "human secret create lacks the shown-once warning"
SECRET2_ID=$(sed -n 's/^id: *//p' <<<"$human")
"$BIN" admin app secret delete --app "$WEB_APP" --id "$SECRET2_ID" >/dev/null
count=$("$BIN" admin app get --app "$WEB_APP" --json |
  python3 -c 'import json,sys; print(len(json.load(sys.stdin)["client_secrets"]))')
[[ $count == 1 ]] || fail "client secrets after delete: $count"
pass "app secret create|delete: plaintext once, then only the mask ($MASK)"

# --- authorize (AppAuth), install (OBO), installations, revoke
out=$("$BIN" admin app authorize --app "$SVC_APP" --by "$USER_ID" --account "$USER_ID" --json)
AUTH_ID=$(json_get id <<<"$out")
[[ $(json_get kind <<<"$out") == app ]] || fail "service app authorization kind"
[[ $(json_get account_id <<<"$out") == "$USER_ID" ]] || fail "authorization account_id"
python3 -c 'import json,sys; g=json.load(sys.stdin)["grant"]; assert g["account_permissions"]==["createConversation","listMessage"] and sorted(g["workspace_permissions"])==["chat","listBot"] and g["all_workspaces"], g' \
  <<<"$out" || fail "omitted permissions are not all declared points"
out=$("$BIN" admin app authorize --app "$SVC_APP" --by "$USER_ID" --account "$USER_ID" \
  --account-permissions listMessage --workspace-permissions chat --workspaces "$PERSONAL_WS" --json)
AUTH2_ID=$(json_get id <<<"$out")
python3 -c 'import json,sys; g=json.load(sys.stdin)["grant"]; assert g["account_permissions"]==["listMessage"] and g["workspace_ids"]==[sys.argv[1]] and not g["all_workspaces"], g' \
  "$PERSONAL_WS" <<<"$out" || fail "narrowed authorization grant"
statuses=$("$BIN" admin app get --app "$SVC_APP" --json |
  python3 -c 'import json,sys; print(" ".join(a["id"]+"="+a["status"] for a in json.load(sys.stdin)["authorizations"]))')
[[ $statuses == "$AUTH_ID=revoked $AUTH2_ID=active" ]] || fail "re-authorizing did not replace: $statuses"
ORG_AUTH=$("$BIN" admin app authorize --app "$SVC_APP" --by "$USER_ID" --account "$ORG_ID" \
  --kind app --json | json_get id)
out=$("$BIN" admin app authorize --app "$WEB_APP" --by "$USER_ID" --enterprise "$ENT_ID" --json)
OBO_ID=$(json_get id <<<"$out")
[[ $(json_get kind <<<"$out") == obo ]] || fail "a web app's default kind is not obo"
[[ $(json_get enterprise_id <<<"$out") == "$ENT_ID" ]] || fail "installation enterprise_id"
installs=$("$BIN" admin app installations --enterprise "$ENT_ID" --json)
python3 -c 'import json,sys
rows={r["id"]:r for r in json.load(sys.stdin)}
assert rows[sys.argv[1]]["app_name"]=="web-app" and rows[sys.argv[1]]["kind"]=="obo", rows
assert rows[sys.argv[2]]["app_name"]=="svc-app" and rows[sys.argv[2]]["kind"]=="app", rows' \
  "$OBO_ID" "$ORG_AUTH" <<<"$installs" || fail "installations: $installs"
grep -q web-app <<<"$("$BIN" admin app installations --enterprise "$ENT_ID")" || fail "human installations"
out=$("$BIN" admin app revoke --authorization "$OBO_ID" --json)
[[ $(json_get status <<<"$out") == revoked ]] || fail "revoke did not revoke"
if grep -q "$OBO_ID" <<<"$("$BIN" admin app installations --enterprise "$ENT_ID" --json)"; then
  fail "a revoked installation is still listed"
fi
pass "app authorize (app, obo), installations, revoke"

# --- disable, enable, delete
[[ $("$BIN" admin app disable --app "$PKCE_APP" --json | json_get status) == disabled ]] || fail "disable"
[[ $("$BIN" admin app enable --app "$PKCE_APP" --json | json_get status) == active ]] || fail "enable"
[[ $("$BIN" admin app delete --app "$DEVICE_APP" --json | json_get status) == deleted ]] || fail "delete"
if grep -q "$DEVICE_APP" <<<"$("$BIN" admin app list --account "$USER_ID" --json)"; then
  fail "a deleted app is still listed"
fi
pass "app disable|enable|delete"

# --- export-config: the SDKs' JSON config
cfg=$("$BIN" admin app export-config --app "$WEB_APP" --api-base http://127.0.0.1:8080 --secret "$SECRET")
python3 -c 'import json,sys; c=json.load(sys.stdin); assert c=={"client_type":"web","client_id":sys.argv[1],"client_secret":sys.argv[2],"coze_api_base":"http://127.0.0.1:8080","coze_www_base":"http://127.0.0.1:8080"}, c' \
  "$WEB_CLIENT_ID" "$SECRET" <<<"$cfg" || fail "web config: $cfg"
cfg=$("$BIN" admin app export-config --app "$PKCE_APP" --api-base http://127.0.0.1:8080/ \
  --www-base http://127.0.0.1:3000)
python3 -c 'import json,sys; c=json.load(sys.stdin); assert c["client_type"]=="pkce" and "client_secret" not in c and c["coze_api_base"]=="http://127.0.0.1:8080" and c["coze_www_base"]=="http://127.0.0.1:3000", c' \
  <<<"$cfg" || fail "pkce config: $cfg"
"$BIN" admin app export-config --app "$SVC_APP" --api-base http://127.0.0.1:8080 \
  --private-key-file "$TMP/private.pem" --out "$TMP/jwt.json" >/dev/null
python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); assert c["client_type"]=="jwt" and c["client_id"]==sys.argv[2] and c["public_key_id"]==sys.argv[3] and c["private_key"]==open(sys.argv[4]).read(), c' \
  "$TMP/jwt.json" "$SVC_APP" "$KID" "$TMP/private.pem" || fail "jwt config: $(cat "$TMP/jwt.json")"
[[ $(stat -c %a "$TMP/jwt.json") == 600 ]] || fail "the config file is not mode 600"
pass "app export-config (web, pkce, jwt)"

# --- OAuth app arguments that are rejected and write nothing
expect_rejected "app create --client-type spa" admin app create --owner-account "$USER_ID" \
  --name x --client-type spa --account-permissions listMessage
expect_rejected "app create --app-type gold" admin app create --owner-account "$USER_ID" \
  --name x --client-type service --app-type gold --account-permissions listMessage
expect_rejected "web app create without --redirect-uri" admin app create \
  --owner-account "$USER_ID" --name x --client-type web --account-permissions listMessage
expect_rejected "app create with 4 redirect URIs" admin app create --owner-account "$USER_ID" \
  --name x --client-type web --account-permissions listMessage --redirect-uri http://a/1 \
  --redirect-uri http://a/2 --redirect-uri http://a/3 --redirect-uri http://a/4
expect_rejected "app create with an unknown permission" admin app create \
  --owner-account "$USER_ID" --name x --client-type service --account-permissions fly
expect_rejected "app create without permissions" admin app create --owner-account "$USER_ID" \
  --name x --client-type service
expect_rejected "app create in an organization without --owner" admin app create \
  --owner-account "$ORG_ID" --name x --client-type service --account-permissions listMessage
expect_rejected "app create in another user's account" admin app create \
  --owner-account "$USER_ID" --owner "$BOB_ID" --name x --client-type service \
  --account-permissions listMessage
expect_rejected "app secret create on a service app" admin app secret create --app "$SVC_APP"
expect_rejected "app key add with a private key" admin app key add --app "$SVC_APP" \
  --public-key-file "$TMP/private.pem"
expect_rejected "app key add with a missing file" admin app key add --app "$SVC_APP" \
  --public-key-file "$TMP/nope.pem"
expect_rejected "app key add on a web app" admin app key add --app "$WEB_APP" \
  --public-key-file "$TMP/public2.pem"
expect_rejected "app authorize with --account and --enterprise" admin app authorize \
  --app "$SVC_APP" --by "$USER_ID" --account "$USER_ID" --enterprise "$ENT_ID"
expect_rejected "app authorize --kind magic" admin app authorize --app "$SVC_APP" \
  --by "$USER_ID" --account "$USER_ID" --kind magic
expect_rejected "app authorize --kind obo on a service app" admin app authorize \
  --app "$SVC_APP" --by "$USER_ID" --enterprise "$ENT_ID" --kind obo
expect_rejected "app authorize by another user" admin app authorize --app "$SVC_APP" \
  --by "$BOB_ID" --account "$USER_ID"
expect_rejected "app authorize with an undeclared point" admin app authorize --app "$SVC_APP" \
  --by "$USER_ID" --account "$USER_ID" --account-permissions uploadFile
expect_rejected "app revoke twice" admin app revoke --authorization "$OBO_ID"
expect_rejected "app enable of a deleted app" admin app enable --app "$DEVICE_APP"
expect_rejected "app get of an unknown app" admin app get --app 1000000000000000001
expect_rejected "app export-config with a wrong secret" admin app export-config --app "$WEB_APP" \
  --api-base http://127.0.0.1:8080 --secret wrong --out "$TMP/bad.json"
expect_rejected "app export-config --api-base ftp://x" admin app export-config --app "$WEB_APP" \
  --api-base ftp://x --out "$TMP/bad.json"
expect_rejected "app export-config with an unregistered private key" admin app export-config \
  --app "$SVC_APP" --api-base http://127.0.0.1:8080 --private-key-file "$TMP/private2.pem" \
  --out "$TMP/bad.json"
[[ ! -e $TMP/bad.json ]] || fail "a rejected export-config wrote its --out file"

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

# --- store copy (SQLite -> SQLite here; both directions with PostgreSQL: copy_store_tests)
copy_db=$TMP/copy.db
out=$("$BIN" store copy --from "sqlite:$DB_FILE" --to "sqlite:$copy_db" --json) \
  || fail "store copy exited non-zero: $out"
[[ $(json_get matches <<<"$out") == true ]] || fail "store copy: counts or checksums differ: $out"
python3 -c 'import json,sys
r=json.loads(sys.argv[1])
bad=[t["table"] for t in r["tables"] if not t["matches"] or t["source_rows"]!=t["target_rows"]]
assert not bad, bad
assert any(t["table"]=="tokens" and t["target_rows"]>0 for t in r["tables"])' "$out" \
  || fail "store copy report: $out"
[[ $("$BIN" admin user list --db "sqlite:$DB_FILE") == $("$BIN" admin user list --db "sqlite:$copy_db") ]] \
  || fail "store copy: the copy lists other users"
before=$(sqlite3 "$copy_db" .dump | sha256sum)
if "$BIN" store copy --from "sqlite:$DB_FILE" --to "sqlite:$copy_db" 2>"$TMP/err"; then
  fail "store copy into a non-empty store exited 0"
fi
grep -q "already holds data" "$TMP/err" || fail "store copy: unexpected refusal: $(cat "$TMP/err")"
[[ $before == "$(sqlite3 "$copy_db" .dump | sha256sum)" ]] || fail "store copy: refused target changed"
pass "store copy copies every table and refuses a non-empty target"

echo "cli smoke test passed"
