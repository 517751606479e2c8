# shellcheck shell=bash
# A throwaway PostgreSQL server for the test suite.
#
#   . .ci/postgres.sh                   from a bash script (.ci/run does this)
#   bash .ci/postgres.sh CMD [ARGS...]  run one command against a fresh server,
#                                       e.g. bash .ci/postgres.sh python -m pytest tests/test_pg_infra.py
#
# Installs Debian's postgresql if no server binaries are found (root only),
# creates a cluster in a temporary folder on a free loopback port (UTF-8
# locale, scram-sha-256 everywhere), starts it, and stops and deletes it when
# the calling shell exits, whether it succeeded or not. Exports:
#   TWINDESK_TEST_PG        postgresql://twindesk_test@127.0.0.1:PORT/twindesk_test
#                           (a LOGIN CREATEDB role, not a superuser; no password in the URL)
#   TWINDESK_TEST_PG_ADMIN  postgresql://postgres@127.0.0.1:PORT/postgres (superuser)
#   PGPASSFILE              0600 file with both passwords, so libpq finds them
#   TWINDESK_TEST_PG_CTL    pg_ctl for this cluster, run as its owner:
#                           "$TWINDESK_TEST_PG_CTL" restart -m fast   (also stop, start, status)
#   TWINDESK_TEST_PG_LOG    the server's log file
# It sets -euo pipefail in the calling shell: source it from a script, not an
# interactive shell.

set -euo pipefail

# Sourced twice in one shell: keep the first server (and its single cleanup).
if [[ -n ${_TWINDESK_PG_DIR:-} ]]; then
    return 0 2>/dev/null || exit 0
fi

_twindesk_pg_say() { printf 'postgres.sh: %s\n' "$*" >&2; }

# The newest Debian server (/usr/lib/postgresql/N/bin), else one on PATH.
_twindesk_pg_bindir() {
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n $initdb ]]; then
        dirname "$initdb"
    elif command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(readlink -f "$(command -v initdb)")"
    else
        return 1
    fi
}

_twindesk_pg_install() {
    if [[ $(id -u) -ne 0 ]]; then
        _twindesk_pg_say "no PostgreSQL server found (initdb); install Debian's postgresql package"
        return 1
    fi
    _twindesk_pg_say "installing Debian's postgresql package"
    # The package would create and start a "main" cluster on port 5432 that
    # nobody stops: switch that off for this install only.
    local dropin=/etc/postgresql-common/createcluster.d/twindesk-ci.conf
    mkdir -p "${dropin%/*}"
    echo 'create_main_cluster = off' >"$dropin"
    local log
    log=$(mktemp)
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends postgresql; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        rm -f "$log" "$dropin"
        return 1
    fi
    rm -f "$log" "$dropin"
}

_twindesk_pg_cleanup() {
    local rc=$?  # handed on, so an earlier EXIT trap still sees the real status
    if [[ -n ${_TWINDESK_PG_DIR:-} ]]; then
        if [[ -x $_TWINDESK_PG_DIR/pg_ctl ]]; then
            "$_TWINDESK_PG_DIR/pg_ctl" stop -m immediate -w >/dev/null 2>&1 || true
        fi
        rm -rf "$_TWINDESK_PG_DIR" || true
        _TWINDESK_PG_DIR=
    fi
    return "$rc"
}

# Run our cleanup, then whatever EXIT trap the caller had already set. The
# "&& :" keeps set -e from ending the trap when cleanup hands on a failing
# status, so the earlier trap still runs and sees that status in $?.
_twindesk_pg_trap() {
    local previous words=()
    previous=$(trap -p EXIT)          # "trap -- 'command' EXIT", shell-quoted
    eval "words=($previous)"
    trap -- "_twindesk_pg_cleanup && :${words[2]:+; ${words[2]}}" EXIT
}

