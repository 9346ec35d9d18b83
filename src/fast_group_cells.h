/*
 * fast_group_cells.h: what the fast grouping engine keeps beside a
 * customer's summary when the query asks for more than one integer key
 * and rfm_summary: the grouping key's values (any hashable type, several
 * columns) and the plain aggregates a report puts beside the summary
 * (count, sum, min, max, avg), each in a cell after the table entry.
 *
 * The aggregates run on PostgreSQL's own transition and final functions,
 * called as nodeAgg calls them (same strictness rules, same initial value,
 * same order of rows within a customer), so their results and errors are
 * Agg's to the last digit.
 */
#ifndef RFM_FAST_GROUP_CELLS_H
#define RFM_FAST_GROUP_CELLS_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/execnodes.h"
#include "nodes/primnodes.h"

#include "fast_group_table.h"

/* One key value or one aggregate's transition state, after the entry. */
typedef struct FgCell
{
	Datum		value;
	bool		isnull;
	bool		noval;			/* strict transition, no input yet (nodeAgg's noTransValue) */
} FgCell;

typedef struct FgKeyColumn
{
	FmgrInfo	eq;
	FmgrInfo	hash;			/* the type's extended (64-bit) hash */
	Oid			collation;
	int16		typlen;
	bool		typbyval;
	bool		bitwise;		/* equal datums iff equal keys (integers) */
} FgKeyColumn;

/* An aggregate's step: the whole of it, or a worker's or the leader's part in a parallel plan. */
typedef enum FgAggStep
{
	FG_AGG_SIMPLE,				/* arguments -> result */
	FG_AGG_PARTIAL,				/* arguments -> (serialized) state */
	FG_AGG_FINAL				/* workers' states, combined -> result */
} FgAggStep;

typedef struct FgAggColumn
{
	FgAggStep	step;
	FmgrInfo	trans;			/* the combine function in the final step */
	FmgrInfo	final;
	FmgrInfo	serial;
	FmgrInfo	deserial;
	bool		has_serial;		/* partial step, internal state */
	bool		has_deserial;	/* final step, internal state */
	bool		has_final;
	bool		trans_strict;
	bool		final_strict;
	Datum		init;
	bool		init_null;
	int16		translen;
	bool		transbyval;
	int			first;			/* its first argument's column in the input */
	int			state_of;		/* the aggregate whose state it uses (its own, or shared) */
	int			nargs;
	FunctionCallInfo trans_call;
	FunctionCallInfo final_call;
} FgAggColumn;

typedef struct FgCells
{
	int			nkeys;
	FgKeyColumn *keys;
	int			naggs;
	FgAggColumn *aggs;
	MemoryContext state_cxt;	/* transition states; reset per spilled batch */
	AggState   *agg_context;	/* what AggCheckCallContext looks for */
} FgCells;

/* Bytes of a table entry with these cells. */
#define FG_CELLS_ENTRY_BYTES(nkeys, naggs) \
	(sizeof(FgEntry) + sizeof(FgCell) * (Size) ((nkeys) + (naggs)))

extern FgCells *fg_cells_create(List *keys, List *eq_fns, List *hash_fns, List *aggrefs,
								int first_arg_column, FgAggStep step);
extern uint64 fg_cells_hash(FgCells *cells, Datum *values, bool *isnull);
extern FgEntry *fg_cells_find(FgCells *cells, FgTable *table, Datum *values, bool *isnull,
							  uint64 hash);
extern void fg_cells_prefetch_key(FgCells *cells, const FgEntry *entry);
extern void fg_cells_advance(FgCells *cells, FgEntry *entry, Datum *values, bool *isnull);
extern void fg_cells_emit(FgCells *cells, const FgEntry *entry, Datum *values, bool *isnull);
extern void fg_cells_forget(FgCells *cells, FgTable *table);

#endif							/* RFM_FAST_GROUP_CELLS_H */
