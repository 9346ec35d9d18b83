-- rfm 0.2 -> 0.3 (ALTER EXTENSION rfm UPDATE TO '0.3').
-- Every object this script creates or changes is written out the same way in
-- rfm--0.3.sql; test/lifecycle/run.sh checks that both give one catalog.

\echo Use "ALTER EXTENSION rfm UPDATE TO '0.3'" to load this file. \quit

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

-- end of block (issue 20)

-- 0.3 block: the large shop (issue 21)

-- end of block (issue 21)

-- 0.3 block: from segment to action (issue 22)

-- end of block (issue 22)

-- 0.3 block: every model the CLV libraries have (issue 23)

-- end of block (issue 23)
