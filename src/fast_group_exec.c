/*
 * fast_group_exec.c: executing the "RFM HashAggregate" node.
 *
 * The child plan emits (key, ordered_at, amount) per order row.  as_of and
 * period are the same for every row (the planner only picks this node when
 * they contain no column and nothing volatile), so they are evaluated once
 * per scan.  The first order that counts is passed to the aggregate's own
 * transition function, which checks as_of, period and the row exactly as
 * the Agg path would (raising the same errors) and returns the frame every
 * summary shares; after that rows go to the table (fast_group_table.c) and
 * each customer's entry is emitted as the summary rfm_summary_final would
 * return, NULL for a customer with no order on or before as_of.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/extensible.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/ruleutils.h"

#include "compat.h"
#include "fast_group.h"
#include "fast_group_table.h"
#include "order_row.h"
#include "summary.h"

/* child output columns */
#define FG_COL_KEY 0
#define FG_COL_ORDERED_AT 1
#define FG_COL_AMOUNT 2
#define FG_COLS 3
/* child output columns of the final step: key, partial summary */
#define FG_COL_STATE 1
#define FG_STATE_COLS 2

typedef struct FgScanState
{
	CustomScanState css;
	FgMode		mode;
	RfmTimeKind time_kind;
	RfmAmountKind amount_kind;
	Oid			key_type;
	double		groups;			/* planner's estimate */
	FmgrInfo	transfn;
	int			trans_nargs;
	ExprState  *as_of_expr;
	ExprState  *period_expr;	/* NULL for the 3-argument aggregate */
	MemoryContext row_cxt;		/* what reading a row allocates, reset often */
	FgTable    *table;

	/* per scan */
	bool		built;
	bool		frame_ready;
	Datum		as_of;
	bool		as_of_null;
	Datum		period;
	bool		period_null;
	bool		null_key_seen;
	FgEntry		null_entry;		/* the NULL customer: one group, as in GROUP BY */
	bool		null_key_done;
	uint64		cursor;
	int64		emitted;
	int64		input_rows;
} FgScanState;

static PlanState *
child_of(FgScanState *st)
{
	return (PlanState *) linitial(st->css.custom_ps);
}

static void
fg_begin(CustomScanState *node, EState *estate, int eflags)
{
	FgScanState *st = (FgScanState *) node;
	CustomScan *cscan = (CustomScan *) node->ss.ps.plan;
	List	   *private = cscan->custom_private;
	Oid			transfn;

	st->mode = intVal(list_nth(private, FG_PRIVATE_MODE));
	st->time_kind = intVal(list_nth(private, FG_PRIVATE_TIME_KIND));
	st->amount_kind = intVal(list_nth(private, FG_PRIVATE_AMOUNT_KIND));
	st->key_type = intVal(list_nth(private, FG_PRIVATE_KEY_TYPE));
	transfn = intVal(list_nth(private, FG_PRIVATE_TRANSFN));
	st->groups = intVal(list_nth(private, FG_PRIVATE_GROUPS));
	fmgr_info_cxt(transfn, &st->transfn, estate->es_query_cxt);
	st->trans_nargs = 1 + 2 + list_length(cscan->custom_exprs);

	st->as_of_expr = ExecInitExpr(linitial(cscan->custom_exprs), &node->ss.ps);
	if (list_length(cscan->custom_exprs) > 1)
		st->period_expr = ExecInitExpr(lsecond(cscan->custom_exprs), &node->ss.ps);

	node->custom_ps = list_make1(ExecInitNode(linitial(cscan->custom_plans), estate, eflags));
	st->row_cxt = AllocSetContextCreate(CurrentMemoryContext, "rfm fast grouping rows",
										ALLOCSET_DEFAULT_SIZES);
	st->table = fg_table_create(CurrentMemoryContext, RFM_HASH_MEM_BYTES(), st->groups);
}

/* as_of and period, evaluated once per scan into query-lifetime memory */
static void
evaluate_constants(FgScanState *st)
{
	ExprContext *econtext = st->css.ss.ps.ps_ExprContext;
	MemoryContext query_cxt = st->css.ss.ps.state->es_query_cxt;

	st->as_of = ExecEvalExprSwitchContext(st->as_of_expr, econtext, &st->as_of_null);
	st->period_null = true;
	if (st->period_expr)
	{
		MemoryContext old;

		st->period = ExecEvalExprSwitchContext(st->period_expr, econtext, &st->period_null);
		old = MemoryContextSwitchTo(query_cxt);
		if (!st->period_null)
			st->period = datumCopy(st->period, false, sizeof(Interval));
		MemoryContextSwitchTo(old);
	}
}

/*
 * The aggregate's transition function on one row, from an empty state: it
 * validates as_of, period and the row as the Agg path does, raising its
 * errors; its state carries the frame.
 */
