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

-- end of block (issue 20)

-- 0.3 block: the large shop (issue 21)

-- end of block (issue 21)

-- 0.3 block: from segment to action (issue 22)

-- end of block (issue 22)

-- 0.3 block: every model the CLV libraries have (issue 23)

-- end of block (issue 23)
