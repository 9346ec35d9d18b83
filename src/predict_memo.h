/*
 * predict_memo.h: a call site's memo of per-customer prediction terms
 * (predict_memo.c).
 */
#ifndef RFM_PREDICT_MEMO_H
#define RFM_PREDICT_MEMO_H

#include "postgres.h"
#include "fmgr.h"

typedef struct RfmMemo RfmMemo;

/* at most this many doubles name what a memo's values were computed for */
#define RFM_MEMO_MAX_IDENTITY 24

extern RfmMemo *rfm_memo_of_call(FmgrInfo *flinfo, const double *identity, int identity_length,
								 int values_per_key);
extern const double *rfm_memo_find(const RfmMemo *memo, double key1, double key2);
extern void rfm_memo_add(RfmMemo *memo, double key1, double key2, const double *values);

#endif							/* RFM_PREDICT_MEMO_H */
