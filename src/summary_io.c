/*
 * summary_io.c: text and binary forms of rfm_summary, and its invariants.
 *
 * Text form, readable in psql and complete enough to round-trip:
 *   (recency=3, frequency=5, monetary=123.45, orders=7, first=2006-01-02,
 *    last=2006-12-28, as_of=2006-12-31[, since=2005-12-31])
 * Instants print in the kind of the orders' column: a date, a timestamp, or
 * a timestamptz always in UTC ("+00"), so the text does not depend on the
 * session's TimeZone or DateStyle.
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "money.h"
#include "summary.h"
#include "text_form.h"

PG_FUNCTION_INFO_V1(rfm_summary_in);
PG_FUNCTION_INFO_V1(rfm_summary_out);
PG_FUNCTION_INFO_V1(rfm_summary_recv);
PG_FUNCTION_INFO_V1(rfm_summary_send);

StaticAssertDecl(sizeof(RfmSummary) == RFM_SUMMARY_SIZE,
				 "rfm_summary's SQL INTERNALLENGTH must match the C struct");

static bool
valid_instant(const RfmSummary *s, int64 t, bool whole_day)
{
	if (!IS_VALID_TIMESTAMP(t))
		return false;
	return !(whole_day && s->kind == RFM_TIME_DATE && t % USECS_PER_DAY != 0);
}

/*
 * The invariants every summary the aggregate makes satisfies; values from
 * outside (text, binary) are held to them so accessors never see nonsense.
 * Returns NULL when s is valid, else what is wrong.
 */
const char *
rfm_summary_violation(const RfmSummary *s)
{
	bool		has_period = (s->flags & RFM_HAS_PERIOD) != 0;

	if (s->kind < RFM_TIME_DATE || s->kind > RFM_TIME_TIMESTAMPTZ)
		return "Unknown kind of instants.";
	if ((s->flags & ~RFM_HAS_PERIOD) != 0 || s->reserved != 0)
		return "Unknown flags.";
	if (!valid_instant(s, s->as_of, true) ||
		(has_period && !valid_instant(s, s->since, false)))
		return "An instant is out of range.";
	if (has_period && s->since >= s->as_of)
		return "The period must start before as_of.";
	if (!has_period && s->since != 0)
		return "Without a period, since must be 0.";
	if (rfm_summary_is_empty(s))
	{
		if (s->frequency != 0 || s->money != 0 || s->scale != 0 || s->dscale != 0 ||
			s->first_order != 0 || s->last_order != 0)
			return "A summary of no orders has no other figures.";
		return NULL;
	}
	if (!valid_instant(s, s->first_order, true) || !valid_instant(s, s->last_order, true))
		return "An instant is out of range.";
	if (s->orders_ever < 0 || s->frequency < 0 || s->frequency > s->orders_ever)
		return "Order counts must satisfy 0 <= frequency <= orders.";
	if (s->first_order > s->last_order || s->last_order > s->as_of)
		return "Instants must satisfy first <= last <= as_of.";
	if (has_period)
	{
		if ((s->last_order <= s->since) != (s->frequency == 0))
			return "frequency must be 0 exactly when the last order is before the period.";
		if (s->first_order > s->since && s->frequency != s->orders_ever)
			return "All orders are in the period, so frequency must equal orders.";
	}
	else if (s->frequency != s->orders_ever)
		return "Without a period, frequency must equal orders.";

	if (s->scale < 0 || s->scale > RFM_MAX_SCALE || s->dscale < 0 || s->dscale > RFM_MAX_DSCALE)
		return "The monetary scale is out of range.";
	if (!rfm_money_in_range(s->money))
		return "The monetary total has more than 38 digits.";
	if (s->frequency == 0 && s->money != 0)
		return "The monetary total must be 0 without orders in the period.";
	return NULL;
}

