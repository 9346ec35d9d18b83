-- Hostile values into the aggregates, the window function and the scalar
-- functions: NaN and infinite amounts, infinite and extreme instants,
-- amounts at the limits of exactness, counts and totals that would overflow,
-- as_of before every order, empty and all-NULL partitions, a single row,
-- many identical rows.  Each must give a correct answer or a clear ERROR
-- with the documented SQLSTATE, never a wrong number or a crash.
-- (10M identical rows: test/fuzz/big.sh, too slow for pg_regress.)

SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
-- unaligned output: a corrected value never shifts the columns of the others
\pset format unaligned

-- try(query): the query's single value as text, or 'ERROR <sqlstate>: <message>'.
-- state(query): 'ok' or the SQLSTATE alone (for cases whose message is not
-- part of the contract).
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    EXECUTE q INTO r;
    RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE FUNCTION pg_temp.try_state(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
    EXECUTE q INTO r;
    RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
    RETURN 'ERROR ' || SQLSTATE;
END $$;
CREATE FUNCTION pg_temp.state(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

---------------------------------------------------------------------------
-- NaN and infinite amounts: 22003, for every amount type and time kind
---------------------------------------------------------------------------
SELECT k, a, v, pg_temp.try(format(
         'SELECT rfm_summary(%s ''2026-01-01'', %L::%s, %s ''2026-11-23'')::text', k, v, a, k))
FROM unnest(ARRAY['date', 'timestamp', 'timestamptz']) k,
     unnest(ARRAY['numeric', 'double precision']) a,
     unnest(ARRAY['NaN', 'Infinity', '-Infinity']) v
-- (infinite numeric amounts: numeric_infinity, as 13 has none)
WHERE NOT (a = 'numeric' AND v <> 'NaN')
ORDER BY 1, 2, 3;

-- An order after as_of is ignored entirely, amount included (even NaN);
-- an order before the period counts for recency but not for monetary.
SELECT rfm_summary(t, amt, timestamptz '2026-11-23 00:00+00')
FROM (VALUES (timestamptz '2026-11-01 00:00+00', 10::numeric),
             (timestamptz '2026-12-01 00:00+00', 'NaN')) o(t, amt);
SELECT rfm_summary(t, amt, timestamptz '2026-11-23 00:00+00', interval '7 days')
FROM (VALUES (timestamptz '2026-11-20 00:00+00', 10::float8),
             (timestamptz '2026-01-01 00:00+00', 'Infinity')) o(t, amt);
-- ... while a NaN inside the period is an error even after good rows
SELECT pg_temp.try($$SELECT rfm_summary(t, amt, timestamptz '2026-11-23 00:00+00', interval '7 days')::text
FROM (VALUES (timestamptz '2026-11-20 00:00+00', 10::float8),
             (timestamptz '2026-11-21 00:00+00', 'NaN')) o(t, amt)$$);

-- NULL amounts and instants are skipped like sum() skips them
SELECT rfm_summary(t, amt, timestamptz '2026-11-23 00:00+00') AS s,
       sum(amt) FILTER (WHERE t IS NOT NULL AND t <= '2026-11-23 00:00+00') AS sum
FROM (VALUES (timestamptz '2026-11-20 00:00+00', 10.5),
             (NULL, 7), ('2026-11-21 00:00+00', NULL),
             ('2026-11-22 00:00+00', 0.25)) o(t, amt);
SELECT rfm_summary(t, amt, NULL::timestamptz) IS NULL AS null_as_of
FROM (VALUES (timestamptz '2026-11-20 00:00+00', 10.5)) o(t, amt);

---------------------------------------------------------------------------
-- Infinite and extreme instants
---------------------------------------------------------------------------
SELECT k, o, pg_temp.try(format(
         'SELECT rfm_summary(%s %L, 1, %s ''2026-11-23'')::text', k, o, k))
FROM unnest(ARRAY['date', 'timestamp', 'timestamptz']) k,
     unnest(ARRAY['infinity', '-infinity']) o
ORDER BY 1, 2;
SELECT k, asof, pg_temp.try(format(
         'SELECT rfm_summary(%s ''2026-01-01'', 1, %s %L)::text', k, k, asof))
FROM unnest(ARRAY['date', 'timestamp', 'timestamptz']) k,
     unnest(ARRAY['infinity', '-infinity']) asof
ORDER BY 1, 2;

-- the whole representable range: first instant to last instant.  The day
-- counts are checked against date subtraction (the last instant is 1 us short
-- of a whole day more); PostgreSQL's own timestamp subtraction overflows at
-- this span and extract(epoch) of 294276-12-31 23:59:59.999999 rounds up.
SELECT s, recency(s), tenure(s), purchase_span(s), first_order(s), last_order(s), as_of(s),
       tenure(s) = date '294276-12-31' - date '4714-11-24 BC' AS tenure_ok
FROM (SELECT rfm_summary(t, 1, timestamptz '294276-12-31 23:59:59.999999+00') s
      FROM (VALUES (timestamptz '4714-11-24 00:00:00+00 BC'),
                   ('294276-12-31 23:59:59.999999+00')) o(t)) x;
SELECT s, recency(s), tenure(s), recency(s) = date '294276-12-31' - date '2000-01-01' AS recency_ok,
       tenure(s) = date '294276-12-31' - date '4714-11-24 BC' AS tenure_ok
FROM (SELECT rfm_summary(t, 1, date '294276-12-31') s
      FROM (VALUES (date '4714-11-24 BC'), ('2000-01-01')) o(t)) x;
SELECT s, recency(s), tenure(s),
       recency(s) = date '294276-12-31' - date '4714-11-24 BC' AS recency_ok
FROM (SELECT rfm_summary(t, 1, timestamp '294276-12-31 23:59:59.999999') s
      FROM (VALUES (timestamp '4714-11-24 00:00:00 BC')) o(t)) x;
-- scores and cut points over summaries that far apart
SELECT rfm_score(s) OVER () AS score, recency(s)
FROM (VALUES ('(frequency=1, monetary=1, orders=1, first=4714-11-24 00:00:00 BC, last=4714-11-24 00:00:00 BC, as_of=294276-12-31 23:59:59)'::rfm_summary),
             ('(frequency=1, monetary=1, orders=1, first=2000-01-01 00:00:00, last=2000-01-01 00:00:00, as_of=294276-12-31 23:59:59)')) v(s)
ORDER BY 2;
-- a date beyond the timestamp range (dates go on to 5874897 AD), as order
-- or as_of: a clear error (22008), not a wrapped instant
SELECT d, pg_temp.state(format('SELECT rfm_summary(%L::date, 1, %L::date)::text', d, d)) AS same_day,
       pg_temp.state(format('SELECT rfm_summary(date ''2000-01-01'', 1, %L::date)::text', d)) AS as_of_only
FROM unnest(ARRAY['294277-01-01', '5874897-12-31', '1000000-01-01']) d;
-- a period reaching before the first instant: clear error, not a wrap
SELECT pg_temp.try($$SELECT rfm_summary(timestamptz '2026-01-01 00:00+00', 1, timestamptz '2026-11-23 00:00+00', interval '200000 years')::text$$);
SELECT pg_temp.try($$SELECT rfm_summary(date '2026-01-01', 1, date '2026-11-23', interval '-1 day')::text$$);
SELECT pg_temp.try($$SELECT rfm_summary(date '2026-01-01', 1, date '2026-11-23', interval '0')::text$$);
SELECT pg_temp.try($$SELECT rfm_summary(date '2026-01-01', 1, date '2026-11-23', interval '1 month -31 days')::text$$);
SELECT pg_temp.try($$SELECT rfm_summary(date '2026-01-01', 1, date '2026-11-23', interval '1 microsecond')::text$$);

-- different as_of or period within one group
SELECT pg_temp.try($$SELECT rfm_summary(d, 1, a)::text FROM (VALUES (date '2026-01-01', date '2026-11-23'), ('2026-01-02', '2026-11-24')) o(d, a)$$);
SELECT pg_temp.try($$SELECT rfm_summary(d, 1, date '2026-11-23', p)::text FROM (VALUES (date '2026-01-01', interval '1 year'), ('2026-01-02', '2 years')) o(d, p)$$);
SELECT pg_temp.try($$SELECT rfm_summary(d, 1, date '2026-11-23', p)::text FROM (VALUES (date '2026-01-01', interval '1 year'), ('2026-01-02', NULL)) o(d, p)$$);

---------------------------------------------------------------------------
-- Amounts at the limits of exactness
---------------------------------------------------------------------------
-- 38 significant digits are kept to the last digit
SELECT monetary(s), monetary(s) = 99999999999999999999999999999999999999 AS exact
FROM (SELECT rfm_summary(date '2026-01-01', 99999999999999999999999999999999999999::numeric, date '2026-11-23') s) x;
SELECT monetary(s), monetary(s) = -99999999999999999999999999999999999999 AS exact
FROM (SELECT rfm_summary(date '2026-01-01', -99999999999999999999999999999999999999::numeric, date '2026-11-23') s) x;
SELECT pg_temp.try($$SELECT monetary(s)::text || ' ' || (monetary(s) = 0.99999999999999999999999999999999999999)::text
FROM (SELECT rfm_summary(date '2026-01-01', 0.99999999999999999999999999999999999999, date '2026-11-23') s) x$$) AS thirty_eight_decimals;
-- one significant digit far after the point (fits the 38 digits)
SELECT a, pg_temp.try(format('SELECT monetary(rfm_summary(date ''2026-01-01'', %s::numeric, date ''2026-11-23''))::text', a)) AS numeric_amount,
       pg_temp.try(format('SELECT monetary(rfm_summary(date ''2026-01-01'', %s::float8, date ''2026-11-23''))::text', a)) AS float8_amount
FROM unnest(ARRAY['1e-33', '1e-34', '1e-36', '1e-37', '1e-38']) a;
-- beyond: 39 digits, totals that overflow, scales too far apart
SELECT pg_temp.try($$SELECT rfm_summary(date '2026-01-01', 999999999999999999999999999999999999999::numeric, date '2026-11-23')::text$$);
SELECT pg_temp.try($$SELECT rfm_summary(date '2026-01-01', a, date '2026-11-23')::text FROM (VALUES (99999999999999999999999999999999999999::numeric), (99999999999999999999999999999999999999)) o(a)$$);
SELECT pg_temp.try($$SELECT rfm_summary(date '2026-01-01', a, date '2026-11-23')::text FROM (VALUES (1e30), (1e-9)) o(a)$$);
SELECT pg_temp.try($$SELECT rfm_summary(date '2026-01-01', a, date '2026-11-23')::text FROM (VALUES (1e-9), (1e30)) o(a)$$);
SELECT pg_temp.try($$SELECT rfm_summary(date '2026-01-01', 1e300::float8, date '2026-11-23')::text$$);
SELECT pg_temp.try($$SELECT rfm_summary(date '2026-01-01', 5e-324::float8, date '2026-11-23')::text$$);
SELECT pg_temp.try($$SELECT rfm_summary(date '2026-01-01', -1.7976931348623157e308::float8, date '2026-11-23')::text$$);
-- -0.0 and the smallest and largest integers
SELECT rfm_summary(date '2026-01-01', '-0'::float8, date '2026-11-23');
SELECT monetary(rfm_summary(date '2026-01-01', a, date '2026-11-23')) = sum(a) AS exact, monetary(rfm_summary(date '2026-01-01', a, date '2026-11-23'))
FROM (VALUES ((-9223372036854775808)::bigint), ((-9223372036854775808)::bigint), (9223372036854775807)) o(a);
SELECT monetary(rfm_summary(date '2026-01-01', a, date '2026-11-23')) = sum(a) AS exact
FROM (VALUES ((-2147483648)::int), ((-2147483648)::int), (2147483647), (2147483647)) o(a);
-- many bigint extremes: the total passes 2^64 and stays exact
SELECT monetary(s) = 1000::numeric * 9223372036854775807 AS exact, frequency(s)
FROM (SELECT rfm_summary(date '2026-01-01', 9223372036854775807::bigint, date '2026-11-23') s
      FROM generate_series(1, 1000)) x;
-- mixed scales add exactly; the total equals sum() to the last digit
SELECT monetary(s) = (SELECT sum(a) FROM (VALUES (0.001), (1234567890123456789.5), (-0.00001), (7)) v(a)) AS exact,
       monetary(s), avg_order_value(s)
FROM (SELECT rfm_summary(date '2026-01-01', a, date '2026-11-23') s
      FROM (VALUES (0.001), (1234567890123456789.5), (-0.00001), (7)) v(a)) x;

---------------------------------------------------------------------------
-- Counts and totals that would overflow when partial summaries are merged
-- (the combine and transition functions are callable from SQL)
---------------------------------------------------------------------------
SELECT pg_temp.state($$SELECT rfm_summary_combine(s, s)::text FROM (SELECT '(frequency=9223372036854775807, monetary=1, orders=9223372036854775807, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'::rfm_summary s) x$$) AS combined_counts;
SELECT pg_temp.state($$SELECT rfm_summary_combine(s, s)::text FROM (SELECT '(frequency=5, monetary=99999999999999999999999999999999999999, orders=5, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'::rfm_summary s) x$$) AS combined_money;
SELECT pg_temp.state($$SELECT rfm_summary_trans('(frequency=9223372036854775807, monetary=1, orders=9223372036854775807, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'::rfm_summary, date '2006-12-30', 1::numeric, date '2006-12-31')::text$$) AS trans_counts;
-- a state of one kind fed to the transition function of another kind
SELECT pg_temp.state($$SELECT rfm_summary_trans('(frequency=1, monetary=1, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'::rfm_summary, timestamp '2006-12-30 10:00', 1::numeric, timestamp '2006-12-31')::text$$) AS trans_kind;
-- combine refuses different frames
SELECT pg_temp.try($$SELECT rfm_summary_combine('(frequency=1, monetary=1, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)', '(frequency=1, monetary=1, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-30)')::text$$);
SELECT pg_temp.try($$SELECT rfm_summary_combine('(frequency=1, monetary=1, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)', '(frequency=1, monetary=1, orders=1, first=2006-01-02 00:00:00, last=2006-01-02 00:00:00, as_of=2006-12-31 00:00:00)')::text$$);
-- text input at the int128 edge of monetary: exact or rejected (at most 38
-- digits, 22P02), never wrapped
SELECT v, pg_temp.try_state(format('SELECT monetary(%L::rfm_summary)::text',
         '(frequency=1, monetary=' || v || ', orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)')) AS monetary
FROM unnest(ARRAY['99999999999999999999999999999999999999',
                  '-99999999999999999999999999999999999999',
                  '170141183460469231731687303715884105728',
                  '170141183460469231731687303715884105729',
                  '-170141183460469231731687303715884105729']) v;
SELECT v, pg_temp.try_state(format('SELECT %L::rfm_breaks::text', 'R: 1; F: 1; M: ' || v)) AS breaks
FROM unnest(ARRAY['99999999999999999999999999999999999999',
                  '170141183460469231731687303715884105727',
                  '-170141183460469231731687303715884105728',
                  '170141183460469231731687303715884105729']) v;

---------------------------------------------------------------------------
-- as_of before every order; empty input; all-NULL partitions; one row
---------------------------------------------------------------------------
CREATE TABLE h_orders (customer_id int, ordered_at timestamptz, amount numeric);
INSERT INTO h_orders VALUES
    (1, '2026-11-01 10:00+00', 10), (1, '2026-11-10 10:00+00', 20),
    (2, '2026-11-20 10:00+00', 5),
    (3, '2027-01-01 10:00+00', 99);          -- only after as_of
SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-10-01 00:00+00') AS s
FROM h_orders GROUP BY customer_id ORDER BY customer_id;
-- every summary NULL: scores NULL, cut points NULL, classes NULL
WITH s AS (SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-10-01 00:00+00') AS s
           FROM h_orders GROUP BY customer_id)
SELECT customer_id, rfm_score(s) OVER () AS score, rfm_score(s, 3) OVER () AS score3,
       rfm_segment(rfm_score(s) OVER ()) AS segment, loyalty_class(s) AS loyalty
FROM s ORDER BY customer_id;
SELECT rfm_breaks(s) IS NULL AS no_breaks, rfm_breaks(s, 3) IS NULL AS no_breaks3
FROM (SELECT rfm_summary(ordered_at, amount, timestamptz '2026-10-01 00:00+00') AS s
      FROM h_orders GROUP BY customer_id) x;
-- no rows at all
SELECT rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00') IS NULL AS no_summary
FROM h_orders WHERE false;
SELECT rfm_breaks(s) IS NULL AS no_breaks FROM (SELECT NULL::rfm_summary s) x WHERE false;
SELECT count(*) FROM (SELECT rfm_score(s) OVER () FROM (SELECT NULL::rfm_summary s) x WHERE false) y;
-- one customer with a summary among NULLs: it is the whole partition
WITH s AS (SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-05 00:00+00') AS s
           FROM h_orders GROUP BY customer_id)
SELECT customer_id, s IS NULL AS no_summary, rfm_score(s) OVER () AS score,
       rfm_score(s, (SELECT rfm_breaks(s) FROM s)) AS frozen,
       rfm_segment(rfm_score(s) OVER ())
FROM s ORDER BY customer_id;
-- a partition of its own per customer (all single rows), some all-NULL
WITH s AS (SELECT customer_id, rfm_summary(ordered_at, amount, timestamptz '2026-11-15 00:00+00') AS s
           FROM h_orders GROUP BY customer_id)
SELECT customer_id, rfm_score(s) OVER (PARTITION BY customer_id) AS score,
       rfm_score(s, 9) OVER (PARTITION BY customer_id) AS score9
FROM s ORDER BY customer_id;
SELECT (SELECT rfm_breaks(s, 9) FROM (SELECT rfm_summary(ordered_at, amount, timestamptz '2026-11-15 00:00+00') AS s
                                      FROM h_orders WHERE customer_id = 1 GROUP BY customer_id) x) AS single_breaks;

-- bins outside 2..9, NULL bins, bins changing within a group
SELECT b, pg_temp.try(format('SELECT rfm_score(s, %s) OVER ()::text FROM (SELECT rfm_summary(ordered_at, amount, timestamptz ''2026-11-23 00:00+00'') s FROM h_orders GROUP BY customer_id) x LIMIT 1', b)) AS window,
       pg_temp.try(format('SELECT rfm_breaks(s, %s)::text FROM (SELECT rfm_summary(ordered_at, amount, timestamptz ''2026-11-23 00:00+00'') s FROM h_orders GROUP BY customer_id) x', b)) AS breaks
FROM unnest(ARRAY['1', '10', '-2147483648', '2147483647', 'NULL::int']) b;
SELECT pg_temp.try($$SELECT rfm_breaks(s, b)::text FROM (SELECT rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00') s, customer_id + 2 AS b FROM h_orders GROUP BY customer_id) x$$);
-- (the first row is customer 3's whatever the grouping strategy: its orders are all after as_of)
SELECT pg_temp.try($$SELECT rfm_score(s, b) OVER ()::text FROM (SELECT rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00') s, customer_id + 2 AS b FROM h_orders GROUP BY customer_id ORDER BY customer_id DESC) x LIMIT 1$$);

-- monetary totals whose scales are too far apart to compare as integers at
-- one scale: the window compares them scale-free and answers exactly (M: the
-- larger scores 3 of 5, the smaller 1); the cut points cannot hold the
-- larger total at the smaller one's scale and refuse
CREATE TABLE h_far (s rfm_summary);
INSERT INTO h_far VALUES
    ('(frequency=1, monetary=99999999999999999999999999999999999999, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'),
    ('(frequency=1, monetary=0.5, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)');
SELECT pg_temp.try('SELECT string_agg(sc::text, '','') FROM (SELECT rfm_score(s) OVER () sc FROM h_far) x') AS window,
       pg_temp.try('SELECT rfm_breaks(s)::text FROM h_far') AS breaks;

-- scores against hostile cut points
SELECT rfm_score(s, b) FROM
    (VALUES ('(frequency=3, monetary=-5.5, orders=3, first=2006-01-02, last=2006-12-30, as_of=2006-12-31)'::rfm_summary)) x(s),
    (VALUES ('R: -infinity; F: infinity; M: -infinity'::rfm_breaks),
            ('R: 0, 0, 0, 0, 0, 0, 0, 0; F: 0, 0, 0, 0, 0, 0, 0, 0; M: -99999999999999999999999999999999999999, 0, 0, 0, 0, 0, 0, 0'),
            ('R: -9223372036854775808, 9223372036854775807; F: -9223372036854775808, 9223372036854775807; M: -5.50000000000000000000000000000000000, -5.5'),
            ('R: 1; F: 3; M: -5.49999999999999999999999999999999999')) y(b)
ORDER BY 1;

---------------------------------------------------------------------------
-- Many identical rows (100k here; 10M in test/fuzz/big.sh)
---------------------------------------------------------------------------
SELECT s, monetary(s) = 100000 * 19.99 AS exact
FROM (SELECT rfm_summary(timestamptz '2026-01-01 00:00+00', 19.99, timestamptz '2026-11-23 00:00+00') s
      FROM generate_series(1, 100000)) x;
SELECT s FROM (SELECT rfm_summary(date '2026-01-01', 19.99::float8, date '2026-11-23', interval '1 year') s
               FROM generate_series(1, 100000)) x;
-- identical summaries all score 111, their cut points are all infinite
SELECT count(*), count(DISTINCT sc), min(sc::int), max(sc::int)
FROM (SELECT rfm_score(s) OVER () sc
      FROM (SELECT '(frequency=1, monetary=1, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'::rfm_summary s
            FROM generate_series(1, 100000)) x) y;
SELECT rfm_breaks(s) FROM (SELECT '(frequency=1, monetary=1, orders=1, first=2006-01-02, last=2006-01-02, as_of=2006-12-31)'::rfm_summary s
                           FROM generate_series(1, 100000)) x;
DROP TABLE h_orders, h_far;
