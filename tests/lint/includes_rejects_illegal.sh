#!/usr/bin/env bash
# The include check must fail when a boundary is crossed: copies src/ and docs/ of the checkout
# given as $1 into a temporary tree, adds one illegal include at a time, and expects
# scripts/check-includes to exit 1 naming the file and the arrow (or 2 for a module the table
# omits). The unmodified copy must pass, so a failure below is the injected include's doing.
set -euo pipefail
repo=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check="python3 $repo/scripts/check-includes"

fresh() {
  rm -rf "$work/tree" && mkdir -p "$work/tree"
  cp -r "$repo/src" "$repo/docs" "$work/tree/"
}

expect_fail() {  # expect_fail STATUS PATTERN DESCRIPTION
  local out status=0
  out=$($check "$work/tree" 2>&1) || status=$?
  if [ "$status" != "$1" ] || ! grep -qF -- "$2" <<<"$out"; then
    echo "FAIL: $3: exit $status, output:"; echo "$out"; exit 1
  fi
  echo "ok: $3"
}

fresh
$check "$work/tree" >/dev/null || { echo "FAIL: the unmodified tree does not pass"; exit 1; }

# The pure decision reaching up into the API layer.
fresh
sed -i '0,/^#include "policy\//s//#include "api\/deps.hpp"\n&/' "$work/tree/src/policy/decision.cpp"
expect_fail 1 'src/policy/decision.cpp' 'policy → api'
expect_fail 1 'policy → api (api/deps.hpp)' 'policy → api names the arrow'

# One of the two arrows issue 9 removed: admin → observe.
fresh
printf '#include "observe/metrics.hpp"\n' >>"$work/tree/src/admin/operations.cpp"
expect_fail 1 'admin → observe' 'admin → observe'

# The synchronous core reaching Beast.
fresh
printf '#include <boost/beast/http.hpp>\n' >>"$work/tree/src/store/store.hpp"
expect_fail 1 'store includes boost/beast/http.hpp' 'store → Beast'

# A module the table does not describe.
fresh
mkdir -p "$work/tree/src/rogue" && printf '#include "api/deps.hpp"\n' >"$work/tree/src/rogue/rogue.cpp"
expect_fail 2 'lists no arrows for: rogue' 'a module missing from the table'