/* Partial summaries can only be merged when taken over the same frame. */
void
rfm_summary_check_same_frame(const RfmSummary *a, const RfmSummary *b)
{
	if (a->as_of != b->as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of must be the same for every row of a group")));
	if (a->kind != b->kind || a->flags != b->flags ||
		((a->flags & RFM_HAS_PERIOD) && a->since != b->since))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine rfm_summary values of different kinds or periods")));
}

/* ---------- text output ---------- */

static void
append_instant(StringInfo buf, const RfmSummary *s, int64 t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	char		text[MAXDATELEN + 1];

	if (timestamp2tm(t, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	tm.tm_isdst = 0;			/* UTC: lets EncodeDateTime print "+00" */
	if (s->kind == RFM_TIME_DATE && t % USECS_PER_DAY == 0)
		EncodeDateOnly(&tm, USE_ISO_DATES, text);
	else
		EncodeDateTime(&tm, fsec, s->kind == RFM_TIME_TIMESTAMPTZ, 0, NULL,
					   USE_ISO_DATES, text);
	appendStringInfoString(buf, text);
}

Datum
rfm_summary_out(PG_FUNCTION_ARGS)
{
	RfmSummary *s = PG_GETARG_RFM_SUMMARY_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	if (rfm_summary_is_empty(s))
		appendStringInfoString(&buf, "(orders=0, as_of=");
	else
	{
		appendStringInfo(&buf, "(recency=" INT64_FORMAT ", frequency=" INT64_FORMAT ", monetary=",
						 rfm_whole_days(s->last_order, s->as_of), s->frequency);
		rfm_money_append(&buf, s->money, s->scale, s->dscale);
		appendStringInfo(&buf, ", orders=" INT64_FORMAT ", first=", s->orders_ever);
		append_instant(&buf, s, s->first_order);
		appendStringInfoString(&buf, ", last=");
		append_instant(&buf, s, s->last_order);
		appendStringInfoString(&buf, ", as_of=");
	}
	append_instant(&buf, s, s->as_of);
	if (s->flags & RFM_HAS_PERIOD)
	{
		appendStringInfoString(&buf, ", since=");
		append_instant(&buf, s, s->since);
	}
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

/* ---------- text input ---------- */

typedef enum SummaryField
{
	F_RECENCY, F_FREQUENCY, F_MONETARY, F_ORDERS, F_FIRST, F_LAST, F_AS_OF, F_SINCE,
	F_COUNT
} SummaryField;

static const char *const field_names[F_COUNT] = {
	"recency", "frequency", "monetary", "orders", "first", "last", "as_of", "since"
};

static const RfmTextType summary_text = {
	"rfm_summary",
	"Write it as rfm_summary prints it, e.g. '(recency=3, frequency=5, monetary=123.45, orders=5, first=2006-01-02, last=2006-12-28, as_of=2006-12-31)'."
};

static void
syntax_error(const char *input, const char *detail)
{
	rfm_bad_input(&summary_text, input, detail);
}

/* An error about one field: its detail is hint enough. */
static void
field_error(const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", summary_text.name, input),
			 errdetail("%s", detail)));
}

static bool
parse_int64(const char *text, int64 *out)
{
	char	   *end;
	long long	v;

	if (*text == '\0' || *text == ' ')
		return false;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = (int64) v;
	return true;
}

/* The kind of the instants, from how as_of is written. */
static RfmTimeKind
kind_of_text(const char *as_of)
{
	const char *colon = strchr(as_of, ':');

	if (colon == NULL)
		return RFM_TIME_DATE;
	if (strpbrk(colon, "+-Zz") != NULL)
		return RFM_TIME_TIMESTAMPTZ;
	return RFM_TIME_TIMESTAMP;
}

static int64
parse_instant(const char *input, RfmTimeKind kind, const char *text)
{
	Datum		d;

	if (kind != RFM_TIME_TIMESTAMPTZ && kind_of_text(text) == RFM_TIME_TIMESTAMPTZ)
		syntax_error(input, "Only instants of a timestamptz summary carry a time zone offset.");
	if (kind == RFM_TIME_TIMESTAMPTZ && kind_of_text(text) != RFM_TIME_TIMESTAMPTZ)
		syntax_error(input, "Every instant of a timestamptz summary needs its time zone offset.");
	d = DirectFunctionCall3(kind == RFM_TIME_TIMESTAMPTZ ? timestamptz_in : timestamp_in,
							CStringGetDatum(text), ObjectIdGetDatum(InvalidOid),
							Int32GetDatum(-1));
	return DatumGetInt64(d);
}

static void
parse_monetary(const char *input, RfmSummary *s, const char *text)
{
	int			scale;
	int			dscale;

	if (!rfm_money_parse(text, &s->money, &scale, &dscale))
		syntax_error(input, "monetary takes a decimal number of at most 38 digits.");
	s->scale = scale;
	s->dscale = dscale;
}

/* The value of each field by name into values, or an error. */
static void
parse_summary_fields(const char *input, char **values)
{
	RfmField	fields[2 * F_COUNT];
	int			n = rfm_parse_fields(&summary_text, input, fields, 2 * F_COUNT);
	int			i,
				f;

	for (i = 0; i < n; i++)
	{
		if (fields[i].value == NULL)
			syntax_error(input, "Every field must be written as name=value.");
		for (f = 0; f < F_COUNT; f++)
			if (strcmp(fields[i].key, field_names[f]) == 0)
				break;
		if (f == F_COUNT)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", summary_text.name, input),
					 errdetail("Unknown field \"%s\".", fields[i].key),
					 errhint("The fields are recency, frequency, monetary, orders, first, last, as_of and since.")));
		if (values[f] != NULL)
			field_error(input, psprintf("Field \"%s\" is given twice.", fields[i].key));
		values[f] = fields[i].value;
	}
}

