#!/usr/bin/env bash
# Sets up the machine and runs every check and test: the front-end's lint, format, types,
# unit tests and build; Rust formatting, lints, the unit tests, the end-to-end tests (real
# binaries on real store files) and the desktop app's window tests (under Xvfb). Safe to run
# twice. CI runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# Each step says how long the one before it took.
last=""; started=$SECONDS
step() {
    [ -z "$last" ] || printf '   (%s: %ds)\n' "$last" $((SECONDS - started)) >&2
    last="$*"; started=$SECONDS
    [ -z "$*" ] || printf '\n== %s\n' "$*" >&2
}

step "front-end: lint and format (Biome)"
(cd ui && npx --no-install biome ci --colors=off --reporter=summary .)

step "front-end: types (tsc --noEmit)"
(cd ui && npm run --silent typecheck)

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

step "front-end: unit tests (vitest)"
(cd ui && NO_COLOR=1 npx --no-install vitest run) 2>&1 | tee "$log"

step "front-end: build (the app embeds ui/dist)"
(cd ui && npx --no-install vite build --logLevel warn)

step "format"
cargo fmt --all --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "build (the end-to-end tests drive these binaries, the desktop app among them)"
cargo build --workspace --bins --locked

step "tests (the window tests drive the app under Xvfb; screenshots in ${FIELDBOOK_SCREENSHOTS:-$CARGO_TARGET_DIR/screenshots})"
xvfb-run -a -s "-screen 0 1920x1200x24" cargo test --workspace --locked --no-fail-fast 2>&1 | tee -a "$log"
step ""
# One closing line for the whole run, vitest's and cargo's tests together (cargo prints one
# line per test binary, the last often a doc-test binary with nothing in it).
awk '/^test result:|^ +Tests +[0-9]/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed;?$/) p += $(i-1); if ($i ~ /^failed;?$/) f += $(i-1) } }
     END { printf "\n%d passed, %d failed\n", p, f }' "$log"
