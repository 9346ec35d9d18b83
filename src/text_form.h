/*
 * text_form.h: the "(key=value, key=value, word)" text form that rfm's
 * fixed-length types read and print (text_form.c).
 */
#ifndef RFM_TEXT_FORM_H
#define RFM_TEXT_FORM_H

#include "postgres.h"
#include "compat.h"
#include "lib/stringinfo.h"

/* A type with a text form, for its error messages. */
typedef struct RfmTextType
{
	const char *name;			/* the SQL type */
	const char *hint;			/* how to write a value */
} RfmTextType;

typedef struct RfmField
{
	char	   *key;
	char	   *value;			/* NULL for a bare word */
} RfmField;

/* The fields of input, at most max of them, into fields; returns how many. */
extern int	rfm_parse_fields(const RfmTextType *type, const char *input,
							 RfmField *fields, int max);
extern double rfm_field_float(const RfmTextType *type, const char *input, const RfmField *f);
extern int64 rfm_field_int(const RfmTextType *type, const char *input, const RfmField *f);
extern void rfm_append_float(StringInfo buf, double v);
pg_noreturn extern void rfm_bad_input(const RfmTextType *type, const char *input,
									  const char *detail);

#endif							/* RFM_TEXT_FORM_H */
