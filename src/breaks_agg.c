/*
 * breaks_agg.c: the rfm_breaks(summary [, bins]) aggregate.
 *
 * Cut points need every key, so the internal state collects each summary's
 * three keys (a BreaksRecord, 32 bytes a customer) and the final function
 * sorts them once.
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
#include "score.h"

PG_FUNCTION_INFO_V1(rfm_breaks_trans);
PG_FUNCTION_INFO_V1(rfm_breaks_trans_lapsed_apart);
PG_FUNCTION_INFO_V1(rfm_breaks_combine);
PG_FUNCTION_INFO_V1(rfm_breaks_serialize);
PG_FUNCTION_INFO_V1(rfm_breaks_deserialize);
PG_FUNCTION_INFO_V1(rfm_breaks_final);

/* One summary's keys; money at the state's scale. */
typedef struct BreaksRecord
{
	int128		money;
	int64		recency_days;
	int64		frequency;
} BreaksRecord;

static void
send_record(StringInfo buf, const void *record)
{
	const BreaksRecord *r = record;

	pq_sendint64(buf, r->recency_days);
	pq_sendint64(buf, r->frequency);
	rfm_money_send(buf, r->money);
}

static void
recv_record(StringInfo buf, void *record)
{
	BreaksRecord *r = record;

	r->recency_days = pq_getmsgint64(buf);
	r->frequency = pq_getmsgint64(buf);
	r->money = rfm_money_recv(buf);
}

static const RfmRecordForm breaks_form = {sizeof(BreaksRecord), 64, send_record, recv_record};

typedef struct BreaksState
{
	RfmRecords	keys;
	int			bins;
	int16		scale;			/* of every money key */
	int16		dscale;
} BreaksState;

static BreaksState *
new_breaks_state(MemoryContext context, int bins)
{
	BreaksState *state = rfm_records_state_new(context, sizeof(BreaksState), &breaks_form, 0);

	state->bins = bins;
	return state;
}

static void
rescale(BreaksState *state, int scale)
{
	int64		i;

	if (scale <= state->scale)
		return;
	for (i = 0; i < state->keys.n; i++)
	{
		int128	   *money = &RFM_RECORD(&state->keys, BreaksRecord, i)->money;

		if (__builtin_mul_overflow(*money, rfm_pow10[scale - state->scale], money) ||
			!rfm_money_in_range(*money))
			rfm_money_overflow();
	}
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
breaks_transition(FunctionCallInfo fcinfo, bool lapsed_apart, const char *name)
{
	MemoryContext aggcontext = rfm_agg_context(fcinfo, name);
	BreaksState *state = PG_ARGISNULL(0) ? NULL : (BreaksState *) PG_GETARG_POINTER(0);
	RfmSummary *s;
	BreaksRecord *r;
	int			bins = 5;

	if (PG_ARGISNULL(1) || (PG_NARGS() > 2 && PG_ARGISNULL(2)))
		RFM_RETURN_STATE(state);
	if (PG_NARGS() > 2)
		bins = PG_GETARG_INT32(2);
	s = PG_GETARG_RFM_SUMMARY_P(1);
	if (rfm_summary_is_empty(s))
		RFM_RETURN_STATE(state);

	if (state == NULL)
	{
		rfm_check_bins(bins);
		state = new_breaks_state(aggcontext, bins);
	}
	else if (state->bins != bins)
		bins_mismatch();
	if (lapsed_apart && rfm_summary_is_lapsed(s))
		RFM_RETURN_STATE(state);

	rescale(state, s->scale);
	state->dscale = Max(state->dscale, s->dscale);
	r = rfm_records_append(&state->keys);
	r->recency_days = rfm_whole_days(s->last_order, s->as_of);
	r->frequency = s->frequency;
	r->money = money_at(state, s->money, s->scale);
	RFM_RETURN_STATE(state);
}

/* 0.1: lapsed summaries count like the others. */
Datum
rfm_breaks_trans(PG_FUNCTION_ARGS)
{
	return breaks_transition(fcinfo, false, "rfm_breaks_trans");
}

/* 0.2: cut points of the summaries with an order in the period. */
Datum
rfm_breaks_trans_lapsed_apart(PG_FUNCTION_ARGS)
{
	return breaks_transition(fcinfo, true, "rfm_breaks_trans_lapsed_apart");
}

static void
append_state(BreaksState *into, const BreaksState *from)
{
	int64		i;

	if (into->bins != from->bins)
		bins_mismatch();
	rescale(into, from->scale);
	into->dscale = Max(into->dscale, from->dscale);
	rfm_records_reserve(&into->keys, from->keys.n);
	for (i = 0; i < from->keys.n; i++)
	{
		const BreaksRecord *source = RFM_RECORD(&from->keys, BreaksRecord, i);
		BreaksRecord *target = rfm_records_append(&into->keys);

		target->recency_days = source->recency_days;
		target->frequency = source->frequency;
		target->money = money_at(into, source->money, from->scale);
	}
}

Datum
rfm_breaks_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "rfm_breaks_combine");
	BreaksState *into = PG_ARGISNULL(0) ? NULL : (BreaksState *) PG_GETARG_POINTER(0);
	BreaksState *from = PG_ARGISNULL(1) ? NULL : (BreaksState *) PG_GETARG_POINTER(1);

	if (from == NULL)
		RFM_RETURN_STATE(into);
	if (into == NULL)
		RFM_RETURN_STATE(rfm_records_combine(aggcontext, NULL, from, sizeof(BreaksState)));
	append_state(into, from);
	RFM_RETURN_STATE(into);
}

