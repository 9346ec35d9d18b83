/*
 * segment_text.c: what each segment and loyalty class means and what to do
 * about it, for a marketer, in English and Traditional Chinese:
 * segment_label(segment, language), segment_description, segment_action and
 * loyalty_label, loyalty_description, loyalty_action.
 *
 * The texts below are the defaults.  A row of the table rfm_text (in the
 * extension's schema, so a database keeps its own and pg_dump saves them)
 * overrides any of them, field by field; a NULL field keeps the default.
 * The table is read once per call site and query, through SPI and with its
 * schema spelt out, so search_path cannot redirect the read.
 */
#include "postgres.h"
#include "compat.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "language.h"

PG_FUNCTION_INFO_V1(rfm_segment_label_in);
PG_FUNCTION_INFO_V1(rfm_segment_description);
PG_FUNCTION_INFO_V1(rfm_segment_action);
PG_FUNCTION_INFO_V1(rfm_loyalty_label);
PG_FUNCTION_INFO_V1(rfm_loyalty_description);
PG_FUNCTION_INFO_V1(rfm_loyalty_action);

typedef enum TextField
{
	FIELD_LABEL,
	FIELD_DESCRIPTION,
	FIELD_ACTION,
	FIELD_COUNT
} TextField;

#define MAX_NAMES 11

/* One vocabulary: its names in code order, and [language][code][field]. */
typedef struct TextVocabulary
{
	const char *name;			/* as in rfm_text.vocabulary */
	int			count;
	const char *const *names;
	const char *const (*texts)[MAX_NAMES][FIELD_COUNT];
} TextVocabulary;

static const char *const segment_names[] = {
	"champions", "loyal", "potential_loyalist", "new_customers", "promising",
	"need_attention", "about_to_sleep", "at_risk", "cannot_lose_them",
	"hibernating", "lost"
};

static const char *const segment_texts[RFM_LANGUAGE_COUNT][MAX_NAMES][FIELD_COUNT] = {
	{							/* en */
		{"Champions",
			"Bought recently, buy often and spend the most.",
		"Thank them: early access, a small gift; ask for a review or a referral. No discount needed."},
		{"Loyal",
			"Buy regularly and spend well: the backbone of the shop.",
		"Keep them close: a loyalty programme, personal recommendations, news before anyone else."},
		{"Potential loyalist",
			"Recent customers who buy fairly well: regulars in the making.",
		"Invite them into the loyalty programme and suggest a next purchase that fits what they bought."},
		{"New customers",
			"Just bought, most likely for the first time.",
		"Welcome them: say thank you, help them enjoy what they bought, make the second order easy."},
		{"Promising",
			"Bought recently, but not much yet.",
		"Build the habit: useful tips and a modest, time-limited offer on a second purchase."},
		{"Need attention",
			"Middling on every count, and not as recent as they were.",
		"Get in touch before they drift: a personal message with something new or a limited offer."},
		{"About to sleep",
			"Bought a little, a while ago; slipping away.",
		"A gentle reminder of your bestsellers or a small incentive; do not spend much on them."},
		{"At risk",
			"Used to buy often and spend well, but have not been back for a while.",
		"Win them back now: a personal message, ask what went wrong, a generous offer on what they used to buy."},
		{"Cannot lose them",
			"Once among your best customers, silent for a long time.",
		"Reach out in person, by phone or a handwritten note; find out why and put it right."},
		{"Hibernating",
			"Last bought long ago, rarely and little.",
		"Keep them in low-cost campaigns; try one reactivation offer, then let them be."},
		{"Lost",
			"Bought once or twice, long ago, and never came back.",
		"Let them go, or send one low-cost win-back message; spend the budget on the others."},
	},
	{							/* zh-Hant */
		{"冠軍客戶",
			"最近有購買、購買頻繁，而且消費最多。",
		"向他們道謝：搶先體驗、小禮物，並邀請他們留下評價或推薦朋友；不需要折扣。"},
		{"忠實客戶",
			"定期購買、消費穩定，是店舖的中堅。",
		"與他們保持緊密聯繫：會員計劃、個人化推介，新品消息優先通知。"},
		{"準忠實客戶",
			"最近的客戶，購買表現不錯，正逐漸成為熟客。",
		"邀請他們加入會員計劃，並按他們買過的商品推介下一次購買。"},
		{"新客戶",
			"剛剛購買，多半是第一次。",
		"歡迎他們：道謝、教他們用好所買的商品，讓第二次購買更容易。"},
		{"潛力客戶",
			"最近有購買，但次數和金額仍然不多。",
		"培養購買習慣：提供實用資訊，以及第二次購買的限時小優惠。"},
		{"需要關注",
			"各方面表現中等，而且不如以往那麼常來。",
		"趁他們疏遠之前聯絡：發一則個人訊息，介紹新品或限時優惠。"},
		{"即將沉睡",
			"買得不多，而且已有一段時間沒有光顧，正在流失。",
		"溫和提醒：介紹暢銷商品或送上小優惠；不宜投入太多。"},
		{"有流失風險",
			"以往經常購買、消費不少，但已有一段時間沒有回來。",
		"立即挽回：發個人訊息，了解原因，並就他們以往常買的商品提供優厚優惠。"},
		{"不能失去的客戶",
			"曾是最好的客戶之一，卻已很久沒有消息。",
		"親自聯絡，例如致電或手寫卡片；了解原因，並作出補救。"},
		{"休眠客戶",
			"上次購買已是很久以前，次數少、金額也少。",
		"以低成本納入一般推廣；嘗試一次喚醒優惠，之後不再打擾。"},
		{"已流失客戶",
			"很久以前買過一兩次，之後再沒有回來。",
		"順其自然，或只發一次低成本的挽回訊息；把預算留給其他客戶。"},
	},
};

