#!/usr/bin/env bash
# The regression suite against the module built with AddressSanitizer and
# UndefinedBehaviorSanitizer, loaded into the stock PostgreSQL 15 server.
#
#   test/asan/run.sh [HOST PORT]     (arguments ignored: it runs its own server)
#
# Nothing is installed into the system: the stock install is copied into a
# private tree in a temp dir (PostgreSQL installs are relocatable), the
# sanitized rfm.so goes there (`make install DESTDIR=`), and that tree's
# `postgres` runs with the sanitizer runtimes preloaded (the server binary
# itself is not instrumented; the module is). Run as root.
#
# What it catches: out-of-bounds accesses to malloc'd memory, stack and
# globals, use-after-free of malloc'd memory, and undefined behaviour
# (signed overflow, bad shifts, misaligned or null pointers, out-of-range
# float->int conversions, ...) in rfm's code. What it cannot catch: overruns
# inside palloc'd chunks, since PostgreSQL's allocator carves chunks out of
# big malloc'd blocks that ASan sees as one (the valgrind suite and the
# regression results cover that only partly too). Leak detection is off
# (detect_leaks=0): PostgreSQL frees memory by dropping whole contexts and
# by process exit, so LeakSanitizer reports PostgreSQL's own allocations.
#
# A canary module (test/asan/canary.c), built with the same flags, proves the
# reports are really produced and found: one ASan and one UBSan error are
# triggered on purpose and must show up.
#
# Fails if any sanitizer report mentions rfm (or any report at all outside
# the canary's), if a regression test fails, or if the server did not load
# the sanitized module. Ends with `asan: N passed, M failed`.
set -euo pipefail

# shellcheck source=test/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=test/valgrind/common.sh
source "$RFM_REPO/test/valgrind/common.sh"

start_s=$SECONDS

libasan=$(gcc -print-file-name=libasan.so)
libubsan=$(gcc -print-file-name=libubsan.so)
[[ -e $libasan && -e $libubsan ]] \
    || rfm_die "gcc's libasan.so/libubsan.so not found (they come with gcc on Debian)"

# initdb (and a first start) with the stock binaries, then stop: the same
# data directory is then served by the private tree's identical binary.
rfm_mem_cluster 60

root=$RFM_TMP/root
rfm_mem_private_tree "$root"
# PGXS compiles with -fwrapv, which makes signed overflow defined (wrapping),
# so UBSan does not check it: a wrapped sum or day count in rfm shows up only
# as a wrong result in the regression tests, not as a report here. (Adding
# -fno-wrapv would check it, but would also change the semantics of the
# code under test away from the shipped build.)
sanflags='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined'
rfm_mem_build "$root" "-g -O1 $sanflags" "-fsanitize=address,undefined"
priv_bin=$root$RFM_MEM_PG_HOME/bin
priv_so=$root$RFM_MEM_PG_LIB/rfm.so

# The canary: a tiny module with two deliberate errors.
canary_src=$RFM_TMP/canary
mkdir -p "$canary_src"
cp "$RFM_REPO/test/asan/canary.c" "$canary_src/"
# shellcheck disable=SC2016  # make syntax, not shell
printf 'MODULES = canary\nPGXS := $(shell $(PG_CONFIG) --pgxs)\ninclude $(PGXS)\n' >"$canary_src/Makefile"
make -C "$canary_src" -s PG_CONFIG="$PG_CONFIG" PG_CFLAGS="-g -O1 $sanflags" \
    LDFLAGS_SL="-fsanitize=address,undefined" with_llvm=no >>"$RFM_TMP/build.log" 2>&1 \
    || { cat "$RFM_TMP/build.log"; rfm_die "canary build failed"; }
make -C "$canary_src" -s PG_CONFIG="$PG_CONFIG" with_llvm=no install DESTDIR="$root" \
    >>"$RFM_TMP/build.log" 2>&1 || rfm_die "canary install failed"

nm -D "$priv_so" >"$RFM_TMP/rfm.so.syms"
if grep -q '__asan_report' "$RFM_TMP/rfm.so.syms"; then
    ok "private rfm.so is instrumented (calls __asan_report_*)"