_twindesk_pg_start() {
    local bindir py port pw supw dir pgdir owner=()
    # Explicit returns: set -e does not stop at a failure inside "a || { b && c; }".
    if ! bindir=$(_twindesk_pg_bindir); then
        _twindesk_pg_install || return 1
        bindir=$(_twindesk_pg_bindir) || { _twindesk_pg_say "still no initdb after installing"; return 1; }
    fi
    py=$(command -v python3 || command -v python)

    # Registered before anything exists, so a failure below still cleans up.
    dir=$(mktemp -d -t twindesk-pg.XXXXXX)
    _TWINDESK_PG_DIR=$dir
    _twindesk_pg_trap

    # initdb and pg_ctl refuse to run as root: the server belongs to postgres,
    # which may enter (not list) our folder; the password file stays ours.
    pgdir=$dir/pg
    mkdir "$pgdir"
    if [[ $(id -u) -eq 0 ]]; then
        chmod 711 "$dir"
        chown postgres: "$pgdir"
        owner=(runuser -u postgres --)
    fi

    # A port the kernel just handed out is free; another process could take it
    # before the server binds, and then pg_ctl start fails with the log shown.
    read -r port pw supw < <("$py" -c '
import secrets, socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], secrets.token_urlsafe(24), secrets.token_urlsafe(24))')

    (umask 077 && printf '%s\n' "$supw" >"$pgdir/pw")
    [[ ${#owner[@]} -eq 0 ]] || chown postgres: "$pgdir/pw"
    # -N: no fsync at initdb, and fsync=off below: a throwaway cluster, and a
    # crashed server (not machine) loses nothing anyway.
    (cd "$pgdir" && "${owner[@]}" "$bindir/initdb" -D "$pgdir/data" -U postgres \
        --pwfile="$pgdir/pw" --auth-host=scram-sha-256 --auth-local=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 --no-instructions -N >"$pgdir/initdb.log" 2>&1) \
        || { cat "$pgdir/initdb.log" >&2; return 1; }
    rm -f "$pgdir/pw"
    cat >>"$pgdir/data/postgresql.conf" <<EOF
# twindesk test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pgdir'
fsync = off
EOF
    cat >"$dir/pg_ctl" <<EOF
#!/bin/sh
# pg_ctl for this cluster only, as the user who owns it.
cd '$pgdir' && exec ${owner[*]} '$bindir/pg_ctl' -D '$pgdir/data' -l '$pgdir/server.log' "\$@"
EOF
    chmod 755 "$dir/pg_ctl"
    "$dir/pg_ctl" start -w -t 60 >/dev/null || { tail -n 30 "$pgdir/server.log" >&2; return 1; }

    (umask 077 && printf '127.0.0.1:%s:*:postgres:%s\n127.0.0.1:%s:*:twindesk_test:%s\n' \
        "$port" "$supw" "$port" "$pw" >"$dir/pgpass")
    export PGPASSFILE=$dir/pgpass
    # The password goes in on stdin, never on a command line.
    printf "CREATE ROLE twindesk_test LOGIN CREATEDB PASSWORD '%s';
GRANT pg_signal_backend TO twindesk_test;
CREATE DATABASE twindesk_test OWNER twindesk_test;\n" "$pw" |
        "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres >/dev/null

    export TWINDESK_TEST_PG=postgresql://twindesk_test@127.0.0.1:$port/twindesk_test
    export TWINDESK_TEST_PG_ADMIN=postgresql://postgres@127.0.0.1:$port/postgres
    export TWINDESK_TEST_PG_CTL=$dir/pg_ctl
    export TWINDESK_TEST_PG_LOG=$pgdir/server.log
    _twindesk_pg_say "PostgreSQL $("$bindir/postgres" -V | awk '{print $3}') at $TWINDESK_TEST_PG"
}

_twindesk_pg_start

# Run as a program: the command given, against this server; then clean up.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    if [[ $# -eq 0 ]]; then
        _twindesk_pg_say "usage: . .ci/postgres.sh (from a script) or bash .ci/postgres.sh CMD [ARGS...]"
        exit 2
    fi
    "$@"
fi
