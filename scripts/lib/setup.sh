# Installs what building and testing need and is missing: the wasm32 target, wasm-bindgen-cli at
# the version Cargo.lock pins, Debian's chromium with its languages (tests only) and the npm dev dependencies (among
# them binaryen's wasm-opt: Debian's binaryen 108 corrupts wasm-bindgen's externref table).
# Sourced by scripts/run, scripts/test and scripts/build; every step is skipped when already done.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    apt-get update -qq >&2
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown >&2
  fi
}

# wasm-bindgen's CLI must equal the crate version in Cargo.lock, or the glue it writes will not
# match the WASM. `--locked` fails here (the registry lacks one locked dependency), so it is not used.
ensure_wasm_bindgen() {
  local want have
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$want" ]; then
    say "cargo install wasm-bindgen-cli --version $want (about 7 minutes on 2 cores)"
    cargo install -q wasm-bindgen-cli --version "$want" >&2
  fi
}

# chromium-l10n carries the browser's UI languages: without it chrome.i18n is English only, and
# the popup cannot be tried in the shopper's language.
ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
    || ! dpkg -s chromium-l10n >/dev/null 2>&1; then
    apt_install chromium chromium-driver chromium-l10n
  fi
}

# wrk: the server benchmark's load generator (scripts/bench server).
ensure_wrk() {
  if ! command -v wrk >/dev/null; then
    apt_install wrk
  fi
}

ensure_npm_deps() {
  local stamp="$ROOT/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
    say "npm ci"
    (cd "$ROOT" && npm ci --no-audit --no-fund >&2)
  fi
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_npm_deps
}
