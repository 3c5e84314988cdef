#!/usr/bin/env bash
# Sets up the machine, builds Fieldbook, and shows it working on a demo book of business:
# a store with generated accounts, contacts, deals, quotes, activities and tasks, then its
# pipeline and a few searches. Safe to run twice (the demo store is kept and reused).
# Until the desktop app exists, this is the command line; the store is in $FIELDBOOK_DEMO_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

cargo build --workspace --bins --locked
fb="$CARGO_TARGET_DIR/debug/fieldbook"
export FIELDBOOK_DATA_DIR="${FIELDBOOK_DEMO_DIR:-$HOME/.local/share/fieldbook-demo}"

if [ ! -f "$FIELDBOOK_DATA_DIR/fieldbook.db" ]; then
    "$fb" init --user demo --currency EUR
    "$fb" demo --records "${FIELDBOOK_DEMO_RECORDS:-5000}" --seed 7
fi

echo
"$fb" pipeline
echo
echo "Accounts in 青岛 (search works on any two Chinese characters):"
"$fb" list account --search 青岛 --limit 5
echo
echo "Deals in negotiation:"
"$fb" list opportunity stage=negotiation --limit 5
cat <<TXT

The demo store is in $FIELDBOOK_DATA_DIR. Try:
  export FIELDBOOK_DATA_DIR=$FIELDBOOK_DATA_DIR
  $fb search acme
  $fb show ID            (an id from a list above)
  $fb --help
TXT
