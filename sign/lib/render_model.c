/*
 * The document read for rendering: the labels in the document's languages, the sections
 * (document, parties, terms, capture) as rows of a table, the wording of each Text element,
 * the QR code's modules from the Verification Payload, and the result of verifying each
 * signature. The PDF and the HTML renderers draw the same model.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "render_internal.h"
#include "doc_internal.h"
#include "xml_safe.h"
#include "buf_internal.h"
#include "error_internal.h"

/* Each label in Kazakh, Russian and English. */
static const char *const labels[KEL_L_COUNT][3] = {
	[KEL_L_DOCUMENT] = { "Құжат", "Документ", "Document" },
	[KEL_L_DOC_ID] = { "Құжаттың сәйкестендіргіші", "Идентификатор документа",
		"Document id" },
	[KEL_L_TYPE] = { "Құжат түрі", "Тип документа", "Document type" },
	[KEL_L_ISSUED] = { "Берілген уақыты", "Дата и время выдачи", "Issued" },
	[KEL_L_LANGUAGES] = { "Тілдері", "Языки", "Languages" },
	[KEL_L_TEMPLATES] = { "Мәтін үлгілері", "Шаблоны текста", "Wording templates" },
	[KEL_L_REFERS_TO] = { "Кері қайтарылатын келісім", "Отзываемое согласие",
		"Consent withdrawn" },
	[KEL_L_PARTIES] = { "Тараптар", "Стороны", "Parties" },
	[KEL_L_OPERATOR] = { "Оператор", "Оператор", "Operator" },
	[KEL_L_PROCESSOR] = { "Өңдеуші", "Обработчик", "Processor" },
	[KEL_L_SUBJECT] = { "Дербес деректер субъектісі", "Субъект персональных данных",
		"Data subject" },
	[KEL_L_REPRESENTATIVE] = { "Өкіл", "Представитель", "Representative" },
	[KEL_L_BIN] = { "БСН", "БИН", "BIN" },
	[KEL_L_IIN] = { "ЖСН", "ИИН", "IIN" },
	[KEL_L_BASIS] = { "Негіздеме", "Основание", "Basis" },
	[KEL_L_TERMS] = { "Шарттар", "Условия", "Terms" },
	[KEL_L_PURPOSES] = { "Өңдеу мақсаттары", "Цели обработки", "Purposes" },
	[KEL_L_DATA] = { "Дербес деректер тізбесі", "Перечень персональных данных",
		"Personal data" },
	[KEL_L_ACTIONS] = { "Әрекеттер", "Действия", "Processing actions" },
	[KEL_L_STORAGE] = { "Сақтау орны", "Место хранения", "Storage" },
	[KEL_L_THIRD_PARTIES] = { "Үшінші тұлғаларға беру", "Передача третьим лицам",
		"Transfer to third parties" },
	[KEL_L_CROSS_BORDER] = { "Трансшекаралық беру", "Трансграничная передача",
		"Cross-border transfer" },
	[KEL_L_PUBLIC_SOURCES] = { "Жалпыға қолжетімді дереккөздер",
		"Общедоступные источники", "Publication in public sources" },
	[KEL_L_PERIOD] = { "Қолданылу мерзімі", "Срок действия", "Period of validity" },
	[KEL_L_UNTIL_PURPOSE] = { "мақсатқа қол жеткізілгенге дейін", "до достижения цели",
		"until the purposes are achieved" },
	[KEL_L_WITHDRAWAL_METHOD] = { "Кері қайтарып алу тәсілі", "Способ отзыва",
		"How to withdraw" },
	[KEL_L_JURISDICTION] = { "Юрисдикция", "Юрисдикция", "Jurisdiction" },
	[KEL_L_CAPTURE] = { "Келісімді алу", "Получение согласия", "Capture" },
	[KEL_L_METHOD] = { "Тәсіл", "Способ", "Method" },
	[KEL_L_CHANNEL] = { "Арна", "Канал", "Channel" },
	[KEL_L_CLERK] = { "Қызметкер", "Сотрудник", "Clerk" },
	[KEL_L_EVIDENCE] = { "Дәлелдер", "Доказательства", "Evidence" },
	[KEL_L_WORDING] = { "Құжат мәтіні", "Текст документа", "Wording" },
	[KEL_L_SIGNATURES] = { "Қолтаңбалар", "Подписи", "Signatures" },
	[KEL_L_SIGNATURE] = { "Қолтаңба", "Подпись", "Signature" },
	[KEL_L_SIGNER] = { "Қол қоюшы", "Подписант", "Signer" },
	[KEL_L_SERIAL] = { "Сертификаттың сериялық нөмірі", "Серийный номер сертификата",
		"Certificate serial" },
	[KEL_L_SIGNING_TIME] = { "Қол қойылған уақыты", "Время подписания", "Signing time" },
	[KEL_L_ROLE] = { "Рөлі", "Роль", "Role" },
	[KEL_L_RESULT] = { "Тексеру нәтижесі", "Результат проверки", "Verification result" },
	[KEL_L_NOT_SIGNED] = { "Құжатқа қол қойылмаған", "Документ не подписан",
		"The document is not signed" },
	[KEL_L_CHECKED_NOTE] = { "Қолтаңбалар осы көшірме жасалған кезде тексерілді",
		"Подписи проверены при изготовлении этой копии",
		"The signatures were checked when this copy was made" },
	[KEL_L_NO_TRUST] = { "сенім білдірілген тамыр сертификаты берілмеді",
		"доверенный корневой сертификат не указан", "no trust anchor was given" },
	[KEL_L_RES_PASSED] = { "жарамды", "действительна", "valid" },
	[KEL_L_RES_FAILED] = { "жарамсыз", "недействительна", "not valid" },
	[KEL_L_RES_INDETERMINATE] = { "анықталмады", "не определено", "indeterminate" },
	[KEL_L_DOC_PROBLEM] = { "Құжаттағы ақау", "Проблема документа", "Document problem" },
	[KEL_L_YES] = { "иә", "да", "yes" },
	[KEL_L_NO] = { "жоқ", "нет", "no" },
	[KEL_L_SCAN] = { "Тексеру үшін QR-кодты сканерлеңіз", "Для проверки отсканируйте QR-код",
		"Scan the QR code to verify" },
	[KEL_L_NO_QR] = { "QR-код жоқ", "QR-код отсутствует", "No QR code" },
	[KEL_L_QR_CODE] = { "QR-код", "QR-код", "QR code" },
	[KEL_L_QR_OK] = { "осы құжатқа сәйкес, мөрі расталды",
		"соответствует документу, печать подтверждена",
		"describes this document; seal verified" },
	[KEL_L_QR_BAD] = { "осы құжатқа сәйкес емес немесе мөрі жарамсыз",
		"не соответствует документу или печать недействительна",
		"does not describe this document, or its seal is not valid" },
	[KEL_L_QR_UNSURE] = { "тексерілмеді", "не проверен", "not checked" },
	[KEL_L_ACT_COLLECT] = { "жинау", "сбор", "collection" },
	[KEL_L_ACT_STORE] = { "сақтау", "хранение", "storage" },
	[KEL_L_ACT_PROVIDE] = { "ұсыну", "предоставление", "provision" },
	[KEL_L_ACT_DELETE] = { "жою", "удаление", "deletion" },
	[KEL_L_TYPE_CONSENT] = { "Дербес деректерді жинауға және өңдеуге келісім",
		"Согласие на сбор и обработку персональных данных",
		"Consent to the collection and processing of personal data" },
	[KEL_L_TYPE_TRANSFER_NOTICE] = { "Деректерді беру туралы хабарламаны растау",
		"Подтверждение уведомления о передаче данных",
		"Acknowledgment of the transfer notice" },
	[KEL_L_TYPE_CROSS_BORDER] = { "Трансшекаралық беруге келісім",
		"Согласие на трансграничную передачу", "Consent to cross-border transfer" },
	[KEL_L_TYPE_WITHDRAWAL] = { "Келісімді кері қайтарып алу", "Отзыв согласия",
		"Withdrawal of consent" },
	[KEL_L_TYPE_EVIDENCE_STATEMENT] = { "Құқықтық негіздер мен хабардар етуді растау",
		"Подтверждение правовых оснований и уведомления",
		"Statement of the lawful basis and of the notification" },
};

