/*
 * The evidence module, second half: checking a bundle offline (kel_evidence_verify). Nothing
 * of the operator's database is needed: the container, the trust anchors and this library.
 * Every problem names the entry it was found in ("documents/ID.xml: ...").
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libxml/tree.h>
#include <zip.h>

#include "kelisim/evidence.h"
#include "kelisim/doc.h"
#include "kelisim/kzid.h"
#include "kelisim/verify.h"
#include "buf_internal.h"
#include "doc_internal.h"
#include "error_internal.h"
#include "evidence_internal.h"
#include "xml_safe.h"

/* The largest entry read into memory (a document is at most 16 MiB). */
#define ENTRY_MAX (32u * 1024u * 1024u)

struct mline {
	char sha[65];
	char *name;
	int seen;
};

struct vdoc {
	char id[37], type[24], iin[13], day[11], refers_to[37], until[11], bin[13];
	int valid;
};

struct ventry {
	char iin[13];
	char *name;
	char basis_id[37], basis_date[11], notice_id[37], notice_date[11], status[24];
	int gap_consent, gap_notice, bad;
	char where[64];
};

struct kel_evidence_report {
	char **problems;
	size_t nproblems, capproblems;
	struct ventry *e;
	size_t ne, cape;
	size_t documents, parts;
	uint64_t tree_size;
	char manifest_sha[65];
	int ok, complete;
};

static void problem(kel_evidence_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(kel_evidence_report *r, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	r->ok = 0;
	if (r->nproblems == r->capproblems) {
		size_t cap = r->capproblems ? r->capproblems * 2 : 16;
		char **v = realloc(r->problems, cap * sizeof *v);
		if (!v)
			return;
		r->problems = v;
		r->capproblems = cap;
	}
	if ((r->problems[r->nproblems] = strdup(buf)) != NULL)
		r->nproblems++;
}

void kel_evidence_report_free(kel_evidence_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nproblems; i++)
		free(r->problems[i]);
	free(r->problems);
	for (size_t i = 0; i < r->ne; i++)
		free(r->e[i].name);
	free(r->e);
	free(r);
}

int kel_evidence_report_ok(const kel_evidence_report *r) { return r ? r->ok : 0; }
int kel_evidence_report_complete(const kel_evidence_report *r) { return r ? r->complete : 0; }
size_t kel_evidence_report_problem_count(const kel_evidence_report *r)
{
	return r ? r->nproblems : 0;
}

const char *kel_evidence_report_problem(const kel_evidence_report *r, size_t i)
{
	return r && i < r->nproblems ? r->problems[i] : NULL;
}

/* ---- Reading the container ---------------------------------------------------------- */

static int read_entry(zip_t *za, zip_uint64_t i, kel_buf *out)
{
	zip_stat_t st;
	zip_file_t *f;
	char buf[65536];
	zip_int64_t n = 0;
	int rc = 0;

	kel_buf_clear(out);
	if (zip_stat_index(za, i, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE))
		return -1;
	if (st.size > ENTRY_MAX)
		return -2;
	if (!(f = zip_fopen_index(za, i, 0)))
		return -1;
	while (rc == 0 && (n = zip_fread(f, buf, sizeof buf)) > 0)
		rc = kel_buf_put(out, buf, (size_t)n);
	if (n < 0)
		rc = -1;
	zip_fclose(f);
	if (rc == 0 && out->ptr == NULL)
		rc = kel_buf_puts(out, "");
	return rc < 0 ? -1 : 0;
}

/* ETSI EN 319 162-1: the first local header is "mimetype", stored, no extra field, exact. */
static void check_mimetype(kel_evidence_report *r, const char *path)
{
	static const char want[] = KEL_ASICE_MIMETYPE;
	unsigned char h[30 + 8 + sizeof want];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(h, 1, sizeof h, f) : 0;

	if (f)
		fclose(f);
	if (n < 38 || memcmp(h, "PK\003\004", 4) != 0) {
		problem(r, "container: not a ZIP file with a local header first");
		return;
	}
	if (memcmp(h + 30, "mimetype", 8) != 0 || h[26] != 8 || h[27] != 0) {
		problem(r, "mimetype: not the first entry of the container");
		return;
	}
	if (h[8] != 0 || h[9] != 0)
		problem(r, "mimetype: compressed (it must be stored)");
	if (h[28] != 0 || h[29] != 0)
		problem(r, "mimetype: has an extra field");
	if (h[6] & 8)
		problem(r, "mimetype: uses a data descriptor");
	if (n < sizeof h - 1 || memcmp(h + 38, want, sizeof want - 1) != 0 ||
	    h[18] != sizeof want - 1 || h[19] || h[20] || h[21])
		problem(r, "mimetype: content is not exactly '%s'", want);
}

