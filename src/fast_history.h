/*
 * fast_history.h: rfm_history on the fast grouping engine.
 *
 * SELECT key, rfm_history(ordered_at, amount, as_of, unit) ... GROUP BY key,
 * with one integer key, is planned (fast_history_plan.c), when
 * rfm.fast_grouping is on and it is cheaper, as a CustomScan "RFM History
 * HashAggregate" (fast_history_exec.c) that folds each customer's orders
 * into one fixed entry (fast_history_table.c) instead of Agg's list of
 * every order.
 */
#ifndef RFM_FAST_HISTORY_H
#define RFM_FAST_HISTORY_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/extensible.h"
#include "nodes/pathnodes.h"

#define RFM_FAST_HISTORY_NAME "RFM History HashAggregate"

/* custom_private of the plan node: Integer nodes, in this order */
enum
{
	FH_PRIVATE_TIME_KIND,		/* RfmTimeKind of ordered_at and as_of */
	FH_PRIVATE_AMOUNT_KIND,		/* RfmAmountKind */
	FH_PRIVATE_KEY_TYPE,		/* INT2OID, INT4OID or INT8OID */
	FH_PRIVATE_GROUPS,			/* the planner's estimate of customers */
	FH_PRIVATE_ROWS,			/* and of order rows */
	FH_PRIVATE_COUNT
};

extern const CustomScanMethods rfm_fast_history_scan_methods;

extern void rfm_fast_history_init(void);

/* create_upper_paths_hook at UPPERREL_GROUP_AGG (extra: GroupPathExtraData) */
extern void rfm_fast_history_paths(PlannerInfo *root, RelOptInfo *input_rel,
								   RelOptInfo *output_rel, void *extra);

#endif							/* RFM_FAST_HISTORY_H */
