# shellcheck shell=bash
# Shared by the BI client suites (jdbc.sh, node.sh): dependency installs,
# the server (the one run_all.sh passes, or a throwaway one), the database
# `rfm_clients_<suite>` loaded from setup.sql, and ok/FAIL counting.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/lib.sh
source "$here/../lib.sh"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   - $1"; }
not_ok() {
    failed=$((failed + 1))
    echo "FAIL - $1"
    if [[ -n ${2:-} ]]; then printf '%s\n' "$2" | sed 's/^/         /'; fi
}
check() { # NAME EXPECTED ACTUAL
    if [[ $2 == "$3" ]]; then ok "$1"; else not_ok "$1" "expected: $2"$'\n'"got:      $3"; fi
}
note() { echo "     # $*"; }

# Count the ok/FAIL lines a client program printed (and show them).
count_client_output() {
    local line
    while IFS= read -r line; do
        printf '%s\n' "$line"
        case $line in
            'ok   - '*) passed=$((passed + 1)) ;;
            'FAIL - '*) failed=$((failed + 1)) ;;
        esac
    done
}

# apt_install_missing PACKAGE... -- as test/ensure_deps.sh does: install
# first, apt-get update only if that fails; noninteractive; output to stderr.
apt_install_missing() {
    (($# > 0)) || return 0
    [[ $EUID -eq 0 ]] || rfm_die "missing: $* (as root: apt-get install $*)"
    export DEBIAN_FRONTEND=noninteractive
    rfm_log "$SUITE: apt-get install $*"
    if ! apt-get install -y -q --no-install-recommends "$@" >&2 </dev/null; then
        rfm_log "$SUITE: apt-get update"
        apt-get update -q >&2 </dev/null || rfm_die "apt-get update failed"
        apt-get install -y -q --no-install-recommends "$@" >&2 </dev/null \
            || rfm_die "apt-get install $* failed"
    fi
}

finish() {
    local rc=$1
    if ((rc != 0 && failed == 0)); then failed=1; fi
    echo "$SUITE: $passed passed, $failed failed"
    if ((failed > 0)); then return 1; fi
    return "$rc"
}

# use_server [HOST PORT]: the server run_all.sh passes, or a throwaway one.
# Then (re)creates the suite's database from setup.sql.
use_server() {
    RFM_AT_EXIT=finish
    rfm_cluster_cleanup_trap
    if [[ -n ${1:-} && -n ${2:-} ]]; then
        RFM_HOST=$1
        RFM_PORT=$2
    else
        rfm_cluster_start
    fi
    DB=rfm_clients_$SUITE
    PGOPTIONS='-c client_min_messages=warning' rfm_psql -q -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" \
        || rfm_die "could not create database $DB"
    rfm_psql -q -d "$DB" -v ON_ERROR_STOP=1 -f "$here/setup.sql" >/dev/null \
        || rfm_die "setup.sql failed"
}

# What psql prints for the queries the clients run, tab-separated.
write_expected() {
    local dir=$1
    rfm_psql -d "$DB" -At -F $'\t' -v ON_ERROR_STOP=1 -o "$dir/report.tsv" -c \
        "SELECT segment, count(*) AS customers, sum(spend_last_year) AS revenue
         FROM customer_rfm GROUP BY segment ORDER BY segment"
    rfm_psql -d "$DB" -At -F $'\t' -v ON_ERROR_STOP=1 -o "$dir/rows.tsv" -c \
        "SELECT customer_id, s, recency_days, orders_last_year, spend_last_year, score, segment, loyalty
         FROM customer_rfm ORDER BY customer_id"
}
