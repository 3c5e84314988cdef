#!/usr/bin/env bash
# The README's first command: sets up the machine, builds Fieldbook, starts a local sync
# server with a demo team and opens the desktop app signed in as one of its reps.
#
# The team (password "demo-password" for everyone, or $FIELDBOOK_DEMO_PASSWORD):
#   admin  keeps the product catalogue and made the demo book (a few hundred accounts with
#          Chinese and English names, deals across stages, quotes, activities, tasks);
#   liu    manager of team "east";
#   wang, zhao  reps in team east; the accounts are split between them.
# The app opens on wang's store. Without a display it says so, and shows wang's pipeline on
# the command line instead. Safe to run twice: the team is made once and reused (everything
# lives in $FIELDBOOK_DEMO_DIR, default ~/.local/share/fieldbook-demo-team); the server
# stops when this script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

# The desktop app embeds the built front-end (ui/dist).
(cd ui && npx --no-install vite build --logLevel warn)
cargo build --workspace --bins --locked
bin="$CARGO_TARGET_DIR/debug"
demo="${FIELDBOOK_DEMO_DIR:-$HOME/.local/share/fieldbook-demo-team}"
records="${FIELDBOOK_DEMO_RECORDS:-3000}"
# Every store is encrypted like any other (the app unlocks them with this passphrase too,
# from the environment); the demo's passphrase is this one unless you set it.
export FIELDBOOK_PASSPHRASE="${FIELDBOOK_PASSPHRASE:-fieldbook demo}"
export FIELDBOOK_PASSWORD="${FIELDBOOK_DEMO_PASSWORD:-demo-password}"
mkdir -p "$demo"

fb() { # fb USER ARGS...: the `fieldbook` command on USER's store
    local user="$1"
    shift
    "$bin/fieldbook" --data-dir "$demo/$user" "$@"
}
admin() { "$bin/fieldbook-server" --data-dir "$demo/server" "$@"; }

# The server: the same address every run (a store stays with the server it signed in to).
port="$(sed -n 's|^http://127.0.0.1:||p' "$demo/server-url" 2>/dev/null || true)"
out="$(mktemp)"
"$bin/fieldbook-server" --data-dir "$demo/server" serve --listen "127.0.0.1:${port:-0}" \
    >"$out" 2>>"$demo/server.log" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; rm -f "$out"' EXIT
url=""
for _ in $(seq 100); do
    url="$(sed -n 's/^listening on //p' "$out")"
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$url" ] || { echo "the server did not start (port ${port:-any} in use?); see $demo/server.log" >&2; exit 1; }
echo "$url" >"$demo/server-url"

if [ ! -f "$demo/team-ready" ]; then
    echo "Making the demo team on $url ..."
    [ -n "$(admin user list 2>/dev/null | grep -w admin || true)" ] || admin user add admin --role admin
    [ -n "$(admin user list 2>/dev/null | grep -w liu || true)" ] || {
        admin user add liu --role manager
        admin team add east --manager liu
    }
    for rep in wang zhao; do
        [ -n "$(admin user list 2>/dev/null | grep -w "$rep" || true)" ] || admin user add "$rep" --role rep --team east
    done
    # The office's book: made on the admin's device (the only one that may write products),
    # then its accounts, with all their records, moved to the reps by the server.
    if [ ! -f "$demo/admin/fieldbook.db" ]; then
        fb admin init --user admin --currency CNY
        fb admin demo --records "$records" --seed 7
    fi
    fb admin --json status | grep -q '"user": "admin"' || fb admin login "$url" admin --device-name "Office"
    fb admin sync >/dev/null
    mapfile -t accounts < <(fb admin --json list account | sed -n 's/^    "id": "\(.*\)",$/\1/p')
    wang=() zhao=()
    for i in "${!accounts[@]}"; do
        if ((i % 2 == 0)); then wang+=(--account "${accounts[$i]}"); else zhao+=(--account "${accounts[$i]}"); fi
    done
    ((${#wang[@]})) && admin reassign --from admin --to wang "${wang[@]}" >/dev/null
    ((${#zhao[@]})) && admin reassign --from admin --to zhao "${zhao[@]}" >/dev/null
    for rep in wang zhao; do
        [ -f "$demo/$rep/fieldbook.db" ] || fb "$rep" init --user "$rep" --currency CNY
        fb "$rep" --json status | grep -q "\"user\": \"$rep\"" || fb "$rep" login "$url" "$rep" --device-name "$rep's laptop"
    done
    touch "$demo/team-ready"
fi
for rep in wang zhao; do fb "$rep" sync >/dev/null; done
unset FIELDBOOK_PASSWORD

cat <<TXT

Fieldbook's demo team is on $url (data in $demo).
Users: admin, liu (manager), wang and zhao (reps); password: ${FIELDBOOK_DEMO_PASSWORD:-demo-password}
The command line on wang's store: $bin/fieldbook --data-dir $demo/wang --help
TXT

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo
    echo "No display here (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop app cannot open."
    echo "wang's pipeline, from the command line:"
    echo
    fb wang pipeline
    if [ -t 0 ]; then
        echo
        echo "The server keeps running for other devices until you press Ctrl-C."
        wait "$server_pid"
    fi
    exit 0
fi

echo "Opening the app as wang (close its window to stop the demo server) ..."
FIELDBOOK_DATA_DIR="$demo/wang" "$bin/fieldbook-app"
