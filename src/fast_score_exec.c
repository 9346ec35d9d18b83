/*
 * fast_score_exec.c: executing the "RFM WindowAgg" node.
 *
 * First pass: every row of the child is read once and each window
 * function's summary argument added to its ranking (score_rank.c, the
 * window function's own code).  Second pass: the engine below emits the
 * same rows again from its table (rfm_fast_group_replay) and each row's
 * summary is scored against the ranking's cut points.  When the engine cannot do that (its customers did
 * not fit in memory and were summarized batch by batch from disk), the
 * first pass spools the rows into a tuplestore, as WindowAgg does.
 */
#include "postgres.h"

#include "commands/explain.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/extensible.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "compat.h"
#include "fast_group.h"
#include "fast_score.h"
#include "score_rank.h"

typedef struct FsFunc
{
	ExprState  *arg;
	ExprState  *bins_expr;
	bool		lapsed_apart;
	int			owner;			/* the function whose ranking this one uses */
	int32		bins;
	bool		bins_null;
	RfmScoreRanking ranking;	/* used when owner is this function */
} FsFunc;

typedef struct FsScanState
{
	CustomScanState css;
	int			child_cols;
	bool		direct;			/* the summaries can be read from the engine's table */
	int			nfuncs;
	FsFunc	   *funcs;
	PlanState  *engine;			/* the engine under the child, or NULL */
	MemoryContext rank_cxt;		/* rankings and the spool */

	/* per scan */
	bool		ranked;
	bool		ranked_from_table;
	Tuplestorestate *spool;	/* the rows, if the engine cannot emit them again */
	TupleTableSlot *spool_slot;
	int64		rows;
	int64		position;
} FsScanState;

static PlanState *
child_of(FsScanState *st)
{
	return (PlanState *) linitial(st->css.custom_ps);
}

/* The node below ps that passes its rows on unfiltered, or NULL. */
static PlanState *
pass_through(PlanState *ps)
{
	if (ps->qual != NULL)
		return NULL;
	if (IsA(ps, SubqueryScanState))
		return ((SubqueryScanState *) ps)->subplan;
	if (IsA(ps, ResultState) && ((ResultState *) ps)->resconstantqual == NULL)
		return outerPlanState(ps);
	return NULL;
}

/* The engine the child's rows come from unchanged in number and order, or NULL. */
static PlanState *
engine_under(PlanState *ps)
{
	for (; ps != NULL; ps = pass_through(ps))
	{
		/*
		 * An engine with HAVING emits the same rows again: its qual is
		 * evaluated again on the same summaries, and the planner puts no
		 * volatile function there.
		 */
		if (rfm_fast_group_is_engine(ps))
			return ps;
	}
	return NULL;
}

/*
 * Before the engine is read directly: a rescan left pending on the way down
 * (a node whose parameters changed rescans at its next row) is done now, or
 * it would come during the second pass and rebuild the table after it was
 * ranked.
 */
static void
settle_rescans(PlanState *ps)
{
	for (; ps != NULL; ps = rfm_fast_group_is_engine(ps) ? NULL : pass_through(ps))
	{
		if (ps->chgParam != NULL)
			ExecReScan(ps);
	}
}

