-- Order table for test/load/run.sh: :customers customers, :orders orders over
-- the two years before 2026-11-23 00:00+00, deterministic (hash-based, no
-- random()), 2% refunds.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS rfm;
DROP TABLE IF EXISTS orders;
CREATE TABLE orders (
    order_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id int NOT NULL,
    ordered_at  timestamptz NOT NULL,
    amount      numeric(12,2) NOT NULL
);
INSERT INTO orders (customer_id, ordered_at, amount)
SELECT 1 + (abs(hashint8(i)) % :customers)::int,
       timestamptz '2026-11-23 00:00+00'
           - (abs(hashint8(i + 1000000007)) % (730 * 86400)) * interval '1 second',
       CASE WHEN abs(hashint8(i + 2000000014)) % 50 = 0
            THEN -round((1 + abs(hashint8(i + 3)) % 5000 / 100.0)::numeric, 2)
            ELSE round((1 + abs(hashint8(i + 3)) % 50000 / 100.0)::numeric, 2) END
FROM generate_series(1, :orders) AS i;
CREATE INDEX orders_customer_id ON orders (customer_id);
VACUUM (ANALYZE) orders;
