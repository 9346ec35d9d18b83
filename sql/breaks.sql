--
-- breaks: the rfm_breaks type (text and binary forms), scoring against
-- thresholds with rfm_score(summary, breaks), and the rfm_breaks aggregate,
-- whose cut points reproduce the window function rfm_score(s, k) OVER ().
-- Every expected value is written by hand in the test or computed by an
-- independent plain-SQL query beside it.
--
CREATE SCHEMA rfm_test_breaks;
SET search_path = rfm_test_breaks, public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE FUNCTION sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
CREATE FUNCTION plan_has(q text, pat text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE l text;
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
    IF l LIKE '%' || pat || '%' THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END $f$;

------------------------------------------------------------------------------
-- 1. The type: text form
------------------------------------------------------------------------------
-- Input -> canonical output, written by hand: dimensions in the order R, F, M
-- whatever the input order, names in any case or spelled out, monetary at the
-- largest scale given.
CREATE TABLE io (n int, input text, canonical text);
INSERT INTO io VALUES
 (1, 'R: 30, 90, 180, 365; F: 2, 3, 5, 10; M: 100, 250, 500, 1000',
     'R: 30, 90, 180, 365; F: 2, 3, 5, 10; M: 100, 250, 500, 1000'),
 (2, 'M: 100, 250.5; F: 2; R: 30',
     'R: 30; F: 2; M: 100.0, 250.5'),
 (3, 'monetary: 0.125, 1, 2.5; Frequency: 1; RECENCY: 7',
     'R: 7; F: 1; M: 0.125, 1.000, 2.500'),
 (4, '  f:2,3 ;r:1;  m :  0.001  ',
     'R: 1; F: 2, 3; M: 0.001'),
 (5, 'R: -infinity, -infinity, 30; F: -infinity, 2, infinity, infinity; M: -infinity, 0, infinity',
     'R: -infinity, -infinity, 30; F: -infinity, 2, infinity, infinity; M: -infinity, 0, infinity'),
 (6, 'R: 30, 30; F: 2, 2; M: 5, 5.00',                      -- equal thresholds: non-decreasing is fine
     'R: 30, 30; F: 2, 2; M: 5.00, 5.00'),
 (7, 'R: 1, 2, 3, 4, 5, 6, 7, 8; F: 1, 2, 3, 4, 5, 6, 7, 8; M: 1, 2, 3, 4, 5, 6, 7, 8',   -- 9 bins
     'R: 1, 2, 3, 4, 5, 6, 7, 8; F: 1, 2, 3, 4, 5, 6, 7, 8; M: 1, 2, 3, 4, 5, 6, 7, 8'),
 (8, 'R: 0; F: 0; M: -10.5, -10, 0, 10',                     -- negative money, 2 bins
     'R: 0; F: 0; M: -10.5, -10.0, 0.0, 10.0'),
 (9, 'R: 30; F: 2; M: 9.99, 10',                             -- 9.99 < 10 once at a common scale
     'R: 30; F: 2; M: 9.99, 10.00'),
 (10, 'R: 30; F: 2; M: 10.50, 10.5',                         -- equal across scales
      'R: 30; F: 2; M: 10.50, 10.50'),
 (11, 'R: +infinity; F: INFINITY; M: -Infinity',
      'R: infinity; F: infinity; M: -infinity'),
 (12, 'R: 30; F: 2; M: 12345678901234567890.123456789',
      'R: 30; F: 2; M: 12345678901234567890.123456789'),
-- decimal recency thresholds, printed as given (trailing zeros add nothing)
 (13, 'R: 115, 181, 297.4, 482; F: 2, 3, 5, 10; M: 100, 250, 500, 1000',
      'R: 115, 181, 297.4, 482; F: 2, 3, 5, 10; M: 100, 250, 500, 1000'),
 (14, 'R: 0.5, 297.40, 1000.000; F: 2; M: 1',
      'R: 0.5, 297.4, 1000; F: 2; M: 1'),
 (15, 'R: -infinity, -1.25, 0.000000000000001, infinity; F: 2; M: 1',
      'R: -infinity, -1.25, 0.000000000000001, infinity; F: 2; M: 1'),
 (16, 'R: 30.0, 90.00; F: 2; M: 1',
      'R: 30, 90; F: 2; M: 1');
SELECT n, input::rfm_breaks AS output, input::rfm_breaks::text = canonical AS as_expected
  FROM io ORDER BY n;
-- Text round trip: in -> out -> in -> out gives the same text.
SELECT count(*) AS values,
       count(*) FILTER (WHERE input::rfm_breaks::text::rfm_breaks::text <> input::rfm_breaks::text) AS changed
  FROM io;
-- Bins per dimension: thresholds + 1.
SELECT n, rfm_breaks_bins(input::rfm_breaks, 'R') AS r_bins,
       rfm_breaks_bins(input::rfm_breaks, 'F') AS f_bins,
       rfm_breaks_bins(input::rfm_breaks, 'M') AS m_bins,
       rfm_breaks_bins(input::rfm_breaks, 'm') AS m_lower
  FROM io WHERE n IN (1, 3, 5, 7, 8) ORDER BY n;

------------------------------------------------------------------------------
-- 2. The type: binary form (send/recv) through COPY BINARY and back
------------------------------------------------------------------------------
CREATE TABLE bin_out AS SELECT n, input::rfm_breaks AS b FROM io;
-- The file goes into the (throwaway) cluster's data directory, which the
-- server can always write.
SELECT current_setting('data_directory') || '/rfm_test_breaks.bin' AS bf \gset
COPY bin_out TO :'bf' WITH (FORMAT binary);
CREATE TABLE bin_in (n int, b rfm_breaks);
COPY bin_in FROM :'bf' WITH (FORMAT binary);
SELECT count(*) AS values,
       count(*) FILTER (WHERE i.b::text IS DISTINCT FROM o.b::text
                           OR rfm_breaks_send(i.b) IS DISTINCT FROM rfm_breaks_send(o.b)) AS changed
  FROM bin_out o FULL JOIN bin_in i USING (n);

-- The bytes, written out: int16 monetary scale, int16 monetary display
-- scale, then per dimension a count byte and each threshold as 16 bytes.
-- Whole-day recency sends exactly what 0.1 sent (R count byte 01); a decimal
-- one carries its scale in the count byte's high four bits (11: scale 1,
-- 1 threshold; 2974 = 0x0b9e), which a 0.1 receiver refuses as a bad count.
SELECT rfm_breaks_send('R: 30; F: 2; M: 100') =
       decode('00000000' || '01' || '0000000000000000000000000000001e'
                         || '01' || '00000000000000000000000000000002'
                         || '01' || '00000000000000000000000000000064', 'hex') AS whole_days_as_in_01,
       rfm_breaks_send('R: 297.4; F: 2; M: 100') =
       decode('00000000' || '11' || '00000000000000000000000000000b9e'
                         || '01' || '00000000000000000000000000000002'
                         || '01' || '00000000000000000000000000000064', 'hex') AS decimal_days;
