#!/usr/bin/env bash
# What `make demo` and `make test` need, for the PostgreSQL whose pg_config
# the build uses: PG_CONFIG if set, else the pg_config on PATH. Missing
# pieces are installed as Debian packages of THAT major version (root only);
# with no pg_config at all, Debian's default PostgreSQL is installed.
#
#   test/ensure_deps.sh               check/install, report on stderr
#   test/ensure_deps.sh --pg-config   same, then print ONLY the pg_config path
#                                     on stdout (the Makefile reads it)
#   test/ensure_deps.sh --check       report what is missing, install nothing
#                                     (exit status 1 when something is)
#
# Plain `make`, `make install` and `make installcheck` never run this: they
# build like any PGXS extension, with the pg_config they are given.
#
# Checked by the files the build and the harness really use, not by package
# names: the server headers (postgres.h under --includedir-server), pgxs.mk,
# pg_regress, the server binaries and psql. On Debian, pg_config, pgxs.mk
# and pg_regress come with postgresql-client-N, so their presence says
# nothing about the headers, which come with postgresql-server-dev-N.
set -euo pipefail

say() { printf 'ensure_deps: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

mode=install
want_pg_config=0
for arg in "$@"; do
    case $arg in
        --pg-config) want_pg_config=1 ;;
        --check) mode=check ;;
        -h|--help) sed -n '2,20s/^# \{0,1\}//p' "$0" >&2; exit 0 ;;
        *) die "unknown argument: $arg (accepted: --pg-config, --check)" ;;
    esac
done

apt_install() {
    ((EUID == 0)) || die "not root, cannot install. As root: apt-get install -y $*"
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install by hand: $*"
    export DEBIAN_FRONTEND=noninteractive
    # stderr only (stdout is the pg_config path); stdin closed: CI has none.
    say "apt-get update"
    apt-get update -q >&2 </dev/null || die "apt-get update failed"
    say "apt-get install $*"
    apt-get install -y -q --no-install-recommends "$@" >&2 </dev/null \
        || die "apt-get install $* failed"
}

# Resolve the pg_config: an explicit PG_CONFIG must exist; a bare name is
# looked up on PATH like make would.
pg_config=${PG_CONFIG:-pg_config}
if [[ $pg_config != */* ]]; then
    pg_config=$(command -v "$pg_config" 2>/dev/null || true)
fi
if [[ -z $pg_config || ! -x $pg_config ]] || ! "$pg_config" --version >/dev/null 2>&1; then
    [[ -n ${PG_CONFIG:-} && $PG_CONFIG == */* ]] \
        && die "PG_CONFIG=$PG_CONFIG is not an executable pg_config"
    say "no pg_config found on PATH"
    [[ $mode == check ]] && { say "missing: a PostgreSQL installation (pg_config)"; exit 1; }
    # Debian's default major: what the `postgresql` metapackage depends on.
    apt_install postgresql-common
    major=$(apt-cache depends postgresql 2>/dev/null \
        | sed -n 's/^ *Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n 1)
    [[ -n $major ]] || die "cannot tell Debian's default PostgreSQL version (apt-cache depends postgresql)"
    apt_install "postgresql-$major" "postgresql-server-dev-$major"
    pg_config=/usr/lib/postgresql/$major/bin/pg_config
    [[ -x $pg_config ]] || die "$pg_config missing after installing PostgreSQL $major"
fi

version=$("$pg_config" --version)              # "PostgreSQL 15.20 (Debian ...)"
major=$(sed -n 's/^PostgreSQL \([0-9][0-9]*\).*/\1/p' <<<"$version")
[[ -n $major ]] || die "cannot read the major version from '$version' ($pg_config)"
((major >= 13)) || die "$version is too old: rfm supports PostgreSQL 13 and later"

# One line per required file: path, then the Debian package that ships it.
required() {
    local bindir includedir pgxs
    bindir=$("$pg_config" --bindir)
    includedir=$("$pg_config" --includedir-server)
    pgxs=$("$pg_config" --pgxs)
    printf '%s\t%s\n' \
        "$includedir/postgres.h" "postgresql-server-dev-$major" \
        "$pgxs" "postgresql-server-dev-$major" \
        "$(dirname "$pgxs")/../test/regress/pg_regress" "postgresql-server-dev-$major" \
        "$bindir/postgres" "postgresql-$major" \
        "$bindir/initdb" "postgresql-$major" \
        "$bindir/pg_ctl" "postgresql-$major" \
        "$bindir/psql" "postgresql-client-$major"
}

missing_files=()
missing_pkgs=()
scan() {
    local path pkg
    missing_files=()
    missing_pkgs=()
    while IFS=$'\t' read -r path pkg; do
        if [[ ! -e $path ]]; then
            missing_files+=("$path")
            missing_pkgs+=("$pkg")
        fi
    done < <(required)
    command -v make >/dev/null 2>&1 || { missing_files+=(make); missing_pkgs+=(make); }
    command -v gcc >/dev/null 2>&1 || { missing_files+=(gcc); missing_pkgs+=(gcc); }
    # The harness runs the server as the postgres OS user (PostgreSQL refuses
    # to run as root); Debian's postgresql-common creates it.
    getent passwd postgres >/dev/null 2>&1 || { missing_files+=("the postgres OS user"); missing_pkgs+=(postgresql-common); }
    if ((${#missing_pkgs[@]})); then
        mapfile -t missing_pkgs < <(printf '%s\n' "${missing_pkgs[@]}" | sort -u)
    fi
}

scan
if ((${#missing_files[@]})); then
    say "PostgreSQL $major ($pg_config) lacks:"
    printf 'ensure_deps:   %s\n' "${missing_files[@]}" >&2
    say "Debian packages that provide them: ${missing_pkgs[*]}"
    [[ $mode == check ]] && exit 1
    # Installing Debian packages only helps a Debian-laid-out PostgreSQL; a
    # source build or another distribution's packages must be completed by
    # whoever installed them, not shadowed by a second PostgreSQL.
    case $("$pg_config" --bindir) in
        /usr/lib/postgresql/"$major"/bin) ;;
        *) die "$pg_config is not Debian's PostgreSQL $major; install the files above for it, or set PG_CONFIG" ;;
    esac
    apt_install "${missing_pkgs[@]}"
    scan
    ((${#missing_files[@]} == 0)) || die "still missing after installing: ${missing_files[*]}"
    say "done"
fi

if ((want_pg_config)); then
    printf '%s\n' "$pg_config"
fi