static RfmSummary *
call_transition(FgScanState *st, Datum ordered_at, Datum amount)
{
	LOCAL_FCINFO(fcinfo, 5);
	Datum		result;

	InitFunctionCallInfoData(*fcinfo, &st->transfn, st->trans_nargs, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = (Datum) 0;
	fcinfo->args[0].isnull = true;
	fcinfo->args[1].value = ordered_at;
	fcinfo->args[1].isnull = false;
	fcinfo->args[2].value = amount;
	fcinfo->args[2].isnull = false;
	fcinfo->args[3].value = st->as_of;
	fcinfo->args[3].isnull = false;
	if (st->trans_nargs > 4)
	{
		fcinfo->args[4].value = st->period;
		fcinfo->args[4].isnull = st->period_null;
	}
	result = FunctionCallInvoke(fcinfo);
	if (fcinfo->isnull)
		elog(ERROR, "rfm fast grouping: transition function returned NULL for a complete row");
	return DatumGetRfmSummaryP(result);
}

static void
init_frame(FgScanState *st, Datum ordered_at, Datum amount)
{
	RfmSummary *state = call_transition(st, ordered_at, amount);

	st->table->frame.as_of = state->as_of;
	st->table->frame.since = state->since;
	st->table->frame.kind = state->kind;
	st->table->frame.flags = state->flags;
	st->frame_ready = true;
}

static int64
key_of(Oid key_type, Datum d)
{
	switch (key_type)
	{
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
			return DatumGetInt32(d);
		default:
			return DatumGetInt64(d);
	}
}

static Datum
datum_of_key(Oid key_type, int64 key)
{
	switch (key_type)
	{
		case INT2OID:
			return Int16GetDatum((int16) key);
		case INT4OID:
			return Int32GetDatum((int32) key);
		default:
			return Int64GetDatum(key);
	}
}

/* One order row: what it adds to its customer (orders_ever = 0: nothing). */
static inline void
read_order(FgScanState *st, Datum *values, bool *isnull, FgRow *row)
{
	const FgFrame *frame = &st->table->frame;
	int64		ordered_at;

	if (isnull[FG_COL_ORDERED_AT] || isnull[FG_COL_AMOUNT] || st->as_of_null)
		return;
	if (!st->frame_ready)
		init_frame(st, values[FG_COL_ORDERED_AT], values[FG_COL_AMOUNT]);
	ordered_at = rfm_instant_of(st->time_kind, values[FG_COL_ORDERED_AT]);
	if (ordered_at > frame->as_of)
		return;
	if (ordered_at == DT_NOBEGIN)	/* raises the aggregate's error */
		(void) call_transition(st, values[FG_COL_ORDERED_AT], values[FG_COL_AMOUNT]);
	row->first_order = row->last_order = ordered_at;
	row->orders_ever = 1;
	/* as the transition function, the amount is read only inside the period */
	if (!(frame->flags & RFM_HAS_PERIOD) || ordered_at > frame->since)
	{
		RfmAmount	amount;

		rfm_amount_of(st->amount_kind, values[FG_COL_AMOUNT], &amount);
		row->frequency = 1;
		row->money = amount.value;
		row->scale = amount.scale;
		row->dscale = amount.dscale;
	}
}

/* A worker's partial summary of one customer (the final step of a parallel plan). */
static inline void
read_partial(FgScanState *st, Datum *values, bool *isnull, FgRow *row)
{
	RfmSummary *s;

	if (isnull[FG_COL_STATE])
		return;
	s = DatumGetRfmSummaryP(values[FG_COL_STATE]);
	if (!st->frame_ready)
	{
		st->table->frame.as_of = s->as_of;
		st->table->frame.since = s->since;
		st->table->frame.kind = s->kind;
		st->table->frame.flags = s->flags;
		st->frame_ready = true;
	}
	row->first_order = s->first_order;
	row->last_order = s->last_order;
	row->orders_ever = s->orders_ever;
	row->frequency = s->frequency;
	row->money = s->money;
	row->scale = s->scale;
	row->dscale = s->dscale;
}

/* Reads one input row into the table (or the NULL customer). */
static inline void
read_row(FgScanState *st, TupleTableSlot *slot)
{
	Datum	   *values = slot->tts_values;
	bool	   *isnull = slot->tts_isnull;
	FgRow		row;

	slot_getsomeattrs(slot, st->mode == FG_MODE_FINAL ? FG_STATE_COLS : FG_COLS);
	memset(&row, 0, sizeof(row));
	if (st->mode == FG_MODE_FINAL)
		read_partial(st, values, isnull, &row);
	else
		read_order(st, values, isnull, &row);
	if (isnull[FG_COL_KEY])
	{
		st->null_key_seen = true;
		fg_entry_add(&st->null_entry, &row);
		return;
	}
	row.key = key_of(st->key_type, values[FG_COL_KEY]);
	fg_table_add(st->table, &row);
}

static void
build(FgScanState *st)
{
	PlanState  *child = child_of(st);
	MemoryContext old;

	evaluate_constants(st);
	for (;;)
	{
		/* the child runs in the query's context: scans set themselves up lazily */
		TupleTableSlot *slot = ExecProcNode(child);

		if (TupIsNull(slot))
			break;
		old = MemoryContextSwitchTo(st->row_cxt);
		read_row(st, slot);
		MemoryContextSwitchTo(old);
		if ((++st->input_rows & 1023) == 0)
			MemoryContextReset(st->row_cxt);
	}
	MemoryContextReset(st->row_cxt);
	fg_table_finish_input(st->table);
	st->built = true;
}

/* An entry's figures in the frame of the scan: a summary. */
static void
fill_summary(const FgScanState *st, const FgEntry *entry, RfmSummary *s)
{
	const FgFrame *frame = &st->table->frame;

	memset(s, 0, sizeof(RfmSummary));
	s->as_of = frame->as_of;
	s->since = frame->since;
	s->kind = frame->kind;
	s->flags = frame->flags;
	s->first_order = entry->first_order;
	s->last_order = entry->last_order;
	s->frequency = entry->frequency;
	s->orders_ever = entry->orders_ever;
	s->money = entry->money;
	s->scale = entry->scale;
	s->dscale = entry->dscale;
}

/*
 * The customer's summary as rfm_summary_final returns it, or NULL; in a
 * parallel worker, its partial summary (a transition state, which may have
 * no order) or NULL when the worker saw no complete row at all.
 */
static void
store_group(FgScanState *st, TupleTableSlot *slot, const FgEntry *entry, bool key_null)
{
	ExecClearTuple(slot);
	slot->tts_values[0] = key_null ? (Datum) 0 : datum_of_key(st->key_type, entry->key);
	slot->tts_isnull[0] = key_null;
	if (st->mode == FG_MODE_PARTIAL ? !st->frame_ready : entry->orders_ever == 0)
	{
		slot->tts_values[1] = (Datum) 0;
		slot->tts_isnull[1] = true;
	}
	else
	{
		RfmSummary *s = MemoryContextAlloc(st->css.ss.ps.ps_ExprContext->ecxt_per_tuple_memory,
										   sizeof(RfmSummary));

		fill_summary(st, entry, s);
		slot->tts_values[1] = PointerGetDatum(s);
		slot->tts_isnull[1] = false;
	}
	ExecStoreVirtualTuple(slot);
	st->emitted++;
}

/* The next customer: the table's, the NULL customer's, then spilled batches'. */
static TupleTableSlot *
next_group(ScanState *node)
{
	FgScanState *st = (FgScanState *) node;
	TupleTableSlot *slot = node->ss_ScanTupleSlot;
	FgTable    *table;

	if (!st->built)
		build(st);
	table = st->table;
	for (;;)
	{
		if (st->cursor < table->count)
		{
			if ((st->cursor & 65535) == 0)
				CHECK_FOR_INTERRUPTS();
			store_group(st, slot, fg_table_entry(table, (uint32) st->cursor++), false);
			return slot;
		}
		if (st->null_key_seen && !st->null_key_done)
		{
			st->null_key_done = true;
			store_group(st, slot, &st->null_entry, true);
			return slot;
		}
		if (!fg_table_next_batch(table))
			return ExecClearTuple(slot);
		st->cursor = 0;
	}
}

/* An aggregate's output has nothing to recheck (ExecScan's callback). */
static bool
recheck_group(ScanState *node pg_attribute_unused(),
			  TupleTableSlot *slot pg_attribute_unused())
{
	return true;
}

static TupleTableSlot *
fg_exec(CustomScanState *node)
{
	return ExecScan(&node->ss, next_group, recheck_group);
}

static void
forget_scan(FgScanState *st)
{
	fg_table_reset(st->table);
	st->built = false;
	st->frame_ready = false;
	st->null_key_seen = false;
	st->null_key_done = false;
	memset(&st->null_entry, 0, sizeof(FgEntry));
	st->cursor = 0;
	st->emitted = 0;
	st->input_rows = 0;
}

static void
fg_end(CustomScanState *node)
{
	FgScanState *st = (FgScanState *) node;

	fg_table_reset(st->table);
	ExecEndNode(child_of(st));
}

static void
fg_rescan(CustomScanState *node)
{
	FgScanState *st = (FgScanState *) node;
	PlanState  *child = child_of(st);

	forget_scan(st);
	if (child->chgParam == NULL)
		ExecReScan(child);
}

static void
fg_explain(CustomScanState *node, List *ancestors, ExplainState *es)
{
	FgScanState *st = (FgScanState *) node;
	CustomScan *cscan = (CustomScan *) node->ss.ps.plan;
	TargetEntry *key = linitial(cscan->custom_scan_tlist);
	List	   *context = set_deparse_context_plan(es->deparse_cxt, (Plan *) cscan, ancestors);

	ExplainPropertyText("Group Key",
						deparse_expression((Node *) key->expr, context, es->verbose, false),
						es);
	if (es->analyze && st->built)
	{
		ExplainPropertyInteger("Customers", NULL, st->emitted, es);
		ExplainPropertyInteger("Batches", NULL, st->table->batches, es);
		ExplainPropertyInteger("Spilled Rows", NULL, st->table->spilled_rows, es);
		ExplainPropertyInteger("Peak Memory Usage", "kB",
							   (int64) ((st->table->peak_bytes + 1023) / 1024), es);
	}
}

static const CustomExecMethods fg_exec_methods = {
	.CustomName = RFM_FAST_GROUP_NAME,
	.BeginCustomScan = fg_begin,
	.ExecCustomScan = fg_exec,
	.EndCustomScan = fg_end,
	.ReScanCustomScan = fg_rescan,
	.ExplainCustomScan = fg_explain,
};

bool
rfm_fast_group_is_engine(PlanState *ps)
{
	return IsA(ps, CustomScanState) && ((CustomScanState *) ps)->methods == &fg_exec_methods;
}

/*
 * Only a table that held every customer can be emitted again: spilled
 * batches are gone once summarized.  The rows come again in the same order
 * since the table is not touched while emitting.
 */
bool
rfm_fast_group_can_replay(PlanState *ps, int64 *rows)
{
	FgScanState *st = (FgScanState *) ps;

	if (!rfm_fast_group_is_engine(ps) || !st->built || st->table->spilled_rows > 0 ||
		st->table->batches != 1 || st->table->pending != NIL)
		return false;
	*rows = st->table->count + (st->null_key_seen ? 1 : 0);
	return true;
}

void
rfm_fast_group_replay(PlanState *ps)
{
	FgScanState *st = (FgScanState *) ps;
	int64		rows;

	if (!rfm_fast_group_can_replay(ps, &rows))
		elog(ERROR, "rfm fast grouping: the engine cannot emit its rows again");
	st->cursor = 0;
	st->null_key_done = false;
	st->emitted = 0;
}

void
rfm_fast_group_build(PlanState *ps)
{
	FgScanState *st = (FgScanState *) ps;

	Assert(rfm_fast_group_is_engine(ps));
	if (!st->built)
		build(st);
}

/*
 * Each customer's summary (NULL for one without orders), in the order the
 * rows are emitted; only when the engine can replay, in the simple or
 * final step.
 */
void
rfm_fast_group_visit(PlanState *ps, void (*visit) (void *arg, const RfmSummary *summary),
					 void *arg)
{
	FgScanState *st = (FgScanState *) ps;
	int64		rows;
	uint32		i;
	RfmSummary	s;

	if (st->mode == FG_MODE_PARTIAL || !rfm_fast_group_can_replay(ps, &rows))
		elog(ERROR, "rfm fast grouping: the engine cannot list its summaries");
	for (i = 0; i < st->table->count; i++)
	{
		const FgEntry *entry = fg_table_entry(st->table, i);

		if ((i & 65535) == 0)
			CHECK_FOR_INTERRUPTS();
		if (entry->orders_ever == 0)
			visit(arg, NULL);
		else
		{
			fill_summary(st, entry, &s);
			visit(arg, &s);
		}
	}
	if (st->null_key_seen)
	{
		fill_summary(st, &st->null_entry, &s);
		visit(arg, st->null_entry.orders_ever == 0 ? NULL : &s);
	}
}

static Node *
fg_create_state(CustomScan *cscan pg_attribute_unused())
{
	FgScanState *st = (FgScanState *) newNode(sizeof(FgScanState), T_CustomScanState);

	st->css.methods = &fg_exec_methods;
	return (Node *) st;
}

/* One name per mode, so that EXPLAIN shows which step a node is. */
const CustomScanMethods rfm_fast_group_scan_methods[3] = {
	[FG_MODE_SIMPLE] = {
		.CustomName = RFM_FAST_GROUP_NAME,
		.CreateCustomScanState = fg_create_state,
	},
	[FG_MODE_PARTIAL] = {
		.CustomName = RFM_FAST_GROUP_PARTIAL_NAME,
		.CreateCustomScanState = fg_create_state,
	},
	[FG_MODE_FINAL] = {
		.CustomName = RFM_FAST_GROUP_FINAL_NAME,
		.CreateCustomScanState = fg_create_state,
	},
};
