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
#include "compat.h"

#include <math.h>

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "agg_state.h"
#include "fixed_type.h"
#include "money.h"
#include "order_row.h"
#include "predict.h"
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

static void
send_entry(StringInfo buf, const void *record)
{
	const HistoryEntry *e = record;

	pq_sendint64(buf, e->period);
	pq_sendint32(buf, e->scale);
	rfm_money_send(buf, e->value);
}

static void
recv_entry(StringInfo buf, void *record)
{
	HistoryEntry *e = record;

	e->period = pq_getmsgint64(buf);
	e->scale = pq_getmsgint(buf, 4);
	e->reserved = 0;
	e->value = rfm_money_recv(buf);
}

/* one state a customer: start small */
static const RfmRecordForm entry_form = {sizeof(HistoryEntry), 4, send_entry, recv_entry};

typedef struct HistoryState
{
	RfmRecords	entries;
	int64		as_of;			/* instant, microseconds */
	int64		unit;
} HistoryState;

static HistoryState *
new_history_state(MemoryContext context, int64 as_of, int64 unit)
{
	HistoryState *state = rfm_records_state_new(context, sizeof(HistoryState), &entry_form, 0);

	state->as_of = as_of;
	state->unit = unit;
	return state;
}

int64
rfm_history_period(int64 instant, int64 unit)
{
	int64		d = instant - HISTORY_ORIGIN;

	/* floor division; instants are far from int64's ends */
	return d >= 0 ? d / unit : -((-d + unit - 1) / unit);
}

/* as_of (finite) and unit (positive, without months), or their errors. */
void
rfm_history_frame(RfmTimeKind kind, Datum as_of, const Interval *unit,
				  int64 *as_of_out, int64 *unit_out)
{
	int64		instant = rfm_instant_of(kind, as_of);

	if (instant == DT_NOBEGIN || instant == DT_NOEND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be finite"),
				 errhint("Give the end of the observation period, e.g. a date.")));
	*as_of_out = instant;
	*unit_out = rfm_interval_usecs(unit, "unit");
}

/* An order on or before as_of needs a period: not at -infinity. */
void
rfm_history_check_order(int64 ordered_at)
{
	if (ordered_at == DT_NOBEGIN)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("ordered_at must be finite"),
				 errdetail("An order placed at -infinity has no period.")));
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
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "rfm_history_trans");
	HistoryState *state = PG_ARGISNULL(0) ? NULL : (HistoryState *) PG_GETARG_POINTER(0);
	HistoryEntry *entry;
	int64		as_of;
	int64		ordered_at;
	int64		unit;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		RFM_RETURN_STATE(state);

	if (state == NULL)
	{
		rfm_history_frame(kind, PG_GETARG_DATUM(3), PG_GETARG_INTERVAL_P(4), &as_of, &unit);
		state = new_history_state(aggcontext, as_of, unit);
	}
	else
	{
		as_of = rfm_instant_of(kind, PG_GETARG_DATUM(3));
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
	rfm_history_check_order(ordered_at);

	entry = rfm_records_append(&state->entries);
	entry->period = rfm_history_period(ordered_at, state->unit);
	amount_of(amount_kind, PG_GETARG_DATUM(2), entry);
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
	MemoryContext aggcontext = rfm_agg_context(fcinfo, "rfm_history_combine");
	HistoryState *into = PG_ARGISNULL(0) ? NULL : (HistoryState *) PG_GETARG_POINTER(0);
	HistoryState *from = PG_ARGISNULL(1) ? NULL : (HistoryState *) PG_GETARG_POINTER(1);

	if (from == NULL)
		RFM_RETURN_STATE(into);
	if (into != NULL && (into->as_of != from->as_of || into->unit != from->unit))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of and unit must be the same for every row of a group")));
	RFM_RETURN_STATE(rfm_records_combine(aggcontext, into, from, sizeof(HistoryState)));
}

