#!/usr/bin/env bash
# The build and setup contract, proven without touching the machine:
#   - plain make / make install / make installcheck use the pg_config first on
#     PATH and call no package manager; installcheck passes against a running
#     server (the harness's) given by PGHOST/PGPORT/PGUSER;
#   - a pg_config whose server headers are missing (Debian's usual state:
#     postgresql-15 without postgresql-server-dev-15) is detected and named,
#     by make and by test/ensure_deps.sh --check, without installing;
#   - `make demo` in that state installs the headers' package (a fake
#     apt-get records the call and "installs" them) and prints the segments.
#
# Fakes live first on PATH: apt-get/apt/aptitude/dpkg record every call and
# install nothing; pg_config records its calls and answers like the real
# one, except for --includedir-server in the missing-headers state.
# The builds run in a copy of the committed tree (git archive semantics:
# tracked files as they are in the work tree), never in the repo itself.
#
#   test/setup/run.sh HOST PORT       Prints `setup: N passed, M failed`.
set -uo pipefail

# shellcheck source=test/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
host=${1:?usage: run.sh HOST PORT}
port=${2:?usage: run.sh HOST PORT}

# NAME FILE REGEX: the file matches (extended regex); else its end is shown
expect_match() { if grep -qE -e "$3" "$2"; then ok "$1"; else not_ok "$1" "$(tail -n 15 "$2")"; fi; }
# NAME FILE: the file is empty; else its start is shown
expect_empty() { if [[ ! -s $2 ]]; then ok "$1"; else not_ok "$1" "$(head -n 10 "$2")"; fi; }

