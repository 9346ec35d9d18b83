--
-- grid: rfm_grid(rfm_score[]), the 5x5 R-by-FM grid: rows R = 5..1, columns
-- fm_1..fm_5, each cell '<count> <segment>' with FM = round-half-up((F + M) / 2)
-- and the segment of the cell on the grid of the definitions.
--
CREATE SCHEMA rfm_test_grid;
SET search_path = rfm_test_grid, public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE FUNCTION sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
-- The grid of the definitions (PRODUCT.md), written out cell by cell.
CREATE TABLE grid (r int, fm int, seg text);
INSERT INTO grid VALUES
 (5,5,'champions'), (5,4,'champions'), (5,3,'loyal'), (5,2,'potential_loyalist'), (5,1,'new_customers'),
 (4,5,'champions'), (4,4,'loyal'), (4,3,'potential_loyalist'), (4,2,'potential_loyalist'), (4,1,'promising'),
 (3,5,'loyal'), (3,4,'loyal'), (3,3,'potential_loyalist'), (3,2,'need_attention'), (3,1,'promising'),
 (2,5,'at_risk'), (2,4,'at_risk'), (2,3,'need_attention'), (2,2,'need_attention'), (2,1,'about_to_sleep'),
 (1,5,'cannot_lose_them'), (1,4,'cannot_lose_them'), (1,3,'at_risk'), (1,2,'hibernating'), (1,1,'lost');
-- rfm_grid's rows as (r, fm, cell).
CREATE FUNCTION cells(scores rfm_score[]) RETURNS TABLE (r int, fm int, cell text) LANGUAGE sql AS $$
  SELECT g.r, c.fm, c.cell
    FROM rfm_grid(scores) g,
         LATERAL (VALUES (1, g.fm_1), (2, g.fm_2), (3, g.fm_3), (4, g.fm_4), (5, g.fm_5)) c(fm, cell)
$$;

------------------------------------------------------------------------------
-- A hand-made set of 16 scores (and 2 NULLs, skipped)
------------------------------------------------------------------------------
-- score -> (R, FM = (F + M + 1) / 2):
--   555 (5,5)  545 (5,5)  544 (5,4)  511 (5,1)  512 (5,2)  455 (4,5)  434 (4,4)
--   333 (3,3)  312 (3,2)  211 (2,1) x2  225 (2,4)  135 (1,4) x2  111 (1,1)  115 (1,3)
CREATE TABLE hand (scores rfm_score[]);
INSERT INTO hand VALUES (ARRAY['555', '545', '544', '511', '512', '455', '434', NULL, '333', '312',
                               '211', '211', '225', '135', '135', '111', NULL, '115']::rfm_score[]);
SELECT g.* FROM hand, rfm_grid(scores) g;
-- The same grid written by hand (counts from the list above, segments from the grid).
CREATE TABLE hand_grid (r int, fm_1 text, fm_2 text, fm_3 text, fm_4 text, fm_5 text);
INSERT INTO hand_grid VALUES
 (5, '1 new_customers', '1 potential_loyalist', '0 loyal',              '1 champions',        '2 champions'),
 (4, '0 promising',     '0 potential_loyalist', '0 potential_loyalist', '1 loyal',            '1 champions'),
 (3, '0 promising',     '1 need_attention',     '1 potential_loyalist', '0 loyal',            '0 loyal'),
 (2, '2 about_to_sleep', '0 need_attention',    '0 need_attention',     '1 at_risk',          '0 at_risk'),
 (1, '1 lost',          '0 hibernating',        '1 at_risk',            '2 cannot_lose_them', '0 cannot_lose_them');
SELECT count(*) AS rows_differing FROM (
  (SELECT g.* FROM hand, rfm_grid(scores) g EXCEPT ALL SELECT * FROM hand_grid)
  UNION ALL
  (SELECT * FROM hand_grid EXCEPT ALL SELECT g.* FROM hand, rfm_grid(scores) g)) x;
-- Rows come R = 5 first.
SELECT array_agg(r) AS row_order FROM (SELECT g.r FROM hand, rfm_grid(scores) g) x;
-- Total of the cells = non-NULL scores (16).
SELECT sum(split_part(cell, ' ', 1)::int) AS customers FROM hand, cells(scores);