Datum
rfm_history_serialize(PG_FUNCTION_ARGS)
{
	HistoryState *state = (HistoryState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	rfm_agg_context(fcinfo, "rfm_history_serialize");
	pq_begintypsend(&buf);
	pq_sendint64(&buf, state->as_of);
	pq_sendint64(&buf, state->unit);
	rfm_records_send(&buf, &state->entries);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_history_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	HistoryState *state;
	int64		as_of,
				unit;

	rfm_agg_context(fcinfo, "rfm_history_deserialize");
	rfm_state_receive(PG_GETARG_BYTEA_PP(0), &buf);
	as_of = pq_getmsgint64(&buf);
	unit = pq_getmsgint64(&buf);
	/* deserialize allocates in the current context, as the docs ask */
	state = new_history_state(CurrentMemoryContext, as_of, unit);
	rfm_records_recv(&buf, &state->entries);
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

	if (state == NULL || state->entries.n == 0)
		PG_RETURN_NULL();

	/* sort a copy: the final function must not change the state */
	e = rfm_records_sorted(&state->entries, compare_entries);

	first = e[0].period;
	for (i = 0; i < state->entries.n; i++)
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

	h = palloc(sizeof(RfmHistory));
	rfm_history_make(h, state->unit, state->as_of, periods, first, last,
					 repeat_total, repeat_scale);
	PG_RETURN_POINTER(h);
}

/*
 * A customer's history from its orders folded by period: the number of
 * distinct periods, the first and the last, and the exact sum of the
 * amounts outside the first period (at repeat_scale, the largest scale
 * among them).  The fast grouping engine folds the same way, elsewhere.
 */
void
rfm_history_make(RfmHistory *h, int64 unit, int64 as_of, int64 periods, int64 first,
				 int64 last, int128 repeat_total, int16 repeat_scale)
{
	memset(h, 0, sizeof(RfmHistory));
	h->unit = unit;
	h->x = periods - 1;
	h->t_x = last - first;
	h->T = rfm_history_period(as_of, unit) - first;
	/*
	 * The period totals are exact; rounded are the total's conversion to
	 * double, 10^scale beyond 10^22, its product with x and the division.
	 */
	h->monetary_value = h->x > 0 ?
		(double) repeat_total / ((double) rfm_pow10[repeat_scale] * (double) h->x) : 0.0;
}

/* ---------------------------------------------------------------------- */
/* the type                                                                */
/* ---------------------------------------------------------------------- */

static const char *
history_violation(const void *value)
{
	const RfmHistory *h = value;

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

/* in the order of the text form; the binary form starts with the unit */
static const RfmFieldDef history_fields[] = {
	{"x", offsetof(RfmHistory, x), RFM_FIELD_INT64, true},
	{"t_x", offsetof(RfmHistory, t_x), RFM_FIELD_INT64, true},
	{"T", offsetof(RfmHistory, T), RFM_FIELD_INT64, true},
	{"unit", offsetof(RfmHistory, unit), RFM_FIELD_UNIT, true},
	{"monetary_value", offsetof(RfmHistory, monetary_value), RFM_FIELD_FLOAT8, true},
};
static const int history_wire_order[] = {3, 0, 1, 2, 4};

static const RfmFixedType history_type = {
	.text = {"rfm_history", RFM_PREDICT_TEXT_HINT},
	.size = sizeof(RfmHistory),
	.nfields = lengthof(history_fields),
	.fields = history_fields,
	.wire_order = history_wire_order,
	.required = "x, t_x, T, unit and monetary_value are all required",
	.violation = history_violation
};

Datum
rfm_history_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_in(&history_type, PG_GETARG_CSTRING(0)));
}

Datum
rfm_history_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(rfm_fixed_out(&history_type, DatumGetPointer(PG_GETARG_DATUM(0))));
}

Datum
rfm_history_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rfm_fixed_recv(&history_type, (StringInfo) PG_GETARG_POINTER(0)));
}

Datum
rfm_history_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(rfm_fixed_send(&history_type, DatumGetPointer(PG_GETARG_DATUM(0))));
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
