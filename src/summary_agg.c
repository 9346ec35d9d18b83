/*
 * summary_agg.c: the rfm_summary aggregate.
 *
 * The state is the rfm_summary struct itself, updated in place.  The
 * transition function runs once per order row, so it does no allocation
 * and no numeric arithmetic: one comparison against as_of, a min/max, two
 * counters and an integer add.
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

#include "money.h"
#include "order_row.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(rfm_summary_combine);
PG_FUNCTION_INFO_V1(rfm_summary_final);

/* The period of the last row seen, so that its start is computed once. */
typedef struct PeriodCache
{
	Interval	period;
	int64		as_of;
	int64		since;
} PeriodCache;

static void
as_of_mismatch(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("as_of must be the same for every row of a group"),
			 errhint("Pass one constant instant as the third argument of rfm_summary, e.g. a query parameter or now().")));
}

static void
period_mismatch(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("period must be the same for every row of a group"),
			 errhint("Pass one constant interval as the fourth argument of rfm_summary.")));
}

/*
 * Start of the period (as_of - period, as_of].  timestamptz instants are
 * shifted in UTC, so the period does not depend on the session TimeZone.
 */
static int64
period_start(FunctionCallInfo fcinfo, int64 as_of, Interval *period)
{
	PeriodCache *cache = (PeriodCache *) fcinfo->flinfo->fn_extra;
	int64		since;

	if (cache && cache->as_of == as_of &&
		memcmp(&cache->period, period, sizeof(Interval)) == 0)
		return cache->since;

	/* PostgreSQL 17+: as_of - 'infinity' would be -infinity, no instant. */
	if (INTERVAL_NOT_FINITE(period))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must be finite"),
				 errhint("Give the length of the period to count orders in, e.g. interval '1 year'.")));
	since = DatumGetTimestamp(DirectFunctionCall2(timestamp_mi_interval,
												  TimestampGetDatum(as_of),
												  IntervalPGetDatum(period)));
	if (since >= as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must be positive"),
				 errhint("Give the length of the period to count orders in, e.g. interval '1 year'.")));

	if (cache == NULL)
		cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(PeriodCache));
	cache->period = *period;
	cache->as_of = as_of;
	cache->since = since;
	fcinfo->flinfo->fn_extra = cache;
	return since;
}

static RfmSummary *
new_state(FunctionCallInfo fcinfo, RfmTimeKind kind, int64 as_of)
{
	MemoryContext aggcontext;
	RfmSummary *state;

	if (as_of == DT_NOBEGIN || as_of == DT_NOEND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be finite"),
				 errhint("Give the instant to take the summary at, e.g. now() or a date.")));

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		aggcontext = CurrentMemoryContext;
	state = MemoryContextAllocZero(aggcontext, sizeof(RfmSummary));
	state->kind = kind;
	state->as_of = as_of;
	if (PG_NARGS() > 4 && !PG_ARGISNULL(4))
	{
		state->flags |= RFM_HAS_PERIOD;
		state->since = period_start(fcinfo, as_of, PG_GETARG_INTERVAL_P(4));
	}
	return state;
}

/*
 * The state to update: in place inside an aggregate, else a copy.  A state
 * handed in from outside an aggregate may be any valid summary, so it must
 * be of this function's kind and have room to count one more order.
 */
static RfmSummary *
current_state(FunctionCallInfo fcinfo, RfmTimeKind kind, int64 as_of)
{
	RfmSummary *state = PG_GETARG_RFM_SUMMARY_P(0);

	if (!AggCheckCallContext(fcinfo, NULL))
	{
		RfmSummary *copy = palloc(sizeof(RfmSummary));

		memcpy(copy, state, sizeof(RfmSummary));
		state = copy;
		if (state->kind != kind)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot add an order of another date or time type to this rfm_summary")));
		if (state->orders_ever == PG_INT64_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("order count out of range for rfm_summary")));
	}
	if (state->as_of != as_of)
		as_of_mismatch();
	if (PG_NARGS() > 4)
	{
		bool		has_period = !PG_ARGISNULL(4);

		if (has_period != ((state->flags & RFM_HAS_PERIOD) != 0) ||
			(has_period &&
			 period_start(fcinfo, as_of, PG_GETARG_INTERVAL_P(4)) != state->since))
			period_mismatch();
	}
	return state;
}

static inline void
add_amount(RfmSummary *state, RfmAmountKind amount_kind, Datum amount)
{
	RfmAmount	a;

	rfm_amount_of(amount_kind, amount, &a);
	rfm_money_accumulate(&state->money, &state->scale, a.value, a.scale);
	if (a.dscale > state->dscale)
		state->dscale = a.dscale;
}

/*
 * One order row: (state, ordered_at, amount, as_of [, period]).  A row with
 * a NULL ordered_at, amount or as_of is skipped, as sum() skips NULL.
 */
