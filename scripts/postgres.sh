#!/usr/bin/env bash
# A private PostgreSQL server for the tests of the PostgreSQL backend: Debian's postgresql
# (scripts/setup.sh installs it), a cluster in a temporary directory owned by the
# `postgres` system user when run as root, listening on 127.0.0.1 on a free port with trust
# authentication (loopback only). Sourced by test.sh; also by hand:
#     source scripts/postgres.sh && pg_start && cargo test -p fieldbook-server --test server
# `pg_start` exports FIELDBOOK_TEST_DATABASE_URL (tests make a database of their own on it
# and drop it after) and stops the server when the sourcing shell exits, even if a later
# `trap ... EXIT` replaces this one (a watchdog waits for the shell). Safe to run twice; a
# FIELDBOOK_TEST_DATABASE_URL already set is used as it is.
#
# Durability is PostgreSQL's business, not the tests': fsync and synchronous commit are off
# here (the tests kill fieldbook-server processes, never PostgreSQL), which keeps the tests
# fast on CI's two cores. Benchmarks start their own server with the defaults.

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

pg_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pg_start() {
    if [ -n "${FIELDBOOK_TEST_DATABASE_URL:-}" ]; then
        echo "postgres: using $FIELDBOOK_TEST_DATABASE_URL" >&2
        return 0
    fi
    pg_install || return 1
    local bin dir port as
    bin=$(pg_bin)
    dir=$(mktemp -d /tmp/fieldbook-pg.XXXXXX)
    port=$(pg_free_port)
    as=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
        as=(runuser -u postgres --)
    fi
    "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null \
        || { cat "$dir/server.log" >&2; return 1; }
    export FIELDBOOK_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
    FIELDBOOK_PG_DIR=$dir
    FIELDBOOK_PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop)
    trap pg_stop EXIT
    # The watchdog: stops the server once this shell is gone, whatever became of the trap.
    local shell_pid=$$
    ( trap '' HUP INT TERM
      while kill -0 "$shell_pid" 2>/dev/null; do sleep 2; done
      "${FIELDBOOK_PG_STOP[@]}"; rm -rf "$dir" ) </dev/null >/dev/null 2>&1 &
    disown 2>/dev/null || true
    echo "postgres: $FIELDBOOK_TEST_DATABASE_URL (data in $dir)" >&2
}

pg_stop() {
    [ -n "${FIELDBOOK_PG_DIR:-}" ] || return 0
    "${FIELDBOOK_PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$FIELDBOOK_PG_DIR"
    FIELDBOOK_PG_DIR=""
}
