/*
 * text_form.c: the "(key=value, key=value, word)" text form of rfm's
 * fixed-length types: rfm_summary, rfm_history and the models.
 */
#include "postgres.h"
#include "compat.h"

#include <math.h>

#include "common/shortest_dec.h"

#include "text_form.h"

void
rfm_bad_input(const RfmTextType *type, const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", type->name, input),
			 errdetail("%s", detail),
			 errhint("%s", type->hint)));
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* p with blanks cut off both ends (in place) */
static char *
trim(char *p)
{
	char	   *end;

	while (is_blank(*p))
		p++;
	end = p + strlen(p);
	while (end > p && is_blank(end[-1]))
		*--end = '\0';
	return p;
}

/*
 * "(key=value, key=value, word)" -> fields.  Keys, values and bare words
 * are trimmed of blanks; values keep inner spaces ("7 days").
 */
int
rfm_parse_fields(const RfmTextType *type, const char *input, RfmField *fields, int max)
{
	char	   *p = trim(pstrdup(input));
	size_t		len = strlen(p);
	int			n = 0;

	if (len < 2 || p[0] != '(' || p[len - 1] != ')')
		rfm_bad_input(type, input, "The value must be enclosed in parentheses.");
	p[len - 1] = '\0';
	p++;
	if (*trim(p) == '\0')
		return 0;

	for (;;)
	{
		char	   *comma = strchr(p, ',');
		char	   *eq;

		if (comma)
			*comma = '\0';
		if (n == max)
			rfm_bad_input(type, input, "There are too many fields.");
		p = trim(p);
		if (*p == '\0')
			rfm_bad_input(type, input, "A field is empty.");
		eq = strchr(p, '=');
		if (eq)
		{
			*eq = '\0';
			p = trim(p);
			eq = trim(eq + 1);
			if (*p == '\0' || *eq == '\0')
				rfm_bad_input(type, input, "A field needs a name and a value.");
		}
		fields[n].key = p;
		fields[n].value = eq;
		n++;
		if (!comma)
			return n;
		p = comma + 1;
	}
}

double
rfm_field_float(const RfmTextType *type, const char *input, const RfmField *f)
{
	char	   *end;
	double		v = strtod(f->value, &end);

	if (end == f->value || *end != '\0' || !isfinite(v))
		rfm_bad_input(type, input, psprintf("%s must be a finite number", f->key));
	return v;
}

int64
rfm_field_int(const RfmTextType *type, const char *input, const RfmField *f)
{
	char	   *end;
	long long	v;

	errno = 0;
	v = strtoll(f->value, &end, 10);
	if (end == f->value || *end != '\0' || errno != 0)
		rfm_bad_input(type, input, psprintf("%s must be an integer", f->key));
	return (int64) v;
}

/* The shortest decimal that reads back as the same double (float8 output). */
void
rfm_append_float(StringInfo buf, double v)
{
	char		text[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, text);
	appendStringInfoString(buf, text);
}
