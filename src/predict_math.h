/*
 * predict_math.h: special functions of the prediction models (predict_math.c).
 */
#ifndef RFM_PREDICT_MATH_H
#define RFM_PREDICT_MATH_H

#include "postgres.h"

extern double rfm_digamma(double x);
extern double rfm_log1pexp(double s);
extern double rfm_log_hyp2f1(double a, double b, double c, double z, int *sign);

#define RFM_HYP2F1_MANY 16
extern void rfm_log_hyp2f1_many(double a, double b, double c, const double *z, int n,
								double *log_f, int *sign);

#define RFM_HYP2F1_1_MAX_TERMS 10000000L
extern double rfm_log_hyp2f1_1(double p, double q, double z,
							   double *d_p, double *d_q, double *d_z);

#endif							/* RFM_PREDICT_MATH_H */
