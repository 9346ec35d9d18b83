/*
 * grid.c: rfm_grid(scores), the 5x5 R-by-FM grid for a terminal: one row per
 * recency score (5 first), one column per FM score, each cell the number of
 * customers and the segment of that cell.
 */
#include "postgres.h"
#include "compat.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "score.h"
#include "segment.h"

PG_FUNCTION_INFO_V1(rfm_grid);

/* Sets up materialize mode by hand: the helper for it moved between releases. */
static Tuplestorestate *
materialize(FunctionCallInfo fcinfo, TupleDesc *desc)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	Tuplestorestate *store;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	if (get_call_result_type(fcinfo, NULL, desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	store = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	rsinfo->setDesc = CreateTupleDescCopy(*desc);
	MemoryContextSwitchTo(old);
	return store;
}

Datum
rfm_grid(PG_FUNCTION_ARGS)
{
	ArrayType  *scores = PG_GETARG_ARRAYTYPE_P(0);
	int64		counts[5][5] = {{0}};
	Datum	   *elements;
	bool	   *nulls;
	int			n;
	int			i;
	int			r;
	Tuplestorestate *store;
	TupleDesc	desc;

	if (ARR_NDIM(scores) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("scores must be a one-dimensional array")));
	deconstruct_array(scores, ARR_ELEMTYPE(scores), sizeof(int16), true, TYPALIGN_SHORT,
					  &elements, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		RfmScore	s;

		if (nulls[i])
			continue;
		s = DatumGetInt16(elements[i]);
		if (!rfm_segment_on_grid(s))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("rfm_grid needs scores of 5 bins, got %d", s),
					 errhint("Score with rfm_score(s) or rfm_score(s, 5).")));
		counts[rfm_score_r(s) - 1][rfm_segment_fm(s) - 1]++;
	}

	store = materialize(fcinfo, &desc);
	for (r = 5; r >= 1; r--)
	{
		Datum		values[6];
		bool		isnull[6] = {false};
		int			fm;

		values[0] = Int32GetDatum(r);
		for (fm = 1; fm <= 5; fm++)
			values[fm] = CStringGetTextDatum(psprintf(INT64_FORMAT " %s", counts[r - 1][fm - 1],
													  rfm_segment_name_of(r, fm)));
		tuplestore_putvalues(store, desc, values, isnull);
	}
	return (Datum) 0;
}
