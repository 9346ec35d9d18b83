# shellcheck shell=bash
# Helpers shared by the memory suites (test/valgrind/run.sh, test/asan/run.sh).
# Source after test/lib.sh.
#
#   rfm_mem_cluster STOP_SECONDS   a throwaway cluster made (initdb, a first
#                                  start) by the stock binaries and stopped;
#                                  the caller serves it, pid in server_pid,
#                                  which is stopped on exit (immediate,
#                                  waiting up to STOP_SECONDS)
#   rfm_mem_private_tree ROOT      copy the stock PostgreSQL 15 install into
#                                  ROOT/usr/{lib,share}/postgresql/15, minus any
#                                  rfm files, so a build can be installed there
#                                  without touching the system locations
#   rfm_mem_build ROOT CFLAGS [LDFLAGS_SL]
#                                  build a private copy of the module with
#                                  PG_CFLAGS=CFLAGS and `make install DESTDIR=ROOT`
#   rfm_mem_regress HOST PORT SUITE
#                                  the pg_regress suite as run_all.sh runs it
#                                  (rfm_pg_regress in lib.sh), its tests
#                                  counted in the suite's passed / failed
#
# PostgreSQL installs are relocatable: the server finds share/ and lib/
# relative to its own binary, so ROOT/usr/lib/postgresql/15/bin/postgres
# uses ROOT/usr/share/postgresql/15 and ROOT/usr/lib/postgresql/15/lib.

RFM_MEM_PG_LIB=$("$PG_CONFIG" --pkglibdir)                   # /usr/lib/postgresql/15/lib
RFM_MEM_PG_HOME=$(cd "$RFM_BINDIR/.." && pwd)                # /usr/lib/postgresql/15
RFM_MEM_PG_SHARE=$("$PG_CONFIG" --sharedir)                  # /usr/share/postgresql/15

# The warnings the Makefile uses; PG_CFLAGS on the command line replaces them.
RFM_MEM_WARN='-Wall -Wextra -Wno-missing-field-initializers'

server_pid=''
rfm_mem_stop_seconds=60

rfm_mem_at_exit() {
    local rc=$1
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        rfm_as_pg "$RFM_BINDIR/pg_ctl" stop -D "$RFM_PGDATA" -m immediate -w -t "$rfm_mem_stop_seconds" >/dev/null 2>&1 || true
    fi
    return "$rc"
}

rfm_mem_cluster() {
    rfm_mem_stop_seconds=$1
    RFM_AT_EXIT=rfm_mem_at_exit
    rfm_cluster_cleanup_trap
    rfm_cluster_start
    rfm_cluster_stop
}

rfm_mem_private_tree() {
    local root=$1
    mkdir -p "$root$(dirname "$RFM_MEM_PG_HOME")" "$root$(dirname "$RFM_MEM_PG_SHARE")"
    cp -a "$RFM_MEM_PG_HOME" "$root$RFM_MEM_PG_HOME"
    cp -a "$RFM_MEM_PG_SHARE" "$root$RFM_MEM_PG_SHARE"
    # Whatever `make install` put in the system tree must not be picked up
    # by mistake if the private install failed half-way.
    rm -rf "$root$RFM_MEM_PG_LIB/rfm.so" "$root$RFM_MEM_PG_LIB/bitcode/rfm" \
        "$root$RFM_MEM_PG_LIB/bitcode/rfm.index.bc" \
        "$root$RFM_MEM_PG_SHARE"/extension/rfm.control "$root$RFM_MEM_PG_SHARE"/extension/rfm--*
    # The private pg_config must report the private paths, or the tree is
    # not relocated as we think.
    local libdir
    libdir=$("$root$RFM_MEM_PG_HOME/bin/pg_config" --pkglibdir)
    [[ $libdir == "$root$RFM_MEM_PG_LIB" ]] \
        || rfm_die "private tree not relocatable: pg_config --pkglibdir says $libdir"
}

rfm_mem_build() {
    local root=$1 cflags=$2 ldflags_sl=${3:-} src=$RFM_TMP/src
    rm -rf "$src"
    mkdir -p "$src/src" "$src/sql"
    cp "$RFM_REPO/Makefile" "$RFM_REPO/rfm.control" "$src/"
    cp "$RFM_REPO"/src/*.c "$RFM_REPO"/src/*.h "$src/src/" 2>/dev/null || true
    cp "$RFM_REPO"/sql/rfm--*.sql "$src/sql/"
    # The Makefile's REGRESS wildcard wants sql/*.sql only for `installcheck`;
    # the install needs just the scripts above.
    local -a args=(PG_CONFIG="$PG_CONFIG" PG_CFLAGS="$RFM_MEM_WARN $cflags")
    [[ -n $ldflags_sl ]] && args+=(LDFLAGS_SL="$ldflags_sl")
    rfm_log "build: make ${args[*]}"
    make -C "$src" -s -j2 "${args[@]}" >"$RFM_TMP/build.log" 2>&1 \
        || { cat "$RFM_TMP/build.log"; rfm_die "private build failed"; }
    make -C "$src" -s "${args[@]}" install DESTDIR="$root" >>"$RFM_TMP/build.log" 2>&1 \
        || { cat "$RFM_TMP/build.log"; rfm_die "private install failed"; }
    [[ -f $root$RFM_MEM_PG_LIB/rfm.so ]] || rfm_die "no rfm.so in the private tree"
    # Warnings are worth seeing, but do not fail the suite.
    grep -E 'warning:' "$RFM_TMP/build.log" | head -n 20 || true
}

# Append settings to the cluster's postgresql.conf. jit=off: the JIT would
# inline the module's bitcode, which is built without instrumentation.
rfm_mem_conf() {
    printf '%s\n' "# --- memory suite ---" "jit = off" "$@" >>"$RFM_PGDATA/postgresql.conf"
}

# Wait until the server accepts connections (or its process is gone).
rfm_mem_wait_ready() {
    local pid=$1 timeout=$2 t
    for ((t = 0; t < timeout; t++)); do
        if "$RFM_BINDIR/pg_isready" -q -h "$RFM_HOST" -p "$RFM_PORT" -t 2; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 1
    done
    return 1
}

rfm_mem_regress() {
    local t0=$SECONDS
    rfm_pg_regress "$1" "$2" 100
    echo "$3: pg_regress took $((SECONDS - t0)) s: $regress_passed passed, $regress_failed failed"
    passed=$((passed + regress_passed))
    failed=$((failed + regress_failed))
}
