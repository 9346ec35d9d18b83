#!/usr/bin/env bash
# Make (once) the Debian chroot that test/versions/run.sh builds and tests
# rfm in: one per PostgreSQL major, holding only what a new user of that
# Debian release installs to build an extension:
#
#   test/versions/chroot.sh SUITE MAJOR     e.g. bullseye 13, trixie 17, sid 18
#
# prints the chroot's directory on stdout. The chroot is kept under
# RFM_VERSIONS_DIR (default /var/cache/rfm-versions), outside the repo, and
# reused by every later run on the same machine; a missing or half-made one
# is (re)made with debootstrap from the Debian archive that this machine's
# apt sources name. Root only. debootstrap is installed when missing.
set -euo pipefail

say() { printf 'versions: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

(($# == 2)) || die "usage: $0 SUITE MAJOR"
suite=$1
major=$2
((EUID == 0)) || die "debootstrap needs root"
base=${RFM_VERSIONS_DIR:-/var/cache/rfm-versions}
dir=$base/$suite
# A chroot is complete when debootstrap finished and renamed it into place.
if [[ -x $dir/usr/lib/postgresql/$major/bin/pg_config && -f $dir/usr/include/postgresql/$major/server/postgres.h ]]; then
    printf '%s\n' "$dir"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! command -v debootstrap >/dev/null 2>&1; then
    say "apt-get install debootstrap"
    { apt-get update -q && apt-get install -y -q --no-install-recommends debootstrap; } >&2 </dev/null \
        || die "cannot install debootstrap"
fi

# The Debian archive the machine already uses: the first source whose URI
# ends in /debian (not -security, not a third-party repository), in either
# the one-line or the deb822 format.
debian_archive() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        sed -n -e 's/^deb \(\[[^]]*\] \)\{0,1\}\([a-z]*:\/\/[^ ]*\/debian\/\{0,1\}\) .*/\2/p' \
               -e 's/^URIs: *\([a-z]*:\/\/[^ ]*\/debian\/\{0,1\}\)\( .*\)\{0,1\}$/\1/p' "$f"
    done | head -n 1
}
url=$(debian_archive)
[[ -n $url ]] || die "no Debian archive in /etc/apt/sources.list*; cannot debootstrap $suite"

mkdir -p "$base"
tmp=$dir.partial
rm -rf "$tmp"
say "debootstrap $suite (PostgreSQL $major) into $dir; takes minutes, done once per machine"
log=$base/$suite.debootstrap.log
if ! debootstrap --variant=minbase \
        --include="postgresql-$major,postgresql-server-dev-$major,make,gcc,libc6-dev" \
        "$suite" "$tmp" "$url" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    # A failed debootstrap can leave mounts behind (proc, sys).
    for m in "$tmp"/proc "$tmp"/sys "$tmp"/dev/pts; do
        mountpoint -q "$m" 2>/dev/null && umount -l "$m"
    done
    die "debootstrap $suite failed (log: $log)"
fi
# The downloaded packages are installed; keep only the chroot (~1.5 GB).
rm -f "$tmp"/var/cache/apt/archives/*.deb
rm -rf "$dir"
mv "$tmp" "$dir"
printf '%s\n' "$dir"
