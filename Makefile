# rfm: PGXS build. `make demo` and `make test` set up everything they need.

EXTENSION  = rfm
MODULE_big = rfm
OBJS       = $(patsubst %.c,%.o,$(wildcard src/*.c))
DATA       = $(wildcard sql/rfm--*.sql)
PG_CFLAGS  = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers

# Every regression test in sql/ except the install and upgrade scripts.
REGRESS      = $(sort $(filter-out rfm--%,$(basename $(notdir $(wildcard sql/*.sql)))))
REGRESS_OPTS = --inputdir=. --load-extension=rfm

# The server development package must be there before PGXS can be found;
# ensure_deps.sh installs it when missing and prints pg_config's path.
ifndef PG_CONFIG
PG_CONFIG := $(shell test/ensure_deps.sh --pg-config)
endif
ifeq ($(PG_CONFIG),)
$(error test/ensure_deps.sh could not provide pg_config; see above)
endif
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies without --enable-depend: rebuild all.
$(OBJS): $(wildcard src/*.h)

.PHONY: deps demo demo-keep test bench

deps:
	test/ensure_deps.sh

# The harness builds and installs, then runs everything in a throwaway cluster.
test: deps all install
	test/run_all.sh

demo: deps all install
	test/demo/run_demo.sh

demo-keep: deps all install
	KEEP=1 test/demo/run_demo.sh

# Benchmark against plain SQL (not part of `make test`): make bench SCALE=1
bench: deps all install
	test/bench/run_bench.sh $(SCALE)