real_pg_config=$PG_CONFIG
real_includedir=$("$real_pg_config" --includedir-server)
major=$("$real_pg_config" --version | sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
work=$(mktemp -d /tmp/rfm-setup.XXXXXX)
trap 'rm -rf -- "$work"' EXIT

# ---- fakes ----
fakebin=$work/bin
mkdir -p "$fakebin"
calls=$work/package-manager.calls
: >"$calls"
for pm in apt-get apt aptitude dpkg; do
    cat >"$fakebin/$pm" <<EOF
#!/usr/bin/env bash
echo "$pm \$*" >>'$calls'
# "Installing" the server-dev package links the real headers into the place
# the fake pg_config reports, as the package would put them there.
if [[ " \$* " == *" install "* && " \$* " == *" postgresql-server-dev-$major "* ]]; then
    [[ -e '$work/include' ]] || ln -s '$real_includedir' '$work/include'
fi
exit 0
EOF
    chmod +x "$fakebin/$pm"
done
# pg_config: RFM_FAKE_NO_HEADERS=1 reports an include directory that holds
# no postgres.h until the fake apt-get links it.
cat >"$fakebin/pg_config" <<EOF
#!/usr/bin/env bash
echo "pg_config \$*" >>'$work/pg_config.calls'
if [[ \${RFM_FAKE_NO_HEADERS:-0} == 1 ]]; then
    out=\$('$real_pg_config' "\$@") || exit
    pat='$real_includedir' rep='$work/include'
    printf '%s\n' "\${out//"\$pat"/"\$rep"}"
    exit 0
fi
exec '$real_pg_config' "\$@"
EOF
chmod +x "$fakebin/pg_config"
export PATH=$fakebin:$PATH
unset PG_CONFIG

# A copy of the tree: the tracked files, plus untracked ones not ignored.
copy=$work/rfm
mkdir -p "$copy"
(cd "$RFM_REPO" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$copy" 2>/dev/null) \
    || cp -r "$RFM_REPO/." "$copy"
rm -f "$copy"/src/*.o "$copy"/*.so

# ---- 1. plain make / make install / make installcheck ----
: >"$work/pg_config.calls"
if make -C "$copy" -s -j2 >"$work/make.log" 2>&1 && [[ -f $copy/rfm.so ]]; then
    ok "plain make builds rfm.so"
else
    not_ok "plain make builds rfm.so" "$(tail -n 15 "$work/make.log")"
fi
expect_match "plain make asks the pg_config first on PATH" "$work/pg_config.calls" '--pgxs'
make -C "$copy" -s install DESTDIR="$work/destdir" >"$work/install.log" 2>&1
if [[ -f $work/destdir$("$real_pg_config" --pkglibdir)/rfm.so \
      && -f $work/destdir$("$real_pg_config" --sharedir)/extension/rfm.control ]]; then
    ok "make install (DESTDIR) installs rfm.so and rfm.control where that pg_config says"
else
    not_ok "make install (DESTDIR) installs rfm.so and rfm.control where that pg_config says" "$(tail -n 15 "$work/install.log")"
fi
# installcheck runs pg_regress as this user against the harness's server.
if PGHOST=$host PGPORT=$port PGUSER=postgres make -C "$copy" installcheck >"$work/installcheck.log" 2>&1; then
    ok "make installcheck against a running server (PGHOST/PGPORT/PGUSER): $(grep -cE '\.\.\. ok|^ok [0-9]' "$work/installcheck.log") tests passed"
else
    not_ok "make installcheck against a running server" \
        "$(tail -n 30 "$work/installcheck.log"; [[ -f $copy/regression.diffs ]] && head -n 60 "$copy/regression.diffs")"
fi
expect_empty "make, make install and make installcheck call no package manager" "$calls"

# ---- 2. server headers missing ----
export RFM_FAKE_NO_HEADERS=1
rm -f "$copy"/src/*.o "$copy"/*.so
: >"$calls"
if make -C "$copy" -s >"$work/noheaders.log" 2>&1; then
    not_ok "plain make fails when the server headers are missing"
else
    ok "plain make fails when the server headers are missing"
fi
expect_match "... and names the missing postgres.h" "$work/noheaders.log" "server headers not found: $work/include/postgres.h"
expect_match "... and the Debian package to install" "$work/noheaders.log" "postgresql-server-dev-$major"
if grep -q 'fatal error: postgres.h' "$work/noheaders.log"; then
    not_ok "... before the compiler fails on postgres.h"
else
    ok "... before the compiler fails on postgres.h"
fi
if "$copy/test/ensure_deps.sh" --check >"$work/check.log" 2>&1; then
    not_ok "ensure_deps.sh --check reports the missing headers (exit 1)"
else
    expect_match "ensure_deps.sh --check reports the missing headers (exit 1)" "$work/check.log" \
        "$work/include/postgres.h"
fi
expect_empty "neither calls a package manager" "$calls"

# ---- 3. make demo installs what is missing, then runs ----
if [[ $("$real_pg_config" --bindir) == "/usr/lib/postgresql/$major/bin" ]]; then
    if make -C "$copy" -s demo >"$work/demo.log" 2>&1; then
        ok "make demo succeeds on a machine without the server headers"
    else
        not_ok "make demo succeeds on a machine without the server headers" "$(tail -n 30 "$work/demo.log")"
    fi
    expect_match "... after installing postgresql-server-dev-$major" "$calls" \
        "^apt-get install .*postgresql-server-dev-$major"
    expect_match "... and prints the segments" "$work/demo.log" '^ *Champions +\| +[0-9]+ +\|'
else
    # ensure_deps installs Debian packages only for Debian's layout; a
    # private or source-built tree (a developer's) is completed by hand.
    echo "skip  make demo without headers: $real_pg_config is not Debian's layout"
fi
unset RFM_FAKE_NO_HEADERS

# ---- 4. no pg_config ----
: >"$calls"
if make -C "$copy" -s PG_CONFIG=/nonexistent/pg_config >"$work/nopg.log" 2>&1; then
    not_ok "make with a PG_CONFIG that does not exist fails"
else
    expect_match "make with a PG_CONFIG that does not exist fails and says how to fix it" "$work/nopg.log" \
        "cannot run '/nonexistent/pg_config --pgxs'"
fi
expect_empty "... without calling a package manager" "$calls"

rfm_finish setup 0
