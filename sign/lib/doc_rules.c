/*
 * Document rules beyond the schema.
 *
 * These run on every document kelisim reads and on every one it makes, so that a document
 * edited by hand, or made by another program, is held to what kel_doc_new enforces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "doc_internal.h"
#include "doc_fields.h"
#include "text.h"
#include "xml_safe.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "kelisim/kzid.h"
#include "request_ctx.h"

struct rules {
	kel_buf problems;
	int count;
};

static void problem(struct rules *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct rules *r, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (++r->count > 50)
		return;
	if (r->problems.size)
		kel_buf_puts(&r->problems, "\n");
	kel_buf_printf(&r->problems, "%s: ", path);
	va_start(ap, fmt);
	kel_buf_vprintf(&r->problems, fmt, ap);
	va_end(ap);
}

/* Follow a path like "Terms/Period" below node. */
static xmlNodePtr find_path(xmlNodePtr node, const char *path)
{
	char part[64];

	while (node && *path) {
		size_t n = strcspn(path, "/");
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		node = kel__xml_child(node, part);
		path += n + (path[n] == '/');
	}
	return node;
}

static void copy_text(char *dst, size_t size, xmlNodePtr node)
{
	const char *s = kel__xml_text(node);
	snprintf(dst, size, "%s", s ? s : "");
}

static void check_kzid(struct rules *r, xmlNodePtr parent, const char *element,
	const char *path, int is_bin)
{
	const char *value = kel__xml_text(kel__xml_child(parent, element)), *why = NULL;

	if (parent == NULL || value == NULL)
		return;
	if ((is_bin ? kel_kzid_check_bin(value, &why) : kel_kzid_check_iin(value, &why)) < 0)
		problem(r, path, "%s", why);
}

/* Free text anywhere in the parties, terms and capture: the same rules as a request's. */
static void check_free_text(struct rules *r, xmlNodePtr node, const char *path)
{
	char p[512];

	for (xmlNodePtr c = kel__xml_first_element(node); c; c = kel__xml_next_element(c)) {
		const char *s = kel__xml_text(c), *why;
		snprintf(p, sizeof(p), "%s/%s", path, (const char *)c->name);
		if (kel__xml_first_element(c))
			check_free_text(r, c, p);
		else if (s && (why = kel__text_problem(s, KEL_TEXT_MAX)) != NULL)
			problem(r, p, "%s", why);
	}
}

static void check_header(struct rules *r, struct kel_doc *doc, xmlNodePtr root,
	xmlNodePtr content, xmlNodePtr header)
{
	xmlChar *root_id = xmlGetProp(root, BAD_CAST "Id");
	xmlChar *root_type = xmlGetProp(root, BAD_CAST "Type");
	xmlChar *content_id = xmlGetProp(content, BAD_CAST "Id");
	xmlChar *verification_id = xmlGetProp(kel__xml_child(root, "Verification"), BAD_CAST "Id");
	char expected[64];

	copy_text(doc->id, sizeof(doc->id), kel__xml_child(header, "DocumentId"));
	doc->type = kel_doc_type_from_name(kel__xml_text(kel__xml_child(header, "DocumentType")));
	copy_text(doc->issued_at, sizeof(doc->issued_at), kel__xml_child(header, "IssuedAt"));

	/* The root's attributes are conveniences outside the signed Content: they must agree. */
	if (root_id == NULL || strcmp((const char *)root_id, doc->id) != 0)
		problem(r, "ConsentDocument/@Id", "differs from Content/Header/DocumentId");
	if (root_type == NULL || kel_doc_type_from_name((const char *)root_type) != doc->type)
		problem(r, "ConsentDocument/@Type", "differs from Content/Header/DocumentType");
	snprintf(expected, sizeof(expected), "content-%s", doc->id);
	if (content_id == NULL || strcmp((const char *)content_id, expected) != 0)
		problem(r, "Content/@Id", "must be '%s'", expected);
	snprintf(expected, sizeof(expected), "verification-%s", doc->id);
	if (verification_id == NULL || strcmp((const char *)verification_id, expected) != 0)
		problem(r, "Verification/@Id", "must be '%s'", expected);
	xmlFree(root_id);
	xmlFree(root_type);
	xmlFree(content_id);
	xmlFree(verification_id);
}