Datum
rfm_breaks_serialize(PG_FUNCTION_ARGS)
{
	BreaksState *state = (BreaksState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	rfm_agg_context(fcinfo, "rfm_breaks_serialize");
	pq_begintypsend(&buf);
	pq_sendint32(&buf, state->bins);
	pq_sendint16(&buf, state->scale);
	pq_sendint16(&buf, state->dscale);
	rfm_records_send(&buf, &state->keys);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_breaks_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	BreaksState *state;

	rfm_agg_context(fcinfo, "rfm_breaks_deserialize");
	rfm_state_receive(PG_GETARG_BYTEA_PP(0), &buf);
	/* deserialize allocates in the current context, as the docs ask */
	state = new_breaks_state(CurrentMemoryContext, pq_getmsgint(&buf, 4));
	state->scale = (int16) pq_getmsgint(&buf, 2);
	state->dscale = (int16) pq_getmsgint(&buf, 2);
	rfm_records_recv(&buf, &state->keys);
	RFM_RETURN_STATE(state);
}

/* Ascending keys of one dimension, bigger is better: fewer days is better. */
static void
sorted_keys(const RfmRecords *keys, int dim, int128 *out)
{
	int64		i;

	for (i = 0; i < keys->n; i++)
	{
		const BreaksRecord *r = RFM_RECORD(keys, BreaksRecord, i);

		out[i] = dim == RFM_DIM_RECENCY ? -(int128) r->recency_days :
			dim == RFM_DIM_FREQUENCY ? (int128) r->frequency : r->money;
	}
	rfm_sort128(out, keys->n);
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
	keys = palloc_extended(state->keys.n * sizeof(int128), MCXT_ALLOC_HUGE);
	for (i = 0; i < RFM_DIMS; i++)
		b->cuts[i] = state->bins - 1;
	b->money_scale = state->scale;
	b->money_dscale = state->dscale;

	sorted_keys(&state->keys, RFM_DIM_RECENCY, keys);
	rfm_cut_points(keys, state->keys.n, state->bins, b->cut[RFM_DIM_RECENCY]);
	recency_cuts_to_days(b);
	sorted_keys(&state->keys, RFM_DIM_FREQUENCY, keys);
	rfm_cut_points(keys, state->keys.n, state->bins, b->cut[RFM_DIM_FREQUENCY]);
	sorted_keys(&state->keys, RFM_DIM_MONETARY, keys);
	rfm_cut_points(keys, state->keys.n, state->bins, b->cut[RFM_DIM_MONETARY]);

	pfree(keys);
	PG_RETURN_POINTER(b);
}
