/*
 * money.c: exact monetary arithmetic for rfm_summary.
 */
#include "postgres.h"
#include "compat.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "money.h"

#define P10(n) ((int128) n)
const int128 rfm_pow10[RFM_MAX_SCALE + 1] = {
	P10(1), P10(10), P10(100), P10(1000), P10(10000), P10(100000),
	P10(1000000), P10(10000000), P10(100000000), P10(1000000000),
	P10(10000000000), P10(100000000000), P10(1000000000000),
	P10(10000000000000), P10(100000000000000), P10(1000000000000000),
	P10(10000000000000000), P10(100000000000000000),
	P10(1000000000000000000),
	P10(1000000000000000000) * 10, P10(1000000000000000000) * 100,
	P10(1000000000000000000) * 1000, P10(1000000000000000000) * 10000,
	P10(1000000000000000000) * 100000, P10(1000000000000000000) * 1000000,
	P10(1000000000000000000) * 10000000, P10(1000000000000000000) * 100000000,
	P10(1000000000000000000) * 1000000000,
	P10(1000000000000000000) * 10000000000,
	P10(1000000000000000000) * 100000000000,
	P10(1000000000000000000) * 1000000000000,
	P10(1000000000000000000) * 10000000000000,
	P10(1000000000000000000) * 100000000000000,
	P10(1000000000000000000) * 1000000000000000,
	P10(1000000000000000000) * 10000000000000000,
	P10(1000000000000000000) * 100000000000000000,
	P10(1000000000000000000) * 1000000000000000000,
	P10(1000000000000000000) * 1000000000000000000 * 10,
	P10(1000000000000000000) * 1000000000000000000 * 100,
};

void
rfm_money_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("monetary total out of range for rfm_summary"),
			 errdetail("Totals are kept exactly and may have at most 38 significant digits, counting those after the decimal point.")));
}

/* value * 10^n, or an error when that leaves 128 bits. */
static inline int128
scale_up(int128 value, int n)
{
	int128		result;

	if (n > RFM_MAX_SCALE || __builtin_mul_overflow(value, rfm_pow10[n], &result))
		rfm_money_overflow();
	return result;
}

/*
 * The on-disk numeric format (numeric.c) has been stable since 9.1, because
 * pg_upgrade keeps old numeric values as they are.  Only its header is read
 * here; numeric.h does not export it.
 */
#define NUMERIC_SIGN_MASK		0xC000
#define NUMERIC_NEG				0x4000
#define NUMERIC_SHORT			0x8000
#define NUMERIC_SPECIAL			0xC000
#define NUMERIC_SHORT_SIGN_MASK	0x2000
#define NUMERIC_SHORT_DSCALE_MASK 0x1F80
#define NUMERIC_SHORT_DSCALE_SHIFT 7
#define NUMERIC_SHORT_WEIGHT_SIGN_MASK 0x0040
#define NUMERIC_SHORT_WEIGHT_MASK 0x003F
#define NUMERIC_DSCALE_MASK		0x3FFF
#define NBASE					10000

static inline uint16
read_uint16(const char *p)
{
	uint16		v;

	memcpy(&v, p, sizeof(v));
	return v;
}

