#!/usr/bin/env bash
# Nightly materialized view, scheduled with pg_cron (Debian's postgresql-NN-cron).
#
#   test/cron/run.sh [HOST PORT]
#
# pg_cron must be in shared_preload_libraries at server start, so this suite
# starts its own throwaway cluster (lib.sh), adds the pg_cron settings to its
# postgresql.conf and restarts it; HOST/PORT from run_all.sh are not used.
# It installs postgresql-NN-cron (NN: the major of PG_CONFIG) with apt-get when it is missing.
#
# The recipe under test (README, Recipes, "Nightly materialized view"): a
# non-superuser role owns the orders and a materialized view customer_rfm
# (figures, score, segment, loyalty as of midnight UTC) with a unique index
# on customer_id, and schedules
#     REFRESH MATERIALIZED VIEW CONCURRENTLY customer_rfm
# with cron.schedule. Checks:
#   - pg_cron is loaded and the rfm extension installs as the non-superuser;
#   - the view equals its defining query; REFRESH ... CONCURRENTLY needs the
#     unique index (without one: the error and PostgreSQL's hint);
#   - cron.schedule registers the job (command, database, user);
#   - the job's stored command, run the way pg_cron runs it (a new session
#     as the job's user in the job's database, the command as one query),
#     picks up new orders: changed figures, a new customer, still equal to
#     the defining query;
#   - a second run without new orders rewrites no row (same ctids);
#   - pg_cron itself fires the job ('* * * * *', the finest schedule pg_cron
#     1.4 has: no seconds schedules before 1.5, so this waits for the next
#     minute boundary, at most ~60 s) and cron.job_run_details records a
#     succeeded run; the view then shows the orders added before it, and the
#     per-database setting rfm.loyal_min_orders (ALTER DATABASE ... SET),
#     which the job's session sees while an interactive SET would not.
#
# Prints one ok/FAIL line per check, ends with `cron: N passed, M failed`,
# exits non-zero on failure. KEEP=1 leaves the cluster running.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=test/lib.sh
source "$here/../lib.sh"

DB=rfm_cron
ROLE=shop
WAIT_SECONDS=${RFM_CRON_WAIT:-75}

finish() { rfm_finish cron "$1"; }
RFM_AT_EXIT=finish

# ------------------------------------------------------------ dependencies
PG_CRON_SO=$RFM_PKGLIBDIR/pg_cron.so
if [[ ! -f $PG_CRON_SO ]]; then
    rfm_apt_install "postgresql-$RFM_PG_MAJOR-cron"
    [[ -f $PG_CRON_SO ]] || rfm_die "pg_cron.so still missing after installing postgresql-$RFM_PG_MAJOR-cron"
fi

# ---------------------------------------------------------------- cluster
rfm_cluster_cleanup_trap
rfm_cluster_start
# pg_cron's launcher connects with libpq to cron.host (default localhost) on
# the server's port; the socket directory avoids depending on how localhost
# resolves. pg_ctl restart reuses the options of the first start (the port).
cat >>"$RFM_PGDATA/postgresql.conf" <<EOF

# --- rfm cron suite ---
shared_preload_libraries = 'pg_cron'
cron.database_name = '$DB'
cron.host = '$RFM_TMP'
EOF
rfm_as_pg "$RFM_BINDIR/pg_ctl" restart -w -t 60 -D "$RFM_PGDATA" -m fast >/dev/null 2>&1 \
    || { tail -n 20 "$RFM_TMP/server.log" >&2; rfm_die "restart with pg_cron failed"; }

psql_su() { rfm_psql -v ON_ERROR_STOP=1 -At "$@"; }
# As the shop's role, the way the shop's own scripts (and the cron job) run.
psql_shop() { rfm_psql -U "$ROLE" -d "$DB" -v ON_ERROR_STOP=1 -At "$@"; }

psql_su -d postgres -q <<SQL
CREATE ROLE $ROLE LOGIN;
CREATE DATABASE $DB OWNER $ROLE;
SQL
# pg_cron is installed by a superuser in cron.database_name; the shop's role
# gets USAGE on schema cron to schedule its own jobs.
psql_su -d "$DB" -q <<SQL
CREATE EXTENSION pg_cron;
GRANT USAGE ON SCHEMA cron TO $ROLE;
SQL

check "pg_cron is preloaded" "pg_cron" "$(psql_su -d "$DB" -c 'SHOW shared_preload_libraries')"
note "pg_cron $(psql_su -d "$DB" -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'")"

# ------------------------------------------------------------ the recipe
# Orders relative to today: as_of is midnight UTC, so every order here is
# before it. 40 customers; customer c orders (c % 13) + 1 times, every
# (c % 5 + 1) * 9 days, the last one c days before midnight.
if psql_shop -q <<'SQL'
CREATE EXTENSION rfm;

