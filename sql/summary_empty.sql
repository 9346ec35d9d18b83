--
-- A summary of no orders: the aggregate's state for a group whose orders are
-- all after as_of.  The aggregate itself returns NULL for it, but the state
-- crosses between aggregation steps as a value (Citus ships partial states
-- as text), so it must print, read back, and behave like NULL everywhere.
--
CREATE SCHEMA rfm_test_summary_empty;
SET search_path = rfm_test_summary_empty, public;

-- The aggregate never returns it: orders only after as_of give NULL ...
SELECT rfm_summary(d, 1, date '2006-12-31') IS NULL AS is_null
  FROM (VALUES (date '2007-01-01')) v(d);
-- ... but its transition function does, and the value round-trips.
SELECT rfm_summary_trans(NULL::rfm_summary, date '2007-01-01', 1, date '2006-12-31') AS state;
SELECT rfm_summary_trans(NULL::rfm_summary, date '2007-01-01', 1, date '2006-12-31', '1 year') AS state;
SELECT rfm_summary_trans(NULL::rfm_summary, timestamptz '2007-01-01 10:00+00', 1, timestamptz '2006-12-31 12:00+00')::text::rfm_summary AS round_trip;

CREATE TABLE empties (s rfm_summary);
INSERT INTO empties VALUES ('(orders=0, as_of=2006-12-31)'), ('(orders=0, as_of=2006-12-31, since=2005-12-31)');
-- Figures that need an order are NULL; counts are 0.
SELECT s, recency(s), frequency(s), monetary(s), orders_ever(s), avg_order_value(s),
       tenure(s), purchase_span(s), first_order(s), last_order(s), loyalty_class(s),
       rfm_score(s, 'R: 30; F: 2; M: 100'::rfm_breaks) AS against_breaks
  FROM empties;

-- The window function and rfm_breaks treat it as NULL: it scores NULL and is
-- not counted (N = 2 below, so the two real customers score 1 and 3 of 3 bins).
SELECT s, rfm_score(s, 3) OVER () AS score FROM (
  SELECT s FROM empties
  UNION ALL SELECT '(frequency=1, monetary=5, orders=1, first=2006-12-01, last=2006-12-01, as_of=2006-12-31)'
  UNION ALL SELECT '(frequency=2, monetary=9, orders=2, first=2006-12-01, last=2006-12-30, as_of=2006-12-31)'
) x ORDER BY score NULLS FIRST, s::text;
SELECT rfm_breaks(s) FROM empties;

-- Combining an empty state with a real one gives the real one.
SELECT rfm_summary_combine('(orders=0, as_of=2006-12-31)',
       '(frequency=1, monetary=5, orders=1, first=2006-12-01, last=2006-12-01, as_of=2006-12-31)') AS combined;

-- An empty summary carries nothing but orders, as_of and since.
SELECT '(orders=0, as_of=2006-12-31, frequency=0)'::rfm_summary;
SELECT '(orders=0, first=2006-12-01, as_of=2006-12-31)'::rfm_summary;
SELECT '(orders=0)'::rfm_summary;
SELECT '(orders=0, as_of=2006-12-31, since=2007-01-01)'::rfm_summary;

RESET search_path;
DROP SCHEMA rfm_test_summary_empty CASCADE;
