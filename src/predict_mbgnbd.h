/*
 * predict_mbgnbd.h: the modified BG/NBD model (predict_mbgnbd.c).
 *
 * Its parameters are BG/NBD's (r, alpha, a, b), so an mbgnbd_model is
 * stored as a BgnbdModel (predict.h): the same 64 bytes, another SQL type.
 */
#ifndef RFM_PREDICT_MBGNBD_H
#define RFM_PREDICT_MBGNBD_H

#include "postgres.h"

#include "predict.h"

#define DatumGetMbgnbdModelP(d) DatumGetBgnbdModelP(d)

#endif							/* RFM_PREDICT_MBGNBD_H */
