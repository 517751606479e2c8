#!/usr/bin/env bash
# A private PostgreSQL server with a twindesk hub database, for trying the
# PostgreSQL hub on one machine. Safe to run again: it reuses what exists.
#
#   scripts/pg-hub-dev.sh [DIR]        create or start it; prints the hub URL
#   scripts/pg-hub-dev.sh stop [DIR]   stop it (the data stays)
#
# As a normal user the server lives in DIR (default
# ~/.local/share/twindesk-pg-dev), runs as you and listens on 127.0.0.1 only.
# As root it is a Debian cluster "twindesk_dev" owned by postgres
# (pg_createcluster; initdb refuses root), DIR becoming its data folder.
# The role's password goes to ~/.pgpass (or $PGPASSFILE), never to the URL.
set -euo pipefail

ROLE=twindesk
DB=twindesk_hub
CLUSTER=twindesk_dev

say() { printf '%s\n' "$*" >&2; }
die() { say "pg-hub-dev.sh: $*"; exit 1; }

action=start
if [[ ${1:-} == stop ]]; then action=stop; shift; fi
[[ $# -le 1 ]] || die "usage: $0 [stop] [DIR]"

# The newest Debian server (/usr/lib/postgresql/N/bin), else one on PATH.
bindir=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -n $bindir ]]; then
    bindir=${bindir%/initdb}
elif command -v initdb >/dev/null; then
    bindir=$(dirname "$(readlink -f "$(command -v initdb)")")
else
    die "no PostgreSQL server found: install it first (Debian: sudo apt-get install postgresql)"
fi

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

if [[ $(id -u) -eq 0 ]]; then
    command -v pg_createcluster >/dev/null || die "as root this needs Debian's postgresql-common (pg_createcluster)"
    version=$(basename "$(dirname "$bindir")")
    exists() { pg_lsclusters -h | awk -v v="$version" -v c="$CLUSTER" '$1 == v && $2 == c' | grep -q .; }
    if [[ $action == stop ]]; then
        if exists && pg_ctlcluster "$version" "$CLUSTER" status >/dev/null 2>&1; then
            pg_ctlcluster "$version" "$CLUSTER" stop
        fi
        say "stopped ($version/$CLUSTER; pg_dropcluster $version $CLUSTER deletes it)"
        exit 0
    fi
    if ! exists; then
        datadir=()
        if [[ $# -eq 1 ]]; then datadir=(-d "$1"); fi
        pg_createcluster --quiet --start-conf=manual "${datadir[@]}" -p "$(free_port)" --locale C.UTF-8 -e UTF8 \
            "$version" "$CLUSTER" -- --auth-host=scram-sha-256 --auth-local=peer >/dev/null
        # Not "-o listen_addresses=127.0.0.1": pg_createcluster leaves it unquoted
        # and the server cannot parse that. The last setting in the file wins.
        echo "listen_addresses = '127.0.0.1'" >>"/etc/postgresql/$version/$CLUSTER/postgresql.conf"
    fi
    port=$(pg_conftool -s "$version" "$CLUSTER" show port)
    # "start" fails when it already runs; status tells the two apart.
    pg_ctlcluster "$version" "$CLUSTER" status >/dev/null 2>&1 || pg_ctlcluster "$version" "$CLUSTER" start
    # Peer authentication over the Unix socket: the postgres user is the superuser.
    admin() { (cd / && runuser -u postgres -- "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@"); }
else
    dir=${1:-${XDG_DATA_HOME:-$HOME/.local/share}/twindesk-pg-dev}
    dir=$(mkdir -p "$dir" && cd "$dir" && pwd)
    ctl() { "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" "$@"; }
    if [[ $action == stop ]]; then
        if [[ -f $dir/data/postmaster.pid ]]; then ctl stop -m fast >/dev/null; fi
        say "stopped (the data stays in $dir; delete that folder to start over)"
        exit 0
    fi
    if [[ ! -f $dir/data/PG_VERSION ]]; then
        chmod 700 "$dir"
        "$bindir/initdb" -D "$dir/data" --encoding=UTF8 --locale=C.UTF-8 \
            --auth-host=scram-sha-256 --auth-local=peer --no-instructions >"$dir/initdb.log"
        # The socket stays in our folder, so no system directory is needed.
        cat >>"$dir/data/postgresql.conf" <<EOF
# twindesk dev hub
listen_addresses = '127.0.0.1'
port = $(free_port)
unix_socket_directories = '$dir'
EOF
    fi
    port=$(sed -n 's/^port = \([0-9]*\)$/\1/p' "$dir/data/postgresql.conf" | tail -n 1)
    ctl status >/dev/null 2>&1 || ctl start -w >/dev/null || die "the server did not start: see $dir/server.log"
    # Peer authentication over our socket: you are the superuser.
    admin() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -d postgres "$@"; }
fi

# The password: the one already in the password file, or a new one added to it.
pgpass=${PGPASSFILE:-$HOME/.pgpass}
key="127.0.0.1:$port:$DB:$ROLE:"
password=$(grep -F "$key" "$pgpass" 2>/dev/null | head -n 1 | cut -d: -f5- || true)
if [[ -z $password ]]; then
    password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
    (umask 077 && printf '%s%s\n' "$key" "$password" >>"$pgpass")
fi
chmod 600 "$pgpass"  # libpq ignores a password file others can read

# Setting the password every time keeps the role and the file in step.
if [[ -z $(admin -Atc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'") ]]; then
    admin -c "CREATE ROLE $ROLE LOGIN"
fi
printf "ALTER ROLE %s PASSWORD '%s';\n" "$ROLE" "$password" | admin  # on stdin, not the command line
if [[ -z $(admin -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'") ]]; then
    admin -c "CREATE DATABASE $DB OWNER $ROLE"
fi

url="postgresql://$ROLE@127.0.0.1:$port/$DB"
# The hub's tables: made (or upgraded) here when twindesk is installed.
if command -v twindesk >/dev/null && twindesk hub init "$url" >/dev/null; then
    say "PostgreSQL hub ready (password in $pgpass). Try:"
else
    say "PostgreSQL server ready (password in $pgpass). Make its hub tables, then sync:"
    say "  twindesk hub init $url"
fi
say "  twindesk sync --hub $url"
say "Stop it with: $0 stop${1:+ $1}"
printf '%s\n' "$url"
