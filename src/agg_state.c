/*
 * agg_state.c: aggregate states that collect a record a row (agg_state.h).
 */
#include "postgres.h"
#include "compat.h"

#include "libpq/pqformat.h"
#include "utils/memutils.h"

#include "agg_state.h"

MemoryContext
rfm_agg_context(FunctionCallInfo fcinfo, const char *function)
{
	MemoryContext context;

	if (!AggCheckCallContext(fcinfo, &context))
		elog(ERROR, "%s called in non-aggregate context", function);
	return context;
}

void *
rfm_records_state_new(MemoryContext context, Size state_size, const RfmRecordForm *form,
					  int64 capacity)
{
	RfmRecords *r = MemoryContextAllocZero(context, state_size);

	r->form = form;
	r->capacity = Max(capacity, form->min_capacity);
	r->data = MemoryContextAllocHuge(context, r->capacity * form->size);
	return r;
}

void
rfm_records_reserve(RfmRecords *r, int64 more)
{
	int64		needed = r->n + more;

	if (needed <= r->capacity)
		return;
	r->capacity = Max(needed, r->capacity * 2);
	r->data = repalloc_huge(r->data, r->capacity * r->form->size);
}

void *
rfm_records_append(RfmRecords *r)
{
	rfm_records_reserve(r, 1);
	return r->data + r->n++ * r->form->size;
}

void *
rfm_records_combine(MemoryContext context, void *into, const void *from, Size state_size)
{
	const RfmRecords *source = from;
	RfmRecords *target = into;

	if (target == NULL)
	{
		/* the first input is not ours to keep: a copy of its header, our records */
		target = rfm_records_state_new(context, state_size, source->form, source->n);
		memcpy((char *) target + sizeof(RfmRecords), (const char *) from + sizeof(RfmRecords),
			   state_size - sizeof(RfmRecords));
	}
	rfm_records_reserve(target, source->n);
	memcpy(target->data + target->n * source->form->size, source->data,
		   source->n * source->form->size);
	target->n += source->n;
	return target;
}

void *
rfm_records_copy(const RfmRecords *r)
{
	void	   *copy = palloc_extended(r->n * r->form->size, MCXT_ALLOC_HUGE);

	memcpy(copy, r->data, r->n * r->form->size);
	return copy;
}

void *
rfm_records_sorted(const RfmRecords *r, int (*compare) (const void *, const void *))
{
	void	   *copy = rfm_records_copy(r);

	qsort(copy, r->n, r->form->size, compare);
	return copy;
}

void
rfm_records_send(StringInfo buf, const RfmRecords *r)
{
	int64		i;

	pq_sendint64(buf, r->n);
	for (i = 0; i < r->n; i++)
		r->form->send(buf, r->data + i * r->form->size);
}

void
rfm_state_receive(bytea *bytes, StringInfo buf)
{
	initStringInfo(buf);
	appendBinaryStringInfo(buf, VARDATA_ANY(bytes), VARSIZE_ANY_EXHDR(bytes));
}

void
rfm_records_recv(StringInfo buf, RfmRecords *r)
{
	int64		n = pq_getmsgint64(buf),
				i;

	rfm_records_reserve(r, n);
	for (i = 0; i < n; i++)
		r->form->recv(buf, r->data + i * r->form->size);
	r->n = n;
	pq_getmsgend(buf);
	pfree(buf->data);
}
