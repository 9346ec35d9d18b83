/*
 * fuzz.c: feeds generated and mutated inputs to every rfm type's text input
 * function and binary receive function, over one libpq connection.
 *
 *   fuzz SEED ITERATIONS [TYPE...]     (connection from PGHOST/PGPORT/...)
 *
 * For each type, ITERATIONS text inputs (PQexecPrepared with a text-format
 * parameter of the type, so the server runs T_in) and ITERATIONS binary
 * inputs (binary-format parameter, so it runs T_recv).  Inputs are mutations
 * (byte flips, insertions, deletions, splices, number swaps, field overwrites)
 * of seeds that the real functions produced, plus random strings.  Each one
 * must either
 *   - be accepted, and then round-trip exactly:
 *       text:   out(in(out(v))) = out(v)
 *       binary: send(recv(b)) = b, out(recv(send(v))) = out(v)
 *     plus value oracles (rfm_summary: frequency, orders and monetary equal
 *     what the text said; rfm_breaks: no finite threshold turns into
 *     infinity), or
 *   - be rejected with an ERROR whose SQLSTATE is one of the expected ones.
 * Anything else (another SQLSTATE, a lost connection, a round-trip mismatch)
 * is a failure; the first few of each kind are printed with the input.
 * At the end the backend PID and postmaster start time must be unchanged.
 *
 * Output: one line per type and path, then `fuzz: N passed, M failed`
 * where N counts inputs handled correctly and M failures.
 * Deterministic for a given SEED.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libpq-fe.h>

#define MAXLEN 1200
#define MAXSEEDS 4096
#define MAXSHOW 6

typedef struct Buf
{
	int			len;
	unsigned char data[MAXLEN];
} Buf;

typedef struct Stats
{
	long		tried;
	long		accepted;
	long		rejected;
	long		failed;
	int			shown;
	char		states[16][6];
	long		state_count[16];
	int			nstates;
} Stats;

typedef struct TypeInfo
{
	const char *name;
	const char *seed_sql;		/* returns one column of the type */
	unsigned int oid;
	Buf		   *tseeds;
	int			ntseeds;
	Buf		   *bseeds;
	int			nbseeds;
	Stats		text;
	Stats		binary;
} TypeInfo;

static PGconn *conn;
static uint64_t rng_state;
static long total_failures;
static int	connection_lost;

static const char *accepted_states[] = {
	"22P02", "22P03", "22003", "22007", "22008", "22009", "22023", "08P01", "22021", NULL
};

/* ---------- PRNG: splitmix64, deterministic ---------- */

