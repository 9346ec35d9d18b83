/*
 * rfm.c: module entry point and settings.
 */
#include "postgres.h"
#include "compat.h"

#include <limits.h>

#include "fmgr.h"
#include "utils/guc.h"

#include "fast_group.h"
#include "fast_history.h"
#include "fast_score.h"
#include "language.h"
#include "loyalty.h"
#include "planner_hooks.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomIntVariable("rfm.loyal_min_orders",
							"Orders in the period from which loyalty_class() calls a customer loyal.",
							"Used by loyalty_class(summary) when no threshold is passed.",
							&rfm_loyal_min_orders,
							RFM_DEFAULT_LOYAL_MIN_ORDERS, 1, INT_MAX,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	rfm_fast_group_init();
	rfm_fast_history_init();
	rfm_fast_score_init();
	rfm_language_init();
	rfm_planner_hooks_init();
	MarkGUCPrefixReserved("rfm");
}
