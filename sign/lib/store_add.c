/*
 * Adding a document to the evidence store: verification on entry, the index's fields, the
 * "stored" event, and the "withdrawn" event of the consent a withdrawal ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "verify_internal.h"
#include "kelisim/store.h"
#include "kelisim/doc.h"
#include "kelisim/verify.h"
#include "doc_internal.h"
#include "error_internal.h"
#include "store_impl.h"
#include "text.h"

/* ---- Adding -------------------------------------------------------------------------- */

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST name))
			return c;
	return NULL;
}

static void child_text(xmlNodePtr parent, const char *name, char *out, size_t size)
{
	xmlNodePtr n = child(parent, name);
	xmlChar *t;
	out[0] = '\0';
	if (!n || !(t = xmlNodeGetContent(n)))
		return;
	snprintf(out, size, "%s", (const char *)t);
	xmlFree(t);
}

/* What the index keeps of a document beyond kel_doc's summary. */
struct doc_fields {
	char processor_bin[16];
	char period_from[16];
	char period_until[16];
};

static void read_fields(const kel_doc *doc, struct doc_fields *f)
{
	xmlNodePtr root = xmlDocGetRootElement(doc->xml);
	xmlNodePtr content = child(root, "Content");
	xmlNodePtr period = child(child(content, "Terms"), "Period");

	memset(f, 0, sizeof *f);
	child_text(child(content, "Processor"), "BIN", f->processor_bin, sizeof f->processor_bin);
	child_text(period, "From", f->period_from, sizeof f->period_from);
	child_text(period, "Until", f->period_until, sizeof f->period_until);
	if (period && !f->period_from[0])
		snprintf(f->period_from, sizeof f->period_from, "%.10s", doc->issued_at);
}

/* Refuse a document whose verification did not pass, saying why. */
static int refuse(const kel_report *r)
{
	const char *problem = kel_report_document_problem(r);
	size_t n = kel_report_count(r);

	if (!kel_report_is_kelisim(r))
		return kel_fail(KEL_EINVALID, "document not accepted: not a kelisim document%s%s",
			problem ? ": " : "", problem ? problem : "");
	if (problem)
		return kel_fail(KEL_EINVALID, "document not accepted: %s: %s",
			kel_indication_name(kel_report_indication(r)), problem);
	if (n == 0)
		return kel_fail(KEL_EINVALID, "document not accepted: it carries no signature");
	for (size_t i = 0; i < n; i++) {
		const kel_sig_result *sig = kel_report_signature(r, i);
		if (kel_sig_indication(sig) == KEL_INDICATION_PASSED)
			continue;
		return kel_fail(KEL_EINVALID, "document not accepted: signature '%s': %s / %s%s%s",
			kel_sig_id(sig), kel_indication_name(kel_sig_indication(sig)),
			kel_sig_subindication(sig) ? kel_sig_subindication(sig) : "-",
			kel_sig_message(sig) ? ": " : "",
			kel_sig_message(sig) ? kel_sig_message(sig) : "");
	}
	return kel_fail(KEL_EINVALID, "document not accepted: %s",
		kel_indication_name(kel_report_indication(r)));
}

/* What the store knows of a document, without its bytes (store_impl.h). */
static int row_brief(void *ctx, int ncol, const kel__sql_val *col)
{
	struct kel__doc_brief *b = ctx;
	if (ncol < 3)
		return 0;
	b->found = 1;
	if (col[0].type == KEL_SQL_TEXT)
		snprintf(b->type, sizeof b->type, "%s", (const char *)col[0].p);
	if (col[1].type == KEL_SQL_TEXT)
		snprintf(b->sha256, sizeof b->sha256, "%s", (const char *)col[1].p);
	b->erased = col[2].type != KEL_SQL_NULL;
	return 0;
}

int kel__store_brief(kel_store *s, const char *id, struct kel__doc_brief *b)
{
	kel__sql_val p[1] = { kel__sql_text(id) };
	memset(b, 0, sizeof *b);
	return kel__store_sql(s, "SELECT type, sha256, erased_at FROM documents WHERE id = ?", 1, p,
		row_brief, b);
}

