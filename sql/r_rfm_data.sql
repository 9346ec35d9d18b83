--
-- r_rfm_data: the orders of the R rfm package's example data (4,906 orders,
-- 995 customers, analysis date 2006-12-31), computed with the extension and,
-- independently, with plain SQL.
--
CREATE SCHEMA rfm_test_r_rfm_data;
SET search_path = rfm_test_r_rfm_data, public;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE TABLE orders (customer_id text, order_date date, revenue integer,
                     first_name text, last_name text, email text);
-- Client-side, relative to the directory pg_regress runs in (the repo root
-- for `make installcheck`), so a remote server needs no access to the file.
\copy orders FROM 'test/data/rfm_data_orders.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers, sum(revenue) AS revenue,
       min(order_date), max(order_date) FROM orders;
-- The plain-SQL reference: all history, and the 1-year period (2005-12-31, 2006-12-31].
CREATE TABLE plain AS
SELECT customer_id,
       date '2006-12-31' - max(order_date) AS recency,
       count(*) AS frequency,
       sum(revenue)::numeric AS monetary,
       avg(revenue) AS aov,
       date '2006-12-31' - min(order_date) AS tenure,
       max(order_date) - min(order_date) AS span,
       count(*) FILTER (WHERE order_date > date '2005-12-31') AS frequency_1y,
       coalesce(sum(revenue) FILTER (WHERE order_date > date '2005-12-31'), 0)::numeric AS monetary_1y
  FROM orders GROUP BY customer_id;
CREATE TABLE ext AS
SELECT customer_id,
       rfm_summary(order_date, revenue, date '2006-12-31') AS s,
       rfm_summary(order_date, revenue, date '2006-12-31', interval '1 year') AS s1y
  FROM orders GROUP BY customer_id;
-- Every figure agrees, customer by customer.
SELECT count(*) AS customers,
       count(*) FILTER (WHERE recency(e.s) IS DISTINCT FROM p.recency
                           OR frequency(e.s) IS DISTINCT FROM p.frequency
                           OR monetary(e.s) IS DISTINCT FROM p.monetary
                           OR avg_order_value(e.s) IS DISTINCT FROM p.aov
                           OR orders_ever(e.s) IS DISTINCT FROM p.frequency
                           OR tenure(e.s) IS DISTINCT FROM p.tenure
                           OR purchase_span(e.s) IS DISTINCT FROM p.span
                           OR recency(e.s1y) IS DISTINCT FROM p.recency
                           OR frequency(e.s1y) IS DISTINCT FROM p.frequency_1y
                           OR monetary(e.s1y) IS DISTINCT FROM p.monetary_1y
                           OR orders_ever(e.s1y) IS DISTINCT FROM p.frequency
                           OR monetary(e.s)::text <> p.monetary::text
                           OR avg_order_value(e.s)::text <> p.aov::text) AS mismatches
  FROM ext e FULL JOIN plain p USING (customer_id);
-- Totals.
SELECT count(*) AS customers, sum(monetary(s)) AS monetary, sum(frequency(s)) AS frequency,
       sum(monetary(s1y)) AS monetary_1y, sum(frequency(s1y)) AS frequency_1y,
       count(*) FILTER (WHERE frequency(s1y) = 0) AS lapsed_1y FROM ext;
-- A few customers in full.
SELECT customer_id, s FROM ext ORDER BY customer_id LIMIT 5;
-- Independent scores: L = rank() - 1 when ordered worst first.  Over the last
-- year only the customers with an order in it are ranked (a); a lapsed one
-- scores 111.
CREATE TABLE plain_scores AS
WITH a AS (
  SELECT customer_id, count(*) OVER () AS n_a,
         rank() OVER (ORDER BY recency DESC) - 1 AS lr_a,
         rank() OVER (ORDER BY frequency_1y) - 1 AS lf_a,
         rank() OVER (ORDER BY monetary_1y) - 1 AS lm_a
    FROM plain WHERE frequency_1y > 0),
