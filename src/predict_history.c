/*
 * predict_history.c: the rfm_history(ordered_at, amount, as_of, unit)
 * aggregate and its type, the per-customer inputs of BG/NBD and
 * Gamma-Gamma, defined as lifetimes' summary_data_from_transaction_data:
 *
 *   period(t)      = floor((t - 2000-01-03 00:00) / unit)   (date_bin's bins)
 *   x              = distinct periods with an order - 1
 *   t_x            = last period - first period
 *   T              = period(as_of) - first period
 *   monetary_value = mean over the repeat periods (all but the first) of
 *                    the period's summed amounts; 0 when x = 0
 *
 * Orders after as_of are ignored, as in rfm_summary.  Distinct periods need
 * the set of periods, so the internal state collects (period, amount) pairs
 * (32 bytes an order); the final function sorts them by period once.
 * Amounts are kept exactly (money.c: 128-bit integer and decimal scale,
 * double precision as its shortest decimal), so the period totals are exact
 * and independent of the order rows arrive in, serial or parallel; only the
 * final mean is rounded to double precision.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "agg_state.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "money.h"
#include "order_row.h"
#include "predict.h"
#include "text_form.h"
#include "time_unit.h"

PG_FUNCTION_INFO_V1(rfm_history_combine);
PG_FUNCTION_INFO_V1(rfm_history_serialize);
PG_FUNCTION_INFO_V1(rfm_history_deserialize);
PG_FUNCTION_INFO_V1(rfm_history_final);
PG_FUNCTION_INFO_V1(rfm_history_in);
PG_FUNCTION_INFO_V1(rfm_history_out);
PG_FUNCTION_INFO_V1(rfm_history_recv);
PG_FUNCTION_INFO_V1(rfm_history_send);
PG_FUNCTION_INFO_V1(rfm_history_frequency);
PG_FUNCTION_INFO_V1(rfm_history_recency);
PG_FUNCTION_INFO_V1(rfm_history_age);
PG_FUNCTION_INFO_V1(rfm_history_monetary_value);
PG_FUNCTION_INFO_V1(rfm_history_unit);

/* Monday 2000-01-03 00:00, in microseconds since the PostgreSQL epoch. */
#define HISTORY_ORIGIN (2 * USECS_PER_DAY)

typedef struct HistoryEntry
{
	int128		value;			/* amount * 10^scale */
	int64		period;
	int32		scale;
	int32		reserved;
} HistoryEntry;

typedef struct HistoryState
{
	int64		as_of;			/* instant, microseconds */
	int64		unit;
	int64		n;
	int64		capacity;
	HistoryEntry *entries;
} HistoryState;

static HistoryState *
new_history_state(MemoryContext context, int64 as_of, int64 unit, int64 capacity)
{
	HistoryState *state = MemoryContextAllocZero(context, sizeof(HistoryState));

	state->as_of = as_of;
	state->unit = unit;
	state->capacity = Max(capacity, 4);
	state->entries = MemoryContextAllocHuge(context, state->capacity * sizeof(HistoryEntry));
	return state;
}

static void
reserve(HistoryState *state, int64 more)
{
	int64		needed = state->n + more;

	if (needed <= state->capacity)
		return;
	state->capacity = Max(needed, state->capacity * 2);
	state->entries = repalloc_huge(state->entries, state->capacity * sizeof(HistoryEntry));
}

static int64
period_of(int64 instant, int64 unit)
{
	int64		d = instant - HISTORY_ORIGIN;

	/* floor division; instants are far from int64's ends */
	return d >= 0 ? d / unit : -((-d + unit - 1) / unit);
}

static inline void
amount_of(RfmAmountKind kind, Datum d, HistoryEntry *e)
{
	RfmAmount	a;

	rfm_amount_of(kind, d, &a);
	e->value = a.value;
	e->scale = a.scale;
	e->reserved = 0;
}

/*
 * (state, ordered_at, amount, as_of, unit): a row with any NULL argument is
 * skipped, as rfm_summary skips it.
 */
