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

#include "nodes/extensible.h"

#define RFM_FAST_GROUP_NAME "RFM HashAggregate"
#define RFM_FAST_GROUP_PARTIAL_NAME "RFM Partial HashAggregate"
#define RFM_FAST_GROUP_FINAL_NAME "RFM Finalize HashAggregate"

extern bool rfm_fast_grouping;

/*
 * What one node does: the whole grouping, or one of its two steps in a
 * parallel plan (each worker groups its share into partial summaries, the
 * leader merges those it gathers).
 */
typedef enum FgMode
{
	FG_MODE_SIMPLE,				/* order rows -> summaries */
	FG_MODE_PARTIAL,			/* order rows -> partial summaries, in a worker */
	FG_MODE_FINAL				/* partial summaries -> summaries */
} FgMode;

/* custom_private of the plan node: Integer nodes, in this order */
enum
{
	FG_PRIVATE_MODE,
	FG_PRIVATE_TIME_KIND,		/* RfmTimeKind of ordered_at and as_of */
	FG_PRIVATE_AMOUNT_KIND,		/* RfmAmountKind */
	FG_PRIVATE_KEY_TYPE,		/* INT2OID, INT4OID or INT8OID */
	FG_PRIVATE_TRANSFN,			/* the aggregate's transition function */
	FG_PRIVATE_GROUPS,			/* the planner's estimate of customers */
	FG_PRIVATE_COUNT
};

extern const CustomScanMethods rfm_fast_group_scan_methods[3];	/* by FgMode */

extern void rfm_fast_group_init(void);

#endif							/* RFM_FAST_GROUP_H */
