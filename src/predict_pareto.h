/*
 * predict_pareto.h: the Pareto/NBD model (predict_pareto.c).
 *
 * A fixed-length struct without padding, passed by reference, stored plain,
 * laid out like bgnbd_model: four parameters, the log-likelihood, the
 * customers, the time unit, iterations and convergence.  The fit and the
 * type's fields rely on it (predict_fit4.h); predict_pareto.c asserts it.
 */
#ifndef RFM_PREDICT_PARETO_H
#define RFM_PREDICT_PARETO_H

#include "postgres.h"

typedef struct ParetoNbdModel
{
	float8		r;				/* purchase rates ~ Gamma(r, alpha) */
	float8		alpha;
	float8		s;				/* dropout rates ~ Gamma(s, beta) */
	float8		beta;
	float8		ll;				/* log-likelihood at the estimates */
	int64		n;				/* customers fitted */
	int64		unit;			/* microseconds per model time unit, 0 = not known */
	int32		iterations;
	int32		flags;
} ParetoNbdModel;

#define PARETO_NBD_MODEL_SIZE 64

#define DatumGetParetoNbdModelP(d) ((ParetoNbdModel *) DatumGetPointer(d))

#endif							/* RFM_PREDICT_PARETO_H */
