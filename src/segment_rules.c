/*
 * segment_rules.c: user-defined segment rules, rfm_segment(score, rules
 * [, fallback]).  A rule is a row of rfm_segment_rule (segment, r_min, r_max,
 * f_min, f_max, m_min, m_max); a NULL bound leaves that side open.  The first
 * rule whose ranges hold all three digits names the segment.
 */
#include "postgres.h"
#include "compat.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "score.h"

PG_FUNCTION_INFO_V1(rfm_segment_by_rules);

#define RULE_FIELDS 7

static bool
digit_in_range(HeapTupleHeader rule, int min_attno, int digit)
{
	bool		isnull;
	Datum		low = GetAttributeByNum(rule, min_attno, &isnull);

	if (!isnull && digit < DatumGetInt32(low))
		return false;
	low = GetAttributeByNum(rule, min_attno + 1, &isnull);
	return isnull || digit <= DatumGetInt32(low);
}

static void
check_rule_shape(HeapTupleHeader rule)
{
	TupleDesc	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(rule),
											  HeapTupleHeaderGetTypMod(rule));
	int			fields = desc->natts;

	ReleaseTupleDesc(desc);
	if (fields != RULE_FIELDS)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("a segment rule has %d fields, expected %d", fields, RULE_FIELDS)));
}

Datum
rfm_segment_by_rules(PG_FUNCTION_ARGS)
{
	RfmScore	score;
	ArrayType  *rules;
	Datum	   *elements;
	bool	   *nulls;
	int			count;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			i;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	score = PG_GETARG_RFM_SCORE(0);
	rules = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(rules) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("segment rules must be a one-dimensional array")));

	get_typlenbyvalalign(ARR_ELEMTYPE(rules), &typlen, &typbyval, &typalign);
	deconstruct_array(rules, ARR_ELEMTYPE(rules), typlen, typbyval, typalign,
					  &elements, &nulls, &count);
	/* a bad rule is an error whatever the score, so check them all first */
	for (i = 0; i < count; i++)
	{
		bool		isnull;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("segment rule %d is NULL", i + 1)));
		if (i == 0)
			check_rule_shape(DatumGetHeapTupleHeader(elements[i]));
		(void) GetAttributeByNum(DatumGetHeapTupleHeader(elements[i]), 1, &isnull);
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("segment rule %d has no segment name", i + 1)));
	}
	for (i = 0; i < count; i++)
	{
		HeapTupleHeader rule = DatumGetHeapTupleHeader(elements[i]);
		bool		isnull;

		if (digit_in_range(rule, 2, rfm_score_r(score)) &&
			digit_in_range(rule, 4, rfm_score_f(score)) &&
			digit_in_range(rule, 6, rfm_score_m(score)))
			PG_RETURN_DATUM(GetAttributeByNum(rule, 1, &isnull));
	}
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
		PG_RETURN_DATUM(PG_GETARG_DATUM(2));
	PG_RETURN_NULL();
}
