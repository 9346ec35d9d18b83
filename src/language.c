/*
 * language.c: the languages of the segment and loyalty class texts
 * (segment_text.c) and the setting rfm.language, the language used when a
 * call passes none.
 */
#include "postgres.h"
#include "compat.h"

#include "utils/guc.h"

#include "language.h"

/* Canonical spellings (BCP 47), in text-table order; matched without regard to case. */
static const char *const languages[RFM_LANGUAGE_COUNT] = {"en", "zh-Hant"};

static char *rfm_language_setting = NULL;

/* The index of a language, or -1 when rfm does not write in it. */
int
rfm_language_code(const char *name)
{
	int			i;

	for (i = 0; i < RFM_LANGUAGE_COUNT; i++)
		if (pg_strcasecmp(name, languages[i]) == 0)
			return i;
	return -1;
}

/* The index of a language given by a call; NULL means the setting. */
int
rfm_language_of(const char *name)
{
	int			code;

	if (name == NULL)
		name = rfm_language_setting ? rfm_language_setting : "en";
	code = rfm_language_code(name);
	if (code < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown language \"%s\"", name),
				 errdetail("Languages rfm writes in: en, zh-Hant."),
				 errhint("Pass NULL to use the setting rfm.language.")));
	return code;
}

static bool
check_language(char **newval, void **extra pg_attribute_unused(),
			   GucSource source pg_attribute_unused())
{
	if (rfm_language_code(*newval) < 0)
	{
		GUC_check_errdetail("Languages rfm writes in: en, zh-Hant.");
		return false;
	}
	return true;
}

void
rfm_language_init(void)
{
	DefineCustomStringVariable("rfm.language",
							   "Language of the segment and loyalty class texts: en or zh-Hant.",
							   "Used by segment_description, segment_action, loyalty_label and their kin when the call passes no language.",
							   &rfm_language_setting,
							   "en",
							   PGC_USERSET, 0,
							   check_language, NULL, NULL);
}
