#!/usr/bin/env bash
# A private PostgreSQL server for the tests: Debian's postgresql, a cluster in a temporary
# directory owned by the `postgres` system user, listening on 127.0.0.1 on a free port, trust
# authentication (loopback only). Sourced by test.sh; exports FIELDBOOK_TEST_DATABASE_URL and
# stops the server when the sourcing shell exits. Safe to run twice.

pg_bin() {
    local v
    v=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
    [ -n "$v" ] && echo "/usr/lib/postgresql/$v/bin"
}

pg_install() {
    [ -n "$(pg_bin)" ] && return 0
    echo "setup: installing postgresql (apt)" >&2
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
}

pg_start() {
    pg_install
    local bin dir port as
    bin=$(pg_bin)
    dir=$(mktemp -d /tmp/fieldbook-pg.XXXXXX)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
        as=(runuser -u postgres --)
    fi
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" start >/dev/null \
        || { cat "$dir/server.log" >&2; return 1; }
    export FIELDBOOK_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
    FIELDBOOK_PG_DIR=$dir
    FIELDBOOK_PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop)
    trap pg_stop EXIT
    echo "postgres: $FIELDBOOK_TEST_DATABASE_URL (data in $dir)" >&2
}

pg_stop() {
    [ -n "${FIELDBOOK_PG_DIR:-}" ] || return 0
    "${FIELDBOOK_PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$FIELDBOOK_PG_DIR"
    FIELDBOOK_PG_DIR=""
}
