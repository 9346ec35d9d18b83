/*
 * vocab.c: text and binary forms shared by the ordered vocabularies.
 * Like an enum, the binary form is the label's text, so a client that does
 * not know the type can still read it.
 */
#include "postgres.h"
#include "compat.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"

#include "vocab.h"

static char *
all_labels(const RfmVocabulary *vocab)
{
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < vocab->count; i++)
		appendStringInfo(&buf, "%s%s", i ? ", " : "", vocab->labels[i]);
	return buf.data;
}

static int
find_label(const RfmVocabulary *vocab, const char *text, int len)
{
	int			i;

	for (i = 0; i < vocab->count; i++)
		if ((int) strlen(vocab->labels[i]) == len && memcmp(vocab->labels[i], text, len) == 0)
			return i;
	return -1;
}

uint8
rfm_vocab_parse(const RfmVocabulary *vocab, const char *text)
{
	int			code = find_label(vocab, text, strlen(text));

	if (code < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input value for type %s: \"%s\"", vocab->type_name, text),
				 errhint("Valid values are, best first: %s.", all_labels(vocab))));
	return (uint8) code;
}

const char *
rfm_vocab_label(const RfmVocabulary *vocab, uint8 code)
{
	if (code >= vocab->count)
		elog(ERROR, "invalid internal value %d for type %s", code, vocab->type_name);
	return vocab->labels[code];
}

uint8
rfm_vocab_recv(const RfmVocabulary *vocab, StringInfo buf)
{
	int			len = buf->len - buf->cursor;
	const char *text = pq_getmsgbytes(buf, len);
	int			code = find_label(vocab, text, len);

	if (code < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external value for type %s", vocab->type_name),
				 errhint("Valid values are, best first: %s.", all_labels(vocab))));
	return (uint8) code;
}

bytea *
rfm_vocab_send(const RfmVocabulary *vocab, uint8 code)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendtext(&buf, rfm_vocab_label(vocab, code), strlen(rfm_vocab_label(vocab, code)));
	return pq_endtypsend(&buf);
}
