/*
 * fast_history_exec.c: executing the "RFM History HashAggregate" node.
 *
 * The child plan emits (key, ordered_at, amount) per order row.  as_of and
 * unit are the same for every row (the planner only picks this node when
 * they contain no column and nothing volatile), so they are evaluated once
 * per scan.  Each row is checked as rfm_history's transition function
 * checks it, with the same functions and errors (predict_history.c): a row
 * with a NULL argument is skipped, as_of and unit are validated on the
 * first complete row, an order after as_of is ignored, one at -infinity is
 * an error.  The rest become (customer, period, amount) records for the
 * table (fast_history_table.c), and each customer is emitted as the
 * history rfm_history_final would return (the same function makes it),
 * NULL for a customer with no order on or before as_of.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/extensible.h"
#include "utils/memutils.h"
#include "utils/ruleutils.h"
#include "utils/timestamp.h"

#include "compat.h"
#include "fast_group_input.h"
#include "fast_history.h"
#include "fast_history_table.h"
#include "order_row.h"
#include "predict.h"

/* child output columns */
#define FH_COL_KEY 0
#define FH_COL_ORDERED_AT 1
#define FH_COL_AMOUNT 2
#define FH_COLS 3

typedef struct FhScanState
{
	CustomScanState css;
	RfmTimeKind time_kind;
	RfmAmountKind amount_kind;
	Oid			key_type;
	double		groups;			/* planner's estimate */
	ExprState  *as_of_expr;
	ExprState  *unit_expr;
	MemoryContext row_cxt;		/* what reading a row allocates, reset often */
	FhTable    *table;

	/* per scan */
	bool		built;
	bool		in_memory;		/* the table holds customers to emit */
	bool		constants_null; /* as_of or unit is NULL: every row is skipped */
	Datum		as_of_datum;
	Datum		unit_datum;
	bool		frame_ready;
	int64		as_of;
	int64		unit;
	uint64		cursor;
	bool		null_done;
	int64		emitted;
	int64		input_rows;
} FhScanState;

static PlanState *
child_of(FhScanState *st)
{
	return (PlanState *) linitial(st->css.custom_ps);
}

static void
fh_begin(CustomScanState *node, EState *estate, int eflags)
{
	FhScanState *st = (FhScanState *) node;
	CustomScan *cscan = (CustomScan *) node->ss.ps.plan;
	List	   *private = cscan->custom_private;

	st->time_kind = intVal(list_nth(private, FH_PRIVATE_TIME_KIND));
	st->amount_kind = intVal(list_nth(private, FH_PRIVATE_AMOUNT_KIND));
	st->key_type = intVal(list_nth(private, FH_PRIVATE_KEY_TYPE));
	st->groups = intVal(list_nth(private, FH_PRIVATE_GROUPS));
	st->as_of_expr = ExecInitExpr(linitial(cscan->custom_exprs), &node->ss.ps);
	st->unit_expr = ExecInitExpr(lsecond(cscan->custom_exprs), &node->ss.ps);
	node->custom_ps = list_make1(ExecInitNode(linitial(cscan->custom_plans), estate, eflags));
	st->row_cxt = AllocSetContextCreate(CurrentMemoryContext, "rfm fast grouping rows",
										ALLOCSET_DEFAULT_SIZES);
	st->table = fh_table_create(CurrentMemoryContext, RFM_HASH_MEM_BYTES(), st->groups,
								intVal(list_nth(private, FH_PRIVATE_ROWS)));
}

/* as_of and unit, evaluated once per scan (constants: they live as long as the plan) */
static void
evaluate_constants(FhScanState *st)
{
	ExprContext *econtext = st->css.ss.ps.ps_ExprContext;
	MemoryContext old = MemoryContextSwitchTo(st->css.ss.ps.state->es_query_cxt);
	bool		as_of_null;
	bool		unit_null;

	st->as_of_datum = ExecEvalExpr(st->as_of_expr, econtext, &as_of_null);
	st->unit_datum = ExecEvalExpr(st->unit_expr, econtext, &unit_null);
	MemoryContextSwitchTo(old);
	st->constants_null = as_of_null || unit_null;
}

/*
 * One order row as a record: an order on or before as_of, or (NO_ORDER)
 * only its customer, as the transition function skips or ignores it.
 */
static inline void
read_order(FhScanState *st, Datum *values, bool *isnull, FhRecord *r)
{
	int64		ordered_at;
	RfmAmount	amount;

	if (isnull[FH_COL_ORDERED_AT] || isnull[FH_COL_AMOUNT] || st->constants_null)
	{
		r->flags |= FH_RECORD_NO_ORDER;
		return;
	}
	if (!st->frame_ready)
	{
		rfm_history_frame(st->time_kind, st->as_of_datum,
						  DatumGetIntervalP(st->unit_datum), &st->as_of, &st->unit);
		st->frame_ready = true;
	}
	ordered_at = rfm_instant_of(st->time_kind, values[FH_COL_ORDERED_AT]);
	if (ordered_at > st->as_of)
	{
		r->flags |= FH_RECORD_NO_ORDER;
		return;
	}
	rfm_history_check_order(ordered_at);
	r->period = rfm_history_period(ordered_at, st->unit);
	rfm_amount_of(st->amount_kind, values[FH_COL_AMOUNT], &amount);
	r->value = amount.value;
	r->scale = (int16) amount.scale;
}

