--
-- movement: the README recipe for movement between two dates, on the R rfm
-- package's example orders. Summaries over the last year as of 2006-06-30 and
-- 2006-12-31, scored per date, the from x to transition matrix (customers new
-- since the first date come from NULL), and the customers who left champions
-- or loyal for at_risk or cannot_lose_them. Everything is recomputed in plain
-- SQL and compared.
--
CREATE SCHEMA rfm_test_movement;
SET search_path = rfm_test_movement, public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE TABLE orders (customer_id text, order_date date, revenue integer,
                     first_name text, last_name text, email text);
-- Client-side, relative to the directory pg_regress runs in (the repo root
-- for `make installcheck`), so a remote server needs no access to the file.
\copy orders FROM 'test/data/rfm_data_orders.csv' WITH (FORMAT csv, HEADER)
-- The grid of the definitions (PRODUCT.md), for the plain-SQL reference.
CREATE TABLE grid (r int, fm int, seg text);
INSERT INTO grid VALUES
 (5,5,'champions'), (5,4,'champions'), (5,3,'loyal'), (5,2,'potential_loyalist'), (5,1,'new_customers'),
 (4,5,'champions'), (4,4,'loyal'), (4,3,'potential_loyalist'), (4,2,'potential_loyalist'), (4,1,'promising'),
 (3,5,'loyal'), (3,4,'loyal'), (3,3,'potential_loyalist'), (3,2,'need_attention'), (3,1,'promising'),
 (2,5,'at_risk'), (2,4,'at_risk'), (2,3,'need_attention'), (2,2,'need_attention'), (2,1,'about_to_sleep'),
 (1,5,'cannot_lose_them'), (1,4,'cannot_lose_them'), (1,3,'at_risk'), (1,2,'hibernating'), (1,1,'lost');

------------------------------------------------------------------------------
-- The recipe
------------------------------------------------------------------------------
CREATE TABLE snapshots AS
WITH summaries AS (
    SELECT as_of, customer_id,
           rfm_summary(order_date, revenue, as_of, interval '1 year') AS s
    FROM orders
    CROSS JOIN (VALUES (date '2006-06-30'), (date '2006-12-31')) AS v(as_of)
    GROUP BY as_of, customer_id
)
SELECT as_of, customer_id, s,
       rfm_segment(rfm_score(s) OVER (PARTITION BY as_of)) AS segment
FROM summaries
WHERE s IS NOT NULL;
SELECT as_of, count(*) AS customers, sum(frequency(s)) AS orders_in_year, sum(monetary(s)) AS revenue_in_year,
       count(*) FILTER (WHERE frequency(s) = 0) AS lapsed
  FROM snapshots GROUP BY as_of ORDER BY as_of;
-- The transition matrix: customers, and their revenue over the year to the later date.
CREATE TABLE matrix AS
SELECT before.segment AS from_segment, after.segment AS to_segment,
       count(*) AS customers, sum(monetary(after.s)) AS revenue_now
FROM (SELECT * FROM snapshots WHERE as_of = '2006-06-30') AS before
FULL JOIN (SELECT * FROM snapshots WHERE as_of = '2006-12-31') AS after
    USING (customer_id)
GROUP BY 1, 2;
SELECT * FROM matrix ORDER BY from_segment NULLS FIRST, to_segment;
-- Who left the best segments for the ones a CRM must act on.
CREATE TABLE movers AS
SELECT customer_id, before.segment AS was, after.segment AS is_now,
       recency(after.s) AS days_since_last
FROM snapshots AS before
JOIN snapshots AS after USING (customer_id)
WHERE before.as_of = '2006-06-30' AND after.as_of = '2006-12-31'
  AND before.segment IN ('champions', 'loyal')
  AND after.segment IN ('at_risk', 'cannot_lose_them');
SELECT * FROM movers ORDER BY was, is_now, customer_id;

------------------------------------------------------------------------------
-- The plain-SQL reference
------------------------------------------------------------------------------
-- Per date: recency over all orders up to as_of, frequency and monetary over
-- (as_of - 1 year, as_of]; quintile scores with L = rank() - 1 ordered worst
-- first within the date, among the customers with an order in the year (N
-- counts those); the segment from the grid.  A lapsed customer (no order in
-- the year) is not ranked: score 111, segment lost.
CREATE TABLE plain AS
WITH p AS (
  SELECT as_of, customer_id, as_of - max(order_date) AS recency,
         count(*) FILTER (WHERE order_date > as_of - interval '1 year') AS frequency,
         coalesce(sum(revenue) FILTER (WHERE order_date > as_of - interval '1 year'), 0) AS monetary
    FROM orders CROSS JOIN (VALUES (date '2006-06-30'), (date '2006-12-31')) v(as_of)
   WHERE order_date <= as_of
   GROUP BY as_of, customer_id),
l AS (
  SELECT *, count(*) OVER w AS n,
         rank() OVER (w ORDER BY recency DESC) - 1 AS lr,
         rank() OVER (w ORDER BY frequency) - 1 AS lf,
         rank() OVER (w ORDER BY monetary) - 1 AS lm
    FROM p WHERE frequency > 0 WINDOW w AS (PARTITION BY as_of))
