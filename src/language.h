/*
 * language.h: the languages rfm writes its segment and loyalty class texts
 * in, and the setting rfm.language that picks one by default.
 */
#ifndef RFM_LANGUAGE_H
#define RFM_LANGUAGE_H

/* Index of a language in the text tables: 0 en, 1 zh-Hant. */
#define RFM_LANGUAGE_COUNT 2

extern void rfm_language_init(void);
extern int	rfm_language_code(const char *name);
extern int	rfm_language_of(const char *name);

#endif							/* RFM_LANGUAGE_H */