/* Languages distinct; one Template and one Text per language, in the same order. */
static void check_languages(struct rules *r, struct kel_doc *doc, xmlNodePtr content,
	xmlNodePtr header)
{
	const char *list = kel__xml_text(kel__xml_child(header, "Languages"));
	char langs[3][3] = { "", "", "" };
	int n = 0, i;
	xmlNodePtr c;

	for (const char *p = list ? list : ""; *p && n < 3; ) {
		size_t len;
		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (len == 2) {
			memcpy(langs[n], p, 2);
			for (i = 0; i < n; i++)
				if (strcmp(langs[i], langs[n]) == 0)
					problem(r, "Content/Header/Languages", "repeats '%s'", langs[n]);
			n++;
		}
		p += len;
	}
	doc->languages[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i)
			strcat(doc->languages, " ");
		strcat(doc->languages, langs[i]);
	}

	i = 0;
	for (c = kel__xml_first_element(header); c; c = kel__xml_next_element(c)) {
		xmlChar *lang;
		if (strcmp((const char *)c->name, "Template") != 0)
			continue;
		lang = xmlGetProp(c, BAD_CAST "Lang");
		if (i >= n || lang == NULL || strcmp((const char *)lang, langs[i]) != 0)
			problem(r, "Content/Header/Template", "template %d is for '%s', expected '%s'",
				i + 1, lang ? (const char *)lang : "", i < n ? langs[i] : "none");
		xmlFree(lang);
		i++;
	}
	if (i != n)
		problem(r, "Content/Header/Template", "%d templates for %d languages", i, n);

	i = 0;
	for (c = kel__xml_first_element(content); c; c = kel__xml_next_element(c)) {
		xmlChar *lang;
		if (strcmp((const char *)c->name, "Text") != 0)
			continue;
		lang = xmlGetNsProp(c, BAD_CAST "lang", XML_XML_NAMESPACE);
		if (i >= n || lang == NULL || strcmp((const char *)lang, langs[i]) != 0)
			problem(r, "Content/Text", "text %d has xml:lang '%s', expected '%s'", i + 1,
				lang ? (const char *)lang : "", i < n ? langs[i] : "none");
		xmlFree(lang);
		i++;
	}
	if (i != n)
		problem(r, "Content/Text", "%d texts for %d languages", i, n);
}

static void check_presence(struct rules *r, struct kel_doc *doc, xmlNodePtr content)
{
	const char *tname = kel_doc_type_name(doc->type);
	char p[128];

	for (const struct kel_field *f = kel__fields; f->json; f++) {
		int present = find_path(content, f->xml) != NULL;
		snprintf(p, sizeof(p), "Content/%s", f->xml);
		if (!present && f->need[doc->type] == KEL_REQUIRED)
			problem(r, p, "missing (a %s must state it: %s)", tname, f->why);
		else if (present && f->need[doc->type] == KEL_FORBIDDEN)
			problem(r, p, "not part of a %s", tname);
	}
}

/* The same list item twice, as a request with a repeated entry is refused. */
static void check_distinct(struct rules *r, xmlNodePtr list, const char *path)
{
	for (xmlNodePtr a = kel__xml_first_element(list); a; a = kel__xml_next_element(a))
		for (xmlNodePtr b = kel__xml_first_element(list); b != a; b = kel__xml_next_element(b)) {
			const char *ta = kel__xml_text(a), *tb = kel__xml_text(b);
			if (ta && tb && strcmp(ta, tb) == 0) {
				problem(r, path, "repeats '%.60s'", ta);
				break;
			}
		}
}

