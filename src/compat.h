/*
 * compat.h: every difference between the PostgreSQL versions rfm supports
 * (13, 14, 15, 16, 17, 18), in one place.
 *
 * Include it directly after "postgres.h" in every .c file under src/ (and in any
 * rfm header that uses one of the names below), so that no other file
 * needs a PG_VERSION_NUM test.  Each block says which versions differ and
 * why; README.md "Supported versions" lists what was compiled and what
 * was only reviewed.
 */
#ifndef RFM_COMPAT_H
#define RFM_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 130000
#error "rfm needs PostgreSQL 13 or later"
#endif

/*
 * PostgreSQL 16 moved the varlena macros (VARDATA_ANY, VARSIZE_ANY_EXHDR,
 * VARATT_IS_EXTERNAL, VARATT_IS_COMPRESSED, SET_VARSIZE, ...) out of
 * postgres.h into varatt.h, which postgres.h does not include.  On 16-18 a
 * file that uses them without varatt.h compiles only with an
 * implicit-declaration warning (an error in GCC 14 and clang 16), and the
 * module then fails to load with "undefined symbol: VARDATA_ANY".  13-15
 * have no varatt.h; postgres.h defines the macros there.
 */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * PostgreSQL 18 replaced the postfix pg_attribute_noreturn() with the
 * prefix pg_noreturn (C11 _Noreturn, or the GCC attribute, or MSVC's
 * __declspec(noreturn)), and removed pg_attribute_noreturn().  13-17 have
 * only pg_attribute_noreturn(): __attribute__((noreturn)) under GCC, clang
 * and Sun C (and XLC in 13), which may stand before the declaration too,
 * and empty elsewhere (MSVC).  So declare, on every version:
 *
 *     pg_noreturn extern void f(...);
 *
 * (the order PostgreSQL 18 itself uses for ExceptionalCondition).  The
 * !defined test keeps this quiet should a 13-17 minor release backport
 * pg_noreturn, as 15.20 backported pg_always_inline.
 */
#if PG_VERSION_NUM < 180000 && !defined(pg_noreturn)
#define pg_noreturn pg_attribute_noreturn()
#endif

/*
 * MarkGUCPrefixReserved() is PostgreSQL 15+; 15-18 keep the old name
 * EmitWarningsOnPlaceholders() only as a macro for it.  13 and 14 have only
 * EmitWarningsOnPlaceholders(), which warns about existing "rfm.*"
 * placeholders but neither removes them nor refuses new ones as 15+ do.
 * Callers must include utils/guc.h.
 */
#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(className) EmitWarningsOnPlaceholders(className)
#endif

/*
 * PostgreSQL 17 added infinite intervals: 'infinity' and '-infinity' have
 * every field at its extreme (month = day = INT32_MAX, time = INT64_MAX),
 * and as_of - 'infinity' is -infinity.  Before 17 no interval is infinite.
 * Every Interval argument (period, unit, horizon) must be checked with
 * INTERVAL_NOT_FINITE() before use.
 */
#if PG_VERSION_NUM < 170000
#define INTERVAL_NOT_FINITE(i) ((void) (i), false)
#endif

/*
 * PGLC_localeconv() (13-18, same signature) is declared only in
 * utils/pg_locale.h, which includes ICU's unicode/ucol.h when the server
 * was built with ICU, as Debian's are.  postgresql-server-dev-NN does not
 * depend on libicu-dev (bookworm's 15 pulls it in only through LLVM), so
 * including pg_locale.h would make the build need ICU headers for one
 * declaration.  The identical declaration here needs none.
 */
#include <locale.h>
extern struct lconv *PGLC_localeconv(void);

/* ==================== fast grouping engine (issue 12) ==================== */
/* list_make5 is PostgreSQL 14+. */
#if PG_VERSION_NUM < 140000
#define list_make5(x1, x2, x3, x4, x5) lappend(list_make4(x1, x2, x3, x4), x5)
#endif

/*
 * APIs of the planner path and the CustomScan node that changed between 13
 * and 18.  Every other planner/executor call the engine makes has the same
 * signature in all of them (see the engine's section in the issue report).
 */
#include "miscadmin.h"
#include "nodes/extensible.h"
#include "optimizer/cost.h"

/* The hash table budget, bytes: work_mem × hash_mem_multiplier. */
#if PG_VERSION_NUM >= 150000
#define RFM_HASH_MEM_BYTES() ((Size) get_hash_memory_limit())
#else
/* 13, 14: get_hash_mem() in kB (int) */
#define RFM_HASH_MEM_BYTES() ((Size) get_hash_mem() * (Size) 1024)
#endif

