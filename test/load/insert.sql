-- pgbench script: a new order (sometimes a new customer, sometimes a refund).
\set c random(1, :customers + :customers / 20)
\set cents random(-2000, 80000)
\set secs random(0, 63072000)
INSERT INTO orders (customer_id, ordered_at, amount)
VALUES (:c, timestamptz '2026-11-23 00:00+00' - :secs * interval '1 second', :cents / 100.0);
