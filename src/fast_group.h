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

extern bool rfm_fast_grouping;

/* custom_private of the plan node: Integer nodes, in this order */
enum
{
	FG_PRIVATE_TIME_KIND,		/* RfmTimeKind of ordered_at and as_of */
	FG_PRIVATE_AMOUNT_KIND,		/* RfmAmountKind */
	FG_PRIVATE_KEY_TYPE,		/* INT2OID, INT4OID or INT8OID */
	FG_PRIVATE_TRANSFN,			/* the aggregate's transition function */
	FG_PRIVATE_GROUPS,			/* the planner's estimate of customers */
	FG_PRIVATE_COUNT
};

extern const CustomScanMethods rfm_fast_group_scan_methods;

extern void rfm_fast_group_init(void);

#endif							/* RFM_FAST_GROUP_H */
