-- rfm 0.3: RFM customer classification inside PostgreSQL.
-- Every object is created in the extension's schema and has a COMMENT, and
-- every object is written out (no DO blocks), so grep finds each one.
-- Upgrading from 0.2: rfm--0.2--0.3.sql (from 0.1: rfm--0.1--0.2.sql first).

\echo Use "CREATE EXTENSION rfm" to load this file. \quit

----------------------------------------------------------------------------
-- rfm_summary: one customer's figures as of an instant
----------------------------------------------------------------------------

CREATE TYPE rfm_summary;

CREATE FUNCTION rfm_summary_in(cstring) RETURNS rfm_summary
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_summary_out(rfm_summary) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_summary_recv(internal) RETURNS rfm_summary
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_summary_send(rfm_summary) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE rfm_summary (
    INTERNALLENGTH = 72,
    INPUT = rfm_summary_in,
    OUTPUT = rfm_summary_out,
    RECEIVE = rfm_summary_recv,
    SEND = rfm_summary_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE rfm_summary IS
    'One customer''s RFM figures as of an instant: recency, frequency, monetary, first and last order, orders ever';

CREATE FUNCTION recency(rfm_summary) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_summary_recency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION recency(rfm_summary) IS
    'Whole days from the last order on or before as_of to as_of (0 = within the last 24 hours)';

CREATE FUNCTION frequency(rfm_summary) RETURNS bigint
    AS 'MODULE_PATHNAME', 'rfm_summary_frequency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION frequency(rfm_summary) IS
    'Number of orders in the period (as_of - period, as_of]';

CREATE FUNCTION monetary(rfm_summary) RETURNS numeric
    AS 'MODULE_PATHNAME', 'rfm_summary_monetary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION monetary(rfm_summary) IS
    'Total spend in the period; exact for integer and numeric amounts (equal to sum(amount)), 0 when no order in the period';

CREATE FUNCTION avg_order_value(rfm_summary) RETURNS numeric
    AS 'MODULE_PATHNAME', 'rfm_summary_avg_order_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION avg_order_value(rfm_summary) IS
    'monetary / frequency, as avg(amount) would give it; NULL when no order in the period';

CREATE FUNCTION orders_ever(rfm_summary) RETURNS bigint
    AS 'MODULE_PATHNAME', 'rfm_summary_orders_ever' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION orders_ever(rfm_summary) IS
    'Number of orders on or before as_of, inside the period or not';

CREATE FUNCTION first_order(rfm_summary) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'rfm_summary_first_order' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION first_order(rfm_summary) IS
    'Instant of the first order on or before as_of (date and timestamp inputs are read in the session TimeZone, as a cast would)';

CREATE FUNCTION last_order(rfm_summary) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'rfm_summary_last_order' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION last_order(rfm_summary) IS
    'Instant of the last order on or before as_of (date and timestamp inputs are read in the session TimeZone, as a cast would)';

CREATE FUNCTION as_of(rfm_summary) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'rfm_summary_as_of' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION as_of(rfm_summary) IS
    'The instant the summary was taken at';

CREATE FUNCTION tenure(rfm_summary) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_summary_tenure' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tenure(rfm_summary) IS
    'Whole days from the first order to as_of (the customer''s age, lifetimes'' T in days)';

CREATE FUNCTION purchase_span(rfm_summary) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_summary_purchase_span' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION purchase_span(rfm_summary) IS
    'Whole days from the first to the last order (the age at last purchase, lifetimes'' t_x in days)';

----------------------------------------------------------------------------
-- rfm_summary aggregate: one transition function per (ordered_at, amount) kind
----------------------------------------------------------------------------

CREATE FUNCTION rfm_summary_combine(rfm_summary, rfm_summary) RETURNS rfm_summary
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_summary_combine(rfm_summary, rfm_summary) IS
    'Combine function of the rfm_summary aggregate (merges two partial summaries)';

CREATE FUNCTION rfm_summary_final(rfm_summary) RETURNS rfm_summary
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_summary_final(rfm_summary) IS
    'Final function of the rfm_summary aggregate (NULL for a customer with no order on or before as_of)';

-- The transition functions are not STRICT: a row with a NULL ordered_at,
-- amount or as_of is skipped, the way sum() skips NULL.
CREATE FUNCTION rfm_summary_trans(rfm_summary, date, numeric, date)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_date_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, date, numeric, date, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_date_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, date, double precision, date)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_date_float8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, date, double precision, date, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_date_float8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, date, bigint, date)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_date_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, date, bigint, date, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_date_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, date, integer, date)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_date_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, date, integer, date, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_date_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamp, numeric, timestamp)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_ts_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamp, numeric, timestamp, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_ts_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamp, double precision, timestamp)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_ts_float8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamp, double precision, timestamp, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_ts_float8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamp, bigint, timestamp)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_ts_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamp, bigint, timestamp, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_ts_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamp, integer, timestamp)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_ts_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamp, integer, timestamp, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_ts_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamptz, numeric, timestamptz)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_tstz_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamptz, numeric, timestamptz, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_tstz_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamptz, double precision, timestamptz)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_tstz_float8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamptz, double precision, timestamptz, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_tstz_float8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamptz, bigint, timestamptz)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_tstz_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamptz, bigint, timestamptz, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_tstz_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamptz, integer, timestamptz)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_tstz_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_summary_trans(rfm_summary, timestamptz, integer, timestamptz, interval)
    RETURNS rfm_summary AS 'MODULE_PATHNAME', 'rfm_summary_trans_tstz_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The aggregates: one per (ordered_at, amount) kind, with and without period.
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, date, numeric, date) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, date, numeric, date, interval) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, date, double precision, date) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, date, double precision, date, interval) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, date, bigint, date) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, date, bigint, date, interval) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, date, integer, date) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, date, integer, date, interval) IS 'Transition function of the rfm_summary aggregate';

COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamp, numeric, timestamp) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamp, numeric, timestamp, interval) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamp, double precision, timestamp) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamp, double precision, timestamp, interval) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamp, bigint, timestamp) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamp, bigint, timestamp, interval) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamp, integer, timestamp) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamp, integer, timestamp, interval) IS 'Transition function of the rfm_summary aggregate';

COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamptz, numeric, timestamptz) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamptz, numeric, timestamptz, interval) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamptz, double precision, timestamptz) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamptz, double precision, timestamptz, interval) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamptz, bigint, timestamptz) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamptz, bigint, timestamptz, interval) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamptz, integer, timestamptz) IS 'Transition function of the rfm_summary aggregate';
COMMENT ON FUNCTION rfm_summary_trans(rfm_summary, timestamptz, integer, timestamptz, interval) IS 'Transition function of the rfm_summary aggregate';