static int cmp_mline(const void *a, const void *b)
{
	return strcmp(((const struct mline *)a)->name, ((const struct mline *)b)->name);
}

static struct mline *find_line(struct mline *v, size_t n, const char *name)
{
	struct mline key;
	key.name = (char *)name;
	return n ? bsearch(&key, v, n, sizeof *v, cmp_mline) : NULL;
}

static void parse_manifest(kel_evidence_report *r, const kel_buf *m, struct mline **out,
	size_t *nout)
{
	struct mline *v = NULL;
	size_t n = 0, cap = 0;
	const char *p = m->ptr, *end = m->ptr + m->size;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (len < 67 || p[64] != ' ' || p[65] != ' ' || strspn(p, "0123456789abcdef") < 64) {
			problem(r, KEL_EV_MANIFEST ": line %zu is not 'SHA256  PATH'", n + 1);
			break;
		}
		if (n == cap) {
			struct mline *nv;
			cap = cap ? cap * 2 : 256;
			if (!(nv = realloc(v, cap * sizeof *v)))
				break;
			v = nv;
		}
		memcpy(v[n].sha, p, 64);
		v[n].sha[64] = '\0';
		v[n].seen = 0;
		if (!(v[n].name = strndup(p + 66, len - 66)))
			break;
		n++;
		p += len + 1;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_mline);
	for (size_t i = 1; i < n; i++)
		if (strcmp(v[i].name, v[i - 1].name) == 0)
			problem(r, KEL_EV_MANIFEST ": lists '%s' twice", v[i].name);
	*out = v;
	*nout = n;
}

/* The full paths the ODF manifest lists, sorted, so that each entry is one lookup. */
struct odf_list {
	char **v;
	size_t n;
	int present;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void parse_odf(struct odf_list *o, const kel_buf *text)
{
	static const char key[] = "manifest:full-path=\"";
	size_t cap = 0;

	o->present = 1;
	for (const char *p = text->ptr; p && (p = strstr(p, key)) != NULL; ) {
		const char *q;
		p += sizeof key - 1;
		if (!(q = strchr(p, '"')))
			break;
		if (o->n == cap) {
			char **nv;
			cap = cap ? cap * 2 : 256;
			if (!(nv = realloc(o->v, cap * sizeof *nv)))
				break;
			o->v = nv;
		}
		if (!(o->v[o->n] = strndup(p, (size_t)(q - p))))
			break;
		o->n++;
		p = q + 1;
	}
	if (o->n > 1)
		qsort(o->v, o->n, sizeof *o->v, cmp_str);
}

static int odf_has(const struct odf_list *o, const char *name)
{
	return o->n && bsearch(&name, o->v, o->n, sizeof *o->v, cmp_str) != NULL;
}

static void odf_free(struct odf_list *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->v[i]);
	free(o->v);
}

/* ---- Documents, proofs, the head ---------------------------------------------------- */

static int cmp_vdoc(const void *a, const void *b)
{
	return strcmp(((const struct vdoc *)a)->id, ((const struct vdoc *)b)->id);
}

static struct vdoc *find_doc(struct vdoc *v, size_t n, const char *id)
{
	struct vdoc key;
	snprintf(key.id, sizeof key.id, "%s", id);
	return n ? bsearch(&key, v, n, sizeof *v, cmp_vdoc) : NULL;
}

/* A problem with a signed document, in a few words for the table. */
static void sig_problem(kel_evidence_report *r, const char *name, const kel_report *rep)
{
	const char *why = kel_report_document_problem(rep);
	for (size_t i = 0; !why && i < kel_report_count(rep); i++) {
		const kel_sig_result *s = kel_report_signature(rep, i);
		if (kel_sig_indication(s) != KEL_INDICATION_PASSED)
			why = kel_sig_message(s) ? kel_sig_message(s) : kel_sig_subindication(s);
	}
	problem(r, "%s: signature not valid: %s%s%s", name,
		kel_indication_name(kel_report_indication(rep)), why ? ": " : "", why ? why : "");
}

