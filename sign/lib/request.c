/*
 * Reading the JSON request.
 *
 * Every problem is collected, not only the first, so that an integration sees all that is
 * wrong with its request at once. Each is reported with the path of the field, the way a
 * developer would write it: "subject.iin: control digit mismatch", "purposes[2]: must not be
 * empty". Keys are walked in the schema's order and emitted as XML at the same time.
 */
#include <string.h>
#include <stdio.h>
#include <jansson.h>

#include "request.h"
#include "doc_fields.h"
#include "text.h"
#include "xml_safe.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "kelisim/kzid.h"
#include "kelisim/uuid.h"

struct ctx {
	kel_buf problems;
	int count;
	int oom;
	xmlNsPtr ns;
	kel_doc_type type;
	const char *today;
	xmlNodePtr body;
};

#define MAX_PROBLEMS 50

static void problem(struct ctx *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct ctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (++c->count > MAX_PROBLEMS)
		return;
	if (c->problems.size > 0)
		kel_buf_puts(&c->problems, "\n");
	kel_buf_printf(&c->problems, "%s: ", path);
	va_start(ap, fmt);
	kel_buf_vprintf(&c->problems, fmt, ap);
	va_end(ap);
}

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* path + "." + key, for messages. */
static void join(char *out, size_t size, const char *path, const char *key)
{
	if (path[0])
		snprintf(out, size, "%s.%s", path, key);
	else
		snprintf(out, size, "%s", key);
}

static void check_keys(struct ctx *c, json_t *obj, const char *path,
	const char *const *allowed)
{
	const char *key;
	json_t *value;
	char p[256];

	json_object_foreach(obj, key, value) {
		int known = 0;
		for (const char *const *a = allowed; *a; a++)
			if (strcmp(key, *a) == 0)
				known = 1;
		if (!known) {
			join(p, sizeof(p), path, key);
			problem(c, p, "unknown key");
		}
	}
}

static xmlNodePtr add(struct ctx *c, xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr n = xmlNewTextChild(parent, c->ns, BAD_CAST name, BAD_CAST text);
	if (n == NULL)
		c->oom = 1;
	return n;
}

/*
 * The string at obj[key]; NULL (after reporting) when missing, of the wrong kind or not
 * acceptable text. A missing optional string is NULL without a report.
 */
static const char *get_text(struct ctx *c, json_t *obj, const char *path, const char *key,
	int required, size_t max)
{
	json_t *v = json_object_get(obj, key);
	const char *s, *why;
	char p[256];

	join(p, sizeof(p), path, key);
	if (v == NULL) {
		if (required)
			problem(c, p, "missing");
		return NULL;
	}
	if (!json_is_string(v)) {
		problem(c, p, "must be a string, not %s", json_kind(v));
		return NULL;
	}
	s = json_string_value(v);   /* jansson refuses \u0000, so s holds the whole value */
	if ((why = kel__text_problem(s, max)) != NULL) {
		problem(c, p, "%s", why);
		return NULL;
	}
	return s;
}

static void add_text(struct ctx *c, xmlNodePtr parent, const char *name, json_t *obj,
	const char *path, const char *key, int required)
{
	const char *s = get_text(c, obj, path, key, required, KEL_TEXT_MAX);
	if (s)
		add(c, parent, name, s);
}

static json_t *get_object(struct ctx *c, json_t *obj, const char *key, const char *path)
{
	json_t *v = json_object_get(obj, key);

	if (v && !json_is_object(v)) {
		problem(c, path, "must be an object, not %s", json_kind(v));
		return NULL;
	}
	return v;
}

static json_t *get_array(struct ctx *c, json_t *obj, const char *key, const char *path)
{
	json_t *v = json_object_get(obj, key);

	if (v && !json_is_array(v)) {
		problem(c, path, "must be an array, not %s", json_kind(v));
		return NULL;
	}
	return v;
}

/* The value of a boolean key as "true"/"false", or NULL after reporting. */
static const char *get_bool(struct ctx *c, json_t *obj, const char *key, const char *path)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return NULL;
	if (!json_is_boolean(v)) {
		problem(c, path, "must be true or false, not %s", json_kind(v));
		return NULL;
	}
	return json_is_true(v) ? "true" : "false";
}