void
rfm_amount_from_numeric(Datum numeric, RfmAmount *out)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(numeric);
	const char *data;
	int			len;
	uint16		header;
	bool		negative;
	int			weight;
	int			ndigits;
	const char *digits;
	int64		small = 0;
	int			trimmed = 0;
	int128		value;
	int			i;

	if (VARATT_IS_EXTERNAL(raw) || VARATT_IS_COMPRESSED(raw))
		raw = pg_detoast_datum_packed(raw);
	data = VARDATA_ANY(raw);
	len = VARSIZE_ANY_EXHDR(raw);
	header = read_uint16(data);

	if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("amount must be a finite number"),
				 errdetail("An order amount of NaN or infinity has no monetary meaning.")));

	if (header & NUMERIC_SHORT)
	{
		negative = (header & NUMERIC_SHORT_SIGN_MASK) != 0;
		out->dscale = (header & NUMERIC_SHORT_DSCALE_MASK) >> NUMERIC_SHORT_DSCALE_SHIFT;
		weight = (header & NUMERIC_SHORT_WEIGHT_MASK);
		if (header & NUMERIC_SHORT_WEIGHT_SIGN_MASK)
			weight |= ~NUMERIC_SHORT_WEIGHT_MASK;
		digits = data + sizeof(uint16);
	}
	else
	{
		negative = (header & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
		out->dscale = header & NUMERIC_DSCALE_MASK;
		weight = (int16) read_uint16(data + sizeof(uint16));
		digits = data + 2 * sizeof(uint16);
	}
	ndigits = (len - (digits - data)) / sizeof(int16);

	/* Four base-10000 digits fit an int64; most amounts need no more. */
	for (i = 0; i < ndigits && i < 4; i++)
		small = small * NBASE + read_uint16(digits + i * sizeof(int16));
	value = small;
	for (; i < ndigits; i++)
	{
		int			digit = read_uint16(digits + i * sizeof(int16));
		int			padding = 4 * (ndigits - 1 - weight) - out->dscale;

		/*
		 * The last group of a long value pads with zeros past the display
		 * scale (38 decimals end in a group "9900"); leave them out, so that
		 * 38 significant digits fit.
		 */
		if (i == ndigits - 1 && padding > 0 && padding < 4 &&
			digit % (int) rfm_pow10[padding] == 0)
		{
			value = scale_up(value, 4 - padding) + digit / (int) rfm_pow10[padding];
			trimmed = padding;
		}
		else
			value = scale_up(value, 4) + digit;
	}

	/* value now counts units of NBASE^-(ndigits - 1 - weight), less the trimmed zeros */
	out->scale = 4 * (ndigits - 1 - weight) - trimmed;
	if (ndigits == 0)
		out->scale = 0;
	else if (out->scale < 0)
	{
		value = scale_up(value, -out->scale);
		out->scale = 0;
	}
	/* the last base-10000 group pads with zeros: 1e-37 decodes at scale 40 */
	while (out->scale > RFM_MAX_SCALE && out->scale > out->dscale && value % 10 == 0)
	{
		value /= 10;
		out->scale--;
	}
	if (out->scale > RFM_MAX_SCALE || !rfm_money_in_range(value))
		rfm_money_overflow();
	out->value = negative ? -value : value;
}

/*
 * A double precision amount counts as the shortest decimal that reads back
 * as the same double, the digits float8 output shows (19.99, not
 * 19.989999999999998...).  Summing those exactly makes the total the same
 * in any order, serial or parallel, which floating-point addition is not.
 */
void
rfm_amount_from_float8(double value, RfmAmount *out)
{
	char		text[DOUBLE_SHORTEST_DECIMAL_LEN];
	const char *p = text;
	bool		negative = false;
	int64		digits = 0;
	int			fraction_digits = 0;
	bool		in_fraction = false;
	int			exponent = 0;

	if (isnan(value) || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("amount must be a finite number"),
				 errdetail("An order amount of NaN or infinity has no monetary meaning.")));

	/* at most 17 significant digits, then an optional exponent */
	double_to_shortest_decimal_buf(value, text);
	if (*p == '-')
	{
		negative = true;
		p++;
	}
	for (; *p && *p != 'e'; p++)
	{
		if (*p == '.')
			in_fraction = true;
		else
		{
			digits = digits * 10 + (*p - '0');
			fraction_digits += in_fraction;
		}
	}
	if (*p == 'e')
		exponent = atoi(p + 1);

	out->value = negative ? -digits : digits;
	out->scale = fraction_digits - exponent;
	if (out->scale < 0)
	{
		out->value = scale_up(out->value, -out->scale);
		out->scale = 0;
	}
	if (out->scale > RFM_MAX_SCALE)
		rfm_money_overflow();
	out->dscale = out->scale;
}

/* *total (at *total_scale) += value (at scale), exactly. */
/*
 * Digits after the point of a money value: lc_monetary's frac_digits, read
 * exactly as PostgreSQL's money input, output and money::numeric read it
 * (2 where the locale gives none, as the C locale does).  localeconv() is
 * cached by PostgreSQL until lc_monetary changes, so this is cheap per row.
 */
int
rfm_money_frac_digits(void)
{
	int			digits = PGLC_localeconv()->frac_digits;

	return digits < 0 || digits > 10 ? 2 : digits;
}

void
rfm_money_accumulate(int128 *total, int16 *total_scale, int128 value, int scale)
{
	if (scale > *total_scale)
	{
		*total = scale_up(*total, scale - *total_scale);
		*total_scale = scale;
	}
	else if (scale < *total_scale)
		value = scale_up(value, *total_scale - scale);
	if (__builtin_add_overflow(*total, value, total) || !rfm_money_in_range(*total))
		rfm_money_overflow();
}

/*
 * Decimal text of value / 10^scale with dscale digits after the point.
 * When scale exceeds dscale the extra digits are dropped only if they are
 * zero, so nothing is ever rounded away.
 */
