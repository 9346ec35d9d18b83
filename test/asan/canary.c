/*
 * Canary for test/asan/run.sh: two deliberate errors, built with the same
 * sanitizer flags as rfm, to prove that the harness really produces and finds
 * ASan and UBSan reports (a sanitizer suite that cannot fail proves nothing).
 * Never installed outside the suite's private PostgreSQL tree.
 */
#include "postgres.h"
#include "fmgr.h"

#include <stdlib.h>

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(asan_canary_overflow);
PG_FUNCTION_INFO_V1(asan_canary_ubsan);

/*
 * Writes p[n] of an (n / 2 + 1)-byte malloc'd block: a heap-buffer-overflow for
 * n >= 1. The size is known only at run time, so that UBSan's bounds and
 * object-size checks do not get there first.
 */
Datum
asan_canary_overflow(PG_FUNCTION_ARGS)
{
	int32		n = PG_GETARG_INT32(0);
	volatile char *p = malloc(n / 2 + 1);
	int32		r;

	if (p == NULL)
		elog(ERROR, "out of memory");
	p[n] = 1;
	r = p[0];
	free((void *) p);
	PG_RETURN_INT32(r);
}

/*
 * 1 << n in int32: a shift exponent too large for n >= 32. (Not a signed
 * overflow: PostgreSQL compiles with -fwrapv, which makes signed overflow
 * defined, so UBSan does not check it.)
 */
Datum
asan_canary_ubsan(PG_FUNCTION_ARGS)
{
	int32		n = PG_GETARG_INT32(0);

	PG_RETURN_INT32(1 << n);
}
