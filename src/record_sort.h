/*
 * record_sort.h: a quicksort specialized for one record type.
 *
 * The model fits sort their customers (a million records at SCALE=10)
 * before merging identical ones; qsort() calling a comparison function
 * through a pointer spent half its time in the calls.  Here the comparison
 * is a macro the compiler inlines.  Median-of-three pivots and Hoare's
 * partition, which stops on keys equal to the pivot, so that inputs with
 * many equal records split evenly; the smaller side is sorted first by
 * recursion, the larger by the loop, so the stack stays within log2(n)
 * frames.  Not stable (the fits merge equal records, whose order does not
 * matter).
 *
 * RFM_RECORD_SORT(name, Type, less) defines
 *     static void name(Type *a, int64 n)
 * with less(a, b) a boolean expression over two Type lvalues;
 * RFM_RECORD_COMPARE(name, Type, less) a qsort-style comparison
 *     static int name(const void *a, const void *b)
 * from the same less, so that the merge of equal records (rfm_weigh_sorted)
 * and the sort cannot disagree on the order.
 */
#ifndef RFM_RECORD_SORT_H
#define RFM_RECORD_SORT_H

#include "postgres.h"

#define RFM_RECORD_SORT_SMALL 16

#define RFM_RECORD_SORT(name, Type, less) \
static void \
name##_insertion(Type *a, int64 n) \
{ \
	int64		i, \
				j; \
\
	for (i = 1; i < n; i++) \
	{ \
		Type		v = a[i]; \
\
		for (j = i; j > 0 && less(v, a[j - 1]); j--) \
			a[j] = a[j - 1]; \
		a[j] = v; \
	} \
} \
\
static void \
name(Type *a, int64 n) \
{ \
	while (n > RFM_RECORD_SORT_SMALL) \
	{ \
		int64		mid = n / 2, \
					i = -1, \
					j = n; \
		Type		t, \
					pivot; \
\
		/* a[0] <= a[mid] <= a[n - 1]: sentinels for both scans */ \
		if (less(a[mid], a[0])) \
			t = a[0], a[0] = a[mid], a[mid] = t; \
		if (less(a[n - 1], a[mid])) \
		{ \
			t = a[mid], a[mid] = a[n - 1], a[n - 1] = t; \
			if (less(a[mid], a[0])) \
				t = a[0], a[0] = a[mid], a[mid] = t; \
		} \
		pivot = a[mid]; \
		for (;;) \
		{ \
			do i++; while (less(a[i], pivot)); \
			do j--; while (less(pivot, a[j])); \
			if (i >= j) \
				break; \
			t = a[i], a[i] = a[j], a[j] = t; \
		} \
		/* a[0..j] <= pivot <= a[j+1..n-1], 0 <= j < n - 1 */ \
		if (j + 1 < n - j - 1) \
		{ \
			name(a, j + 1); \
			a += j + 1; \
			n -= j + 1; \
		} \
		else \
		{ \
			name(a + j + 1, n - j - 1); \
			n = j + 1; \
		} \
	} \
	name##_insertion(a, n); \
}

#define RFM_RECORD_COMPARE(name, Type, less) \
static int \
name(const void *a, const void *b) \
{ \
	const Type *p = a; \
	const Type *q = b; \
\
	return less(*p, *q) ? -1 : less(*q, *p) ? 1 : 0; \
}

#endif							/* RFM_RECORD_SORT_H */