static void check_terms(struct rules *r, struct kel_doc *doc, xmlNodePtr terms)
{
	xmlNodePtr period = kel__xml_child(terms, "Period");
	xmlNodePtr cross = kel__xml_child(terms, "CrossBorder");
	xmlNodePtr storage = kel__xml_child(terms, "Storage");
	xmlNodePtr actions = kel__xml_child(terms, "Actions");
	unsigned seen = 0;

	if (period) {
		const char *from = kel__xml_text(kel__xml_child(period, "From"));
		const char *until = kel__xml_text(kel__xml_child(period, "Until"));
		if (from && until && strcmp(until, from) < 0)
			problem(r, "Content/Terms/Period/Until", "before Period/From");
	}
	if (cross) {
		xmlChar *allowed = xmlGetProp(cross, BAD_CAST "Allowed");
		int yes = allowed && (strcmp((const char *)allowed, "true") == 0 ||
			strcmp((const char *)allowed, "1") == 0);
		int recipients = 0;
		for (xmlNodePtr c = kel__xml_first_element(cross); c; c = kel__xml_next_element(c)) {
			xmlChar *country = xmlGetProp(c, BAD_CAST "Country");
			if (!kel__country_is_known((const char *)country))
				problem(r, "Content/Terms/CrossBorder/Recipient/@Country",
					"'%s' is not an ISO 3166-1 alpha-2 country code",
					country ? (const char *)country : "");
			xmlFree(country);
			recipients++;
		}
		if (yes && recipients == 0)
			problem(r, "Content/Terms/CrossBorder", "allowed but names no recipient");
		if (!yes && recipients > 0)
			problem(r, "Content/Terms/CrossBorder", "names recipients but is not allowed");
		if (!yes && doc->type == KEL_DOC_CROSS_BORDER_CONSENT)
			problem(r, "Content/Terms/CrossBorder/@Allowed",
				"must be true in a cross-border-consent");
		xmlFree(allowed);
	}
	if (storage) {
		xmlChar *country = xmlGetProp(storage, BAD_CAST "Country");
		if (!kel__country_is_known((const char *)country))
			problem(r, "Content/Terms/Storage/@Country",
				"'%s' is not an ISO 3166-1 alpha-2 country code",
				country ? (const char *)country : "");
		xmlFree(country);
	}
	for (xmlNodePtr c = kel__xml_first_element(actions); c; c = kel__xml_next_element(c)) {
		const char *a = kel__xml_text(c);
		unsigned bit = a == NULL ? 0 : strcmp(a, "collect") == 0 ? 1 :
			strcmp(a, "store") == 0 ? 2 : strcmp(a, "provide") == 0 ? 4 :
			strcmp(a, "delete") == 0 ? 8 : 0;
		if (bit & seen)
			problem(r, "Content/Terms/Actions", "repeats '%s'", a);
		else if (bit < seen)
			/* kel_doc_new writes them in the order of DPA clause 1.2.2, and so must others. */
			problem(r, "Content/Terms/Actions", "'%s' out of order (collect, store, provide, "
				"delete)", a);
		seen |= bit;
	}
	check_distinct(r, kel__xml_child(terms, "Purposes"), "Content/Terms/Purposes");
	check_distinct(r, kel__xml_child(terms, "DataCategories"), "Content/Terms/DataCategories");
	{
		const char *j = kel__xml_text(kel__xml_child(terms, "Jurisdiction"));
		if (j && strcmp(j, "KZ") != 0)
			problem(r, "Content/Terms/Jurisdiction", "must be KZ: kelisim documents are made "
				"under the law of the Republic of Kazakhstan");
	}
}

static void check_subject_contacts(struct rules *r, xmlNodePtr subject)
{
	const char *phone = kel__xml_text(kel__xml_child(subject, "Phone"));
	const char *email = kel__xml_text(kel__xml_child(subject, "Email"));

	if (phone && !kel__phone_is_valid(phone))
		problem(r, "Content/Subject/Phone", "not a telephone number (7-15 digits, optional +)");
	if (email && !kel__email_is_valid(email))
		problem(r, "Content/Subject/Email", "not an e-mail address");
}