static Datum
history_transition(FunctionCallInfo fcinfo, RfmTimeKind kind, RfmAmountKind amount_kind)
{
	MemoryContext aggcontext;
	HistoryState *state = PG_ARGISNULL(0) ? NULL : (HistoryState *) PG_GETARG_POINTER(0);
	int64		as_of;
	int64		ordered_at;
	int64		unit;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "rfm_history_trans called in non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		RFM_RETURN_STATE(state);

	as_of = rfm_instant_of(kind, PG_GETARG_DATUM(3));
	if (state == NULL)
	{
		if (as_of == DT_NOBEGIN || as_of == DT_NOEND)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("as_of must be finite"),
					 errhint("Give the end of the observation period, e.g. a date.")));
		unit = rfm_interval_usecs(PG_GETARG_INTERVAL_P(4), "unit");
		state = new_history_state(aggcontext, as_of, unit, 0);
	}
	else
	{
		if (state->as_of != as_of)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("as_of must be the same for every row of a group"),
					 errhint("Pass one constant instant as the third argument of rfm_history.")));
		unit = rfm_interval_usecs(PG_GETARG_INTERVAL_P(4), "unit");
		if (unit != state->unit)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unit must be the same for every row of a group"),
					 errhint("Pass one constant interval as the fourth argument of rfm_history.")));
	}

	ordered_at = rfm_instant_of(kind, PG_GETARG_DATUM(1));
	if (ordered_at > state->as_of)
		RFM_RETURN_STATE(state);
	if (ordered_at == DT_NOBEGIN)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("ordered_at must be finite"),
				 errdetail("An order placed at -infinity has no period.")));

	reserve(state, 1);
	state->entries[state->n].period = period_of(ordered_at, state->unit);
	amount_of(amount_kind, PG_GETARG_DATUM(2), &state->entries[state->n]);
	state->n++;
	RFM_RETURN_STATE(state);
}

#define HISTORY_TRANSITION(name, kind, amount_kind) \
	PG_FUNCTION_INFO_V1(name); \
	Datum name(PG_FUNCTION_ARGS) { return history_transition(fcinfo, kind, amount_kind); }

/* timestamp and timestamptz share their representation and their bins (UTC) */
HISTORY_TRANSITION(rfm_history_trans_date_numeric, RFM_TIME_DATE, RFM_AMOUNT_NUMERIC)
HISTORY_TRANSITION(rfm_history_trans_date_float8, RFM_TIME_DATE, RFM_AMOUNT_FLOAT8)
HISTORY_TRANSITION(rfm_history_trans_date_int8, RFM_TIME_DATE, RFM_AMOUNT_INT8)
HISTORY_TRANSITION(rfm_history_trans_date_int4, RFM_TIME_DATE, RFM_AMOUNT_INT4)
HISTORY_TRANSITION(rfm_history_trans_ts_numeric, RFM_TIME_TIMESTAMP, RFM_AMOUNT_NUMERIC)
HISTORY_TRANSITION(rfm_history_trans_ts_float8, RFM_TIME_TIMESTAMP, RFM_AMOUNT_FLOAT8)
HISTORY_TRANSITION(rfm_history_trans_ts_int8, RFM_TIME_TIMESTAMP, RFM_AMOUNT_INT8)
HISTORY_TRANSITION(rfm_history_trans_ts_int4, RFM_TIME_TIMESTAMP, RFM_AMOUNT_INT4)

Datum
rfm_history_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	HistoryState *into = PG_ARGISNULL(0) ? NULL : (HistoryState *) PG_GETARG_POINTER(0);
	HistoryState *from = PG_ARGISNULL(1) ? NULL : (HistoryState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "rfm_history_combine called in non-aggregate context");
	if (from == NULL)
		RFM_RETURN_STATE(into);
	if (into == NULL)
		into = new_history_state(aggcontext, from->as_of, from->unit, from->n);
	else if (into->as_of != from->as_of || into->unit != from->unit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of and unit must be the same for every row of a group")));
	reserve(into, from->n);
	memcpy(into->entries + into->n, from->entries, from->n * sizeof(HistoryEntry));
	into->n += from->n;
	RFM_RETURN_STATE(into);
}

