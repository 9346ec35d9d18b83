#!/usr/bin/env bash
# BI over JDBC: pgjdbc from Debian (libpostgresql-jdbc-java, the driver
# Metabase, Tableau and DBeaver use) against the nightly view.
#
#   test/clients/jdbc.sh [HOST PORT]
#
# Uses the server run_all.sh passes (TCP 127.0.0.1:PORT, trust auth), or
# starts a throwaway one. Installs libpostgresql-jdbc-java and a JDK
# (default-jdk-headless) with apt-get when missing. Loads setup.sql into
# database rfm_clients_jdbc, compiles java/RfmJdbcCheck.java and runs it; it
# checks (see the file): schema sync metadata (getTables/getColumns), type
# names from ResultSetMetaData, getString/getInt/getObject of every rfm
# type, the segment report and every column of every customer equal to
# psql's text, with default settings, prepareThreshold=-1 (binary for the
# types the driver knows) and 0, filters as prepared-statement parameters,
# and forced binary transfer of the rfm types.
#
# Ends with `jdbc: N passed, M failed`; exits non-zero on failure.
set -euo pipefail
SUITE=jdbc
# shellcheck source=test/clients/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

JAR=/usr/share/java/postgresql.jar
missing=()
[[ -f $JAR ]] || missing+=(libpostgresql-jdbc-java)
{ command -v javac >/dev/null 2>&1 && command -v java >/dev/null 2>&1; } || missing+=(default-jdk-headless)
rfm_apt_install "${missing[@]}"
[[ -f $JAR ]] || rfm_die "$JAR still missing"

use_server "${1:-}" "${2:-}"

work=$(mktemp -d /tmp/rfm-jdbc.XXXXXX)
prev_exit=$RFM_AT_EXIT
cleanup_work() { rm -rf -- "$work"; "$prev_exit" "$1"; }
RFM_AT_EXIT=cleanup_work

write_expected "$work"
if out=$(javac -d "$work" -cp "$JAR" "$here/java/RfmJdbcCheck.java" 2>&1); then
    ok "RfmJdbcCheck.java compiles (javac $(javac -version 2>&1 | awk '{print $2}'))"
else
    not_ok "javac failed" "$out"
    exit 1
fi

rc=0
count_client_output < <(java -cp "$JAR:$work" RfmJdbcCheck \
    "jdbc:postgresql://127.0.0.1:$RFM_PORT/$DB" "$work" 2>&1; echo "exit status $?" >"$work/java.rc")
read -r _ _ rc <"$work/java.rc"
((rc == 0)) || not_ok "RfmJdbcCheck exited with status $rc"
exit 0
