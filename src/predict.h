/*
 * predict.h: the prediction models (BG/NBD and Gamma-Gamma) and their
 * per-customer input, rfm_history.
 *
 * All three values are fixed-length structs without padding, passed by
 * reference, stored plain.  Time is counted in a unit (an interval without
 * months, kept in microseconds); a model fitted from histories remembers
 * its unit so that later calls can convert a history or a horizon to it.
 */
#ifndef RFM_PREDICT_H
#define RFM_PREDICT_H

#include "postgres.h"
#include "fmgr.h"

#include "datatype/timestamp.h"

#include "agg_state.h"
#include "summary.h"

/*
 * One customer's model inputs, lifetimes' summary_data_from_transaction_data
 * row: orders are mapped to periods of length unit (date_bin with origin
 * Monday 2000-01-03, so days start at midnight and weeks on Monday, like
 * pandas' to_period('D') / to_period('W')), same-period orders merged.
 */
typedef struct RfmHistory
{
	int64		unit;			/* period length, microseconds */
	int64		x;				/* distinct periods with an order - 1 */
	int64		t_x;			/* last period - first period */
	int64		T;				/* period of as_of - first period */
	float8		monetary_value; /* mean summed amount of the repeat periods, 0 if x = 0 */
} RfmHistory;

#define RFM_HISTORY_SIZE 40

#define RFM_MODEL_CONVERGED 0x01

/* The hint of a text input error of the three types. */
#define RFM_PREDICT_TEXT_HINT "Write it the way it prints, e.g. the output of a fit."

typedef struct BgnbdModel
{
	float8		r;
	float8		alpha;
	float8		a;
	float8		b;
	float8		ll;				/* log-likelihood at the estimates */
	int64		n;				/* customers fitted */
	int64		unit;			/* microseconds per model time unit, 0 = not known */
	int32		iterations;
	int32		flags;
} BgnbdModel;

#define BGNBD_MODEL_SIZE 64

typedef struct GammaGammaModel
{
	float8		p;
	float8		q;
	float8		v;
	float8		ll;
	int64		n;				/* repeat customers fitted */
	int32		iterations;
	int32		flags;
} GammaGammaModel;

#define GAMMA_GAMMA_MODEL_SIZE 48

/*
 * The state of the fits over customers (x, t_x, T) (bgnbd_fit, and the
 * other models' fits, which share its transition, combine, serialize and
 * deserialize functions): 24 bytes a customer.  The four-parameter fits'
 * final functions read it through rfm_fit4 (predict_fit4.h).
 */
typedef struct Triple
{
	double		x;
	double		t_x;
	double		T;
} Triple;

typedef struct RfmTripleState
{
	RfmRecords	triples;
	int64		unit;			/* model unit in microseconds, 0 = not known */
} RfmTripleState;

/* Model helpers shared by the SQL functions (predict_bgnbd.c). */
/* What is wrong with a BgnbdModel (a bgnbd_model or an mbgnbd_model), or NULL. */
extern const char *rfm_bgnbd_violation(const void *value);
extern double rfm_bgnbd_expected(const BgnbdModel *m, double x, double t_x, double T, double t);
extern void rfm_bgnbd_expected_many(const BgnbdModel *m, double x, double t_x, double T,
									const double *t, int n, double *e, FmgrInfo *memo_site);
extern void rfm_check_customer(double x, double t_x, double T);
extern void rfm_check_horizon(double t);
/* A history's x, t_x and T in unit (a model's, 0 = not known), or an error with hint. */
extern void rfm_history_in_unit(int64 unit, const RfmHistory *h, const char *hint,
								double *x, double *t_x, double *T);
/* A horizon in unit (a model's, 0 = not known: an error). */
extern double rfm_horizon_in_unit(int64 unit, const Interval *horizon);
/* A history's x, t_x and T in the model's unit, or an error with hint. */
extern void rfm_history_in_model_unit(const BgnbdModel *m, const RfmHistory *h,
									  const char *hint, double *x, double *t_x, double *T);

/*
 * rfm_history's rules (predict_history.c), shared by its aggregate and the
 * fast grouping engine's rfm_history (fast_history_exec.c).
 */
/* The period of an instant: floor((instant - Monday 2000-01-03) / unit). */
extern int64 rfm_history_period(int64 instant, int64 unit);
/* as_of and unit in microseconds, or the aggregate's errors. */
extern void rfm_history_frame(RfmTimeKind kind, Datum as_of, const Interval *unit,
							  int64 *as_of_out, int64 *unit_out);
/* The aggregate's error for an order on or before as_of that has no period. */
extern void rfm_history_check_order(int64 ordered_at);
extern void rfm_history_make(RfmHistory *h, int64 unit, int64 as_of, int64 periods,
							 int64 first, int64 last, int128 repeat_total, int16 repeat_scale);

#define DatumGetRfmHistoryP(d)		((RfmHistory *) DatumGetPointer(d))
#define DatumGetBgnbdModelP(d)		((BgnbdModel *) DatumGetPointer(d))
#define DatumGetGammaGammaModelP(d) ((GammaGammaModel *) DatumGetPointer(d))

#endif							/* RFM_PREDICT_H */
