/*
 * time_unit.h: lengths of time without months, in microseconds: the unit of
 * an rfm_history or a model, and a horizon (time_unit.c).
 */
#ifndef RFM_TIME_UNIT_H
#define RFM_TIME_UNIT_H

#include "postgres.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"

#include "text_form.h"

/* A positive interval without months, or an error naming it what. */
extern int64 rfm_interval_usecs(const Interval *iv, const char *what);
extern Interval *rfm_unit_interval(int64 usecs);
extern void rfm_append_unit(StringInfo buf, int64 usecs);
extern int64 rfm_parse_unit(const char *text, const RfmTextType *type, const char *input);

#endif							/* RFM_TIME_UNIT_H */