static void check_capture(struct rules *r, xmlNodePtr capture)
{
	const char *method = kel__xml_text(kel__xml_child(capture, "Method"));

	if (method && strcmp(method, "in-person") == 0 && kel__xml_child(capture, "Clerk") == NULL)
		problem(r, "Content/Capture/Clerk", "missing (an in-person capture names the clerk)");
}

static void check_evidence(struct rules *r, xmlNodePtr capture)
{
	xmlNodePtr evidence = kel__xml_child(capture, "Evidence");

	for (xmlNodePtr a = kel__xml_first_element(evidence); a; a = kel__xml_next_element(a)) {
		xmlChar *na = xmlGetProp(a, BAD_CAST "Name");
		for (xmlNodePtr b = kel__xml_first_element(evidence); b != a; b = kel__xml_next_element(b)) {
			xmlChar *nb = xmlGetProp(b, BAD_CAST "Name");
			if (na && nb && strcmp((const char *)na, (const char *)nb) == 0)
				problem(r, "Content/Capture/Evidence/Item", "name '%s' repeats", na);
			xmlFree(nb);
		}
		xmlFree(na);
	}
}

/* An evidence statement (DPA clause 4.8): what XML Schema cannot say about its Statement. */
static void check_statement(struct rules *r, xmlNodePtr st)
{
	xmlNodePtr req = kel__xml_child(st, "Request");
	xmlNodePtr scope = kel__xml_child(st, "Scope");
	xmlNodePtr part = kel__xml_child(st, "Part");
	int i = 0;

	if (req) {
		const char *ref = kel__xml_text(kel__xml_child(req, "Reference"));
		const char *received = kel__xml_text(kel__xml_child(req, "Received"));
		const char *due = kel__xml_text(kel__xml_child(req, "Due"));
		const char *why;
		char want[11];
		if (ref && (why = kel__text_problem(ref, 512)) != NULL)
			problem(r, "Content/Statement/Request/Reference", "%s", why);
		if (received && due && (kel__date_add_days(received, 5, want) != 0 ||
		    strcmp(due, want) != 0))
			problem(r, "Content/Statement/Request/Due", "must be Received + 5 calendar days "
				"(DPA clause 4.8)");
	}
	if (scope) {
		xmlChar *since = xmlGetProp(scope, BAD_CAST "Since");
		xmlChar *until = xmlGetProp(scope, BAD_CAST "Until");
		if (since && until && strcmp((const char *)until, (const char *)since) < 0)
			problem(r, "Content/Statement/Scope/@Until", "before @Since");
		xmlFree(since);
		xmlFree(until);
	}
	if (part) {
		xmlChar *num = xmlGetProp(part, BAD_CAST "Number");
		xmlChar *of = xmlGetProp(part, BAD_CAST "Of");
		if (num && of && strtol((const char *)num, NULL, 10) > strtol((const char *)of, NULL, 10))
			problem(r, "Content/Statement/Part", "number %s of %s", num, of);
		xmlFree(num);
		xmlFree(of);
	}
	for (xmlNodePtr e = kel__xml_first_element(st); e; e = kel__xml_next_element(e)) {
		xmlNodePtr basis, notice;
		const char *iin, *status, *name, *why;
		int gap_consent = 0, gap_notice = 0;
		char p[96];

		if (strcmp((const char *)e->name, "Entry") != 0)
			continue;
		i++;
		snprintf(p, sizeof p, "Content/Statement/Entry[%d]", i);
		basis = kel__xml_child(e, "LawfulBasis");
		notice = kel__xml_child(e, "TransferNotice");
		iin = kel__xml_text(kel__xml_child(e, "IIN"));
		name = kel__xml_text(kel__xml_child(e, "FullName"));
		status = kel__xml_text(kel__xml_child(e, "Status"));
		if (iin && kel_kzid_check_iin(iin, &why) < 0)
			problem(r, p, "IIN: %s", why);
		if (name && (why = kel__text_problem(name, KEL_TEXT_MAX)) != NULL)
			problem(r, p, "FullName: %s", why);
		for (xmlNodePtr g = kel__xml_first_element(e); g; g = kel__xml_next_element(g)) {
			const char *t = kel__xml_text(g);
			if (strcmp((const char *)g->name, "Gap") != 0 || !t)
				continue;
			if (strcmp(t, "no-consent-in-force") == 0)
				gap_consent++;
			else if (strcmp(t, "no-transfer-notice") == 0)
				gap_notice++;
		}
		if (status && (basis != NULL) != (strcmp(status, "ConsentGiven") == 0))
			problem(r, p, "LawfulBasis is stated exactly when Status is ConsentGiven");
		if ((basis == NULL) != (gap_consent == 1) || gap_consent > 1)
			problem(r, p, "Gap 'no-consent-in-force' is stated exactly when LawfulBasis is "
				"absent");
		if ((notice == NULL) != (gap_notice == 1) || gap_notice > 1)
			problem(r, p, "Gap 'no-transfer-notice' is stated exactly when TransferNotice is "
				"absent");
		for (xmlNodePtr o = kel__xml_first_element(st); o && o != e; o = kel__xml_next_element(o)) {
			const char *other = kel__xml_text(kel__xml_child(o, "IIN"));
			if (strcmp((const char *)o->name, "Entry") == 0 && iin && other &&
			    strcmp(iin, other) == 0) {
				problem(r, p, "IIN '%s' repeats", iin);
				break;
			}
		}
	}
}