else
    not_ok "private rfm.so has no ASan instrumentation"
fi

# See swift_demangle_shim.c: without it the stock postmaster deadlocks at
# start-up under a preloaded ASan runtime.
shim=$RFM_TMP/swift_demangle_shim.so
gcc -shared -fPIC -O2 -o "$shim" "$RFM_REPO/test/asan/swift_demangle_shim.c" \
    || rfm_die "could not build the preload shim"
chmod 755 "$shim"

logdir=$RFM_TMP/sanitizer
mkdir -p "$logdir"
chown postgres: "$logdir"
# synchronous_commit: lib.sh turns it off for speed, but the canaries crash
# the server on purpose, and a crash restart would lose recent commits.
rfm_mem_conf "max_parallel_workers_per_gather = 2" "synchronous_commit = on"

# abort_on_error=0 / halt_on_error: a backend that hits an error exits (its
# report is in the log); the postmaster then restarts the others, which
# shows up as failed regression tests too.
asan_opts="detect_leaks=0:abort_on_error=0:log_path=$logdir/asan:detect_stack_use_after_return=1:strict_string_checks=0:print_summary=1"
ubsan_opts="print_stacktrace=1:halt_on_error=1:log_path=$logdir/ubsan"

(cd "$RFM_TMP" && exec runuser -u postgres -- env \
    LD_PRELOAD="$libasan:$libubsan:$shim" ASAN_OPTIONS="$asan_opts" UBSAN_OPTIONS="$ubsan_opts" \
    "$priv_bin/postgres" -D "$RFM_PGDATA" -p "$RFM_PORT" >"$RFM_TMP/server.log" 2>&1) &
server_pid=$!
if ! rfm_mem_wait_ready "$server_pid" 120; then
    tail -n 30 "$RFM_TMP/server.log"
    rfm_die "the sanitized server did not start"
fi
echo "asan: server (pid $server_pid) running on port $RFM_PORT with $(basename "$libasan") and $(basename "$libubsan") preloaded"

# Which server and which rfm.so: the server's own idea of its paths, and the
# backend's memory map after calling into the module.
q() { rfm_psql -h "$RFM_HOST" -p "$RFM_PORT" -d postgres -Atq -v ON_ERROR_STOP=1 "$@"; }
q -c "CREATE DATABASE rfm_asan_check"
server_libdir=$(q -c "SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR'")
maps=$(rfm_psql -h "$RFM_HOST" -p "$RFM_PORT" -d rfm_asan_check -Atq -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION rfm;
SELECT rfm_score(5, 4, 3)::text;
SELECT line FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\n') AS line
WHERE line ~ '(rfm\.so|libasan|libubsan)' ;
SQL
)
if [[ $server_libdir == "$root$RFM_MEM_PG_LIB" ]]; then
    ok "server's PKGLIBDIR is the private tree ($server_libdir)"
else
    not_ok "server's PKGLIBDIR is $server_libdir, not $root$RFM_MEM_PG_LIB"
fi
if grep -qF "$priv_so" <<<"$maps" && ! grep -E 'rfm\.so' <<<"$maps" | grep -vqF "$priv_so" \
    && grep -q libasan <<<"$maps" && grep -q libubsan <<<"$maps"; then
    ok "backend mapped the private sanitized rfm.so and the sanitizer runtimes"
else
    not_ok "backend memory map does not show the sanitized rfm.so + runtimes:"
    echo "$maps"
fi

# Canary: each call must kill its backend with a report in the logs.
q -c "CREATE FUNCTION asan_canary_overflow(int) RETURNS int AS '\$libdir/canary' LANGUAGE C STRICT" \
  -c "CREATE FUNCTION asan_canary_ubsan(int) RETURNS int AS '\$libdir/canary' LANGUAGE C STRICT"
q -c "SELECT asan_canary_overflow(16)" >"$RFM_TMP/canary.out" 2>&1 || true
rfm_mem_wait_ready "$server_pid" 60 || rfm_die "server did not come back after the ASan canary"
q -c "SELECT asan_canary_ubsan(40)" >>"$RFM_TMP/canary.out" 2>&1 || true
rfm_mem_wait_ready "$server_pid" 60 || rfm_die "server did not come back after the UBSan canary"
sleep 1
if grep -qs 'heap-buffer-overflow' "$logdir"/asan.* && grep -qs 'asan_canary_overflow' "$logdir"/asan.*; then
    ok "canary: ASan report for a deliberate heap overflow is produced and found"