static int check_document(kel_evidence_report *r, const char *name, const kel_buf *xml,
	const char *trust_file, const char *trust_dir, struct vdoc *d, kel_doc **keep)
{
	kel_verify_options vo = KEL_VERIFY_OPTIONS_INIT;
	kel_report *rep = NULL;
	kel_doc *doc = NULL;
	int rc;

	memset(d, 0, sizeof *d);
	vo.trust_file = trust_file;
	vo.trust_dir = trust_dir;
	if ((rc = kel_verify(&rep, xml->ptr, xml->size, &vo)) < 0)
		return rc;
	if (kel_report_indication(rep) != KEL_INDICATION_PASSED || !kel_report_is_kelisim(rep))
		sig_problem(r, name, rep);
	else
		d->valid = 1;
	kel_report_free(rep);
	if (kel_doc_parse(&doc, xml->ptr, xml->size) < 0) {
		const kel_error *e = kel_error_last();
		problem(r, "%s: not a valid kelisim document: %s", name, e ? e->message : "");
		kel_error_clear();
		d->valid = 0;
		return 0;
	}
	snprintf(d->id, sizeof d->id, "%s", kel_doc_id(doc));
	snprintf(d->type, sizeof d->type, "%s", kel_doc_type_name(kel_doc_get_type(doc)));
	snprintf(d->iin, sizeof d->iin, "%s", kel_doc_subject_iin(doc));
	snprintf(d->bin, sizeof d->bin, "%s", kel_doc_operator_bin(doc));
	if (kel_doc_refers_to(doc))
		snprintf(d->refers_to, sizeof d->refers_to, "%s", kel_doc_refers_to(doc));
	kel__ev_kz_day(kel_doc_issued_at(doc), d->day);
	{
		xmlNodePtr c = kel__xml_child(xmlDocGetRootElement(doc->xml), "Content");
		const char *u = kel__xml_text(kel__xml_child(kel__xml_child(kel__xml_child(c, "Terms"),
			"Period"), "Until"));
		if (u)
			snprintf(d->until, sizeof d->until, "%s", u);
	}
	if (keep)
		*keep = doc;
	else
		kel_doc_free(doc);
	return 0;
}

static int read_named(zip_t *za, const char *name, kel_buf *out)
{
	zip_int64_t i = zip_name_locate(za, name, 0);
	return i < 0 ? -1 : read_entry(za, (zip_uint64_t)i, out);
}

static int check_head(kel_evidence_report *r, zip_t *za, const char *trust_file,
	const char *trust_dir, kel_merkle_head *head)
{
	kel_buf text = KEL_BUF_INIT, sig = KEL_BUF_INIT, certs = KEL_BUF_INIT;
	kel_store_signed_head h;
	int ok = 0;

	if (read_named(za, KEL_EV_HEAD, &text) < 0) {
		problem(r, KEL_EV_HEAD ": missing");
		goto done;
	}
	if (read_named(za, KEL_EV_HEAD_SIG, &sig) < 0) {
		problem(r, KEL_EV_HEAD_SIG ": missing");
		goto done;
	}
	if (read_named(za, KEL_EV_HEAD_CERTS, &certs) < 0) {
		problem(r, KEL_EV_HEAD_CERTS ": missing");
		goto done;
	}
	if (kel_merkle_head_parse(head, text.ptr, text.size) < 0) {
		problem(r, KEL_EV_HEAD ": not a tree head: %s", kel_error_last() ?
			kel_error_last()->message : "");
		goto done;
	}
	memset(&h, 0, sizeof h);
	h.number = 1;
	h.head = *head;
	h.signature = (const unsigned char *)sig.ptr;
	h.signature_len = sig.size;
	h.cert = (const unsigned char *)certs.ptr;
	h.cert_len = certs.size;
	if (kel_store_head_verify(&h, trust_file, trust_dir) < 0) {
		problem(r, KEL_EV_HEAD_SIG ": the tree head's signature does not hold: %s",
			kel_error_last() ? kel_error_last()->message : "");
		goto done;
	}
	ok = 1;
done:
	kel_error_clear();
	kel_buf_dispose(&text);
	kel_buf_dispose(&sig);
	kel_buf_dispose(&certs);
	return ok;
}

/* An entry line "key value\n" of a log entry. */
static int entry_has(const char *entry, const char *key, const char *value)
{
	char line[160];
	snprintf(line, sizeof line, "%s %s\n", key, value);
	return strstr(entry, line) != NULL;
}

