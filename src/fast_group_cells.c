/*
 * fast_group_cells.c: key values and aggregates beside the summary.
 *
 * A row's key columns are hashed with their types' extended hash functions
 * (combined into one 64-bit hash, the table's key) and compared with the
 * GROUP BY's own equality, so that values GROUP BY puts together (1.0 and
 * 1.00, strings equal under a nondeterministic collation) share a customer
 * whose key is the first value seen, as in Agg.  Varlena keys are copied,
 * detoasted, into the table's arena: their bytes count in the budget.
 *
 * Aggregates: the transition rules of nodeAgg (advance_transition_function)
 * for a plain aggregate without DISTINCT, ORDER BY or FILTER: a strict
 * transition skips rows with a NULL argument and takes the first argument
 * as its state when the initial value is NULL; a new by-reference state is
 * copied into the state context and the old one freed.  Functions that ask
 * AggCheckCallContext for their aggregate context get the state context.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_aggregate.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "parser/parse_coerce.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "fast_group_cells.h"

#define FG_NULL_KEY_HASH UINT64CONST(0x9e3779b97f4a7c15)

static void
init_key(FgKeyColumn *key, Expr *expr, Oid eq_fn, Oid hash_fn)
{
	Oid			type = exprType((Node *) expr);

	fmgr_info(eq_fn, &key->eq);
	fmgr_info(hash_fn, &key->hash);
	key->collation = exprCollation((Node *) expr);
	get_typlenbyval(type, &key->typlen, &key->typbyval);
	key->bitwise = type == INT2OID || type == INT4OID || type == INT8OID;
}

/*
 * One aggregate; in the final step of a parallel plan its transition is
 * the combine function, over the workers' (deserialized) states.
 */
static void
init_aggregate(FgAggColumn *agg, Aggref *aggref, int first, FgAggStep step)
{
	HeapTuple	tuple = SearchSysCache1(AGGFNOID, ObjectIdGetDatum(aggref->aggfnoid));
	Form_pg_aggregate form;
	Datum		init_text;
	bool		init_null;
	Oid			input_type;

	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for aggregate %u", aggref->aggfnoid);
	form = (Form_pg_aggregate) GETSTRUCT(tuple);
	agg->step = step;
	if (step == FG_AGG_FINAL)
	{
		if (!OidIsValid(form->aggcombinefn))
			elog(ERROR, "rfm fast grouping: aggregate %u has no combine function", aggref->aggfnoid);
		fmgr_info(form->aggcombinefn, &agg->trans);
		agg->trans_strict = func_strict(form->aggcombinefn);
		agg->has_deserial = OidIsValid(form->aggdeserialfn);
		if (agg->has_deserial)
			fmgr_info(form->aggdeserialfn, &agg->deserial);
	}
	else
	{
		fmgr_info(form->aggtransfn, &agg->trans);
		agg->trans_strict = func_strict(form->aggtransfn);
	}
	agg->has_serial = step == FG_AGG_PARTIAL && OidIsValid(form->aggserialfn);
	if (agg->has_serial)
		fmgr_info(form->aggserialfn, &agg->serial);
	agg->has_final = OidIsValid(form->aggfinalfn);
	if (agg->has_final)
	{
		fmgr_info(form->aggfinalfn, &agg->final);
		agg->final_strict = func_strict(form->aggfinalfn);
	}
	get_typlenbyval(aggref->aggtranstype, &agg->translen, &agg->transbyval);
	init_text = SysCacheGetAttr(AGGFNOID, tuple, Anum_pg_aggregate_agginitval, &init_null);
	agg->init_null = init_null;
	if (!init_null)
	{
		Oid			typinput;
		Oid			typioparam;
		char	   *str = TextDatumGetCString(init_text);

		getTypeInputInfo(aggref->aggtranstype, &typinput, &typioparam);
		agg->init = OidInputFunctionCall(typinput, str, typioparam, -1);
		pfree(str);
	}
	ReleaseSysCache(tuple);
	agg->first = first;
	agg->nargs = step == FG_AGG_FINAL ? 1 : list_length(aggref->args);
	/* nodeAgg's rule: a strict transition with no initial value starts from the first input */
	input_type = step == FG_AGG_FINAL ? aggref->aggtranstype :
		agg->nargs > 0 ? exprType((Node *) ((TargetEntry *) linitial(aggref->args))->expr) : InvalidOid;
	if (agg->trans_strict && agg->init_null &&
		(agg->nargs < 1 || !IsBinaryCoercible(input_type, aggref->aggtranstype)))
		elog(ERROR, "rfm fast grouping: aggregate %u has no initial value for its input",
			 aggref->aggfnoid);
	agg->trans_call = palloc0(SizeForFunctionCallInfo(agg->nargs + 1));
	InitFunctionCallInfoData(*agg->trans_call, &agg->trans, agg->nargs + 1,
							 aggref->inputcollid, NULL, NULL);
	agg->final_call = palloc0(SizeForFunctionCallInfo(1));
	if (agg->has_final)
		InitFunctionCallInfoData(*agg->final_call, &agg->final, 1,
								 aggref->inputcollid, NULL, NULL);
}