static const char *const loyalty_names[] = {"loyal", "repeat", "one_time", "lapsed"};

static const char *const loyalty_texts[RFM_LANGUAGE_COUNT][MAX_NAMES][FIELD_COUNT] = {
	{							/* en */
		{"Loyal",
			"Order again and again: at least the loyalty threshold in the period (10 orders unless set otherwise).",
		"Reward them: points, perks, a thank-you that is not a discount."},
		{"Repeat",
			"Ordered more than once in the period.",
		"Give them a reason for the next order: recommendations and news; they are on the way to loyal."},
		{"One-time",
			"Ordered exactly once in the period.",
		"Turn the first order into a second: a follow-up after delivery and an offer on something related."},
		{"Lapsed",
			"Ordered before, but not in the period.",
		"Remind them you are there with what is new; if they stay silent, stop writing."},
	},
	{							/* zh-Hant */
		{"忠實",
			"一再訂購：期間內的訂購次數達到忠實門檻（如無另行設定，為 10 次）。",
		"回饋他們：積分、專屬禮遇，以及折扣以外的感謝。"},
		{"回頭客",
			"期間內訂購多於一次。",
		"給他們再次訂購的理由：推介商品和新品消息；他們正邁向忠實客戶。"},
		{"一次性客戶",
			"期間內只訂購過一次。",
		"把第一次變成第二次：送貨後跟進，並提供相關商品的優惠。"},
		{"已停購",
			"以前訂購過，但期間內沒有訂購。",
		"提醒他們你仍在，介紹新品；如無回應，便不再打擾。"},
	},
};

static const TextVocabulary segment_vocabulary = {
	"segment", lengthof(segment_names), segment_names, segment_texts
};
static const TextVocabulary loyalty_vocabulary = {
	"loyalty_class", lengthof(loyalty_names), loyalty_names, loyalty_texts
};

/* The overrides of one vocabulary, read once per call site and query. */
typedef struct TextOverrides
{
	char	   *texts[RFM_LANGUAGE_COUNT][MAX_NAMES][FIELD_COUNT];	/* NULL: default */
} TextOverrides;

static int
code_of_name(const TextVocabulary *vocab, const char *name)
{
	int			i;

	for (i = 0; i < vocab->count; i++)
		if (strcmp(vocab->names[i], name) == 0)
			return i;
	return -1;					/* the table's CHECK keeps this from happening */
}

static void
load_overrides(FunctionCallInfo fcinfo, const TextVocabulary *vocab, TextOverrides *o)
{
	char	   *schema = get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid));
	char	   *query = psprintf("SELECT name, language, label, description, action FROM %s.rfm_text"
								 " WHERE vocabulary = $1", quote_identifier(schema));
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1] = {CStringGetTextDatum(vocab->name)};
	uint64		row;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args(query, 1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read %s.rfm_text", schema);
	for (row = 0; row < SPI_processed; row++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[row];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		int			code = code_of_name(vocab, SPI_getvalue(tuple, desc, 1));
		int			language = rfm_language_code(SPI_getvalue(tuple, desc, 2));
		int			field;

		if (code < 0 || language < 0)
			continue;
		for (field = 0; field < FIELD_COUNT; field++)
		{
			char	   *value = SPI_getvalue(tuple, desc, 3 + field);

			if (value != NULL)
				o->texts[language][code][field] =
					MemoryContextStrdup(fcinfo->flinfo->fn_mcxt, value);
		}
	}
	SPI_finish();
}

static Datum
text_of(FunctionCallInfo fcinfo, const TextVocabulary *vocab, TextField field)
{
	uint8		code;
	int			language;
	TextOverrides *o = fcinfo->flinfo->fn_extra;
	const char *found;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	code = PG_GETARG_CHAR(0);
	if (code >= vocab->count)
		elog(ERROR, "invalid internal value %d for type %s", code, vocab->name);
	language = rfm_language_of(PG_NARGS() > 1 && !PG_ARGISNULL(1) ?
							   text_to_cstring(PG_GETARG_TEXT_PP(1)) : NULL);
	if (o == NULL)
	{
		o = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(TextOverrides));
		load_overrides(fcinfo, vocab, o);
		fcinfo->flinfo->fn_extra = o;
	}
	if (o->texts[language][code][field] != NULL)
		PG_RETURN_TEXT_P(cstring_to_text(o->texts[language][code][field]));
	/* the defaults are UTF-8; a database in another encoding gets them converted */
	found = vocab->texts[language][code][field];
	found = pg_any_to_server(found, strlen(found), PG_UTF8);
	PG_RETURN_TEXT_P(cstring_to_text(found));
}

Datum
rfm_segment_label_in(PG_FUNCTION_ARGS)
{
	return text_of(fcinfo, &segment_vocabulary, FIELD_LABEL);
}

Datum
rfm_segment_description(PG_FUNCTION_ARGS)
{
	return text_of(fcinfo, &segment_vocabulary, FIELD_DESCRIPTION);
}

Datum
rfm_segment_action(PG_FUNCTION_ARGS)
{
	return text_of(fcinfo, &segment_vocabulary, FIELD_ACTION);
}

Datum
rfm_loyalty_label(PG_FUNCTION_ARGS)
{
	return text_of(fcinfo, &loyalty_vocabulary, FIELD_LABEL);
}

Datum
rfm_loyalty_description(PG_FUNCTION_ARGS)
{
	return text_of(fcinfo, &loyalty_vocabulary, FIELD_DESCRIPTION);
}

Datum
rfm_loyalty_action(PG_FUNCTION_ARGS)
{
	return text_of(fcinfo, &loyalty_vocabulary, FIELD_ACTION);
}
