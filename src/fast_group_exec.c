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

#include "access/htup_details.h"
#include "access/parallel.h"
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
#include "fast_group_cells.h"
#include "fast_group_input.h"
#include "fast_group_parallel.h"
#include "fast_group_table.h"
#include "order_row.h"
#include "summary.h"

/* child output columns (with one key column: cells shift them) */
#define FG_COL_KEY 0
#define FG_COLS 3
/* child output columns of the final step: key, partial summary */
#define FG_STATE_COLS 2

/*
 * The parallel engine's table of its share of the orders, at most (within
 * work_mem × hash_mem_multiplier): when full, its customers are written
 * out as partial summaries and it starts again.
 */
#ifndef FG_SHARE_TABLE_BYTES
#define FG_SHARE_TABLE_BYTES ((Size) 1 << 40)
#endif

/*
 * The cells path queues rows as the fast path does, so that the cache
 * misses of a batch (index bucket, entry, key bytes) overlap: each row's
 * values are copied (they outlive the child's slot) with its summary
 * figures and its key's hash.
 */
typedef struct FgQueue
{
	MemoryContext cxt;			/* the copies, reset after each batch */
	TupleDesc	desc;			/* the child's rows */
	int			natts;
	Datum	   *values;			/* FG_BATCH_ROWS × natts */
	bool	   *isnull;
	FgRow		rows[FG_BATCH_ROWS];
	uint64		hash[FG_BATCH_ROWS];
	FgEntry    *candidate[FG_BATCH_ROWS];
	int			count;
} FgQueue;