static uint64_t
rnd64(void)
{
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int
rnd(int n)
{
	return n <= 0 ? 0 : (int) (rnd64() % (uint64_t) n);
}

/* ---------- seeds ---------- */

static const char *summary_seed_sql =
"WITH o AS ("
"  SELECT c, timestamptz '2026-11-23 00:00+00' - ((c * 37 + i * (c % 11 + 1)) * interval '7 hours 13 minutes') AS t,"
"         round(((c * 13 + i * 7) % 500 - 40)::numeric / (10 ^ (c % 5))::numeric, (c % 5)) AS amt"
"  FROM generate_series(1, 40) c, generate_series(0, c % 9) i"
"  UNION ALL SELECT 100, timestamptz '0044-03-15 12:00:00+00 BC', 1e-10"
"  UNION ALL SELECT 100, timestamptz '2026-11-22 23:59:59.999999+00', 12345678901234567890.5"
"  UNION ALL SELECT 101, timestamptz '294000-01-01 00:00+00', -0.000001"
"  UNION ALL SELECT 101, timestamptz '4713-11-25 00:00:00+00 BC', 9999999999999999999999999999"
") "
"SELECT s FROM ("
" SELECT rfm_summary(t, amt, timestamptz '2026-11-23 00:00+00') s FROM o GROUP BY c"
" UNION ALL SELECT rfm_summary(t, amt, timestamptz '2026-11-23 00:00+00', interval '3 days') FROM o GROUP BY c"
" UNION ALL SELECT rfm_summary(t::timestamp, amt::float8, timestamp '2026-11-23', interval '1 day') FROM o GROUP BY c"
" UNION ALL SELECT rfm_summary(t::timestamp, amt::float8, timestamp '294276-12-31 23:59:59') FROM o GROUP BY c"
" UNION ALL SELECT rfm_summary(t::date, (amt * 100 % 1000000000000000000)::bigint, date '2026-11-23') FROM o GROUP BY c"
" UNION ALL SELECT rfm_summary(t::date, (amt * 100 % 1000000000000000000)::bigint, date '2026-11-23', interval '10 days 3 hours') FROM o GROUP BY c"
" UNION ALL SELECT rfm_summary(t::date, amt::int, date '2026-11-23', interval '5 days') FROM o WHERE c < 100 GROUP BY c"
") x WHERE s IS NOT NULL";

static const char *breaks_seed_sql =
"WITH o AS ("
"  SELECT c, timestamptz '2026-11-23 00:00+00' - ((c * 37 + i * (c % 11 + 1)) * interval '7 hours 13 minutes') AS t,"
"         round(((c * 13 + i * 7) % 500 - 40)::numeric / (10 ^ (c % 5))::numeric, (c % 5)) AS amt"
"  FROM generate_series(1, 40) c, generate_series(0, c % 9) i), "
"s AS (SELECT c, rfm_summary(t, amt, timestamptz '2026-11-23 00:00+00') s FROM o GROUP BY c) "
"SELECT rfm_breaks(s, b) FROM s, generate_series(2, 9) b GROUP BY b "
"UNION ALL SELECT rfm_breaks(s, b) FROM s, generate_series(2, 9) b WHERE c < 4 GROUP BY b "
"UNION ALL SELECT v::rfm_breaks FROM (VALUES "
"  ('R: 30, 90, 180, 365; F: 2, 3, 5, 10; M: 100, 250, 500, 1000'),"
"  ('R: -infinity; F: infinity; M: -infinity'),"
"  ('R: -5, 0, 7; F: -3, 0, 9223372036854775807; M: -1.5, 0.000001, 99999999999999999999999999999999'),"
"  ('r: 1,2,3,4,5,6,7,8; f: 1,2,3,4,5,6,7,8; m: 0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8'),"
"  ('recency: 1; frequency: 1; monetary: 1.00000000000000000000000000000000000000'),"
"  ('R: -infinity, 0.5, 115, 297.4, 482.000000000000001; F: 2; M: 1')"
") v(v)";

static TypeInfo types[] = {
	{"rfm_score", "SELECT rfm_score(r, f, m) FROM generate_series(1, 9) r, generate_series(1, 9) f, generate_series(1, 9) m", 0, NULL, 0, NULL, 0, {0}, {0}},
	{"segment", "SELECT DISTINCT rfm_segment(rfm_score(r, f, m)) FROM generate_series(1, 5) r, generate_series(1, 5) f, generate_series(1, 5) m", 0, NULL, 0, NULL, 0, {0}, {0}},
	{"loyalty_class", "SELECT DISTINCT loyalty_class(s, k) FROM (SELECT rfm_summary(d, 1, date '2026-11-23', interval '30 days') s FROM (SELECT c, date '2026-11-23' - (c * i) AS d FROM generate_series(1, 12) c, generate_series(0, 12) i) o GROUP BY c) x, generate_series(1, 12) k", 0, NULL, 0, NULL, 0, {0}, {0}},
	{"rfm_summary", NULL, 0, NULL, 0, NULL, 0, {0}, {0}},
	{"rfm_breaks", NULL, 0, NULL, 0, NULL, 0, {0}, {0}},
	{"rfm_history", "SELECT rfm_history(d, a, date '2026-11-23', u) FROM (SELECT c, date '2026-11-23' - (c * i * 3) AS d, round((c * 7 + i)::numeric / 3, c % 4) AS a FROM generate_series(1, 30) c, generate_series(0, c % 6) i) o, (VALUES (interval '1 day'), (interval '7 days'), (interval '36 hours')) v(u) GROUP BY c, u", 0, NULL, 0, NULL, 0, {0}, {0}},
	{"bgnbd_model", "SELECT v::bgnbd_model FROM (VALUES ('(r=0.24259452212911325, alpha=4.413602024528186, a=0.7929219829454279, b=2.4259066115873624, ll=-9582.429206673936, n=2357, unit=7 days, iterations=23, converged)'), ('(r=1.5, alpha=20, a=0.5, b=3, ll=-100.25, n=10, iterations=5, converged)')) x(v)", 0, NULL, 0, NULL, 0, {0}, {0}},
	{"pareto_nbd_model", "SELECT v::pareto_nbd_model FROM (VALUES ('(r=0.5532770388659142, alpha=10.57768337332468, s=0.6062401292594647, beta=11.668739495444758, ll=-9594.97617893953, n=2357, unit=7 days, iterations=29, converged)'), ('(r=1.5, alpha=20, s=0.5, beta=3, ll=-100.25, n=10, iterations=5, converged)')) x(v)", 0, NULL, 0, NULL, 0, {0}, {0}},
	{"mbgnbd_model", "SELECT v::mbgnbd_model FROM (VALUES ('(r=0.5248431590769252, alpha=6.183085270715369, a=0.8913593853086429, b=1.614002228685974, ll=-9582.13571555375, n=2357, unit=7 days, iterations=26, converged)'), ('(r=2, alpha=0.5, a=3, b=0.25, ll=7.5, n=4, iterations=9, converged)')) x(v)", 0, NULL, 0, NULL, 0, {0}, {0}},
	{"sbg_model", "SELECT v::sbg_model FROM (VALUES ('(alpha=0.7040766819764357, beta=1.1819640803426637, ll=-1680.2651884632899, n=1000, periods=7, iterations=12, converged)'), ('(alpha=2, beta=3, ll=-10.5, n=100, periods=2, iterations=4, converged)')) x(v)", 0, NULL, 0, NULL, 0, {0}, {0}},
	{"bgbb_model", "SELECT v::bgbb_model FROM (VALUES ('(alpha=1.20352234398002, beta=0.7497163535122517, gamma=0.6567182100691555, delta=2.7834422336750397, ll=-33225.58127434699, n=11104, iterations=25, converged)'), ('(alpha=0.5, beta=4, gamma=1, delta=0.25, ll=-3, n=2, iterations=1, not converged)')) x(v)", 0, NULL, 0, NULL, 0, {0}, {0}},
	{"gamma_gamma_model", "SELECT v::gamma_gamma_model FROM (VALUES ('(p=6.249572291879965, q=3.744224666125979, v=15.44352090172445, ll=-4055.917694801883, n=946, iterations=21, converged)'), ('(p=2, q=4.5, v=100, ll=-12.5, n=3, iterations=7, converged)')) x(v)", 0, NULL, 0, NULL, 0, {0}, {0}},
};
#define NTYPES ((int) (sizeof(types) / sizeof(types[0])))

static void
die(const char *what, PGresult *res)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
	printf("fuzz: 0 passed, 1 failed\n");
	exit(1);
}

