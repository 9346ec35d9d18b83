-- Data and view the BI client suites (jdbc.sh, node.sh) query: the README
-- tour's orders and the nightly view of the Recipes section, with a fixed
-- as_of so the figures do not move with the calendar.
CREATE EXTENSION rfm;

CREATE TABLE orders (
    order_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id int NOT NULL,
    ordered_at  timestamptz NOT NULL,
    amount      numeric(12,2) NOT NULL
);
INSERT INTO orders (customer_id, ordered_at, amount)
SELECT c, timestamptz '2026-11-23 00:00+00' - (c * 7 + i * (c + 3)) * interval '1 day',
       round((20 + c * 5 + i % 7)::numeric, 2)
FROM generate_series(1, 8) AS c,
     LATERAL generate_series(0, (12 - c) * 2 / c) AS i;
INSERT INTO orders (customer_id, ordered_at, amount)
VALUES (9, '2025-01-10 12:00+00', 250.00),
       (9, '2025-02-10 12:00+00', -50.00);
-- A few more customers so that most segments occur.
INSERT INTO orders (customer_id, ordered_at, amount)
SELECT c, timestamptz '2026-11-23 00:00+00' - ((c * 13) % 300 + i * (c % 11 + 2)) * interval '1 day',
       round((5 + (c * 31 + i * 17) % 200)::numeric + 0.99, 2)
FROM generate_series(10, 60) AS c,
     LATERAL generate_series(0, c % 9) AS i;

CREATE MATERIALIZED VIEW customer_rfm AS
WITH per_customer AS (
    SELECT customer_id,
           rfm_summary(ordered_at, amount, timestamptz '2026-11-23 00:00+00', interval '1 year') AS s
    FROM orders
    GROUP BY customer_id
)
SELECT customer_id, s,
       recency(s)                         AS recency_days,
       frequency(s)                       AS orders_last_year,
       monetary(s)                        AS spend_last_year,
       rfm_score(s) OVER ()               AS score,
       rfm_segment(rfm_score(s) OVER ())  AS segment,
       loyalty_class(s)                   AS loyalty
FROM per_customer
WHERE s IS NOT NULL;
CREATE UNIQUE INDEX customer_rfm_customer_id ON customer_rfm (customer_id);