static int lang_index(const char *code, size_t len)
{
	if (len == 2 && memcmp(code, "kk", 2) == 0)
		return 0;
	if (len == 2 && memcmp(code, "ru", 2) == 0)
		return 1;
	if (len == 2 && memcmp(code, "en", 2) == 0)
		return 2;
	return -1;
}

/* ---- memory owned by the model ------------------------------------------------------ */

static int keep_block(struct kel_rmodel *m, void *p)
{
	if (p == NULL) {
		m->oom = 1;
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	if (m->nblocks == m->capblocks) {
		size_t cap = m->capblocks ? 2 * m->capblocks : 32;
		void **n = realloc(m->blocks, cap * sizeof(*n));
		if (n == NULL) {
			free(p);
			m->oom = 1;
			return kel_fail(KEL_ENOMEM, "out of memory");
		}
		m->blocks = n;
		m->capblocks = cap;
	}
	m->blocks[m->nblocks++] = p;
	return 0;
}

static void *model_alloc(struct kel_rmodel *m, size_t size)
{
	void *p = calloc(1, size ? size : 1);
	return keep_block(m, p) == 0 ? p : NULL;
}

static const char *model_printf(struct kel_rmodel *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *model_printf(struct kel_rmodel *m, const char *fmt, ...)
{
	kel_buf b = KEL_BUF_INIT;
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	rc = kel_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc != 0) {
		kel_buf_dispose(&b);
		m->oom = 1;
		return NULL;
	}
	s = kel_buf_detach(&b);
	return keep_block(m, s) == 0 ? s : NULL;
}

/* The label in the document's languages, "Тараптар / Стороны"; a word said the same way in
 * two languages is said once ("Оператор"). */
static const char *join_label(struct kel_rmodel *m, enum kel_rlabel key)
{
	kel_buf b = KEL_BUF_INIT;
	int rc = 0;
	char *s;

	for (int i = 0; i < m->nlangs && rc == 0; i++) {
		const char *word = labels[key][m->lang[i]];
		int seen = 0;
		for (int j = 0; j < i; j++)
			if (strcmp(labels[key][m->lang[j]], word) == 0)
				seen = 1;
		if (seen)
			continue;
		if (b.size > 0)
			rc = kel_buf_puts(&b, " / ");
		if (rc == 0)
			rc = kel_buf_puts(&b, word);
	}
	if (rc != 0) {
		kel_buf_dispose(&b);
		return NULL;
	}
	s = kel_buf_detach(&b);
	return keep_block(m, s) == 0 ? s : NULL;
}

/* ---- reading the tree --------------------------------------------------------------- */

static int is_el(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
		strcmp((const char *)n->ns->href, KEL_NS) == 0 &&
		strcmp((const char *)n->name, name) == 0;
}

static const char *child_text(xmlNodePtr parent, const char *name)
{
	const char *t = parent ? kel__xml_text(kel__xml_child(parent, name)) : NULL;
	return t && t[0] ? t : NULL;
}

static const char *attr(struct kel_rmodel *m, xmlNodePtr n, const char *name)
{
	xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
	const char *s;

	if (v == NULL)
		return NULL;
	s = model_printf(m, "%s", (const char *)v);
	xmlFree(v);
	return s;
}

/* ---- sections and rows -------------------------------------------------------------- */

static struct kel_rrow *add_row(struct kel_rmodel *m, int section, const char *label, int list)
{
	struct kel_rsection *s = &m->sections[section];
	struct kel_rrow *r;

	if (label == NULL)
		return NULL;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct kel_rrow *rows = model_alloc(m, cap * sizeof(*rows));
		if (rows == NULL)
			return NULL;
		if (s->n)
			memcpy(rows, s->rows, s->n * sizeof(*rows));
		s->rows = rows;   /* the old array stays owned by the model until the end */
		s->cap = cap;
	}
	r = &s->rows[s->n++];
	memset(r, 0, sizeof(*r));
	r->label = label;
	r->list = list;
	return r;
}

