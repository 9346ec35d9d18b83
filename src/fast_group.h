/*
 * fast_group.h: the fast grouping engine.
 *
 * SELECT key, rfm_summary(ordered_at, amount, as_of [, period]) ... GROUP BY key
 * is planned, when rfm.fast_grouping is on and the query has that shape,
 * as a CustomScan "RFM HashAggregate" that builds every summary in one pass
 * over its own hash table (fast_group_table.c) instead of PostgreSQL's Agg.
 */
#ifndef RFM_FAST_GROUP_H
#define RFM_FAST_GROUP_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/extensible.h"
#include "nodes/pathnodes.h"

#include "order_row.h"
#include "summary.h"

#define RFM_FAST_GROUP_NAME "RFM HashAggregate"
#define RFM_FAST_GROUP_PARTIAL_NAME "RFM Partial HashAggregate"
#define RFM_FAST_GROUP_FINAL_NAME "RFM Finalize HashAggregate"
#define RFM_FAST_GROUP_PARALLEL_NAME "RFM Parallel HashAggregate"

/* rfm.fast_grouping */
typedef enum FgSetting
{
	FG_SETTING_OFF,
	FG_SETTING_ON,
	FG_SETTING_FORCE			/* the engine whatever the costs (measurements) */
} FgSetting;

extern int	rfm_fast_grouping;

/*
 * What one node does: the whole grouping; or one of the two steps of the
 * parallel plan of the cells path (each worker groups its share into
 * partial summaries, the leader merges those it gathers); or, on the fast
 * path, the whole grouping in every participant of a parallel plan, which
 * exchange partial summaries by customer (fast_group_parallel.h) so that
 * each emits final summaries of its own customers under Gather.
 */
typedef enum FgMode
{
	FG_MODE_SIMPLE,				/* order rows -> summaries */
	FG_MODE_PARTIAL,			/* order rows -> partial summaries, in a worker */
	FG_MODE_FINAL,				/* partial summaries -> summaries */
	FG_MODE_PARALLEL			/* order rows -> summaries of a share of the customers */
} FgMode;

#define FG_MODES 4

/* custom_private of the plan node: Integer nodes, in this order */
enum
{
	FG_PRIVATE_MODE,
	FG_PRIVATE_TIME_KIND,		/* RfmTimeKind of ordered_at and as_of */
	FG_PRIVATE_AMOUNT_KIND,		/* RfmAmountKind */
	FG_PRIVATE_KEY_TYPE,		/* INT2OID, INT4OID or INT8OID; InvalidOid: cells */
	FG_PRIVATE_TRANSFN,			/* the aggregate's transition function */
	FG_PRIVATE_GROUPS,			/* the planner's estimate of customers */
	FG_PRIVATE_KEYS,			/* key columns, then per key its equality and hash functions */
	FG_PRIVATE_COUNT
};

/*
 * The node's input columns: the key columns, ordered_at, amount, then the
 * arguments of the aggregates beside the summary, one after another.  Its
 * scan tuple (custom_scan_tlist): the key columns, the summary, those
 * aggregates.  A single integer key and the summary alone take the fast
 * path (batched, prefetched); anything else keeps its key values and
 * aggregates in cells after the entry (fast_group_cells.c), row by row and
 * serial only.
 */

extern const CustomScanMethods rfm_fast_group_scan_methods[FG_MODES];	/* by FgMode */

extern void rfm_fast_group_init(void);

/*
 * What rfm_summary costs Agg, as the support function of its transition
 * and final functions tells the planner (measured: fast_group_plan.c): a
 * transition per row; per group, charged
 * to the final function, which runs once a group, the hash table's work
 * that the planner's Agg estimate leaves out.
 */
#define RFM_SUMMARY_TRANS_COST (15.0 * cpu_operator_cost)
#define RFM_SUMMARY_GROUP_COST (300.0 * cpu_operator_cost)

/* create_upper_paths_hook at UPPERREL_GROUP_AGG (extra: GroupPathExtraData) */
extern void rfm_fast_group_paths(PlannerInfo *root, RelOptInfo *input_rel,
								 RelOptInfo *output_rel, void *extra);

/*
 * A transition function an engine knows, by address, and the kinds of
 * ordered_at and amount it reads.  Known by address, an aggregate is the
 * engine's whatever its name, schema or argument types; a kind added later
 * (not listed) keeps Agg.
 */
typedef struct FgAggregateKind
{
	PGFunction	transfn;
	RfmTimeKind time_kind;
	RfmAmountKind amount_kind;
} FgAggregateKind;

/*
 * The first call, in the grouping's output expressions, of an aggregate
 * whose final function is finalfn and whose transition function is one of
 * the nkinds kinds (the aggregate an engine serves), or NULL.  Its kind
 * into *kind and, unless transfn is NULL, its transition function into
 * *transfn.
 */
extern Aggref *rfm_fast_group_find_aggregate(List *exprs, PGFunction finalfn,
											 const FgAggregateKind *kinds, int nkinds,
											 FgAggregateKind *kind, Oid *transfn);

/*
 * Why a call of rfm's aggregate name cannot run on an engine (FILTER,
 * DISTINCT, ORDER BY, split, a volatile argument, or its constants -- the
 * arguments after ordered_at and amount -- depending on the row), or NULL.
 */
extern const char *rfm_fast_group_check_aggregate(const Aggref *aggref, const char *name,
												   const char *constants);

/* The C function behind a pg_proc entry (to recognize rfm's own functions). */
extern PGFunction rfm_function_address(Oid fn);

/* Whether path is an engine node (any mode). */
extern bool rfm_fast_group_is_engine_path(Path *path);

/* Whether ps is an engine node's state. */
extern bool rfm_fast_group_is_engine(PlanState *ps);

/*
 * Whether an engine that has begun emitting could start over and emit the
 * same rows in the same order from its table, without reading its input
 * again (not when its customers did not all fit in memory); if so, how many.
 */
extern bool rfm_fast_group_can_replay(PlanState *ps, int64 *rows);
extern void rfm_fast_group_replay(PlanState *ps);

/* Builds the engine's table if it has not been (before its first row). */
extern void rfm_fast_group_build(PlanState *ps);

/*
 * Calls visit with each summary the engine emits, in its order, without
 * emitting rows (NULL for a NULL summary); only when it can replay.
 */
extern void rfm_fast_group_visit(PlanState *ps,
								 void (*visit) (void *arg, const RfmSummary *summary),
								 void *arg);

/* The rfm_summary call an engine path computes. */
extern Aggref *rfm_fast_group_path_summary(Path *path);

/*
 * Whether an engine path's HAVING may drop a customer whose summary is not
 * NULL (one that a ranking of the emitted rows would count).
 */
extern bool rfm_fast_group_path_drops_summaries(Path *path);

#endif							/* RFM_FAST_GROUP_H */
