/*
 * predict_sbg.h: the shifted-beta-geometric model of contract duration
 * (predict_sbg.c).
 *
 * A fixed-length struct without padding, passed by reference, stored plain.
 */
#ifndef RFM_PREDICT_SBG_H
#define RFM_PREDICT_SBG_H

#include "postgres.h"

typedef struct SbgModel
{
	float8		alpha;			/* churn probabilities ~ Beta(alpha, beta) */
	float8		beta;
	float8		ll;				/* log-likelihood at the estimates */
	int64		n;				/* customers of the cohort */
	int64		periods;		/* periods observed after the start */
	int32		iterations;
	int32		flags;
} SbgModel;

#define SBG_MODEL_SIZE 48

#define DatumGetSbgModelP(d) ((SbgModel *) DatumGetPointer(d))

#endif							/* RFM_PREDICT_SBG_H */
