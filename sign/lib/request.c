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
#include "request_ctx.h"
#include "doc_fields.h"
#include "text.h"
#include "xml_safe.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "kelisim/kzid.h"
#include "kelisim/uuid.h"

static void read_party(struct rq_ctx *c, xmlNodePtr parent, json_t *root, const char *key,
	const char *element, int with_contact)
{
	static const char *const operator_keys[] = { "name", "bin", "address", "contact", NULL };
	static const char *const processor_keys[] = { "name", "bin", "address", NULL };
	json_t *obj = kel__rq_get_object(c, root, key, key);
	xmlNodePtr n;
	const char *bin;
	char p[64];

	if (obj == NULL)
		return;
	kel__rq_check_keys(c, obj, key, with_contact ? operator_keys : processor_keys);
	n = kel__rq_add(c, parent, element, NULL);
	kel__rq_add_text(c, n, "Name", obj, key, "name", 1);
	bin = kel__rq_get_text(c, obj, key, "bin", 1, 12);
	snprintf(p, sizeof(p), "%s.bin", key);
	kel__rq_check_kzid(c, p, bin, 1);
	if (bin)
		kel__rq_add(c, n, "BIN", bin);
	kel__rq_add_text(c, n, "Address", obj, key, "address", 1);
	if (with_contact)
		kel__rq_add_text(c, n, "Contact", obj, key, "contact", 1);
}

static void read_subject(struct rq_ctx *c, xmlNodePtr parent, json_t *root)
{
	static const char *const keys[] = { "name", "iin", "phone", "email", "representative", NULL };
	static const char *const rep_keys[] = { "name", "iin", "basis", NULL };
	json_t *obj = kel__rq_get_object(c, root, "subject", "subject"), *rep;
	xmlNodePtr n, r;
	const char *s;

	if (obj == NULL)
		return;
	kel__rq_check_keys(c, obj, "subject", keys);
	n = kel__rq_add(c, parent, "Subject", NULL);
	kel__rq_add_text(c, n, "FullName", obj, "subject", "name", 1);
	s = kel__rq_get_text(c, obj, "subject", "iin", 1, 12);
	kel__rq_check_kzid(c, "subject.iin", s, 0);
	if (s)
		kel__rq_add(c, n, "IIN", s);
	if ((s = kel__rq_get_text(c, obj, "subject", "phone", 0, 32)) != NULL) {
		if (!kel__phone_is_valid(s))
			kel__rq_problem(c, "subject.phone", "not a telephone number (7-15 digits, optional +)");
		kel__rq_add(c, n, "Phone", s);
	}
	if ((s = kel__rq_get_text(c, obj, "subject", "email", 0, 254)) != NULL) {
		if (!kel__email_is_valid(s))
			kel__rq_problem(c, "subject.email", "not an e-mail address");
		kel__rq_add(c, n, "Email", s);
	}
	rep = kel__rq_get_object(c, obj, "representative", "subject.representative");
	if (rep) {
		kel__rq_check_keys(c, rep, "subject.representative", rep_keys);
		r = kel__rq_add(c, n, "Representative", NULL);
		kel__rq_add_text(c, r, "FullName", rep, "subject.representative", "name", 1);
		s = kel__rq_get_text(c, rep, "subject.representative", "iin", 1, 12);
		kel__rq_check_kzid(c, "subject.representative.iin", s, 0);
		if (s)
			kel__rq_add(c, r, "IIN", s);
		kel__rq_add_text(c, r, "Basis", rep, "subject.representative", "basis", 1);
	}
}

