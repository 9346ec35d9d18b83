/*
 * breaks_agg.c: the rfm_breaks(summary [, bins]) aggregate.
 *
 * Cut points need every key, so the internal state collects each summary's
 * three keys (40 bytes a customer) and the final function sorts them once.
 * Monetary keys are kept at the largest scale seen, rescaling the collected
 * ones on the rare step up, so the final sort compares plain integers.
 *
 * Since 0.2 (rfm_breaks_trans_lapsed_apart) lapsed summaries are left out,
 * as the window function leaves them out of N and L: the cut points are
 * those of the active summaries, and scoring against them gives a lapsed
 * summary 111 by rule.  A set of only lapsed summaries still has cut points
 * (every score above 1 unreached), so that scoring against them matches the
 * window's 111.  The 0.1 symbol rfm_breaks_trans keeps counting them.
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/memutils.h"

#include "agg_state.h"
#include "breaks.h"
#include "money.h"
#include "rank.h"

PG_FUNCTION_INFO_V1(rfm_breaks_trans);
PG_FUNCTION_INFO_V1(rfm_breaks_trans_lapsed_apart);
PG_FUNCTION_INFO_V1(rfm_breaks_combine);
PG_FUNCTION_INFO_V1(rfm_breaks_serialize);
PG_FUNCTION_INFO_V1(rfm_breaks_deserialize);
PG_FUNCTION_INFO_V1(rfm_breaks_final);

typedef struct BreaksState
{
	int			bins;
	int16		scale;			/* of every money key */
	int16		dscale;
	int64		n;
	int64		capacity;
	int64	   *recency_days;
	int64	   *frequency;
	int128	   *money;
} BreaksState;

static BreaksState *
new_breaks_state(MemoryContext context, int bins, int64 capacity)
{
	BreaksState *state = MemoryContextAllocZero(context, sizeof(BreaksState));

	state->bins = bins;
	state->capacity = Max(capacity, 64);
	state->recency_days = MemoryContextAllocHuge(context, state->capacity * sizeof(int64));
	state->frequency = MemoryContextAllocHuge(context, state->capacity * sizeof(int64));
	state->money = MemoryContextAllocHuge(context, state->capacity * sizeof(int128));
	return state;
}

static void
reserve(BreaksState *state, int64 more)
{
	int64		needed = state->n + more;

	if (needed <= state->capacity)
		return;
	state->capacity = Max(needed, state->capacity * 2);
	state->recency_days = repalloc_huge(state->recency_days, state->capacity * sizeof(int64));
	state->frequency = repalloc_huge(state->frequency, state->capacity * sizeof(int64));
	state->money = repalloc_huge(state->money, state->capacity * sizeof(int128));
}

static void
rescale(BreaksState *state, int scale)
{
	int64		i;

	if (scale <= state->scale)
		return;
	for (i = 0; i < state->n; i++)
		if (__builtin_mul_overflow(state->money[i], rfm_pow10[scale - state->scale], &state->money[i]) ||
			!rfm_money_in_range(state->money[i]))
			rfm_money_overflow();
	state->scale = scale;
}

static int128
money_at(const BreaksState *state, int128 value, int scale)
{
	if (scale < state->scale &&
		(__builtin_mul_overflow(value, rfm_pow10[state->scale - scale], &value) ||
		 !rfm_money_in_range(value)))
		rfm_money_overflow();
	return value;
}

static void
check_bins(int bins)
{
	if (bins < RFM_MIN_BINS || bins > RFM_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of bins must be between %d and %d, got %d",
						RFM_MIN_BINS, RFM_MAX_BINS, bins),
				 errhint("Use 5 for quintiles.")));
}

static void
bins_mismatch(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("number of bins must be the same for every row of rfm_breaks")));
}

/*
 * (state, summary [, bins]); NULL summaries do not count, like the window's.
 * With lapsed_apart, a lapsed summary only makes sure a state exists.
 */
static Datum
breaks_transition(FunctionCallInfo fcinfo, bool lapsed_apart)
{
	MemoryContext aggcontext;
	BreaksState *state = PG_ARGISNULL(0) ? NULL : (BreaksState *) PG_GETARG_POINTER(0);
	RfmSummary *s;
	int			bins = 5;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "rfm_breaks_trans called in non-aggregate context");
	if (PG_ARGISNULL(1) || (PG_NARGS() > 2 && PG_ARGISNULL(2)))
		RFM_RETURN_STATE(state);
	if (PG_NARGS() > 2)
		bins = PG_GETARG_INT32(2);
	s = PG_GETARG_RFM_SUMMARY_P(1);
	if (rfm_summary_is_empty(s))
		RFM_RETURN_STATE(state);

	if (state == NULL)
	{
		check_bins(bins);
		state = new_breaks_state(aggcontext, bins, 0);
	}
	else if (state->bins != bins)
		bins_mismatch();
	if (lapsed_apart && rfm_summary_is_lapsed(s))
		RFM_RETURN_STATE(state);

	reserve(state, 1);
	rescale(state, s->scale);
	state->dscale = Max(state->dscale, s->dscale);
	state->recency_days[state->n] = rfm_whole_days(s->last_order, s->as_of);
	state->frequency[state->n] = s->frequency;
	state->money[state->n] = money_at(state, s->money, s->scale);
	state->n++;
	RFM_RETURN_STATE(state);
}

/* 0.1: lapsed summaries count like the others. */
Datum
rfm_breaks_trans(PG_FUNCTION_ARGS)
{
	return breaks_transition(fcinfo, false);
}

/* 0.2: cut points of the summaries with an order in the period. */
Datum
rfm_breaks_trans_lapsed_apart(PG_FUNCTION_ARGS)
{
	return breaks_transition(fcinfo, true);
}