/*
 * An earlier aggregate whose transition state aggregate i can share, as
 * nodeAgg shares them (sum(amount) and avg(amount) both run
 * numeric_avg_accum on amount: once a row, two final functions): the same
 * transition function, initial value and arguments; else i.  Not in the
 * final step, where each aggregate has its own workers' states to combine.
 */
static int
shared_state(FgCells *cells, List *aggrefs, int i)
{
	FgAggColumn *agg = &cells->aggs[i];
	Aggref	   *aggref = list_nth(aggrefs, i);
	int			j;

	for (j = 0; j < i; j++)
	{
		FgAggColumn *other = &cells->aggs[j];
		Aggref	   *other_ref = list_nth(aggrefs, j);

		if (other->state_of == j && other->trans.fn_oid == agg->trans.fn_oid &&
			other->has_serial == agg->has_serial &&
			other_ref->aggtranstype == aggref->aggtranstype &&
			other_ref->inputcollid == aggref->inputcollid &&
			other->init_null == agg->init_null &&
			(agg->init_null || datumIsEqual(other->init, agg->init, agg->transbyval, agg->translen)) &&
			equal(other_ref->args, aggref->args))
			return j;
	}
	return i;
}

/*
 * keys: the key expressions with their equality and extended hash
 * functions (Oid lists); aggrefs: the aggregates beside the summary, whose
 * arguments follow one another in the input from first_arg_column.
 */
FgCells *
fg_cells_create(List *keys, List *eq_fns, List *hash_fns, List *aggrefs, int first_arg_column,
				FgAggStep step)
{
	FgCells    *cells = palloc0(sizeof(FgCells));
	ExprContext *econtext = makeNode(ExprContext);
	int			i;
	int			column = first_arg_column;

	cells->nkeys = list_length(keys);
	cells->keys = palloc0(sizeof(FgKeyColumn) * cells->nkeys);
	for (i = 0; i < cells->nkeys; i++)
		init_key(&cells->keys[i], list_nth(keys, i), list_nth_oid(eq_fns, i),
				 list_nth_oid(hash_fns, i));
	/* small blocks: what the states take is counted in the budget as it grows */
	cells->state_cxt = AllocSetContextCreate(CurrentMemoryContext, "rfm fast grouping states",
											 0, 8 * 1024, 64 * 1024);
	econtext->ecxt_per_tuple_memory = cells->state_cxt;
	cells->agg_context = makeNode(AggState);
	cells->agg_context->curaggcontext = econtext;
	cells->naggs = list_length(aggrefs);
	cells->aggs = palloc0(sizeof(FgAggColumn) * Max(cells->naggs, 1));
	for (i = 0; i < cells->naggs; i++)
	{
		FgAggColumn *agg = &cells->aggs[i];

		init_aggregate(agg, list_nth(aggrefs, i), column, step);
		agg->trans_call->context = (Node *) cells->agg_context;
		agg->final_call->context = (Node *) cells->agg_context;
		agg->state_of = step == FG_AGG_FINAL ? i : shared_state(cells, aggrefs, i);
		column += agg->nargs;
	}
	return cells;
}

static inline FgCell *
cells_of(const FgEntry *entry)
{
	return (FgCell *) (entry + 1);
}

/* What fg_table_find compares an entry's key with: the row's key values. */
typedef struct FgProbeKey
{
	FgCells    *cells;
	Datum	   *values;
	bool	   *isnull;
} FgProbeKey;

static bool
keys_match(void *arg, const FgEntry *entry)
{
	FgProbeKey *probe = arg;
	FgCells    *cells = probe->cells;
	const FgCell *cell = cells_of(entry);
	int			i;

	for (i = 0; i < cells->nkeys; i++)
	{
		FgKeyColumn *key = &cells->keys[i];
		Datum		value = probe->values[i];

		if (cell[i].isnull != probe->isnull[i])
			return false;
		if (cell[i].isnull)
			continue;
		if (key->bitwise ? cell[i].value != value :
			!DatumGetBool(FunctionCall2Coll(&key->eq, key->collation, cell[i].value, value)))
			return false;
	}
	return true;
}