static inline Datum
summary_transition(FunctionCallInfo fcinfo, RfmTimeKind kind, RfmAmountKind amount_kind)
{
	RfmSummary *state;
	int64		as_of;
	int64		ordered_at;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}

	as_of = rfm_instant_of(kind, PG_GETARG_DATUM(3));
	state = PG_ARGISNULL(0) ? new_state(fcinfo, kind, as_of)
		: current_state(fcinfo, kind, as_of);

	ordered_at = rfm_instant_of(kind, PG_GETARG_DATUM(1));
	if (ordered_at > state->as_of)
		PG_RETURN_RFM_SUMMARY_P(state);
	if (ordered_at == DT_NOBEGIN)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("ordered_at must be finite"),
				 errdetail("An order placed at -infinity has no recency.")));

	if (state->orders_ever++ == 0)
		state->first_order = state->last_order = ordered_at;
	else if (ordered_at < state->first_order)
		state->first_order = ordered_at;
	else if (ordered_at > state->last_order)
		state->last_order = ordered_at;

	if (!(state->flags & RFM_HAS_PERIOD) || ordered_at > state->since)
	{
		state->frequency++;
		add_amount(state, amount_kind, PG_GETARG_DATUM(2));
	}
	PG_RETURN_RFM_SUMMARY_P(state);
}

#define RFM_TRANSITION(name, kind, amount_kind) \
	PG_FUNCTION_INFO_V1(name); \
	Datum name(PG_FUNCTION_ARGS) { return summary_transition(fcinfo, kind, amount_kind); }

RFM_TRANSITION(rfm_summary_trans_date_numeric, RFM_TIME_DATE, RFM_AMOUNT_NUMERIC)
RFM_TRANSITION(rfm_summary_trans_date_float8, RFM_TIME_DATE, RFM_AMOUNT_FLOAT8)
RFM_TRANSITION(rfm_summary_trans_date_int8, RFM_TIME_DATE, RFM_AMOUNT_INT8)
RFM_TRANSITION(rfm_summary_trans_date_int4, RFM_TIME_DATE, RFM_AMOUNT_INT4)
RFM_TRANSITION(rfm_summary_trans_ts_numeric, RFM_TIME_TIMESTAMP, RFM_AMOUNT_NUMERIC)
RFM_TRANSITION(rfm_summary_trans_ts_float8, RFM_TIME_TIMESTAMP, RFM_AMOUNT_FLOAT8)
RFM_TRANSITION(rfm_summary_trans_ts_int8, RFM_TIME_TIMESTAMP, RFM_AMOUNT_INT8)
RFM_TRANSITION(rfm_summary_trans_ts_int4, RFM_TIME_TIMESTAMP, RFM_AMOUNT_INT4)
RFM_TRANSITION(rfm_summary_trans_tstz_numeric, RFM_TIME_TIMESTAMPTZ, RFM_AMOUNT_NUMERIC)
RFM_TRANSITION(rfm_summary_trans_tstz_float8, RFM_TIME_TIMESTAMPTZ, RFM_AMOUNT_FLOAT8)
RFM_TRANSITION(rfm_summary_trans_tstz_int8, RFM_TIME_TIMESTAMPTZ, RFM_AMOUNT_INT8)
RFM_TRANSITION(rfm_summary_trans_tstz_int4, RFM_TIME_TIMESTAMPTZ, RFM_AMOUNT_INT4)
/* money: STABLE in SQL, as its scale follows lc_monetary */
RFM_TRANSITION(rfm_summary_trans_date_money, RFM_TIME_DATE, RFM_AMOUNT_MONEY)
RFM_TRANSITION(rfm_summary_trans_ts_money, RFM_TIME_TIMESTAMP, RFM_AMOUNT_MONEY)
RFM_TRANSITION(rfm_summary_trans_tstz_money, RFM_TIME_TIMESTAMPTZ, RFM_AMOUNT_MONEY)

/*
 * Merges two partial summaries of the same customer.  A partial state that
 * saw only orders after as_of has orders_ever = 0 and contributes nothing.
 */
Datum
rfm_summary_combine(PG_FUNCTION_ARGS)
{
	RfmSummary *into = PG_GETARG_RFM_SUMMARY_P(0);
	RfmSummary *from = PG_GETARG_RFM_SUMMARY_P(1);

	if (!AggCheckCallContext(fcinfo, NULL))
	{
		RfmSummary *copy = palloc(sizeof(RfmSummary));

		memcpy(copy, into, sizeof(RfmSummary));
		into = copy;
	}
	rfm_summary_check_same_frame(into, from);

	if (from->orders_ever == 0)
		PG_RETURN_RFM_SUMMARY_P(into);
	if (into->orders_ever == 0)
	{
		memcpy(into, from, sizeof(RfmSummary));
		PG_RETURN_RFM_SUMMARY_P(into);
	}

	into->first_order = Min(into->first_order, from->first_order);
	into->last_order = Max(into->last_order, from->last_order);
	if (__builtin_add_overflow(into->orders_ever, from->orders_ever, &into->orders_ever) ||
		__builtin_add_overflow(into->frequency, from->frequency, &into->frequency))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("order count out of range for rfm_summary")));
	rfm_money_accumulate(&into->money, &into->scale, from->money, from->scale);
	into->dscale = Max(into->dscale, from->dscale);
	PG_RETURN_RFM_SUMMARY_P(into);
}

/* A customer with no order on or before as_of has no summary. */
Datum
rfm_summary_final(PG_FUNCTION_ARGS)
{
	RfmSummary *state = PG_GETARG_RFM_SUMMARY_P(0);
	RfmSummary *result;

	if (state->orders_ever == 0)
		PG_RETURN_NULL();
	result = palloc(sizeof(RfmSummary));
	memcpy(result, state, sizeof(RfmSummary));
	PG_RETURN_RFM_SUMMARY_P(result);
}
