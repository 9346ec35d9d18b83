/*
 * score_window.c: rfm_score(summary [, bins]) OVER (...), the quantile scores.
 *
 * The scores are score_rank.c's: per dimension 1 + floor(k * L / N).  The 0.1
 * symbol rfm_score_window ranks lapsed summaries with the others, so a
 * database still on 0.1 gets its old answers from the same library until
 * ALTER EXTENSION UPDATE; 0.2's rfm_score_window_lapsed_apart scores them 111.
 * On its first call in a partition the function reads every summary once
 * and ranks each dimension's keys within work_mem (score_rank.c); every
 * call then scores its own row's summary against the cut points.  Three ntile() calls would instead make the executor
 * sort the whole partition three times.  Over the fast grouping engine the
 * planner replaces the WindowAgg by the "RFM WindowAgg" node, which ranks the
 * same way without spooling the rows (fast_score_plan.c).
 */
#include "postgres.h"
#include "compat.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include "score_rank.h"

PG_FUNCTION_INFO_V1(rfm_score_window);
PG_FUNCTION_INFO_V1(rfm_score_window_lapsed_apart);

typedef struct PartitionScores
{
	bool		ready;
	bool		bins_null;		/* bins was NULL: every score NULL */
	int32		bins;			/* read once, on the partition's first call */
	RfmScoreRanking ranking;
} PartitionScores;

/* Reads every summary of the partition once and ranks them. */
static void
compute_partition(WindowObject winobj, PartitionScores *scores, bool lapsed_apart)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(scores));
	int64		rows = WinGetPartitionRowCount(winobj);
	int64		row;

	rfm_ranking_init(&scores->ranking, lapsed_apart, rows, work_mem);
	for (row = 0; row < rows; row++)
	{
		bool		isnull;
		bool		isout;
		Datum		d = WinGetFuncArgInPartition(winobj, 0, row, WINDOW_SEEK_HEAD,
												 false, &isnull, &isout);

		if ((row & 65535) == 0)
			CHECK_FOR_INTERRUPTS();
		rfm_ranking_add(&scores->ranking, isnull || isout ? NULL : DatumGetRfmSummaryP(d));
	}
	rfm_ranking_finish(&scores->ranking);
	MemoryContextSwitchTo(old);
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
	RfmScore	score;
	Datum		summary;
	bool		isnull;

	if (!scores->ready)
	{
		read_bins(winobj, scores, PG_NARGS());
		if (!scores->bins_null)
			compute_partition(winobj, scores, lapsed_apart);
		scores->ready = true;
	}
	if (scores->bins_null)
		PG_RETURN_NULL();
	summary = WinGetFuncArgCurrent(winobj, 0, &isnull);
	if (isnull ||
		!rfm_ranking_score(&scores->ranking, DatumGetRfmSummaryP(summary), scores->bins, &score))
		PG_RETURN_NULL();
	PG_RETURN_RFM_SCORE(score);
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
