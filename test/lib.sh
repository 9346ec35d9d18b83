# shellcheck shell=bash
# Shared helpers for the rfm test and demo scripts: a throwaway PostgreSQL
# cluster in a temp dir, owned and run by the postgres OS user.
#
# Source it, then:
#   rfm_cluster_start          sets RFM_TMP, RFM_PGDATA, RFM_HOST, RFM_PORT
#                              (RFM_EXTRA_CONF: lines added to postgresql.conf)
#   rfm_cluster_cleanup_trap   stop + delete on EXIT/INT/TERM (unless KEEP=1),
#                              then call "$RFM_AT_EXIT" STATUS if set
#   rfm_as_pg CMD...           run CMD as the postgres user, cwd = RFM_TMP
#   rfm_psql ARGS...           psql (as the caller) to the cluster as postgres
#
# Why the detours: PostgreSQL refuses to run as root, and the repo may live in
# a directory the postgres user cannot read, so everything the server or
# pg_regress touches lives in a temp dir owned by postgres.

# Paths, resolved once. PG_CONFIG may be given by the caller (the Makefile
# knows it); otherwise ask ensure_deps.sh, which is fast when all is there.
RFM_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${PG_CONFIG:=$("$RFM_REPO/test/ensure_deps.sh" --pg-config)}"
RFM_BINDIR=$("$PG_CONFIG" --bindir)
RFM_PKGLIBDIR=$("$PG_CONFIG" --pkglibdir)
# The major version, for Debian package names such as postgresql-NN-cron.
RFM_PG_MAJOR=$("$PG_CONFIG" --version | sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
export PG_CONFIG RFM_REPO RFM_BINDIR RFM_PKGLIBDIR RFM_PG_MAJOR

# Clients connect as the bootstrap superuser whatever OS user runs them
# (initdb --auth=trust), including psql started by suites and pg_regress.
export PGUSER=postgres

RFM_TMP=''
RFM_PGDATA=''
RFM_HOST=''
RFM_PORT=''

rfm_log() { printf '%s\n' "$*" >&2; }
rfm_die() { rfm_log "ERROR: $*"; exit 1; }

# Run a command as postgres. cd first: the caller's cwd may be unreadable for
# postgres, and initdb/pg_ctl/psql complain (or fail) when they cannot stat it.
rfm_as_pg() {
    (cd "$RFM_TMP" && runuser -u postgres -- "$@")
}

rfm_psql() {
    "$RFM_BINDIR/psql" -X -h "$RFM_HOST" -p "$RFM_PORT" -U postgres "$@"
}

# A port nothing listens on. Checked by connecting, because neither ss nor
# netstat is guaranteed to be installed; a race with another process taking
# it is handled by the retry in rfm_cluster_start.
rfm_free_port() {
    local port tries
    for ((tries = 0; tries < 200; tries++)); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    return 1
}

rfm_cluster_start() {
    [[ $EUID -eq 0 ]] || rfm_die "run as root: the cluster is run by the postgres OS user via runuser"
    getent passwd postgres >/dev/null || rfm_die "no postgres OS user (run test/ensure_deps.sh)"

    # Fixed parent: $TMPDIR may point somewhere postgres cannot reach, and the
    # socket path must stay short (Unix sockets are limited to ~107 bytes).
    RFM_TMP=$(mktemp -d /tmp/rfm-pg.XXXXXX)
    chown postgres: "$RFM_TMP"
    chmod 700 "$RFM_TMP"
    RFM_PGDATA=$RFM_TMP/pgdata
    RFM_HOST=$RFM_TMP
    export RFM_TMP RFM_PGDATA RFM_HOST

    rfm_log "cluster: initdb in $RFM_PGDATA"
    rfm_as_pg "$RFM_BINDIR/initdb" -D "$RFM_PGDATA" --auth=trust --no-locale \
        -E UTF8 -U postgres >"$RFM_TMP/initdb.log" 2>&1 \
        || { cat "$RFM_TMP/initdb.log" >&2; rfm_die "initdb failed"; }

    # Throwaway data: durability settings off make loading and tests faster.
    # Only TCP on loopback plus a socket in our own dir, so we never clash
    # with a system cluster's /var/run/postgresql socket.
    cat >>"$RFM_PGDATA/postgresql.conf" <<EOF

# --- rfm test harness ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$RFM_TMP'
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
EOF
    # Lines a suite needs on top (e.g. shared_preload_libraries).
    [[ -z ${RFM_EXTRA_CONF:-} ]] || printf '%s\n' "$RFM_EXTRA_CONF" >>"$RFM_PGDATA/postgresql.conf"

    local attempt port
    for attempt in 1 2 3 4 5; do
        port=$(rfm_free_port) || rfm_die "no free TCP port found"
        if rfm_as_pg "$RFM_BINDIR/pg_ctl" start -w -t 60 -D "$RFM_PGDATA" \
            -l "$RFM_TMP/server.log" -o "-p $port" >/dev/null 2>&1; then
            RFM_PORT=$port
            export RFM_PORT
            rfm_log "cluster: running on 127.0.0.1:$RFM_PORT, socket dir $RFM_TMP"
            return 0
        fi
        # Most likely someone grabbed the port between the check and bind;
        # anything else shows up in the log and repeats, so give up then.
        rfm_log "cluster: start on port $port failed (attempt $attempt)"
        tail -n 5 "$RFM_TMP/server.log" >&2 2>/dev/null || true
    done
    rfm_die "could not start PostgreSQL; see above"
}

rfm_cluster_stop() {
    [[ -n $RFM_PGDATA && -f $RFM_PGDATA/postmaster.pid ]] || return 0
    rfm_as_pg "$RFM_BINDIR/pg_ctl" stop -D "$RFM_PGDATA" -m fast -w -t 30 >/dev/null 2>&1 \
        || rfm_as_pg "$RFM_BINDIR/pg_ctl" stop -D "$RFM_PGDATA" -m immediate -w -t 30 >/dev/null 2>&1 \
        || {
            # pg_ctl failing twice means something is badly wrong; kill our
            # own postmaster by the pid it recorded, never by name.
            local pid
            pid=$(head -n 1 "$RFM_PGDATA/postmaster.pid" 2>/dev/null || true)
            [[ $pid =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null
        }
    return 0
}

rfm_cluster_cleanup() {
    local rc=$?
    # Once only (EXIT fires again after the INT/TERM handlers call exit), and
    # not interruptible: a second Ctrl-C must not leave a server or files.
    trap - EXIT
    trap '' INT TERM
    if [[ ${KEEP:-0} == 1 && -n $RFM_PORT ]]; then
        rfm_print_keep_info
    else
        rfm_cluster_stop
        [[ -n $RFM_TMP && -d $RFM_TMP ]] && rm -rf -- "$RFM_TMP"
    fi
    # Last word to the caller (run_all.sh prints its totals line here, so it
    # is the last line even when the run is aborted). It gets the exit status
    # and may return a different one.
    if [[ -n ${RFM_AT_EXIT:-} ]]; then
        "$RFM_AT_EXIT" "$rc" || rc=$?
    fi
    exit "$rc"
}

rfm_cluster_cleanup_trap() {
    trap rfm_cluster_cleanup EXIT
    # Turn signals into a normal exit so the EXIT trap does the cleanup with
    # the conventional 128+signal status.
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

rfm_print_keep_info() {
    cat <<EOF

Cluster kept running (KEEP=1). Connect with:
  $RFM_BINDIR/psql -X -h 127.0.0.1 -p $RFM_PORT -U postgres ${RFM_DBNAME:-postgres}
Stop it and remove its files with:
  runuser -u postgres -- $RFM_BINDIR/pg_ctl stop -D $RFM_PGDATA -m fast && rm -rf $RFM_TMP
EOF
}

# ==========================================================================
# Counting checks and installing packages, shared by the suites (issue 14).
# Kept apart from the cluster helpers above.
#
# A suite counts its checks with ok / not_ok / check and ends with the line
#     NAME: N passed, M failed
# (rfm_finish prints it).
# ==========================================================================

passed=0
failed=0

ok() { passed=$((passed + 1)); echo "ok   - $*"; }

# not_ok NAME [DETAILS]: a failed check; DETAILS (may be several lines) are
# printed indented below it.
not_ok() {
    failed=$((failed + 1))
    echo "FAIL - $1"
    if [[ -n ${2:-} ]]; then printf '%s\n' "$2" | sed 's/^/         /'; fi
}

# check NAME EXPECTED ACTUAL [DETAIL]: DETAIL is printed below got: on failure.
check() {
    if [[ $2 == "$3" ]]; then ok "$1"; else not_ok "$1" "expected: $2"$'\n'"got:      $3${4:+$'\n'$4}"; fi
}

note() { echo "     # $*"; }

# rfm_finish NAME STATUS: prints the suite's last line. A non-zero STATUS
# without a failed check counts as one failure. Returns non-zero if anything
# failed, else STATUS.
rfm_finish() {
    local rc=$2
    if ((rc != 0 && failed == 0)); then failed=1; fi
    echo "$1: $passed passed, $failed failed"
    if ((failed > 0)); then return 1; fi
    return "$rc"
}

# rfm_regress_counts LOG STATUS WHAT: sets regress_passed and regress_failed
# from a pg_regress or pg_isolation_regress log. PG 15 prints `test NAME ...
# ok|FAILED|failed (ignored)` (indented inside parallel groups); PG 16+
# prints TAP (`ok N - NAME`, `not ok N - NAME`). Ignored failures count as
# neither, as pg_regress itself does not fail on them. A non-zero STATUS of
# WHAT without a failed test (it could not connect, bad arguments...) is a
# failure too, not silence.
rfm_regress_counts() {
    regress_passed=$(grep -cE '^(test |     ).*\.\.\. ok|^ok [0-9]' "$1" || true)
    regress_failed=$(grep -cE '^(test |     ).*\.\.\. FAILED|^not ok [0-9]' "$1" || true)
    if (($2 != 0 && regress_failed == 0)); then
        echo "$3 exited with status $2 without a failed test; counting it as 1 failure"
        regress_failed=1
    fi
}

# rfm_show_diffs FILE LINES TITLE: the first LINES lines of FILE (a
# regression.diffs) between two rulers, if it is not empty.
rfm_show_diffs() {
    [[ -s $1 ]] || return 0
    echo "----- $3 (first $2 lines) -----"
    head -n "$2" "$1"
    echo "----- end of $3 -----"
}

# rfm_pg_regress HOST PORT DIFF_LINES: pg_regress over sql/*.sql (except the
# install scripts rfm--*.sql) and expected/*.out against the server there.
# It runs as postgres, so it gets copies it can read and an output dir it can
# write, in $RFM_TMP/regress (results in out/). Prints the log and the first
# DIFF_LINES lines of regression.diffs; sets regress_passed, regress_failed.
rfm_pg_regress() {
    local host=$1 port=$2 regress_dir=$RFM_TMP/regress log=$RFM_TMP/pg_regress.log rc=0
    local -a tests=()
    local f name

    for f in "$RFM_REPO"/sql/*.sql; do
        [[ -e $f ]] || continue
        name=$(basename "$f" .sql)
        [[ $name == rfm--* ]] && continue
        tests+=("$name")
    done
    if ((${#tests[@]} == 0)); then
        echo "pg_regress: no regression tests in sql/ (besides the install script)"
        regress_passed=0 regress_failed=0
        return 0
    fi

    rm -rf "$regress_dir"
    mkdir -p "$regress_dir/out" "$regress_dir/expected" "$regress_dir/test"
    cp -r "$RFM_REPO/sql" "$regress_dir/sql"
    # The tests \copy test/data/... relative to where pg_regress runs, as
    # `make installcheck` runs them from the repo root.
    cp -r "$RFM_REPO/test/data" "$regress_dir/test/data"
    [[ -d $RFM_REPO/expected ]] && cp -r "$RFM_REPO/expected/." "$regress_dir/expected/"
    # pg_regress also supports input/*.source and output/*.source templates.
    [[ -d $RFM_REPO/input ]] && cp -r "$RFM_REPO/input" "$regress_dir/input"
    [[ -d $RFM_REPO/output ]] && cp -r "$RFM_REPO/output" "$regress_dir/output"
    # pg_regress aborts the whole run when a test has no expected output.
    # Give such a test an empty one instead: it fails, its full output shows
    # in the diff (and in results/), and the other tests still run.
    for name in "${tests[@]}"; do
        if [[ ! -e $regress_dir/expected/$name.out ]]; then
            echo "pg_regress: expected/$name.out is missing; $name will fail, see its output in the diff"
            : >"$regress_dir/expected/$name.out"
        fi
    done
    chown -R postgres: "$regress_dir"

    echo "pg_regress: ${#tests[@]} tests: ${tests[*]}"
    # No --use-existing: with it pg_regress would neither create the database
    # (with its fixed datestyle/timezone/lc_messages settings) nor load the
    # extension. Without --temp-instance it still uses our running server.
    rfm_as_pg env -C "$regress_dir" \
        "$RFM_PKGLIBDIR/pgxs/src/test/regress/pg_regress" \
        --bindir="$RFM_BINDIR" --host="$host" --port="$port" \
        --inputdir="$regress_dir" --outputdir="$regress_dir/out" \
        --load-extension=rfm --dbname=rfm_regress \
        "${tests[@]}" >"$log" 2>&1 || rc=$?
    cat "$log"
    rfm_regress_counts "$log" "$rc" pg_regress
    rfm_show_diffs "$regress_dir/out/regression.diffs" "$3" regression.diffs
}

# rfm_apt_install PACKAGE...: as test/ensure_deps.sh does it: install first,
# apt-get update only if that fails; noninteractive; output to stderr.
rfm_apt_install() {
    (($# > 0)) || return 0
    [[ $EUID -eq 0 ]] || rfm_die "missing: $* (as root: apt-get install $*)"
    rfm_log "apt-get install $*"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2 </dev/null; then
        rfm_log "apt-get update"
        apt-get update -q >&2 </dev/null || rfm_die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2 </dev/null \
            || rfm_die "apt-get install $* failed"
    fi
}