static void read_capture(struct rq_ctx *c, xmlNodePtr parent, json_t *root)
{
	static const char *const keys[] = { "method", "channel", "clerk", "evidence", NULL };
	static const char *const methods[] = { "eds", "sms-otp", "in-person", "web", NULL };
	json_t *obj = kel__rq_get_object(c, root, "capture", "capture"), *ev, *v;
	const char *method, *key;
	xmlNodePtr n, e;
	int known = 0;
	char p[128];

	if (obj == NULL)
		return;
	kel__rq_check_keys(c, obj, "capture", keys);
	n = kel__rq_add(c, parent, "Capture", NULL);
	method = kel__rq_get_text(c, obj, "capture", "method", 1, 16);
	if (method) {
		for (const char *const *m = methods; *m; m++)
			if (strcmp(method, *m) == 0)
				known = 1;
		if (!known)
			kel__rq_problem(c, "capture.method",
				"unknown method '%s' (expected eds, sms-otp, in-person or web)", method);
		kel__rq_add(c, n, "Method", method);
	}
	kel__rq_add_text(c, n, "Channel", obj, "capture", "channel", 1);
	/* Someone at a desk took the consent in person: the record must say who. */
	kel__rq_add_text(c, n, "Clerk", obj, "capture", "clerk", method && strcmp(method, "in-person") == 0);

	ev = kel__rq_get_object(c, obj, "evidence", "capture.evidence");
	if (ev == NULL)
		return;
	if (json_object_size(ev) == 0) {
		kel__rq_problem(c, "capture.evidence", "must not be empty when given");
		return;
	}
	if (json_object_size(ev) > 32) {
		kel__rq_problem(c, "capture.evidence", "more than 32 entries");
		return;
	}
	e = kel__rq_add(c, n, "Evidence", NULL);
	json_object_foreach(ev, key, v) {
		const char *why;
		size_t klen = strlen(key);
		snprintf(p, sizeof(p), "capture.evidence.%.64s", key);
		if (klen == 0 || klen > 64 || strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_") != klen) {
			kel__rq_problem(c, p, "evidence names are 1-64 of a-z, 0-9 and _");
			continue;
		}
		if (!json_is_string(v)) {
			kel__rq_problem(c, p, "must be a string, not %s", kel__rq_json_kind(v));
			continue;
		}
		if ((why = kel__text_problem(json_string_value(v), KEL_TEXT_MAX)) != NULL) {
			kel__rq_problem(c, p, "%s", why);
			continue;
		}
		xmlNewProp(kel__rq_add(c, e, "Item", json_string_value(v)), BAD_CAST "Name", BAD_CAST key);
	}
}

static void read_languages(struct rq_ctx *c, struct kel_request *req, json_t *root)
{
	json_t *arr = kel__rq_get_array(c, root, "languages", "languages"), *v;
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
		kel__rq_problem(c, "languages", "must list one to three of kk, ru, en");
		return;
	}
	json_array_foreach(arr, i, v) {
		const char *s;
		snprintf(p, sizeof(p), "languages[%zu]", i);
		if (!json_is_string(v)) {
			kel__rq_problem(c, p, "must be a string, not %s", kel__rq_json_kind(v));
			continue;
		}
		s = json_string_value(v);
		if (strcmp(s, "kk") != 0 && strcmp(s, "ru") != 0 && strcmp(s, "en") != 0) {
			kel__rq_problem(c, p, "unknown language '%.16s' (expected kk, ru or en)", s);
			continue;
		}
		for (int j = 0; j < req->nlangs; j++)
			if (strcmp(req->langs[j], s) == 0)
				kel__rq_problem(c, p, "repeats '%s'", s);
		strcpy(req->langs[req->nlangs++], s);
	}
}

static void read_refers_to(struct rq_ctx *c, struct kel_request *req, json_t *root)
{
	const char *s = kel__rq_get_text(c, root, "", "refers_to", 0, 36);
	char lower[37];

	if (s == NULL)
		return;
	/* RFC 9562 UUIDs compare case-insensitively; the canonical form is lower case. */
	for (size_t i = 0; i <= strlen(s) && i < sizeof(lower); i++)
		lower[i] = (char)((s[i] >= 'A' && s[i] <= 'F') ? s[i] - 'A' + 'a' : s[i]);
	lower[36] = '\0';
	if (strlen(s) != 36 || !kel_uuid_is_valid(lower)) {
		kel__rq_problem(c, "refers_to", "'%.40s' is not a document id (a UUID)", s);
		return;
	}
	memcpy(req->refers_to, lower, sizeof(lower));
}

