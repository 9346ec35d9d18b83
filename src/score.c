/*
 * score.c: the rfm_score type's text and binary forms, constructor and digits,
 * and the range of the number of bins (the digits a score can have).
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"
#include "libpq/pqformat.h"

#include "score.h"

PG_FUNCTION_INFO_V1(rfm_score_in);
PG_FUNCTION_INFO_V1(rfm_score_out);
PG_FUNCTION_INFO_V1(rfm_score_recv);
PG_FUNCTION_INFO_V1(rfm_score_send);
PG_FUNCTION_INFO_V1(rfm_score_make);
PG_FUNCTION_INFO_V1(rfm_score_recency);
PG_FUNCTION_INFO_V1(rfm_score_frequency);
PG_FUNCTION_INFO_V1(rfm_score_monetary);

void
rfm_check_bins(int bins)
{
	if (bins < RFM_MIN_BINS || bins > RFM_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("number of bins must be between %d and %d, got %d",
						RFM_MIN_BINS, RFM_MAX_BINS, bins),
				 errhint("Use 5 for quintiles.")));
}

static bool
valid_digit(int d)
{
	return d >= 1 && d <= RFM_MAX_BINS;
}

Datum
rfm_score_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = input;
	int			digits[3];
	int			i;

	for (i = 0; i < 3; i++, p++)
	{
		if (*p < '1' || *p > '9')
			break;
		digits[i] = *p - '0';
	}
	if (i < 3 || *p != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", "rfm_score", input),
				 errdetail("An RFM score is three digits from 1 to 9: recency, frequency, monetary."),
				 errhint("Write e.g. '543'.")));
	PG_RETURN_RFM_SCORE(rfm_score_compose(digits[0], digits[1], digits[2]));
}

Datum
rfm_score_out(PG_FUNCTION_ARGS)
{
	RfmScore	s = PG_GETARG_RFM_SCORE(0);

	PG_RETURN_CSTRING(psprintf("%d%d%d", rfm_score_r(s), rfm_score_f(s), rfm_score_m(s)));
}

/*
 * The binary form is the three digits as text, as an enum sends its label:
 * a client that does not know the type (a BI tool asking for binary
 * results) still reads "543".
 */
Datum
rfm_score_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	const char *digits = pq_getmsgbytes(buf, len);

	if (len != 3 || !valid_digit(digits[0] - '0') || !valid_digit(digits[1] - '0') ||
		!valid_digit(digits[2] - '0'))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external rfm_score value"),
				 errdetail("An RFM score is sent as its three digits from 1 to 9, as text.")));
	PG_RETURN_RFM_SCORE(rfm_score_compose(digits[0] - '0', digits[1] - '0', digits[2] - '0'));
}

Datum
rfm_score_send(PG_FUNCTION_ARGS)
{
	RfmScore	s = PG_GETARG_RFM_SCORE(0);
	char		digits[3] = {'0' + rfm_score_r(s), '0' + rfm_score_f(s), '0' + rfm_score_m(s)};
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, digits, 3);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_score_make(PG_FUNCTION_ARGS)
{
	int32		r = PG_GETARG_INT32(0);
	int32		f = PG_GETARG_INT32(1);
	int32		m = PG_GETARG_INT32(2);

	if (!valid_digit(r) || !valid_digit(f) || !valid_digit(m))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("RFM score digits must be between 1 and %d", RFM_MAX_BINS),
				 errdetail("Got recency %d, frequency %d, monetary %d.", r, f, m)));
	PG_RETURN_RFM_SCORE(rfm_score_compose(r, f, m));
}

Datum
rfm_score_recency(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(rfm_score_r(PG_GETARG_RFM_SCORE(0)));
}

Datum
rfm_score_frequency(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(rfm_score_f(PG_GETARG_RFM_SCORE(0)));
}

Datum
rfm_score_monetary(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(rfm_score_m(PG_GETARG_RFM_SCORE(0)));
}
