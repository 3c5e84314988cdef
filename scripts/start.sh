#!/usr/bin/env bash
# Sets up the machine, builds Fieldbook, and shows it working on a demo book of business:
# a store with generated accounts, contacts, deals, quotes, activities and tasks, its
# pipeline and a few searches, then a local sync server that the book syncs to. Safe to run
# twice (the demo store and server data are kept and reused; the server stops on exit).
# Until the desktop app exists, this is the command line; the store is in $FIELDBOOK_DEMO_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# The desktop app embeds the built front-end (ui/dist).
(cd ui && npx --no-install vite build --logLevel warn)
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
echo
echo "A local sync server:"
srv="$CARGO_TARGET_DIR/debug/fieldbook-server"
server_dir="$FIELDBOOK_DATA_DIR-server"
export FIELDBOOK_PASSWORD="${FIELDBOOK_DEMO_PASSWORD:-demo-password}"
if [ ! -f "$server_dir/server.db" ]; then
    "$srv" --data-dir "$server_dir" user add demo --role admin
fi
# The same address every run: a store stays with the server it first signed in to.
port="$("$fb" --json status 2>/dev/null | sed -n 's|.*"server": "http://127.0.0.1:\([0-9]*\)".*|\1|p' || true)"
port="${port:-0}"
log="$(mktemp)"
"$srv" --data-dir "$server_dir" serve --listen "127.0.0.1:$port" >"$log" 2>"$server_dir.log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; rm -f "$log"' EXIT
url=""
for _ in $(seq 100); do
    url="$(sed -n 's/^listening on //p' "$log")"
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start on port $port (in use?); see $server_dir.log" >&2; exit 1; }
"$fb" login "$url" demo
"$fb" sync
"$fb" status
unset FIELDBOOK_PASSWORD

cat <<TXT

The demo store is in $FIELDBOOK_DATA_DIR (the server's data in $server_dir).
To type \`fieldbook\` and \`fieldbook-server\` by name, put them on your PATH:
  export PATH="$CARGO_TARGET_DIR/debug:\$PATH"
Then try:
  export FIELDBOOK_DATA_DIR=$FIELDBOOK_DATA_DIR
  fieldbook search acme
  fieldbook show ID            (an id from a list above)
  fieldbook --help
TXT