Datum
rfm_history_serialize(PG_FUNCTION_ARGS)
{
	HistoryState *state = (HistoryState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int64		i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "rfm_history_serialize called in non-aggregate context");
	pq_begintypsend(&buf);
	pq_sendint64(&buf, state->as_of);
	pq_sendint64(&buf, state->unit);
	pq_sendint64(&buf, state->n);
	for (i = 0; i < state->n; i++)
	{
		pq_sendint64(&buf, state->entries[i].period);
		pq_sendint32(&buf, state->entries[i].scale);
		pq_sendint64(&buf, (int64) (state->entries[i].value >> 64));
		pq_sendint64(&buf, (int64) (uint64) state->entries[i].value);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_history_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	HistoryState *state;
	int64		as_of,
				unit,
				n,
				i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "rfm_history_deserialize called in non-aggregate context");
	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
	as_of = pq_getmsgint64(&buf);
	unit = pq_getmsgint64(&buf);
	n = pq_getmsgint64(&buf);
	/* deserialize allocates in the current context, as the docs ask */
	state = new_history_state(CurrentMemoryContext, as_of, unit, n);
	for (i = 0; i < n; i++)
	{
		int64		high;

		state->entries[i].period = pq_getmsgint64(&buf);
		state->entries[i].scale = pq_getmsgint(&buf, 4);
		state->entries[i].reserved = 0;
		high = pq_getmsgint64(&buf);
		state->entries[i].value = (int128) (((uint128) (uint64) high << 64) |
											(uint64) pq_getmsgint64(&buf));
	}
	state->n = n;
	pq_getmsgend(&buf);
	pfree(buf.data);
	RFM_RETURN_STATE(state);
}

static int
compare_entries(const void *a, const void *b)
{
	const HistoryEntry *x = a;
	const HistoryEntry *y = b;

	if (x->period != y->period)
		return x->period < y->period ? -1 : 1;
	return 0;
}

/* A customer with no order on or before as_of has no history. */
Datum
rfm_history_final(PG_FUNCTION_ARGS)
{
	HistoryState *state = PG_ARGISNULL(0) ? NULL : (HistoryState *) PG_GETARG_POINTER(0);
	HistoryEntry *e;
	RfmHistory *h;
	int64		i,
				periods = 0,
				first,
				last = 0;
	int128		repeat_total = 0;
	int16		repeat_scale = 0;

	if (state == NULL || state->n == 0)
		PG_RETURN_NULL();

	/* sort a copy: the final function must not change the state */
	e = palloc_extended(state->n * sizeof(HistoryEntry), MCXT_ALLOC_HUGE);
	memcpy(e, state->entries, state->n * sizeof(HistoryEntry));
	qsort(e, state->n, sizeof(HistoryEntry), compare_entries);

	first = e[0].period;
	for (i = 0; i < state->n; i++)
	{
		if (i == 0 || e[i].period != last)
		{
			periods++;
			last = e[i].period;
		}
		/* the sum of the repeat periods' totals is the sum of their orders */
		if (periods > 1)
			rfm_money_accumulate(&repeat_total, &repeat_scale, e[i].value, e[i].scale);
	}
	pfree(e);

	h = palloc0(sizeof(RfmHistory));
	h->unit = state->unit;
	h->x = periods - 1;
	h->t_x = last - first;
	h->T = period_of(state->as_of, state->unit) - first;
	/* one rounding for the total, one for the division */
	h->monetary_value = h->x > 0 ?
		(double) repeat_total / ((double) rfm_pow10[repeat_scale] * (double) h->x) : 0.0;
	PG_RETURN_POINTER(h);
}

/* ---------------------------------------------------------------------- */
/* the type                                                                */
/* ---------------------------------------------------------------------- */

static const char *
history_violation(const RfmHistory *h)
{
	if (h->unit <= 0)
		return "unit must be positive";
	if (h->x < 0)
		return "x must not be negative";
	if (h->t_x < 0 || h->t_x > h->T)
		return "t_x must be between 0 and T";
	if (h->x > h->t_x)
		return "x repeat periods need t_x >= x";
	if (h->x == 0 && h->monetary_value != 0)
		return "monetary_value must be 0 when x = 0";
	if (!isfinite(h->monetary_value))
		return "monetary_value must be finite";
	return NULL;
}

