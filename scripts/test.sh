#!/usr/bin/env bash
# The second command: install what the tests need, then run every check in order,
# stopping at the first failure. Runs unattended (CI=true, no stdin, as root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }

# Test output is also kept in a log, to add up the counts for the closing line.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
counted() { "$@" 2>&1 | tee -a "$log"; }

step "setup (toolchain, wasm-bindgen CLI, npm packages, Chromium + CJK fonts)"
bash scripts/setup.sh --browser

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

step "cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings"
cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

step "cargo test (native: unit, integration and doc tests)"
counted cargo test

# --tests: unit and integration tests, without doc tests. Cargo now builds doc
# tests for wasm too, but wasm-bindgen-test-runner reports them as passed without
# running their assertions (a doctest asserting 1 + 1 == 3 "passes"), so they
# count only natively, above.
step "cargo test --target wasm32-unknown-unknown --tests (headless Chromium)"
CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} \
  counted cargo test --target wasm32-unknown-unknown --tests

step "data files against their JSON Schemas, rules text from the data (node --test tests/data/)"
counted node --test tests/data/

step "build (wasm-bindgen + wasm-opt) into www/pkg"
bash scripts/build.sh

step "end-to-end tests in headless Chromium (node --test tests/e2e/)"
counted node --test tests/e2e/

step "size report (every page, every response, gzip -9)"
node scripts/size-report.mjs

# One closing line for every test run above: cargo's "test result:" lines (native
# and in Chromium) and node's "# pass" / "# fail" totals.
summary=$(awk '
  /^test result: / { for (i = 1; i < NF; i++) {
      if ($(i + 1) ~ /^passed/) pass += $i
      if ($(i + 1) ~ /^failed/) fail += $i } }
  /^# pass [0-9]+$/ { pass += $3 }
  /^# fail [0-9]+$/ { fail += $3 }
  END { printf "%d passed, %d failed", pass, fail }' "$log")
if [ "${summary%% *}" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
printf '\ntests: %s\n' "$summary"