/* Append a value (NULL or "" is skipped); values grow by doubling in model memory. */
static int add_value(struct kel_rmodel *m, struct kel_rrow *r, const char *v)
{
	if (r == NULL)
		return KEL_ENOMEM;
	if (v == NULL || v[0] == '\0')
		return 0;
	if ((r->n & (r->n - 1)) == 0) {   /* 0, 1, 2, 4, 8...: full */
		size_t cap = r->n ? 2 * r->n : 1;
		const char **n = model_alloc(m, cap * sizeof(*n));
		if (n == NULL)
			return KEL_ENOMEM;
		if (r->n)
			memcpy(n, r->values, r->n * sizeof(*n));
		r->values = n;
	}
	r->values[r->n++] = v;
	return 0;
}

/* Drop a row that ended up with no value. */
static void drop_empty_row(struct kel_rmodel *m, int section)
{
	struct kel_rsection *s = &m->sections[section];
	if (s->n > 0 && s->rows[s->n - 1].n == 0)
		s->n--;
}

static const char *yes_no(struct kel_rmodel *m, const char *v)
{
	if (v == NULL)
		return NULL;
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
		return m->label[KEL_L_YES];
	return m->label[KEL_L_NO];
}

static const char *with_label(struct kel_rmodel *m, enum kel_rlabel key, const char *v)
{
	return v ? model_printf(m, "%s: %s", m->label[key], v) : NULL;
}

