-- rfm 0.1 -> 0.2 (ALTER EXTENSION rfm UPDATE TO '0.2').
-- Every object this script creates or changes is written out the same way in
-- rfm--0.2.sql; test/lifecycle/run.sh checks that both give one catalog.

\echo Use "ALTER EXTENSION rfm UPDATE TO '0.2'" to load this file. \quit