static int
load_seeds(const char *sql, int format, Buf **out)
{
	PGresult   *res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, format);
	int			n;
	int			i;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die("seed query", res);
	n = PQntuples(res);
	if (n > MAXSEEDS)
		n = MAXSEEDS;
	*out = calloc(n > 0 ? n : 1, sizeof(Buf));
	for (i = 0; i < n; i++)
	{
		int			len = PQgetlength(res, i, 0);

		if (len >= MAXLEN)
			len = MAXLEN - 1;
		memcpy((*out)[i].data, PQgetvalue(res, i, 0), len);
		(*out)[i].len = len;
	}
	PQclear(res);
	return n;
}

/* ---------- mutations ---------- */

static const char *text_alphabet = "0123456789-+.,:;= ()eEinfyaRFMrfm_\t\n\r'\"\\xXzZTtBC/";
static const char *interesting_numbers[] = {
	"0", "-0", "1", "-1", "+1", "00000000000000000000001", "9", "10", "99", "100", "111",
	"999", "1000", "32767", "32768", "-32768", "65536", "2147483647", "2147483648",
	"-2147483649", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551616",
	"99999999999999999999999999999999999999", "100000000000000000000000000000000000000",
	"170141183460469231731687303715884105727", "170141183460469231731687303715884105728",
	"170141183460469231731687303715884105729", "-170141183460469231731687303715884105728",
	"-170141183460469231731687303715884105729", "340282366920938463463374607431768211456",
	"0.00000000000000000000000000000000000001", "0.000000000000000000000000000000000000001",
	"1.5", "-0.5", ".5", "5.", "1e5", "1E-5", "NaN", "nan", "Infinity", "-infinity", "+infinity",
	"inf", "0x10", " 1", "1 ", "1_000", "١", "\xc3\xa9", "\xff\xfe", "\xe2\x80\x8b",
	"294276-12-31", "294277-01-01", "4714-11-24 BC", "4714-11-23 BC", "5874897-12-31",
	"2006-02-30", "2006-12-31 24:00:00", "2006-12-31 23:59:60", "epoch", "infinity", "now",
	"today", "allballs", "2006-12-31 10:00:00+14", "2006-12-31 10:00:00-15:59",
	"2006-12-31 10:00:00 Europe/Paris", "2006-12-31T10:00:00Z", "J2454000", "1e1000",
};
static const char *text_tokens[] = {
	"(", ")", "recency=", "frequency=", "monetary=", "orders=", "first=", "last=", "as_of=",
	"since=", ", ", ",", "=", "R:", "F:", "M:", "; ", ";", "2006-01-02", "2006-12-28",
	"2006-12-31", "2006-12-28 10:00:00", "2006-12-31 00:00:00+00", "infinity", "-infinity",
	"champions", "loyal", "lost", "repeat", "one_time", "lapsed", "at_risk", "543", "1", "5",
	"123.45", "-1", " ",
};
#define NELEM(a) ((int) (sizeof(a) / sizeof((a)[0])))

static void
buf_insert(Buf *b, int pos, const unsigned char *src, int n)
{
	if (b->len + n >= MAXLEN)
		n = MAXLEN - 1 - b->len;
	if (n <= 0)
		return;
	memmove(b->data + pos + n, b->data + pos, b->len - pos);
	memcpy(b->data + pos, src, n);
	b->len += n;
}

