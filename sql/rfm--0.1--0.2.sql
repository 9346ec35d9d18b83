-- rfm 0.1 -> 0.2 (ALTER EXTENSION rfm UPDATE TO '0.2').
-- Every object this script creates or changes is written out the same way in
-- rfm--0.2.sql; test/lifecycle/run.sh checks that both give one catalog.

\echo Use "ALTER EXTENSION rfm UPDATE TO '0.2'" to load this file. \quit

-- 0.2: lapsed summaries (frequency 0 in the period) are not ranked and score
-- 111, in the window function, in rfm_breaks and in rfm_score(s, breaks).
CREATE OR REPLACE FUNCTION rfm_score(rfm_summary) RETURNS rfm_score
    AS 'MODULE_PATHNAME', 'rfm_score_window_lapsed_apart' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score(rfm_summary) IS
    'Window function: quintile RFM score of each summary within its partition (score = 1 + floor(5 * L / N), L = summaries strictly worse, N = summaries with an order in the period); a lapsed summary (none in the period) scores 111';
CREATE OR REPLACE FUNCTION rfm_score(rfm_summary, integer) RETURNS rfm_score
    AS 'MODULE_PATHNAME', 'rfm_score_window_lapsed_apart' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score(rfm_summary, integer) IS
    'Window function: RFM score with the given number of bins (2..9) within the partition (score = 1 + floor(bins * L / N), over the summaries with an order in the period); a lapsed summary scores 111';
CREATE OR REPLACE FUNCTION rfm_breaks_trans(internal, rfm_summary) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_breaks_trans_lapsed_apart' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION rfm_breaks_trans(internal, rfm_summary, integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_breaks_trans_lapsed_apart' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_breaks_trans(internal, rfm_summary) IS 'Transition function of the rfm_breaks aggregate (lapsed summaries are not counted)';
COMMENT ON FUNCTION rfm_breaks_trans(internal, rfm_summary, integer) IS 'Transition function of the rfm_breaks aggregate (lapsed summaries are not counted)';
COMMENT ON AGGREGATE rfm_breaks(rfm_summary) IS
    'Quintile cut points of the summaries with an order in the period: scoring each summary against them equals rfm_score(s) OVER () over the same set';
COMMENT ON AGGREGATE rfm_breaks(rfm_summary, integer) IS
    'Cut points for the given number of bins (2..9) of the summaries with an order in the period: scoring each summary against them equals rfm_score(s, bins) OVER () over the same set';
-- rfm_breaks: recency thresholds may be decimals (same input function, wider input).
COMMENT ON TYPE rfm_breaks IS
    'Cut points of R, F and M, e.g. ''R: 30, 90, 180, 365; F: 2, 3, 5, 10; M: 100, 250, 500, 1000'': an order that many days old costs a recency point (decimal days mean what they say: 297.4 = from 298 on); frequency and monetary at a threshold gain one';
CREATE OR REPLACE FUNCTION rfm_score(rfm_summary, rfm_breaks) RETURNS rfm_score
    AS 'MODULE_PATHNAME', 'rfm_score_breaks_lapsed_apart' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score(rfm_summary, rfm_breaks) IS
    'RFM score of one summary against frozen cut points or business thresholds; a lapsed summary (no order in the period) scores 111';

-- money amounts: a money value is a count of the currency's smallest unit,
-- whose size (digits after the point) is lc_monetary's, so these transition
-- functions are STABLE; the summary records the exact decimal the amounts
-- were (as money::numeric gives them), so it no longer depends on the setting.
CREATE FUNCTION rfm_summary_trans(rfm_summary, date, money, date)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_date_money' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, date, money, date, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_date_money' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamp, money, timestamp)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_ts_money' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamp, money, timestamp, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_ts_money' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamptz, money, timestamptz)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_tstz_money' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamptz, money, timestamptz, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_tstz_money' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, date, money, date) IS 'Transition function of the rfm_summary aggregate (money: STABLE, its scale follows lc_monetary)';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, date, money, date, interval) IS 'Transition function of the rfm_summary aggregate (money: STABLE, its scale follows lc_monetary)';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamp, money, timestamp) IS 'Transition function of the rfm_summary aggregate (money: STABLE, its scale follows lc_monetary)';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamp, money, timestamp, interval) IS 'Transition function of the rfm_summary aggregate (money: STABLE, its scale follows lc_monetary)';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamptz, money, timestamptz) IS 'Transition function of the rfm_summary aggregate (money: STABLE, its scale follows lc_monetary)';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamptz, money, timestamptz, interval) IS 'Transition function of the rfm_summary aggregate (money: STABLE, its scale follows lc_monetary)';

CREATE AGGREGATE rfm_summary(date, money, date) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(date, money, date) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of; money amounts read with lc_monetary''s digits after the point, as money::numeric reads them';
CREATE AGGREGATE rfm_summary(date, money, date, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(date, money, date, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]; money amounts read with lc_monetary''s digits after the point, as money::numeric reads them';
CREATE AGGREGATE rfm_summary(timestamp, money, timestamp) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamp, money, timestamp) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of; money amounts read with lc_monetary''s digits after the point, as money::numeric reads them';
CREATE AGGREGATE rfm_summary(timestamp, money, timestamp, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamp, money, timestamp, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]; money amounts read with lc_monetary''s digits after the point, as money::numeric reads them';
CREATE AGGREGATE rfm_summary(timestamptz, money, timestamptz) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamptz, money, timestamptz) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of; money amounts read with lc_monetary''s digits after the point, as money::numeric reads them';
CREATE AGGREGATE rfm_summary(timestamptz, money, timestamptz, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamptz, money, timestamptz, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]; money amounts read with lc_monetary''s digits after the point, as money::numeric reads them';
