#!/usr/bin/env bash
# Installs what building and testing Fieldbook needs on a fresh Debian machine. Safe to run
# twice: it installs only what is missing. Sourced by start.sh and test.sh.
set -euo pipefail

need_apt=()
command -v cc >/dev/null 2>&1 || need_apt+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
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