static void
buf_delete(Buf *b, int pos, int n)
{
	if (pos + n > b->len)
		n = b->len - pos;
	if (n <= 0)
		return;
	memmove(b->data + pos, b->data + pos + n, b->len - pos - n);
	b->len -= n;
}

/* Replaces a run of digits (or the token at a random spot) with an interesting number. */
static void
swap_number(Buf *b)
{
	int			pos = rnd(b->len + 1);
	int			start;
	int			end;
	const char *num = interesting_numbers[rnd(NELEM(interesting_numbers))];
	char		random_num[64];

	if (rnd(4) == 0)
	{
		/* a random long number near the int128 and int64 edges */
		const char *prefix = rnd(2) ? "1701411834604692317316873037158841057" : "92233720368547758";
		snprintf(random_num, sizeof(random_num), "%s%s%d", rnd(3) == 0 ? "-" : "", prefix, rnd(100));
		num = random_num;
	}
	start = end = pos;
	while (start > 0 && isdigit(b->data[start - 1]))
		start--;
	while (end < b->len && isdigit(b->data[end]))
		end++;
	buf_delete(b, start, end - start);
	buf_insert(b, start, (const unsigned char *) num, strlen(num));
}

static void
mutate_text(Buf *b, const TypeInfo *t)
{
	int			ops = 1 + rnd(4);

	while (ops-- > 0)
	{
		int			pos = rnd(b->len + 1);

		switch (rnd(10))
		{
			case 0:
				if (b->len > 0)
					b->data[rnd(b->len)] ^= (unsigned char) (1 << rnd(8));
				break;
			case 1:
				if (b->len > 0)
					b->data[rnd(b->len)] = text_alphabet[rnd(strlen(text_alphabet))];
				break;
			case 2:
				{
					unsigned char c = text_alphabet[rnd(strlen(text_alphabet))];

					buf_insert(b, pos, &c, 1);
					break;
				}
			case 3:
				buf_delete(b, pos, 1 + rnd(rnd(2) ? 3 : 40));
				break;
			case 4:
				if (b->len > 0)
				{
					int			from = rnd(b->len);
					int			n = 1 + rnd(b->len - from);
					Buf			copy = *b;

					buf_insert(b, pos, copy.data + from, n);
				}
				break;
			case 5:
				if (t->ntseeds > 0)
				{
					/* splice: our prefix + another seed's suffix */
					const Buf  *o = &t->tseeds[rnd(t->ntseeds)];
					int			cut = rnd(o->len + 1);

					b->len = pos;
					buf_insert(b, pos, o->data + cut, o->len - cut);
				}
				break;
			case 6:
			case 7:
				swap_number(b);
				break;
			case 8:
				{
					const char *tok = text_tokens[rnd(NELEM(text_tokens))];

					buf_insert(b, pos, (const unsigned char *) tok, strlen(tok));
					break;
				}
			case 9:
				if (b->len > 0)
				{
					int			i = rnd(b->len);

					b->data[i] = isupper(b->data[i]) ? tolower(b->data[i]) : toupper(b->data[i]);
				}
				break;
		}
	}
}

static void
gen_text(Buf *b, const TypeInfo *t)
{
	int			kind = rnd(100);

	if (kind < 8 || t->ntseeds == 0)
	{
		int			n = rnd(rnd(2) ? 12 : 200);
		int			i;

		b->len = 0;
		for (i = 0; i < n; i++)
			b->data[b->len++] = rnd(3) ? text_alphabet[rnd(strlen(text_alphabet))] : (unsigned char) (1 + rnd(255));
	}
	else if (kind < 14)
	{
		int			n = 1 + rnd(14);

		b->len = 0;
		while (n-- > 0)
		{
			const char *tok = rnd(3) ? text_tokens[rnd(NELEM(text_tokens))]
				: interesting_numbers[rnd(NELEM(interesting_numbers))];

			buf_insert(b, b->len, (const unsigned char *) tok, strlen(tok));
		}
	}
	else
	{
		*b = t->tseeds[rnd(t->ntseeds)];
		if (kind < 17)
			return;				/* a seed as it is: must be accepted */
		mutate_text(b, t);
	}
}

static const int64_t interesting_words[] = {
	0, 1, -1, 2, 7, 86400000000LL, -86400000000LL, 3600000000LL,
	INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1,
	/* around the timestamp range: MIN_TIMESTAMP, END_TIMESTAMP */
	-211813488000000000LL, -211813488000000001LL, 9223371331200000000LL, 9223371331199999999LL,
	9223371331200000000LL - 86400000000LL,
	/* dates as microseconds since 2000 */
	217123200000000LL, 852076800000000LL, -946684800000000LL,
	38, 39, 32767, 32768, 4, 16383, 16384,
};

