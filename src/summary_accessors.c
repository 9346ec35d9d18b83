/*
 * summary_accessors.c: the figures an analyst reads off an rfm_summary.
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

#include "money.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(rfm_summary_recency);
PG_FUNCTION_INFO_V1(rfm_summary_frequency);
PG_FUNCTION_INFO_V1(rfm_summary_monetary);
PG_FUNCTION_INFO_V1(rfm_summary_avg_order_value);
PG_FUNCTION_INFO_V1(rfm_summary_orders_ever);
PG_FUNCTION_INFO_V1(rfm_summary_first_order);
PG_FUNCTION_INFO_V1(rfm_summary_last_order);
PG_FUNCTION_INFO_V1(rfm_summary_as_of);
PG_FUNCTION_INFO_V1(rfm_summary_tenure);
PG_FUNCTION_INFO_V1(rfm_summary_purchase_span);

/* Figures that need an order are NULL for a summary of no orders. */
#define RETURN_NULL_IF_EMPTY(s) \
	do { if (rfm_summary_is_empty(s)) PG_RETURN_NULL(); } while (0)

Datum
rfm_summary_recency(PG_FUNCTION_ARGS)
{
	RfmSummary *s = PG_GETARG_RFM_SUMMARY_P(0);

	RETURN_NULL_IF_EMPTY(s);
	PG_RETURN_INT32((int32) rfm_whole_days(s->last_order, s->as_of));
}

Datum
rfm_summary_tenure(PG_FUNCTION_ARGS)
{
	RfmSummary *s = PG_GETARG_RFM_SUMMARY_P(0);

	RETURN_NULL_IF_EMPTY(s);
	PG_RETURN_INT32((int32) rfm_whole_days(s->first_order, s->as_of));
}

Datum
rfm_summary_purchase_span(PG_FUNCTION_ARGS)
{
	RfmSummary *s = PG_GETARG_RFM_SUMMARY_P(0);

	RETURN_NULL_IF_EMPTY(s);
	PG_RETURN_INT32((int32) rfm_whole_days(s->first_order, s->last_order));
}

Datum
rfm_summary_frequency(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_RFM_SUMMARY_P(0)->frequency);
}

Datum
rfm_summary_orders_ever(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_RFM_SUMMARY_P(0)->orders_ever);
}

static Datum
monetary_numeric(const RfmSummary *s)
{
	return rfm_money_to_numeric(s->money, s->scale, s->dscale);
}

Datum
rfm_summary_monetary(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(monetary_numeric(PG_GETARG_RFM_SUMMARY_P(0)));
}

/* monetary / frequency, with numeric division as avg(numeric) does it. */
Datum
rfm_summary_avg_order_value(PG_FUNCTION_ARGS)
{
	RfmSummary *s = PG_GETARG_RFM_SUMMARY_P(0);

	if (s->frequency == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_div, monetary_numeric(s),
										DirectFunctionCall1(int8_numeric,
															Int64GetDatum(s->frequency))));
}

/* Instants of date and timestamp summaries convert as a cast to timestamptz would. */
static Datum
instant_timestamptz(const RfmSummary *s, int64 t)
{
	if (s->kind == RFM_TIME_TIMESTAMPTZ)
		return TimestampTzGetDatum(t);
	return DirectFunctionCall1(timestamp_timestamptz, TimestampGetDatum(t));
}

Datum
rfm_summary_first_order(PG_FUNCTION_ARGS)
{
	RfmSummary *s = PG_GETARG_RFM_SUMMARY_P(0);

	RETURN_NULL_IF_EMPTY(s);
	PG_RETURN_DATUM(instant_timestamptz(s, s->first_order));
}

Datum
rfm_summary_last_order(PG_FUNCTION_ARGS)
{
	RfmSummary *s = PG_GETARG_RFM_SUMMARY_P(0);

	RETURN_NULL_IF_EMPTY(s);
	PG_RETURN_DATUM(instant_timestamptz(s, s->last_order));
}

Datum
rfm_summary_as_of(PG_FUNCTION_ARGS)
{
	RfmSummary *s = PG_GETARG_RFM_SUMMARY_P(0);

	PG_RETURN_DATUM(instant_timestamptz(s, s->as_of));
}
