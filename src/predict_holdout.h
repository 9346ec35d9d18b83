/*
 * predict_holdout.h: calibration/holdout diagnostics of the prediction
 * models (predict_holdout.c).  Only SQL-callable functions; nothing is
 * shared with other files.
 */
#ifndef RFM_PREDICT_HOLDOUT_H
#define RFM_PREDICT_HOLDOUT_H

#include "postgres.h"
#include "fmgr.h"

extern Datum history_holdout_orders(PG_FUNCTION_ARGS);
extern Datum bgnbd_fit_statistics(PG_FUNCTION_ARGS);
extern Datum pareto_nbd_fit_statistics(PG_FUNCTION_ARGS);
extern Datum mbgnbd_fit_statistics(PG_FUNCTION_ARGS);
extern Datum gamma_gamma_fit_statistics(PG_FUNCTION_ARGS);
extern Datum sbg_fit_statistics(PG_FUNCTION_ARGS);
extern Datum bgbb_fit_statistics(PG_FUNCTION_ARGS);

#endif							/* RFM_PREDICT_HOLDOUT_H */
