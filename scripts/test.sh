#!/usr/bin/env bash
# Sets up the machine and runs every check and test: formatting, lints, the unit tests, the
# end-to-end tests (real binaries on real store files). Safe to run twice. CI runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

step() { printf '\n== %s\n' "$*" >&2; }

step "format"
cargo fmt --all --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "build (the end-to-end tests drive these binaries)"
cargo build --workspace --bins --locked

step "tests"
cargo test --workspace --locked