static int party_rows(struct kel_rmodel *m, xmlNodePtr content)
{
	xmlNodePtr n;
	struct kel_rrow *r;
	int rc = 0;

	n = kel__xml_child(content, "Operator");
	r = add_row(m, KEL_RSEC_PARTIES, m->label[KEL_L_OPERATOR], 0);
	rc |= add_value(m, r, child_text(n, "Name"));
	rc |= add_value(m, r, with_label(m, KEL_L_BIN, child_text(n, "BIN")));
	rc |= add_value(m, r, child_text(n, "Address"));
	rc |= add_value(m, r, child_text(n, "Contact"));
	drop_empty_row(m, KEL_RSEC_PARTIES);
	if ((n = kel__xml_child(content, "Processor")) != NULL) {
		r = add_row(m, KEL_RSEC_PARTIES, m->label[KEL_L_PROCESSOR], 0);
		rc |= add_value(m, r, child_text(n, "Name"));
		rc |= add_value(m, r, with_label(m, KEL_L_BIN, child_text(n, "BIN")));
		rc |= add_value(m, r, child_text(n, "Address"));
	}
	n = kel__xml_child(content, "Subject");
	r = add_row(m, KEL_RSEC_PARTIES, m->label[KEL_L_SUBJECT], 0);
	rc |= add_value(m, r, child_text(n, "FullName"));
	rc |= add_value(m, r, with_label(m, KEL_L_IIN, child_text(n, "IIN")));
	rc |= add_value(m, r, child_text(n, "Phone"));
	rc |= add_value(m, r, child_text(n, "Email"));
	drop_empty_row(m, KEL_RSEC_PARTIES);
	if (n != NULL && (n = kel__xml_child(n, "Representative")) != NULL) {
		r = add_row(m, KEL_RSEC_PARTIES, m->label[KEL_L_REPRESENTATIVE], 0);
		rc |= add_value(m, r, child_text(n, "FullName"));
		rc |= add_value(m, r, with_label(m, KEL_L_IIN, child_text(n, "IIN")));
		rc |= add_value(m, r, with_label(m, KEL_L_BASIS, child_text(n, "Basis")));
	}
	return rc ? KEL_ENOMEM : 0;
}

/* A list row from the children of parent named name. */
static int list_row(struct kel_rmodel *m, int section, enum kel_rlabel key, xmlNodePtr parent,
	const char *name)
{
	struct kel_rrow *r;
	int rc = 0;

	if (parent == NULL)
		return 0;
	r = add_row(m, section, m->label[key], 1);
	if (r == NULL)
		return KEL_ENOMEM;
	for (xmlNodePtr c = kel__xml_first_element(parent); c && rc == 0;
	     c = kel__xml_next_element(c))
		if (is_el(c, name))
			rc = add_value(m, r, kel__xml_text(c));
	drop_empty_row(m, section);
	return rc;
}

static const char *action_label(struct kel_rmodel *m, const char *code)
{
	static const struct { const char *code; enum kel_rlabel key; } actions[] = {
		{ "collect", KEL_L_ACT_COLLECT }, { "store", KEL_L_ACT_STORE },
		{ "provide", KEL_L_ACT_PROVIDE }, { "delete", KEL_L_ACT_DELETE },
	};
	for (size_t i = 0; code && i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(code, actions[i].code) == 0)
			return m->label[actions[i].key];
	return code;
}