SELECT as_of, customer_id, recency, frequency, monetary, g.seg
  FROM l JOIN grid g ON g.r = 1 + 5 * lr / n AND g.fm = ((1 + 5 * lf / n) + (1 + 5 * lm / n) + 1) / 2
UNION ALL
SELECT as_of, customer_id, recency, frequency, monetary, 'lost' FROM p WHERE frequency = 0;
-- Customer by customer, both dates: same figures, same segment.
SELECT count(*) AS snapshot_rows,
       count(*) FILTER (WHERE recency(e.s) IS DISTINCT FROM p.recency
                           OR frequency(e.s) IS DISTINCT FROM p.frequency
                           OR monetary(e.s) IS DISTINCT FROM p.monetary
                           OR e.segment::text IS DISTINCT FROM p.seg) AS mismatches
  FROM snapshots e FULL JOIN plain p USING (as_of, customer_id);
-- The matrix from the plain reference, compared cell by cell (no rows listed).
CREATE TABLE plain_matrix AS
SELECT b.seg AS from_segment, a.seg AS to_segment, count(*) AS customers, sum(a.monetary) AS revenue_now
  FROM (SELECT * FROM plain WHERE as_of = '2006-06-30') b
  FULL JOIN (SELECT * FROM plain WHERE as_of = '2006-12-31') a USING (customer_id)
 GROUP BY 1, 2;
(SELECT 'extension only' AS side, from_segment::text, to_segment::text, customers, revenue_now FROM matrix
 EXCEPT SELECT 'extension only', * FROM plain_matrix)
UNION ALL
(SELECT 'plain only', * FROM plain_matrix
 EXCEPT SELECT 'plain only', from_segment::text, to_segment::text, customers, revenue_now FROM matrix);
-- Totals of the matrix against independent counts:
-- all cells = customers with an order on or before the later date; revenue =
-- all revenue in (2005-12-31, 2006-12-31]; nobody known at the earlier date
-- is missing at the later one; the NULL row = customers whose first order is
-- in (2006-06-30, 2006-12-31].
SELECT (SELECT sum(customers) FROM matrix) AS matrix_customers,
       (SELECT count(DISTINCT customer_id) FROM orders WHERE order_date <= '2006-12-31') AS customers_at_later_date,
       (SELECT sum(revenue_now) FROM matrix) AS matrix_revenue,
       (SELECT sum(revenue) FROM orders WHERE order_date > '2005-12-31' AND order_date <= '2006-12-31') AS revenue_in_year,
       (SELECT coalesce(sum(customers), 0) FROM matrix WHERE to_segment IS NULL) AS lost_from_view,
       (SELECT sum(customers) FROM matrix WHERE from_segment IS NULL) AS new_customers,
       (SELECT count(*) FROM (SELECT customer_id FROM orders GROUP BY customer_id
                               HAVING min(order_date) > '2006-06-30' AND min(order_date) <= '2006-12-31') x) AS first_order_in_between;
-- Row sums = customers per segment at the earlier date; column sums =
-- customers per segment at the later date (both from the plain reference).
SELECT seg, rows.customers AS row_sum, pb.customers AS plain_before,
       cols.customers AS column_sum, pa.customers AS plain_after
  FROM (SELECT from_segment::text AS seg, sum(customers) AS customers FROM matrix
         WHERE from_segment IS NOT NULL GROUP BY 1) rows
  FULL JOIN (SELECT to_segment::text AS seg, sum(customers) AS customers FROM matrix GROUP BY 1) cols USING (seg)
  FULL JOIN (SELECT seg, count(*) AS customers FROM plain WHERE as_of = '2006-06-30' GROUP BY seg) pb USING (seg)
  FULL JOIN (SELECT seg, count(*) AS customers FROM plain WHERE as_of = '2006-12-31' GROUP BY seg) pa USING (seg)
 ORDER BY seg::segment;
-- The movers from the plain reference (no rows listed).
(SELECT 'extension only' AS side, customer_id, was::text, is_now::text, days_since_last FROM movers
 EXCEPT
 SELECT 'extension only', b.customer_id, b.seg, a.seg, a.recency
   FROM plain b JOIN plain a USING (customer_id)
  WHERE b.as_of = '2006-06-30' AND a.as_of = '2006-12-31'
    AND b.seg IN ('champions', 'loyal') AND a.seg IN ('at_risk', 'cannot_lose_them'))
UNION ALL
(SELECT 'plain only', b.customer_id, b.seg, a.seg, a.recency
   FROM plain b JOIN plain a USING (customer_id)
  WHERE b.as_of = '2006-06-30' AND a.as_of = '2006-12-31'
    AND b.seg IN ('champions', 'loyal') AND a.seg IN ('at_risk', 'cannot_lose_them')
 EXCEPT
 SELECT 'plain only', customer_id, was::text, is_now::text, days_since_last FROM movers);

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_movement CASCADE;
RESET client_min_messages;
