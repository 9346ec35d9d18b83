#!/usr/bin/env bash
# Security of the install and update scripts beyond sql/security.sql:
#   - static: no SECURITY DEFINER, no SET search_path, and no unqualified
#     call of a function an attacker could shadow in the extension's schema
#     (format, concat, ...) in any sql/rfm--*.sql;
#   - dynamic: for every update path A -> default_version, a non-superuser
#     installs A into a schema where it planted look-alike format()/concat()
#     functions, runs ALTER EXTENSION rfm UPDATE, and none of them may run.
#     (No update script exists yet: 0 paths today, the loop is ready.)
#
#   test/security/run.sh HOST PORT      Prints `security: N passed, M failed`.
set -uo pipefail
host=${1:?usage: run.sh HOST PORT}
port=${2:?usage: run.sh HOST PORT}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=test/lib.sh
source "$repo/test/lib.sh"
export PGHOST=$host PGPORT=$port
psql_() { "$RFM_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

# ---- static checks of every install and update script ----
for f in "$repo"/sql/rfm--*.sql; do
    name=$(basename "$f")
    # strip comments and single-quoted strings before looking
    body=$(sed -e 's/--.*$//' "$f")
    if grep -qiE 'security[[:space:]]+definer' <<<"$body"; then not_ok "$name: SECURITY DEFINER"; else ok "$name: no SECURITY DEFINER"; fi
    if grep -qiE 'set[[:space:]]+search_path|set_config[[:space:]]*\([[:space:]]*.search_path' <<<"$body"; then
        not_ok "$name: changes search_path"
    else
        ok "$name: does not change search_path"
    fi
    # calls of shadowable built-in functions must be pg_catalog-qualified
    hits=$(grep -nE '(^|[^.[:alnum:]_])(format|concat|concat_ws|string_agg|array_to_string|replace|lower|upper|quote_ident|quote_literal|quote_nullable)[[:space:]]*\(' "$f" \
           | grep -vE '^[0-9]+:[[:space:]]*--' || true)
    if [[ -n $hits ]]; then
        not_ok "$name: $(wc -l <<<"$hits") unqualified call(s) of shadowable functions (write pg_catalog.format(...)); first: $(head -n 1 <<<"$hits" | cut -c1-120)"
    else
        ok "$name: shadowable functions are schema-qualified"
    fi
done

# ---- dynamic: every update path under attack ----
default_version=$(sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$repo/rfm.control")
mapfile -t released < <(cd "$repo/sql" && ls rfm--*.sql 2>/dev/null | grep -v -- '--.*--' | sed 's/^rfm--\(.*\)\.sql$/\1/' | sort -V)
paths=0
for v in "${released[@]}"; do
    [[ $v == "$default_version" ]] && continue
    db=rfm_sec_up
    psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" \
        -c "DROP ROLE IF EXISTS regress_rfm_upgrader" -c "CREATE ROLE regress_rfm_upgrader" \
        -c "GRANT CREATE ON DATABASE $db TO regress_rfm_upgrader" >/dev/null 2>&1
    out=$(psql_ -d $db -At 2>&1 <<SQL
SET ROLE regress_rfm_upgrader;
CREATE SCHEMA hostile;
CREATE TABLE hostile.calls (fn text, run_as name);
GRANT INSERT ON hostile.calls TO PUBLIC;
DO \$do\$
DECLARE n int; args text; params text;
BEGIN
    FOR n IN 1..12 LOOP
        args := array_to_string(array_fill('text'::text, ARRAY[n]), ', ');
        params := (SELECT string_agg('\$' || i, ', ') FROM generate_series(1, n) i);
        EXECUTE format(\$f\$CREATE FUNCTION hostile.format(%s) RETURNS text LANGUAGE plpgsql AS \$b\$
            BEGIN INSERT INTO hostile.calls VALUES ('format', current_user); RETURN pg_catalog.format(%s); END \$b\$ \$f\$, args, params);
        EXECUTE format(\$f\$CREATE FUNCTION hostile.concat(%s) RETURNS text LANGUAGE plpgsql AS \$b\$
            BEGIN INSERT INTO hostile.calls VALUES ('concat', current_user); RETURN pg_catalog.concat(%s); END \$b\$ \$f\$, args, params);
    END LOOP;
END \$do\$;
CREATE EXTENSION rfm VERSION '$v' SCHEMA hostile;
TRUNCATE hostile.calls;
ALTER EXTENSION rfm UPDATE;
SELECT 'calls=' || count(*) FROM hostile.calls;
SQL
)
    if [[ $out == *"calls=0"* ]]; then ok "update $v -> $default_version: no planted function ran"; else not_ok "update $v -> $default_version: $out"; fi
    psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" -c "DROP ROLE IF EXISTS regress_rfm_upgrader" >/dev/null 2>&1
    paths=$((paths + 1))
done
echo "security: update paths attacked: $paths (released: ${released[*]}; default_version $default_version)"
echo "security: $passed passed, $failed failed"
((failed == 0))