-- recv through COPY BINARY of raw bytes (a bytea field's bytes become the
-- rfm_breaks field): 2974 at scale 1 reads as 297.4; 2970 at scale 1 is
-- refused (297 has the smaller scale 0), so every value has one binary form;
-- a scale on F is refused.
CREATE TABLE raw (n int, bytes bytea);
INSERT INTO raw VALUES
 (1, decode('00000000' || '11' || '00000000000000000000000000000b9e'
                       || '01' || '00000000000000000000000000000002' || '01' || '00000000000000000000000000000064', 'hex')),
 (2, decode('00000000' || '11' || '00000000000000000000000000000b9a'
                       || '01' || '00000000000000000000000000000002' || '01' || '00000000000000000000000000000064', 'hex')),
 (3, decode('00000000' || '01' || '0000000000000000000000000000001e'
                       || '11' || '00000000000000000000000000000002' || '01' || '00000000000000000000000000000064', 'hex'));
CREATE TABLE raw_back (n int, b rfm_breaks);
SELECT current_setting('data_directory') || '/rfm_test_breaks_raw' AS rf \gset
SELECT n, sqlstate_of(format('COPY (SELECT n, bytes FROM rfm_test_breaks.raw WHERE n = %s) TO %L WITH (FORMAT binary)',
                             n, :'rf' || n))
          || ' / ' || sqlstate_of(format('COPY rfm_test_breaks.raw_back FROM %L WITH (FORMAT binary)', :'rf' || n))
          AS copy_out_then_in
  FROM raw ORDER BY n;
SELECT n, b FROM raw_back ORDER BY n;

------------------------------------------------------------------------------
-- 3. Errors
------------------------------------------------------------------------------
CREATE TABLE cases (n serial, expected text, q text);
INSERT INTO cases (expected, q) VALUES
-- unsorted
 ('22P02', $$SELECT 'R: 90, 30; F: 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 3, 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2; M: 250, 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2; M: 10, 9.99'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2; M: 10.51, 10.5'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: infinity, 30; F: 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2, -infinity; M: 100'::rfm_breaks$$),
-- more than 8 thresholds
 ('22P02', $$SELECT 'R: 1, 2, 3, 4, 5, 6, 7, 8, 9; F: 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 1, 2, 3, 4, 5, 6, 7, 8, 9; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2; M: 1, 2, 3, 4, 5, 6, 7, 8, 9'::rfm_breaks$$),
-- unknown dimension
 ('22P02', $$SELECT 'X: 1; R: 30; F: 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2; Money: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2; : 100'::rfm_breaks$$),