static int term_rows(struct kel_rmodel *m, xmlNodePtr terms)
{
	const int S = KEL_RSEC_TERMS;
	struct kel_rrow *r;
	xmlNodePtr n;
	int rc = 0;

	if (terms == NULL)
		return 0;
	rc |= list_row(m, S, KEL_L_PURPOSES, kel__xml_child(terms, "Purposes"), "Purpose");
	rc |= list_row(m, S, KEL_L_DATA, kel__xml_child(terms, "DataCategories"), "Data");
	if ((n = kel__xml_child(terms, "Actions")) != NULL) {
		r = add_row(m, S, m->label[KEL_L_ACTIONS], 1);
		for (xmlNodePtr c = kel__xml_first_element(n); c && rc == 0;
		     c = kel__xml_next_element(c))
			rc |= add_value(m, r, action_label(m, kel__xml_text(c)));
	}
	if ((n = kel__xml_child(terms, "Storage")) != NULL) {
		const char *country = attr(m, n, "Country"), *loc = child_text(n, "Location");
		r = add_row(m, S, m->label[KEL_L_STORAGE], 0);
		rc |= add_value(m, r, loc && country ? model_printf(m, "%s (%s)", loc, country) :
			loc ? loc : country);
	}
	if ((n = kel__xml_child(terms, "ThirdParties")) != NULL) {
		r = add_row(m, S, m->label[KEL_L_THIRD_PARTIES], 0);
		rc |= add_value(m, r, yes_no(m, kel__xml_text(n)));
	}
	if ((n = kel__xml_child(terms, "CrossBorder")) != NULL) {
		r = add_row(m, S, m->label[KEL_L_CROSS_BORDER], 1);
		rc |= add_value(m, r, yes_no(m, attr(m, n, "Allowed")));
		for (xmlNodePtr c = kel__xml_first_element(n); c && rc == 0;
		     c = kel__xml_next_element(c))
			if (is_el(c, "Recipient"))
				rc |= add_value(m, r, model_printf(m, "%s (%s)",
					child_text(c, "Name") ? child_text(c, "Name") : "?",
					attr(m, c, "Country") ? attr(m, c, "Country") : "?"));
		if (r && r->n == 1)
			r->list = 0;
	}
	if ((n = kel__xml_child(terms, "PublicSources")) != NULL) {
		r = add_row(m, S, m->label[KEL_L_PUBLIC_SOURCES], 0);
		rc |= add_value(m, r, yes_no(m, kel__xml_text(n)));
	}
	if ((n = kel__xml_child(terms, "Period")) != NULL) {
		const char *from = child_text(n, "From"), *until = child_text(n, "Until");
		if (until == NULL && kel__xml_child(n, "UntilPurposeAchieved") != NULL)
			until = m->label[KEL_L_UNTIL_PURPOSE];
		r = add_row(m, S, m->label[KEL_L_PERIOD], 0);
		rc |= add_value(m, r, model_printf(m, "%s — %s", from ? from : "…",
			until ? until : "…"));
	}
	if ((n = kel__xml_child(terms, "WithdrawalMethod")) != NULL) {
		r = add_row(m, S, m->label[KEL_L_WITHDRAWAL_METHOD], 0);
		rc |= add_value(m, r, kel__xml_text(n));
	}
	if ((n = kel__xml_child(terms, "Jurisdiction")) != NULL) {
		r = add_row(m, S, m->label[KEL_L_JURISDICTION], 0);
		rc |= add_value(m, r, kel__xml_text(n));
	}
	return rc ? KEL_ENOMEM : 0;
}

static int capture_rows(struct kel_rmodel *m, xmlNodePtr cap)
{
	const int S = KEL_RSEC_CAPTURE;
	struct kel_rrow *r;
	xmlNodePtr ev;
	int rc = 0;

	if (cap == NULL)
		return 0;
	r = add_row(m, S, m->label[KEL_L_METHOD], 0);
	rc |= add_value(m, r, child_text(cap, "Method"));
	drop_empty_row(m, S);
	if (child_text(cap, "Channel")) {
		r = add_row(m, S, m->label[KEL_L_CHANNEL], 0);
		rc |= add_value(m, r, child_text(cap, "Channel"));
	}
	if (child_text(cap, "Clerk")) {
		r = add_row(m, S, m->label[KEL_L_CLERK], 0);
		rc |= add_value(m, r, child_text(cap, "Clerk"));
	}
	if ((ev = kel__xml_child(cap, "Evidence")) != NULL) {
		r = add_row(m, S, m->label[KEL_L_EVIDENCE], 1);
		for (xmlNodePtr c = kel__xml_first_element(ev); c && rc == 0;
		     c = kel__xml_next_element(c))
			if (is_el(c, "Item")) {
				const char *t = kel__xml_text(c);
				rc |= add_value(m, r, model_printf(m, "%s: %s",
					attr(m, c, "Name") ? attr(m, c, "Name") : "?", t ? t : ""));
			}
		drop_empty_row(m, S);
	}
	return rc ? KEL_ENOMEM : 0;
}

