#!/usr/bin/env bash
# Sets up the machine and runs every check and test: the front-end's lint, format, types,
# unit tests and build; Rust formatting, lints, the unit tests, the end-to-end tests (real
# binaries on real store files) and the desktop app's window tests (under Xvfb). Safe to run
# twice. CI runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
# A private PostgreSQL for the PostgreSQL backend's tests (FIELDBOOK_TEST_DATABASE_URL).
source scripts/postgres.sh
pg_start

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
# A test that hangs must fail the run, not eat CI's 90 minutes: the step has a deadline
# (FIELDBOOK_TEST_MINUTES, default 50; a quiet two-core machine needs about 20).
timeout -k 30 "$(( ${FIELDBOOK_TEST_MINUTES:-50} * 60 ))" \
    xvfb-run -a -s "-screen 0 1920x1200x24" cargo test --workspace --locked --no-fail-fast 2>&1 | tee -a "$log"
step "the OS keyring (store keys in gnome-keyring's Secret Service, a private D-Bus session)"
# The keyring tests (library, command line, app window) again, now where a keyring answers:
# FIELDBOOK_TEST_KEYRING=1 makes a missing one a failure. A throwaway HOME keeps the
# keyring's files out of yours (setup.sh put tauri-driver on the PATH).
keyring_home="$(mktemp -d)"
cargo_home="${CARGO_HOME:-$HOME/.cargo}"; rustup_home="${RUSTUP_HOME:-$HOME/.rustup}"
HOME="$keyring_home" CARGO_HOME="$cargo_home" RUSTUP_HOME="$rustup_home" FIELDBOOK_TEST_KEYRING=1 \
    timeout -k 30 900 dbus-run-session -- bash -c '
    echo -n fieldbook-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    cargo test -p fieldbook-client --locked --test library -- keyring &&
    cargo test -p fieldbook-tests --locked --test e2e -- keyring &&
    xvfb-run -a -s "-screen 0 1920x1200x24" cargo test -p fieldbook-tests --locked --test window -- keyring' 2>&1 | tee -a "$log"
rm -rf "$keyring_home"

step "fuzzing (every target, ${FIELDBOOK_FUZZ_SECONDS:-15} s each, from the committed seeds)"
FIELDBOOK_FUZZ_SECONDS="${FIELDBOOK_FUZZ_SECONDS:-15}" scripts/fuzz.sh

step ""
# One closing line for the whole run, vitest's and cargo's tests together (cargo prints one
# line per test binary, the last often a doc-test binary with nothing in it).
awk '/^test result:|^ +Tests +[0-9]/ { for (i = 1; i <= NF; i++) { if ($i ~ /^passed;?$/) p += $(i-1); if ($i ~ /^failed;?$/) f += $(i-1) } }
     END { printf "\n%d passed, %d failed\n", p, f }' "$log"
