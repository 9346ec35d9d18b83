-- The report of `make demo`: classify every customer of `orders` once, then
-- show what an analyst looks at first. Expects the rfm extension and the
-- table from generate.sql; run_demo.sh passes -v load_seconds=... so the
-- timings can include the load, and -v lang=... (en or zh-Hant, from
-- RFM_LANG) for the language of the segment descriptions and actions.

\set ON_ERROR_STOP on
\set QUIET on
\pset footer off
SET client_min_messages = warning;
-- Fixed zone: the dates shown must not depend on the machine's.
SET TimeZone = 'UTC';

\set as_of '2026-11-23 00:00+00'
\if :{?load_seconds}
\else
    \set load_seconds 'n/a'
\endif
\if :{?lang}
\else
    \set lang en
\endif
-- The language of labels, descriptions and actions. Checked by a call first:
-- before the library is loaded, SET would accept any value as a placeholder.
SELECT segment_label('lost', :'lang') AS lang_check \gset
SET rfm.language = :'lang';

SELECT count(*) AS n_orders,
       count(DISTINCT customer_id) AS n_customers,
       format('%s orders of %s customers, %s .. %s, net amount %s; as of %s',
              count(*), count(DISTINCT customer_id), min(ordered_at)::date,
              max(ordered_at)::date, sum(amount), :'as_of'::timestamptz) AS data_line
FROM orders \gset

\echo
\echo '== Data'
\echo :data_line
\echo 'Scores and segments use frequency and monetary over the last year (period 1 year).'
\echo 'Lapsed customers (orders before the year, none in it) are not ranked: they score 111, lost.'

-- The classification: one query from raw orders to segment and loyalty.
SELECT clock_timestamp() AS t0 \gset
DROP TABLE IF EXISTS customer_rfm;
CREATE TABLE customer_rfm AS
SELECT customer_id,
       s,
       score,
       rfm_segment(score) AS segment,
       loyalty_class(s)   AS loyalty
FROM (
    SELECT customer_id, s, rfm_score(s) OVER () AS score
    FROM (
        SELECT customer_id,
               rfm_summary(ordered_at, amount, :'as_of'::timestamptz, interval '1 year') AS s
        FROM orders
        GROUP BY customer_id
    ) AS per_customer
) AS scored;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 3) AS classify_seconds \gset
-- The base of the revenue shares below.
SELECT sum(monetary(s)) AS revenue FROM customer_rfm \gset

\echo
\echo '== Segments (best first; all eleven, empty ones too)'
WITH all_segments AS (
    SELECT unnest('{champions, loyal, potential_loyalist, new_customers, promising, need_attention,
                    about_to_sleep, at_risk, cannot_lose_them, hibernating, lost}'::segment[]) AS segment
), per_segment AS (
    SELECT a.segment, c.s FROM all_segments AS a LEFT JOIN customer_rfm AS c USING (segment)
)
SELECT coalesce(segment_label(segment, NULL), 'Total')              AS segment,
       count(s)                                                     AS customers,
       round(100.0 * count(s) / (SELECT count(*) FROM customer_rfm), 1)
                                                                    AS "customers %",
       coalesce(sum(monetary(s)), 0)                                AS revenue,
       round(100 * coalesce(sum(monetary(s)), 0) / nullif(:'revenue'::numeric, 0), 1)
                                                                    AS "revenue %",
       round(avg(recency(s)))                                       AS "avg recency (days)",
       round(avg(frequency(s)), 1)                                  AS "avg orders",
       segment_description(segment)                                 AS description,
       segment_action(segment)                                      AS action
FROM per_segment
GROUP BY GROUPING SETS ((segment), ())
-- Qualified: the bare name would be the text label, sorting alphabetically.
ORDER BY GROUPING(per_segment.segment), per_segment.segment;

\echo
\echo '== The R-by-FM grid (customers and segment per cell; FM = round-half-up((F + M) / 2))'
SELECT r AS "R", fm_1 AS "FM 1", fm_2 AS "FM 2", fm_3 AS "FM 3", fm_4 AS "FM 4", fm_5 AS "FM 5"
FROM rfm_grid(ARRAY(SELECT score FROM customer_rfm));

\echo
\echo '== Loyalty classes (best first)'
SELECT coalesce(loyalty_label(loyalty), 'Total')                    AS loyalty,
       count(*)                                                     AS customers,
       round(100.0 * count(*) / (SELECT count(*) FROM customer_rfm), 1)
                                                                    AS "customers %",
       sum(monetary(s))                                             AS revenue,
       round(100 * sum(monetary(s)) / nullif(:'revenue'::numeric, 0), 1)
                                                                    AS "revenue %",
       round(avg(orders_ever(s)), 1)                                AS "avg orders ever",
       loyalty_description(loyalty)                                 AS description,
       loyalty_action(loyalty)                                      AS action
FROM customer_rfm
GROUP BY GROUPING SETS ((loyalty), ())
ORDER BY GROUPING(customer_rfm.loyalty), customer_rfm.loyalty;

\echo
\echo '== Top 10 customers by monetary'
SELECT customer_id,
       monetary(s)                       AS monetary,
       frequency(s)                      AS orders,
       round(avg_order_value(s), 2)      AS "avg order",
       recency(s)                        AS "recency (days)",
       orders_ever(s)                    AS "orders ever",
       first_order(s)::date              AS first_order,
       last_order(s)::date               AS last_order,
       score,
       segment_label(segment, NULL)      AS segment,
       loyalty_label(loyalty)            AS loyalty
FROM customer_rfm
ORDER BY monetary(s) DESC, customer_id
LIMIT 10;

\echo
\echo '== Timings'
SELECT :n_orders          AS "rows loaded",
       :n_customers       AS customers,
       :'load_seconds'    AS "load (s)",
       :classify_seconds  AS "classification (s)",
       round(:n_orders / nullif(:classify_seconds, 0)) AS "orders/s classified";
