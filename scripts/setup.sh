#!/usr/bin/env bash
# Install whatever the build needs and is missing; safe to run again and again.
#
#   bash scripts/setup.sh            wasm target, wasm-bindgen CLI, npm devDependencies
#   bash scripts/setup.sh --browser  also Chromium, ChromeDriver and CJK fonts (apt)
#
# Works unattended (CI=true, no stdin). Needs the Rust toolchain (rustup, cargo)
# and Node.js >= 20 with npm, which the project's machines come with.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) browser=1 ;;
    *) echo "setup.sh: unknown option: $arg" >&2; exit 2 ;;
  esac
done

say() { printf '[setup] %s\n' "$*"; }

# apt-get as root, or through sudo when there is one.
apt_get() {
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get "$@"
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get "$@"
  fi
}

apt_updated=0
apt_install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  if [ "$apt_updated" -eq 0 ]; then
    apt_get update -q
    apt_updated=1
  fi
  apt_get install -y -q "${missing[@]}" </dev/null
}

# --- Rust: the wasm target, rustfmt and clippy ---------------------------------
command -v cargo >/dev/null || { echo "setup.sh: cargo not found; install Rust with rustup first" >&2; exit 1; }
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "rustup component add $component"
    rustup component add "$component"
  fi
done

# --- wasm-bindgen CLI, at exactly the version Cargo.toml pins ------------------
# The CLI and the library must agree to the patch version, so it is read from the
# `wasm-bindgen = "=X.Y.Z"` line rather than written here a second time.
wb_version=$(sed -nE 's/^wasm-bindgen[[:space:]]*=[[:space:]]*"=([0-9.]+)".*/\1/p' Cargo.toml | head -n 1)
if [ -z "$wb_version" ]; then
  echo "setup.sh: Cargo.toml must pin wasm-bindgen with '=' (wasm-bindgen = \"=X.Y.Z\")" >&2
  exit 1
fi
have_wb=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_wb" != "$wb_version" ] || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "cargo install wasm-bindgen-cli --version $wb_version (takes a few minutes)"
  # No --locked: the CLI's own lock file asks for versions this registry lacks.
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# --- Node.js and the npm devDependencies ----------------------------------------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install_missing nodejs npm
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup.sh: Node.js >= 20 is needed (found $(node --version))" >&2
  exit 1
fi
# npm ci only when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || [ package.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund </dev/null
fi

# --- Browser for the tests: headless Chromium, its driver, Chinese fonts ------
if [ "$browser" -eq 1 ]; then
  apt_install_missing chromium chromium-driver fonts-noto-cjk
fi

say "ready: $(rustc --version), wasm-bindgen $wb_version, node $(node --version)"
