/*
 * predict_bgbb.h: the BG/BB model of discrete opportunities
 * (predict_bgbb.c).
 *
 * A fixed-length struct without padding, passed by reference, stored plain.
 */
#ifndef RFM_PREDICT_BGBB_H
#define RFM_PREDICT_BGBB_H

#include "postgres.h"

typedef struct BgbbModel
{
	float8		alpha;			/* transaction probabilities ~ Beta(alpha, beta) */
	float8		beta;
	float8		gamma;			/* dropout probabilities ~ Beta(gamma, delta) */
	float8		delta;
	float8		ll;				/* log-likelihood at the estimates */
	int64		n;				/* customers fitted */
	int32		iterations;
	int32		flags;
} BgbbModel;

#define BGBB_MODEL_SIZE 56

#define DatumGetBgbbModelP(d) ((BgbbModel *) DatumGetPointer(d))

#endif							/* RFM_PREDICT_BGBB_H */
