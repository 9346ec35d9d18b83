/*
 * predict_holdout.c: calibration/holdout diagnostics.
 *
 * lifetimes' calibration_and_holdout_data splits each customer's orders at
 * the end of the calibration period; the holdout count is the number of
 * periods with an order after it.  Two histories of the same customer, one
 * as of the calibration end and one as of the holdout end, give it
 * without a second pass over the orders: the first purchase is in the
 * calibration period (else there is no calibration history), so the
 * holdout periods are the difference of the repeat periods.  The pair is
 * checked for being one customer's histories in one unit.  The table a
 * chart draws (mean actual against mean predicted, by calibration
 * frequency) is then a GROUP BY; see the README.
 *
 * fit_statistics: a fitted model's log-likelihood, parameter count,
 * customers, AIC = 2k - 2 LL and BIC = k ln n - 2 LL, for comparing models
 * fitted to the same customers (lower is better).
 */
#include "postgres.h"
#include "compat.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "predict.h"
#include "predict_bgbb.h"
#include "predict_holdout.h"
#include "predict_pareto.h"
#include "predict_sbg.h"

PG_FUNCTION_INFO_V1(history_holdout_orders);
PG_FUNCTION_INFO_V1(bgnbd_fit_statistics);
PG_FUNCTION_INFO_V1(pareto_nbd_fit_statistics);
PG_FUNCTION_INFO_V1(mbgnbd_fit_statistics);
PG_FUNCTION_INFO_V1(gamma_gamma_fit_statistics);
PG_FUNCTION_INFO_V1(sbg_fit_statistics);
PG_FUNCTION_INFO_V1(bgbb_fit_statistics);

/* (calibration rfm_history, through_holdout rfm_history) -> bigint */
Datum
history_holdout_orders(PG_FUNCTION_ARGS)
{
	const RfmHistory *cal = DatumGetRfmHistoryP(PG_GETARG_DATUM(0));
	const RfmHistory *all = DatumGetRfmHistoryP(PG_GETARG_DATUM(1));

	if (cal->unit != all->unit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the calibration and holdout histories must be in the same unit")));
	/* same first period: the same purchases up to the calibration end, later ones after it */
	if (all->T < cal->T || all->x < cal->x ||
		(all->x == cal->x && all->t_x != cal->t_x) ||
		(all->x > cal->x && all->t_x <= cal->T))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("these are not one customer's histories as of the calibration end and a later holdout end"),
				 errdetail("Calibration (x=" INT64_FORMAT ", t_x=" INT64_FORMAT ", T=" INT64_FORMAT "), through the holdout (x=" INT64_FORMAT ", t_x=" INT64_FORMAT ", T=" INT64_FORMAT ").",
						   cal->x, cal->t_x, cal->T, all->x, all->t_x, all->T),
				 errhint("Build both with rfm_history over the same orders and unit, as_of the calibration end and the holdout end.")));
	PG_RETURN_INT64(all->x - cal->x);
}

/* (model, log_likelihood, parameters, customers, aic, bic); no AIC or BIC for a model not fitted (n = 0) */
static Datum
fit_record(FunctionCallInfo fcinfo, const char *model, double ll, int k, int64 n)
{
	TupleDesc	desc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, n == 0, n == 0};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	desc = BlessTupleDesc(desc);
	values[0] = CStringGetTextDatum(model);
	values[1] = Float8GetDatum(ll);
	values[2] = Int32GetDatum(k);
	values[3] = Int64GetDatum(n);
	values[4] = Float8GetDatum(2.0 * k - 2.0 * ll);
	values[5] = Float8GetDatum(k * log((double) Max(n, 1)) - 2.0 * ll);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

Datum
bgnbd_fit_statistics(PG_FUNCTION_ARGS)
{
	const BgnbdModel *m = DatumGetBgnbdModelP(PG_GETARG_DATUM(0));

	return fit_record(fcinfo, "BG/NBD", m->ll, 4, m->n);
}

Datum
pareto_nbd_fit_statistics(PG_FUNCTION_ARGS)
{
	const ParetoNbdModel *m = DatumGetParetoNbdModelP(PG_GETARG_DATUM(0));

	return fit_record(fcinfo, "Pareto/NBD", m->ll, 4, m->n);
}

/* an mbgnbd_model is stored as a BgnbdModel (predict_mbgnbd.h) */
Datum
mbgnbd_fit_statistics(PG_FUNCTION_ARGS)
{
	const BgnbdModel *m = DatumGetBgnbdModelP(PG_GETARG_DATUM(0));

	return fit_record(fcinfo, "MBG/NBD", m->ll, 4, m->n);
}

Datum
gamma_gamma_fit_statistics(PG_FUNCTION_ARGS)
{
	const GammaGammaModel *m = DatumGetGammaGammaModelP(PG_GETARG_DATUM(0));

	return fit_record(fcinfo, "Gamma-Gamma", m->ll, 3, m->n);
}

/* n is the cohort's size: each customer is one observation of a duration */
Datum
sbg_fit_statistics(PG_FUNCTION_ARGS)
{
	const SbgModel *m = DatumGetSbgModelP(PG_GETARG_DATUM(0));

	return fit_record(fcinfo, "shifted-beta-geometric", m->ll, 2, m->n);
}

Datum
bgbb_fit_statistics(PG_FUNCTION_ARGS)
{
	const BgbbModel *m = DatumGetBgbbModelP(PG_GETARG_DATUM(0));

	return fit_record(fcinfo, "BG/BB", m->ll, 4, m->n);
}