/* In the add transaction: log "withdrawn" for the consent a withdrawal ends, if stored. */
static int log_withdrawal(kel_store *s, kel_merkle_frontier *f, const kel_doc *doc)
{
	struct kel__sql_one_int r = { 0, 0 };
	kel__sql_val p[4] = { kel__sql_text(kel_doc_refers_to(doc)),
		kel__sql_text(kel_doc_subject_iin(doc)),
		kel__sql_text(kel_doc_operator_bin(doc)), kel__sql_text(kel_doc_id(doc)) };
	struct kel__store_event e;
	int rc;

	rc = kel__store_sql(s,
		"SELECT count(*) FROM documents WHERE id = ? AND subject_iin = ? AND "
		"operator_bin = ? AND type IN ('consent', 'cross-border-consent') AND "
		"erased_at IS NULL", 3, p, kel__sql_row_int, &r);
	if (rc < 0 || r.value == 0)
		return rc;
	/* Only the first withdrawal of a consent is its "withdrawn" event. */
	r.found = 0;
	r.value = 0;
	{
		kel__sql_val p2[4] = { p[0], p[1], p[2], p[3] };
		rc = kel__store_sql(s,
			"SELECT count(*) FROM documents WHERE type = 'withdrawal' AND "
			"refers_to = ? AND subject_iin = ? AND operator_bin = ? AND id <> ?", 4, p2,
			kel__sql_row_int, &r);
	}
	if (rc < 0 || r.value > 0)
		return rc;
	memset(&e, 0, sizeof e);
	e.event = "withdrawn";
	e.time = kel__store_now(s);
	e.document = kel_doc_refers_to(doc);
	e.by = kel_doc_id(doc);
	return kel__store_log_append(s, f, &e, NULL);
}

/* A document verified and read, waiting to be stored (kelisim/store.h). */
struct kel_store_prepared {
	const kel_store *store;      /* whose trust anchors verified it */
	const char *xml;             /* the bytes: own_xml, or the caller's for kel_store_add */
	char *own_xml;
	size_t len;
	kel_doc *doc;
	struct doc_fields f;
	char sha[65];
};

void kel_store_prepared_free(kel_store_prepared *p)
{
	if (p == NULL)
		return;
	kel_doc_free(p->doc);
	free(p->own_xml);
	free(p);
}

