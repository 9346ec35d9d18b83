--
-- numeric_infinity: an infinite numeric amount is an error (22003), like
-- NaN, for every time kind.  numeric has 'Infinity' and '-Infinity' from
-- PostgreSQL 14 on; on 13 the cast itself fails (22P02) before rfm sees a
-- value.  expected/numeric_infinity_1.out is PostgreSQL 13's output: the
-- cast's error, nothing of rfm's.
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\pset format unaligned
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    EXECUTE q INTO r;
    RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT k, v, pg_temp.try(format(
         'SELECT rfm_summary(%s ''2026-01-01'', %L::numeric, %s ''2026-11-23'')::text', k, v, k))
FROM unnest(ARRAY['date', 'timestamp', 'timestamptz']) k,
     unnest(ARRAY['Infinity', '-Infinity']) v
ORDER BY 1, 2;
-- after a finite amount, in the aggregate's transition
SELECT pg_temp.try($$SELECT rfm_summary(d, a, date '2026-11-23')::text
FROM (VALUES (date '2026-11-01', 10::numeric), (date '2026-11-02', 'Infinity')) o(d, a)$$);
-- inside a period; an infinite amount after as_of is ignored like any other
SELECT pg_temp.try($$SELECT rfm_summary(d, a, date '2026-11-23', interval '7 days')::text
FROM (VALUES (date '2026-11-20', 10::numeric), (date '2026-11-21', '-Infinity')) o(d, a)$$);
SELECT pg_temp.try($$SELECT rfm_summary(d, a, date '2026-11-23')::text
FROM (VALUES (date '2026-11-20', 10::numeric), (date '2026-12-01', 'Infinity')) o(d, a)$$);
\set VERBOSITY default
SELECT rfm_summary(date '2006-12-01', '-Infinity'::numeric, date '2006-12-31');
