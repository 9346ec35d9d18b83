#!/usr/bin/env bash
# The regression suite with the server running under valgrind (memcheck).
#
#   test/valgrind/run.sh [HOST PORT]   (arguments ignored: it runs its own server)
#
# The module is built from a private copy of the source with the Makefile's
# usual flags and installed into a private copy of the PostgreSQL 15 tree in a
# temp dir (nothing system-wide is touched, and a concurrent `make install`
# cannot swap the module under the run). `postgres` is started directly under
#   valgrind --trace-children=yes --suppressions=test/valgrind/valgrind.supp ...
# as the postgres user (pg_ctl -o cannot wrap the binary). PostgreSQL's own
# src/tools/valgrind.supp is not shipped by Debian and is not copied into
# this project; it is used when a copy is placed at test/valgrind/valgrind.supp
# (untracked). test/valgrind/debian-stock.supp holds our suppressions for
# PostgreSQL's known reports in Debian's stripped binary. The pg_regress
# suite runs against it exactly as run_all.sh runs it, and the per-process
# logs are parsed: an error is rfm's when a frame of its stack (including the
# "allocated at"/"freed at" stacks) is in rfm.so or one of src/*.c. Those
# must be 0. Errors elsewhere are counted and reported; they fail the suite
# only with VALGRIND_STRICT=1, since without PostgreSQL's suppressions the
# stock server has known reports of its own.
#
# Limits, honestly: Debian's postgres is not built with USE_VALGRIND (nor
# --enable-cassert), so palloc'd chunks are not marked to valgrind: reading
# past a palloc'd chunk inside an allocator block, or reading a chunk after
# pfree/context reset, goes unseen; only accesses outside malloc'd blocks and
# use of never-written malloc'd memory are caught. Leak checking is off:
# PostgreSQL frees by dropping memory contexts. The server binary is stripped,
# so PostgreSQL's static functions show as ??? in stacks; rfm.so has symbols.
#
# Slow (valgrind runs the server ~20-50x slower): meant for `make test-long`.
# Ends with `valgrind: N passed, M failed`. Run as root.
set -euo pipefail

# shellcheck source=test/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
# shellcheck source=test/valgrind/common.sh
source "$RFM_REPO/test/valgrind/common.sh"

start_s=$SECONDS

command -v valgrind >/dev/null 2>&1 || rfm_apt_install valgrind

# initdb with the stock binaries (and a first start by lib.sh), then stop:
# the same data directory is then served under valgrind.
rfm_mem_cluster 120

root=$RFM_TMP/root
rfm_mem_private_tree "$root"
# The Makefile's flags (PGXS adds -g -O2): what `make install` would install.
rfm_mem_build "$root" ""
priv_bin=$root$RFM_MEM_PG_HOME/bin
priv_so=$root$RFM_MEM_PG_LIB/rfm.so

# PostgreSQL's own suppressions (used when present) and ours.
supp_args=()
for f in valgrind.supp debian-stock.supp; do
    if [[ -f $RFM_REPO/test/valgrind/$f ]]; then
        cp "$RFM_REPO/test/valgrind/$f" "$RFM_TMP/$f"
        chown postgres: "$RFM_TMP/$f"
        supp_args+=("--suppressions=$RFM_TMP/$f")
    fi
done
logdir=$RFM_TMP/valgrind
mkdir -p "$logdir"
chown postgres: "$logdir"
# Parallel workers run too (they are forked, so valgrind follows them).
rfm_mem_conf "max_parallel_workers_per_gather = 2" "max_connections = 30" \
    "autovacuum = off"

# No --error-exitcode: valgrind would apply it to every forked process, and a
# child of the postmaster exiting with a status other than 0 is a crash to
# the postmaster (the startup process exiting 1 even stops the server). The
# error count comes from the logs instead.
# shellcheck disable=SC2054  # --error-markers takes a comma-separated pair
vg_opts=(
    --tool=memcheck
    --trace-children=yes
    "${supp_args[@]}"
    --leak-check=no
    "--track-origins=${VALGRIND_TRACK_ORIGINS:-yes}"
    --read-var-info=no
    --num-callers=40
    --error-markers=VALGRINDERROR-BEGIN,VALGRINDERROR-END
    --gen-suppressions=all
    --log-file="$logdir/vg.%p.log"
)
echo "valgrind: $(valgrind --version): ${vg_opts[*]}"
(cd "$RFM_TMP" && exec runuser -u postgres -- valgrind "${vg_opts[@]}" \
    "$priv_bin/postgres" -D "$RFM_PGDATA" -p "$RFM_PORT" >"$RFM_TMP/server.log" 2>&1) &