/* Required keys missing and forbidden keys present, for this type. */
static void check_presence(struct rq_ctx *c, json_t *root)
{
	const char *tname = kel_doc_type_name(c->type);

	for (const struct kel_field *f = kel__fields; f->json; f++) {
		int present = json_object_get(root, f->json) != NULL;
		if (!present && f->need[c->type] == KEL_REQUIRED)
			kel__rq_problem(c, f->json, "missing (a %s must state it: %s)", tname, f->why);
		else if (present && f->need[c->type] == KEL_FORBIDDEN)
			kel__rq_problem(c, f->json, "not part of a %s", tname);
	}
}

static void read_type(struct rq_ctx *c, json_t *root)
{
	json_t *v = json_object_get(root, "type");

	if (v == NULL) {
		kel__rq_problem(c, "type", "missing (consent, transfer-notice, cross-border-consent, "
			"withdrawal or evidence-statement)");
	} else if (!json_is_string(v)) {
		kel__rq_problem(c, "type", "must be a string, not %s", kel__rq_json_kind(v));
	} else if ((c->type = kel_doc_type_from_name(json_string_value(v))) == 0) {
		kel__rq_problem(c, "type", "unknown type '%.40s' (expected consent, transfer-notice, "
			"cross-border-consent, withdrawal or evidence-statement)", json_string_value(v));
	}
}

static void read_body(struct rq_ctx *c, struct kel_request *req, json_t *root)
{
	static const char *const top_keys[] = { "type", "languages", "operator", "processor",
		"subject", "purposes", "data", "actions", "storage", "third_parties", "cross_border",
		"public_sources", "period", "withdrawal_method", "capture", "refers_to", "statement",
		NULL };
	xmlNodePtr body = c->body, terms = NULL;

	kel__rq_check_keys(c, root, "", top_keys);
	read_languages(c, req, root);
	if (c->type == 0)
		return;   /* without a type, nothing else can be judged */
	check_presence(c, root);

	read_party(c, body, root, "operator", "Operator", 1);
	read_party(c, body, root, "processor", "Processor", 0);
	read_subject(c, body, root);
	/* A withdrawal carries no terms; an evidence statement speaks of many subjects' terms. */
	if (c->type != KEL_DOC_WITHDRAWAL && c->type != KEL_DOC_EVIDENCE_STATEMENT) {
		const char *method;
		terms = kel__rq_add(c, body, "Terms", NULL);
		kel__rq_read_text_list(c, terms, root, "purposes", "Purposes", "Purpose", 64);
		kel__rq_read_text_list(c, terms, root, "data", "DataCategories", "Data", 256);
		kel__rq_read_actions(c, terms, root);
		kel__rq_read_storage(c, terms, root);
		kel__rq_add_bool(c, terms, root, "third_parties", "ThirdParties");
		kel__rq_read_cross_border(c, terms, root);
		kel__rq_add_bool(c, terms, root, "public_sources", "PublicSources");
		kel__rq_read_period(c, terms, root);
		method = kel__rq_get_text(c, root, "", "withdrawal_method", 0, KEL_TEXT_MAX);
		if (method)
			kel__rq_add(c, terms, "WithdrawalMethod", method);
		/* Kazakh law governs every document kelisim makes. */
		kel__rq_add(c, terms, "Jurisdiction", "KZ");
	}
	read_capture(c, body, root);
	/* Only an evidence-statement reads a statement; in another type check_presence has
	 * refused the key already ("statement: not part of a consent"). */
	if (c->type == KEL_DOC_EVIDENCE_STATEMENT)
		kel__rq_read_statement(c, body, root);
	read_refers_to(c, req, root);
}

int kel__request_read(struct kel_request *req, const char *json, size_t len, const char *today,
	xmlNodePtr content, xmlNsPtr ns)
{
	struct rq_ctx c = { KEL_BUF_INIT, 0, 0, ns, 0, today, content };
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
			kel__rq_json_kind(root));
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
			c.count > KEL_RQ_MAX_PROBLEMS ? "\n(more problems not shown)" : "");
	json_decref(root);
	kel_buf_dispose(&c.problems);
	return rc;
}