l AS (
  SELECT customer_id, count(*) OVER () AS n,
         rank() OVER (ORDER BY recency DESC) - 1 AS lr,
         rank() OVER (ORDER BY frequency) - 1 AS lf,
         rank() OVER (ORDER BY monetary) - 1 AS lm,
         count(*) OVER w AS n_p,
         rank() OVER (w ORDER BY recency DESC) - 1 AS lr_p,
         rank() OVER (w ORDER BY frequency) - 1 AS lf_p,
         rank() OVER (w ORDER BY monetary) - 1 AS lm_p
    FROM plain WINDOW w AS (PARTITION BY left(customer_id, 1)))
SELECT customer_id,
       (1 + 5 * lr / n) * 100 + (1 + 5 * lf / n) * 10 + (1 + 5 * lm / n) AS score,
       (1 + 3 * lr / n) * 100 + (1 + 3 * lf / n) * 10 + (1 + 3 * lm / n) AS score3,
       (1 + 9 * lr / n) * 100 + (1 + 9 * lf / n) * 10 + (1 + 9 * lm / n) AS score9,
       coalesce((1 + 5 * lr_a / n_a) * 100 + (1 + 5 * lf_a / n_a) * 10 + (1 + 5 * lm_a / n_a), 111) AS score_1y,
       (1 + 5 * lr_p / n_p) * 100 + (1 + 5 * lf_p / n_p) * 10 + (1 + 5 * lm_p / n_p) AS score_p
  FROM l LEFT JOIN a USING (customer_id);
CREATE TABLE ext_scores AS
SELECT customer_id,
       rfm_score(s) OVER () AS score,
       rfm_score(s, 3) OVER () AS score3,
       rfm_score(s, 9) OVER () AS score9,
       rfm_score(s1y) OVER () AS score_1y,
       rfm_score(s) OVER (PARTITION BY left(customer_id, 1)) AS score_p,
       rfm_segment(rfm_score(s) OVER ()) AS segment,
       loyalty_class(s1y) AS loyalty,
       loyalty_class(s1y, 3) AS loyalty3
  FROM ext;
SELECT count(*) AS customers,
       count(*) FILTER (WHERE e.score::int IS DISTINCT FROM p.score
                           OR e.score3::int IS DISTINCT FROM p.score3
                           OR e.score9::int IS DISTINCT FROM p.score9
                           OR e.score_1y::int IS DISTINCT FROM p.score_1y
                           OR e.score_p::int IS DISTINCT FROM p.score_p
                           OR e.score::text IS DISTINCT FROM p.score::text) AS mismatches
  FROM ext_scores e FULL JOIN plain_scores p USING (customer_id);
-- Distribution of the quintile scores per dimension (plain SQL reference).
SELECT d, count(*) AS customers FROM (
  SELECT 'R' || recency_score(score) AS d FROM ext_scores
  UNION ALL SELECT 'F' || frequency_score(score) FROM ext_scores
  UNION ALL SELECT 'M' || monetary_score(score) FROM ext_scores) x
 GROUP BY d ORDER BY d;
-- Segments, best first; the reference maps the plain scores through the grid.
SELECT segment, count(*) AS customers FROM ext_scores GROUP BY segment ORDER BY segment;
-- Loyalty classes over the last year (default threshold 10, then 3).
SELECT loyalty, count(*) AS customers, min(frequency(s1y)) AS k
  FROM ext_scores JOIN ext USING (customer_id) GROUP BY loyalty ORDER BY loyalty;
SELECT loyalty3, count(*) AS customers, min(frequency(s1y)) AS k
  FROM ext_scores JOIN ext USING (customer_id) GROUP BY loyalty3 ORDER BY loyalty3;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA rfm_test_r_rfm_data CASCADE;
RESET client_min_messages;