CREATE TABLE orders (
    order_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id int NOT NULL,
    ordered_at  timestamptz NOT NULL,
    amount      numeric(12,2) NOT NULL
);
INSERT INTO orders (customer_id, ordered_at, amount)
SELECT c,
       date_trunc('day', now(), 'UTC') - c * interval '1 day' - interval '3 hours'
           - i * (c % 5 + 1) * interval '9 days',
       round((10 + (c * 37 + i * 11) % 90)::numeric, 2)
FROM generate_series(1, 40) AS c, LATERAL generate_series(0, c % 13) AS i;

-- The nightly view: every customer's figures as of midnight UTC.
CREATE MATERIALIZED VIEW customer_rfm AS
WITH per_customer AS (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, date_trunc('day', now(), 'UTC'), interval '1 year') AS s
    FROM orders
    GROUP BY customer_id
)
SELECT customer_id, s,
       recency(s)                         AS recency_days,
       frequency(s)                       AS orders_last_year,
       monetary(s)                        AS spend_last_year,
       rfm_score(s) OVER ()               AS score,
       rfm_segment(rfm_score(s) OVER ())  AS segment,
       loyalty_class(s)                   AS loyalty
FROM per_customer
WHERE s IS NOT NULL;

-- REFRESH ... CONCURRENTLY needs a unique index on plain columns, no WHERE.
CREATE UNIQUE INDEX customer_rfm_customer_id ON customer_rfm (customer_id);
SQL
then ok "as $ROLE (not superuser): CREATE EXTENSION rfm, orders, materialized view, unique index"
else not_ok "as $ROLE: setting up the recipe failed"; exit 1
fi

# The defining query, to compare the view with: a plain view with the
# materialized view's definition. Compared as text (the summary's text form
# carries every field).
psql_shop -q -c "CREATE VIEW customer_rfm_fresh AS $(psql_shop -c "SELECT definition FROM pg_matviews WHERE matviewname = 'customer_rfm'" | sed 's/;[[:space:]]*$//')"
fresh_diff() {
    psql_shop -c "
        WITH v AS (SELECT customer_id, s::text AS s, recency_days, orders_last_year, spend_last_year,
                          score::text AS score, segment::text AS segment, loyalty::text AS loyalty
                   FROM customer_rfm),
             q AS (SELECT customer_id, s::text AS s, recency_days, orders_last_year, spend_last_year,
                          score::text AS score, segment::text AS segment, loyalty::text AS loyalty
                   FROM customer_rfm_fresh)
        SELECT count(*) FROM ((TABLE v EXCEPT ALL TABLE q) UNION ALL (TABLE q EXCEPT ALL TABLE v)) AS d"
}

check "view has one row per customer" "40" "$(psql_shop -c 'SELECT count(*) FROM customer_rfm')"
check "view equals its defining query" "0" "$(fresh_diff)"
check "every row has a score, a segment and a loyalty class" "0" \
    "$(psql_shop -c 'SELECT count(*) FROM customer_rfm WHERE score IS NULL OR segment IS NULL OR loyalty IS NULL')"

# Without the unique index, CONCURRENTLY is refused, with a hint.
out=$(psql_shop -c "CREATE MATERIALIZED VIEW no_index AS TABLE customer_rfm" \
                -c "REFRESH MATERIALIZED VIEW CONCURRENTLY no_index" 2>&1 || true)
if [[ $out == *'cannot refresh materialized view'*'concurrently'* && $out == *'HINT:'*'unique index'* ]]; then
    ok "without a unique index REFRESH ... CONCURRENTLY fails, hint names the unique index"
else
    not_ok "REFRESH CONCURRENTLY without unique index: unexpected outcome" "$out"
fi
psql_shop -q -c "DROP MATERIALIZED VIEW IF EXISTS no_index"

# ------------------------------------------------------------ the job
COMMAND='REFRESH MATERIALIZED VIEW CONCURRENTLY customer_rfm'
jobid=$(psql_shop -c "SELECT cron.schedule('customer-rfm-nightly', '15 2 * * *', '$COMMAND')")
check "cron.schedule registers the nightly job" \
    "15 2 * * *|$COMMAND|$DB|$ROLE|t" \
    "$(psql_shop -c "SELECT schedule, command, database, username, active FROM cron.job WHERE jobid = $jobid")"

# Run the stored command the way pg_cron does: a new session as the job's
# user in the job's database, the command sent as one query.
run_stored_command() {
    local cmd db user
    IFS='|' read -r db user < <(psql_shop -c "SELECT database, username FROM cron.job WHERE jobid = $jobid")
    cmd=$(psql_shop -c "SELECT command FROM cron.job WHERE jobid = $jobid")
    rfm_psql -U "$user" -d "$db" -v ON_ERROR_STOP=1 -At -c "$cmd"
}

