/*
 * segment.c: the eleven named segments of the R-by-FM grid.
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "score.h"
#include "segment.h"
#include "vocab.h"

PG_FUNCTION_INFO_V1(segment_in);
PG_FUNCTION_INFO_V1(segment_out);
PG_FUNCTION_INFO_V1(segment_recv);
PG_FUNCTION_INFO_V1(segment_send);
PG_FUNCTION_INFO_V1(segment_label);
PG_FUNCTION_INFO_V1(rfm_segment_of_score);

typedef enum RfmSegment
{
	SEG_CHAMPIONS,
	SEG_LOYAL,
	SEG_POTENTIAL_LOYALIST,
	SEG_NEW_CUSTOMERS,
	SEG_PROMISING,
	SEG_NEED_ATTENTION,
	SEG_ABOUT_TO_SLEEP,
	SEG_AT_RISK,
	SEG_CANNOT_LOSE_THEM,
	SEG_HIBERNATING,
	SEG_LOST,
	SEG_COUNT
} RfmSegment;

static const char *const segment_names[SEG_COUNT] = {
	"champions", "loyal", "potential_loyalist", "new_customers", "promising",
	"need_attention", "about_to_sleep", "at_risk", "cannot_lose_them",
	"hibernating", "lost"
};

static const char *const segment_display[SEG_COUNT] = {
	"Champions", "Loyal", "Potential loyalist", "New customers", "Promising",
	"Need attention", "About to sleep", "At risk", "Cannot lose them",
	"Hibernating", "Lost"
};

static const RfmVocabulary segment_vocab = {"segment", segment_names, SEG_COUNT};

/* grid[R - 1][FM - 1], FM = round-half-up((F + M) / 2) */
static const uint8 grid[5][5] = {
	/* R=1 */ {SEG_LOST, SEG_HIBERNATING, SEG_AT_RISK, SEG_CANNOT_LOSE_THEM, SEG_CANNOT_LOSE_THEM},
	/* R=2 */ {SEG_ABOUT_TO_SLEEP, SEG_NEED_ATTENTION, SEG_NEED_ATTENTION, SEG_AT_RISK, SEG_AT_RISK},
	/* R=3 */ {SEG_PROMISING, SEG_NEED_ATTENTION, SEG_POTENTIAL_LOYALIST, SEG_LOYAL, SEG_LOYAL},
	/* R=4 */ {SEG_PROMISING, SEG_POTENTIAL_LOYALIST, SEG_POTENTIAL_LOYALIST, SEG_LOYAL, SEG_CHAMPIONS},
	/* R=5 */ {SEG_NEW_CUSTOMERS, SEG_POTENTIAL_LOYALIST, SEG_LOYAL, SEG_CHAMPIONS, SEG_CHAMPIONS},
};

bool
rfm_segment_on_grid(RfmScore s)
{
	return rfm_score_r(s) <= 5 && rfm_score_f(s) <= 5 && rfm_score_m(s) <= 5;
}

int
rfm_segment_fm(RfmScore s)
{
	Assert(rfm_segment_on_grid(s));
	return (rfm_score_f(s) + rfm_score_m(s) + 1) / 2;
}

const char *
rfm_segment_name_of(int r, int fm)
{
	Assert(r >= 1 && r <= 5 && fm >= 1 && fm <= 5);
	return segment_names[grid[r - 1][fm - 1]];
}

Datum
segment_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_CHAR(rfm_vocab_parse(&segment_vocab, PG_GETARG_CSTRING(0)));
}

Datum
segment_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(rfm_vocab_label(&segment_vocab, PG_GETARG_CHAR(0))));
}

Datum
segment_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_CHAR(rfm_vocab_recv(&segment_vocab, (StringInfo) PG_GETARG_POINTER(0)));
}

Datum
segment_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(rfm_vocab_send(&segment_vocab, PG_GETARG_CHAR(0)));
}

Datum
segment_label(PG_FUNCTION_ARGS)
{
	uint8		code = PG_GETARG_CHAR(0);

	rfm_vocab_label(&segment_vocab, code);	/* checks the code */
	PG_RETURN_TEXT_P(cstring_to_text(segment_display[code]));
}

Datum
rfm_segment_of_score(PG_FUNCTION_ARGS)
{
	RfmScore	score = PG_GETARG_RFM_SCORE(0);

	if (!rfm_segment_on_grid(score))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rfm_segment needs a score of 5 bins, got %d%d%d",
						rfm_score_r(score), rfm_score_f(score), rfm_score_m(score)),
				 errdetail("The segment grid is defined on digits from 1 to 5."),
				 errhint("Score with rfm_score(s) or rfm_score(s, 5).")));
	PG_RETURN_CHAR(grid[rfm_score_r(score) - 1][rfm_segment_fm(score) - 1]);
}