static void check_proof(kel_evidence_report *r, const char *name, const kel_buf *json,
	const kel_merkle_head *head, int head_ok, struct mline *m, size_t nm)
{
	json_error_t jerr;
	json_t *root = json_loadb(json->ptr, json->size, JSON_REJECT_DUPLICATES, &jerr), *path, *v;
	kel_merkle_proof *proof = NULL;
	unsigned char leaf[KEL_MERKLE_HASH_SIZE];
	const char *doc, *entry;
	char docname[96];
	struct mline *line;
	size_t i;

	if (!root || !json_is_object(root)) {
		problem(r, "%s: not a JSON proof", name);
		goto done;
	}
	doc = json_string_value(json_object_get(root, "document"));
	entry = json_string_value(json_object_get(root, "entry"));
	path = json_object_get(root, "path");
	if (!doc || !entry || !json_is_array(path) ||
	    !json_is_integer(json_object_get(root, "leaf_index")) ||
	    !json_is_integer(json_object_get(root, "tree_size"))) {
		problem(r, "%s: incomplete proof", name);
		goto done;
	}
	snprintf(docname, sizeof docname, "proofs/%.40s.json", doc);
	if (strcmp(docname, name) != 0)
		problem(r, "%s: proves document '%.40s'", name, doc);
	snprintf(docname, sizeof docname, "documents/%.40s.xml", doc);
	line = find_line(m, nm, docname);
	/* The leaf must be the document's "stored" event with the digest of these bytes. */
	if (!line || !entry_has(entry, "event", "stored") || !entry_has(entry, "document", doc) ||
	    !entry_has(entry, "sha256", line->sha)) {
		problem(r, "%s: the log entry is not the 'stored' event of %s with its digest", name,
			docname);
		goto done;
	}
	if (!head_ok)
		goto done;
	if ((uint64_t)json_integer_value(json_object_get(root, "tree_size")) != head->size) {
		problem(r, "%s: against a tree of %" PRId64 " leaves, not the signed head's %" PRIu64,
			name, (int64_t)json_integer_value(json_object_get(root, "tree_size")), head->size);
		goto done;
	}
	if (json_array_size(path) > KEL_MERKLE_PROOF_MAX ||
	    kel_merkle_proof_new(&proof, json_array_size(path)) < 0) {
		problem(r, "%s: path too long", name);
		goto done;
	}
	json_array_foreach(path, i, v) {
		if (!json_is_string(v) || kel_merkle_hash_from_hex(proof->hash[i],
		    json_string_value(v), strlen(json_string_value(v))) < 0) {
			problem(r, "%s: path[%zu] is not a hash", name, i);
			goto done;
		}
	}
	if (kel_merkle_leaf_hash(leaf, entry, strlen(entry)) < 0 ||
	    kel_merkle_verify_inclusion(leaf, (uint64_t)json_integer_value(json_object_get(root,
	    "leaf_index")), head->size, proof, head->root) < 0)
		problem(r, "%s: inclusion proof does not lead to the signed head's root", name);
done:
	kel_error_clear();
	kel_merkle_proof_free(proof);
	json_decref(root);
}

/* ---- Statements and their claims ------------------------------------------------------- */

struct stmt {
	char name[64];
	long number, of;
	char day[11];
};

static void read_statement(kel_evidence_report *r, const char *name, kel_doc *doc,
	struct stmt *st)
{
	xmlNodePtr c = kel__xml_child(xmlDocGetRootElement(doc->xml), "Content");
	xmlNodePtr s = kel__xml_child(c, "Statement");
	xmlNodePtr part = kel__xml_child(s, "Part");
	xmlChar *sha = xmlGetProp(kel__xml_child(s, "Manifest"), BAD_CAST "SHA256");
	xmlChar *num = xmlGetProp(part, BAD_CAST "Number"), *of = xmlGetProp(part, BAD_CAST "Of");

	snprintf(st->name, sizeof st->name, "%s", name);
	st->number = num ? strtol((const char *)num, NULL, 10) : 0;
	st->of = of ? strtol((const char *)of, NULL, 10) : 0;
	kel__ev_kz_day(kel_doc_issued_at(doc), st->day);
	if (!sha || strcmp((const char *)sha, r->manifest_sha) != 0)
		problem(r, "%s: states manifest digest %s, but " KEL_EV_MANIFEST " has %s", name,
			sha ? (const char *)sha : "(none)", r->manifest_sha);
	for (xmlNodePtr e = kel__xml_first_element(s); e; e = kel__xml_next_element(e)) {
		struct ventry *v;
		xmlNodePtr b, n;
		const char *t;
		if (strcmp((const char *)e->name, "Entry") != 0)
			continue;
		if (r->ne == r->cape) {
			size_t cap = r->cape ? r->cape * 2 : 64;
			struct ventry *nv = realloc(r->e, cap * sizeof *nv);
			if (!nv)
				break;
			r->e = nv;
			r->cape = cap;
		}
		v = &r->e[r->ne++];
		memset(v, 0, sizeof *v);
		snprintf(v->where, sizeof v->where, "%s", name);
		t = kel__xml_text(kel__xml_child(e, "IIN"));
		snprintf(v->iin, sizeof v->iin, "%s", t ? t : "");
		if ((t = kel__xml_text(kel__xml_child(e, "FullName"))) != NULL)
			v->name = strdup(t);
		t = kel__xml_text(kel__xml_child(e, "Status"));
		snprintf(v->status, sizeof v->status, "%s", t ? t : "");
		if ((b = kel__xml_child(e, "LawfulBasis")) != NULL) {
			xmlChar *id = xmlGetProp(b, BAD_CAST "DocumentId"), *d = xmlGetProp(b, BAD_CAST "Date");
			snprintf(v->basis_id, sizeof v->basis_id, "%s", id ? (const char *)id : "");
			snprintf(v->basis_date, sizeof v->basis_date, "%s", d ? (const char *)d : "");
			xmlFree(id);
			xmlFree(d);
		}
		if ((n = kel__xml_child(e, "TransferNotice")) != NULL) {
			xmlChar *id = xmlGetProp(n, BAD_CAST "DocumentId"), *d = xmlGetProp(n, BAD_CAST "Date");
			snprintf(v->notice_id, sizeof v->notice_id, "%s", id ? (const char *)id : "");
			snprintf(v->notice_date, sizeof v->notice_date, "%s", d ? (const char *)d : "");
			xmlFree(id);
			xmlFree(d);
		}
		v->gap_consent = !b;
		v->gap_notice = !n;
	}
	xmlFree(sha);
	xmlFree(num);
	xmlFree(of);
}