Datum
rfm_history_in(PG_FUNCTION_ARGS)
{
	static const RfmTextType text_type = {"rfm_history", RFM_PREDICT_TEXT_HINT};
	const RfmTextType *type = &text_type;
	char	   *input = PG_GETARG_CSTRING(0);
	RfmField	f[8];
	int			n = rfm_parse_fields(type, input, f, 8);
	RfmHistory *h = palloc0(sizeof(RfmHistory));
	int			seen = 0;
	int			i;
	const char *bad;

	for (i = 0; i < n; i++)
	{
		int			bit;

		if (f[i].value == NULL)
			rfm_bad_input(type, input, psprintf("unexpected word \"%s\"", f[i].key));
		if (strcmp(f[i].key, "x") == 0)
			bit = 1, h->x = rfm_field_int(type, input, &f[i]);
		else if (strcmp(f[i].key, "t_x") == 0)
			bit = 2, h->t_x = rfm_field_int(type, input, &f[i]);
		else if (strcmp(f[i].key, "T") == 0)
			bit = 4, h->T = rfm_field_int(type, input, &f[i]);
		else if (strcmp(f[i].key, "unit") == 0)
			bit = 8, h->unit = rfm_parse_unit(f[i].value, type, input);
		else if (strcmp(f[i].key, "monetary_value") == 0)
			bit = 16, h->monetary_value = rfm_field_float(type, input, &f[i]);
		else
			rfm_bad_input(type, input, psprintf("unknown field \"%s\"", f[i].key));
		if (seen & bit)
			rfm_bad_input(type, input, psprintf("field \"%s\" appears twice", f[i].key));
		seen |= bit;
	}
	if (seen != 31)
		rfm_bad_input(type, input, "x, t_x, T, unit and monetary_value are all required");
	if ((bad = history_violation(h)) != NULL)
		rfm_bad_input(type, input, bad);
	PG_RETURN_POINTER(h);
}

Datum
rfm_history_out(PG_FUNCTION_ARGS)
{
	RfmHistory *h = DatumGetRfmHistoryP(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "(x=" INT64_FORMAT ", t_x=" INT64_FORMAT ", T=" INT64_FORMAT ", unit=",
					 h->x, h->t_x, h->T);
	rfm_append_unit(&buf, h->unit);
	appendStringInfoString(&buf, ", monetary_value=");
	rfm_append_float(&buf, h->monetary_value);
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

Datum
rfm_history_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RfmHistory *h = palloc0(sizeof(RfmHistory));
	const char *bad;

	h->unit = pq_getmsgint64(buf);
	h->x = pq_getmsgint64(buf);
	h->t_x = pq_getmsgint64(buf);
	h->T = pq_getmsgint64(buf);
	h->monetary_value = pq_getmsgfloat8(buf);
	if ((bad = history_violation(h)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary rfm_history: %s", bad)));
	PG_RETURN_POINTER(h);
}

Datum
rfm_history_send(PG_FUNCTION_ARGS)
{
	RfmHistory *h = DatumGetRfmHistoryP(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, h->unit);
	pq_sendint64(&buf, h->x);
	pq_sendint64(&buf, h->t_x);
	pq_sendint64(&buf, h->T);
	pq_sendfloat8(&buf, h->monetary_value);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------- */
/* accessors                                                               */
/* ---------------------------------------------------------------------- */

/* periods of the history's unit expressed in the optional unit argument */
static double
in_unit(FunctionCallInfo fcinfo, const RfmHistory *h, int64 periods)
{
	if (PG_NARGS() > 1)
		return (double) periods * ((double) h->unit /
								   (double) rfm_interval_usecs(PG_GETARG_INTERVAL_P(1), "unit"));
	return (double) periods;
}

Datum
rfm_history_frequency(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(DatumGetRfmHistoryP(PG_GETARG_DATUM(0))->x);
}

Datum
rfm_history_recency(PG_FUNCTION_ARGS)
{
	RfmHistory *h = DatumGetRfmHistoryP(PG_GETARG_DATUM(0));

	PG_RETURN_FLOAT8(in_unit(fcinfo, h, h->t_x));
}

Datum
rfm_history_age(PG_FUNCTION_ARGS)
{
	RfmHistory *h = DatumGetRfmHistoryP(PG_GETARG_DATUM(0));

	PG_RETURN_FLOAT8(in_unit(fcinfo, h, h->T));
}

Datum
rfm_history_monetary_value(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(DatumGetRfmHistoryP(PG_GETARG_DATUM(0))->monetary_value);
}

Datum
rfm_history_unit(PG_FUNCTION_ARGS)
{
	PG_RETURN_INTERVAL_P(rfm_unit_interval(DatumGetRfmHistoryP(PG_GETARG_DATUM(0))->unit));
}