/*
 * A CustomScan is projection capable in 13 and 14; from 15 only with this
 * flag.  The engine's node projects (its scan tuple is key + summary), so
 * it asks for the same behaviour everywhere.
 */
#ifdef CUSTOMPATH_SUPPORT_PROJECTION
#define RFM_CUSTOMPATH_FLAGS CUSTOMPATH_SUPPORT_PROJECTION
#else
#define RFM_CUSTOMPATH_FLAGS 0
#endif

/*
 * A path the user disabled (enable_hashagg = off): 18 counts disabled
 * nodes, 13..17 add disable_cost.
 */
#if PG_VERSION_NUM >= 180000
#define RFM_DISABLE_PATH(path) ((path)->disabled_nodes++)
#else
#define RFM_DISABLE_PATH(path) \
	do { (path)->startup_cost += disable_cost; (path)->total_cost += disable_cost; } while (0)
#endif

/* 18: a path built on a disabled one counts its disabled nodes. */
#if PG_VERSION_NUM >= 180000
#define RFM_PATH_COPY_DISABLED(path, sub) ((path)->disabled_nodes = (sub)->disabled_nodes)
#else
#define RFM_PATH_COPY_DISABLED(path, sub) ((void) 0)
#endif

/* 18 moved ExplainProperty*() to their own header. */
#if PG_VERSION_NUM >= 180000
#include "commands/explain_format.h"
#endif

/* BufFileRead: 16 added BufFileReadMaybeEOF; BufFileRead stays (size_t, errors on I/O failure since 13). */
#define RFM_BUFFILE_READ(file, ptr, size) BufFileRead((file), (ptr), (size))

/* ================= end of fast grouping engine (issue 12) ================= */

/* ====================== ranking within work_mem (issue 21) ====================== */
/*
 * tuplesort_begin_datum's last argument: bool randomAccess in 13 and 14,
 * int sortopt flags from 15 (0 means the same in both).
 */
#if PG_VERSION_NUM < 150000
#define TUPLESORT_NONE 0
#endif

/* 16 added tuplesort_getdatum's copy argument (before it, by-reference values came copied). */
#if PG_VERSION_NUM >= 160000
#define RFM_TUPLESORT_GETDATUM(sort, value, isnull) \
	tuplesort_getdatum((sort), true, false, (value), (isnull), NULL)
#else
#define RFM_TUPLESORT_GETDATUM(sort, value, isnull) \
	tuplesort_getdatum((sort), true, (value), (isnull), NULL)
#endif
/* ================ the planner's choice of the engine (issue 19) ================ */
/*
 * 18's EXPLAIN prints a window function only under a WindowAgg node with
 * its winref (13-17 print "OVER (?)" anywhere): the RFM WindowAgg's scan
 * tuple must have its window functions turned into plain calls after
 * set_plan_references, which only planner_hook can do.
 */
#define RFM_EXPLAIN_NEEDS_WINDOWAGG (PG_VERSION_NUM >= 180000)

/* 14 added estimate_num_groups' EstimationInfo argument. */
#if PG_VERSION_NUM >= 140000
#define RFM_ESTIMATE_NUM_GROUPS(root, exprs, rows) estimate_num_groups((root), (exprs), (rows), NULL, NULL)
#else
#define RFM_ESTIMATE_NUM_GROUPS(root, exprs, rows) estimate_num_groups((root), (exprs), (rows), NULL)
#endif
/* 18 added heap_form_minimal_tuple's extra argument (bytes to leave before the tuple). */
#if PG_VERSION_NUM >= 180000
#define RFM_FORM_MINIMAL_TUPLE(desc, values, isnull) heap_form_minimal_tuple((desc), (values), (isnull), 0)
#else
#define RFM_FORM_MINIMAL_TUPLE(desc, values, isnull) heap_form_minimal_tuple((desc), (values), (isnull))
#endif
/*
 * 14 added int64_div_fast_to_numeric (an int64 over a power of ten, at that
 * display scale); 13 makes a money's numeric through numeric_in only.
 */
#if PG_VERSION_NUM >= 140000
#define RFM_HAVE_INT64_DIV_FAST_TO_NUMERIC 1
#endif
/* ============== end of the planner's choice of the engine (issue 19) ============== */

#endif							/* RFM_COMPAT_H */