else
    not_ok "canary: no ASan report for the deliberate overflow (is the runtime really active?)"
fi
# UBSan writes to the server's stderr (the server log) here, whatever its
# log_path says; both places are searched.
if grep -qs 'canary.c:.*shift exponent 40' "$logdir"/ubsan.* "$logdir"/asan.* "$RFM_TMP/server.log"; then
    ok "canary: UBSan report for a deliberate bad shift is produced and found"
else
    not_ok "canary: no UBSan report for the deliberate bad shift"
fi
if [[ -n ${ASAN_DEBUG:-} ]]; then
    cat "$RFM_TMP/canary.out"; ls -la "$logdir"; tail -n 20 "$RFM_TMP/server.log"
fi
# Keep the canary's reports apart from the suite's.
mkdir -p "$logdir/canary"
for f in "$logdir"/asan.* "$logdir"/ubsan.*; do
    [[ -e $f ]] && mv "$f" "$logdir/canary/"
done
q -c "DROP DATABASE rfm_asan_check"

# From here on, crashes in the server log belong to the suite.
log_mark=$(wc -l <"$RFM_TMP/server.log")

rfm_mem_regress "$RFM_HOST" "$RFM_PORT" asan

rfm_as_pg "$RFM_BINDIR/pg_ctl" stop -D "$RFM_PGDATA" -m fast -w -t 120 >/dev/null 2>&1 || true
wait "$server_pid" 2>/dev/null || true
server_pid=''

# Reports: one file per process that had one. ASan files start with "====",
# UBSan ones hold "runtime error:". A report "mentions rfm" when a frame is
# in rfm.so or one of its source files.
srcre="rfm\\.so"
for f in "$RFM_REPO"/src/*.c; do srcre+="|$(basename "$f" .c)\\.c:"; done
reports=0
rfm_reports=0
for f in "$logdir"/asan.* "$logdir"/ubsan.*; do
    [[ -e $f ]] || continue
    reports=$((reports + 1))
    if grep -qE "$srcre" "$f"; then
        rfm_reports=$((rfm_reports + 1))
        echo "----- sanitizer report mentioning rfm: $f -----"
    else
        echo "----- sanitizer report outside rfm: $f -----"
    fi
    head -n 60 "$f"
done
# The sanitizer runtimes also write to stderr when log_path cannot be used.
suite_log=$RFM_TMP/server.suite.log
tail -n +"$((log_mark + 1))" "$RFM_TMP/server.log" >"$suite_log"
if grep -qE 'ERROR: AddressSanitizer|runtime error:' "$suite_log"; then
    echo "----- sanitizer output in the server log -----"
    grep -E -A 30 'ERROR: AddressSanitizer|runtime error:' "$suite_log" | head -n 80
    reports=$((reports + 1))
    if grep -qE "$srcre" "$suite_log"; then rfm_reports=$((rfm_reports + 1)); fi
fi
echo "asan: $reports sanitizer reports during the suite, $rfm_reports mentioning rfm"
if ((rfm_reports == 0)); then
    ok "no ASan/UBSan report mentions rfm"
else
    not_ok "$rfm_reports ASan/UBSan reports mention rfm"
fi
if ((reports == rfm_reports)); then
    ok "no ASan/UBSan report outside rfm either"
else
    not_ok "$((reports - rfm_reports)) ASan/UBSan reports outside rfm (see above)"
fi
# A process that died (a sanitizer error ends it) makes the postmaster
# restart all the others.
crashes=$(grep -c 'terminating any other active server processes' "$suite_log" || true)
if ((crashes == 0)); then
    ok "no server process crashed during the suite"
else
    not_ok "$crashes crash restarts of the server during the suite:"
    grep -E -B 2 'terminating any other active server processes' "$suite_log" | head -n 30
fi

echo "asan: took $((SECONDS - start_s)) s"
echo "asan: $passed passed, $failed failed"
((failed == 0))
