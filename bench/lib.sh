# shellcheck shell=bash disable=SC2034  # sets variables for the scripts that source it
# What the bench scripts share; sourced (`. bench/lib.sh` from the repository's root), never run.
# Each function documents the variables it sets.

# bench_json EXPR: the value at EXPR (a Python subscript, e.g. "['id']") of the JSON on stdin.
bench_json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# bench_release_bin: when $bin is empty, builds the release preset's cozeauth and sets bin to it.
bench_release_bin() {
  if [ -z "${bin:-}" ]; then
    cmake --preset release >/dev/null && cmake --build --preset release --target cozeauth >/dev/null
    bin=./build/release/cozeauth
  fi
}

# bench_user DB: with `$bin admin` on DB, the user "bench". Sets uid and acct (their personal
# account).
bench_user() {
  local user
  user=$($bin admin user create --db "$1" --json --name bench --email bench@example.com --password benchpass1)
  uid=$(echo "$user" | bench_json "['id']"); acct=$(echo "$user" | bench_json "['personal_account_id']")
}

# bench_service_app DB DIR [admin app create options…]: with `$bin admin` on DB, a service app
# in the personal account of the user bench_user made (the options: its permissions), with a
# fresh RSA-2048 key (DIR/key.pem, public half DIR/pub.pem), authorized in that account. Sets
# svc (the app id, the assertions' iss) and kid (the key's id).
bench_service_app() {
  local db=$1 dir=$2; shift 2
  svc=$($bin admin app create --db "$db" --json --owner-account "$acct" --name bench-service \
    --client-type service "$@" | bench_json "['id']")
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/key.pem" 2>/dev/null
  openssl pkey -in "$dir/key.pem" -pubout -out "$dir/pub.pem"
  kid=$($bin admin app key add --db "$db" --json --app "$svc" --public-key-file "$dir/pub.pem" | bench_json "['kid']")
  $bin admin app authorize --db "$db" --app "$svc" --by "$uid" --account "$acct" >/dev/null
}

# bench_listening ERRFILE: waits (up to a minute) for the "listening on http://…" line that
# `cozeauth serve` and bench/peers/listen.js print on stderr, from the process $pid that writes
# ERRFILE. Sets url; on failure prints ERRFILE and returns 1.
bench_listening() {
  url=
  for _ in $(seq 600); do
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$1" | head -n1)
    [ -n "$url" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "did not start:" >&2; cat "$1" >&2; return 1
}

# bench_serve DB DIR [serve options…]: `$bin serve` on 127.0.0.1:0 over DB, access log off, its
# data directory DIR/var and its stderr DIR/serve.err, in the background. Sets pid at once and
# url once it listens; exits 1 when it does not.
bench_serve() {
  local db=$1 dir=$2; shift 2
  COZEAUTH_ADMIN_PASSWORD=unused-bench-pw $bin serve --listen 127.0.0.1:0 --db "$db" \
    --data-dir "$dir/var" --access-log false "$@" 2>"$dir/serve.err" >/dev/null &
  pid=$!
  bench_listening "$dir/serve.err" || exit 1
}

# bench_bot_and_pat DB: with `$bin admin` on DB, a workspace of the user bench_user made, with a
# published bot, and a PAT of theirs with getMetadata in every workspace. Sets wid, bid, pat.
bench_bot_and_pat() {
  local db=$1
  wid=$($bin admin workspace create --db "$db" --json --account "$acct" --owner "$uid" --name bench | bench_json "['id']")
  bid=$($bin admin bot create --db "$db" --json --workspace "$wid" --name bench --prompt hi --publish | bench_json "['id']")
  pat=$($bin admin pat create --db "$db" --json --user "$uid" --name bench --days 1 \
    --workspace-permissions getMetadata --workspaces all | bench_json "['token']")
}