-- missing dimension
 ('22P02', $$SELECT 'R: 30; F: 2'::rfm_breaks$$),
 ('22P02', $$SELECT 'F: 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'M: 100'::rfm_breaks$$),
-- duplicate dimension
 ('22P02', $$SELECT 'R: 30; R: 90; F: 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2; M: 100; recency: 90'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; f: 2; Frequency: 3; M: 100'::rfm_breaks$$),
-- non-numeric
 ('22P02', $$SELECT 'R: abc; F: 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: two; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2; M: 1.2.3'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2; M: 100$'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30 days; F: 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 1.0000000000000001; F: 2; M: 100'::rfm_breaks$$),   -- 16 digits after the point
 ('22P02', $$SELECT 'R: 9223372036854775808; F: 2; M: 100'::rfm_breaks$$),  -- beyond bigint days
 ('22P02', $$SELECT 'R: 297.4, 297.39; F: 2; M: 100'::rfm_breaks$$),        -- not ascending
 ('22P02', $$SELECT 'R: 2.9.7; F: 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2.5; M: 100'::rfm_breaks$$),                 -- orders are whole
 ('22P02', $$SELECT 'R: 30; F: 2; M: NaN'::rfm_breaks$$),
-- empty
 ('22P02', $$SELECT ''::rfm_breaks$$),
 ('22P02', $$SELECT '   '::rfm_breaks$$),
 ('22P02', $$SELECT 'R: ; F: 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2; M: '::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30, ; F: 2; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R: 30; F: 2,, 3; M: 100'::rfm_breaks$$),
 ('22P02', $$SELECT 'R 30; F: 2; M: 100'::rfm_breaks$$),
-- rfm_breaks_bins of an unknown dimension
 ('22023', $$SELECT rfm_breaks_bins('R: 30; F: 2; M: 100', 'X')$$),
 ('22023', $$SELECT rfm_breaks_bins('R: 30; F: 2; M: 100', '')$$),
 ('22023', $$SELECT rfm_breaks_bins('R: 30; F: 2; M: 100', 'RF')$$);
-- Every case fails with its SQLSTATE (no rows listed).
SELECT count(*) AS cases, count(*) FILTER (WHERE sqlstate_of(q) <> expected) AS wrong FROM cases;
SELECT n, expected, sqlstate_of(q) AS got, q FROM cases WHERE sqlstate_of(q) <> expected ORDER BY n;
-- A few messages in full.
\set VERBOSITY default
SELECT 'R: 90, 30; F: 2; M: 100'::rfm_breaks;
SELECT 'R: 30; F: 2'::rfm_breaks;
SELECT rfm_breaks_bins('R: 30; F: 2; M: 100', 'X');
SELECT rfm_breaks_bins('R: 30, 60; F: 2; M: 100', 'Recency') AS long_name_bins;
\set VERBOSITY terse

------------------------------------------------------------------------------
-- 4. rfm_score(summary, breaks) against fixed thresholds, checked by hand
------------------------------------------------------------------------------
-- Each customer: last order `days` before 2006-12-31, the `amounts` ordered
-- that day inside the 1-year period (2005-12-31, 2006-12-31]; an empty list
-- is a lapsed customer (one order of 77 on that day, outside the period:
-- frequency 0, monetary 0), who scores 111 against any thresholds.
CREATE TABLE sc (cust text, days int, amounts numeric[],
                 b1 text, b2 text, b3 text, b4 text);
-- b1 = 'R: 30, 90, 180, 365; F: 2, 3, 5, 10; M: 100, 250, 500, 1000'
--   R = 5 - #{days >= t}, F = 1 + #{frequency >= t}, M = 1 + #{monetary >= t}
-- b2 = 'R: -infinity, 30; F: -infinity, 2, infinity; M: -infinity, 0, 100, infinity'
--   R = 3 - 1 - [days >= 30]; F = 1 + 1 + [f >= 2]; M = 1 + 1 + [m >= 0] + [m >= 100]
-- b3 = 'R: 1, 2, 3, 4, 5, 6, 7, 8; F: 1; M: 0.001, 99.999, 100.0001'
--   R = 9 - min(days, 8); F = 1 + [f >= 1]; M = 1 + [m >= 0.001] + [m >= 99.999] + [m >= 100.0001]
-- b4 = 'R: 30; F: 1, 2; M: -50.5, -50, 0'
--   R = 2 - [days >= 30]; F = 1 + [f >= 1] + [f >= 2]; M = 1 + [m >= -50.5] + [m >= -50] + [m >= 0]
INSERT INTO sc VALUES
-- cust days amounts                      freq monetary    b1     b2     b3     b4
 ('a',   0, '{100}',                      -- 1  100        R5F1M2 R2F2M4 R9F2M3 R2F2M4
         '512', '224', '923', '224'),
 ('b',  29, '{99.99}',                    -- 1  99.99      R5F1M1 R2F2M3 R1F2M2 R2F2M4
         '511', '223', '122', '224'),
 ('c',  30, '{99.99, 0.01}',              -- 2  100.00     R4F2M2 R1F3M4 R1F2M3 R1F3M4
         '422', '134', '123', '134'),
 ('d',  89, '{50, 50, 150}',              -- 3  250        R4F3M3 R1F3M4 R1F2M4 R1F3M4
         '433', '134', '124', '134'),
 ('e',  90, '{100, 100, 100, 100, 100}',  -- 5  500        R3F4M4 R1F3M4 R1F2M4 R1F3M4
         '344', '134', '124', '134'),
 ('f', 179, array_fill(100, '{10}'),      -- 10 1000       R3F5M5 R1F3M4 R1F2M4 R1F3M4
         '355', '134', '124', '134'),
 ('g', 180, array_fill(111.11, '{9}'),    -- 9  999.99     R2F4M4 R1F3M4 R1F2M4 R1F3M4
         '244', '134', '124', '134'),
 ('h', 364, '{-50}',                      -- 1  -50        R2F1M1 R1F2M2 R1F2M1 R1F2M3
         '211', '122', '121', '123'),
 ('i', 365, '{}',                         -- 0  0 (lapsed) 111 by rule (on its figures b2
         '111', '111', '111', '111'),     --   would give R1F2M3 and b4 R1F1M4)
 ('j', 1000, '{}',                        -- 0  0 (lapsed) 111 by rule
         '111', '111', '111', '111'),
 ('k',   0, array_fill(100.000, '{11}'),  -- 11 1100.000   R5F5M5 R2F3M4 R9F2M4 R2F3M4
         '555', '234', '924', '234'),
 ('l',  30, '{250.50, -0.50}',            -- 2  250.00     R4F2M3 R1F3M4 R1F2M4 R1F3M4
         '423', '134', '124', '134'),
 ('m',   7, '{999.999}',                  -- 1  999.999    R5F1M4 R2F2M4 R2F2M4 R2F2M4
         '514', '224', '224', '224'),
 ('n',   8, '{0}',                        -- 1  0          R5F1M1 R2F2M3 R1F2M1 R2F2M4
         '511', '223', '121', '224');
CREATE TABLE sc_orders AS
SELECT cust, date '2006-12-31' - days AS d, a
  FROM sc, unnest(CASE WHEN amounts = '{}' THEN '{77}' ELSE amounts END) a;
CREATE TABLE sc_sum AS
SELECT cust, rfm_summary(d, a, date '2006-12-31', interval '1 year') AS s
  FROM sc_orders GROUP BY cust;
SELECT cust, recency(s), frequency(s), monetary(s),
       rfm_score(s, 'R: 30, 90, 180, 365; F: 2, 3, 5, 10; M: 100, 250, 500, 1000'::rfm_breaks) AS b1,
       rfm_score(s, 'R: -infinity, 30; F: -infinity, 2, infinity; M: -infinity, 0, 100, infinity'::rfm_breaks) AS b2,
       rfm_score(s, 'R: 1, 2, 3, 4, 5, 6, 7, 8; F: 1; M: 0.001, 99.999, 100.0001'::rfm_breaks) AS b3,
       rfm_score(s, 'R: 30; F: 1, 2; M: -50.5, -50, 0'::rfm_breaks) AS b4
  FROM sc_sum ORDER BY cust;
-- The same against the hand-computed column (no rows listed).
SELECT cust, b1, b2, b3, b4 FROM sc JOIN sc_sum USING (cust)
 WHERE rfm_score(s, 'R: 30, 90, 180, 365; F: 2, 3, 5, 10; M: 100, 250, 500, 1000'::rfm_breaks)::text <> b1
    OR rfm_score(s, 'R: -infinity, 30; F: -infinity, 2, infinity; M: -infinity, 0, 100, infinity'::rfm_breaks)::text <> b2
    OR rfm_score(s, 'R: 1, 2, 3, 4, 5, 6, 7, 8; F: 1; M: 0.001, 99.999, 100.0001'::rfm_breaks)::text <> b3
    OR rfm_score(s, 'R: 30; F: 1, 2; M: -50.5, -50, 0'::rfm_breaks)::text <> b4;
-- Strict: a NULL summary or NULL breaks score NULL.
SELECT rfm_score(NULL::rfm_summary, 'R: 30; F: 2; M: 100'::rfm_breaks) IS NULL AS null_summary,
       rfm_score(s, NULL::rfm_breaks) IS NULL AS null_breaks
  FROM sc_sum WHERE cust = 'a';
-- Exact comparison at extreme magnitudes, where bringing both sides to one
-- scale would need more than 38 digits (the answer is still plain: 0.001 is
-- below 10^38 - 1 and above -(10^38 - 1); 10^20 is above 10^-30, -10^20 below).
--   big  = 'R: 0; F: -1; M: 99999999999999999999999999999999999999'  R = 2 - 1 = 1, F = 1 + 1 = 2
--   nbig = 'R: 0; F: -1; M: -99999999999999999999999999999999999999'
--   tiny = 'R: 1; F: 2; M: 0.000000000000000000000000000001'         R = 2 - 0 = 2, F = 1 + 0 = 1
CREATE TABLE extreme (n int, s rfm_summary, big text, nbig text, tiny text);
INSERT INTO extreme VALUES
 (1, '(recency=0, frequency=1, monetary=0.001, orders=1, first=2006-12-31, last=2006-12-31, as_of=2006-12-31)',
     '121', '122', '212'),
 (2, '(recency=0, frequency=1, monetary=100000000000000000000, orders=1, first=2006-12-31, last=2006-12-31, as_of=2006-12-31)',
     '121', '122', '212'),
 (3, '(recency=0, frequency=1, monetary=-100000000000000000000, orders=1, first=2006-12-31, last=2006-12-31, as_of=2006-12-31)',
     '121', '122', '211');
SELECT n, monetary(s),
       rfm_score(s, 'R: 0; F: -1; M: 99999999999999999999999999999999999999'::rfm_breaks) AS big, big AS by_hand,
       rfm_score(s, 'R: 0; F: -1; M: -99999999999999999999999999999999999999'::rfm_breaks) AS nbig, nbig AS by_hand,
       rfm_score(s, 'R: 1; F: 2; M: 0.000000000000000000000000000001'::rfm_breaks) AS tiny, tiny AS by_hand
  FROM extreme ORDER BY n;
-- A summary in the text form scores the same way (99.99 with M at 100 -> 1).
SELECT rfm_score('(recency=29, frequency=1, monetary=99.99, orders=1, first=2006-12-02, last=2006-12-02, as_of=2006-12-31)'::rfm_summary,
                 'R: 30, 90, 180, 365; F: 2, 3, 5, 10; M: 100, 250, 500, 1000'::rfm_breaks) AS score;

-- A decimal recency threshold means what it says: whole days >= 297.4 is
-- days >= 298.  297 days: R = 5 - #{115, 181} = 3; 298 days: 5 - 3 = 2.
-- Over 0..600 days it scores exactly as the whole-day 'R: 115, 181, 298, 482'.
CREATE TABLE dd AS
SELECT d, rfm_summary(date '2006-12-31' - d, 5, date '2006-12-31') AS s
  FROM generate_series(0, 600) d GROUP BY d;
SELECT d, rfm_score(s, 'R: 115, 181, 297.4, 482; F: 2; M: 1'::rfm_breaks) AS score
  FROM dd WHERE d IN (114, 115, 297, 298, 481, 482) ORDER BY d;
SELECT count(*) AS day_counts,
       count(*) FILTER (WHERE rfm_score(s, 'R: 115, 181, 297.4, 482; F: 2; M: 1'::rfm_breaks)
                           <> rfm_score(s, 'R: 115, 181, 298, 482; F: 2; M: 1'::rfm_breaks)) AS differ
  FROM dd;

------------------------------------------------------------------------------
-- 5. The rfm_breaks aggregate on small sets, checked by hand
------------------------------------------------------------------------------
-- Groups of customers (orders all on their last day, all history, as of
-- 2006-12-31); a customer whose only order is after as_of has a NULL summary.
-- score = 1 + floor(k * L / N); cut point of score s = smallest value with a
-- score >= s; R threshold = (max days with a score >= s) + 1.
CREATE TABLE ag (grp text, cust text, days int, amounts numeric[], score text);
INSERT INTO ag VALUES
-- A, 5 bins, N = 5 (a6 is NULL): score = 1 + L, all distinct.
--   F 5,4,3,2,1 -> F: 2, 3, 4, 5; M 50..10 -> M: 20, 30, 40, 50;
--   days 0,10,20,30,40 -> score 5 up to 0 days, 4 up to 10 ... -> R: 1, 11, 21, 31
 ('A', 'a1',  0, array_fill(10, '{5}'), '555'),
 ('A', 'a2', 10, array_fill(10, '{4}'), '444'),
 ('A', 'a3', 20, array_fill(10, '{3}'), '333'),
 ('A', 'a4', 30, array_fill(10, '{2}'), '222'),
 ('A', 'a5', 40, array_fill(10, '{1}'), '111'),
 ('A', 'a6', -5, '{1000}', NULL),
-- B, 5 bins, N = 5, ties:
--   F 1,1,1,2,3: L 0,0,0,3,4 -> scores 1,1,1,4,5 -> F: 2, 2, 2, 3
--   M 10, 10.0, 10.50, 20, 20.00: L 0,0,2,3,3 -> scores 1,1,3,4,4
--     -> M: 10.50, 10.50, 20.00, infinity (common scale 2)
--   days 5,5,5,5,100: L 1,1,1,1,0 -> scores 2,2,2,2,1; scores 3..5 unreached
--     -> R: -infinity, -infinity, -infinity, 6
 ('B', 'b1',   5, '{10}', '211'),
 ('B', 'b2',   5, '{10.0}', '211'),
 ('B', 'b3',   5, '{10.50}', '213'),
 ('B', 'b4',   5, '{10, 10}', '244'),
 ('B', 'b5', 100, '{5, 5, 10.00}', '154'),
-- C, 3 bins, all equal: every score 1, nothing reaches 2 or 3.
 ('C', 'c1', 7, '{2.5, 2.5}', '111'),
 ('C', 'c2', 7, '{2.5, 2.5}', '111'),
 ('C', 'c3', 7, '{2.5, 2.5}', '111'),
 ('C', 'c4', 7, '{2.5, 2.5}', '111'),
-- D, 2 bins, one customer: N = 1, L = 0, score 1.
 ('D', 'd1', 3, '{1}', '111'),
-- E, 9 bins, N = 10 distinct: customer i has 10 - i days, i orders of 1.5;
--   L = i - 1, score = 1 + floor(9 (i - 1) / 10): 1,1,2,3,4,5,6,7,8,9;
--   score s >= 2 first reached at L = ceil((s - 1) * 10 / 9) = s, i.e. at i = s + 1:
--   F: 3, 4, 5, 6, 7, 8, 9, 10; M: 4.5, 6.0, ..., 15.0; R: 1, 2, ..., 8
 ('E', 'e01', 9, array_fill(1.5, '{1}'), '111'),
 ('E', 'e02', 8, array_fill(1.5, '{2}'), '111'),
 ('E', 'e03', 7, array_fill(1.5, '{3}'), '222'),
 ('E', 'e04', 6, array_fill(1.5, '{4}'), '333'),
 ('E', 'e05', 5, array_fill(1.5, '{5}'), '444'),
 ('E', 'e06', 4, array_fill(1.5, '{6}'), '555'),
 ('E', 'e07', 3, array_fill(1.5, '{7}'), '666'),
 ('E', 'e08', 2, array_fill(1.5, '{8}'), '777'),
 ('E', 'e09', 1, array_fill(1.5, '{9}'), '888'),
 ('E', 'e10', 0, array_fill(1.5, '{10}'), '999');
CREATE TABLE ag_bins (grp text, bins int, breaks text);
INSERT INTO ag_bins VALUES
 ('A', 5, 'R: 1, 11, 21, 31; F: 2, 3, 4, 5; M: 20, 30, 40, 50'),
 ('B', 5, 'R: -infinity, -infinity, -infinity, 6; F: 2, 2, 2, 3; M: 10.50, 10.50, 20.00, infinity'),
 ('C', 3, 'R: -infinity, -infinity; F: infinity, infinity; M: infinity, infinity'),
 ('D', 2, 'R: -infinity; F: infinity; M: infinity'),
 ('E', 9, 'R: 1, 2, 3, 4, 5, 6, 7, 8; F: 3, 4, 5, 6, 7, 8, 9, 10; M: 4.5, 6.0, 7.5, 9.0, 10.5, 12.0, 13.5, 15.0');
CREATE TABLE ag_sum AS
SELECT grp, cust, rfm_summary(date '2006-12-31' - days, a, date '2006-12-31') AS s
  FROM ag, unnest(amounts) a GROUP BY grp, cust;
CREATE TABLE ag_breaks AS
SELECT grp, bins, rfm_breaks(s, bins) AS b, count(s) AS n
  FROM ag_sum JOIN ag_bins USING (grp) GROUP BY grp, bins;
SELECT grp, n, b, b::text = breaks AS as_expected,
       rfm_breaks_bins(b, 'R') AS r_bins, rfm_breaks_bins(b, 'F') AS f_bins, rfm_breaks_bins(b, 'M') AS m_bins
  FROM ag_breaks JOIN ag_bins USING (grp, bins) ORDER BY grp;
-- Each customer scored against the cut points of its group, beside the window
-- function over the group and the hand-computed score.
SELECT grp, cust, recency(s), frequency(s), monetary(s),
       rfm_score(s, b) AS against_breaks,
       rfm_score(s, bins) OVER (PARTITION BY grp) AS window_score,
       score AS by_hand
  FROM ag_sum JOIN ag_breaks USING (grp) JOIN ag USING (grp, cust)
 ORDER BY grp, cust;
-- The default is 5 bins.
SELECT rfm_breaks(s) AS default_bins, rfm_breaks(s)::text = rfm_breaks(s, 5)::text AS same_as_5
  FROM ag_sum WHERE grp = 'B';
-- NULL summaries do not count; no input, or only NULLs, gives NULL.
SELECT rfm_breaks(s, 5)::text = (SELECT rfm_breaks(s, 5)::text FROM ag_sum WHERE grp = 'A' AND s IS NOT NULL)
       AS nulls_ignored
  FROM ag_sum WHERE grp = 'A';
SELECT (SELECT rfm_breaks(s) FROM ag_sum WHERE false) IS NULL AS empty_is_null,
       (SELECT rfm_breaks(s, 3) FROM ag_sum WHERE s IS NULL) IS NULL AS all_null_is_null,
       (SELECT rfm_breaks(NULL::rfm_summary)) IS NULL AS one_null_is_null;
-- Bins outside 2..9.
SELECT b AS bins, sqlstate_of(format('SELECT rfm_breaks(s, %s) FROM rfm_test_breaks.ag_sum', b)) AS sqlstate
  FROM unnest(ARRAY[-1, 0, 1, 10, 100]) b;
\set VERBOSITY default
SELECT rfm_breaks(s, 10) FROM ag_sum;
\set VERBOSITY terse

------------------------------------------------------------------------------
-- 6. The key property on 200 random data sets: scoring every summary against
--    its own set's rfm_breaks gives the window function's score.
------------------------------------------------------------------------------
-- Deterministic pseudo-random integers from md5 (independent of plan order).
CREATE FUNCTION h(VARIADIC parts text[]) RETURNS bigint LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(md5(array_to_string(parts, ':')), 1, 8))::bit(32)::bigint $$;
-- 200 data sets, bins 2..9, 1..300 customers (every fourth set 1..10).
CREATE TABLE ds AS
SELECT d AS dataset, (2 + h('bins', d::text) % 8)::int AS bins,
       CASE WHEN d % 4 = 0 THEN 1 + h('n', d::text) % 10 ELSE 1 + h('n', d::text) % 300 END AS n
  FROM generate_series(1, 200) d;
-- Customers with heavy ties: frequency in {0, 1, 2} (0..6 in every fifth set),
-- recency from a few values, order amounts from a few values at mixed scales;
-- one in twenty has its only order after as_of (a NULL summary).
CREATE TABLE cust AS
SELECT dataset, bins, i,
       h('null', dataset::text, i::text) % 20 = 0 AS is_null,
       CASE WHEN dataset % 5 = 0 THEN h('f', dataset::text, i::text) % 7
            ELSE h('f', dataset::text, i::text) % 3 END AS freq,
       h('r', dataset::text, i::text) AS rh
  FROM ds, generate_series(1, n) i;
CREATE TABLE rorders AS
SELECT dataset, i, date '2007-01-05' AS d, 1::numeric AS a FROM cust WHERE is_null
UNION ALL
SELECT dataset, i, date '2006-12-31' - (ARRAY[365, 365, 400, 1000])[1 + rh % 4], 10
  FROM cust WHERE NOT is_null AND freq = 0
UNION ALL
SELECT dataset, i, date '2006-12-31' - (ARRAY[0, 0, 1, 3, 30, 30, 89, 90, 364])[1 + rh % 9],
       (ARRAY[10, 10.0, 10.50, 10.5, 0, -3.25, 99.99, 100, 20.00, 5])[1 + h('a', dataset::text, i::text, o::text) % 10]
  FROM cust, generate_series(1, freq) o WHERE NOT is_null AND freq > 0;
CREATE TABLE rsum AS
SELECT dataset, bins, i, rfm_summary(d, a, date '2006-12-31', interval '1 year') AS s
  FROM rorders JOIN ds USING (dataset) GROUP BY dataset, bins, i;
ANALYZE rsum;
SELECT count(*) AS datasets, sum(n) AS customers, min(n), max(n),
       count(*) FILTER (WHERE n <= 10) AS small_sets FROM ds;
SELECT bins, count(*) AS datasets FROM ds GROUP BY bins ORDER BY bins;
-- The summaries agree with plain SQL over the same orders (value and, when
-- there are orders in the period, the scale of monetary too).
CREATE TABLE fig AS
SELECT dataset, i, date '2006-12-31' - max(d) AS days,
       count(*) FILTER (WHERE d > '2005-12-31') AS freq,
       coalesce(sum(a) FILTER (WHERE d > '2005-12-31'), 0) AS mon
  FROM rorders WHERE d <= '2006-12-31' GROUP BY dataset, i;
SELECT count(*) AS summaries, count(*) FILTER (WHERE r.s IS NULL) AS null_summaries,
       count(*) FILTER (WHERE recency(r.s) IS DISTINCT FROM f.days
                           OR frequency(r.s) IS DISTINCT FROM f.freq
                           OR monetary(r.s) IS DISTINCT FROM f.mon
                           OR (f.freq > 0 AND monetary(r.s)::text <> f.mon::text)) AS mismatches
  FROM rsum r FULL JOIN fig f USING (dataset, i);
SELECT count(DISTINCT days) AS distinct_recency, count(DISTINCT freq) AS distinct_frequency,
       count(DISTINCT mon) AS distinct_monetary, count(DISTINCT mon::text) AS distinct_monetary_texts
  FROM fig;
-- The cut points serially.
SET max_parallel_workers_per_gather = 0;
CREATE TABLE rbreaks AS SELECT dataset, rfm_breaks(s, bins) AS b FROM rsum GROUP BY dataset;
-- The independent reference: plain-SQL scores (L = rank() - 1 ordered worst
-- first, N = summaries of the set with an order in the period); a lapsed
-- summary (frequency 0) is not ranked and scores 1 in every dimension.
CREATE TABLE plain AS
WITH l AS (
  SELECT dataset, bins AS k, i, recency(s) AS days, frequency(s) AS freq, monetary(s) AS mon,
         count(*) OVER w AS n,
         rank() OVER (w ORDER BY recency(s) DESC) - 1 AS lr,
         rank() OVER (w ORDER BY frequency(s)) - 1 AS lf,
         rank() OVER (w ORDER BY monetary(s)) - 1 AS lm
    FROM rsum WHERE frequency(s) > 0 WINDOW w AS (PARTITION BY dataset))
SELECT dataset, k, i, days, freq, mon,
       1 + k * lr / n AS sr, 1 + k * lf / n AS sf, 1 + k * lm / n AS sm
  FROM l
UNION ALL
SELECT dataset, bins, i, recency(s), frequency(s), monetary(s), 1, 1, 1
  FROM rsum WHERE frequency(s) = 0;
-- Lapsed summaries in the sets, and sets where every summary is lapsed.
SELECT count(*) FILTER (WHERE freq = 0) AS lapsed,
       count(DISTINCT dataset) FILTER (WHERE freq = 0) AS sets_with_lapsed,
       (SELECT count(*) FROM (SELECT dataset FROM plain GROUP BY dataset
                              HAVING max(freq) = 0) x) AS sets_all_lapsed
  FROM plain;
-- The key property: 0 mismatches; the window also agrees with plain SQL.
SELECT count(*) AS summaries_compared, count(s) AS non_null, count(DISTINCT dataset) AS datasets,
       count(*) FILTER (WHERE rfm_score(s, b) IS DISTINCT FROM w) AS breaks_vs_window,
       count(*) FILTER (WHERE w::int IS DISTINCT FROM p.sr * 100 + p.sf * 10 + p.sm) AS window_vs_plain,
       count(*) FILTER (WHERE s IS NULL AND rfm_score(s, b) IS NOT NULL) AS null_scored
  FROM (SELECT dataset, i, s, rfm_score(s, bins) OVER (PARTITION BY dataset) AS w FROM rsum) x
  JOIN rbreaks USING (dataset)
  LEFT JOIN plain p USING (dataset, i);
-- The cut points themselves, written out by plain SQL from the plain scores:
-- F and M the smallest value with a score >= s (infinity when none), R the
-- largest day count with a score >= s, plus 1 (-infinity when none), M at the
-- largest scale of the set.
CREATE TABLE plain_breaks AS
WITH c AS (
  SELECT dataset, g.s,
         max(days) FILTER (WHERE sr >= g.s) + 1 AS r_cut,
         min(freq) FILTER (WHERE sf >= g.s) AS f_cut,
         min(mon) FILTER (WHERE sm >= g.s) AS m_cut,
         max(scale(mon)) AS m_scale
    FROM plain, generate_series(2, k) g(s)
   GROUP BY dataset, g.s)
SELECT dataset,
       'R: ' || string_agg(coalesce(r_cut::text, '-infinity'), ', ' ORDER BY s DESC)
       || '; F: ' || string_agg(coalesce(f_cut::text, 'infinity'), ', ' ORDER BY s)
       || '; M: ' || string_agg(coalesce(round(m_cut, m_scale)::text, 'infinity'), ', ' ORDER BY s) AS b
  FROM c GROUP BY dataset;
SELECT count(*) AS datasets,
       count(*) FILTER (WHERE r.b IS NULL) AS without_summaries,
       count(*) FILTER (WHERE r.b::text IS DISTINCT FROM p.b) AS text_mismatches
  FROM rbreaks r FULL JOIN plain_breaks p USING (dataset);
-- Three of them, for the eye.
SELECT dataset, bins, n, b FROM rbreaks JOIN ds USING (dataset) WHERE dataset IN (3, 4, 5) ORDER BY dataset;
-- Breaks of the whole table, for each number of bins, against plain SQL
-- (lapsed summaries do not count).
CREATE TABLE whole_serial AS
SELECT k, (SELECT rfm_breaks(s, k) FROM rsum)::text AS b FROM generate_series(2, 9) k;
WITH l AS (
  SELECT recency(s) AS days, frequency(s) AS freq, monetary(s) AS mon, count(*) OVER () AS n,
         rank() OVER (ORDER BY recency(s) DESC) - 1 AS lr,
         rank() OVER (ORDER BY frequency(s)) - 1 AS lf,
         rank() OVER (ORDER BY monetary(s)) - 1 AS lm
    FROM rsum WHERE frequency(s) > 0),
c AS (
  SELECT k, g.s,
         max(days) FILTER (WHERE 1 + k * lr / n >= g.s) + 1 AS r_cut,
         min(freq) FILTER (WHERE 1 + k * lf / n >= g.s) AS f_cut,
         min(mon) FILTER (WHERE 1 + k * lm / n >= g.s) AS m_cut,
         max(scale(mon)) AS m_scale
    FROM l, generate_series(2, 9) k, generate_series(2, k) g(s)
   GROUP BY k, g.s),
p AS (
  SELECT k, 'R: ' || string_agg(coalesce(r_cut::text, '-infinity'), ', ' ORDER BY s DESC)
            || '; F: ' || string_agg(coalesce(f_cut::text, 'infinity'), ', ' ORDER BY s)
            || '; M: ' || string_agg(coalesce(round(m_cut, m_scale)::text, 'infinity'), ', ' ORDER BY s) AS b
    FROM c GROUP BY k)
SELECT k, w.b, w.b = p.b AS as_plain FROM whole_serial w JOIN p USING (k) ORDER BY k;

------------------------------------------------------------------------------
-- 7. The same in parallel: partial aggregation in workers, states serialized,
--    combined; the same cut points as serially.
------------------------------------------------------------------------------
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT rfm_breaks(s) FROM rsum;
SELECT plan_has('SELECT dataset, rfm_breaks(s, bins) FROM rfm_test_breaks.rsum GROUP BY dataset', 'Partial')
       AS grouped_partial;
CREATE TABLE rbreaks_par AS SELECT dataset, rfm_breaks(s, bins) AS b FROM rsum GROUP BY dataset;
CREATE TABLE whole_par AS
SELECT k, (SELECT rfm_breaks(s, k) FROM rsum)::text AS b FROM generate_series(2, 9) k;
SELECT count(*) AS datasets,
       count(*) FILTER (WHERE s.b::text IS DISTINCT FROM p.b::text) AS mismatches
  FROM rbreaks s FULL JOIN rbreaks_par p USING (dataset);
SELECT count(*) AS bins_compared, count(*) FILTER (WHERE s.b IS DISTINCT FROM p.b) AS mismatches
  FROM whole_serial s FULL JOIN whole_par p USING (k);
-- And the scores against the parallel cut points still match the window.
SELECT count(*) AS summaries_compared,
       count(*) FILTER (WHERE rfm_score(s, b) IS DISTINCT FROM w) AS mismatches
  FROM (SELECT dataset, s, rfm_score(s, bins) OVER (PARTITION BY dataset) AS w FROM rsum) x
  JOIN rbreaks_par USING (dataset);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_breaks CASCADE;
RESET client_min_messages;
