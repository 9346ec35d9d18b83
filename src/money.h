/*
 * money.h: exact monetary totals as a 128-bit integer and a decimal scale.
 *
 * Summing numeric amounts with numeric arithmetic costs an allocation and a
 * digit loop per row.  Money fits in 38 digits, so the transition function
 * reads the numeric's base-10000 digits straight into an int128 and adds
 * integers; the total is turned back into a numeric once per customer.
 */
#ifndef RFM_MONEY_H
#define RFM_MONEY_H

#include "postgres.h"
#include "compat.h"
#include "lib/stringinfo.h"

#define RFM_MAX_SCALE 38
/* Numeric's own limit on digits after the point. */
#define RFM_MAX_DSCALE 0x3FFF

extern const int128 rfm_pow10[RFM_MAX_SCALE + 1];

/* Exact totals have at most 38 digits: |value| < 10^38 (int128 holds 1.7e38). */
static inline bool
rfm_money_in_range(int128 value)
{
	return value < rfm_pow10[RFM_MAX_SCALE] && value > -rfm_pow10[RFM_MAX_SCALE];
}

/*
 * An exact amount: value / 10^scale.  The scale of a decoded numeric is a
 * multiple of 4 (its digit groups); dscale is the numeric's display scale.
 */
typedef struct RfmAmount
{
	int128		value;
	int			scale;
	int			dscale;
} RfmAmount;

extern void rfm_amount_from_numeric(Datum numeric, RfmAmount *out);
extern void rfm_amount_from_float8(double value, RfmAmount *out);
extern int	rfm_money_frac_digits(void);
extern void rfm_money_accumulate(int128 *total, int16 *total_scale,
								 int128 value, int scale);
extern Datum rfm_money_to_numeric(int128 value, int scale, int dscale);
extern void rfm_money_append(StringInfo buf, int128 value, int scale, int dscale);
extern bool rfm_money_parse(const char *str, int128 *value, int *scale, int *dscale);
/* Binary form of a 128-bit value: its high, then its low 64 bits. */
extern void rfm_money_send(StringInfo buf, int128 value);
extern int128 rfm_money_recv(StringInfo buf);
pg_noreturn extern void rfm_money_overflow(void);

#endif							/* RFM_MONEY_H */