Datum
rfm_summary_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	char	   *values[F_COUNT] = {0};
	RfmSummary *s;
	int64		recency;
	const char *problem;
	int			f;

	parse_summary_fields(input, values);
	s = palloc0(sizeof(RfmSummary));
	if (values[F_ORDERS] == NULL || !parse_int64(values[F_ORDERS], &s->orders_ever))
		syntax_error(input, "orders must be given as a whole number.");
	/* a summary of no orders (a partial state) has only orders, as_of, since */
	for (f = 0; f < F_COUNT; f++)
	{
		bool		wanted = rfm_summary_is_empty(s) ?
			(f == F_ORDERS || f == F_AS_OF) : (f != F_RECENCY && f != F_SINCE);

		if (wanted && values[f] == NULL)
			field_error(input, psprintf("Field \"%s\" is missing.", field_names[f]));
		if (rfm_summary_is_empty(s) && !wanted && f != F_SINCE && values[f] != NULL)
			syntax_error(input, "A summary of orders=0 has only as_of and since besides.");
	}

	s->kind = kind_of_text(values[F_AS_OF]);
	s->as_of = parse_instant(input, s->kind, values[F_AS_OF]);
	if (values[F_SINCE])
	{
		s->flags |= RFM_HAS_PERIOD;
		s->since = parse_instant(input, s->kind, values[F_SINCE]);
	}
	if (!rfm_summary_is_empty(s))
	{
		s->first_order = parse_instant(input, s->kind, values[F_FIRST]);
		s->last_order = parse_instant(input, s->kind, values[F_LAST]);
		if (!parse_int64(values[F_FREQUENCY], &s->frequency))
			syntax_error(input, "frequency takes a whole number.");
		parse_monetary(input, s, values[F_MONETARY]);
	}

	if ((problem = rfm_summary_violation(s)) != NULL)
		syntax_error(input, problem);
	/* recency is derived; when given it must agree */
	if (values[F_RECENCY] != NULL &&
		(!parse_int64(values[F_RECENCY], &recency) ||
		 recency != rfm_whole_days(s->last_order, s->as_of)))
		syntax_error(input, "recency must be the whole days from last to as_of.");
	PG_RETURN_RFM_SUMMARY_P(s);
}

/* ---------- binary form: fields in order, network byte order ---------- */

Datum
rfm_summary_send(PG_FUNCTION_ARGS)
{
	RfmSummary *s = PG_GETARG_RFM_SUMMARY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, s->kind);
	pq_sendbyte(&buf, s->flags);
	pq_sendint64(&buf, s->as_of);
	pq_sendint64(&buf, s->since);
	pq_sendint64(&buf, s->first_order);
	pq_sendint64(&buf, s->last_order);
	pq_sendint64(&buf, s->frequency);
	pq_sendint64(&buf, s->orders_ever);
	rfm_money_send(&buf, s->money);
	pq_sendint16(&buf, s->scale);
	pq_sendint16(&buf, s->dscale);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RfmSummary *s = palloc0(sizeof(RfmSummary));
	const char *problem;

	s->kind = pq_getmsgbyte(buf);
	s->flags = pq_getmsgbyte(buf);
	s->as_of = pq_getmsgint64(buf);
	s->since = pq_getmsgint64(buf);
	s->first_order = pq_getmsgint64(buf);
	s->last_order = pq_getmsgint64(buf);
	s->frequency = pq_getmsgint64(buf);
	s->orders_ever = pq_getmsgint64(buf);
	s->money = rfm_money_recv(buf);
	s->scale = (int16) pq_getmsgint(buf, 2);
	s->dscale = (int16) pq_getmsgint(buf, 2);
	if ((problem = rfm_summary_violation(s)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external rfm_summary value"),
				 errdetail("%s", problem)));
	PG_RETURN_RFM_SUMMARY_P(s);
}
