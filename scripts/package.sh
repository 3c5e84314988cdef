#!/usr/bin/env bash
# Builds the installable Debian package of the desktop app with Tauri's bundler: a release
# build of `fieldbook-app` with the front-end embedded, packaged as a .deb that depends on
# the system's WebKitGTK. Prints the package's path and size. Safe to run twice.
#   sudo apt install ./fieldbook_*.deb   then   fieldbook-app   (or "Fieldbook" in the menu)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# The Tauri CLI from ui/node_modules (npm's prebuilt binary); it runs the front-end's build
# (beforeBuildCommand) and `cargo build --release` itself.
(cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb --ci)
deb="$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb | head -n 1)"
echo
echo "Built $deb ($(du -h "$deb" | cut -f1))"
echo "Install it with: sudo apt install $deb"