static void
fs_begin(CustomScanState *node, EState *estate, int eflags)
{
	FsScanState *st = (FsScanState *) node;
	CustomScan *cscan = (CustomScan *) node->ss.ps.plan;
	List	   *private = cscan->custom_private;
	int			i;

	st->child_cols = intVal(list_nth(private, FS_PRIVATE_CHILD_COLS));
	st->direct = intVal(list_nth(private, FS_PRIVATE_DIRECT));
	st->nfuncs = list_length(cscan->custom_exprs) / 2;
	st->funcs = palloc0(st->nfuncs * sizeof(FsFunc));
	for (i = 0; i < st->nfuncs; i++)
	{
		FsFunc	   *f = &st->funcs[i];

		f->arg = ExecInitExpr(list_nth(cscan->custom_exprs, 2 * i), &node->ss.ps);
		f->bins_expr = ExecInitExpr(list_nth(cscan->custom_exprs, 2 * i + 1), &node->ss.ps);
		f->lapsed_apart = intVal(list_nth(private, FS_PRIVATE_FUNCS + FS_PRIVATE_PER_FUNC * i));
		f->owner = intVal(list_nth(private, FS_PRIVATE_FUNCS + FS_PRIVATE_PER_FUNC * i + 1));
	}
	/* the rows are read twice, never backwards: the child needs no more than that */
	node->custom_ps = list_make1(ExecInitNode(linitial(cscan->custom_plans), estate,
											  eflags & ~(EXEC_FLAG_BACKWARD | EXEC_FLAG_MARK)));
	st->engine = engine_under(child_of(st));
	st->rank_cxt = AllocSetContextCreate(CurrentMemoryContext, "rfm fast scoring",
										 ALLOCSET_DEFAULT_SIZES);
}

/* The scan tuple: the child's row, then the scores (left NULL here). */
static TupleTableSlot *
store_row(FsScanState *st, TupleTableSlot *row)
{
	TupleTableSlot *scan = st->css.ss.ss_ScanTupleSlot;
	int			i;

	ExecClearTuple(scan);
	slot_getsomeattrs(row, st->child_cols);
	memcpy(scan->tts_values, row->tts_values, st->child_cols * sizeof(Datum));
	memcpy(scan->tts_isnull, row->tts_isnull, st->child_cols * sizeof(bool));
	for (i = 0; i < st->nfuncs; i++)
	{
		scan->tts_values[st->child_cols + i] = (Datum) 0;
		scan->tts_isnull[st->child_cols + i] = true;
	}
	return ExecStoreVirtualTuple(scan);
}

/*
 * Once there is a row: bins, evaluated once as the window function reads
 * them on a partition's first row; the rankings.
 */
static void
start_ranking(FsScanState *st, int64 expected)
{
	ExprContext *econtext = st->css.ss.ps.ps_ExprContext;
	MemoryContext old;
	int			i;

	for (i = 0; i < st->nfuncs; i++)
	{
		FsFunc	   *f = &st->funcs[i];

		f->bins = DatumGetInt32(ExecEvalExprSwitchContext(f->bins_expr, econtext, &f->bins_null));
		if (!f->bins_null)
			rfm_check_bins(f->bins);
	}
	old = MemoryContextSwitchTo(st->rank_cxt);
	for (i = 0; i < st->nfuncs; i++)
		if (st->funcs[i].owner == i)
			rfm_ranking_init(&st->funcs[i].ranking, st->funcs[i].lapsed_apart, expected,
							 work_mem);
	MemoryContextSwitchTo(old);
}

static void
finish_ranking(FsScanState *st)
{
	MemoryContext old = MemoryContextSwitchTo(st->rank_cxt);
	int			i;

	for (i = 0; i < st->nfuncs; i++)
		if (st->funcs[i].owner == i)
			rfm_ranking_finish(&st->funcs[i].ranking);
	MemoryContextSwitchTo(old);
}

/*
 * A summary read from the engine's table, for every ranking.  An engine
 * with a qual here has only "summary IS NOT NULL" (fast_score_plan.c ranks
 * from the table only then): its NULL summaries are not rows to come back.
 */
static void
rank_summary(void *arg, const RfmSummary *summary)
{
	FsScanState *st = arg;
	MemoryContext old;
	int			i;

	if (summary == NULL && st->engine->qual != NULL)
		return;
	old = MemoryContextSwitchTo(st->rank_cxt);

	for (i = 0; i < st->nfuncs; i++)
		if (st->funcs[i].owner == i)
			rfm_ranking_add(&st->funcs[i].ranking, summary);
	MemoryContextSwitchTo(old);
	st->rows++;
}

/*
 * First pass, when every argument is the engine's summary and its table
 * holds every customer: the summaries straight from the table, no rows.
 */
