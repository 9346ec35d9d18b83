/*
 * order_row.h: reading one order row, (ordered_at, amount), for the
 * aggregates that take orders: rfm_summary and rfm_history.  Every kind of
 * amount is read here, and only here.
 */
#ifndef RFM_ORDER_ROW_H
#define RFM_ORDER_ROW_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "utils/date.h"

#include "money.h"
#include "summary.h"

typedef enum RfmAmountKind
{
	RFM_AMOUNT_NUMERIC,
	RFM_AMOUNT_FLOAT8,
	RFM_AMOUNT_INT8,
	RFM_AMOUNT_INT4,
	RFM_AMOUNT_MONEY			/* depends on lc_monetary: STABLE callers */
} RfmAmountKind;

/*
 * An instant in microseconds: a date as its midnight, a timestamp or a
 * timestamptz as stored.  Infinite dates map to the infinite timestamps.
 */
static inline int64
rfm_instant_of(RfmTimeKind kind, Datum d)
{
	if (kind == RFM_TIME_DATE)
	{
		DateADT		date = DatumGetDateADT(d);

		if (DATE_IS_NOBEGIN(date))
			return DT_NOBEGIN;
		if (DATE_IS_NOEND(date))
			return DT_NOEND;
		/* dates reach further than timestamps; beyond, the product would wrap */
		if (date < DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE ||
			date >= TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("date out of range for rfm"),
					 errdetail("Dates must lie within the range of timestamp, 4714 BC to 294276 AD.")));
		return (int64) date * USECS_PER_DAY;
	}
	return DatumGetInt64(d);
}

/* An amount as an exact decimal: value / 10^scale. */
static inline void
rfm_amount_of(RfmAmountKind kind, Datum d, RfmAmount *a)
{
	switch (kind)
	{
		case RFM_AMOUNT_NUMERIC:
			rfm_amount_from_numeric(d, a);
			break;
		case RFM_AMOUNT_FLOAT8:
			rfm_amount_from_float8(DatumGetFloat8(d), a);
			break;
		case RFM_AMOUNT_INT8:
			a->value = DatumGetInt64(d);
			a->scale = a->dscale = 0;
			break;
		case RFM_AMOUNT_MONEY:
			/* a count of the currency's smallest unit, as money::numeric reads it */
			a->value = DatumGetInt64(d);
			a->scale = a->dscale = rfm_money_frac_digits();
			break;
		case RFM_AMOUNT_INT4:
		default:
			a->value = DatumGetInt32(d);
			a->scale = a->dscale = 0;
			break;
	}
}

#endif							/* RFM_ORDER_ROW_H */
