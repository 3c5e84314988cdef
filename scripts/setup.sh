#!/usr/bin/env bash
# Installs what building and testing Fieldbook needs on a fresh Debian machine. Safe to run
# twice: it installs only what is missing. Sourced by start.sh and test.sh.
set -euo pipefail

# Debian packages: a C toolchain for the -sys crates; WebKitGTK and friends for the desktop
# app (Tauri 2); Xvfb, WebKitWebDriver, CJK fonts and a D-Bus daemon for the tests that drive
# its window; gnome-keyring, the Secret Service the keyring tests keep store keys in;
# Chromium for the test that drives the managers' web page (tests/web); PostgreSQL, which the
# tests of the PostgreSQL backend start a private server of (scripts/postgres.sh).
need_apt=()
command -v cc >/dev/null 2>&1 || need_apt+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
for pkg in libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev \
    xvfb xauth webkit2gtk-driver fonts-noto-cjk dbus gnome-keyring chromium postgresql; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
if ((${#need_apt[@]})); then
    echo "setup: installing ${need_apt[*]} (apt)" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
    echo "setup: Rust is missing. Install rustup (https://rustup.rs), then rerun this script;" >&2
    echo "       rust-toolchain.toml selects the toolchain." >&2
    exit 1
fi
# The toolchain named in rust-toolchain.toml, with rustfmt and clippy.
rustup component add rustfmt clippy >/dev/null 2>&1 || true

# One target directory outside the clone, reused between runs and clones on this machine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/fieldbook/target}"
mkdir -p "$CARGO_TARGET_DIR"
# Each changed build leaves its old artifacts behind and cargo never collects them: a target
# dir reused for weeks fills the disk (a CI run once died of it). When it holds more than
# 16 GiB, or the disk has less than 6 GiB free, the incremental caches go first (the largest
# part, and only the workspace's own crates are rebuilt without them); if that is not
# enough, the whole build starts afresh (a cold build is minutes).
target_kib() { du -sk "$CARGO_TARGET_DIR" 2>/dev/null | cut -f1; }
free_kib() { df -Pk "$CARGO_TARGET_DIR" | awk 'NR == 2 { print $4 }'; }
too_big() { (($(target_kib) > 16 * 1024 * 1024 || $(free_kib) < 6 * 1024 * 1024)); }
if too_big; then
    echo "setup: $CARGO_TARGET_DIR holds $(($(target_kib) / 1024)) MiB with $(($(free_kib) / 1024)) MiB free: dropping its incremental caches" >&2
    rm -rf "${CARGO_TARGET_DIR:?}"/*/incremental
    if too_big; then
        echo "setup: still $(($(target_kib) / 1024)) MiB with $(($(free_kib) / 1024)) MiB free: emptying it" >&2
        rm -rf "${CARGO_TARGET_DIR:?}/debug" "${CARGO_TARGET_DIR:?}/release"
    fi
fi

# Node.js for the front-end (ui/): Vite 8 needs 20.19 or newer.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "setup: Node.js (20.19 or newer) and npm are missing: install them (https://nodejs.org)," >&2
    echo "       then rerun this script." >&2
    exit 1
fi
node_version="$(node --version)"
node_major="${node_version#v}"; node_major="${node_major%%.*}"
node_minor="${node_version#v*.}"; node_minor="${node_minor%%.*}"
if ((node_major < 20 || (node_major == 20 && node_minor < 19))); then
    echo "setup: Node.js $node_version is too old for the front-end: install 20.19 or newer." >&2
    exit 1
fi

# The front-end's packages, exactly as ui/package-lock.json lists them; again only when the
# lock file changed since the last install.
ui_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../ui" && pwd)"
lock_sum="$(sha256sum "$ui_dir/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$ui_dir/node_modules/.fieldbook-lock" 2>/dev/null)" != "$lock_sum" ]; then
    echo "setup: installing the front-end's npm packages (npm ci in ui/)" >&2
    (cd "$ui_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$lock_sum" >"$ui_dir/node_modules/.fieldbook-lock"
fi

# The JavaScript Automerge library the export test reads `.automerge` files with
# (tests/automerge-js), exactly as its lock file lists it; again only when the lock changed.
am_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/automerge-js" && pwd)"
am_sum="$(sha256sum "$am_dir/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$am_dir/node_modules/.fieldbook-lock" 2>/dev/null)" != "$am_sum" ]; then
    echo "setup: installing the Automerge JavaScript library (npm ci in tests/automerge-js/)" >&2
    (cd "$am_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$am_sum" >"$am_dir/node_modules/.fieldbook-lock"
fi

# playwright-core, which drives Debian's Chromium for the web page's test (tests/web), as
# its lock file lists it; it downloads no browser.
web_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/web" && pwd)"
web_sum="$(sha256sum "$web_dir/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$web_dir/node_modules/.fieldbook-lock" 2>/dev/null)" != "$web_sum" ]; then
    echo "setup: installing playwright-core (npm ci in tests/web/)" >&2
    (cd "$web_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$web_sum" >"$web_dir/node_modules/.fieldbook-lock"
fi

# tauri-driver: the WebDriver server the window tests talk to (it starts WebKitWebDriver).
tools_dir="$HOME/.cache/fieldbook/tools"
export PATH="$tools_dir/bin:$PATH"
if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "setup: installing tauri-driver (cargo install, into $tools_dir)" >&2
    cargo install tauri-driver --version 2.1.0 --locked --root "$tools_dir" --quiet
fi