/* The type's label; a type added later than these labels is named by its code. */
static const char *type_label(struct kel_rmodel *m)
{
	kel_doc_type t = kel_doc_get_type(m->doc);
	const char *name;

	if (t == KEL_DOC_CONSENT)
		return m->label[KEL_L_TYPE_CONSENT];
	if (t == KEL_DOC_TRANSFER_NOTICE)
		return m->label[KEL_L_TYPE_TRANSFER_NOTICE];
	if (t == KEL_DOC_CROSS_BORDER_CONSENT)
		return m->label[KEL_L_TYPE_CROSS_BORDER];
	if (t == KEL_DOC_WITHDRAWAL)
		return m->label[KEL_L_TYPE_WITHDRAWAL];
	name = kel_doc_type_name(t);
	if (name && strcmp(name, "evidence-statement") == 0)
		return m->label[KEL_L_TYPE_EVIDENCE_STATEMENT];
	return name ? name : "?";
}

static int document_rows(struct kel_rmodel *m, xmlNodePtr header)
{
	const int S = KEL_RSEC_DOCUMENT;
	struct kel_rrow *r;
	const char *id = kel_doc_id(m->doc);
	int rc = 0;

	r = add_row(m, S, m->label[KEL_L_DOC_ID], 0);
	rc |= add_value(m, r, id);
	r = add_row(m, S, m->label[KEL_L_TYPE], 0);
	rc |= add_value(m, r, model_printf(m, "%s (%s)", type_label(m),
		kel_doc_type_name(kel_doc_get_type(m->doc))));
	r = add_row(m, S, m->label[KEL_L_ISSUED], 0);
	rc |= add_value(m, r, m->issued_display);
	if (kel_doc_refers_to(m->doc)) {
		r = add_row(m, S, m->label[KEL_L_REFERS_TO], 0);
		rc |= add_value(m, r, kel_doc_refers_to(m->doc));
	}
	r = add_row(m, S, m->label[KEL_L_TEMPLATES], 0);
	for (xmlNodePtr c = kel__xml_first_element(header); c && rc == 0;
	     c = kel__xml_next_element(c))
		if (is_el(c, "Template")) {
			const char *name = attr(m, c, "Name"), *version = attr(m, c, "Version");
			const char *sha = attr(m, c, "SHA256");
			rc |= add_value(m, r, model_printf(m, "%s v%s, SHA-256 %.16s…",
				name ? name : "?", version ? version : "?", sha ? sha : "?"));
		}
	drop_empty_row(m, S);
	return rc ? KEL_ENOMEM : 0;
}

/* ---- the wording -------------------------------------------------------------------- */

static int read_text(struct kel_rmodel *m, xmlNodePtr text, struct kel_rtext *out)
{
	size_t count = 0;
	xmlChar *lang;

	lang = xmlNodeGetLang(text);
	out->lang = lang ? model_printf(m, "%s", (const char *)lang) : "";
	xmlFree(lang);
	if (out->lang == NULL)
		return KEL_ENOMEM;
	for (xmlNodePtr c = kel__xml_first_element(text); c; c = kel__xml_next_element(c))
		count++;
	out->blocks = model_alloc(m, count * sizeof(*out->blocks));
	if (out->blocks == NULL)
		return KEL_ENOMEM;
	for (xmlNodePtr c = kel__xml_first_element(text); c; c = kel__xml_next_element(c)) {
		struct kel_rblock *b = &out->blocks[out->n];
		const char *t = kel__xml_text(c);
		if (t == NULL || t[0] == '\0')
			continue;
		if (is_el(c, "Title"))
			b->kind = KEL_RB_TITLE;
		else if (is_el(c, "Heading"))
			b->kind = KEL_RB_HEADING;
		else if (is_el(c, "Item"))
			b->kind = KEL_RB_ITEM;
		else
			b->kind = KEL_RB_PARA;
		b->text = t;
		out->n++;
	}
	return 0;
}

static int make_title(struct kel_rmodel *m)
{
	kel_buf b = KEL_BUF_INIT;
	int rc = 0;
	char *s;

	for (int i = 0; i < m->ntexts && rc == 0; i++) {
		const struct kel_rtext *t = &m->texts[i];
		if (t->n == 0 || t->blocks[0].kind != KEL_RB_TITLE)
			continue;
		if (b.size > 0)
			rc = kel_buf_puts(&b, " / ");
		if (rc == 0)
			rc = kel_buf_puts(&b, t->blocks[0].text);
	}
	if (rc != 0) {
		kel_buf_dispose(&b);
		return KEL_ENOMEM;
	}
	if (b.size == 0) {
		kel_buf_dispose(&b);
		m->title = type_label(m);
		return 0;
	}
	s = kel_buf_detach(&b);
	if (keep_block(m, s) != 0)
		return KEL_ENOMEM;
	m->title = s;
	return 0;
}