static void
append_state(BreaksState *into, const BreaksState *from)
{
	int64		i;

	if (into->bins != from->bins)
		bins_mismatch();
	reserve(into, from->n);
	rescale(into, from->scale);
	into->dscale = Max(into->dscale, from->dscale);
	memcpy(into->recency_days + into->n, from->recency_days, from->n * sizeof(int64));
	memcpy(into->frequency + into->n, from->frequency, from->n * sizeof(int64));
	for (i = 0; i < from->n; i++)
		into->money[into->n + i] = money_at(into, from->money[i], from->scale);
	into->n += from->n;
}

Datum
rfm_breaks_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	BreaksState *into = PG_ARGISNULL(0) ? NULL : (BreaksState *) PG_GETARG_POINTER(0);
	BreaksState *from = PG_ARGISNULL(1) ? NULL : (BreaksState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "rfm_breaks_combine called in non-aggregate context");
	if (from == NULL)
		RFM_RETURN_STATE(into);
	if (into == NULL)
	{
		/* the first input is not ours to keep: copy into the aggregate's context */
		into = new_breaks_state(aggcontext, from->bins, from->n);
		into->scale = from->scale;
	}
	append_state(into, from);
	RFM_RETURN_STATE(into);
}

Datum
rfm_breaks_serialize(PG_FUNCTION_ARGS)
{
	BreaksState *state = (BreaksState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int64		i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "rfm_breaks_serialize called in non-aggregate context");
	pq_begintypsend(&buf);
	pq_sendint32(&buf, state->bins);
	pq_sendint16(&buf, state->scale);
	pq_sendint16(&buf, state->dscale);
	pq_sendint64(&buf, state->n);
	for (i = 0; i < state->n; i++)
	{
		pq_sendint64(&buf, state->recency_days[i]);
		pq_sendint64(&buf, state->frequency[i]);
		pq_sendint64(&buf, (int64) (state->money[i] >> 64));
		pq_sendint64(&buf, (int64) (uint64) state->money[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_breaks_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	BreaksState *state;
	int			bins;
	int64		n;
	int64		i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "rfm_breaks_deserialize called in non-aggregate context");
	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
	bins = pq_getmsgint(&buf, 4);
	/* deserialize allocates in the current context, as the docs ask */
	state = new_breaks_state(CurrentMemoryContext, bins, 0);
	state->scale = (int16) pq_getmsgint(&buf, 2);
	state->dscale = (int16) pq_getmsgint(&buf, 2);
	n = pq_getmsgint64(&buf);
	reserve(state, n);
	for (i = 0; i < n; i++)
	{
		int64		high;

		state->recency_days[i] = pq_getmsgint64(&buf);
		state->frequency[i] = pq_getmsgint64(&buf);
		high = pq_getmsgint64(&buf);
		state->money[i] = (int128) (((uint128) (uint64) high << 64) |
									(uint64) pq_getmsgint64(&buf));
	}
	state->n = n;
	pq_getmsgend(&buf);
	pfree(buf.data);
	RFM_RETURN_STATE(state);
}

/* Ascending keys of one dimension, bigger is better. */
static void
sorted_keys(const int64 *values, int64 n, bool negate, int128 *out)
{
	int64		i;

	for (i = 0; i < n; i++)
		out[i] = negate ? -(int128) values[i] : (int128) values[i];
	rfm_sort128(out, n);
}

/*
 * Recency cuts come out as keys -days, best score last.  A cut c means
 * "days <= -c reaches the score", i.e. 1 - c days costs the point; the
 * list is reversed so that the day counts ascend.
 */
static void
recency_cuts_to_days(RfmBreaks *b)
{
	int			n = b->cuts[RFM_DIM_RECENCY];
	int128		days[RFM_MAX_CUTS];
	int			i;

	for (i = 0; i < n; i++)
	{
		int128		c = b->cut[RFM_DIM_RECENCY][n - 1 - i];

		days[i] = c == RFM_CUT_INFINITY ? RFM_CUT_MINUS_INFINITY : 1 - c;
	}
	memcpy(b->cut[RFM_DIM_RECENCY], days, n * sizeof(int128));
}

Datum
rfm_breaks_final(PG_FUNCTION_ARGS)
{
	BreaksState *state = PG_ARGISNULL(0) ? NULL : (BreaksState *) PG_GETARG_POINTER(0);
	RfmBreaks  *b;
	int128	   *keys;
	int			i;

	/* a state with no key saw only lapsed summaries: nothing reaches 2 */
	if (state == NULL)
		PG_RETURN_NULL();

	b = palloc0(sizeof(RfmBreaks));
	keys = palloc_extended(state->n * sizeof(int128), MCXT_ALLOC_HUGE);
	for (i = 0; i < RFM_DIMS; i++)
		b->cuts[i] = state->bins - 1;
	b->money_scale = state->scale;
	b->money_dscale = state->dscale;

	sorted_keys(state->recency_days, state->n, true, keys);
	rfm_cut_points(keys, state->n, state->bins, b->cut[RFM_DIM_RECENCY]);
	recency_cuts_to_days(b);
	sorted_keys(state->frequency, state->n, false, keys);
	rfm_cut_points(keys, state->n, state->bins, b->cut[RFM_DIM_FREQUENCY]);

	memcpy(keys, state->money, state->n * sizeof(int128));
	rfm_sort128(keys, state->n);
	rfm_cut_points(keys, state->n, state->bins, b->cut[RFM_DIM_MONETARY]);

	pfree(keys);
	PG_RETURN_POINTER(b);
}
