-- count(*) over the order table: the floor, one sequential scan.
SELECT count(*) FROM bench_orders