static int withdrawn(const struct vdoc *docs, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(docs[i].type, "withdrawal") == 0 && strcmp(docs[i].refers_to, id) == 0)
			return 1;
	return 0;
}

static int in_force(const struct vdoc *d, const struct vdoc *docs, size_t n, const char *day)
{
	return (strcmp(d->type, "consent") == 0 || strcmp(d->type, "cross-border-consent") == 0) &&
		!withdrawn(docs, n, d->id) && !(d->until[0] && strcmp(d->until, day) < 0);
}

static int cmp_entry_iin(const void *a, const void *b)
{
	return strcmp(((const struct ventry *)a)->iin, ((const struct ventry *)b)->iin);
}

static int cmp_vdoc_iin(const void *a, const void *b)
{
	const struct vdoc *x = a, *y = b;
	int c = strcmp(x->iin, y->iin);
	return c ? c : strcmp(x->id, y->id);
}

static void check_claims(kel_evidence_report *r, struct vdoc *docs, size_t ndocs,
	const char *day)
{
	struct vdoc *by_iin = NULL;

	/* The documents by subject too, so that each entry looks at its own only. */
	if (ndocs && (by_iin = malloc(ndocs * sizeof *by_iin)) != NULL) {
		memcpy(by_iin, docs, ndocs * sizeof *by_iin);
		qsort(by_iin, ndocs, sizeof *by_iin, cmp_vdoc_iin);
	}
	for (size_t i = 0; i < r->ne; i++) {
		struct ventry *v = &r->e[i];
		const struct vdoc *d;
		size_t lo = 0, hi = ndocs;
		if (v->basis_id[0]) {
			d = find_doc(docs, ndocs, v->basis_id);
			if (!d) {
				problem(r, "%s: %s: lawful basis %s is not in the bundle", v->where, v->iin,
					v->basis_id);
				v->bad = 1;
			} else if (strcmp(d->iin, v->iin) != 0 || strcmp(d->day, v->basis_date) != 0 ||
			    !in_force(d, docs, ndocs, day)) {
				problem(r, "%s: %s: lawful basis %s does not match the document (subject "
					"%s, %s of %s%s)", v->where, v->iin, v->basis_id, d->iin, d->type,
					d->day, in_force(d, docs, ndocs, day) ? "" : ", not in force");
				v->bad = 1;
			}
		}
		if (v->notice_id[0]) {
			d = find_doc(docs, ndocs, v->notice_id);
			if (!d) {
				problem(r, "%s: %s: transfer notice %s is not in the bundle", v->where, v->iin,
					v->notice_id);
				v->bad = 1;
			} else if (strcmp(d->iin, v->iin) != 0 || strcmp(d->day, v->notice_date) != 0 ||
			    strcmp(d->type, "transfer-notice") != 0) {
				problem(r, "%s: %s: transfer notice %s does not match the document (subject "
					"%s, %s of %s)", v->where, v->iin, v->notice_id, d->iin, d->type, d->day);
				v->bad = 1;
			}
		}
		if (!by_iin)
			continue;
		/* A gap claimed must be real: no document of the subject contradicts it. */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (strcmp(by_iin[mid].iin, v->iin) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t k = lo; k < ndocs && strcmp(by_iin[k].iin, v->iin) == 0; k++) {
			if (v->gap_consent && in_force(&by_iin[k], docs, ndocs, day)) {
				problem(r, "%s: %s: claims no consent in force, but documents/%s.xml is one",
					v->where, v->iin, by_iin[k].id);
				v->bad = 1;
			}
			if (v->gap_notice && strcmp(by_iin[k].type, "transfer-notice") == 0) {
				problem(r, "%s: %s: claims no transfer notice, but documents/%s.xml is one",
					v->where, v->iin, by_iin[k].id);
				v->bad = 1;
			}
		}
	}
	free(by_iin);
	/* Every document belongs to a subject the statement speaks of, once. */
	if (r->ne > 1)
		qsort(r->e, r->ne, sizeof *r->e, cmp_entry_iin);
	for (size_t i = 1; i < r->ne; i++)
		if (strcmp(r->e[i].iin, r->e[i - 1].iin) == 0)
			problem(r, "%s: subject %s is stated twice", r->e[i].where, r->e[i].iin);
	for (size_t k = 0; k < ndocs; k++) {
		struct ventry key;
		snprintf(key.iin, sizeof key.iin, "%s", docs[k].iin);
		if (!r->ne || !bsearch(&key, r->e, r->ne, sizeof *r->e, cmp_entry_iin))
			problem(r, "documents/%s.xml: its subject %s is not in the statement", docs[k].id,
				docs[k].iin);
	}
}