static void check_kzid(struct ctx *c, const char *path, const char *value, int is_bin)
{
	const char *why = NULL;

	if (value && (is_bin ? kel_kzid_check_bin(value, &why) : kel_kzid_check_iin(value, &why)) < 0)
		problem(c, path, "%s", why);
}

static void read_party(struct ctx *c, xmlNodePtr parent, json_t *root, const char *key,
	const char *element, int with_contact)
{
	static const char *const operator_keys[] = { "name", "bin", "address", "contact", NULL };
	static const char *const processor_keys[] = { "name", "bin", "address", NULL };
	json_t *obj = get_object(c, root, key, key);
	xmlNodePtr n;
	const char *bin;
	char p[64];

	if (obj == NULL)
		return;
	check_keys(c, obj, key, with_contact ? operator_keys : processor_keys);
	n = add(c, parent, element, NULL);
	add_text(c, n, "Name", obj, key, "name", 1);
	bin = get_text(c, obj, key, "bin", 1, 12);
	snprintf(p, sizeof(p), "%s.bin", key);
	check_kzid(c, p, bin, 1);
	if (bin)
		add(c, n, "BIN", bin);
	add_text(c, n, "Address", obj, key, "address", 1);
	if (with_contact)
		add_text(c, n, "Contact", obj, key, "contact", 1);
}

static void read_subject(struct ctx *c, xmlNodePtr parent, json_t *root)
{
	static const char *const keys[] = { "name", "iin", "phone", "email", "representative", NULL };
	static const char *const rep_keys[] = { "name", "iin", "basis", NULL };
	json_t *obj = get_object(c, root, "subject", "subject"), *rep;
	xmlNodePtr n, r;
	const char *s;

	if (obj == NULL)
		return;
	check_keys(c, obj, "subject", keys);
	n = add(c, parent, "Subject", NULL);
	add_text(c, n, "FullName", obj, "subject", "name", 1);
	s = get_text(c, obj, "subject", "iin", 1, 12);
	check_kzid(c, "subject.iin", s, 0);
	if (s)
		add(c, n, "IIN", s);
	if ((s = get_text(c, obj, "subject", "phone", 0, 32)) != NULL) {
		if (!kel__phone_is_valid(s))
			problem(c, "subject.phone", "not a telephone number (7-15 digits, optional +)");
		add(c, n, "Phone", s);
	}
	if ((s = get_text(c, obj, "subject", "email", 0, 254)) != NULL) {
		if (!kel__email_is_valid(s))
			problem(c, "subject.email", "not an e-mail address");
		add(c, n, "Email", s);
	}
	rep = get_object(c, obj, "representative", "subject.representative");
	if (rep) {
		check_keys(c, rep, "subject.representative", rep_keys);
		r = add(c, n, "Representative", NULL);
		add_text(c, r, "FullName", rep, "subject.representative", "name", 1);
		s = get_text(c, rep, "subject.representative", "iin", 1, 12);
		check_kzid(c, "subject.representative.iin", s, 0);
		if (s)
			add(c, r, "IIN", s);
		add_text(c, r, "Basis", rep, "subject.representative", "basis", 1);
	}
}