static void
put_be(unsigned char *p, int n, uint64_t v)
{
	int			i;

	for (i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char) v;
}

static uint64_t
get_be(const unsigned char *p, int n)
{
	uint64_t	v = 0;
	int			i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

static void
mutate_binary(Buf *b, const TypeInfo *t)
{
	int			ops = 1 + rnd(3);

	while (ops-- > 0)
	{
		int			pos = rnd(b->len + 1);

		switch (rnd(11))
		{
			case 0:
				if (b->len > 0)
					b->data[rnd(b->len)] ^= (unsigned char) (1 << rnd(8));
				break;
			case 1:
				if (b->len > 0)
				{
					static const unsigned char vals[] = {0, 1, 2, 3, 0x7f, 0x80, 0xff, 0xfe, 9, 10};

					b->data[rnd(b->len)] = vals[rnd(sizeof(vals))];
				}
				break;
			case 2:
				{
					unsigned char c = (unsigned char) rnd(256);

					buf_insert(b, pos, &c, 1);
					break;
				}
			case 3:
				buf_delete(b, pos, 1 + rnd(rnd(2) ? 2 : 24));
				break;
			case 4:
				b->len = rnd(b->len + 1);	/* truncate */
				break;
			case 5:
				{
					unsigned char extra[16];
					int			n = 1 + rnd(16);
					int			i;

					for (i = 0; i < n; i++)
						extra[i] = (unsigned char) rnd(256);
					buf_insert(b, b->len, extra, n);
					break;
				}
			case 6:
				if (t->nbseeds > 0)
				{
					const Buf  *o = &t->bseeds[rnd(t->nbseeds)];
					int			cut = rnd(o->len + 1);

					b->len = pos;
					buf_insert(b, pos, o->data + cut, o->len - cut);
				}
				break;
			case 7:
			case 8:
				/* overwrite a big-endian int64 field (at the layouts' offsets or anywhere) */
				if (b->len >= 8)
				{
					int			off = rnd(3) ? (2 + 8 * rnd(10)) : rnd(b->len - 7);

					if (off + 8 > b->len)
						off = rnd(b->len - 7);
					put_be(b->data + off, 8, (uint64_t) interesting_words[rnd(NELEM(interesting_words))]);
				}
				break;
			case 9:
				/* small arithmetic on an int64 or int16 field: keeps values plausible */
				if (b->len >= 2)
				{
					int			width = (b->len >= 8 && rnd(3)) ? 8 : 2;
					int			off = rnd(b->len - width + 1);
					static const int64_t deltas[] = {1, -1, 2, -2, 86400000000LL, -86400000000LL, 1000000, 10, -10};

					put_be(b->data + off, width, get_be(b->data + off, width) + (uint64_t) deltas[rnd(NELEM(deltas))]);
				}
				break;
			case 10:
				if (b->len >= 2)
				{
					static const uint16_t v16[] = {0, 1, 2, 38, 39, 0x7fff, 0x8000, 0xffff, 111, 999, 555, 1000, 110, 16383, 16384};
					int			off = rnd(b->len - 1);

					put_be(b->data + off, 2, v16[rnd(NELEM(v16))]);
				}
				break;
		}
	}
}

static void
gen_binary(Buf *b, const TypeInfo *t)
{
	int			kind = rnd(100);

	if (kind < 8 || t->nbseeds == 0)
	{
		int			n = rnd(rnd(2) ? 16 : 420);
		int			i;

		b->len = n;
		for (i = 0; i < n; i++)
			b->data[i] = (unsigned char) rnd(256);
	}
	else
	{
		*b = t->bseeds[rnd(t->nbseeds)];
		if (kind < 11)
			return;
		mutate_binary(b, t);
	}
}

/* ---------- checks ---------- */

static void
show_input(const Buf *b, int binary)
{
	int			i;

	if (binary)
	{
		printf("    input (hex, %d bytes): ", b->len);
		for (i = 0; i < b->len; i++)
			printf("%02x", b->data[i]);
	}
	else
	{
		printf("    input (C-escaped): \"");
		for (i = 0; i < b->len; i++)
		{
			unsigned char c = b->data[i];

			if (c == '"' || c == '\\')
				printf("\\%c", c);
			else if (c >= 32 && c < 127)
				putchar(c);
			else
				printf("\\x%02x", c);
		}
		printf("\"");
	}
	printf("\n");
}

static void
fail(TypeInfo *t, Stats *st, const Buf *in, int binary, const char *fmt, const char *a, const char *b)
{
	st->failed++;
	total_failures++;
	if (st->shown++ < MAXSHOW)
	{
		printf("  FAIL %s %s: ", t->name, binary ? "binary" : "text");
		printf(fmt, a ? a : "", b ? b : "");
		printf("\n");
		show_input(in, binary);
	}
}

static void
count_state(Stats *st, const char *state)
{
	int			i;

	for (i = 0; i < st->nstates; i++)
		if (strcmp(st->states[i], state) == 0)
		{
			st->state_count[i]++;
			return;
		}
	if (st->nstates < 16)
	{
		snprintf(st->states[st->nstates], 6, "%s", state);
		st->state_count[st->nstates++] = 1;
	}
}

static int
state_accepted(const char *state)
{
	int			i;

	for (i = 0; accepted_states[i]; i++)
		if (strcmp(state, accepted_states[i]) == 0)
			return 1;
	return 0;
}

/* Runs a prepared statement with one parameter; returns the result (caller clears). */
static PGresult *
run1n(const char *stmt, const char *data, int len, int param_binary, int result_binary)
{
	static char *tbuf;
	static int	tcap;
	const char *values[1];
	int			lengths[1];
	int			formats[1];

	if (param_binary)
		values[0] = data;
	else
	{
		if (len + 1 > tcap)
		{
			tcap = len + 1 + 1024;
			tbuf = realloc(tbuf, tcap);
		}
		memcpy(tbuf, data, len);
		tbuf[len] = '\0';
		values[0] = tbuf;
	}
	lengths[0] = len;
	formats[0] = param_binary;
	return PQexecPrepared(conn, stmt, 1, values, lengths, formats, result_binary);
}

static PGresult *
run1(const char *stmt, const Buf *param, int param_binary, int result_binary)
{
	return run1n(stmt, (const char *) param->data, param->len, param_binary, result_binary);
}

static int
check_connection(void)
{
	if (PQstatus(conn) != CONNECTION_OK)
	{
		connection_lost = 1;
		return 0;
	}
	return 1;
}

/* Splits a summary's text like rfm_summary_in does, to find one field's value. */
static int
summary_field(const Buf *in, const char *name, char *out, int outlen)
{
	char		copy[MAXLEN + 1];
	char	   *p;
	char	   *item;
	char	   *next;
	size_t		n;

	memcpy(copy, in->data, in->len);
	copy[in->len] = '\0';
	p = copy;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' || p[n - 1] == '\r'))
		p[--n] = '\0';
	if (n < 2)
		return 0;
	p[n - 1] = '\0';
	for (item = p + 1; item; item = next)
	{
		char	   *eq;
		char	   *k;
		char	   *v;
		size_t		m;

		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		eq = strchr(item, '=');
		if (!eq)
			return 0;
		*eq = '\0';
		k = item;
		while (*k == ' ' || *k == '\t' || *k == '\n' || *k == '\r')
			k++;
		m = strlen(k);
		while (m > 0 && (k[m - 1] == ' ' || k[m - 1] == '\t' || k[m - 1] == '\n' || k[m - 1] == '\r'))
			k[--m] = '\0';
		if (strcmp(k, name) != 0)
			continue;
		v = eq + 1;
		while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
			v++;
		m = strlen(v);
		while (m > 0 && (v[m - 1] == ' ' || v[m - 1] == '\t' || v[m - 1] == '\n' || v[m - 1] == '\r'))
			v[--m] = '\0';
		snprintf(out, outlen, "%s", v);
		return 1;
	}
	return 0;
}

static int
count_infinity(const char *s, int len)
{
	int			n = 0;
	int			i;

	for (i = 0; i + 8 <= len; i++)
		if (strncasecmp(s + i, "infinity", 8) == 0)
			n++;
	return n;
}

/*
 * v accepted, printing as out1: out(in(out1)) = out1, and
 * out(recv(send(in(out1)))) = out1.  Returns 1 when all is well.
 */
static int
round_trip(TypeInfo *t, Stats *st, const Buf *in, int binary, const char *out1)
{
	char		name[64];
	PGresult   *res;
	static char *sent;
	int			sent_len;

	snprintf(name, sizeof(name), "out_%s", t->name);
	res = run1n(name, out1, strlen(out1), 0, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		fail(t, st, in, binary, "accepted value's output \"%s\" is not accepted back: %s", out1, PQresultErrorMessage(res));
		PQclear(res);
		return 0;
	}
	if (strcmp(PQgetvalue(res, 0, 0), out1) != 0)
	{
		fail(t, st, in, binary, "text round trip: out = \"%s\" but out(in(out)) = \"%s\"", out1, PQgetvalue(res, 0, 0));
		PQclear(res);
		return 0;
	}
	PQclear(res);

	/* send(in(out1)) */
	snprintf(name, sizeof(name), "send_%s", t->name);
	res = run1n(name, out1, strlen(out1), 0, 1);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		fail(t, st, in, binary, "send of \"%s\" failed: %s", out1, PQresultErrorMessage(res));
		PQclear(res);
		return 0;
	}
	sent_len = PQgetlength(res, 0, 0);
	free(sent);
	sent = malloc(sent_len + 1);
	memcpy(sent, PQgetvalue(res, 0, 0), sent_len);
	PQclear(res);

	/* out(recv(send(v))) */
	snprintf(name, sizeof(name), "out_%s", t->name);
	res = run1n(name, sent, sent_len, 1, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		fail(t, st, in, binary, "recv rejects send's own output for \"%s\": %s", out1, PQresultErrorMessage(res));
		PQclear(res);
		return 0;
	}
	if (strcmp(PQgetvalue(res, 0, 0), out1) != 0)
	{
		fail(t, st, in, binary, "binary round trip: out = \"%s\" but out(recv(send)) = \"%s\"", out1, PQgetvalue(res, 0, 0));
		PQclear(res);
		return 0;
	}
	PQclear(res);

	/* value oracles for text input */
	if (!binary && strcmp(t->name, "rfm_summary") == 0)
	{
		char		mon[MAXLEN + 1];
		char		freq[MAXLEN + 1];
		char		ord[MAXLEN + 1];
		char		tbuf[MAXLEN + 1];
		const char *values[4];

		if (summary_field(in, "monetary", mon, sizeof(mon)) &&
			summary_field(in, "frequency", freq, sizeof(freq)) &&
			summary_field(in, "orders", ord, sizeof(ord)))
		{
			memcpy(tbuf, in->data, in->len);
			tbuf[in->len] = '\0';
			values[0] = tbuf;
			values[1] = mon;
			values[2] = freq;
			values[3] = ord;
			res = PQexecPrepared(conn, "oracle_summary", 4, values, NULL, NULL, 0);
			if (PQresultStatus(res) != PGRES_TUPLES_OK)
			{
				fail(t, st, in, binary, "oracle query failed: %s%s", PQresultErrorMessage(res), NULL);
				PQclear(res);
				return 0;
			}
			if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
			{
				fail(t, st, in, binary, "accepted with different figures than written: printed as \"%s\" (monetary(x) = %s)", out1, PQgetvalue(res, 0, 1));
				PQclear(res);
				return 0;
			}
			PQclear(res);
		}
	}
	if (!binary && strcmp(t->name, "rfm_breaks") == 0 &&
		count_infinity(out1, strlen(out1)) != count_infinity((const char *) in->data, in->len))
	{
		fail(t, st, in, binary, "a finite threshold became infinity (or back): printed as \"%s\"%s", out1, NULL);
		return 0;
	}
	return 1;
}