/* ---- The whole check ------------------------------------------------------------------- */

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

int kel_evidence_verify(kel_evidence_report **out, const char *path, const char *trust_file,
	const char *trust_dir)
{
	kel_evidence_report *r;
	zip_t *za = NULL;
	kel_buf buf = KEL_BUF_INIT;
	struct odf_list odf = { NULL, 0, 0 };
	struct mline *m = NULL;
	size_t nm = 0, ndocs = 0, capdocs = 0, nst = 0;
	struct vdoc *docs = NULL;
	struct stmt *sts = NULL;
	kel_merkle_head head;
	char day[11] = "";
	int err = 0, head_ok, rc = 0;
	zip_int64_t n;

	if (!out || !path)
		return kel_fail(KEL_EINVAL, "kel_evidence_verify: NULL argument");
	*out = NULL;
	if (!(r = calloc(1, sizeof *r)))
		return kel_fail(KEL_ENOMEM, "out of memory");
	r->ok = 1;
	memset(&head, 0, sizeof head);
	check_mimetype(r, path);
	if (!(za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err))) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, err);
		problem(r, "container: cannot be read as ZIP: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto verdict;
	}
	/* The manifest first: every other entry is judged against it. */
	if (read_named(za, KEL_EV_MANIFEST, &buf) < 0) {
		problem(r, KEL_EV_MANIFEST ": missing");
	} else {
		kel__ev_sha256_hex(r->manifest_sha, buf.ptr, buf.size);
		parse_manifest(r, &buf, &m, &nm);
	}
	head_ok = check_head(r, za, trust_file, trust_dir, &head);
	r->tree_size = head_ok ? head.size : 0;
	if (read_named(za, KEL_EV_ODF_MANIFEST, &buf) < 0)
		problem(r, KEL_EV_ODF_MANIFEST ": missing (ASiC-E requires it)");
	else
		parse_odf(&odf, &buf);

	n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
		char sha[65];
		struct mline *line;
		zip_stat_t zst;
		int got;

		/* Folders that a ZIP tool adds when the bundle is repacked carry nothing. */
		if (!name || (ends(name, "/") && zip_stat_index(za, (zip_uint64_t)i, 0, &zst) == 0 &&
		    zst.size == 0))
			continue;
		if (strcmp(name, "mimetype") == 0 && i != 0)
			problem(r, "mimetype: not the first entry");
		if (strcmp(name, KEL_EV_MANIFEST) == 0)
			continue;
		got = read_entry(za, (zip_uint64_t)i, &buf);
		if (got < 0) {
			problem(r, "%s: cannot be read%s", name, got == -2 ? " (too large)" : "");
			continue;
		}
		if (odf.present && strcmp(name, "mimetype") != 0 && !starts(name, "META-INF/") &&
		    !odf_has(&odf, name))
			problem(r, "%s: not listed in " KEL_EV_ODF_MANIFEST, name);
		if (starts(name, "statement/") && ends(name, ".xml")) {
			struct vdoc d;
			kel_doc *doc = NULL;
			struct stmt *ns = realloc(sts, (nst + 1) * sizeof *sts);
			if (!ns) {
				rc = kel_fail(KEL_ENOMEM, "out of memory");
				goto done;
			}
			sts = ns;
			if ((rc = check_document(r, name, &buf, trust_file, trust_dir, &d, &doc)) < 0)
				goto done;
			if (doc && kel_doc_get_type(doc) != KEL_DOC_EVIDENCE_STATEMENT)
				problem(r, "%s: not an evidence-statement", name);
			else if (doc)
				read_statement(r, name, doc, &sts[nst++]);
			kel_doc_free(doc);
			continue;
		}
		kel__ev_sha256_hex(sha, buf.ptr, buf.size);
		line = find_line(m, nm, name);
		if (!line) {
			problem(r, "%s: not listed in the manifest (an added file)", name);
			continue;
		}
		line->seen = 1;
		if (strcmp(line->sha, sha) != 0)
			problem(r, "%s: SHA-256 differs from the manifest (the file was changed)", name);
		if (starts(name, "documents/") && ends(name, ".xml")) {
			struct vdoc d;
			if ((rc = check_document(r, name, &buf, trust_file, trust_dir, &d, NULL)) < 0)
				goto done;
			if (d.id[0] && (strlen(name) != 10 + 36 + 4 || strncmp(name + 10, d.id, 36) != 0))
				problem(r, "%s: holds document %s (another document under this name)", name,
					d.id);
			if (ndocs == capdocs) {
				struct vdoc *nv;
				capdocs = capdocs ? capdocs * 2 : 256;
				if (!(nv = realloc(docs, capdocs * sizeof *nv))) {
					rc = kel_fail(KEL_ENOMEM, "out of memory");
					goto done;
				}
				docs = nv;
			}
			if (d.id[0])
				docs[ndocs++] = d;
		} else if (starts(name, "proofs/") && ends(name, ".json")) {
			check_proof(r, name, &buf, &head, head_ok, m, nm);
		} else if (starts(name, "reports/") && ends(name, ".json")) {
			json_t *j = json_loadb(buf.ptr, buf.size, 0, NULL);
			if (!j || !json_is_string(json_object_get(j, "indication")))
				problem(r, "%s: not a verification report", name);
			else if (strcmp(json_string_value(json_object_get(j, "indication")),
			    "TOTAL-PASSED") != 0)
				problem(r, "%s: the report says %s", name,
					json_string_value(json_object_get(j, "indication")));
			json_decref(j);
		} else if (strcmp(name, "mimetype") != 0 && !starts(name, "META-INF/") &&
		    strcmp(name, KEL_EV_HEAD) != 0 && strcmp(name, KEL_EV_HEAD_SIG) != 0 &&
		    strcmp(name, KEL_EV_HEAD_CERTS) != 0) {
			problem(r, "%s: not an entry of a kelisim bundle", name);
		}
	}
	for (size_t i = 0; i < nm; i++)
		if (!m[i].seen)
			problem(r, "%s: listed in the manifest but missing from the container", m[i].name);
	/* Every document has its report and its proof. */
	for (size_t i = 0; i < ndocs; i++) {
		char name[96];
		snprintf(name, sizeof name, "proofs/%s.json", docs[i].id);
		if (!find_line(m, nm, name))
			problem(r, "documents/%s.xml: no inclusion proof", docs[i].id);
		snprintf(name, sizeof name, "reports/%s.json", docs[i].id);
		if (!find_line(m, nm, name))
			problem(r, "documents/%s.xml: no verification report", docs[i].id);
	}
	if (ndocs > 1)
		qsort(docs, ndocs, sizeof *docs, cmp_vdoc);
	for (size_t i = 1; i < ndocs; i++)
		if (strcmp(docs[i].id, docs[i - 1].id) == 0)
			problem(r, "documents/%s.xml: twice in the container", docs[i].id);
	r->documents = ndocs;

	/* The statement's parts: 1..M, each once, all saying M. */
	if (nst == 0) {
		problem(r, "statement/statement-001.xml: missing (no cover statement)");
	} else {
		long of = sts[0].of;
		snprintf(day, sizeof day, "%s", sts[0].day);
		for (size_t i = 0; i < nst; i++) {
			char want[64];
			snprintf(want, sizeof want, "statement/statement-%03ld.xml", sts[i].number);
			if (sts[i].of != of)
				problem(r, "%s: part %ld of %ld, but another part says of %ld", sts[i].name,
					sts[i].number, sts[i].of, of);
			if (strcmp(want, sts[i].name) != 0)
				problem(r, "%s: is part %ld", sts[i].name, sts[i].number);
			if (strcmp(sts[i].day, day) > 0)
				snprintf(day, sizeof day, "%s", sts[i].day);
		}
		for (long p = 1; p <= of && p <= 100000; p++) {
			int found = 0;
			for (size_t i = 0; i < nst; i++)
				found += sts[i].number == p;
			if (found != 1)
				problem(r, "statement/statement-%03ld.xml: %s (part %ld of %ld)", p,
					found ? "repeated" : "missing", p, of);
		}
		r->parts = (size_t)of;
	}
	check_claims(r, docs, ndocs, day);