/* A non-empty array of distinct text values, each emitted as <item>. */
static void read_text_list(struct ctx *c, xmlNodePtr terms, json_t *root, const char *key,
	const char *list_name, const char *item_name, size_t max_items)
{
	json_t *arr = get_array(c, root, key, key), *v;
	xmlNodePtr list;
	size_t i;
	char p[64];

	if (arr == NULL)
		return;
	if (json_array_size(arr) == 0) {
		problem(c, key, "must list at least one entry");
		return;
	}
	if (json_array_size(arr) > max_items) {
		problem(c, key, "more than %zu entries", max_items);
		return;
	}
	list = add(c, terms, list_name, NULL);
	json_array_foreach(arr, i, v) {
		const char *why;
		snprintf(p, sizeof(p), "%s[%zu]", key, i);
		if (!json_is_string(v)) {
			problem(c, p, "must be a string, not %s", json_kind(v));
			continue;
		}
		if ((why = kel__text_problem(json_string_value(v), KEL_TEXT_MAX)) != NULL) {
			problem(c, p, "%s", why);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (json_equal(v, json_array_get(arr, j)))
				problem(c, p, "repeats %s[%zu]", key, j);
		add(c, list, item_name, json_string_value(v));
	}
}

static void read_actions(struct ctx *c, xmlNodePtr terms, json_t *root)
{
	static const char *const known[] = { "collect", "store", "provide", "delete" };
	json_t *arr = get_array(c, root, "actions", "actions"), *v;
	unsigned seen = 0;
	xmlNodePtr list;
	size_t i;
	char p[32];

	if (arr == NULL)
		return;
	if (json_array_size(arr) == 0) {
		problem(c, "actions", "must list at least one of collect, store, provide, delete");
		return;
	}
	json_array_foreach(arr, i, v) {
		int k;
		snprintf(p, sizeof(p), "actions[%zu]", i);
		if (!json_is_string(v)) {
			problem(c, p, "must be a string, not %s", json_kind(v));
			continue;
		}
		for (k = 0; k < 4; k++)
			if (strcmp(json_string_value(v), known[k]) == 0)
				break;
		if (k == 4)
			problem(c, p, "unknown action '%.40s' (expected collect, store, provide or delete)",
				json_string_value(v));
		else if (seen & (1u << k))
			problem(c, p, "repeats '%s'", known[k]);
		else
			seen |= 1u << k;
	}
	/* Emitted in the canonical order of DPA clause 1.2.2, whatever the request's order. */
	list = add(c, terms, "Actions", NULL);
	for (int k = 0; k < 4; k++)
		if (seen & (1u << k))
			add(c, list, "Action", known[k]);
}

static void check_country(struct ctx *c, const char *path, const char *code)
{
	if (code && !kel__country_is_known(code))
		problem(c, path, "'%.8s' is not an ISO 3166-1 alpha-2 country code", code);
}

static void read_storage(struct ctx *c, xmlNodePtr terms, json_t *root)
{
	static const char *const keys[] = { "country", "location", NULL };
	json_t *obj = get_object(c, root, "storage", "storage");
	const char *country;
	xmlNodePtr n;

	if (obj == NULL)
		return;
	check_keys(c, obj, "storage", keys);
	country = get_text(c, obj, "storage", "country", 1, 2);
	check_country(c, "storage.country", country);
	n = add(c, terms, "Storage", NULL);
	if (country)
		xmlNewProp(n, BAD_CAST "Country", BAD_CAST country);
	add_text(c, n, "Location", obj, "storage", "location", 1);
}

static void add_bool(struct ctx *c, xmlNodePtr terms, json_t *root, const char *key,
	const char *element)
{
	const char *b = get_bool(c, root, key, key);
	if (b)
		add(c, terms, element, b);
}

static void read_cross_border(struct ctx *c, xmlNodePtr terms, json_t *root)
{
	static const char *const keys[] = { "allowed", "recipients", NULL };
	static const char *const recipient_keys[] = { "name", "country", NULL };
	json_t *obj = get_object(c, root, "cross_border", "cross_border"), *arr, *v;
	const char *allowed;
	xmlNodePtr n, r;
	size_t i;
	int recipients_mistyped;
	char p[64];

	if (obj == NULL)
		return;
	check_keys(c, obj, "cross_border", keys);
	allowed = get_bool(c, obj, "allowed", "cross_border.allowed");
	if (json_object_get(obj, "allowed") == NULL)
		problem(c, "cross_border.allowed", "missing");
	n = add(c, terms, "CrossBorder", NULL);
	if (allowed)
		xmlNewProp(n, BAD_CAST "Allowed", BAD_CAST allowed);
	arr = get_array(c, obj, "recipients", "cross_border.recipients");
	if (c->type == KEL_DOC_CROSS_BORDER_CONSENT && allowed && strcmp(allowed, "true") != 0)
		problem(c, "cross_border.allowed", "must be true in a cross-border-consent");
	/* Recipients of the wrong JSON type were reported above; do not report them twice. */
	recipients_mistyped = json_object_get(obj, "recipients") != NULL && arr == NULL;
	if (allowed && strcmp(allowed, "true") == 0 && json_array_size(arr) == 0 &&
	    !recipients_mistyped)
		problem(c, "cross_border.recipients",
			"must name at least one recipient when cross-border transfer is allowed");
	if (allowed && strcmp(allowed, "false") == 0 && json_array_size(arr) > 0)
		problem(c, "cross_border.recipients",
			"must be empty when cross-border transfer is not allowed");
	if (json_array_size(arr) > 64)
		problem(c, "cross_border.recipients", "more than 64 entries");
	if (arr == NULL || json_array_size(arr) > 64)
		return;
	json_array_foreach(arr, i, v) {
		const char *name, *country;
		snprintf(p, sizeof(p), "cross_border.recipients[%zu]", i);
		if (!json_is_object(v)) {
			problem(c, p, "must be an object, not %s", json_kind(v));
			continue;
		}
		check_keys(c, v, p, recipient_keys);
		name = get_text(c, v, p, "name", 1, KEL_TEXT_MAX);
		country = get_text(c, v, p, "country", 1, 2);
		snprintf(p, sizeof(p), "cross_border.recipients[%zu].country", i);
		check_country(c, p, country);
		r = add(c, n, "Recipient", NULL);
		if (country)
			xmlNewProp(r, BAD_CAST "Country", BAD_CAST country);
		if (name)
			add(c, r, "Name", name);
	}
}

static void read_period(struct ctx *c, xmlNodePtr terms, json_t *root)
{
	static const char *const keys[] = { "from", "until", "until_purpose_achieved", NULL };
	json_t *obj = get_object(c, root, "period", "period"), *upa;
	const char *from, *until;
	xmlNodePtr n;

	if (obj == NULL)
		return;
	check_keys(c, obj, "period", keys);
	from = get_text(c, obj, "period", "from", 0, 10);
	until = get_text(c, obj, "period", "until", 0, 10);
	upa = json_object_get(obj, "until_purpose_achieved");
	if (from && !kel__date_is_valid(from)) {
		problem(c, "period.from", "'%s' is not a date (YYYY-MM-DD)", from);
		from = NULL;
	}
	if (until && !kel__date_is_valid(until)) {
		problem(c, "period.until", "'%s' is not a date (YYYY-MM-DD)", until);
		until = NULL;
	}
	if (upa && !json_is_true(upa))
		problem(c, "period.until_purpose_achieved", "must be true when given");
	if (until == NULL && upa == NULL && json_object_get(obj, "until") == NULL)
		problem(c, "period", "must give 'until' or 'until_purpose_achieved': true");
	if (until && upa)
		problem(c, "period", "give either 'until' or 'until_purpose_achieved', not both");
	if (from && until && strcmp(until, from) < 0)
		problem(c, "period.until", "%s is before period.from %s", until, from);
	if (until && strcmp(until, c->today) < 0)
		problem(c, "period.until", "%s is already past", until);

	n = add(c, terms, "Period", NULL);
	/* A consent runs from the day it is given unless the request says otherwise. */
	add(c, n, "From", from ? from : c->today);
	if (until)
		add(c, n, "Until", until);
	else if (upa && json_is_true(upa))
		add(c, n, "UntilPurposeAchieved", NULL);
}

static void read_capture(struct ctx *c, xmlNodePtr parent, json_t *root)
{
	static const char *const keys[] = { "method", "channel", "clerk", "evidence", NULL };
	static const char *const methods[] = { "eds", "sms-otp", "in-person", "web", NULL };
	json_t *obj = get_object(c, root, "capture", "capture"), *ev, *v;
	const char *method, *key;
	xmlNodePtr n, e;
	int known = 0;
	char p[128];

	if (obj == NULL)
		return;
	check_keys(c, obj, "capture", keys);
	n = add(c, parent, "Capture", NULL);
	method = get_text(c, obj, "capture", "method", 1, 16);
	if (method) {
		for (const char *const *m = methods; *m; m++)
			if (strcmp(method, *m) == 0)
				known = 1;
		if (!known)
			problem(c, "capture.method",
				"unknown method '%s' (expected eds, sms-otp, in-person or web)", method);
		add(c, n, "Method", method);
	}
	add_text(c, n, "Channel", obj, "capture", "channel", 1);
	/* Someone at a desk took the consent in person: the record must say who. */
	add_text(c, n, "Clerk", obj, "capture", "clerk", method && strcmp(method, "in-person") == 0);

	ev = get_object(c, obj, "evidence", "capture.evidence");
	if (ev == NULL)
		return;
	if (json_object_size(ev) == 0) {
		problem(c, "capture.evidence", "must not be empty when given");
		return;
	}
	if (json_object_size(ev) > 32) {
		problem(c, "capture.evidence", "more than 32 entries");
		return;
	}
	e = add(c, n, "Evidence", NULL);
	json_object_foreach(ev, key, v) {
		const char *why;
		size_t klen = strlen(key);
		snprintf(p, sizeof(p), "capture.evidence.%.64s", key);
		if (klen == 0 || klen > 64 || strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_") != klen) {
			problem(c, p, "evidence names are 1-64 of a-z, 0-9 and _");
			continue;
		}
		if (!json_is_string(v)) {
			problem(c, p, "must be a string, not %s", json_kind(v));
			continue;
		}
		if ((why = kel__text_problem(json_string_value(v), KEL_TEXT_MAX)) != NULL) {
			problem(c, p, "%s", why);
			continue;
		}
		xmlNewProp(add(c, e, "Item", json_string_value(v)), BAD_CAST "Name", BAD_CAST key);
	}
}

static void read_languages(struct ctx *c, struct kel_request *req, json_t *root)
{
	json_t *arr = get_array(c, root, "languages", "languages"), *v;
	size_t i;
	char p[32];

	if (json_object_get(root, "languages") == NULL) {
		/* Kazakh and Russian side by side: the default for Kazakhstan. */
		strcpy(req->langs[0], "kk");
		strcpy(req->langs[1], "ru");
		req->nlangs = 2;
		return;
	}
	if (arr == NULL)
		return;
	if (json_array_size(arr) == 0 || json_array_size(arr) > 3) {
		problem(c, "languages", "must list one to three of kk, ru, en");
		return;
	}
	json_array_foreach(arr, i, v) {
		const char *s;
		snprintf(p, sizeof(p), "languages[%zu]", i);
		if (!json_is_string(v)) {
			problem(c, p, "must be a string, not %s", json_kind(v));
			continue;
		}
		s = json_string_value(v);
		if (strcmp(s, "kk") != 0 && strcmp(s, "ru") != 0 && strcmp(s, "en") != 0) {
			problem(c, p, "unknown language '%.16s' (expected kk, ru or en)", s);
			continue;
		}
		for (int j = 0; j < req->nlangs; j++)
			if (strcmp(req->langs[j], s) == 0)
				problem(c, p, "repeats '%s'", s);
		strcpy(req->langs[req->nlangs++], s);
	}
}

static void read_refers_to(struct ctx *c, struct kel_request *req, json_t *root)
{
	const char *s = get_text(c, root, "", "refers_to", 0, 36);
	char lower[37];

	if (s == NULL)
		return;
	/* RFC 9562 UUIDs compare case-insensitively; the canonical form is lower case. */
	for (size_t i = 0; i <= strlen(s) && i < sizeof(lower); i++)
		lower[i] = (char)((s[i] >= 'A' && s[i] <= 'F') ? s[i] - 'A' + 'a' : s[i]);
	lower[36] = '\0';
	if (strlen(s) != 36 || !kel_uuid_is_valid(lower)) {
		problem(c, "refers_to", "'%.40s' is not a document id (a UUID)", s);
		return;
	}
	memcpy(req->refers_to, lower, sizeof(lower));
}

/* Required keys missing and forbidden keys present, for this type. */
static void check_presence(struct ctx *c, json_t *root)
{
	const char *tname = kel_doc_type_name(c->type);

	for (const struct kel_field *f = kel__fields; f->json; f++) {
		int present = json_object_get(root, f->json) != NULL;
		if (!present && f->need[c->type] == KEL_REQUIRED)
			problem(c, f->json, "missing (a %s must state it: %s)", tname, f->why);
		else if (present && f->need[c->type] == KEL_FORBIDDEN)
			problem(c, f->json, "not part of a %s", tname);
	}
}

static void read_type(struct ctx *c, json_t *root)
{
	json_t *v = json_object_get(root, "type");

	if (v == NULL) {
		problem(c, "type", "missing (consent, transfer-notice, cross-border-consent or withdrawal)");
	} else if (!json_is_string(v)) {
		problem(c, "type", "must be a string, not %s", json_kind(v));
	} else if ((c->type = kel_doc_type_from_name(json_string_value(v))) == 0) {
		problem(c, "type", "unknown type '%.40s' (expected consent, transfer-notice, "
			"cross-border-consent or withdrawal)", json_string_value(v));
	}
}

static void read_body(struct ctx *c, struct kel_request *req, json_t *root)
{
	static const char *const top_keys[] = { "type", "languages", "operator", "processor",
		"subject", "purposes", "data", "actions", "storage", "third_parties", "cross_border",
		"public_sources", "period", "withdrawal_method", "capture", "refers_to", NULL };
	xmlNodePtr body = c->body, terms = NULL;

	check_keys(c, root, "", top_keys);
	read_languages(c, req, root);
	if (c->type == 0)
		return;   /* without a type, nothing else can be judged */
	check_presence(c, root);

	read_party(c, body, root, "operator", "Operator", 1);
	read_party(c, body, root, "processor", "Processor", 0);
	read_subject(c, body, root);
	if (c->type != KEL_DOC_WITHDRAWAL) {
		const char *method;
		terms = add(c, body, "Terms", NULL);
		read_text_list(c, terms, root, "purposes", "Purposes", "Purpose", 64);
		read_text_list(c, terms, root, "data", "DataCategories", "Data", 256);
		read_actions(c, terms, root);
		read_storage(c, terms, root);
		add_bool(c, terms, root, "third_parties", "ThirdParties");
		read_cross_border(c, terms, root);
		add_bool(c, terms, root, "public_sources", "PublicSources");
		read_period(c, terms, root);
		method = get_text(c, root, "", "withdrawal_method", 0, KEL_TEXT_MAX);
		if (method)
			add(c, terms, "WithdrawalMethod", method);
		/* Kazakh law governs every document kelisim makes. */
		add(c, terms, "Jurisdiction", "KZ");
	}
	read_capture(c, body, root);
	read_refers_to(c, req, root);
}

int kel__request_read(struct kel_request *req, const char *json, size_t len, const char *today,
	xmlNodePtr content, xmlNsPtr ns)
{
	struct ctx c = { KEL_BUF_INIT, 0, 0, ns, 0, today, content };
	json_error_t jerr;
	json_t *root;
	int rc = 0;

	memset(req, 0, sizeof(*req));
	if (len > KEL_REQUEST_MAX_BYTES)
		return kel_fail(KEL_ETOOBIG, "request: larger than %u bytes", KEL_REQUEST_MAX_BYTES);
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return kel_fail(KEL_EPARSE, "request: not valid JSON: line %d, column %d: %s",
			jerr.line, jerr.column, jerr.text);
	if (!json_is_object(root)) {
		rc = kel_fail(KEL_EINVALID, "request: must be a JSON object, not %s",
			json_kind(root));
		json_decref(root);
		return rc;
	}

	read_type(&c, root);
	req->type = c.type;
	read_body(&c, req, root);

	if (c.oom)
		rc = kel_fail(KEL_ENOMEM, "out of memory while building the document");
	else if (c.count > 0)
		rc = kel_fail(KEL_EINVALID, "%s%s", c.problems.ptr ? c.problems.ptr : "request refused",
			c.count > MAX_PROBLEMS ? "\n(more problems not shown)" : "");
	json_decref(root);
	kel_buf_dispose(&c.problems);
	return rc;
}
