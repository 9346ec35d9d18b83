/*
 * fixed_type.c: text and binary forms of the fixed-length types described
 * by a table of their fields (fixed_type.h).
 *
 * Text: "(name=value, ..., converged)" in table order.  Binary: the fields
 * in wire order, float8, int8 or int4 in network byte order.  Values from
 * outside are held to the type's invariants either way.
 */
#include "postgres.h"
#include "compat.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/timestamp.h"

#include "fixed_type.h"
#include "time_unit.h"

#define FIELD(value, def, type) ((type *) ((char *) (value) + (def)->offset))

static int
field_named(const RfmFixedType *type, const char *name, bool bare)
{
	int			i;

	for (i = 0; i < type->nfields; i++)
		if ((type->fields[i].kind == RFM_FIELD_CONVERGED) == bare &&
			(bare || strcmp(type->fields[i].name, name) == 0))
			return i;
	return -1;
}

/* One "name=value" or bare word into value; returns the field's index. */
static int
read_field(const RfmFixedType *type, const char *input, const RfmField *f, void *value)
{
	const RfmTextType *text = &type->text;
	int			i = field_named(type, f->key, f->value == NULL);
	const RfmFieldDef *def = i >= 0 ? &type->fields[i] : NULL;
	int64		count;

	if (f->value == NULL)
	{
		if (def != NULL && strcmp(f->key, "converged") == 0)
			*FIELD(value, def, int32) |= RFM_FIELD_CONVERGED_FLAG;
		else if (def == NULL || strcmp(f->key, "not converged") != 0)
			rfm_bad_input(text, input, psprintf("unexpected word \"%s\"", f->key));
		return i;
	}
	if (def == NULL)
		rfm_bad_input(text, input, psprintf("unknown field \"%s\"", f->key));
	switch (def->kind)
	{
		case RFM_FIELD_FLOAT8:
			*FIELD(value, def, double) = rfm_field_float(text, input, f);
			break;
		case RFM_FIELD_INT64:
			*FIELD(value, def, int64) = rfm_field_int(text, input, f);
			break;
		case RFM_FIELD_COUNT32:
			count = rfm_field_int(text, input, f);
			if (count < 0 || count > PG_INT32_MAX)
				rfm_bad_input(text, input, psprintf("%s is out of range", f->key));
			*FIELD(value, def, int32) = (int32) count;
			break;
		case RFM_FIELD_UNIT:
			*FIELD(value, def, int64) = rfm_parse_unit(f->value, text, input);
			break;
		case RFM_FIELD_CONVERGED:
			Assert(false);
			break;
	}
	return i;
}

void *
rfm_fixed_in(const RfmFixedType *type, const char *input)
{
	int			max = type->nfields + 3;
	RfmField   *f = palloc(max * sizeof(RfmField));
	int			n = rfm_parse_fields(&type->text, input, f, max);
	void	   *value = palloc0(type->size);
	uint32		seen = 0;
	int			i;
	const char *bad;

	Assert(type->nfields <= 32);
	for (i = 0; i < n; i++)
	{
		uint32		bit = UINT32_C(1) << read_field(type, input, &f[i], value);

		if (seen & bit)
			rfm_bad_input(&type->text, input, psprintf("field \"%s\" appears twice", f[i].key));
		seen |= bit;
	}
	for (i = 0; i < type->nfields; i++)
		if (type->fields[i].required && !(seen & (UINT32_C(1) << i)))
			rfm_bad_input(&type->text, input, type->required);
	if ((bad = type->violation(value)) != NULL)
		rfm_bad_input(&type->text, input, bad);
	return value;
}