int kel__doc_check(struct kel_doc *doc)
{
	struct rules r = { KEL_BUF_INIT, 0 };
	xmlNodePtr root = xmlDocGetRootElement(doc->xml);
	xmlNodePtr content = kel__xml_child(root, "Content");
	xmlNodePtr header = kel__xml_child(content, "Header");
	xmlNodePtr subject = kel__xml_child(content, "Subject");
	xmlNodePtr terms = kel__xml_child(content, "Terms");
	int rc = 0;

	if (header == NULL)
		return kel_fail(KEL_EINVALID, "Content/Header: missing");
	check_header(&r, doc, root, content, header);
	if (doc->type == 0)
		problem(&r, "Content/Header/DocumentType", "unknown type");
	else
		check_presence(&r, doc, content);
	check_languages(&r, doc, content, header);

	check_kzid(&r, kel__xml_child(content, "Operator"), "BIN", "Content/Operator/BIN", 1);
	check_kzid(&r, kel__xml_child(content, "Processor"), "BIN", "Content/Processor/BIN", 1);
	check_kzid(&r, subject, "IIN", "Content/Subject/IIN", 0);
	check_kzid(&r, kel__xml_child(subject, "Representative"), "IIN",
		"Content/Subject/Representative/IIN", 0);
	check_free_text(&r, kel__xml_child(content, "Operator"), "Content/Operator");
	check_free_text(&r, kel__xml_child(content, "Processor"), "Content/Processor");
	check_free_text(&r, subject, "Content/Subject");
	check_free_text(&r, terms, "Content/Terms");
	check_free_text(&r, kel__xml_child(content, "Capture"), "Content/Capture");
	if (terms && doc->type)
		check_terms(&r, doc, terms);
	check_evidence(&r, kel__xml_child(content, "Capture"));
	check_capture(&r, kel__xml_child(content, "Capture"));
	check_subject_contacts(&r, subject);
	if (kel__xml_child(content, "Statement"))
		check_statement(&r, kel__xml_child(content, "Statement"));

	copy_text(doc->subject_iin, sizeof(doc->subject_iin), kel__xml_child(subject, "IIN"));
	copy_text(doc->operator_bin, sizeof(doc->operator_bin),
		kel__xml_child(kel__xml_child(content, "Operator"), "BIN"));
	copy_text(doc->refers_to, sizeof(doc->refers_to), kel__xml_child(header, "RefersTo"));

	if (r.count)
		rc = kel_fail(KEL_EINVALID, "%s%s", r.problems.ptr ? r.problems.ptr : "invalid",
			r.count > 50 ? "\n(more problems not shown)" : "");
	kel_buf_dispose(&r.problems);
	return rc;
}
