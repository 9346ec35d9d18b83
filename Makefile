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

# Like every PGXS extension: the pg_config on PATH, or the one given
# (make PG_CONFIG=/usr/lib/postgresql/17/bin/pg_config). Plain make, make
# install and make installcheck never install anything.
PG_CONFIG ?= pg_config

# `make demo`, `make test` and `make bench` set the machine up first: the
# script installs what is missing for the PostgreSQL of that pg_config (or
# Debian's default PostgreSQL when there is none) and prints the pg_config.
SETUP_GOALS = deps demo demo-keep test bench
ifneq ($(filter $(SETUP_GOALS),$(MAKECMDGOALS)),)
override PG_CONFIG := $(shell PG_CONFIG='$(PG_CONFIG)' test/ensure_deps.sh --pg-config)
ifeq ($(PG_CONFIG),)
$(error test/ensure_deps.sh could not provide a complete PostgreSQL; see above)
endif
endif

# `make test-versions` builds in chroots with their own PostgreSQL: it
# needs no pg_config here.
ifneq ($(MAKECMDGOALS),test-versions)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifeq ($(PGXS),)
$(error cannot run '$(PG_CONFIG) --pgxs': install PostgreSQL's development files \
  (Debian: postgresql-server-dev-NN) or set PG_CONFIG=/path/to/pg_config; \
  `make demo` / `make test` install them on Debian as root)
endif
include $(PGXS)

# Debian ships pg_config and pgxs with the client package, the headers with
# postgresql-server-dev-NN: say so before the compiler does.
SERVER_HEADERS := $(shell $(PG_CONFIG) --includedir-server)
SERVER_MAJOR := $(shell $(PG_CONFIG) --version | sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
$(OBJS): | server-headers
.PHONY: server-headers
server-headers:
	@test -f '$(SERVER_HEADERS)/postgres.h' || { \
	    echo "rfm: PostgreSQL $(SERVER_MAJOR) server headers not found: $(SERVER_HEADERS)/postgres.h ($(PG_CONFIG))." >&2; \
	    echo "rfm: install them (Debian: apt-get install postgresql-server-dev-$(SERVER_MAJOR)), or run 'make demo' / 'make test' as root, which do." >&2; \
	    exit 1; }

# PGXS tracks no header dependencies without --enable-depend: rebuild all.
$(OBJS): $(wildcard src/*.h)
endif

.PHONY: deps demo demo-keep test bench

deps:
	PG_CONFIG=$(PG_CONFIG) test/ensure_deps.sh

# The harness builds and installs, then runs everything in a throwaway cluster.
test: deps all install
	PG_CONFIG=$(PG_CONFIG) test/run_all.sh

# make demo RFM_LANG=zh-Hant: the segment texts in Traditional Chinese
demo: deps all install
	PG_CONFIG=$(PG_CONFIG) RFM_LANG=$(RFM_LANG) test/demo/run_demo.sh

demo-keep: deps all install
	PG_CONFIG=$(PG_CONFIG) RFM_LANG=$(RFM_LANG) KEEP=1 test/demo/run_demo.sh

# rfm built and run on PostgreSQL 13, 17 and 18, each in a Debian chroot
# made once per machine (as root; `make test` runs it too, see
# test/versions/run.sh).
.PHONY: test-versions
test-versions:
	test/versions/run.sh

# Benchmark against plain SQL (not part of `make test`): make bench SCALE=1
bench: deps all install
	PG_CONFIG=$(PG_CONFIG) test/bench/run_bench.sh $(SCALE)

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
