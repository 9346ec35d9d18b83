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

-- end of block (issue 21)

-- 0.3 block: from segment to action (issue 22)

-- end of block (issue 22)

-- 0.3 block: every model the CLV libraries have (issue 23)

-- end of block (issue 23)