/* The first half of kel_store_add: verification and reading, no database. */
static int prepare(const kel_store *s, const char *xml, size_t len, int copy,
	kel_store_prepared **out)
{
	kel_verify_options vo = KEL_VERIFY_OPTIONS_INIT;
	kel_report *report = NULL;
	kel_store_prepared *p;
	int rc;

	*out = NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	p->store = s;
	p->len = len;
	p->xml = xml;
	if (copy) {
		if ((p->own_xml = malloc(len ? len : 1)) == NULL) {
			free(p);
			return kel_fail(KEL_ENOMEM, "out of memory");
		}
		memcpy(p->own_xml, xml, len);
		p->xml = p->own_xml;
	}
	/* Verify first, outside any transaction: it is the slow part. */
	vo.trust_file = s->trust_file;
	vo.trust_dir = s->trust_dir;
	vo.allow_weak = s->allow_weak;
	vo.validation_time = s->now;
	if (!s->no_verify) {
		/* The verified tree is the one indexed: parsed and schema-checked once. */
		if ((rc = kel__verify_keep_doc(&report, &p->doc, p->xml, len, &vo)) < 0)
			goto fail;
		if (kel_report_indication(report) != KEL_INDICATION_PASSED ||
		    !kel_report_is_kelisim(report)) {
			rc = refuse(report);
			kel_report_free(report);
			goto fail;
		}
		kel_report_free(report);
	}
	if (p->doc == NULL && (rc = kel_doc_parse(&p->doc, p->xml, len)) < 0)
		goto fail;
	read_fields(p->doc, &p->f);
	if ((rc = kel__store_sha256_hex(p->sha, p->xml, len)) < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	kel_store_prepared_free(p);
	return rc;
}

int kel_store_prepare(const kel_store *s, const char *xml, size_t len, kel_store_prepared **out)
{
	if (out)
		*out = NULL;
	if (!s || !xml || !out)
		return kel_fail(KEL_EINVAL, "kel_store_prepare: NULL argument");
	return prepare(s, xml, len, 1, out);
}

int kel_store_add_prepared(kel_store *s, const kel_store_prepared *p, kel_store_added *added)
{
	kel_merkle_frontier *work = NULL;
	struct kel__doc_brief ex;
	char now_text[21];
	const char *type, *xml, *sha;
	const kel_doc *doc;
	size_t len;
	uint64_t leaf = 0;
	int rc;

	if (added)
		memset(added, 0, sizeof *added);
	if (!s || !p)
		return kel_fail(KEL_EINVAL, "kel_store_add_prepared: NULL argument");
	if (p->store != s)
		return kel_fail(KEL_EINVAL, "kel_store_add_prepared: the document was verified for "
			"another store handle (its trust anchors may differ)");
	doc = p->doc;
	xml = p->xml;
	len = p->len;
	sha = p->sha;
	type = kel_doc_type_name(kel_doc_get_type(doc));
	if (added)
		snprintf(added->id, sizeof added->id, "%s", kel_doc_id(doc));

	if ((rc = kel__store_begin(s, 1)) < 0)
		return rc;
	if ((rc = kel__store_brief(s, kel_doc_id(doc), &ex)) < 0)
		return kel__store_finish(s, rc);
	if (ex.found) {
		if (strcmp(ex.sha256, sha) != 0) {
			return kel__store_finish(s, kel_fail(KEL_EINVALID, "document '%s' is "
				"already stored with other content (sha256 %s, this one %s)",
				kel_doc_id(doc), ex.sha256, sha));
		}
		{
			struct kel__sql_one_int r = { 0, 0 };
			kel__sql_val q[1] = { kel__sql_text(kel_doc_id(doc)) };
			rc = kel__store_sql(s, "SELECT leaf FROM documents WHERE id = ?", 1, q,
				kel__sql_row_int, &r);
			leaf = (uint64_t)r.value;
		}
		if (rc == 0 && added) {
			added->already = 1;
			added->leaf = leaf;
			rc = kel__store_log_size(s, &added->tree_size);
		}
		return kel__store_finish(s, rc);
	}
	if ((rc = kel__store_start_append(s, &work)) < 0)
		return kel__store_finish(s, rc);
	{
		struct kel__store_event e;
		memset(&e, 0, sizeof e);
		e.event = "stored";
		e.time = kel__store_now(s);
		e.document = kel_doc_id(doc);
		e.type = type;
		e.sha256 = sha;
		rc = kel__store_log_append(s, work, &e, &leaf);
	}
	kel__utc_format(kel__store_now(s), now_text);
	if (rc == 0) {
		kel__sql_val q[14] = {
			kel__sql_text(kel_doc_id(doc)), kel__sql_text(type),
			kel__sql_text(kel_doc_issued_at(doc)),
			kel__sql_text(sha), kel__sql_int((int64_t)len), kel__sql_blob(xml, len),
			kel__sql_text(kel_doc_subject_iin(doc)),
			kel__sql_text(kel_doc_operator_bin(doc)),
			kel__sql_text(p->f.processor_bin[0] ? p->f.processor_bin : NULL),
			kel__sql_text(kel_doc_refers_to(doc)),
			kel__sql_text(p->f.period_from[0] ? p->f.period_from : NULL),
			kel__sql_text(p->f.period_until[0] ? p->f.period_until : NULL),
			kel__sql_int((int64_t)leaf), kel__sql_text(now_text) };
		rc = kel__store_sql(s,
			"INSERT INTO documents (id, type, issued_at, sha256, size, body, "
			"subject_iin, operator_bin, processor_bin, refers_to, period_from, "
			"period_until, leaf, stored_at) VALUES "
			"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", 14, q, NULL, NULL);
	}
	if (rc == 0 && kel_doc_get_type(doc) == KEL_DOC_WITHDRAWAL && kel_doc_refers_to(doc))
		rc = log_withdrawal(s, work, doc);
	if (rc == 0 && added) {
		added->leaf = leaf;
		added->tree_size = kel_merkle_frontier_size(work);
	}
	return kel__store_end_append(s, work, rc);
}

int kel_store_add(kel_store *s, const char *xml, size_t len, kel_store_added *added)
{
	kel_store_prepared *p;
	int rc;

	if (added)
		memset(added, 0, sizeof *added);
	if (!s || !xml)
		return kel_fail(KEL_EINVAL, "kel_store_add: NULL argument");
	/* The caller's bytes outlive the call: no copy. */
	if ((rc = prepare(s, xml, len, 0, &p)) < 0)
		return rc;
	rc = kel_store_add_prepared(s, p, added);
	kel_store_prepared_free(p);
	return rc;
}