/*
 * The hash of the row's key values (columns 0 .. nkeys - 1), which are
 * detoasted in place (in the current memory context) first.
 */
uint64
fg_cells_hash(FgCells *cells, Datum *values, bool *isnull)
{
	uint64		hash = 0;
	int			i;

	for (i = 0; i < cells->nkeys; i++)
	{
		FgKeyColumn *key = &cells->keys[i];
		uint64		h = FG_NULL_KEY_HASH;

		if (!isnull[i])
		{
			Datum		value = values[i];

			if (key->typlen == -1)
				value = values[i] = PointerGetDatum(PG_DETOAST_DATUM_PACKED(value));
			h = DatumGetUInt64(FunctionCall2Coll(&key->hash, key->collation, value,
												 Int64GetDatum(0)));
		}
		hash = hash_combine64(hash, h);
	}
	return hash;
}

static Size
key_bytes(FgCells *cells, Datum *values, bool *isnull)
{
	Size		bytes = 0;
	int			i;

	for (i = 0; i < cells->nkeys; i++)
		if (!isnull[i] && !cells->keys[i].typbyval)
			bytes += MAXALIGN(datumGetSize(values[i], false, cells->keys[i].typlen));
	return bytes;
}

/* A new customer: its key values into the arena, each aggregate's initial state. */
static void
fill_new_entry(FgCells *cells, FgTable *table, FgEntry *entry, Datum *values, bool *isnull)
{
	FgCell	   *cell = cells_of(entry);
	MemoryContext old;
	int			i;

	for (i = 0; i < cells->nkeys; i++)
	{
		FgKeyColumn *key = &cells->keys[i];

		cell[i].isnull = isnull[i];
		if (isnull[i])
			continue;
		if (key->typbyval)
			cell[i].value = values[i];
		else
		{
			Size		size = datumGetSize(values[i], false, key->typlen);
			void	   *copy = fg_table_keep(table, size);

			memcpy(copy, DatumGetPointer(values[i]), size);
			cell[i].value = PointerGetDatum(copy);
		}
	}
	cell += cells->nkeys;
	old = MemoryContextSwitchTo(cells->state_cxt);
	for (i = 0; i < cells->naggs; i++)
	{
		FgAggColumn *agg = &cells->aggs[i];

		cell[i].isnull = agg->init_null;
		cell[i].noval = agg->init_null;
		if (!agg->init_null && agg->state_of == i)
			cell[i].value = datumCopy(agg->init, agg->transbyval, agg->translen);
	}
	MemoryContextSwitchTo(old);
}

/*
 * The customer of the row whose keys hash to hash (fg_cells_hash), made if
 * new; NULL when it is new and does not fit (the caller spills the row).
 */
FgEntry *
fg_cells_find(FgCells *cells, FgTable *table, Datum *values, bool *isnull, uint64 hash)
{
	FgProbeKey	probe = {cells, values, isnull};
	FgEntry    *entry;
	bool		is_new;

	table->external_bytes = MemoryContextMemAllocated(cells->state_cxt, true);
	entry = fg_table_find(table, hash, keys_match, &probe, key_bytes(cells, values, isnull), &is_new);
	if (entry != NULL && is_new)
		fill_new_entry(cells, table, entry, values, isnull);
	return entry;
}

/*
 * Fetches the first key column's bytes of a candidate entry into cache
 * (when they live outside the entry), before it is compared.
 */
void
fg_cells_prefetch_key(FgCells *cells, const FgEntry *entry)
{
	const FgCell *cell = cells_of(entry);

	if (!cells->keys[0].typbyval && !cell[0].isnull)
		__builtin_prefetch(DatumGetPointer(cell[0].value), 0, 3);
}

/*
 * A serial or deserial function, called as from an aggregate (they check
 * AggCheckCallContext); the deserial function's second argument is unused.
 */
static Datum
call_in_aggregate(FgCells *cells, FmgrInfo *fn, Datum arg)
{
	LOCAL_FCINFO(call, 2);
	Datum		result;

	InitFunctionCallInfoData(*call, fn, fn->fn_nargs, InvalidOid, (Node *) cells->agg_context, NULL);
	call->args[0].value = arg;
	call->args[0].isnull = false;
	call->args[1].value = (Datum) 0;
	call->args[1].isnull = false;
	result = FunctionCallInvoke(call);
	if (call->isnull)
		elog(ERROR, "rfm fast grouping: serial or deserial function %u returned NULL", fn->fn_oid);
	return result;
}

