#!/usr/bin/env bash
# Make sure everything needed to build and test rfm against PostgreSQL 15 is
# installed, installing the missing Debian packages if we can.
#
#   test/ensure_deps.sh               check/install, report on stderr
#   test/ensure_deps.sh --pg-config   same, then print ONLY the PG 15 pg_config
#                                     path on stdout (the Makefile reads it)
#
# Idempotent and fast: when everything is present it only tests a few paths,
# because the Makefile runs it on every `make` invocation.
set -euo pipefail

PG_MAJOR=15
PG_BINDIR=/usr/lib/postgresql/$PG_MAJOR/bin
PG_LIBDIR=/usr/lib/postgresql/$PG_MAJOR/lib

# stdout is reserved for the pg_config path, so every message goes to stderr.
say() { printf 'ensure_deps: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

want_pg_config=0
case "${1:-}" in
    --pg-config) want_pg_config=1 ;;
    '') ;;
    -h|--help) sed -n '2,10s/^# \{0,1\}//p' "$0" >&2; exit 0 ;;
    *) die "unknown argument: $1 (only --pg-config is accepted)" ;;
esac

# Check by the files we actually use rather than by package name: it needs no
# dpkg call, and also accepts an equivalent install that came from elsewhere.
# On Debian 12, contrib is part of postgresql-15 (it Provides
# postgresql-contrib-15), and pg_config, psql and pg_regress come with its
# dependency postgresql-client-15.
missing=()
[[ -x $PG_BINDIR/postgres && -x $PG_BINDIR/initdb && -x $PG_BINDIR/pg_ctl ]] \
    || missing+=("postgresql-$PG_MAJOR")
[[ -x $PG_BINDIR/pg_config && -f $PG_LIBDIR/pgxs/src/makefiles/pgxs.mk \
    && -x $PG_LIBDIR/pgxs/src/test/regress/pg_regress ]] \
    || missing+=("postgresql-server-dev-$PG_MAJOR")
command -v make >/dev/null 2>&1 || missing+=(make)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
# The harness runs the server as the postgres OS user (PostgreSQL refuses to
# run as root); postgresql-common creates that user.
getent passwd postgres >/dev/null 2>&1 || missing+=("postgresql-$PG_MAJOR")

if ((${#missing[@]})); then
    # De-duplicate (postgresql-15 can be listed twice).
    mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
    say "missing: ${missing[*]}"
    if ((EUID != 0)); then
        die "not root, cannot install. Run as root: apt-get install -y ${missing[*]}"
    fi
    command -v apt-get >/dev/null 2>&1 \
        || die "apt-get not found; install PostgreSQL $PG_MAJOR (server, server-dev), make and gcc by hand"
    export DEBIAN_FRONTEND=noninteractive
    # Output goes to stderr so that `--pg-config` keeps stdout clean; stdin
    # is closed so nothing can wait for an answer (CI has none).
    say "apt-get update"
    apt-get update -q >&2 </dev/null || die "apt-get update failed"
    say "apt-get install ${missing[*]}"
    apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 </dev/null \
        || die "apt-get install ${missing[*]} failed"
    # Re-check rather than trust apt's exit code.
    [[ -x $PG_BINDIR/postgres && -x $PG_BINDIR/pg_config \
        && -f $PG_LIBDIR/pgxs/src/makefiles/pgxs.mk ]] \
        || die "PostgreSQL $PG_MAJOR is still incomplete after installing"
    if ! command -v make >/dev/null 2>&1 || ! command -v gcc >/dev/null 2>&1; then
        die "make/gcc still missing after installing"
    fi
    say "done"
fi

if ((want_pg_config)); then
    printf '%s\n' "$PG_BINDIR/pg_config"
fi