static bool
rank_from_engine(FsScanState *st)
{
	int64		rows;

	if (!st->direct || st->engine == NULL)
		return false;
	settle_rescans(child_of(st));
	rfm_fast_group_build(st->engine);
	if (!rfm_fast_group_can_replay(st->engine, &rows))
		return false;
	if (rows > 0)
	{
		start_ranking(st, rows);
		rfm_fast_group_visit(st->engine, rank_summary, st);
		finish_ranking(st);
	}
	rfm_fast_group_replay(st->engine);
	return true;
}

/* First pass, otherwise: each row's summaries; the rows spooled if need be. */
static void
rank_rows(FsScanState *st)
{
	ExprContext *econtext = st->css.ss.ps.ps_ExprContext;
	PlanState  *child = child_of(st);
	int64		expected = 0;
	int			i;

	for (;;)
	{
		TupleTableSlot *row = ExecProcNode(child);
		MemoryContext old;

		if (TupIsNull(row))
			break;
		if ((st->rows & 65535) == 0)
			CHECK_FOR_INTERRUPTS();
		ResetExprContext(econtext);
		econtext->ecxt_scantuple = store_row(st, row);
		if (st->rows == 0)
		{
			/* an engine that spilled cannot replay: then the rows are kept here */
			if (st->engine != NULL && !rfm_fast_group_can_replay(st->engine, &expected))
				st->engine = NULL;
			start_ranking(st, expected);
			if (st->engine == NULL)
			{
				old = MemoryContextSwitchTo(st->rank_cxt);
				st->spool = tuplestore_begin_heap(false, false, work_mem);
				st->spool_slot = MakeSingleTupleTableSlot(ExecGetResultType(child),
														  &TTSOpsMinimalTuple);
				MemoryContextSwitchTo(old);
			}
		}
		if (st->spool)
			tuplestore_puttupleslot(st->spool, row);
		old = MemoryContextSwitchTo(st->rank_cxt);
		for (i = 0; i < st->nfuncs; i++)
		{
			FsFunc	   *f = &st->funcs[i];
			bool		isnull;
			Datum		d;

			if (f->owner != i)
				continue;
			d = ExecEvalExprSwitchContext(f->arg, econtext, &isnull);
			rfm_ranking_add(&f->ranking, isnull ? NULL : DatumGetRfmSummaryP(d));
		}
		MemoryContextSwitchTo(old);
		st->rows++;
	}
	if (st->rows > 0)
	{
		finish_ranking(st);
		/* the engine emitted every row: from the start again for the second pass */
		if (st->engine != NULL)
			rfm_fast_group_replay(st->engine);
	}
}

static void
rank(FsScanState *st)
{
	st->ranked_from_table = rank_from_engine(st);
	if (!st->ranked_from_table)
		rank_rows(st);
	st->ranked = true;
}

/* Second pass: the next row, with its scores. */
static TupleTableSlot *
next_scored(ScanState *node)
{
	FsScanState *st = (FsScanState *) node;
	ExprContext *econtext = node->ps.ps_ExprContext;
	TupleTableSlot *row;
	TupleTableSlot *scan;
	int			i;

	if (!st->ranked)
		rank(st);
	if (st->position == st->rows)
		return ExecClearTuple(node->ss_ScanTupleSlot);
	if (st->spool == NULL)
		row = ExecProcNode(child_of(st));
	else
		row = tuplestore_gettupleslot(st->spool, true, false, st->spool_slot) ?
			st->spool_slot : NULL;
	if (TupIsNull(row))
		elog(ERROR, "rfm fast scoring: %lld rows ranked but only %lld came back",
			 (long long) st->rows, (long long) st->position);
	if ((st->position & 65535) == 0)
		CHECK_FOR_INTERRUPTS();
	scan = store_row(st, row);
	econtext->ecxt_scantuple = scan;
	for (i = 0; i < st->nfuncs; i++)
	{
		FsFunc	   *f = &st->funcs[i];
		RfmScore	score;
		Datum		summary;
		bool		isnull;

		if (f->bins_null)
			continue;
		summary = ExecEvalExprSwitchContext(f->arg, econtext, &isnull);
		if (!isnull &&
			rfm_ranking_score(&st->funcs[f->owner].ranking, DatumGetRfmSummaryP(summary),
							  f->bins, &score))
		{
			scan->tts_values[st->child_cols + i] = Int16GetDatum(score);
			scan->tts_isnull[st->child_cols + i] = false;
		}
	}
	st->position++;
	return scan;
}

