#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of cozeauth on Debian 12 (bookworm).
# Idempotent: packages already present are skipped by apt-get; npm tooling is installed into
# tests/compat/node_modules and tests/browser/node_modules from their lockfiles (`npm ci`).
# Shared by scripts/serve and scripts/test. The browser test uses Debian's chromium (never a
# browser downloaded by npm: it depends on playwright-core, which downloads none).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

build_pkgs=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsodium-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev
  libcli11-dev libtomlplusplus-dev libspdlog-dev libfmt-dev
)
test_pkgs=(
  libgtest-dev libgmock-dev libbenchmark-dev wrk sqlite3 nodejs npm curl ca-certificates
  python3 openssl      # tests/cli/cli_test.sh
  chromium fonts-dejavu-core fonts-wqy-microhei  # tests/browser (headless; the fonts keep
  # screenshots legible, the second for the zh-CN pages)
  clang libclang-rt-14-dev    # scripts/fuzz: libFuzzer and the sanitizer runtimes of Debian's clang
  clang-format                # scripts/check-format (ctest lint.format)
  postgresql                  # server binaries (initdb, pg_ctl) for tests/support/pg_cluster.hpp
  haproxy                     # tests/scale/node_kill.sh: the load balancer in front of 3 nodes (2.6)
)

want=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs/npm may come from outside Debian's archive on some images; accept any working node+npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do case "$p" in nodejs|npm) ;; *) tmp+=("$p");; esac; done
  missing=("${tmp[@]}")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--test" ]; then
  for dir in tests/compat tests/browser; do
    [ -f "$here/$dir/package.json" ] || continue
    (cd "$here/$dir" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)
  done
fi
