#!/usr/bin/env bash
# Packaging: `make dist` and the PGXN META.json, as a PGXN user gets them.
#
#   test/clients/dist.sh [HOST PORT]     (HOST/PORT are not used)
#
# Runs `make dist` into a temp dir and checks: META.json is valid JSON with
# PGXN's required keys; its version (semver) matches rfm.control's
# default_version; the file it provides is in the archive; the archive is
# rfm-<version>.zip with everything under rfm-<version>/, holds exactly the
# committed files (git ls-files HEAD) and no build products; every install
# and upgrade script sql/rfm--*.sql is named by the versions the control file
# can reach; and the unpacked archive builds with PGXS (PostgreSQL 15
# headers) without a single compiler warning.
#
# Ends with `dist: N passed, M failed`; exits non-zero on failure.
set -euo pipefail
SUITE=dist
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/lib.sh
source "$here/../lib.sh"
cd "$RFM_REPO"

work=$(mktemp -d /tmp/rfm-dist.XXXXXX)
finish() {
    local rc=$? status=0
    rm -rf -- "$work"
    rfm_finish "$SUITE" "$rc" || status=$?
    exit "$status"
}
trap finish EXIT

command -v unzip >/dev/null 2>&1 || rfm_apt_install unzip

# META.json, read with node if there, else python3 (one of them is always
# here when the client suites ran; the reader is only a JSON parser).
meta() { # EXPR over the parsed object `m`, printed
    if command -v node >/dev/null 2>&1; then
        node -e "const m = JSON.parse(require('fs').readFileSync('META.json', 'utf8')); console.log($1)"
    else
        python3 -c "import json; m = json.load(open('META.json')); print($2)"
    fi
}
if [[ -f META.json ]] && meta 'm.name' 'm["name"]' >/dev/null 2>&1; then
    ok "META.json is valid JSON"
else
    not_ok "META.json missing or not valid JSON"; exit 1
fi
check "META.json has PGXN's required keys" "name,abstract,version,maintainer,license,provides,meta-spec" \
    "$(meta "['name','abstract','version','maintainer','license','provides','meta-spec'].filter(k => k in m).join(',')" \
            "','.join(k for k in ['name','abstract','version','maintainer','license','provides','meta-spec'] if k in m)")"
version=$(meta 'm.version' 'm["version"]')
control_version=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" rfm.control)
if [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then ok "version $version is semver"; else not_ok "version '$version' is not semver (PGXN requires it)"; fi
check "META.json version matches rfm.control default_version ($control_version)" "$control_version" \
    "$(sed -E 's/^([0-9]+\.[0-9]+)\.0$/\1/' <<<"$version")"
check "provides.rfm.version = version" "$version" "$(meta 'm.provides.rfm.version' 'm["provides"]["rfm"]["version"]')"
provided=$(meta 'm.provides.rfm.file' 'm["provides"]["rfm"]["file"]')
check "provides.rfm.file is the current install script" "sql/rfm--$control_version.sql" "$provided"

# Install and upgrade scripts: rfm--V.sql for released V, rfm--A--B.sql for
# upgrades; the default version must be reachable from a full install.
scripts=$(git ls-files 'sql/rfm--*.sql' | sed 's|^sql/||' | sort | tr '\n' ' ')
bad=$(git ls-files 'sql/rfm--*.sql' | sed 's|^sql/||' | grep -vE '^rfm--[0-9][0-9.]*(--[0-9][0-9.]*)?\.sql$' || true)
check "install/upgrade scripts are named rfm--V.sql / rfm--A--B.sql ($scripts)" "" "$bad"

# The archive.
if out=$(make -s dist DIST_DIR="$work" 2>&1); then
    ok "make dist"
else
    not_ok "make dist failed" "$out"; exit 1
fi
zip=$work/rfm-$version.zip
[[ -f $zip ]] || { not_ok "make dist did not write rfm-$version.zip" "$(ls "$work")"; exit 1; }
unzip -q "$zip" -d "$work/x"
check "archive has one top directory rfm-$version/" "rfm-$version" "$(ls "$work/x")"
src=$work/x/rfm-$version
check "archive holds exactly the committed files" "$(git ls-tree -r --name-only HEAD | sort)" "$(cd "$src" && find . -type f | sed 's|^\./||' | sort)"
check "no build products in the archive" "" "$(cd "$src" && find . \( -name '*.o' -o -name '*.so' -o -name '*.bc' -o -name results -o -name regression.diffs \) -print)"
[[ -f $src/$provided ]] && ok "the provided file $provided is in the archive" || not_ok "$provided is not in the archive"

# Build from the archive, as `pgxn install` would (build only: installing is
# system-wide). -Werror-free check: any warning fails.
if out=$(cd "$src" && make PG_CONFIG="$PG_CONFIG" -j2 2>&1); then
    warnings=$(grep -E 'warning:' <<<"$out" || true)
    check "the archive builds against PostgreSQL $("$PG_CONFIG" --version | awk '{print $2}') headers without warnings" "" "$warnings"
    [[ -f $src/rfm.so ]] && ok "rfm.so built from the archive" || not_ok "no rfm.so after make"
else
    not_ok "make in the unpacked archive failed" "$(tail -n 30 <<<"$out")"
fi
exit 0
