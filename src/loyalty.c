/*
 * loyalty.c: the loyalty_class type and the classification of a summary.
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"

#include "loyalty.h"
#include "summary.h"
#include "vocab.h"

PG_FUNCTION_INFO_V1(loyalty_class_in);
PG_FUNCTION_INFO_V1(loyalty_class_out);
PG_FUNCTION_INFO_V1(loyalty_class_recv);
PG_FUNCTION_INFO_V1(loyalty_class_send);
PG_FUNCTION_INFO_V1(rfm_loyalty_class);

int			rfm_loyal_min_orders = RFM_DEFAULT_LOYAL_MIN_ORDERS;

typedef enum RfmLoyalty
{
	LOYALTY_LOYAL,
	LOYALTY_REPEAT,
	LOYALTY_ONE_TIME,
	LOYALTY_LAPSED,
	LOYALTY_COUNT
} RfmLoyalty;

static const char *const loyalty_names[LOYALTY_COUNT] = {
	"loyal", "repeat", "one_time", "lapsed"
};

static const RfmVocabulary loyalty_vocab = {"loyalty_class", loyalty_names, LOYALTY_COUNT};

Datum
loyalty_class_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_CHAR(rfm_vocab_parse(&loyalty_vocab, PG_GETARG_CSTRING(0)));
}

Datum
loyalty_class_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(rfm_vocab_label(&loyalty_vocab, PG_GETARG_CHAR(0))));
}

Datum
loyalty_class_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_CHAR(rfm_vocab_recv(&loyalty_vocab, (StringInfo) PG_GETARG_POINTER(0)));
}

Datum
loyalty_class_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(rfm_vocab_send(&loyalty_vocab, PG_GETARG_CHAR(0)));
}

/* loyalty_class(summary [, loyal_min]); without loyal_min the setting applies. */
Datum
rfm_loyalty_class(PG_FUNCTION_ARGS)
{
	RfmSummary *s = PG_GETARG_RFM_SUMMARY_P(0);
	int32		loyal_min = PG_NARGS() > 1 ? PG_GETARG_INT32(1) : rfm_loyal_min_orders;

	if (loyal_min < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("loyal_min must be at least 1, got %d", loyal_min),
				 errhint("Give the number of orders in the period from which a customer counts as loyal, e.g. 10.")));

	if (rfm_summary_is_empty(s))
		PG_RETURN_NULL();			/* no orders at all: not even lapsed */
	if (s->frequency >= loyal_min)
		PG_RETURN_CHAR(LOYALTY_LOYAL);
	if (s->frequency >= 2)
		PG_RETURN_CHAR(LOYALTY_REPEAT);
	if (s->frequency == 1)
		PG_RETURN_CHAR(LOYALTY_ONE_TIME);
	PG_RETURN_CHAR(LOYALTY_LAPSED);
}