CREATE AGGREGATE rfm_summary(date, numeric, date) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(date, numeric, date) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(date, numeric, date, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(date, numeric, date, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';
CREATE AGGREGATE rfm_summary(date, double precision, date) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(date, double precision, date) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(date, double precision, date, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(date, double precision, date, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';
CREATE AGGREGATE rfm_summary(date, bigint, date) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(date, bigint, date) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(date, bigint, date, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(date, bigint, date, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';
CREATE AGGREGATE rfm_summary(date, integer, date) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(date, integer, date) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(date, integer, date, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(date, integer, date, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';
CREATE AGGREGATE rfm_summary(timestamp, numeric, timestamp) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamp, numeric, timestamp) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(timestamp, numeric, timestamp, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamp, numeric, timestamp, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';
CREATE AGGREGATE rfm_summary(timestamp, double precision, timestamp) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamp, double precision, timestamp) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(timestamp, double precision, timestamp, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamp, double precision, timestamp, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';
CREATE AGGREGATE rfm_summary(timestamp, bigint, timestamp) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamp, bigint, timestamp) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(timestamp, bigint, timestamp, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamp, bigint, timestamp, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';
CREATE AGGREGATE rfm_summary(timestamp, integer, timestamp) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamp, integer, timestamp) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(timestamp, integer, timestamp, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamp, integer, timestamp, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';
CREATE AGGREGATE rfm_summary(timestamptz, numeric, timestamptz) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamptz, numeric, timestamptz) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(timestamptz, numeric, timestamptz, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamptz, numeric, timestamptz, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';
CREATE AGGREGATE rfm_summary(timestamptz, double precision, timestamptz) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamptz, double precision, timestamptz) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(timestamptz, double precision, timestamptz, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamptz, double precision, timestamptz, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';
CREATE AGGREGATE rfm_summary(timestamptz, bigint, timestamptz) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamptz, bigint, timestamptz) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(timestamptz, bigint, timestamptz, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamptz, bigint, timestamptz, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';
CREATE AGGREGATE rfm_summary(timestamptz, integer, timestamptz) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamptz, integer, timestamptz) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, over all history up to as_of';
CREATE AGGREGATE rfm_summary(timestamptz, integer, timestamptz, interval) (
    SFUNC = rfm_summary_trans, STYPE = rfm_summary,
    FINALFUNC = rfm_summary_final, COMBINEFUNC = rfm_summary_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_summary(timestamptz, integer, timestamptz, interval) IS
    'Per-customer RFM summary of orders (ordered_at, amount) as of as_of, frequency and monetary counted in (as_of - period, as_of]';

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

----------------------------------------------------------------------------
-- rfm_score: three digits R F M, each 1..9, stored as R*100 + F*10 + M
----------------------------------------------------------------------------

CREATE TYPE rfm_score;

CREATE FUNCTION rfm_score_in(cstring) RETURNS rfm_score
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score_out(rfm_score) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score_recv(internal) RETURNS rfm_score
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- The binary form is the three digits as text, readable by any client.
CREATE FUNCTION rfm_score_send(rfm_score) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE rfm_score (
    INTERNALLENGTH = 2,
    PASSEDBYVALUE,
    ALIGNMENT = int2,
    STORAGE = plain,
    INPUT = rfm_score_in,
    OUTPUT = rfm_score_out,
    RECEIVE = rfm_score_recv,
    SEND = rfm_score_send
);
COMMENT ON TYPE rfm_score IS
    'RFM score: three digits R F M (each 1..9), e.g. 543; sorts by R, then F, then M';

CREATE FUNCTION rfm_score(integer, integer, integer) RETURNS rfm_score
    AS 'MODULE_PATHNAME', 'rfm_score_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score(integer, integer, integer) IS
    'Builds an RFM score from its recency, frequency and monetary digits (each 1..9)';

CREATE FUNCTION recency_score(rfm_score) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_score_recency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION recency_score(rfm_score) IS 'The R digit of an RFM score';
CREATE FUNCTION frequency_score(rfm_score) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_score_frequency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION frequency_score(rfm_score) IS 'The F digit of an RFM score';
CREATE FUNCTION monetary_score(rfm_score) RETURNS integer
    AS 'MODULE_PATHNAME', 'rfm_score_monetary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION monetary_score(rfm_score) IS 'The M digit of an RFM score';

CREATE FUNCTION rfm_score_to_int(rfm_score) RETURNS integer
    AS 'i2toi4' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score_to_int(rfm_score) IS 'The score as the integer its three digits spell (543)';
CREATE CAST (rfm_score AS integer) WITH FUNCTION rfm_score_to_int(rfm_score) AS ASSIGNMENT;
COMMENT ON CAST (rfm_score AS integer) IS 'The score as the integer its three digits spell (543)';
CREATE CAST (rfm_score AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (rfm_score AS text) IS 'The score as three digits of text (''543'')';

CREATE FUNCTION rfm_score_eq(rfm_score, rfm_score) RETURNS boolean
    AS 'int2eq' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION rfm_score_ne(rfm_score, rfm_score) RETURNS boolean
    AS 'int2ne' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION rfm_score_lt(rfm_score, rfm_score) RETURNS boolean
    AS 'int2lt' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION rfm_score_le(rfm_score, rfm_score) RETURNS boolean
    AS 'int2le' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION rfm_score_gt(rfm_score, rfm_score) RETURNS boolean
    AS 'int2gt' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION rfm_score_ge(rfm_score, rfm_score) RETURNS boolean
    AS 'int2ge' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION rfm_score_cmp(rfm_score, rfm_score) RETURNS integer
    AS 'btint2cmp' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION rfm_score_sortsupport(internal) RETURNS void
    AS 'btint2sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_score_hash(rfm_score) RETURNS integer
    AS 'hashint2' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION rfm_score_hash_extended(rfm_score, bigint) RETURNS bigint
    AS 'hashint2extended' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score_eq(rfm_score, rfm_score) IS 'Implementation of = for rfm_score';
COMMENT ON FUNCTION rfm_score_ne(rfm_score, rfm_score) IS 'Implementation of <> for rfm_score';
COMMENT ON FUNCTION rfm_score_lt(rfm_score, rfm_score) IS 'Implementation of < for rfm_score';
COMMENT ON FUNCTION rfm_score_le(rfm_score, rfm_score) IS 'Implementation of <= for rfm_score';
COMMENT ON FUNCTION rfm_score_gt(rfm_score, rfm_score) IS 'Implementation of > for rfm_score';
COMMENT ON FUNCTION rfm_score_ge(rfm_score, rfm_score) IS 'Implementation of >= for rfm_score';
COMMENT ON FUNCTION rfm_score_cmp(rfm_score, rfm_score) IS 'B-tree comparison support for rfm_score';
COMMENT ON FUNCTION rfm_score_sortsupport(internal) IS 'B-tree sort support for rfm_score';
COMMENT ON FUNCTION rfm_score_hash(rfm_score) IS 'Hash support for rfm_score';
COMMENT ON FUNCTION rfm_score_hash_extended(rfm_score, bigint) IS 'Seeded 64-bit hash support for rfm_score (hash partitioning)';

CREATE OPERATOR = (LEFTARG = rfm_score, RIGHTARG = rfm_score, FUNCTION = rfm_score_eq,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = rfm_score, RIGHTARG = rfm_score, FUNCTION = rfm_score_ne,
    COMMUTATOR = <>, NEGATOR = =, RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel);
CREATE OPERATOR < (LEFTARG = rfm_score, RIGHTARG = rfm_score, FUNCTION = rfm_score_lt,
    COMMUTATOR = >, NEGATOR = >=, RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = rfm_score, RIGHTARG = rfm_score, FUNCTION = rfm_score_le,
    COMMUTATOR = >=, NEGATOR = >, RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = rfm_score, RIGHTARG = rfm_score, FUNCTION = rfm_score_gt,
    COMMUTATOR = <, NEGATOR = <=, RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = rfm_score, RIGHTARG = rfm_score, FUNCTION = rfm_score_ge,
    COMMUTATOR = <=, NEGATOR = <, RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel);
COMMENT ON OPERATOR = (rfm_score, rfm_score) IS 'equal';
COMMENT ON OPERATOR <> (rfm_score, rfm_score) IS 'not equal';
COMMENT ON OPERATOR < (rfm_score, rfm_score) IS 'less than (compares R, then F, then M)';
COMMENT ON OPERATOR <= (rfm_score, rfm_score) IS 'less than or equal (compares R, then F, then M)';
COMMENT ON OPERATOR > (rfm_score, rfm_score) IS 'greater than (compares R, then F, then M)';
COMMENT ON OPERATOR >= (rfm_score, rfm_score) IS 'greater than or equal (compares R, then F, then M)';

CREATE OPERATOR CLASS rfm_score_ops DEFAULT FOR TYPE rfm_score USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 rfm_score_cmp(rfm_score, rfm_score),
    FUNCTION 2 rfm_score_sortsupport(internal);
CREATE OPERATOR CLASS rfm_score_hash_ops DEFAULT FOR TYPE rfm_score USING hash AS
    OPERATOR 1 =,
    FUNCTION 1 rfm_score_hash(rfm_score),
    FUNCTION 2 rfm_score_hash_extended(rfm_score, bigint);
COMMENT ON OPERATOR CLASS rfm_score_ops USING btree IS 'Default B-tree operator class for rfm_score';
COMMENT ON OPERATOR CLASS rfm_score_hash_ops USING hash IS 'Default hash operator class for rfm_score (also hash partitioning)';
COMMENT ON OPERATOR FAMILY rfm_score_ops USING btree IS 'B-tree operator family of rfm_score';
COMMENT ON OPERATOR FAMILY rfm_score_hash_ops USING hash IS 'Hash operator family of rfm_score';

-- The quantile scores: a window function that reads its partition once.
CREATE FUNCTION rfm_score(rfm_summary) RETURNS rfm_score
    AS 'MODULE_PATHNAME', 'rfm_score_window_lapsed_apart' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score(rfm_summary) IS
    'Window function: quintile RFM score of each summary within its partition (score = 1 + floor(5 * L / N), L = summaries strictly worse, N = summaries with an order in the period); a lapsed summary (none in the period) scores 111';
CREATE FUNCTION rfm_score(rfm_summary, integer) RETURNS rfm_score
    AS 'MODULE_PATHNAME', 'rfm_score_window_lapsed_apart' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score(rfm_summary, integer) IS
    'Window function: RFM score with the given number of bins (2..9) within the partition (score = 1 + floor(bins * L / N), over the summaries with an order in the period); a lapsed summary scores 111';

----------------------------------------------------------------------------
-- segment and loyalty_class: ordered vocabularies stored in one byte,
-- best first, so the built-in "char" comparisons order them.
----------------------------------------------------------------------------

CREATE TYPE segment;
CREATE FUNCTION segment_in(cstring) RETURNS segment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION segment_out(segment) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION segment_recv(internal) RETURNS segment
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION segment_send(segment) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE segment (
    INTERNALLENGTH = 1, PASSEDBYVALUE, ALIGNMENT = char, STORAGE = plain,
    INPUT = segment_in, OUTPUT = segment_out, RECEIVE = segment_recv, SEND = segment_send
);
COMMENT ON TYPE segment IS
    'RFM segment, sorting best to worst: champions, loyal, potential_loyalist, new_customers, promising, need_attention, about_to_sleep, at_risk, cannot_lose_them, hibernating, lost';

CREATE TYPE loyalty_class;
CREATE FUNCTION loyalty_class_in(cstring) RETURNS loyalty_class
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION loyalty_class_out(loyalty_class) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION loyalty_class_recv(internal) RETURNS loyalty_class
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION loyalty_class_send(loyalty_class) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE loyalty_class (
    INTERNALLENGTH = 1, PASSEDBYVALUE, ALIGNMENT = char, STORAGE = plain,
    INPUT = loyalty_class_in, OUTPUT = loyalty_class_out,
    RECEIVE = loyalty_class_recv, SEND = loyalty_class_send
);
COMMENT ON TYPE loyalty_class IS
    'Loyalty class, sorting best to worst: loyal, repeat, one_time, lapsed';

COMMENT ON FUNCTION rfm_summary_in(cstring) IS 'Input function of rfm_summary';
COMMENT ON FUNCTION rfm_summary_out(rfm_summary) IS 'Output function of rfm_summary';
COMMENT ON FUNCTION rfm_summary_recv(internal) IS 'Binary receive function of rfm_summary';
COMMENT ON FUNCTION rfm_summary_send(rfm_summary) IS 'Binary send function of rfm_summary';
COMMENT ON FUNCTION rfm_score_in(cstring) IS 'Input function of rfm_score';
COMMENT ON FUNCTION rfm_score_out(rfm_score) IS 'Output function of rfm_score';
COMMENT ON FUNCTION rfm_score_recv(internal) IS 'Binary receive function of rfm_score';
COMMENT ON FUNCTION rfm_score_send(rfm_score) IS 'Binary send function of rfm_score';
COMMENT ON FUNCTION segment_in(cstring) IS 'Input function of segment';
COMMENT ON FUNCTION segment_out(segment) IS 'Output function of segment';
COMMENT ON FUNCTION segment_recv(internal) IS 'Binary receive function of segment (the label as text, like an enum)';
COMMENT ON FUNCTION segment_send(segment) IS 'Binary send function of segment (the label as text, like an enum)';
COMMENT ON FUNCTION loyalty_class_in(cstring) IS 'Input function of loyalty_class';
COMMENT ON FUNCTION loyalty_class_out(loyalty_class) IS 'Output function of loyalty_class';
COMMENT ON FUNCTION loyalty_class_recv(internal) IS 'Binary receive function of loyalty_class (the label as text, like an enum)';
COMMENT ON FUNCTION loyalty_class_send(loyalty_class) IS 'Binary send function of loyalty_class (the label as text, like an enum)';

-- Comparison operators and opclasses for both vocabularies, which share the
-- built-in "char" routines.
-- segment: comparison functions (the built-in "char" routines), operators, opclasses, casts

CREATE FUNCTION segment_eq(segment, segment) RETURNS boolean
    AS 'chareq' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION segment_eq(segment, segment) IS 'Implementation of = for segment';
CREATE FUNCTION segment_ne(segment, segment) RETURNS boolean
    AS 'charne' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION segment_ne(segment, segment) IS 'Implementation of <> for segment';
CREATE FUNCTION segment_lt(segment, segment) RETURNS boolean
    AS 'charlt' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION segment_lt(segment, segment) IS 'Implementation of < for segment';
CREATE FUNCTION segment_le(segment, segment) RETURNS boolean
    AS 'charle' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION segment_le(segment, segment) IS 'Implementation of <= for segment';
CREATE FUNCTION segment_gt(segment, segment) RETURNS boolean
    AS 'chargt' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION segment_gt(segment, segment) IS 'Implementation of > for segment';
CREATE FUNCTION segment_ge(segment, segment) RETURNS boolean
    AS 'charge' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION segment_ge(segment, segment) IS 'Implementation of >= for segment';

CREATE OPERATOR = (
    LEFTARG = segment, RIGHTARG = segment, FUNCTION = segment_eq,
    COMMUTATOR = =, NEGATOR = <>,
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES);
COMMENT ON OPERATOR = (segment, segment) IS 'equal';
CREATE OPERATOR <> (
    LEFTARG = segment, RIGHTARG = segment, FUNCTION = segment_ne,
    COMMUTATOR = <>, NEGATOR = =,
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel);
COMMENT ON OPERATOR <> (segment, segment) IS 'not equal';
CREATE OPERATOR < (
    LEFTARG = segment, RIGHTARG = segment, FUNCTION = segment_lt,
    COMMUTATOR = >, NEGATOR = >=,
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel);
COMMENT ON OPERATOR < (segment, segment) IS 'better than';
CREATE OPERATOR <= (
    LEFTARG = segment, RIGHTARG = segment, FUNCTION = segment_le,
    COMMUTATOR = >=, NEGATOR = >,
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel);
COMMENT ON OPERATOR <= (segment, segment) IS 'better than or equal';
CREATE OPERATOR > (
    LEFTARG = segment, RIGHTARG = segment, FUNCTION = segment_gt,
    COMMUTATOR = <, NEGATOR = <=,
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel);
COMMENT ON OPERATOR > (segment, segment) IS 'worse than';
CREATE OPERATOR >= (
    LEFTARG = segment, RIGHTARG = segment, FUNCTION = segment_ge,
    COMMUTATOR = <=, NEGATOR = <,
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel);
COMMENT ON OPERATOR >= (segment, segment) IS 'worse than or equal';

CREATE FUNCTION segment_cmp(segment, segment) RETURNS integer
    AS 'btcharcmp' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION segment_hash(segment) RETURNS integer
    AS 'hashchar' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION segment_hash_extended(segment, bigint) RETURNS bigint
    AS 'hashcharextended' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION segment_cmp(segment, segment) IS 'B-tree comparison support for segment';
COMMENT ON FUNCTION segment_hash(segment) IS 'Hash support for segment';
COMMENT ON FUNCTION segment_hash_extended(segment, bigint) IS 'Seeded 64-bit hash support for segment';

CREATE OPERATOR CLASS segment_ops DEFAULT FOR TYPE segment USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 segment_cmp(segment, segment);
CREATE OPERATOR CLASS segment_hash_ops DEFAULT FOR TYPE segment USING hash AS
    OPERATOR 1 =, FUNCTION 1 segment_hash(segment), FUNCTION 2 segment_hash_extended(segment, bigint);
COMMENT ON OPERATOR CLASS segment_ops USING btree IS 'Default B-tree operator class for segment (best first)';
COMMENT ON OPERATOR CLASS segment_hash_ops USING hash IS 'Default hash operator class for segment';
COMMENT ON OPERATOR FAMILY segment_ops USING btree IS 'B-tree operator family of segment';
COMMENT ON OPERATOR FAMILY segment_hash_ops USING hash IS 'Hash operator family of segment';

CREATE CAST (segment AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (segment AS text) IS 'The label as text';
-- JDBC sends string parameters as varchar: WHERE segment = ? must work.
CREATE CAST (text AS segment) WITH INOUT AS IMPLICIT;
COMMENT ON CAST (text AS segment) IS 'A label read as segment (implicit, so string parameters compare with it)';
CREATE CAST (varchar AS segment) WITH INOUT AS IMPLICIT;
COMMENT ON CAST (varchar AS segment) IS 'A label read as segment (implicit: JDBC sends string parameters as varchar)';

-- loyalty_class: comparison functions (the built-in "char" routines), operators, opclasses, casts

CREATE FUNCTION loyalty_class_eq(loyalty_class, loyalty_class) RETURNS boolean
    AS 'chareq' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_class_eq(loyalty_class, loyalty_class) IS 'Implementation of = for loyalty_class';
CREATE FUNCTION loyalty_class_ne(loyalty_class, loyalty_class) RETURNS boolean
    AS 'charne' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_class_ne(loyalty_class, loyalty_class) IS 'Implementation of <> for loyalty_class';
CREATE FUNCTION loyalty_class_lt(loyalty_class, loyalty_class) RETURNS boolean
    AS 'charlt' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_class_lt(loyalty_class, loyalty_class) IS 'Implementation of < for loyalty_class';
CREATE FUNCTION loyalty_class_le(loyalty_class, loyalty_class) RETURNS boolean
    AS 'charle' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_class_le(loyalty_class, loyalty_class) IS 'Implementation of <= for loyalty_class';
CREATE FUNCTION loyalty_class_gt(loyalty_class, loyalty_class) RETURNS boolean
    AS 'chargt' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_class_gt(loyalty_class, loyalty_class) IS 'Implementation of > for loyalty_class';
CREATE FUNCTION loyalty_class_ge(loyalty_class, loyalty_class) RETURNS boolean
    AS 'charge' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_class_ge(loyalty_class, loyalty_class) IS 'Implementation of >= for loyalty_class';

CREATE OPERATOR = (
    LEFTARG = loyalty_class, RIGHTARG = loyalty_class, FUNCTION = loyalty_class_eq,
    COMMUTATOR = =, NEGATOR = <>,
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES);
COMMENT ON OPERATOR = (loyalty_class, loyalty_class) IS 'equal';
CREATE OPERATOR <> (
    LEFTARG = loyalty_class, RIGHTARG = loyalty_class, FUNCTION = loyalty_class_ne,
    COMMUTATOR = <>, NEGATOR = =,
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel);
COMMENT ON OPERATOR <> (loyalty_class, loyalty_class) IS 'not equal';
CREATE OPERATOR < (
    LEFTARG = loyalty_class, RIGHTARG = loyalty_class, FUNCTION = loyalty_class_lt,
    COMMUTATOR = >, NEGATOR = >=,
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel);
COMMENT ON OPERATOR < (loyalty_class, loyalty_class) IS 'better than';
CREATE OPERATOR <= (
    LEFTARG = loyalty_class, RIGHTARG = loyalty_class, FUNCTION = loyalty_class_le,
    COMMUTATOR = >=, NEGATOR = >,
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel);
COMMENT ON OPERATOR <= (loyalty_class, loyalty_class) IS 'better than or equal';
CREATE OPERATOR > (
    LEFTARG = loyalty_class, RIGHTARG = loyalty_class, FUNCTION = loyalty_class_gt,
    COMMUTATOR = <, NEGATOR = <=,
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel);
COMMENT ON OPERATOR > (loyalty_class, loyalty_class) IS 'worse than';
CREATE OPERATOR >= (
    LEFTARG = loyalty_class, RIGHTARG = loyalty_class, FUNCTION = loyalty_class_ge,
    COMMUTATOR = <=, NEGATOR = <,
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel);
COMMENT ON OPERATOR >= (loyalty_class, loyalty_class) IS 'worse than or equal';

CREATE FUNCTION loyalty_class_cmp(loyalty_class, loyalty_class) RETURNS integer
    AS 'btcharcmp' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION loyalty_class_hash(loyalty_class) RETURNS integer
    AS 'hashchar' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION loyalty_class_hash_extended(loyalty_class, bigint) RETURNS bigint
    AS 'hashcharextended' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_class_cmp(loyalty_class, loyalty_class) IS 'B-tree comparison support for loyalty_class';
COMMENT ON FUNCTION loyalty_class_hash(loyalty_class) IS 'Hash support for loyalty_class';
COMMENT ON FUNCTION loyalty_class_hash_extended(loyalty_class, bigint) IS 'Seeded 64-bit hash support for loyalty_class';

CREATE OPERATOR CLASS loyalty_class_ops DEFAULT FOR TYPE loyalty_class USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 loyalty_class_cmp(loyalty_class, loyalty_class);
CREATE OPERATOR CLASS loyalty_class_hash_ops DEFAULT FOR TYPE loyalty_class USING hash AS
    OPERATOR 1 =, FUNCTION 1 loyalty_class_hash(loyalty_class), FUNCTION 2 loyalty_class_hash_extended(loyalty_class, bigint);
COMMENT ON OPERATOR CLASS loyalty_class_ops USING btree IS 'Default B-tree operator class for loyalty_class (best first)';
COMMENT ON OPERATOR CLASS loyalty_class_hash_ops USING hash IS 'Default hash operator class for loyalty_class';
COMMENT ON OPERATOR FAMILY loyalty_class_ops USING btree IS 'B-tree operator family of loyalty_class';
COMMENT ON OPERATOR FAMILY loyalty_class_hash_ops USING hash IS 'Hash operator family of loyalty_class';

CREATE CAST (loyalty_class AS text) WITH INOUT AS ASSIGNMENT;
COMMENT ON CAST (loyalty_class AS text) IS 'The label as text';
-- JDBC sends string parameters as varchar: WHERE loyalty_class = ? must work.
CREATE CAST (text AS loyalty_class) WITH INOUT AS IMPLICIT;
COMMENT ON CAST (text AS loyalty_class) IS 'A label read as loyalty_class (implicit, so string parameters compare with it)';
CREATE CAST (varchar AS loyalty_class) WITH INOUT AS IMPLICIT;
COMMENT ON CAST (varchar AS loyalty_class) IS 'A label read as loyalty_class (implicit: JDBC sends string parameters as varchar)';

CREATE FUNCTION rfm_segment(rfm_score) RETURNS segment
    AS 'MODULE_PATHNAME', 'rfm_segment_of_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_segment(rfm_score) IS
    'Named segment of a 5-bin RFM score on the R-by-FM grid, FM = round-half-up((F + M) / 2)';

CREATE FUNCTION segment_label(segment) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION segment_label(segment) IS
    'Display label of a segment, e.g. ''Cannot lose them'' for cannot_lose_them';

CREATE FUNCTION loyalty_class(rfm_summary) RETURNS loyalty_class
    AS 'MODULE_PATHNAME', 'rfm_loyalty_class' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_class(rfm_summary) IS
    'Loyalty class with the threshold of the setting rfm.loyal_min_orders (default 10): loyal, repeat, one_time or lapsed';
CREATE FUNCTION loyalty_class(rfm_summary, integer) RETURNS loyalty_class
    AS 'MODULE_PATHNAME', 'rfm_loyalty_class' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_class(rfm_summary, integer) IS
    'Loyalty class: loyal (at least loyal_min orders in the period), repeat (2 or more), one_time (1), lapsed (none in the period, earlier ones)';

----------------------------------------------------------------------------
-- rfm_breaks: frozen cut points or business thresholds
----------------------------------------------------------------------------

CREATE TYPE rfm_breaks;
CREATE FUNCTION rfm_breaks_in(cstring) RETURNS rfm_breaks
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_out(rfm_breaks) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_recv(internal) RETURNS rfm_breaks
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_send(rfm_breaks) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE rfm_breaks (
    INTERNALLENGTH = 392,
    INPUT = rfm_breaks_in,
    OUTPUT = rfm_breaks_out,
    RECEIVE = rfm_breaks_recv,
    SEND = rfm_breaks_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE rfm_breaks IS
    'Cut points of R, F and M, e.g. ''R: 30, 90, 180, 365; F: 2, 3, 5, 10; M: 100, 250, 500, 1000'': an order that many days old costs a recency point (decimal days mean what they say: 297.4 = from 298 on); frequency and monetary at a threshold gain one';
COMMENT ON FUNCTION rfm_breaks_in(cstring) IS 'Input function of rfm_breaks';
COMMENT ON FUNCTION rfm_breaks_out(rfm_breaks) IS 'Output function of rfm_breaks';
COMMENT ON FUNCTION rfm_breaks_recv(internal) IS 'Binary receive function of rfm_breaks';
COMMENT ON FUNCTION rfm_breaks_send(rfm_breaks) IS 'Binary send function of rfm_breaks';

CREATE FUNCTION rfm_breaks_trans(internal, rfm_summary) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_breaks_trans_lapsed_apart' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_trans(internal, rfm_summary, integer) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_breaks_trans_lapsed_apart' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_breaks_final(internal) RETURNS rfm_breaks
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_breaks_trans(internal, rfm_summary) IS 'Transition function of the rfm_breaks aggregate (lapsed summaries are not counted)';
COMMENT ON FUNCTION rfm_breaks_trans(internal, rfm_summary, integer) IS 'Transition function of the rfm_breaks aggregate (lapsed summaries are not counted)';
COMMENT ON FUNCTION rfm_breaks_combine(internal, internal) IS 'Combine function of the rfm_breaks aggregate';
COMMENT ON FUNCTION rfm_breaks_serialize(internal) IS 'Serialization function of the rfm_breaks aggregate';
COMMENT ON FUNCTION rfm_breaks_deserialize(bytea, internal) IS 'Deserialization function of the rfm_breaks aggregate';
COMMENT ON FUNCTION rfm_breaks_final(internal) IS 'Final function of the rfm_breaks aggregate';

CREATE AGGREGATE rfm_breaks(rfm_summary) (
    SFUNC = rfm_breaks_trans, STYPE = internal, SSPACE = 40,
    FINALFUNC = rfm_breaks_final, COMBINEFUNC = rfm_breaks_combine,
    SERIALFUNC = rfm_breaks_serialize, DESERIALFUNC = rfm_breaks_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_breaks(rfm_summary) IS
    'Quintile cut points of the summaries with an order in the period: scoring each summary against them equals rfm_score(s) OVER () over the same set';
CREATE AGGREGATE rfm_breaks(rfm_summary, integer) (
    SFUNC = rfm_breaks_trans, STYPE = internal, SSPACE = 40,
    FINALFUNC = rfm_breaks_final, COMBINEFUNC = rfm_breaks_combine,
    SERIALFUNC = rfm_breaks_serialize, DESERIALFUNC = rfm_breaks_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_breaks(rfm_summary, integer) IS
    'Cut points for the given number of bins (2..9) of the summaries with an order in the period: scoring each summary against them equals rfm_score(s, bins) OVER () over the same set';

CREATE FUNCTION rfm_score(rfm_summary, rfm_breaks) RETURNS rfm_score
    AS 'MODULE_PATHNAME', 'rfm_score_breaks_lapsed_apart' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_score(rfm_summary, rfm_breaks) IS
    'RFM score of one summary against frozen cut points or business thresholds; a lapsed summary (no order in the period) scores 111';

CREATE FUNCTION rfm_breaks_bins(rfm_breaks, text) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_breaks_bins(rfm_breaks, text) IS
    'Number of bins of dimension ''R'', ''F'' or ''M'' (thresholds + 1)';

----------------------------------------------------------------------------
-- Custom segment rules and the R-by-FM grid
----------------------------------------------------------------------------

CREATE TYPE rfm_segment_rule AS (
    segment text,
    r_min integer, r_max integer,
    f_min integer, f_max integer,
    m_min integer, m_max integer
);
COMMENT ON TYPE rfm_segment_rule IS
    'A named segment rule: inclusive ranges of the R, F and M digits (NULL = open); the first matching rule wins';

CREATE FUNCTION rfm_segment(rfm_score, rfm_segment_rule[]) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_segment_by_rules' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_segment(rfm_score, rfm_segment_rule[]) IS
    'Segment of a score under custom rules: the name of the first rule whose ranges hold R, F and M; NULL when none does';
CREATE FUNCTION rfm_segment(rfm_score, rfm_segment_rule[], text) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_segment_by_rules' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_segment(rfm_score, rfm_segment_rule[], text) IS
    'Segment of a score under custom rules, with an explicit fallback name when no rule matches';

CREATE FUNCTION rfm_grid(rfm_score[],
    OUT r integer, OUT fm_1 text, OUT fm_2 text, OUT fm_3 text, OUT fm_4 text, OUT fm_5 text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION rfm_grid(rfm_score[]) IS
    'The 5x5 R-by-FM grid of a set of 5-bin scores: customers and segment per cell, R = 5 first';
-- Prediction: BG/NBD and Gamma-Gamma
----------------------------------------------------------------------------
-- rfm_history: a customer's model inputs (lifetimes' frequency, recency, T,
-- monetary_value); bgnbd_model and gamma_gamma_model: fitted models.
----------------------------------------------------------------------------

CREATE TYPE rfm_history;
CREATE FUNCTION rfm_history_in(cstring) RETURNS rfm_history
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_history_out(rfm_history) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_history_recv(internal) RETURNS rfm_history
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_history_send(rfm_history) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE rfm_history (
    INTERNALLENGTH = 40,
    INPUT = rfm_history_in,
    OUTPUT = rfm_history_out,
    RECEIVE = rfm_history_recv,
    SEND = rfm_history_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE rfm_history IS
    'A customer''s purchase history in periods of a unit, as lifetimes'' summary_data_from_transaction_data: x (repeat periods), t_x (age at last purchase), T (age at as_of), mean repeat-period value';
COMMENT ON FUNCTION rfm_history_in(cstring) IS 'Input function of rfm_history';
COMMENT ON FUNCTION rfm_history_out(rfm_history) IS 'Output function of rfm_history';
COMMENT ON FUNCTION rfm_history_recv(internal) IS 'Binary receive function of rfm_history';
COMMENT ON FUNCTION rfm_history_send(rfm_history) IS 'Binary send function of rfm_history';

CREATE FUNCTION history_frequency(rfm_history) RETURNS bigint
    AS 'MODULE_PATHNAME', 'rfm_history_frequency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION history_frequency(rfm_history) IS
    'x: periods with an order, minus the first one (lifetimes'' frequency)';
CREATE FUNCTION history_recency(rfm_history) RETURNS double precision
    AS 'MODULE_PATHNAME', 'rfm_history_recency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION history_recency(rfm_history) IS
    't_x: periods from the first to the last order, the age at the last purchase (lifetimes'' recency)';
CREATE FUNCTION history_recency(rfm_history, interval) RETURNS double precision
    AS 'MODULE_PATHNAME', 'rfm_history_recency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION history_recency(rfm_history, interval) IS
    't_x expressed in another unit, e.g. days counted in weeks: history_recency(h, interval ''7 days'')';
CREATE FUNCTION history_age(rfm_history) RETURNS double precision
    AS 'MODULE_PATHNAME', 'rfm_history_age' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION history_age(rfm_history) IS
    'T: periods from the first order to as_of, the customer''s age (lifetimes'' T)';
CREATE FUNCTION history_age(rfm_history, interval) RETURNS double precision
    AS 'MODULE_PATHNAME', 'rfm_history_age' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION history_age(rfm_history, interval) IS
    'T expressed in another unit, e.g. days counted in weeks: history_age(h, interval ''7 days'')';
CREATE FUNCTION history_monetary_value(rfm_history) RETURNS double precision
    AS 'MODULE_PATHNAME', 'rfm_history_monetary_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION history_monetary_value(rfm_history) IS
    'Mean over the repeat periods of each period''s summed amounts, 0 without repeat periods (lifetimes'' monetary_value)';
CREATE FUNCTION history_unit(rfm_history) RETURNS interval
    AS 'MODULE_PATHNAME', 'rfm_history_unit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION history_unit(rfm_history) IS
    'The period length the history counts in';

CREATE FUNCTION rfm_history_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION rfm_history_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_history_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION rfm_history_final(internal) RETURNS rfm_history
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_combine(internal, internal) IS 'Combine function of the rfm_history aggregate';
COMMENT ON FUNCTION rfm_history_serialize(internal) IS 'Serialization function of the rfm_history aggregate';
COMMENT ON FUNCTION rfm_history_deserialize(bytea, internal) IS 'Deserialization function of the rfm_history aggregate';
COMMENT ON FUNCTION rfm_history_final(internal) IS 'Final function of the rfm_history aggregate (NULL for a customer with no order on or before as_of)';

-- Not STRICT: a row with a NULL argument is skipped, as rfm_summary skips it.
CREATE FUNCTION rfm_history_trans(internal, date, numeric, date, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_date_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, date, numeric, date, interval) IS 'Transition function of the rfm_history aggregate';
CREATE FUNCTION rfm_history_trans(internal, date, double precision, date, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_date_float8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, date, double precision, date, interval) IS 'Transition function of the rfm_history aggregate';
CREATE FUNCTION rfm_history_trans(internal, date, bigint, date, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_date_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, date, bigint, date, interval) IS 'Transition function of the rfm_history aggregate';
CREATE FUNCTION rfm_history_trans(internal, date, integer, date, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_date_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, date, integer, date, interval) IS 'Transition function of the rfm_history aggregate';

CREATE FUNCTION rfm_history_trans(internal, timestamp, numeric, timestamp, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_ts_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, timestamp, numeric, timestamp, interval) IS 'Transition function of the rfm_history aggregate';
CREATE FUNCTION rfm_history_trans(internal, timestamp, double precision, timestamp, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_ts_float8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, timestamp, double precision, timestamp, interval) IS 'Transition function of the rfm_history aggregate';
CREATE FUNCTION rfm_history_trans(internal, timestamp, bigint, timestamp, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_ts_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, timestamp, bigint, timestamp, interval) IS 'Transition function of the rfm_history aggregate';
CREATE FUNCTION rfm_history_trans(internal, timestamp, integer, timestamp, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_ts_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, timestamp, integer, timestamp, interval) IS 'Transition function of the rfm_history aggregate';

CREATE FUNCTION rfm_history_trans(internal, timestamptz, numeric, timestamptz, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_ts_numeric' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, timestamptz, numeric, timestamptz, interval) IS 'Transition function of the rfm_history aggregate';
CREATE FUNCTION rfm_history_trans(internal, timestamptz, double precision, timestamptz, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_ts_float8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, timestamptz, double precision, timestamptz, interval) IS 'Transition function of the rfm_history aggregate';
CREATE FUNCTION rfm_history_trans(internal, timestamptz, bigint, timestamptz, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_ts_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, timestamptz, bigint, timestamptz, interval) IS 'Transition function of the rfm_history aggregate';
CREATE FUNCTION rfm_history_trans(internal, timestamptz, integer, timestamptz, interval) RETURNS internal
    AS 'MODULE_PATHNAME', 'rfm_history_trans_ts_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans(internal, timestamptz, integer, timestamptz, interval) IS 'Transition function of the rfm_history aggregate';

CREATE AGGREGATE rfm_history(date, numeric, date, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(date, numeric, date, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';
CREATE AGGREGATE rfm_history(date, double precision, date, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(date, double precision, date, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';
CREATE AGGREGATE rfm_history(date, bigint, date, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(date, bigint, date, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';
CREATE AGGREGATE rfm_history(date, integer, date, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(date, integer, date, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';
CREATE AGGREGATE rfm_history(timestamp, numeric, timestamp, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(timestamp, numeric, timestamp, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';
CREATE AGGREGATE rfm_history(timestamp, double precision, timestamp, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(timestamp, double precision, timestamp, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';
CREATE AGGREGATE rfm_history(timestamp, bigint, timestamp, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(timestamp, bigint, timestamp, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';
CREATE AGGREGATE rfm_history(timestamp, integer, timestamp, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(timestamp, integer, timestamp, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';
CREATE AGGREGATE rfm_history(timestamptz, numeric, timestamptz, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(timestamptz, numeric, timestamptz, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';
CREATE AGGREGATE rfm_history(timestamptz, double precision, timestamptz, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(timestamptz, double precision, timestamptz, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';
CREATE AGGREGATE rfm_history(timestamptz, bigint, timestamptz, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(timestamptz, bigint, timestamptz, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';
CREATE AGGREGATE rfm_history(timestamptz, integer, timestamptz, interval) (
    SFUNC = rfm_history_trans, STYPE = internal, SSPACE = 64,
    FINALFUNC = rfm_history_final, COMBINEFUNC = rfm_history_combine,
    SERIALFUNC = rfm_history_serialize, DESERIALFUNC = rfm_history_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE rfm_history(timestamptz, integer, timestamptz, interval) IS
    'Per-customer model inputs from orders (ordered_at, amount) as of as_of, in periods of unit (days start at midnight, weeks on Monday), same-period orders merged';

----------------------------------------------------------------------------
-- BG/NBD
----------------------------------------------------------------------------

CREATE TYPE bgnbd_model;
CREATE FUNCTION bgnbd_model_in(cstring) RETURNS bgnbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_out(bgnbd_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_recv(internal) RETURNS bgnbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_model_send(bgnbd_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE bgnbd_model (
    INTERNALLENGTH = 64,
    INPUT = bgnbd_model_in,
    OUTPUT = bgnbd_model_out,
    RECEIVE = bgnbd_model_recv,
    SEND = bgnbd_model_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE bgnbd_model IS
    'A fitted BG/NBD model: r, alpha, a, b, log-likelihood, customers, time unit, iterations, convergence';
COMMENT ON FUNCTION bgnbd_model_in(cstring) IS 'Input function of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_out(bgnbd_model) IS 'Output function of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_recv(internal) IS 'Binary receive function of bgnbd_model';
COMMENT ON FUNCTION bgnbd_model_send(bgnbd_model) IS 'Binary send function of bgnbd_model';

CREATE FUNCTION bgnbd_fit_trans(internal, double precision, double precision, double precision)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_trans(internal, rfm_history)
    RETURNS internal AS 'MODULE_PATHNAME', 'bgnbd_fit_trans_history' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_trans(internal, rfm_history, interval)
    RETURNS internal AS 'MODULE_PATHNAME', 'bgnbd_fit_trans_history' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgnbd_fit_final(internal) RETURNS bgnbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_fit_trans(internal, double precision, double precision, double precision) IS 'Transition function of the bgnbd_fit aggregate';
COMMENT ON FUNCTION bgnbd_fit_trans(internal, rfm_history) IS 'Transition function of the bgnbd_fit aggregate';
COMMENT ON FUNCTION bgnbd_fit_trans(internal, rfm_history, interval) IS 'Transition function of the bgnbd_fit aggregate';
COMMENT ON FUNCTION bgnbd_fit_combine(internal, internal) IS 'Combine function of the bgnbd_fit aggregate';
COMMENT ON FUNCTION bgnbd_fit_serialize(internal) IS 'Serialization function of the bgnbd_fit aggregate';
COMMENT ON FUNCTION bgnbd_fit_deserialize(bytea, internal) IS 'Deserialization function of the bgnbd_fit aggregate';
COMMENT ON FUNCTION bgnbd_fit_final(internal) IS 'Final function of the bgnbd_fit aggregate: maximum likelihood estimation';

CREATE AGGREGATE bgnbd_fit(double precision, double precision, double precision) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = bgnbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE bgnbd_fit(double precision, double precision, double precision) IS
    'BG/NBD maximum-likelihood fit over customers (x, t_x, T), all in one time unit; the model does not know the unit';
CREATE AGGREGATE bgnbd_fit(rfm_history) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = bgnbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE bgnbd_fit(rfm_history) IS
    'BG/NBD maximum-likelihood fit over customers'' histories, in the histories'' unit';
CREATE AGGREGATE bgnbd_fit(rfm_history, interval) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = bgnbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE bgnbd_fit(rfm_history, interval) IS
    'BG/NBD maximum-likelihood fit over customers'' histories, t_x and T counted in the given unit (e.g. daily histories fitted in weeks)';

CREATE FUNCTION bgnbd_parameters(bgnbd_model,
    OUT r double precision, OUT alpha double precision, OUT a double precision,
    OUT b double precision, OUT log_likelihood double precision, OUT customers bigint,
    OUT unit interval, OUT iterations integer, OUT converged boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_parameters(bgnbd_model) IS
    'The fields of a BG/NBD model as a record: r, alpha, a, b, log_likelihood, customers, unit (NULL if not known), iterations, converged';

CREATE FUNCTION bgnbd_p_alive(bgnbd_model, x double precision, t_x double precision, "T" double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_p_alive(bgnbd_model, double precision, double precision, double precision) IS
    'Probability that a customer with (x, t_x, T), in the model''s unit, is still active (1 when x = 0)';
CREATE FUNCTION bgnbd_p_alive(bgnbd_model, rfm_history)
    RETURNS double precision AS 'MODULE_PATHNAME', 'bgnbd_p_alive_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_p_alive(bgnbd_model, rfm_history) IS
    'Probability that the customer of this history is still active';

CREATE FUNCTION bgnbd_expected_orders(bgnbd_model, x double precision, t_x double precision,
                                      "T" double precision, horizon double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_expected_orders(bgnbd_model, double precision, double precision, double precision, double precision) IS
    'Expected repeat purchases in the next horizon of a customer with (x, t_x, T), all in the model''s unit (conditional expectation, eq. 10)';
CREATE FUNCTION bgnbd_expected_orders(bgnbd_model, rfm_history, horizon interval)
    RETURNS double precision AS 'MODULE_PATHNAME', 'bgnbd_expected_orders_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_expected_orders(bgnbd_model, rfm_history, interval) IS
    'Expected purchase periods of this customer in the next horizon, e.g. interval ''90 days'' (conditional expectation)';
CREATE FUNCTION bgnbd_expected_orders(bgnbd_model, horizon double precision)
    RETURNS double precision AS 'MODULE_PATHNAME', 'bgnbd_expected_orders_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_expected_orders(bgnbd_model, double precision) IS
    'Expected repeat purchases of a new customer in its first horizon, in the model''s unit (unconditional expectation, eq. 7)';
CREATE FUNCTION bgnbd_expected_orders(bgnbd_model, horizon interval)
    RETURNS double precision AS 'MODULE_PATHNAME', 'bgnbd_expected_orders_new_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgnbd_expected_orders(bgnbd_model, interval) IS
    'Expected repeat purchases of a new customer in its first horizon (unconditional expectation, eq. 7)';

----------------------------------------------------------------------------
-- Gamma-Gamma and customer value
----------------------------------------------------------------------------

CREATE TYPE gamma_gamma_model;
CREATE FUNCTION gamma_gamma_model_in(cstring) RETURNS gamma_gamma_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_out(gamma_gamma_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_recv(internal) RETURNS gamma_gamma_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_model_send(gamma_gamma_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE gamma_gamma_model (
    INTERNALLENGTH = 48,
    INPUT = gamma_gamma_model_in,
    OUTPUT = gamma_gamma_model_out,
    RECEIVE = gamma_gamma_model_recv,
    SEND = gamma_gamma_model_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE gamma_gamma_model IS
    'A fitted Gamma-Gamma model of monetary value: p, q, v, log-likelihood, repeat customers, iterations, convergence';
COMMENT ON FUNCTION gamma_gamma_model_in(cstring) IS 'Input function of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_out(gamma_gamma_model) IS 'Output function of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_recv(internal) IS 'Binary receive function of gamma_gamma_model';
COMMENT ON FUNCTION gamma_gamma_model_send(gamma_gamma_model) IS 'Binary send function of gamma_gamma_model';

CREATE FUNCTION gamma_gamma_fit_trans(internal, double precision, double precision)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_trans(internal, rfm_history)
    RETURNS internal AS 'MODULE_PATHNAME', 'gamma_gamma_fit_trans_history' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION gamma_gamma_fit_final(internal) RETURNS gamma_gamma_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_fit_trans(internal, double precision, double precision) IS 'Transition function of the gamma_gamma_fit aggregate';
COMMENT ON FUNCTION gamma_gamma_fit_trans(internal, rfm_history) IS 'Transition function of the gamma_gamma_fit aggregate';
COMMENT ON FUNCTION gamma_gamma_fit_combine(internal, internal) IS 'Combine function of the gamma_gamma_fit aggregate';
COMMENT ON FUNCTION gamma_gamma_fit_serialize(internal) IS 'Serialization function of the gamma_gamma_fit aggregate';
COMMENT ON FUNCTION gamma_gamma_fit_deserialize(bytea, internal) IS 'Deserialization function of the gamma_gamma_fit aggregate';
COMMENT ON FUNCTION gamma_gamma_fit_final(internal) IS 'Final function of the gamma_gamma_fit aggregate: maximum likelihood estimation';

CREATE AGGREGATE gamma_gamma_fit(double precision, double precision) (
    SFUNC = gamma_gamma_fit_trans, STYPE = internal, SSPACE = 16,
    FINALFUNC = gamma_gamma_fit_final, COMBINEFUNC = gamma_gamma_fit_combine,
    SERIALFUNC = gamma_gamma_fit_serialize, DESERIALFUNC = gamma_gamma_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE gamma_gamma_fit(double precision, double precision) IS
    'Gamma-Gamma maximum-likelihood fit over customers (x, mean repeat value); customers with x = 0 are skipped';
CREATE AGGREGATE gamma_gamma_fit(rfm_history) (
    SFUNC = gamma_gamma_fit_trans, STYPE = internal, SSPACE = 16,
    FINALFUNC = gamma_gamma_fit_final, COMBINEFUNC = gamma_gamma_fit_combine,
    SERIALFUNC = gamma_gamma_fit_serialize, DESERIALFUNC = gamma_gamma_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE gamma_gamma_fit(rfm_history) IS
    'Gamma-Gamma maximum-likelihood fit over customers'' histories; customers with x = 0 are skipped';

CREATE FUNCTION gamma_gamma_parameters(gamma_gamma_model,
    OUT p double precision, OUT q double precision, OUT v double precision,
    OUT log_likelihood double precision, OUT customers bigint,
    OUT iterations integer, OUT converged boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_parameters(gamma_gamma_model) IS
    'The fields of a Gamma-Gamma model as a record: p, q, v, log_likelihood, customers, iterations, converged';

CREATE FUNCTION gamma_gamma_expected_value(gamma_gamma_model, x double precision, monetary_value double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_expected_value(gamma_gamma_model, double precision, double precision) IS
    'Conditional expected average purchase value of a customer with x repeat purchases of mean value monetary_value (lifetimes'' conditional_expected_average_profit)';
CREATE FUNCTION gamma_gamma_expected_value(gamma_gamma_model, rfm_history)
    RETURNS double precision AS 'MODULE_PATHNAME', 'gamma_gamma_expected_value_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION gamma_gamma_expected_value(gamma_gamma_model, rfm_history) IS
    'Conditional expected average purchase value of the customer of this history';

CREATE FUNCTION customer_value(bgnbd_model, gamma_gamma_model, x double precision,
                               t_x double precision, "T" double precision,
                               monetary_value double precision, months integer,
                               discount_rate double precision, units_per_month double precision)
    RETURNS double precision AS 'MODULE_PATHNAME', 'rfm_customer_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_value(bgnbd_model, gamma_gamma_model, double precision, double precision, double precision, double precision, integer, double precision, double precision) IS
    'Discounted customer lifetime value over months, as lifetimes'' customer_lifetime_value: expected purchases per month times expected value, discounted monthly; units_per_month is the model''s units in a month (lifetimes: 30 for days, 4.345 for weeks)';
CREATE FUNCTION customer_value(bgnbd_model, gamma_gamma_model, rfm_history,
                               months integer DEFAULT 12, discount_rate double precision DEFAULT 0.01)
    RETURNS double precision AS 'MODULE_PATHNAME', 'rfm_customer_value_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION customer_value(bgnbd_model, gamma_gamma_model, rfm_history, integer, double precision) IS
    'Discounted customer lifetime value of the customer of this history over months (default 12) at a monthly discount rate (default 0.01), as lifetimes'' customer_lifetime_value';

----------------------------------------------------------------------------
-- 0.3 (in development until its last issue is resolved; then frozen).
-- Each open issue adds its objects in its own block below, and the same
-- objects, written the same way, in the same block of rfm--0.2--0.3.sql.
----------------------------------------------------------------------------

-- 0.3 block: the planner's choice of the engine (issue 19)
-- rfm_summary's transition and final functions get a planner support
-- function: the planner calls it while costing a query's aggregates,
-- before it builds the grouping paths, which loads rfm (and its planner
-- hooks) in a session's first rfm query without any preload setting; it also
-- gives the planner their measured costs.
CREATE FUNCTION rfm_summary_trans_support(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_summary_trans_support(internal) IS 'Planner support of rfm_summary''s transition and final functions: loads rfm before the grouping is planned and gives their measured costs';
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, numeric, date) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, numeric, date, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, double precision, date) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, double precision, date, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, bigint, date) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, bigint, date, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, integer, date) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, integer, date, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, money, date) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, date, money, date, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, numeric, timestamp) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, numeric, timestamp, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, double precision, timestamp) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, double precision, timestamp, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, bigint, timestamp) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, bigint, timestamp, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, integer, timestamp) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, integer, timestamp, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, money, timestamp) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamp, money, timestamp, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, numeric, timestamptz) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, numeric, timestamptz, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, double precision, timestamptz) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, double precision, timestamptz, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, bigint, timestamptz) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, bigint, timestamptz, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, integer, timestamptz) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, integer, timestamptz, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, money, timestamptz) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_trans(rfm_summary, timestamptz, money, timestamptz, interval) SUPPORT rfm_summary_trans_support;
ALTER FUNCTION rfm_summary_final(rfm_summary) SUPPORT rfm_summary_trans_support;

-- end of block (issue 19)

-- 0.3 block: every supported PostgreSQL (issue 20)
-- Every type's array type is documented too: from PostgreSQL 17 on the
-- array types are members of the extension like their element types, and
-- the catalog test requires a COMMENT on every member on every version.
COMMENT ON TYPE _rfm_summary IS 'Array of rfm_summary.';
COMMENT ON TYPE _rfm_score IS 'Array of rfm_score.';
COMMENT ON TYPE _segment IS 'Array of segment.';
COMMENT ON TYPE _loyalty_class IS 'Array of loyalty_class.';
COMMENT ON TYPE _rfm_breaks IS 'Array of rfm_breaks.';
COMMENT ON TYPE _rfm_segment_rule IS 'Array of rfm_segment_rule.';
COMMENT ON TYPE _rfm_history IS 'Array of rfm_history.';
COMMENT ON TYPE _bgnbd_model IS 'Array of bgnbd_model.';
COMMENT ON TYPE _gamma_gamma_model IS 'Array of gamma_gamma_model.';

-- end of block (issue 20)

-- 0.3 block: the large shop (issue 21)
-- rfm_history on the fast grouping engine: its transition, final and state
-- functions get a planner support function, as rfm_summary's did in
-- issue 19: it loads rfm (and its planner hooks) in a session's first
-- rfm_history query, and gives the planner what Agg spends on them (a
-- parallel Agg's partial states carry every order).
CREATE FUNCTION rfm_history_trans_support(internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rfm_history_trans_support(internal) IS 'Planner support of rfm_history''s transition, final, combine, serial and deserial functions: loads rfm before the grouping is planned and gives their measured costs';
ALTER FUNCTION rfm_history_trans(internal, date, numeric, date, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, date, double precision, date, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, date, bigint, date, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, date, integer, date, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamp, numeric, timestamp, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamp, double precision, timestamp, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamp, bigint, timestamp, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamp, integer, timestamp, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamptz, numeric, timestamptz, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamptz, double precision, timestamptz, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamptz, bigint, timestamptz, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_trans(internal, timestamptz, integer, timestamptz, interval) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_final(internal) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_combine(internal, internal) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_serialize(internal) SUPPORT rfm_history_trans_support;
ALTER FUNCTION rfm_history_deserialize(bytea, internal) SUPPORT rfm_history_trans_support;

-- end of block (issue 21)

-- 0.3 block: from segment to action (issue 22)

-- What each segment and loyalty class means and what to do about it, in
-- English (en) and Traditional Chinese (zh-Hant). The defaults are in the
-- library; rows of rfm_text override them per database (and pg_dump keeps
-- them). The functions read the table through its schema, not search_path.
CREATE TABLE rfm_text (
    vocabulary  text NOT NULL CHECK (vocabulary IN ('segment', 'loyalty_class')),
    name        text NOT NULL,
    language    text NOT NULL CHECK (language IN ('en', 'zh-Hant')),
    label       text,
    description text,
    action      text,
    PRIMARY KEY (vocabulary, name, language),
    -- a name not in its vocabulary fails the cast, with the valid names in the hint
    CONSTRAINT rfm_text_name_check CHECK (CASE vocabulary
        WHEN 'segment' THEN name::segment IS NOT NULL
        WHEN 'loyalty_class' THEN name::loyalty_class IS NOT NULL END)
);
COMMENT ON TABLE rfm_text IS
    'Per-database texts of segments and loyalty classes: a row overrides the built-in label, description and action of one name in one language (en, zh-Hant); a NULL field keeps the built-in text';
SELECT pg_catalog.pg_extension_config_dump('rfm_text', '');
-- Everyone reads the texts (the functions run as the caller); whoever
-- created the extension edits them (a trusted extension's table belongs to
-- the bootstrap superuser).
GRANT SELECT ON rfm_text TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON rfm_text TO @extowner@;

CREATE FUNCTION segment_label(segment, language text) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_segment_label_in' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION segment_label(segment, text) IS
    'Display label of a segment in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';
CREATE FUNCTION segment_description(segment, language text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_segment_description' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION segment_description(segment, text) IS
    'What a segment''s customers have in common, in one line for a marketer, in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';
CREATE FUNCTION segment_action(segment, language text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_segment_action' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION segment_action(segment, text) IS
    'The suggested next step with a segment''s customers, in one line, in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';
CREATE FUNCTION loyalty_label(loyalty_class, language text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_loyalty_label' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_label(loyalty_class, text) IS
    'Display label of a loyalty class in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';
CREATE FUNCTION loyalty_description(loyalty_class, language text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_loyalty_description' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_description(loyalty_class, text) IS
    'What a loyalty class means, in one line for a marketer, in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';
CREATE FUNCTION loyalty_action(loyalty_class, language text DEFAULT NULL) RETURNS text
    AS 'MODULE_PATHNAME', 'rfm_loyalty_action' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION loyalty_action(loyalty_class, text) IS
    'The suggested next step with a loyalty class, in one line, in a language (en, zh-Hant; NULL: the setting rfm.language), overridable in rfm_text';

-- The guides: every segment (loyalty class), best first, in the language of
-- rfm.language. Views, so their calls are bound when they are created.
CREATE VIEW segment_guide AS
SELECT s.segment,
       segment_label(s.segment, NULL)       AS label,
       segment_description(s.segment, NULL) AS description,
       segment_action(s.segment, NULL)      AS action
FROM pg_catalog.unnest('{champions, loyal, potential_loyalist, new_customers, promising,
                         need_attention, about_to_sleep, at_risk, cannot_lose_them,
                         hibernating, lost}'::segment[]) AS s(segment);
COMMENT ON VIEW segment_guide IS
    'The eleven segments, best first, with label, description and suggested action in the language of rfm.language';
CREATE VIEW loyalty_guide AS
SELECT l.loyalty,
       loyalty_label(l.loyalty, NULL)       AS label,
       loyalty_description(l.loyalty, NULL) AS description,
       loyalty_action(l.loyalty, NULL)      AS action
FROM pg_catalog.unnest('{loyal, repeat, one_time, lapsed}'::loyalty_class[]) AS l(loyalty);
COMMENT ON VIEW loyalty_guide IS
    'The four loyalty classes, best first, with label, description and suggested action in the language of rfm.language';
GRANT SELECT ON segment_guide, loyalty_guide TO PUBLIC;

-- The row types of the table and the views, and their array types (members
-- of the extension from PostgreSQL 17 on, documented on every version).
COMMENT ON TYPE rfm_text IS 'Row type of the table rfm_text';
COMMENT ON TYPE _rfm_text IS 'Array of rfm_text.';
COMMENT ON TYPE segment_guide IS 'Row type of the view segment_guide';
COMMENT ON TYPE _segment_guide IS 'Array of segment_guide.';
COMMENT ON TYPE loyalty_guide IS 'Row type of the view loyalty_guide';
COMMENT ON TYPE _loyalty_guide IS 'Array of loyalty_guide.';

-- end of block (issue 22)

-- 0.3 block: every model the CLV libraries have (issue 23)

-- Pareto/NBD (Schmittlein, Morrison & Colombo 1987).  Its fit collects the
-- same customers as bgnbd_fit, with bgnbd_fit's transition, combine,
-- serialize and deserialize functions; only the final function differs.

COMMENT ON FUNCTION bgnbd_fit_trans(internal, double precision, double precision, double precision) IS 'Transition function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_trans(internal, rfm_history) IS 'Transition function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_trans(internal, rfm_history, interval) IS 'Transition function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_combine(internal, internal) IS 'Combine function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_serialize(internal) IS 'Serialization function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';
COMMENT ON FUNCTION bgnbd_fit_deserialize(bytea, internal) IS 'Deserialization function of the fits over customers (x, t_x, T): bgnbd_fit, pareto_nbd_fit, mbgnbd_fit';

CREATE TYPE pareto_nbd_model;
CREATE FUNCTION pareto_nbd_model_in(cstring) RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_out(pareto_nbd_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_recv(internal) RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pareto_nbd_model_send(pareto_nbd_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE pareto_nbd_model (
    INTERNALLENGTH = 64,
    INPUT = pareto_nbd_model_in,
    OUTPUT = pareto_nbd_model_out,
    RECEIVE = pareto_nbd_model_recv,
    SEND = pareto_nbd_model_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE pareto_nbd_model IS
    'A fitted Pareto/NBD model: r, alpha, s, beta, log-likelihood, customers, time unit, iterations, convergence';
COMMENT ON FUNCTION pareto_nbd_model_in(cstring) IS 'Input function of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_out(pareto_nbd_model) IS 'Output function of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_recv(internal) IS 'Binary receive function of pareto_nbd_model';
COMMENT ON FUNCTION pareto_nbd_model_send(pareto_nbd_model) IS 'Binary send function of pareto_nbd_model';

CREATE FUNCTION pareto_nbd_fit_final(internal) RETURNS pareto_nbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_fit_final(internal) IS 'Final function of the pareto_nbd_fit aggregate: maximum likelihood estimation';

CREATE AGGREGATE pareto_nbd_fit(double precision, double precision, double precision) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = pareto_nbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pareto_nbd_fit(double precision, double precision, double precision) IS
    'Pareto/NBD maximum-likelihood fit over customers (x, t_x, T), all in one time unit; the model does not know the unit';
CREATE AGGREGATE pareto_nbd_fit(rfm_history) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = pareto_nbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pareto_nbd_fit(rfm_history) IS
    'Pareto/NBD maximum-likelihood fit over customers'' histories, in the histories'' unit';
CREATE AGGREGATE pareto_nbd_fit(rfm_history, interval) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = pareto_nbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE pareto_nbd_fit(rfm_history, interval) IS
    'Pareto/NBD maximum-likelihood fit over customers'' histories, t_x and T counted in the given unit';

CREATE FUNCTION pareto_nbd_parameters(pareto_nbd_model,
    OUT r double precision, OUT alpha double precision, OUT s double precision,
    OUT beta double precision, OUT log_likelihood double precision, OUT customers bigint,
    OUT unit interval, OUT iterations integer, OUT converged boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_parameters(pareto_nbd_model) IS
    'The fields of a Pareto/NBD model as a record: r, alpha, s, beta, log_likelihood, customers, unit (NULL if not known), iterations, converged';

CREATE FUNCTION pareto_nbd_log_likelihood(pareto_nbd_model, x double precision, t_x double precision, "T" double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_log_likelihood(pareto_nbd_model, double precision, double precision, double precision) IS
    'Log-likelihood of one customer (x, t_x, T), in the model''s unit, under the model''s parameters; summed over the fitted customers it is the model''s log-likelihood';

CREATE FUNCTION pareto_nbd_p_alive(pareto_nbd_model, x double precision, t_x double precision, "T" double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_p_alive(pareto_nbd_model, double precision, double precision, double precision) IS
    'Probability that a customer with (x, t_x, T), in the model''s unit, is still active';
CREATE FUNCTION pareto_nbd_p_alive(pareto_nbd_model, rfm_history)
    RETURNS double precision AS 'MODULE_PATHNAME', 'pareto_nbd_p_alive_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_p_alive(pareto_nbd_model, rfm_history) IS
    'Probability that the customer of this history is still active';

CREATE FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, x double precision, t_x double precision,
                                           "T" double precision, horizon double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, double precision, double precision, double precision, double precision) IS
    'Expected repeat purchases in the next horizon of a customer with (x, t_x, T), all in the model''s unit (conditional expectation)';
CREATE FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, rfm_history, horizon interval)
    RETURNS double precision AS 'MODULE_PATHNAME', 'pareto_nbd_expected_orders_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, rfm_history, interval) IS
    'Expected purchase periods of this customer in the next horizon, e.g. interval ''90 days'' (conditional expectation)';
CREATE FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, horizon double precision)
    RETURNS double precision AS 'MODULE_PATHNAME', 'pareto_nbd_expected_orders_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, double precision) IS
    'Expected repeat purchases of a new customer in its first horizon, in the model''s unit (unconditional expectation)';
CREATE FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, horizon interval)
    RETURNS double precision AS 'MODULE_PATHNAME', 'pareto_nbd_expected_orders_new_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pareto_nbd_expected_orders(pareto_nbd_model, interval) IS
    'Expected repeat purchases of a new customer in its first horizon (unconditional expectation)';


-- Modified BG/NBD (Batislam, Denizel & Filiztekin 2007): the same
-- collected customers and state functions as bgnbd_fit.

CREATE TYPE mbgnbd_model;
CREATE FUNCTION mbgnbd_model_in(cstring) RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_model_out(mbgnbd_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_model_recv(internal) RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mbgnbd_model_send(mbgnbd_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE mbgnbd_model (
    INTERNALLENGTH = 64,
    INPUT = mbgnbd_model_in,
    OUTPUT = mbgnbd_model_out,
    RECEIVE = mbgnbd_model_recv,
    SEND = mbgnbd_model_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE mbgnbd_model IS
    'A fitted modified BG/NBD model (Batislam, Denizel & Filiztekin 2007): r, alpha, a, b, log-likelihood, customers, time unit, iterations, convergence';
COMMENT ON FUNCTION mbgnbd_model_in(cstring) IS 'Input function of mbgnbd_model';
COMMENT ON FUNCTION mbgnbd_model_out(mbgnbd_model) IS 'Output function of mbgnbd_model';
COMMENT ON FUNCTION mbgnbd_model_recv(internal) IS 'Binary receive function of mbgnbd_model';
COMMENT ON FUNCTION mbgnbd_model_send(mbgnbd_model) IS 'Binary send function of mbgnbd_model';

CREATE FUNCTION mbgnbd_fit_final(internal) RETURNS mbgnbd_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_fit_final(internal) IS 'Final function of the mbgnbd_fit aggregate: maximum likelihood estimation';

CREATE AGGREGATE mbgnbd_fit(double precision, double precision, double precision) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = mbgnbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE mbgnbd_fit(double precision, double precision, double precision) IS
    'MBG/NBD maximum-likelihood fit over customers (x, t_x, T), all in one time unit; the model does not know the unit';
CREATE AGGREGATE mbgnbd_fit(rfm_history) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = mbgnbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE mbgnbd_fit(rfm_history) IS
    'MBG/NBD maximum-likelihood fit over customers'' histories, in the histories'' unit';
CREATE AGGREGATE mbgnbd_fit(rfm_history, interval) (
    SFUNC = bgnbd_fit_trans, STYPE = internal, SSPACE = 24,
    FINALFUNC = mbgnbd_fit_final, COMBINEFUNC = bgnbd_fit_combine,
    SERIALFUNC = bgnbd_fit_serialize, DESERIALFUNC = bgnbd_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE mbgnbd_fit(rfm_history, interval) IS
    'MBG/NBD maximum-likelihood fit over customers'' histories, t_x and T counted in the given unit';

CREATE FUNCTION mbgnbd_parameters(mbgnbd_model,
    OUT r double precision, OUT alpha double precision, OUT a double precision,
    OUT b double precision, OUT log_likelihood double precision, OUT customers bigint,
    OUT unit interval, OUT iterations integer, OUT converged boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_parameters(mbgnbd_model) IS
    'The fields of an MBG/NBD model as a record: r, alpha, a, b, log_likelihood, customers, unit (NULL if not known), iterations, converged';

CREATE FUNCTION mbgnbd_log_likelihood(mbgnbd_model, x double precision, t_x double precision, "T" double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_log_likelihood(mbgnbd_model, double precision, double precision, double precision) IS
    'Log-likelihood of one customer (x, t_x, T), in the model''s unit, under the model''s parameters; summed over the fitted customers it is the model''s log-likelihood';

CREATE FUNCTION mbgnbd_p_alive(mbgnbd_model, x double precision, t_x double precision, "T" double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_p_alive(mbgnbd_model, double precision, double precision, double precision) IS
    'Probability that a customer with (x, t_x, T), in the model''s unit, is still active (below 1 also when x = 0)';
CREATE FUNCTION mbgnbd_p_alive(mbgnbd_model, rfm_history)
    RETURNS double precision AS 'MODULE_PATHNAME', 'mbgnbd_p_alive_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_p_alive(mbgnbd_model, rfm_history) IS
    'Probability that the customer of this history is still active';

CREATE FUNCTION mbgnbd_expected_orders(mbgnbd_model, x double precision, t_x double precision,
                                           "T" double precision, horizon double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_expected_orders(mbgnbd_model, double precision, double precision, double precision, double precision) IS
    'Expected repeat purchases in the next horizon of a customer with (x, t_x, T), all in the model''s unit (conditional expectation)';
CREATE FUNCTION mbgnbd_expected_orders(mbgnbd_model, rfm_history, horizon interval)
    RETURNS double precision AS 'MODULE_PATHNAME', 'mbgnbd_expected_orders_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_expected_orders(mbgnbd_model, rfm_history, interval) IS
    'Expected purchase periods of this customer in the next horizon, e.g. interval ''90 days'' (conditional expectation)';
CREATE FUNCTION mbgnbd_expected_orders(mbgnbd_model, horizon double precision)
    RETURNS double precision AS 'MODULE_PATHNAME', 'mbgnbd_expected_orders_new' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_expected_orders(mbgnbd_model, double precision) IS
    'Expected repeat purchases of a new customer in its first horizon, in the model''s unit (unconditional expectation)';
CREATE FUNCTION mbgnbd_expected_orders(mbgnbd_model, horizon interval)
    RETURNS double precision AS 'MODULE_PATHNAME', 'mbgnbd_expected_orders_new_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mbgnbd_expected_orders(mbgnbd_model, interval) IS
    'Expected repeat purchases of a new customer in its first horizon (unconditional expectation)';


-- Shifted beta-geometric (Fader & Hardie 2007), for contractual churn.

CREATE TYPE sbg_model;
CREATE FUNCTION sbg_model_in(cstring) RETURNS sbg_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_out(sbg_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_recv(internal) RETURNS sbg_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_model_send(sbg_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE sbg_model (
    INTERNALLENGTH = 48,
    INPUT = sbg_model_in,
    OUTPUT = sbg_model_out,
    RECEIVE = sbg_model_recv,
    SEND = sbg_model_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE sbg_model IS
    'A fitted shifted-beta-geometric model of contract duration: alpha, beta, log-likelihood, cohort size, periods observed, iterations, convergence';
COMMENT ON FUNCTION sbg_model_in(cstring) IS 'Input function of sbg_model';
COMMENT ON FUNCTION sbg_model_out(sbg_model) IS 'Output function of sbg_model';
COMMENT ON FUNCTION sbg_model_recv(internal) IS 'Binary receive function of sbg_model';
COMMENT ON FUNCTION sbg_model_send(sbg_model) IS 'Binary send function of sbg_model';

CREATE FUNCTION sbg_fit_trans(internal, bigint, bigint)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sbg_fit_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sbg_fit_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_fit_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sbg_fit_final(internal) RETURNS sbg_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION sbg_fit_trans(internal, bigint, bigint) IS 'Transition function of the sbg_fit aggregate';
COMMENT ON FUNCTION sbg_fit_combine(internal, internal) IS 'Combine function of the sbg_fit aggregate';
COMMENT ON FUNCTION sbg_fit_serialize(internal) IS 'Serialization function of the sbg_fit aggregate';
COMMENT ON FUNCTION sbg_fit_deserialize(bytea, internal) IS 'Deserialization function of the sbg_fit aggregate';
COMMENT ON FUNCTION sbg_fit_final(internal) IS 'Final function of the sbg_fit aggregate: maximum likelihood estimation';
CREATE AGGREGATE sbg_fit(period bigint, survivors bigint) (
    SFUNC = sbg_fit_trans, STYPE = internal, SSPACE = 16,
    FINALFUNC = sbg_fit_final, COMBINEFUNC = sbg_fit_combine,
    SERIALFUNC = sbg_fit_serialize, DESERIALFUNC = sbg_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE sbg_fit(bigint, bigint) IS
    'Shifted-beta-geometric maximum-likelihood fit over one cohort''s (period, survivors) rows, periods 0, 1, ..., T, period 0 the cohort''s size';

CREATE FUNCTION sbg_parameters(sbg_model,
    OUT alpha double precision, OUT beta double precision, OUT log_likelihood double precision,
    OUT customers bigint, OUT periods bigint, OUT iterations integer, OUT converged boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_parameters(sbg_model) IS
    'The fields of a shifted-beta-geometric model as a record: alpha, beta, log_likelihood, customers (cohort size), periods, iterations, converged';
CREATE FUNCTION sbg_survival(sbg_model, t double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_survival(sbg_model, double precision) IS
    'Share of a cohort still active after t whole periods, B(alpha, beta+t)/B(alpha, beta); times the cohort size it is the projected survivors';
CREATE FUNCTION sbg_retention(sbg_model, t double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_retention(sbg_model, double precision) IS
    'Projected retention rate at the end of period t >= 1: (beta+t-1)/(alpha+beta+t-1)';
CREATE FUNCTION sbg_expected_lifetime(sbg_model)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_expected_lifetime(sbg_model) IS
    'Expected lifetime of a new customer in periods, counting the first: (alpha+beta-1)/(alpha-1); an error when infinite (alpha <= 1)';
CREATE FUNCTION sbg_expected_lifetime(sbg_model, discount double precision)
    RETURNS double precision AS 'MODULE_PATHNAME', 'sbg_expected_lifetime_discounted' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION sbg_expected_lifetime(sbg_model, double precision) IS
    'Discounted expected lifetime of a new customer in periods, sum of S(t)/(1+discount)^t = 2F1(1, beta; alpha+beta; 1/(1+discount))';

-- Holdout diagnostics and model comparison.

CREATE FUNCTION history_holdout_orders(calibration rfm_history, through_holdout rfm_history)
    RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION history_holdout_orders(rfm_history, rfm_history) IS
    'Repeat periods of a customer in the holdout: its history through the holdout end minus its history as of the calibration end (same orders and unit)';
CREATE FUNCTION fit_statistics(bgnbd_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'bgnbd_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(bgnbd_model) IS
    'For comparing models fitted to the same customers: the BG/NBD model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';
CREATE FUNCTION fit_statistics(pareto_nbd_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'pareto_nbd_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(pareto_nbd_model) IS
    'For comparing models fitted to the same customers: the Pareto/NBD model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';
CREATE FUNCTION fit_statistics(mbgnbd_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'mbgnbd_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(mbgnbd_model) IS
    'For comparing models fitted to the same customers: the MBG/NBD model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';
CREATE FUNCTION fit_statistics(gamma_gamma_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'gamma_gamma_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(gamma_gamma_model) IS
    'For comparing models fitted to the same customers: the Gamma-Gamma model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';
CREATE FUNCTION fit_statistics(sbg_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'sbg_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(sbg_model) IS
    'For comparing models fitted to the same cohort: the shifted-beta-geometric model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';

-- BG/BB (Fader, Hardie & Shang 2010), for discrete opportunities.

CREATE TYPE bgbb_model;
CREATE FUNCTION bgbb_model_in(cstring) RETURNS bgbb_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_out(bgbb_model) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_recv(internal) RETURNS bgbb_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_model_send(bgbb_model) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE bgbb_model (
    INTERNALLENGTH = 56,
    INPUT = bgbb_model_in,
    OUTPUT = bgbb_model_out,
    RECEIVE = bgbb_model_recv,
    SEND = bgbb_model_send,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE bgbb_model IS
    'A fitted BG/BB model of transactions in discrete opportunities: alpha, beta, gamma, delta, log-likelihood, customers, iterations, convergence';
COMMENT ON FUNCTION bgbb_model_in(cstring) IS 'Input function of bgbb_model';
COMMENT ON FUNCTION bgbb_model_out(bgbb_model) IS 'Output function of bgbb_model';
COMMENT ON FUNCTION bgbb_model_recv(internal) IS 'Binary receive function of bgbb_model';
COMMENT ON FUNCTION bgbb_model_send(bgbb_model) IS 'Binary send function of bgbb_model';

CREATE FUNCTION bgbb_fit_trans(internal, double precision, double precision, double precision)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_trans(internal, double precision, double precision, double precision, bigint)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_trans(internal, rfm_history)
    RETURNS internal AS 'MODULE_PATHNAME', 'bgbb_fit_trans_history' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bgbb_fit_final(internal) RETURNS bgbb_model
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_fit_trans(internal, double precision, double precision, double precision) IS 'Transition function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_trans(internal, double precision, double precision, double precision, bigint) IS 'Transition function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_trans(internal, rfm_history) IS 'Transition function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_combine(internal, internal) IS 'Combine function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_serialize(internal) IS 'Serialization function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_deserialize(bytea, internal) IS 'Deserialization function of the bgbb_fit aggregate';
COMMENT ON FUNCTION bgbb_fit_final(internal) IS 'Final function of the bgbb_fit aggregate: maximum likelihood estimation';
CREATE AGGREGATE bgbb_fit(x double precision, t_x double precision, n double precision) (
    SFUNC = bgbb_fit_trans, STYPE = internal, SSPACE = 32,
    FINALFUNC = bgbb_fit_final, COMBINEFUNC = bgbb_fit_combine,
    SERIALFUNC = bgbb_fit_serialize, DESERIALFUNC = bgbb_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit(double precision, double precision, double precision) IS
    'BG/BB maximum-likelihood fit over customers (x transactions in n opportunities, the last at opportunity t_x)';
CREATE AGGREGATE bgbb_fit(x double precision, t_x double precision, n double precision, customers bigint) (
    SFUNC = bgbb_fit_trans, STYPE = internal, SSPACE = 32,
    FINALFUNC = bgbb_fit_final, COMBINEFUNC = bgbb_fit_combine,
    SERIALFUNC = bgbb_fit_serialize, DESERIALFUNC = bgbb_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit(double precision, double precision, double precision, bigint) IS
    'BG/BB maximum-likelihood fit over transaction patterns (x, t_x, n) and the number of customers with each';
CREATE AGGREGATE bgbb_fit(rfm_history) (
    SFUNC = bgbb_fit_trans, STYPE = internal, SSPACE = 32,
    FINALFUNC = bgbb_fit_final, COMBINEFUNC = bgbb_fit_combine,
    SERIALFUNC = bgbb_fit_serialize, DESERIALFUNC = bgbb_fit_deserialize,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE bgbb_fit(rfm_history) IS
    'BG/BB maximum-likelihood fit over customers'' histories, each period after the first an opportunity: x, t_x and n = T in the histories'' periods';

CREATE FUNCTION bgbb_parameters(bgbb_model,
    OUT alpha double precision, OUT beta double precision, OUT gamma double precision,
    OUT delta double precision, OUT log_likelihood double precision, OUT customers bigint,
    OUT iterations integer, OUT converged boolean)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_parameters(bgbb_model) IS
    'The fields of a BG/BB model as a record: alpha, beta, gamma, delta, log_likelihood, customers, iterations, converged';
CREATE FUNCTION bgbb_log_likelihood(bgbb_model, x double precision, t_x double precision, n double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_log_likelihood(bgbb_model, double precision, double precision, double precision) IS
    'Log-likelihood of one customer (x, t_x, n) under the model''s parameters';
CREATE FUNCTION bgbb_p_alive(bgbb_model, x double precision, t_x double precision, n double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_p_alive(bgbb_model, double precision, double precision, double precision) IS
    'Probability that a customer with (x, t_x, n) is alive at opportunity n+1';
CREATE FUNCTION bgbb_p_alive(bgbb_model, rfm_history)
    RETURNS double precision AS 'MODULE_PATHNAME', 'bgbb_p_alive_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_p_alive(bgbb_model, rfm_history) IS
    'Probability that the customer of this history is alive at the next period';
CREATE FUNCTION bgbb_expected_transactions(bgbb_model, x double precision, t_x double precision,
                                           n double precision, future double precision)
    RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_expected_transactions(bgbb_model, double precision, double precision, double precision, double precision) IS
    'Expected transactions of a customer with (x, t_x, n) in the next future opportunities';
CREATE FUNCTION bgbb_expected_transactions(bgbb_model, rfm_history, future double precision)
    RETURNS double precision AS 'MODULE_PATHNAME', 'bgbb_expected_transactions_history' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bgbb_expected_transactions(bgbb_model, rfm_history, double precision) IS
    'Expected transaction periods of the customer of this history in the next future periods';
CREATE FUNCTION fit_statistics(bgbb_model,
    OUT model text, OUT log_likelihood double precision, OUT parameters integer,
    OUT customers bigint, OUT aic double precision, OUT bic double precision)
    AS 'MODULE_PATHNAME', 'bgbb_fit_statistics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION fit_statistics(bgbb_model) IS
    'For comparing models fitted to the same customers: the BG/BB model''s log-likelihood, parameter count, customers, AIC = 2k - 2 LL, BIC = k ln n - 2 LL (NULL for a model not fitted)';

-- The new model types' array types, documented like every other (issue 20).
COMMENT ON TYPE _pareto_nbd_model IS 'Array of pareto_nbd_model.';
COMMENT ON TYPE _mbgnbd_model IS 'Array of mbgnbd_model.';
COMMENT ON TYPE _sbg_model IS 'Array of sbg_model.';
COMMENT ON TYPE _bgbb_model IS 'Array of bgbb_model.';

-- end of block (issue 23)
