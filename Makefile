# rfm: PGXS build. `make demo` and `make test` set up everything they need.

EXTENSION  = rfm
MODULE_big = rfm
OBJS       = $(patsubst %.c,%.o,$(wildcard src/*.c))
DATA       = $(wildcard sql/rfm--*.sql)
PG_CFLAGS  = -Wall -Wextra -Wno-missing-field-initializers
# PostgreSQL's headers as system headers: their inline functions leave
# parameters unused, which -Wextra would report in every file including
# them. Same search order as PGXS's -I (server, then internal).
PG_CPPFLAGS = -isystem $(includedir_server) -isystem $(includedir_internal)

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

# Source archive for PGXN: rfm-<version>.zip of the committed tree at HEAD
# (git archive: nothing untracked, no build products), the version being the
# first "version" of META.json. `make dist DIST_DIR=/tmp` writes it elsewhere.
DIST_VERSION = $(shell sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' META.json | head -n 1)
DIST_DIR ?= .
.PHONY: dist
dist:
	@test -n "$(DIST_VERSION)" || { echo "dist: no version in META.json" >&2; exit 1; }
	git archive --format=zip --prefix=$(EXTENSION)-$(DIST_VERSION)/ \
	    -o $(DIST_DIR)/$(EXTENSION)-$(DIST_VERSION).zip HEAD
	@echo "dist: $(DIST_DIR)/$(EXTENSION)-$(DIST_VERSION).zip"