static void
one_input(TypeInfo *t, const Buf *in, int binary)
{
	Stats	   *st = binary ? &t->binary : &t->text;
	char		name[64];
	PGresult   *res;
	static char out1[200000];

	st->tried++;
	snprintf(name, sizeof(name), "out_%s", t->name);
	res = run1(name, in, binary, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
	{
		snprintf(out1, sizeof(out1), "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		st->accepted++;
		if (!round_trip(t, st, in, binary, out1))
			return;
		if (binary)
		{
			/* send(recv(b)) = b */
			snprintf(name, sizeof(name), "send_%s", t->name);
			res = run1(name, in, 1, 1);
			if (PQresultStatus(res) != PGRES_TUPLES_OK ||
				PQgetlength(res, 0, 0) != in->len ||
				memcmp(PQgetvalue(res, 0, 0), in->data, in->len) != 0)
				fail(t, st, in, binary, "send(recv(b)) differs from b (value \"%s\")%s", out1, NULL);
			PQclear(res);
		}
		return;
	}
	if (!check_connection())
	{
		fail(t, st, in, binary, "connection lost: %s%s", PQerrorMessage(conn), NULL);
		PQclear(res);
		return;
	}
	{
		const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		const char *severity = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);

		if (state == NULL)
			state = "?????";
		count_state(st, state);
		if (!state_accepted(state) || severity == NULL || strcmp(severity, "ERROR") != 0)
			fail(t, st, in, binary, "unexpected error: %s (SQLSTATE %s)",
				 PQresultErrorMessage(res), state);
		else
			st->rejected++;
	}
	PQclear(res);
}

static void
prepare(const char *name, const char *sql, int nparams, const unsigned int *types_)
{
	PGresult   *res = PQprepare(conn, name, sql, nparams, types_);

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		die(name, res);
	PQclear(res);
}

static void
print_stats(const TypeInfo *t, const char *path, const Stats *st, double secs)
{
	int			i;

	printf("%-14s %-6s tried %7ld  accepted %7ld  rejected %7ld  failed %ld  (%.1f s)  SQLSTATEs:",
		   t->name, path, st->tried, st->accepted, st->rejected, st->failed, secs);
	for (i = 0; i < st->nstates; i++)
		printf(" %s=%ld", st->states[i], st->state_count[i]);
	printf("\n");
}

int
main(int argc, char **argv)
{
	uint64_t	seed = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
	long		iterations = argc > 2 ? atol(argv[2]) : 100000;
	PGresult   *res;
	char		pid_before[64];
	char		start_before[64];
	long		passed = 0;
	int			i;

	types[3].seed_sql = summary_seed_sql;
	types[4].seed_sql = breaks_seed_sql;
	rng_state = seed;

	conn = PQconnectdb("");
	if (PQstatus(conn) != CONNECTION_OK)
		die("connect", NULL);
	res = PQexec(conn, "SELECT pg_backend_pid(), pg_postmaster_start_time(); SET client_min_messages = error; SET log_min_messages = fatal; SET log_min_error_statement = panic; SET TimeZone = 'Pacific/Chatham'");
	PQclear(res);
	res = PQexec(conn, "SELECT pg_backend_pid()::text, pg_postmaster_start_time()::text");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die("pid", res);
	snprintf(pid_before, sizeof(pid_before), "%s", PQgetvalue(res, 0, 0));
	snprintf(start_before, sizeof(start_before), "%s", PQgetvalue(res, 0, 1));
	PQclear(res);

	for (i = 0; i < NTYPES; i++)
	{
		TypeInfo   *t = &types[i];
		char		sql[256];
		char		name[64];
		unsigned int oid;
		long		k;
		Buf			in;
		struct timespec t0;
		struct timespec t1;
		struct timespec t2;
		int			skip = argc > 3;
		int			a;

		for (a = 3; a < argc; a++)
			if (strcmp(argv[a], t->name) == 0)
				skip = 0;
		if (skip)
			continue;

		snprintf(sql, sizeof(sql), "SELECT '%s'::regtype::oid", t->name);
		res = PQexec(conn, sql);
		if (PQresultStatus(res) != PGRES_TUPLES_OK)
			die("type oid", res);
		t->oid = oid = (unsigned int) strtoul(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);

		snprintf(name, sizeof(name), "out_%s", t->name);
		prepare(name, "SELECT $1::text", 1, &oid);
		snprintf(name, sizeof(name), "send_%s", t->name);
		prepare(name, "SELECT $1", 1, &oid);
		if (strcmp(t->name, "rfm_summary") == 0)
			prepare("oracle_summary",
					"SELECT monetary(x) = $2::numeric AND frequency(x) = $3::numeric AND orders_ever(x) = $4::numeric, monetary(x)::text "
					"FROM (SELECT $1::rfm_summary AS x) s", 0, NULL);

		t->ntseeds = load_seeds(t->seed_sql, 0, &t->tseeds);
		t->nbseeds = load_seeds(t->seed_sql, 1, &t->bseeds);
		if (t->ntseeds == 0 || t->nbseeds == 0)
		{
			printf("  FAIL %s: no seeds from the real functions\n", t->name);
			total_failures++;
		}

		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (k = 0; k < iterations && !connection_lost; k++)
		{
			gen_text(&in, t);
			{
				int			j;

				for (j = 0; j < in.len; j++)
					if (in.data[j] == 0)
						in.data[j] = '0';	/* a text parameter cannot hold NUL */
			}
			one_input(t, &in, 0);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		for (k = 0; k < iterations && !connection_lost; k++)
		{
			gen_binary(&in, t);
			one_input(t, &in, 1);
		}
		clock_gettime(CLOCK_MONOTONIC, &t2);
		print_stats(t, "text", &t->text, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
		print_stats(t, "binary", &t->binary, (t2.tv_sec - t1.tv_sec) + (t2.tv_nsec - t1.tv_nsec) / 1e9);
		fflush(stdout);
		passed += t->text.tried - t->text.failed + t->binary.tried - t->binary.failed;
		if (connection_lost)
			break;
	}

	if (connection_lost)
	{
		printf("  FAIL the connection was lost (server crash?)\n");
		total_failures++;
	}
	else
	{
		res = PQexec(conn, "SELECT pg_backend_pid()::text, pg_postmaster_start_time()::text");
		if (PQresultStatus(res) != PGRES_TUPLES_OK ||
			strcmp(PQgetvalue(res, 0, 0), pid_before) != 0 ||
			strcmp(PQgetvalue(res, 0, 1), start_before) != 0)
		{
			printf("  FAIL backend pid or postmaster start time changed\n");
			total_failures++;
		}
		else
			printf("server: same backend (pid %s) and postmaster (started %s) throughout\n", pid_before, start_before);
		PQclear(res);
	}
	PQfinish(conn);
	printf("fuzz: %ld passed, %ld failed\n", passed, total_failures);
	return total_failures ? 1 : 0;
}