------------------------------------------------------------------------------
-- Empty, NULL-only and NULL arrays
------------------------------------------------------------------------------
-- No scores: every cell counts 0 and still names its segment.
SELECT count(*) AS cells,
       count(*) FILTER (WHERE c.cell = '0 ' || g.seg) AS as_expected
  FROM cells('{}') c JOIN grid g USING (r, fm);
SELECT count(*) AS cells,
       count(*) FILTER (WHERE c.cell = '0 ' || g.seg) AS as_expected
  FROM cells(ARRAY[NULL, NULL]::rfm_score[]) c JOIN grid g USING (r, fm);
SELECT * FROM rfm_grid('{}');
-- A NULL array gives no rows (the function is strict).
SELECT count(*) AS grid_rows FROM rfm_grid(NULL);

------------------------------------------------------------------------------
-- Scores of more than 5 bins are refused (22023)
------------------------------------------------------------------------------
SELECT s, sqlstate_of(format('SELECT * FROM rfm_grid(ARRAY[%L, %L]::rfm_score[])', '555', s)) AS sqlstate
  FROM (VALUES ('611'), ('161'), ('116'), ('999'), ('955')) v(s);
\set VERBOSITY default
SELECT * FROM rfm_grid(ARRAY['555', '161']::rfm_score[]);
\set VERBOSITY terse

------------------------------------------------------------------------------
-- The R rfm package's example customers (analysis date 2006-12-31)
------------------------------------------------------------------------------
CREATE TABLE orders (customer_id text, order_date date, revenue integer,
                     first_name text, last_name text, email text);
-- Client-side, relative to the directory pg_regress runs in (the repo root
-- for `make installcheck`), so a remote server needs no access to the file.
\copy orders FROM 'test/data/rfm_data_orders.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE scores AS
SELECT customer_id, rfm_score(s) OVER () AS score
  FROM (SELECT customer_id, rfm_summary(order_date, revenue, date '2006-12-31') AS s
          FROM orders GROUP BY customer_id) x;
SELECT * FROM rfm_grid(ARRAY(SELECT score FROM scores));
-- Cross-check: plain-SQL quintile scores (L = rank() - 1 ordered worst first),
-- counted per (R, FM) with GROUP BY, every cell of the grid present.
CREATE TABLE plain_cells AS
WITH p AS (SELECT customer_id, date '2006-12-31' - max(order_date) AS recency, count(*) AS frequency,
                  sum(revenue) AS monetary FROM orders GROUP BY customer_id),
l AS (SELECT count(*) OVER () AS n,
             rank() OVER (ORDER BY recency DESC) - 1 AS lr,
             rank() OVER (ORDER BY frequency) - 1 AS lf,
             rank() OVER (ORDER BY monetary) - 1 AS lm FROM p),
s AS (SELECT 1 + 5 * lr / n AS r, 1 + 5 * lf / n AS f, 1 + 5 * lm / n AS m FROM l),
c AS (SELECT r, (f + m + 1) / 2 AS fm, count(*) AS customers FROM s GROUP BY 1, 2)
SELECT g.r, g.fm, coalesce(c.customers, 0) || ' ' || g.seg AS cell
  FROM grid g LEFT JOIN c ON c.r = g.r AND c.fm = g.fm;
SELECT count(*) AS cells,
       count(*) FILTER (WHERE e.cell IS DISTINCT FROM p.cell) AS mismatches,
       sum(split_part(e.cell, ' ', 1)::int) AS customers
  FROM cells(ARRAY(SELECT score FROM scores)) e FULL JOIN plain_cells p USING (r, fm);
-- The grid agrees with rfm_segment: customers per segment from the cells and
-- from rfm_segment(score) are the same.
SELECT seg, sum(split_part(cell, ' ', 1)::int) AS from_grid,
       (SELECT count(*) FROM scores WHERE rfm_segment(score)::text = seg) AS from_rfm_segment
  FROM (SELECT split_part(cell, ' ', 2) AS seg, cell FROM cells(ARRAY(SELECT score FROM scores))) x
 GROUP BY seg ORDER BY seg::segment;

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_grid CASCADE;
RESET client_min_messages;