/*
 * nodeAgg's advance_transition_function for one aggregate and one row's
 * arguments (values[0 .. nargs - 1]).
 */
static void
advance_one(FgCells *cells, FgAggColumn *agg, FgCell *cell, Datum *values, bool *isnull)
{
	FunctionCallInfo call = agg->trans_call;
	Datum		result;
	int			i;

	if (agg->trans_strict)
	{
		for (i = 0; i < agg->nargs; i++)
			if (isnull[i])
				return;
		if (cell->noval)
		{
			MemoryContext old = MemoryContextSwitchTo(cells->state_cxt);

			cell->value = datumCopy(values[0], agg->transbyval, agg->translen);
			cell->isnull = false;
			cell->noval = false;
			MemoryContextSwitchTo(old);
			return;
		}
		if (cell->isnull)
			return;
	}
	call->args[0].value = cell->value;
	call->args[0].isnull = cell->isnull;
	for (i = 0; i < agg->nargs; i++)
	{
		call->args[i + 1].value = values[i];
		call->args[i + 1].isnull = isnull[i];
	}
	call->isnull = false;
	result = FunctionCallInvoke(call);
	if (!agg->transbyval && DatumGetPointer(result) != DatumGetPointer(cell->value))
	{
		if (!call->isnull)
		{
			MemoryContext old = MemoryContextSwitchTo(cells->state_cxt);

			result = datumCopy(result, false, agg->translen);
			MemoryContextSwitchTo(old);
		}
		if (!cell->isnull)
			pfree(DatumGetPointer(cell->value));
	}
	cell->value = result;
	cell->isnull = call->isnull;
}

/* Adds the row's arguments to the customer's aggregates. */
void
fg_cells_advance(FgCells *cells, FgEntry *entry, Datum *values, bool *isnull)
{
	FgCell	   *cell = cells_of(entry) + cells->nkeys;
	int			i;

	for (i = 0; i < cells->naggs; i++)
	{
		FgAggColumn *agg = &cells->aggs[i];

		if (agg->state_of != i)
			continue;
		if (!agg->has_deserial)
			advance_one(cells, agg, &cell[i], values + agg->first, isnull + agg->first);
		else
		{
			/* a worker's serialized state (the deserial functions are strict) */
			Datum		state = values[agg->first];
			bool		state_null = isnull[agg->first];

			if (!state_null)
				state = call_in_aggregate(cells, &agg->deserial, state);
			advance_one(cells, agg, &cell[i], &state, &state_null);
		}
	}
}

/*
 * The customer's key values into values[0 .. nkeys - 1] and its
 * aggregates' results into values[nkeys + 1 ...] (values[nkeys] is the
 * summary's), in the current memory context; the entry is not changed.
 */
void
fg_cells_emit(FgCells *cells, const FgEntry *entry, Datum *values, bool *isnull)
{
	const FgCell *cell = cells_of(entry);
	int			i;

	for (i = 0; i < cells->nkeys; i++)
	{
		values[i] = cell[i].value;
		isnull[i] = cell[i].isnull;
	}
	cell += cells->nkeys;
	values += cells->nkeys + 1;
	isnull += cells->nkeys + 1;
	for (i = 0; i < cells->naggs; i++)
	{
		FgAggColumn *agg = &cells->aggs[i];
		FunctionCallInfo call = agg->final_call;
		const FgCell *state = &cell[agg->state_of];

		if (agg->step == FG_AGG_PARTIAL)
		{
			/* a worker's state, serialized when internal (nodeAgg's finalize_partialaggregate) */
			values[i] = state->value;
			isnull[i] = state->isnull;
			if (agg->has_serial && !state->isnull)
				values[i] = call_in_aggregate(cells, &agg->serial, state->value);
			continue;
		}
		if (!agg->has_final)
		{
			values[i] = state->value;
			isnull[i] = state->isnull;
			continue;
		}
		if (agg->final_strict && state->isnull)
		{
			values[i] = (Datum) 0;
			isnull[i] = true;
			continue;
		}
		call->args[0].value = state->value;
		call->args[0].isnull = state->isnull;
		call->isnull = false;
		values[i] = FunctionCallInvoke(call);
		isnull[i] = call->isnull;
	}
}

/* Every customer's states gone, before the table takes the next spilled batch. */
void
fg_cells_forget(FgCells *cells, FgTable *table)
{
	MemoryContextReset(cells->state_cxt);
	table->external_bytes = MemoryContextMemAllocated(cells->state_cxt, true);
}
