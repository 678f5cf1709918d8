#!/usr/bin/env bash
# Build the engine for the browser into www/pkg (generated, gitignored):
#   cargo (release, wasm32) -> wasm-bindgen --target web -> wasm-opt -O3 (speed;
#   see the release profile in Cargo.toml)
# Expects the tools from scripts/setup.sh; prints the sizes at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target_dir=${CARGO_TARGET_DIR:-target}
wasm_in="$target_dir/wasm32-unknown-unknown/release/review_lab.wasm"
out=www/pkg
wasm_opt=node_modules/.bin/wasm-opt

[ -x "$wasm_opt" ] || { echo "build.sh: $wasm_opt missing; run bash scripts/setup.sh" >&2; exit 1; }

echo "[build] cargo build --release --target wasm32-unknown-unknown"
cargo build --release --target wasm32-unknown-unknown

# wasm-bindgen, then wasm-opt. wasm-opt also reads the target_features section
# rustc writes; the flags name the post-MVP features rustc's wasm32 target uses by
# default, so the build does not depend on that section surviving wasm-bindgen.
bindgen_and_opt() {
  local dir=$1
  echo "[build] wasm-bindgen --target web --out-dir $dir"
  wasm-bindgen --target web --out-dir "$dir" "$wasm_in"
  echo "[build] wasm-opt -O3 ($dir)"
  "$wasm_opt" -O3 \
    --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals \
    "$dir/review_lab_bg.wasm" -o "$dir/review_lab_bg.opt.wasm"
  mv "$dir/review_lab_bg.opt.wasm" "$dir/review_lab_bg.wasm"
}

rm -rf "$out"
bindgen_and_opt "$out"

# The credit engine alone (no dialogue, text matching or quizzes) for pages and
# widgets that need only the rules: less than half the download.
echo "[build] cargo build --release --target wasm32-unknown-unknown --no-default-features (credit only)"
cargo build --release --target wasm32-unknown-unknown --no-default-features --lib
bindgen_and_opt "$out/credit"

# The rules and the dialogue trainer, without quizzes, for the dialogue page.
echo "[build] cargo build --release --target wasm32-unknown-unknown --no-default-features --features dialogue"
cargo build --release --target wasm32-unknown-unknown --no-default-features --features dialogue --lib
bindgen_and_opt "$out/dialogue"

# The site reads rule sets, presets, scenarios and question banks as files:
# data/ is the one source, published into www/data (generated, gitignored).
echo "[build] data/ -> www/data"
rm -rf www/data
cp -r data www/data

gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
echo "[build] done: $out"
printf '  %-28s %9s %9s\n' file bytes gzip-9
for f in "$out"/review_lab_bg.wasm "$out"/review_lab.js "$out"/*/review_lab_bg.wasm "$out"/*/review_lab.js; do
  printf '  %-28s %9s %9s\n' "${f#"$out"/}" "$(wc -c <"$f" | tr -d ' ')" "$(gz "$f")"
done