typedef struct FgScanState
{
	CustomScanState css;
	FgMode		mode;
	RfmTimeKind time_kind;
	RfmAmountKind amount_kind;
	Oid			key_type;
	double		groups;			/* planner's estimate */
	int			col_ordered_at;
	int			col_amount;
	FgCells    *cells;			/* NULL on the fast path (one integer key, the summary alone) */
	TupleTableSlot *spill_slot; /* a spilled row read back (cells) */
	StringInfoData spill_buf;
	FgQueue    *queue;			/* rows of the cells path waiting for their batch */
	Size		state_bytes;	/* transition states of the batches emitted, summed */
	FmgrInfo	transfn;
	int			trans_nargs;
	ExprState  *as_of_expr;
	ExprState  *period_expr;	/* NULL for the 3-argument aggregate */
	MemoryContext row_cxt;		/* what reading a row allocates, reset often */
	FgTable    *table;
	FgExchange *exchange;		/* FG_MODE_PARALLEL under a Gather that set it up */
	int64		spilled_before; /* spilled rows of the partitions merged before this one */
	Size		local_peak;		/* the parallel engine's table of its share of the orders */
	int64		partials_written;	/* by this process (EXPLAIN) */
	int64		partitions_merged;
	int			partitions;		/* of the exchange, set with its shared memory */

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

/*
 * Key columns and aggregates beside the summary: the key expressions and
 * aggregates from the scan tuple's list, the functions from the private list.
 */
static void
begin_cells(FgScanState *st, CustomScan *cscan)
{
	List	   *private = cscan->custom_private;
	int			nkeys = intVal(list_nth(private, FG_PRIVATE_KEYS));
	List	   *keys = NIL;
	List	   *eq_fns = NIL;
	List	   *hash_fns = NIL;
	List	   *aggrefs = NIL;
	ListCell   *lc;
	int			i = 0;

	foreach(lc, cscan->custom_scan_tlist)
	{
		Expr	   *expr = ((TargetEntry *) lfirst(lc))->expr;

		if (i < nkeys)
		{
			keys = lappend(keys, expr);
			eq_fns = lappend_oid(eq_fns, (Oid) intVal(list_nth(private, FG_PRIVATE_COUNT + 2 * i)));
			hash_fns = lappend_oid(hash_fns, (Oid) intVal(list_nth(private, FG_PRIVATE_COUNT + 2 * i + 1)));
		}
		else if (i > nkeys)
			aggrefs = lappend(aggrefs, expr);
		i++;
	}
	/* the arguments follow ordered_at and amount; in the final step, the states follow the summary's */
	st->cells = st->mode == FG_MODE_FINAL ?
		fg_cells_create(keys, eq_fns, hash_fns, aggrefs, nkeys + 1, FG_AGG_FINAL) :
		fg_cells_create(keys, eq_fns, hash_fns, aggrefs, nkeys + 2,
						st->mode == FG_MODE_PARTIAL ? FG_AGG_PARTIAL : FG_AGG_SIMPLE);
	st->spill_slot = MakeSingleTupleTableSlot(ExecGetResultType(child_of(st)),
											  &TTSOpsMinimalTuple);
	initStringInfo(&st->spill_buf);
	st->queue = palloc0(sizeof(FgQueue));
	st->queue->cxt = AllocSetContextCreate(CurrentMemoryContext, "rfm fast grouping queue",
										   ALLOCSET_DEFAULT_SIZES);
	st->queue->desc = ExecGetResultType(child_of(st));
	st->queue->natts = st->queue->desc->natts;
	st->queue->values = palloc0(sizeof(Datum) * FG_BATCH_ROWS * st->queue->natts);
	st->queue->isnull = palloc0(sizeof(bool) * FG_BATCH_ROWS * st->queue->natts);
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
	st->col_ordered_at = intVal(list_nth(private, FG_PRIVATE_KEYS));
	st->col_amount = st->col_ordered_at + 1;

	st->as_of_expr = ExecInitExpr(linitial(cscan->custom_exprs), &node->ss.ps);
	if (list_length(cscan->custom_exprs) > 1)
		st->period_expr = ExecInitExpr(lsecond(cscan->custom_exprs), &node->ss.ps);

	node->custom_ps = list_make1(ExecInitNode(linitial(cscan->custom_plans), estate, eflags));
	st->row_cxt = AllocSetContextCreate(CurrentMemoryContext, "rfm fast grouping rows",
										ALLOCSET_DEFAULT_SIZES);
	if (st->key_type == InvalidOid)
		begin_cells(st, cscan);
	/*
	 * The parallel engine's table holds one partition at a time, and is made
	 * small: while this participant writes, its own grouping table and the
	 * write buffers have the budget; it grows with the first partition.
	 */
	st->table = fg_table_create(CurrentMemoryContext, RFM_HASH_MEM_BYTES(),
								st->mode == FG_MODE_PARALLEL ? 0 : st->groups,
								st->cells ? FG_CELLS_ENTRY_BYTES(st->cells->nkeys, st->cells->naggs)
								: sizeof(FgEntry));
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

/* One order row: what it adds to its customer (orders_ever = 0: nothing). */
static inline void
read_order(FgScanState *st, Datum *values, bool *isnull, FgRow *row)
{
	const FgFrame *frame = &st->table->frame;
	int64		ordered_at;

	Datum		ordered_at_datum = values[st->col_ordered_at];
	Datum		amount_datum = values[st->col_amount];

	if (isnull[st->col_ordered_at] || isnull[st->col_amount] || st->as_of_null)
		return;
	if (!st->frame_ready)
		init_frame(st, ordered_at_datum, amount_datum);
	ordered_at = rfm_instant_of(st->time_kind, ordered_at_datum);
	if (ordered_at > frame->as_of)
		return;
	if (ordered_at == DT_NOBEGIN)	/* raises the aggregate's error */
		(void) call_transition(st, ordered_at_datum, amount_datum);
	row->first_order = row->last_order = ordered_at;
	row->orders_ever = 1;
	/* as the transition function, the amount is read only inside the period */
	if (!(frame->flags & RFM_HAS_PERIOD) || ordered_at > frame->since)
	{
		RfmAmount	amount;

		rfm_amount_of(st->amount_kind, amount_datum, &amount);
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

	/* the state follows the key columns, where ordered_at is in the simple step's input */
	if (isnull[st->col_ordered_at])
		return;
	s = DatumGetRfmSummaryP(values[st->col_ordered_at]);
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

/*
 * The queued rows of the cells path into their customers' entries, in
 * their order: first every row's candidate entry is fetched (its bucket
 * was when the row was queued), then the candidates' key bytes, then each
 * row is added; a row of a new customer that does not fit is spilled as
 * the minimal tuple it came as.
 */
static void
flush_cells(FgScanState *st)
{
	FgQueue    *q = st->queue;
	FgTable    *table = st->table;
	int			i;

	CHECK_FOR_INTERRUPTS();
	for (i = 0; i < q->count; i++)
		q->candidate[i] = fg_table_candidate(table, q->hash[i]);
	for (i = 0; i < q->count; i++)
		if (q->candidate[i] != NULL && q->candidate[i]->key == (int64) q->hash[i])
			fg_cells_prefetch_key(st->cells, q->candidate[i]);
	for (i = 0; i < q->count; i++)
	{
		Datum	   *values = q->values + i * q->natts;
		bool	   *isnull = q->isnull + i * q->natts;
		FgEntry    *entry = fg_cells_find(st->cells, table, values, isnull, q->hash[i]);

		if (entry == NULL)
		{
			MinimalTuple tuple = RFM_FORM_MINIMAL_TUPLE(q->desc, values, isnull);

			fg_table_spill_record(table, q->hash[i], tuple, tuple->t_len);
			pfree(tuple);
			continue;
		}
		fg_entry_add(entry, &q->rows[i]);
		fg_cells_advance(st->cells, entry, values, isnull);
	}
	q->count = 0;
	MemoryContextReset(q->cxt);
}

/* Queues one input row of the cells path: its figures, its values copied, its key's hash. */
static void
read_cells_row(FgScanState *st, TupleTableSlot *slot)
{
	FgQueue    *q = st->queue;
	Datum	   *values = q->values + q->count * q->natts;
	bool	   *isnull = q->isnull + q->count * q->natts;
	MemoryContext old;
	int			c;

	slot_getallattrs(slot);
	memset(&q->rows[q->count], 0, sizeof(FgRow));
	if (st->mode == FG_MODE_FINAL)
		read_partial(st, slot->tts_values, slot->tts_isnull, &q->rows[q->count]);
	else
		read_order(st, slot->tts_values, slot->tts_isnull, &q->rows[q->count]);
	old = MemoryContextSwitchTo(q->cxt);
	for (c = 0; c < q->natts; c++)
	{
		Form_pg_attribute att = TupleDescAttr(q->desc, c);

		isnull[c] = slot->tts_isnull[c];
		values[c] = isnull[c] || att->attbyval ? slot->tts_values[c] :
			datumCopy(slot->tts_values[c], false, att->attlen);
	}
	q->hash[q->count] = fg_cells_hash(st->cells, values, isnull);
	MemoryContextSwitchTo(old);
	fg_table_prefetch_bucket(st->table, q->hash[q->count]);
	if (++q->count == FG_BATCH_ROWS)
		flush_cells(st);
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
	row.key = fg_key_of(st->key_type, values[FG_COL_KEY]);
	fg_table_add(st->table, &row);
}

/* Every customer of the table out to the exchange, as a partial summary. */
static void
put_entries(FgExchange *x, FgTable *table)
{
	uint32		i;

	for (i = 0; i < table->count; i++)
	{
		if ((i & 65535) == 65535)
			CHECK_FOR_INTERRUPTS();
		fg_exchange_put(x, fg_table_entry(table, i), false);
	}
}

/*
 * The parallel engine's table is full: its customers go out as partial
 * summaries (merged with the other participants' later anyway), and new
 * customers take their place, instead of their rows being spilled.
 */
static void
evict(FgScanState *st)
{
	put_entries(st->exchange, st->table);
	fg_table_clear(st->table);
}

/*
 * One input row into the table (fg_read_input's read_row); false when the
 * parallel engine's table is full, for build() to evict its customers
 * outside the row context (what writing them out allocates must outlive
 * the rows).
 */
static bool
build_row(void *arg, TupleTableSlot *slot)
{
	FgScanState *st = arg;

	if (st->cells)
		read_cells_row(st, slot);
	else
		read_row(st, slot);
	return !(st->exchange && st->table->full && st->table->batched == 0);
}

static void
build(FgScanState *st)
{
	evaluate_constants(st);
	while (!fg_read_input(child_of(st), st->row_cxt, &st->input_rows, build_row, st))
		evict(st);
	if (st->cells)
		flush_cells(st);
	fg_table_finish_input(st->table);
	st->built = true;
}

/*
 * The parallel engine: this participant's share of the orders grouped
 * into its table (unless it came after the others had written theirs),
 * its customers written out as partial summaries, spilled batches
 * included; then, once every participant has written, the table is
 * emptied for the partitions this participant will merge.
 */
static void
build_parallel(FgScanState *st)
{
	FgExchange *x = st->exchange;
	FgTable    *merge_table = st->table;

	if (fg_exchange_begin(x))
	{
		MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
												  "rfm fast grouping share",
												  ALLOCSET_DEFAULT_SIZES);
		/* the write buffers come out of the table's budget, down to a quarter */
		Size		budget = Min(RFM_HASH_MEM_BYTES(), FG_SHARE_TABLE_BYTES);
		Size		buffers = Min(fg_exchange_write_bytes(x), budget / 4 * 3);
		FgTable    *table;

		budget -= buffers;
		table = fg_table_create(cxt, budget, Min(st->groups, (double) budget / 64),
								sizeof(FgEntry));

		st->table = table;
		build(st);
		do
			put_entries(x, table);
		while (fg_table_next_batch(table));
		if (st->null_key_seen)
			fg_exchange_put(x, &st->null_entry, true);
		if (st->frame_ready)
			fg_exchange_share_frame(x, &table->frame);
		st->spilled_before = table->spilled_rows;
		st->local_peak = table->peak_bytes;
		fg_table_reset(table);
		MemoryContextDelete(cxt);
		st->table = merge_table;
	}
	fg_exchange_wait(x);
	st->frame_ready = fg_exchange_frame(x, &merge_table->frame);
	st->null_key_seen = false;
	memset(&st->null_entry, 0, sizeof(FgEntry));
	st->built = true;
}

/*
 * The next partition of the parallel engine into the table (its NULL
 * customer beside it); false when every partition has been claimed.
 */
static bool
next_partition(FgScanState *st)
{
	FgExchange *x = st->exchange;
	FgTable    *table = st->table;
	FgRow		row;
	bool		key_null;
	int64		rows = 0;

	if (!fg_exchange_claim(x))
	{
		fg_exchange_end(x);
		return false;
	}
	st->spilled_before += table->spilled_rows;
	fg_table_reset(table);
	while (fg_exchange_next(x, &row, &key_null))
	{
		if ((++rows & 65535) == 0)
			CHECK_FOR_INTERRUPTS();
		if (key_null)
		{
			st->null_key_seen = true;
			fg_entry_add(&st->null_entry, &row);
		}
		else
			fg_table_add(table, &row);
	}
	fg_table_finish_input(table);
	return true;
}

/*
 * The cells path's next spilled batch into the table, once the table has
 * been emitted: the states of the customers emitted are freed first.
 */
static bool
next_cells_batch(FgScanState *st)
{
	FgTable    *table = st->table;
	BufFile    *file;
	int64		rows = 0;

	if (table->pending == NIL)
		return false;
	st->state_bytes += MemoryContextMemAllocated(st->cells->state_cxt, true);
	fg_cells_forget(st->cells, table);
	file = fg_table_take_batch(table);
	while (fg_table_read_record(file, &st->spill_buf))
	{
		MemoryContext old = MemoryContextSwitchTo(st->row_cxt);

		ExecStoreMinimalTuple((MinimalTuple) st->spill_buf.data, st->spill_slot, false);
		read_cells_row(st, st->spill_slot);
		MemoryContextSwitchTo(old);
		if ((++rows & 1023) == 0)
			MemoryContextReset(st->row_cxt);
	}
	ExecClearTuple(st->spill_slot);
	flush_cells(st);
	MemoryContextReset(st->row_cxt);
	fg_table_end_batch(table, file);
	return true;
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
	MemoryContext tuple_cxt = st->css.ss.ps.ps_ExprContext->ecxt_per_tuple_memory;
	int			col = st->col_ordered_at;	/* the summary's: after the key columns */

	ExecClearTuple(slot);
	if (st->cells)
	{
		MemoryContext old = MemoryContextSwitchTo(tuple_cxt);

		fg_cells_emit(st->cells, entry, slot->tts_values, slot->tts_isnull);
		MemoryContextSwitchTo(old);
	}
	else
	{
		slot->tts_values[0] = key_null ? (Datum) 0 : fg_datum_of_key(st->key_type, entry->key);
		slot->tts_isnull[0] = key_null;
	}
	if (st->mode == FG_MODE_PARTIAL ? !st->frame_ready : entry->orders_ever == 0)
	{
		slot->tts_values[col] = (Datum) 0;
		slot->tts_isnull[col] = true;
	}
	else
	{
		RfmSummary *s = MemoryContextAlloc(tuple_cxt, sizeof(RfmSummary));

		fill_summary(st, entry, s);
		slot->tts_values[col] = PointerGetDatum(s);
		slot->tts_isnull[col] = false;
	}
	ExecStoreVirtualTuple(slot);
	st->emitted++;
}

static void
ensure_built(FgScanState *st)
{
	if (st->built)
		return;
	if (st->exchange)
		build_parallel(st);
	else
		build(st);
}

/*
 * The next customer: the table's, the NULL customer's, then spilled
 * batches', then (parallel engine) the next partition's.
 */
static TupleTableSlot *
next_group(ScanState *node)
{
	FgScanState *st = (FgScanState *) node;
	TupleTableSlot *slot = node->ss_ScanTupleSlot;
	FgTable    *table;

	ensure_built(st);
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
		if (!(st->cells ? next_cells_batch(st) : fg_table_next_batch(table)) &&
			!(st->exchange && next_partition(st)))
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
	if (st->cells)
	{
		fg_cells_forget(st->cells, st->table);
		st->queue->count = 0;
		MemoryContextReset(st->queue->cxt);
	}
	st->state_bytes = 0;
	fg_table_reset(st->table);
	st->built = false;
	st->frame_ready = false;
	st->null_key_seen = false;
	st->null_key_done = false;
	memset(&st->null_entry, 0, sizeof(FgEntry));
	st->cursor = 0;
	st->emitted = 0;
	st->input_rows = 0;
	st->spilled_before = 0;
	st->local_peak = 0;
}

static void
leave_exchange(FgScanState *st)
{
	if (st->exchange == NULL)
		return;
	st->partials_written = st->exchange->written;
	st->partitions_merged = st->exchange->merged;
	fg_exchange_end(st->exchange);
	st->exchange = NULL;
}

static void
fg_end(CustomScanState *node)
{
	FgScanState *st = (FgScanState *) node;

	/* (when the Gather ends before it shut down: its DSM is still mapped) */
	leave_exchange(st);
	fg_table_reset(st->table);
	ExecEndNode(child_of(st));
}

/* Before the Gather detaches from its DSM segment: the exchange is left. */
static void
fg_shutdown(CustomScanState *node)
{
	leave_exchange((FgScanState *) node);
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

/*
 * What a customer takes: its entry with the cells, its key's bytes in the
 * arena, and the transition states (averaged over the batches emitted so
 * far, context blocks included).
 */
static void
explain_bytes_per_customer(FgScanState *st, ExplainState *es)
{
	FgTable    *table = st->table;
	Size		states = st->state_bytes + MemoryContextMemAllocated(st->cells->state_cxt, true);
	int64		customers = Max(table->customers, 1);

	ExplainPropertyInteger("Entry Bytes", NULL, (int64) table->entry_bytes, es);
	ExplainPropertyInteger("Key Bytes per Customer", NULL,
						   (int64) ((table->kept_bytes + customers - 1) / customers), es);
	ExplainPropertyInteger("State Bytes per Customer", NULL,
						   (int64) ((states + customers - 1) / customers), es);
}

static void
fg_explain(CustomScanState *node, List *ancestors, ExplainState *es)
{
	FgScanState *st = (FgScanState *) node;
	CustomScan *cscan = (CustomScan *) node->ss.ps.plan;
	List	   *context = set_deparse_context_plan(es->deparse_cxt, (Plan *) cscan, ancestors);
	StringInfoData keys;
	int			i;

	initStringInfo(&keys);
	for (i = 0; i < st->col_ordered_at; i++)
		appendStringInfo(&keys, "%s%s", i > 0 ? ", " : "",
						 deparse_expression((Node *) ((TargetEntry *) list_nth(cscan->custom_scan_tlist, i))->expr,
											context, es->verbose, false));
	ExplainPropertyText("Group Key", keys.data, es);
	if (es->analyze && st->built)
	{
		ExplainPropertyInteger("Customers", NULL, st->emitted, es);
		ExplainPropertyInteger("Batches", NULL, st->table->batches, es);
		ExplainPropertyInteger("Spilled Rows", NULL,
							   st->spilled_before + st->table->spilled_rows, es);
		ExplainPropertyInteger("Peak Memory Usage", "kB",
							   (int64) ((Max(st->table->peak_bytes, st->local_peak) + 1023) / 1024), es);
		if (st->cells)
			explain_bytes_per_customer(st, es);
		if (st->mode == FG_MODE_PARALLEL)
		{
			/* (the exchange itself is backend-local memory) */
			ExplainPropertyInteger("Partial Summaries Written", NULL,
								   st->exchange ? st->exchange->written : st->partials_written, es);
			ExplainPropertyInteger("Partitions Merged", NULL,
								   st->exchange ? st->exchange->merged : st->partitions_merged, es);
		}
	}
}

/*
 * How far the exchange's partitions trust the planner's customers: ANALYZE
 * counted 95k of 1M customers at SCALE=10 and 531k of 10M at SCALE=100
 * (its sample sees most customers of an order table once), so up to
 * FG_CUSTOMER_SLACK times as many, never more than the input rows, are
 * planned for.  Too many partitions cost write buffers; too few, a second
 * pass over every partial summary.
 */
#define FG_CUSTOMER_SLACK 10.0

/*
 * The parallel engine's shared memory (only under a Gather that runs in
 * parallel mode; otherwise the node groups everything alone, as the
 * simple one).  Plan rows are per participant.
 */
static Size
fg_estimate_dsm(CustomScanState *node, ParallelContext *pcxt)
{
	FgScanState *st = (FgScanState *) node;
	int			participants = pcxt->nworkers + 1;
	double		input_rows = child_of(st)->plan->plan_rows * participants;
	double		customers = Min(input_rows, st->groups * participants * FG_CUSTOMER_SLACK);

	st->partitions = fg_exchange_partitions(participants, customers, st->table->entry_bytes,
											RFM_HASH_MEM_BYTES());
	return fg_exchange_estimate(participants, st->partitions);
}

static void
fg_initialize_dsm(CustomScanState *node, ParallelContext *pcxt, void *coordinate)
{
	FgScanState *st = (FgScanState *) node;

	st->exchange = fg_exchange_create(coordinate, pcxt->nworkers + 1, st->partitions, pcxt->seg);
}

static void
fg_reinitialize_dsm(CustomScanState *node, ParallelContext *pcxt pg_attribute_unused(),
					void *coordinate pg_attribute_unused())
{
	FgScanState *st = (FgScanState *) node;

	/* (left only at shutdown, after which the Gather sets up anew) */
	if (st->exchange == NULL)
		elog(ERROR, "rfm fast grouping: the parallel engine's shared state is gone");
	fg_exchange_reset(st->exchange);
}

static void
fg_initialize_worker(CustomScanState *node, shm_toc *toc pg_attribute_unused(),
					 void *coordinate)
{
	((FgScanState *) node)->exchange = fg_exchange_attach(coordinate, ParallelWorkerNumber + 1);
}

static const CustomExecMethods fg_exec_methods = {
	.CustomName = RFM_FAST_GROUP_NAME,
	.BeginCustomScan = fg_begin,
	.ExecCustomScan = fg_exec,
	.EndCustomScan = fg_end,
	.ReScanCustomScan = fg_rescan,
	.EstimateDSMCustomScan = fg_estimate_dsm,
	.InitializeDSMCustomScan = fg_initialize_dsm,
	.ReInitializeDSMCustomScan = fg_reinitialize_dsm,
	.InitializeWorkerCustomScan = fg_initialize_worker,
	.ShutdownCustomScan = fg_shutdown,
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

	if (!rfm_fast_group_is_engine(ps) || !st->built || st->exchange != NULL ||
		st->table->spilled_rows > 0 ||
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
	ensure_built(st);
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
const CustomScanMethods rfm_fast_group_scan_methods[FG_MODES] = {
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
	[FG_MODE_PARALLEL] = {
		.CustomName = RFM_FAST_GROUP_PARALLEL_NAME,
		.CreateCustomScanState = fg_create_state,
	},
};