/* ---- QR and signatures -------------------------------------------------------------- */

/* Check the code as a verifier holding this document would: the payload read strictly, the
 * document it names, its seal with the certificate of that key id among the signatures'. */
static void check_qr(struct kel_rmodel *m)
{
	kel_qr_payload p;
	kel_buf der = KEL_BUF_INIT;
	const kel_error *e;
	const kel_doc *doc = m->doc;
	int rc;

	if ((rc = kel_qr_doc_payload(&p, doc)) < 0) {
		m->qr_result = KEL_INDICATION_INDETERMINATE;
	} else if ((rc = kel_qr_payload_check_doc(&p, doc)) < 0) {
		m->qr_result = rc == KEL_EINVALID ? KEL_INDICATION_FAILED :
			KEL_INDICATION_INDETERMINATE;
	} else if ((rc = kel_qr_doc_find_cert(&der, &p, doc)) < 0) {
		m->qr_result = KEL_INDICATION_INDETERMINATE;
	} else if ((rc = kel_qr_payload_verify(&p, der.ptr, der.size)) < 0) {
		m->qr_result = rc == KEL_EINVALID ? KEL_INDICATION_FAILED :
			KEL_INDICATION_INDETERMINATE;
	} else {
		m->qr_result = KEL_INDICATION_PASSED;
	}
	kel_buf_dispose(&der);
	if (rc < 0 && (e = kel_error_last()) != NULL)
		m->qr_why = model_printf(m, "%s", e->message);
}

static int read_qr(struct kel_rmodel *m, xmlNodePtr verification)
{
	const char *payload = child_text(verification, "Payload");

	if (payload == NULL)
		return 0;
	m->payload = payload;
	m->payload_len = strlen(payload);
	check_qr(m);
	/* A payload that cannot be drawn (not printable ASCII, too long) leaves no code: the
	 * page says so, and verification tells the rest. */
	if (kel__qr_encode(&m->qr, payload, m->payload_len) < 0)
		memset(&m->qr, 0, sizeof(m->qr));
	return 0;
}

static const char *result_label(struct kel_rmodel *m, kel_indication ind)
{
	switch (ind) {
	case KEL_INDICATION_PASSED: return m->label[KEL_L_RES_PASSED];
	case KEL_INDICATION_FAILED: return m->label[KEL_L_RES_FAILED];
	case KEL_INDICATION_INDETERMINATE: break;
	}
	return m->label[KEL_L_RES_INDETERMINATE];
}

/*
 * The document's XML, for kel_verify (which reads bytes, as a verifier holding the file
 * would). kel_doc_write and the Content digest of the QR check only read the caller's
 * document, which other threads may be reading or rendering at the same time (doc.h).
 */
static int write_xml(struct kel_rmodel *m)
{
	return kel_doc_write(&m->xml, m->doc);
}

static int read_signatures(struct kel_rmodel *m, const kel_verify_options *verify)
{
	int rc;

	rc = kel_verify(&m->report, m->xml.ptr, m->xml.size, verify);
	if (rc < 0)
		return rc;
	m->trusted = verify && (verify->trust_file || verify->trust_dir);
	m->doc_problem = kel_report_document_problem(m->report);
	m->nsigs = kel_report_count(m->report);
	m->sigs = model_alloc(m, m->nsigs * sizeof(*m->sigs));
	if (m->sigs == NULL)
		return KEL_ENOMEM;
	for (size_t i = 0; i < m->nsigs; i++) {
		const kel_sig_result *s = kel_report_signature(m->report, i);
		struct kel_rsig *r = &m->sigs[i];
		r->id = kel_sig_id(s);
		r->level = kel_sig_level(s);
		r->subject = kel_sig_signer_subject(s);
		r->serial = kel_sig_signer_serial(s);
		r->signing_time = kel_sig_signing_time(s);
		r->role = kel_sig_role(s);
		r->indication = kel_sig_indication(s);
		r->indication_name = kel_indication_name(r->indication);
		r->subindication = kel_sig_subindication(s);
		r->message = kel_sig_message(s);
		r->result = result_label(m, r->indication);
	}
	return 0;
}

/* ---- the model ---------------------------------------------------------------------- */