char *
rfm_fixed_out(const RfmFixedType *type, const void *value)
{
	StringInfoData buf;
	const char *separator = "(";
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < type->nfields; i++)
	{
		const RfmFieldDef *def = &type->fields[i];

		if (def->kind == RFM_FIELD_UNIT && *FIELD(value, def, int64) <= 0)
			continue;
		appendStringInfoString(&buf, separator);
		separator = ", ";
		if (def->kind != RFM_FIELD_CONVERGED)
			appendStringInfo(&buf, "%s=", def->name);
		switch (def->kind)
		{
			case RFM_FIELD_FLOAT8:
				rfm_append_float(&buf, *FIELD(value, def, double));
				break;
			case RFM_FIELD_INT64:
				appendStringInfo(&buf, INT64_FORMAT, *FIELD(value, def, int64));
				break;
			case RFM_FIELD_COUNT32:
				appendStringInfo(&buf, "%d", *FIELD(value, def, int32));
				break;
			case RFM_FIELD_UNIT:
				rfm_append_unit(&buf, *FIELD(value, def, int64));
				break;
			case RFM_FIELD_CONVERGED:
				appendStringInfoString(&buf, (*FIELD(value, def, int32) & RFM_FIELD_CONVERGED_FLAG) ?
									   "converged" : "not converged");
				break;
		}
	}
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

static const RfmFieldDef *
wire_field(const RfmFixedType *type, int i)
{
	return &type->fields[type->wire_order ? type->wire_order[i] : i];
}

void *
rfm_fixed_recv(const RfmFixedType *type, StringInfo buf)
{
	void	   *value = palloc0(type->size);
	const char *bad;
	bool		unknown_flags = false;
	int			i;

	for (i = 0; i < type->nfields; i++)
	{
		const RfmFieldDef *def = wire_field(type, i);

		if (def->kind == RFM_FIELD_FLOAT8)
			*FIELD(value, def, double) = pq_getmsgfloat8(buf);
		else if (def->kind == RFM_FIELD_INT64 || def->kind == RFM_FIELD_UNIT)
			*FIELD(value, def, int64) = pq_getmsgint64(buf);
		else
			*FIELD(value, def, int32) = pq_getmsgint(buf, 4);
		if (def->kind == RFM_FIELD_CONVERGED)
			unknown_flags = (*FIELD(value, def, int32) & ~RFM_FIELD_CONVERGED_FLAG) != 0;
	}
	if (unknown_flags)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary model: unknown flags")));
	if ((bad = type->violation(value)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary %s: %s", type->text.name, bad)));
	return value;
}

bytea *
rfm_fixed_send(const RfmFixedType *type, const void *value)
{
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	for (i = 0; i < type->nfields; i++)
	{
		const RfmFieldDef *def = wire_field(type, i);

		if (def->kind == RFM_FIELD_FLOAT8)
			pq_sendfloat8(&buf, *FIELD(value, def, double));
		else if (def->kind == RFM_FIELD_INT64 || def->kind == RFM_FIELD_UNIT)
			pq_sendint64(&buf, *FIELD(value, def, int64));
		else
			pq_sendint32(&buf, *FIELD(value, def, int32));
	}
	return pq_endtypsend(&buf);
}

Datum
rfm_fixed_record(const RfmFixedType *type, FunctionCallInfo fcinfo, const void *value)
{
	TupleDesc	desc;
	Datum	   *values = palloc(type->nfields * sizeof(Datum));
	bool	   *nulls = palloc0(type->nfields * sizeof(bool));
	int			i;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "the parameters of a %s must be returned as a record", type->text.name);
	desc = BlessTupleDesc(desc);
	for (i = 0; i < type->nfields; i++)
	{
		const RfmFieldDef *def = &type->fields[i];

		switch (def->kind)
		{
			case RFM_FIELD_FLOAT8:
				values[i] = Float8GetDatum(*FIELD(value, def, double));
				break;
			case RFM_FIELD_INT64:
				values[i] = Int64GetDatum(*FIELD(value, def, int64));
				break;
			case RFM_FIELD_COUNT32:
				values[i] = Int32GetDatum(*FIELD(value, def, int32));
				break;
			case RFM_FIELD_UNIT:
				nulls[i] = *FIELD(value, def, int64) <= 0;
				if (!nulls[i])
					values[i] = IntervalPGetDatum(rfm_unit_interval(*FIELD(value, def, int64)));
				break;
			case RFM_FIELD_CONVERGED:
				values[i] = BoolGetDatum((*FIELD(value, def, int32) & RFM_FIELD_CONVERGED_FLAG) != 0);
				break;
		}
	}
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}