before=$(psql_shop -c "SELECT orders_last_year || '|' || spend_last_year || '|' || recency_days FROM customer_rfm WHERE customer_id = 7")
# New orders during the day (dated before midnight UTC, so inside as_of):
# customer 7 buys again yesterday, customer 41 is new.
psql_shop -q <<'SQL'
INSERT INTO orders (customer_id, ordered_at, amount) VALUES
    (7,  date_trunc('day', now(), 'UTC') - interval '2 hours', 99.95),
    (41, date_trunc('day', now(), 'UTC') - interval '5 hours', 12.50);
SQL
check "new orders are not in the view before the refresh" "$before|0" \
    "$(psql_shop -c "SELECT orders_last_year || '|' || spend_last_year || '|' || recency_days FROM customer_rfm WHERE customer_id = 7")|$(psql_shop -c 'SELECT count(*) FROM customer_rfm WHERE customer_id = 41')"
if out=$(run_stored_command 2>&1); then
    ok "the job's stored command runs as $ROLE in $DB ($out)"
else
    not_ok "the job's stored command failed" "$out"
fi
IFS='|' read -r f0 m0 _ <<<"$before"
check "customer 7 after the refresh: one more order, +99.95, recency 0" \
    "$((f0 + 1))|$(psql_shop -c "SELECT $m0 + 99.95")|0" \
    "$(psql_shop -c "SELECT orders_last_year || '|' || spend_last_year || '|' || recency_days FROM customer_rfm WHERE customer_id = 7")"
check "new customer 41 appears (a one_time customer, recency 0)" "1|0|one_time" \
    "$(psql_shop -c "SELECT orders_last_year || '|' || recency_days || '|' || loyalty FROM customer_rfm WHERE customer_id = 41")"
check "view equals its defining query after the refresh" "0" "$(fresh_diff)"

# Same orders, same as_of: a second refresh finds nothing to change, so
# CONCURRENTLY rewrites no row (every ctid stays).
ctids_before=$(psql_shop -c "SELECT string_agg(customer_id || ':' || ctid::text, ',' ORDER BY customer_id) FROM customer_rfm")
run_stored_command >/dev/null
ctids_after=$(psql_shop -c "SELECT string_agg(customer_id || ':' || ctid::text, ',' ORDER BY customer_id) FROM customer_rfm")
check "refresh without new orders rewrites no row" "$ctids_before" "$ctids_after"

# ------------------------------------------------------- pg_cron fires it
# cron.schedule with the same name updates the job (same jobid); every
# minute is pg_cron 1.4's finest schedule.
jobid2=$(psql_shop -c "SELECT cron.schedule('customer-rfm-nightly', '* * * * *', '$COMMAND')")
check "rescheduling by name keeps the job id" "$jobid" "$jobid2"

# A setting for the job's sessions: a SET in this session would not reach
# them, ALTER DATABASE ... SET does.
psql_su -d "$DB" -q -c "ALTER DATABASE $DB SET rfm.loyal_min_orders = 3"
psql_shop -q <<'SQL'
INSERT INTO orders (customer_id, ordered_at, amount) VALUES
    (7,  date_trunc('day', now(), 'UTC') - interval '1 hour', 5.00),
    (42, date_trunc('day', now(), 'UTC') - interval '1 hour', 42.00);
SQL
t0=$(psql_shop -c "SELECT now()")
note "waiting for pg_cron to fire the job (next minute boundary, at most ${WAIT_SECONDS}s)"
status=''
for ((i = 0; i < WAIT_SECONDS; i++)); do
    status=$(psql_shop -c "SELECT status || '|' || coalesce(return_message, '') FROM cron.job_run_details
                           WHERE jobid = $jobid AND start_time >= '$t0' AND status IN ('succeeded', 'failed')
                           ORDER BY start_time LIMIT 1")
    [[ -n $status ]] && break
    sleep 1
done
note "fired after ${i}s"
check "pg_cron ran the job: cron.job_run_details says succeeded" "succeeded|REFRESH MATERIALIZED VIEW" "$status"
check "the cron run picked up the new orders (customer 7 +1 order, customer 42 present)" \
    "$((f0 + 2))|1" \
    "$(psql_shop -c "SELECT (SELECT orders_last_year FROM customer_rfm WHERE customer_id = 7) || '|' || (SELECT count(*) FROM customer_rfm WHERE customer_id = 42)")"
# loyalty_class(s) read rfm.loyal_min_orders = 3 in the job's session.
check "the cron run used the database's rfm.loyal_min_orders = 3" "0" \
    "$(psql_shop -c "SELECT count(*) FROM customer_rfm WHERE loyalty <> loyalty_class(s, 3)")"
check "... and it made a difference (customers with 3..9 orders are loyal now)" "t" \
    "$(psql_shop -c "SELECT count(*) > 0 FROM customer_rfm WHERE loyalty = 'loyal' AND orders_last_year < 10")"
psql_shop -q -c "SELECT cron.unschedule('customer-rfm-nightly')" >/dev/null
check "cron.unschedule removes the job" "0" "$(psql_shop -c 'SELECT count(*) FROM cron.job')"

# `finish` prints the totals line from the exit trap.
exit 0