int kel__rmodel_build(struct kel_rmodel *m, const kel_doc *doc, const kel_verify_options *verify)
{
	xmlNodePtr root, content, header;
	const char *langs, *issued;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	m->doc = doc;
	langs = kel_doc_languages(doc);
	for (const char *p = langs; p && *p; ) {
		size_t len = strcspn(p, " ");
		int idx = lang_index(p, len);
		if (idx >= 0 && m->nlangs < KEL_RENDER_MAX_LANGS) {
			m->lang[m->nlangs] = idx;
			m->lang_code[m->nlangs] = idx == 0 ? "kk" : idx == 1 ? "ru" : "en";
			m->nlangs++;
		}
		p += len;
		p += strspn(p, " ");
	}
	if (m->nlangs == 0) {   /* cannot happen for a checked document; English then */
		m->lang[0] = 2;
		m->lang_code[0] = "en";
		m->nlangs = 1;
	}
	for (int k = 0; k < KEL_L_COUNT; k++)
		if ((m->label[k] = join_label(m, (enum kel_rlabel)k)) == NULL)
			return KEL_ENOMEM;

	issued = kel_doc_issued_at(doc);
	m->issued_display = model_printf(m, "%.10s %.8s UTC", issued, issued + 11);
	if (m->issued_display == NULL)
		return KEL_ENOMEM;

	root = xmlDocGetRootElement(doc->xml);
	content = kel__xml_child(root, "Content");
	header = kel__xml_child(content, "Header");
	if (content == NULL || header == NULL)
		return kel_fail(KEL_EINVAL, "render: the document has no Content or Header");
	for (xmlNodePtr c = kel__xml_first_element(content); c && rc == 0;
	     c = kel__xml_next_element(c))
		if (is_el(c, "Text") && m->ntexts < KEL_RENDER_MAX_LANGS)
			rc = read_text(m, c, &m->texts[m->ntexts++]);
	if (rc == 0)
		rc = make_title(m);
	for (int s = 0; s < KEL_RSEC_COUNT; s++)
		m->sections[s].title = m->label[s == KEL_RSEC_DOCUMENT ? KEL_L_DOCUMENT :
			s == KEL_RSEC_PARTIES ? KEL_L_PARTIES : s == KEL_RSEC_TERMS ? KEL_L_TERMS :
			KEL_L_CAPTURE];
	if (rc == 0)
		rc = document_rows(m, header);
	if (rc == 0)
		rc = party_rows(m, content);
	if (rc == 0)
		rc = term_rows(m, kel__xml_child(content, "Terms"));
	if (rc == 0)
		rc = capture_rows(m, kel__xml_child(content, "Capture"));
	if (rc == 0)
		rc = write_xml(m);
	if (rc == 0)
		rc = read_qr(m, kel__xml_child(root, "Verification"));
	if (rc == 0)
		rc = read_signatures(m, verify);
	if (rc == 0 && m->oom)
		rc = KEL_ENOMEM;
	return rc;
}

void kel__rmodel_free(struct kel_rmodel *m)
{
	if (m == NULL)
		return;
	kel__qr_matrix_free(&m->qr);
	kel_report_free(m->report);
	kel_buf_dispose(&m->xml);
	for (size_t i = 0; i < m->nblocks; i++)
		free(m->blocks[i]);
	free(m->blocks);
	memset(m, 0, sizeof(*m));
}

const char *kel__rmodel_qr_words(const struct kel_rmodel *m)
{
	switch (m->qr_result) {
	case KEL_INDICATION_PASSED: return m->label[KEL_L_QR_OK];
	case KEL_INDICATION_FAILED: return m->label[KEL_L_QR_BAD];
	case KEL_INDICATION_INDETERMINATE: break;
	}
	return m->label[KEL_L_QR_UNSURE];
}

int kel__rmodel_side_by_side(const struct kel_rmodel *m, const kel_render_options *opts,
	int *left, int *right)
{
	int kk = -1, ru = -1;

	if (opts && opts->sequential)
		return 0;
	for (int i = 0; i < m->ntexts; i++) {
		if (strcmp(m->texts[i].lang, "kk") == 0 && kk < 0)
			kk = i;
		else if (strcmp(m->texts[i].lang, "ru") == 0 && ru < 0)
			ru = i;
	}
	if (kk < 0 || ru < 0)
		return 0;
	*left = kk < ru ? kk : ru;
	*right = kk < ru ? ru : kk;
	return 1;
}