verdict:
	r->complete = r->ok;
	for (size_t i = 0; i < r->ne; i++)
		if (r->e[i].gap_consent || r->e[i].gap_notice)
			r->complete = 0;
	if (r->ne == 0)
		r->complete = 0;
	*out = r;
	r = NULL;
done:
	kel_error_clear();
	if (za)
		zip_discard(za);
	for (size_t i = 0; i < nm; i++)
		free(m[i].name);
	free(m);
	free(docs);
	free(sts);
	kel_buf_dispose(&buf);
	odf_free(&odf);
	kel_evidence_report_free(r);
	return rc;
}

/* ---- Output ------------------------------------------------------------------------------ */

static const char *entry_verdict(const struct ventry *v)
{
	return v->bad ? "FAILED" : (v->gap_consent || v->gap_notice) ? "gap" : "ok";
}

int kel_evidence_report_to_text(const kel_evidence_report *r, kel_buf *out)
{
	size_t gaps = 0;
	int rc;

	if (!r || !out)
		return kel_fail(KEL_EINVAL, "kel_evidence_report_to_text: NULL argument");
	kel_buf_clear(out);
	rc = kel_buf_printf(out, "%-12s  %-10s  %-10s  %-16s  %-6s  %s\n", "IIN", "consent",
		"notice", "status", "check", "name");
	for (size_t i = 0; rc == 0 && i < r->ne; i++) {
		const struct ventry *v = &r->e[i];
		gaps += (size_t)(v->gap_consent + v->gap_notice);
		rc = kel_buf_printf(out, "%-12s  %-10s  %-10s  %-16s  %-6s  %s\n", v->iin,
			v->basis_date[0] ? v->basis_date : "GAP", v->notice_date[0] ? v->notice_date :
			"GAP", v->status, entry_verdict(v), v->name ? v->name : "");
	}
	for (size_t i = 0; rc == 0 && i < r->nproblems; i++)
		rc = kel_buf_printf(out, "problem: %s\n", r->problems[i]);
	if (rc == 0)
		rc = kel_buf_printf(out, "verdict: %s: %zu subjects, %zu documents, %zu statement "
			"part%s, tree head of %" PRIu64 " leaves; %s (%zu gap%s)\n",
			r->ok ? "VALID" : "INVALID", r->ne, r->documents, r->parts,
			r->parts == 1 ? "" : "s", r->tree_size,
			r->complete ? "complete" : "incomplete", gaps, gaps == 1 ? "" : "s");
	return rc;
}