static bool
recheck_scored(ScanState *node pg_attribute_unused(),
			   TupleTableSlot *slot pg_attribute_unused())
{
	return true;
}

static TupleTableSlot *
fs_exec(CustomScanState *node)
{
	return ExecScan(&node->ss, next_scored, recheck_scored);
}

static void
forget_scan(FsScanState *st)
{
	int			i;

	if (st->spool)
		tuplestore_end(st->spool);
	if (st->spool_slot)
		ExecDropSingleTupleTableSlot(st->spool_slot);
	for (i = 0; i < st->nfuncs; i++)
		if (st->funcs[i].owner == i)
			rfm_ranking_discard(&st->funcs[i].ranking);
	st->spool = NULL;
	st->spool_slot = NULL;
	MemoryContextReset(st->rank_cxt);
	st->ranked = false;
	st->ranked_from_table = false;
	st->rows = 0;
	st->position = 0;
	st->engine = engine_under(child_of(st));
}

static void
fs_end(CustomScanState *node)
{
	FsScanState *st = (FsScanState *) node;

	forget_scan(st);
	ExecEndNode(child_of(st));
}

static void
fs_rescan(CustomScanState *node)
{
	FsScanState *st = (FsScanState *) node;
	PlanState  *child = child_of(st);

	forget_scan(st);
	if (child->chgParam == NULL)
		ExecReScan(child);
}

static void
fs_explain(CustomScanState *node, List *ancestors pg_attribute_unused(), ExplainState *es)
{
	FsScanState *st = (FsScanState *) node;

	if (es->analyze && st->ranked)
	{
		Size		bytes = 0;
		int64		sort_kb = 0;
		bool		external = false;
		bool		on_disk = false;
		int			i;

		for (i = 0; i < st->nfuncs; i++)
		{
			const RfmScoreRanking *r = &st->funcs[i].ranking;

			if (st->funcs[i].owner != i || st->rows == 0)
				continue;
			bytes += r->peak_bytes;
			sort_kb += r->sort_space_kb;
			external |= r->external;
			on_disk |= r->sort_on_disk;
		}
		ExplainPropertyText("Summaries Ranked From",
							st->ranked_from_table ? "the engine's table" : "the rows", es);
		ExplainPropertyText("Rows Emitted From",
							st->spool == NULL ? "the engine, again" : "a spool", es);
		ExplainPropertyText("Ranking", !external ? "in memory" :
							on_disk ? "external sort, on disk" : "external sort, in memory", es);
		if (external)
			ExplainPropertyInteger("Ranking Sort Space", "kB", sort_kb, es);
		else
			ExplainPropertyInteger("Peak Memory Usage", "kB", (int64) ((bytes + 1023) / 1024), es);
	}
}

static const CustomExecMethods fs_exec_methods = {
	.CustomName = RFM_FAST_SCORE_NAME,
	.BeginCustomScan = fs_begin,
	.ExecCustomScan = fs_exec,
	.EndCustomScan = fs_end,
	.ReScanCustomScan = fs_rescan,
	.ExplainCustomScan = fs_explain,
};

static Node *
fs_create_state(CustomScan *cscan pg_attribute_unused())
{
	FsScanState *st = (FsScanState *) newNode(sizeof(FsScanState), T_CustomScanState);

	st->css.methods = &fs_exec_methods;
	return (Node *) st;
}

const CustomScanMethods rfm_fast_score_scan_methods = {
	.CustomName = RFM_FAST_SCORE_NAME,
	.CreateCustomScanState = fs_create_state,
};