void
rfm_money_append(StringInfo buf, int128 value, int scale, int dscale)
{
	char		digits[48];
	int			n = 0;
	uint128		magnitude = value < 0 ? -(uint128) value : (uint128) value;
	int			i;

	while (scale > dscale && magnitude % 10 == 0)
	{
		magnitude /= 10;
		scale--;
	}
	do
	{
		digits[n++] = '0' + (int) (magnitude % 10);
		magnitude /= 10;
	} while (magnitude > 0);
	while (n <= scale)
		digits[n++] = '0';

	if (value < 0)
		appendStringInfoChar(buf, '-');
	for (i = n - 1; i >= 0; i--)
	{
		appendStringInfoChar(buf, digits[i]);
		if (i == scale && scale > 0)
			appendStringInfoChar(buf, '.');
	}
	if (dscale > scale)
	{
		if (scale == 0)
			appendStringInfoChar(buf, '.');
		for (i = scale; i < dscale; i++)
			appendStringInfoChar(buf, '0');
	}
}

/* the function's own scaling by up to 10^3 then stays within int64 */
#define RFM_FAST_NUMERIC_LIMIT INT64CONST(100000000000000)

/*
 * value * 10^-scale shown with dscale digits after the point.  Built from
 * an int64 directly where it fits (the common case; through numeric_in it
 * cost 180 ns, most of what monetary() costs a customer), else from its
 * text; both give the same numeric, digits and display scale.
 */
Datum
rfm_money_to_numeric(int128 value, int scale, int dscale)
{
	StringInfoData buf;

#ifdef RFM_HAVE_INT64_DIV_FAST_TO_NUMERIC
	/* as rfm_money_append writes it, in int64 while below 10^14 */
	if (value < RFM_FAST_NUMERIC_LIMIT && value > -RFM_FAST_NUMERIC_LIMIT && scale >= 0)
	{
		int64		shown = (int64) value;
		int			shown_scale = scale;

		while (shown_scale > dscale && shown % 10 == 0)
		{
			shown /= 10;
			shown_scale--;
		}
		for (; shown_scale < dscale && shown < RFM_FAST_NUMERIC_LIMIT &&
			 shown > -RFM_FAST_NUMERIC_LIMIT; shown_scale++)
			shown *= 10;
		if (shown_scale >= dscale && shown < RFM_FAST_NUMERIC_LIMIT &&
			shown > -RFM_FAST_NUMERIC_LIMIT)
			return NumericGetDatum(int64_div_fast_to_numeric(shown, shown_scale));
	}
#endif

	initStringInfo(&buf);
	rfm_money_append(&buf, value, scale, dscale);
	return DirectFunctionCall3(numeric_in, CStringGetDatum(buf.data),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/*
 * Parses [-]digits[.digits] exactly; false on anything else.  dscale is the
 * number of digits after the point, scale that less trailing zeros that do
 * not fit the 38 digits.
 */
bool
rfm_money_parse(const char *str, int128 *value, int *scale, int *dscale)
{
	const char *p = str;
	bool		negative = false;
	bool		seen_digit = false;
	bool		seen_point = false;
	int			pending_zeros = 0;	/* fractional zeros not yet in v */
	int128		v = 0;
	int			s = 0;
	int			ds = 0;

	if (*p == '-' || *p == '+')
		negative = (*p++ == '-');
	for (; *p; p++)
	{
		if (*p == '.' && !seen_point)
		{
			seen_point = true;
			continue;
		}
		if (*p < '0' || *p > '9')
			return false;
		seen_digit = true;
		if (seen_point)
		{
			if (ds++ >= PG_INT16_MAX)
				return false;
			if (*p == '0')
			{
				pending_zeros++;
				continue;
			}
		}
		/* v = v * 10^(pending_zeros + 1) + digit */
		for (; pending_zeros >= 0; pending_zeros--)
		{
			if (__builtin_mul_overflow(v, 10, &v))
				return false;
			if (seen_point)
				s++;
		}
		pending_zeros = 0;
		if (__builtin_add_overflow(v, *p - '0', &v))
			return false;
		if (s > RFM_MAX_SCALE)
			return false;
	}
	if (!seen_digit || !rfm_money_in_range(v) || ds > RFM_MAX_DSCALE)
		return false;
	*value = negative ? -v : v;
	*scale = s;
	*dscale = ds;
	return true;
}

void
rfm_money_send(StringInfo buf, int128 value)
{
	pq_sendint64(buf, (int64) (value >> 64));
	pq_sendint64(buf, (int64) (uint64) value);
}

int128
rfm_money_recv(StringInfo buf)
{
	int64		high = pq_getmsgint64(buf);
	uint64		low = (uint64) pq_getmsgint64(buf);

	return (int128) (((uint128) (uint64) high << 64) | low);
}