int kel_evidence_report_to_json(const kel_evidence_report *r, kel_buf *out)
{
	json_t *root, *subjects, *problems;
	char *s;
	int rc;

	if (!r || !out)
		return kel_fail(KEL_EINVAL, "kel_evidence_report_to_json: NULL argument");
	root = json_object();
	subjects = json_array();
	problems = json_array();
	for (size_t i = 0; i < r->ne; i++) {
		const struct ventry *v = &r->e[i];
		json_t *e = json_object(), *gaps = json_array();
		json_object_set_new(e, "iin", json_string(v->iin));
		json_object_set_new(e, "name", v->name ? json_string(v->name) : json_null());
		json_object_set_new(e, "consent", v->basis_id[0] ? json_pack("{s:s,s:s}", "id",
			v->basis_id, "date", v->basis_date) : json_null());
		json_object_set_new(e, "notice", v->notice_id[0] ? json_pack("{s:s,s:s}", "id",
			v->notice_id, "date", v->notice_date) : json_null());
		json_object_set_new(e, "status", json_string(v->status));
		if (v->gap_consent)
			json_array_append_new(gaps, json_string("no-consent-in-force"));
		if (v->gap_notice)
			json_array_append_new(gaps, json_string("no-transfer-notice"));
		json_object_set_new(e, "gaps", gaps);
		json_object_set_new(e, "check", json_string(entry_verdict(v)));
		json_array_append_new(subjects, e);
	}
	for (size_t i = 0; i < r->nproblems; i++)
		json_array_append_new(problems, json_string(r->problems[i]));
	json_object_set_new(root, "verdict", json_string(r->ok ? "VALID" : "INVALID"));
	json_object_set_new(root, "complete", json_boolean(r->complete));
	json_object_set_new(root, "documents", json_integer((json_int_t)r->documents));
	json_object_set_new(root, "statement_parts", json_integer((json_int_t)r->parts));
	json_object_set_new(root, "tree_size", json_integer((json_int_t)r->tree_size));
	json_object_set_new(root, "subjects", subjects);
	json_object_set_new(root, "problems", problems);
	s = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (!s)
		return kel_fail(KEL_ENOMEM, "out of memory");
	kel_buf_clear(out);
	rc = kel_buf_puts(out, s);
	if (rc == 0)
		rc = kel_buf_puts(out, "\n");
	free(s);
	return rc;
}
