/*
 * fixed_type.h: rfm_history and the models, fixed-length types described by
 * a table of their fields, which drives their text and binary forms and
 * their record of parameters (fixed_type.c).
 */
#ifndef RFM_FIXED_TYPE_H
#define RFM_FIXED_TYPE_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

#include "text_form.h"

typedef enum RfmFieldKind
{
	RFM_FIELD_FLOAT8,			/* double */
	RFM_FIELD_INT64,			/* int64 */
	RFM_FIELD_COUNT32,			/* int32 from 0 to PG_INT32_MAX */
	RFM_FIELD_UNIT,				/* int64 microseconds, "7 days"; printed when known (> 0) */
	RFM_FIELD_CONVERGED			/* int32 flags, of which only RFM_FIELD_CONVERGED_FLAG is
								 * known: the bare word "converged" or "not converged" */
} RfmFieldKind;

#define RFM_FIELD_CONVERGED_FLAG 0x01

typedef struct RfmFieldDef
{
	const char *name;
	size_t		offset;			/* in the struct */
	RfmFieldKind kind;
	bool		required;		/* in the text form */
} RfmFieldDef;

typedef struct RfmFixedType
{
	RfmTextType text;
	Size		size;			/* of the struct */
	int			nfields;
	const RfmFieldDef *fields;	/* in the order of the text form */
	const int  *wire_order;		/* field indexes in binary order; NULL: the same */
	const char *required;		/* the detail when a required field is missing */
	const char *(*violation) (const void *value);	/* what is wrong, or NULL */
} RfmFixedType;

extern void *rfm_fixed_in(const RfmFixedType *type, const char *input);
extern char *rfm_fixed_out(const RfmFixedType *type, const void *value);
extern void *rfm_fixed_recv(const RfmFixedType *type, StringInfo buf);
extern bytea *rfm_fixed_send(const RfmFixedType *type, const void *value);
/* The fields as a record in table order (the unit as an interval, NULL if unknown). */
extern Datum rfm_fixed_record(const RfmFixedType *type, FunctionCallInfo fcinfo,
							  const void *value);

#endif							/* RFM_FIXED_TYPE_H */
