#!/usr/bin/env bash
# Runs every fuzz target (cargo fuzz, libFuzzer with AddressSanitizer) for a bounded time,
# from the committed seeds plus what earlier runs on this machine found. A crash fails the
# run and leaves its input in fuzz/artifacts/TARGET/ (add it to the seeds with the fix).
# FIELDBOOK_FUZZ_SECONDS (default 20) per target. Sourced setup gives the tools' cache.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

tools="$HOME/.cache/fieldbook/tools"
if [ ! -x "$tools/bin/cargo-fuzz" ]; then
    echo "setup: installing cargo-fuzz (crates.io)" >&2
    cargo install cargo-fuzz --locked --root "$tools" --quiet
fi
seconds="${FIELDBOOK_FUZZ_SECONDS:-20}"
# The sanitizer flags cargo fuzz passes are unstable rustc options: the pinned stable
# toolchain accepts them with RUSTC_BOOTSTRAP (no other toolchain is fetched).
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="$HOME/.cache/fieldbook/fuzz-target"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for target in $(sed -n 's/^name = "\(.*\)"/\1/p' fuzz/Cargo.toml | tail -n +2); do
    mkdir -p "fuzz/corpus/$target"
    if ! "$tools/bin/cargo-fuzz" run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
        tail -n 60 "$log" >&2
        echo "fuzz: $target FAILED; the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $target: ${runs:-?} inputs in ${seconds}s, no crash" >&2
done
