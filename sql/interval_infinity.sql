--
-- interval_infinity: an infinite period or unit is an error (22023).
-- interval has 'infinity' and '-infinity' from PostgreSQL 17 on; before,
-- the cast itself fails (22007) before rfm sees a value.
-- expected/interval_infinity_1.out is the output of 13, 14, 15 and 16: the
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
-- the period of rfm_summary, for every time kind
SELECT k, p, pg_temp.try(format(
         'SELECT rfm_summary(%s ''2026-01-01'', 1, %s ''2026-11-23'', %L::interval)::text', k, k, p))
FROM unnest(ARRAY['date', 'timestamp', 'timestamptz']) k,
     unnest(ARRAY['infinity', '-infinity']) p
ORDER BY 1, 2;
-- the unit of rfm_history
SELECT pg_temp.try($$SELECT rfm_history(d, 1, date '2026-11-23', 'infinity'::interval)::text
FROM (VALUES (date '2026-11-01'), (date '2026-11-02')) o(d)$$);
\set VERBOSITY default
SELECT rfm_summary(date '2026-01-01', 1, date '2026-11-23', interval 'infinity');
