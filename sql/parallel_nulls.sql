--
-- Parallel workers whose share of an aggregate's rows is all NULL.  Their
-- partial state must go out as SQL NULL, not as a null pointer, or the strict
-- serialize function dereferences it (this crashed rfm_breaks once).  Each
-- internal-state aggregate runs serial and with workers forced, over a table
-- whose first blocks hold only rows with NULL arguments, and the outcomes
-- (result text, or the error's SQLSTATE) must be the same.
--
CREATE SCHEMA rfm_test_parallel_nulls;
SET search_path = rfm_test_parallel_nulls, public;

CREATE TABLE o (c int, d date, a numeric);
-- first many blocks of rows with NULL dates and amounts only, then the real
-- orders in the last few blocks: one worker is bound to see only NULLs
INSERT INTO o SELECT g % 200, NULL, NULL FROM generate_series(1, 100000) g;
INSERT INTO o SELECT g % 200, date '2026-11-23' - (g % 700), (g % 97) + 0.5
  FROM generate_series(1, 600) g;
ANALYZE o;

CREATE FUNCTION outcome(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    EXECUTE q INTO r;
    RETURN md5(coalesce(r, 'NULL'));
EXCEPTION WHEN others THEN
    RETURN 'ERROR ' || SQLSTATE;
END $$;

CREATE TABLE queries (name text, q text);
INSERT INTO queries VALUES
 ('rfm_history grouped',
  $q$SELECT string_agg(h::text, ';' ORDER BY c) FROM (SELECT c, rfm_history(d, a, date '2026-11-23', interval '1 day') h FROM o GROUP BY c) x$q$),
 ('rfm_breaks',
  $q$SELECT rfm_breaks(s)::text FROM (SELECT c, rfm_summary(d, a, date '2026-11-23') s FROM o GROUP BY c) x$q$),
 ('bgnbd_fit over triples',
  $q$SELECT bgnbd_fit(CASE WHEN d IS NULL THEN NULL ELSE (c % 4)::float8 END, (c % 4) * 10.0, 100.0)::text FROM o$q$),
 ('gamma_gamma_fit over pairs',
  $q$SELECT gamma_gamma_fit(CASE WHEN d IS NULL THEN NULL ELSE (c % 4 + 1)::float8 END, (a + c % 7)::float8)::text FROM o$q$);

SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial AS SELECT name, outcome(q) AS outcome FROM queries;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
-- the plan really is parallel with partial aggregation
EXPLAIN (COSTS OFF) SELECT bgnbd_fit(CASE WHEN d IS NULL THEN NULL ELSE (c % 4)::float8 END, (c % 4) * 10.0, 100.0) FROM o;
SELECT s.name, s.outcome = p.outcome AS same, left(s.outcome, 6) = 'ERROR ' AS is_error
  FROM serial s JOIN (SELECT name, outcome(q) AS outcome FROM queries) p USING (name)
 ORDER BY s.name;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_parallel_nulls CASCADE;
