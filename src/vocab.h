/*
 * vocab.h: ordered vocabularies (segment, loyalty_class) stored as one byte,
 * the position of the label in a best-first list.
 */
#ifndef RFM_VOCAB_H
#define RFM_VOCAB_H

#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

typedef struct RfmVocabulary
{
	const char *type_name;
	const char *const *labels;	/* best first */
	int			count;
} RfmVocabulary;

extern uint8 rfm_vocab_parse(const RfmVocabulary *vocab, const char *text);
extern const char *rfm_vocab_label(const RfmVocabulary *vocab, uint8 code);
extern uint8 rfm_vocab_recv(const RfmVocabulary *vocab, StringInfo buf);
extern bytea *rfm_vocab_send(const RfmVocabulary *vocab, uint8 code);

#endif							/* RFM_VOCAB_H */