/* One input row into the table (fg_read_input's read_row: it never stops). */
static bool
read_row(void *arg, TupleTableSlot *slot)
{
	FhScanState *st = arg;
	FhRecord	r;

	slot_getsomeattrs(slot, FH_COLS);
	memset(&r, 0, sizeof(r));
	if (slot->tts_isnull[FH_COL_KEY])
		r.flags = FH_RECORD_NULL_KEY;
	else
		r.key = fg_key_of(st->key_type, slot->tts_values[FH_COL_KEY]);
	read_order(st, slot->tts_values, slot->tts_isnull, &r);
	fh_table_add(st->table, &r);
	return true;
}

static void
build(FhScanState *st)
{
	evaluate_constants(st);
	fg_read_input(child_of(st), st->row_cxt, &st->input_rows, read_row, st);
	st->in_memory = fh_table_finish(st->table);
	st->built = true;
}

/* The customer's history as rfm_history_final returns it, or NULL. */
static void
store_group(FhScanState *st, TupleTableSlot *slot, const FhCustomer *c, bool key_null)
{
	MemoryContext tuple_cxt = st->css.ss.ps.ps_ExprContext->ecxt_per_tuple_memory;

	ExecClearTuple(slot);
	slot->tts_values[0] = key_null ? (Datum) 0 : fg_datum_of_key(st->key_type, c->key);
	slot->tts_isnull[0] = key_null;
	if (c->periods == 0)
	{
		slot->tts_values[1] = (Datum) 0;
		slot->tts_isnull[1] = true;
	}
	else
	{
		RfmHistory *h = MemoryContextAlloc(tuple_cxt, sizeof(RfmHistory));

		rfm_history_make(h, st->unit, st->as_of, c->periods, c->first, c->last,
						 c->repeat, c->repeat_scale);
		slot->tts_values[1] = PointerGetDatum(h);
		slot->tts_isnull[1] = false;
	}
	ExecStoreVirtualTuple(slot);
	st->emitted++;
}

/* The next customer: the table's, the NULL customer's, then the spilled batches'. */
static TupleTableSlot *
next_group(ScanState *node)
{
	FhScanState *st = (FhScanState *) node;
	TupleTableSlot *slot = node->ss_ScanTupleSlot;
	FhTable    *table;

	if (!st->built)
		build(st);
	table = st->table;
	for (;;)
	{
		if (st->in_memory && st->cursor < table->customers->count)
		{
			if ((st->cursor & 65535) == 0)
				CHECK_FOR_INTERRUPTS();
			store_group(st, slot, fh_table_customer(table, (uint32) st->cursor++), false);
			return slot;
		}
		if (st->in_memory && table->null_seen && !st->null_done)
		{
			st->null_done = true;
			store_group(st, slot, &table->null_customer, true);
			return slot;
		}
		if (!fh_table_next_batch(table))
			return ExecClearTuple(slot);
		st->in_memory = true;
		st->cursor = 0;
		st->null_done = false;
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
fh_exec(CustomScanState *node)
{
	return ExecScan(&node->ss, next_group, recheck_group);
}

static void
fh_end(CustomScanState *node)
{
	FhScanState *st = (FhScanState *) node;

	fh_table_reset(st->table);
	ExecEndNode(child_of(st));
}

static void
fh_rescan(CustomScanState *node)
{
	FhScanState *st = (FhScanState *) node;
	PlanState  *child = child_of(st);

	fh_table_reset(st->table);
	st->built = false;
	st->in_memory = false;
	st->frame_ready = false;
	st->cursor = 0;
	st->null_done = false;
	st->emitted = 0;
	st->input_rows = 0;
	if (child->chgParam == NULL)
		ExecReScan(child);
}

static void
fh_explain(CustomScanState *node, List *ancestors, ExplainState *es)
{
	FhScanState *st = (FhScanState *) node;
	CustomScan *cscan = (CustomScan *) node->ss.ps.plan;
	List	   *context = set_deparse_context_plan(es->deparse_cxt, (Plan *) cscan, ancestors);
	FgTable    *customers = st->table->customers;

	ExplainPropertyText("Group Key",
						deparse_expression((Node *) ((TargetEntry *) linitial(cscan->custom_scan_tlist))->expr,
										   context, es->verbose, false),
						es);
	if (es->analyze && st->built)
	{
		ExplainPropertyInteger("Customers", NULL, st->emitted, es);
		ExplainPropertyInteger("Batches", NULL, customers->batches, es);
		ExplainPropertyInteger("Spilled Records", NULL, st->table->written, es);
		if (es->verbose)
			ExplainPropertyInteger("Customers Out of Order", NULL, st->table->out_of_order_total, es);
		ExplainPropertyInteger("Peak Memory Usage", "kB",
							   (int64) ((customers->peak_bytes + 1023) / 1024), es);
	}
}

static const CustomExecMethods fh_exec_methods = {
	.CustomName = RFM_FAST_HISTORY_NAME,
	.BeginCustomScan = fh_begin,
	.ExecCustomScan = fh_exec,
	.EndCustomScan = fh_end,
	.ReScanCustomScan = fh_rescan,
	.ExplainCustomScan = fh_explain,
};

static Node *
fh_create_state(CustomScan *cscan pg_attribute_unused())
{
	FhScanState *st = (FhScanState *) newNode(sizeof(FhScanState), T_CustomScanState);

	st->css.methods = &fh_exec_methods;
	return (Node *) st;
}

const CustomScanMethods rfm_fast_history_scan_methods = {
	.CustomName = RFM_FAST_HISTORY_NAME,
	.CreateCustomScanState = fh_create_state,
};
