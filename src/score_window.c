/*
 * score_window.c: rfm_score(summary [, bins]) OVER (...), the quantile scores.
 *
 * For N non-NULL summaries and k bins, each dimension scores
 *     1 + floor(k * L / N),  L = summaries of the partition strictly worse.
 * Since 0.2 (rfm_score_window_lapsed_apart) lapsed summaries, with no order
 * in the period, are not counted in N or L and score 111: otherwise they fill
 * the bottom of F and M and push every recent one-time buyer up.  The 0.1
 * symbol rfm_score_window keeps ranking them, so a database still on 0.1
 * gets its old answers from the same library until ALTER EXTENSION UPDATE.
 * On its first call in a partition the function reads every summary once
 * and ranks each dimension's keys in memory (rank.c: counting or radix
 * sorting, linear time); later calls only look their row up.  Three ntile()
 * calls would instead make the executor sort the whole partition three times.
 *
 * Memory, per partition: 32 bytes a row kept until the partition ends, and
 * about 80 more while ranking: some 110 MB at the peak for 1M customers.
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include "money.h"
#include "rank.h"
#include "score.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(rfm_score_window);
PG_FUNCTION_INFO_V1(rfm_score_window_lapsed_apart);

/* slot of a row that is not ranked */
#define SLOT_NULL	(-1)
#define SLOT_LAPSED	(-2)

typedef struct PartitionScores
{
	bool		ready;
	bool		bins_null;		/* bins was NULL: every score NULL */
	int32		bins;			/* read once, on the partition's first call */
	int64		ranked;			/* N */
	int64	   *slot;			/* per row: its place among the ranked, or SLOT_* */
	int64	   *worse[RFM_DIMS];	/* L per ranked summary */
} PartitionScores;

static void *
per_row(int64 rows, Size size)
{
	return palloc_extended(Max(rows, 1) * size, MCXT_ALLOC_HUGE);
}

/* Money keys compare at the partition's largest scale. */
static void
align_money(int128 *money, const int16 *scales, int64 n)
{
	int			max_scale = 0;
	int64		i;

	for (i = 0; i < n; i++)
		max_scale = Max(max_scale, scales[i]);
	for (i = 0; i < n; i++)
	{
		int			shift = max_scale - scales[i];

		if (shift > 0 && __builtin_mul_overflow(money[i], rfm_pow10[shift], &money[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("monetary totals of this partition are too far apart in scale to compare exactly")));
	}
}

/*
 * Reads every summary of the partition once and ranks each dimension,
 * oriented so that bigger is better (recency: fewer days).
 */
static void
compute_partition(WindowObject winobj, PartitionScores *scores, bool lapsed_apart)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(scores));
	int64		rows = WinGetPartitionRowCount(winobj);
	int64	   *fewer_days = per_row(rows, sizeof(int64));
	int64	   *frequency = per_row(rows, sizeof(int64));
	int128	   *money = per_row(rows, sizeof(int128));
	int16	   *scales = per_row(rows, sizeof(int16));
	int64		n = 0;
	int64		row;
	int			dim;

	scores->slot = per_row(rows, sizeof(int64));
	for (row = 0; row < rows; row++)
	{
		bool		isnull;
		bool		isout;
		Datum		d = WinGetFuncArgInPartition(winobj, 0, row, WINDOW_SEEK_HEAD,
												 false, &isnull, &isout);
		RfmSummary *s = isnull || isout ? NULL : DatumGetRfmSummaryP(d);

		CHECK_FOR_INTERRUPTS();
		if (s == NULL || rfm_summary_is_empty(s))
		{
			scores->slot[row] = SLOT_NULL;
			continue;
		}
		if (lapsed_apart && rfm_summary_is_lapsed(s))
		{
			scores->slot[row] = SLOT_LAPSED;
			continue;
		}
		scores->slot[row] = n;
		fewer_days[n] = -rfm_whole_days(s->last_order, s->as_of);
		frequency[n] = s->frequency;
		money[n] = s->money;
		scales[n] = s->scale;
		n++;
	}
	align_money(money, scales, n);

	for (dim = 0; dim < RFM_DIMS; dim++)
		scores->worse[dim] = per_row(n, sizeof(int64));
	rfm_count_worse64(fewer_days, n, scores->worse[RFM_DIM_RECENCY]);
	rfm_count_worse64(frequency, n, scores->worse[RFM_DIM_FREQUENCY]);
	rfm_count_worse128(money, n, scores->worse[RFM_DIM_MONETARY]);

	pfree(fewer_days);
	pfree(frequency);
	pfree(money);
	pfree(scales);
	MemoryContextSwitchTo(old);
	scores->ranked = n;
}

/*
 * The number of bins, read on the partition's first call (as ntile reads its
 * argument): evaluating it again for every row would cost a call per row.
 */
static void
read_bins(WindowObject winobj, PartitionScores *scores, int nargs)
{
	bool		isnull = false;

	scores->bins = 5;
	if (nargs > 1)
		scores->bins = DatumGetInt32(WinGetFuncArgCurrent(winobj, 1, &isnull));
	scores->bins_null = isnull;
	if (!isnull)
		rfm_check_bins(scores->bins);
}

static Datum
score_window(FunctionCallInfo fcinfo, bool lapsed_apart)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	PartitionScores *scores = WinGetPartitionLocalMemory(winobj, sizeof(PartitionScores));
	int64		slot;
	int			digit[RFM_DIMS];
	int			dim;

	if (!scores->ready)
	{
		read_bins(winobj, scores, PG_NARGS());
		if (!scores->bins_null)
			compute_partition(winobj, scores, lapsed_apart);
		scores->ready = true;
	}
	if (scores->bins_null)
		PG_RETURN_NULL();
	slot = scores->slot[WinGetCurrentPosition(winobj)];
	if (slot == SLOT_NULL)
		PG_RETURN_NULL();
	if (slot == SLOT_LAPSED)
		PG_RETURN_RFM_SCORE(RFM_SCORE_LAPSED);

	for (dim = 0; dim < RFM_DIMS; dim++)
		digit[dim] = 1 + (int) (scores->bins * scores->worse[dim][slot] / scores->ranked);
	PG_RETURN_RFM_SCORE(rfm_score_compose(digit[RFM_DIM_RECENCY], digit[RFM_DIM_FREQUENCY],
										  digit[RFM_DIM_MONETARY]));
}

/* 0.1: lapsed summaries are ranked with the others. */
Datum
rfm_score_window(PG_FUNCTION_ARGS)
{
	return score_window(fcinfo, false);
}

/* 0.2: lapsed summaries score 111 and are not counted. */
Datum
rfm_score_window_lapsed_apart(PG_FUNCTION_ARGS)
{
	return score_window(fcinfo, true);
}