server_pid=$!
t0=$SECONDS
if ! rfm_mem_wait_ready "$server_pid" 600; then
    tail -n 30 "$RFM_TMP/server.log"
    rfm_die "the server did not start under valgrind"
fi
echo "valgrind: server (pid $server_pid) ready after $((SECONDS - t0)) s on port $RFM_PORT"

# The server really uses the private build, and runs under valgrind.
check=$(rfm_psql -h "$RFM_HOST" -p "$RFM_PORT" -d postgres -Atq -v ON_ERROR_STOP=1 <<'SQL'
CREATE DATABASE rfm_vg_check;
\c rfm_vg_check
CREATE EXTENSION rfm;
SELECT rfm_score(5, 4, 3)::text;
SELECT line FROM regexp_split_to_table(pg_read_file('/proc/self/maps'), E'\n') AS line
WHERE line ~ '(rfm\.so|vgpreload_memcheck)';
\c postgres
DROP DATABASE rfm_vg_check;
SQL
) || true
if grep -qF "$priv_so" <<<"$check" && grep -q vgpreload_memcheck <<<"$check" \
    && ! grep -E 'rfm\.so' <<<"$check" | grep -vqF "$priv_so"; then
    ok "backends run under memcheck and load the private rfm.so"
else
    not_ok "could not confirm memcheck + private rfm.so in a backend:"
    echo "$check"
fi

rfm_mem_regress "$RFM_HOST" "$RFM_PORT" valgrind

rfm_as_pg "$RFM_BINDIR/pg_ctl" stop -D "$RFM_PGDATA" -m fast -w -t 600 >/dev/null 2>&1 || true
server_rc=0
wait "$server_pid" || server_rc=$?
server_pid=''
echo "valgrind: postmaster exited with status $server_rc"

# Split every log into its error blocks; classify each one.
srcre='rfm\.so'
for f in "$RFM_REPO"/src/*.c; do srcre+="|[(]$(basename "$f" .c)\\.c:"; done
report=$RFM_TMP/valgrind.report
awk -v srcre="$srcre" -v rfm_out="$report.rfm" -v other_out="$report.other" '
    /VALGRINDERROR-BEGIN/ { inblk = 1; blk = ""; next }
    /VALGRINDERROR-END/ {
        inblk = 0
        if (blk ~ srcre) { nr++; print "----- " FILENAME " -----\n" blk > rfm_out }
        else { no++; print "----- " FILENAME " -----\n" blk > other_out }
        next
    }
    inblk { sub(/^==[0-9]+== ?/, ""); blk = blk $0 "\n" }
    END { printf "%d %d\n", nr + 0, no + 0 }
' "$logdir"/vg.*.log >"$report.counts"
read -r rfm_errors other_errors <"$report.counts"
logs=$(find "$logdir" -name 'vg.*.log' | wc -l)
summaries=$(cat "$logdir"/vg.*.log | grep -cE 'ERROR SUMMARY: [1-9]' || true)
echo "valgrind: $logs process logs; $rfm_errors errors in rfm code, $other_errors elsewhere;" \
    "$summaries processes with a non-zero ERROR SUMMARY"
if [[ -s $report.rfm ]]; then
    echo "===== errors in rfm code (first 200 lines) ====="
    head -n 200 "$report.rfm"
fi
if [[ -s $report.other ]]; then
    echo "===== errors outside rfm code (first 120 lines) ====="
    head -n 120 "$report.other"
fi
if ((rfm_errors == 0)); then
    ok "no valgrind error in rfm code"
else
    not_ok "$rfm_errors valgrind errors in rfm code"
fi
if ((other_errors == 0)); then
    ok "no valgrind error elsewhere either"
elif [[ ${VALGRIND_STRICT:-0} != 1 ]]; then
    echo "valgrind: $other_errors errors outside rfm code reported, not failed (set VALGRIND_STRICT=1 to fail on them)"
else
    not_ok "$other_errors valgrind errors outside rfm code (see above)"
fi
# Keep the logs where a human can read them after the temp dir is gone.
if [[ -n ${VALGRIND_KEEP_LOGS:-} ]]; then
    mkdir -p "$VALGRIND_KEEP_LOGS" && cp "$logdir"/vg.*.log "$VALGRIND_KEEP_LOGS"/
fi

echo "valgrind: took $((SECONDS - start_s)) s"
echo "valgrind: $passed passed, $failed failed"
((failed == 0))
