# shellcheck shell=bash
# Shared by the BI client suites (jdbc.sh, node.sh): the server (the one
# run_all.sh passes, or a throwaway one), the database `rfm_clients_<suite>`
# loaded from setup.sql, and counting the clients' ok/FAIL lines. Checks
# and package installs are test/lib.sh's.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/lib.sh
source "$here/../lib.sh"

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

finish() { rfm_finish "$SUITE" "$1"; }

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
