/*
 * The evidence module, first half: the processor's requests (clause 4.8 of the processing
 * agreement) with their due dates, and the export of the evidence bundle as an ASiC-E
 * container. evidence_verify.c checks a bundle. docs/evidence.md describes both.
 *
 * The bundle is written entry by entry into one spool file beside nothing but the target's
 * folder (or $TMPDIR), and libzip then streams each entry from its slice of the spool, so
 * that memory does not grow with the number of documents.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <zip.h>

#include "kelisim/evidence.h"
#include "kelisim/doc.h"
#include "kelisim/kzid.h"
#include "kelisim/uuid.h"
#include "kelisim/verify.h"
#include "kelisim/xades.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "evidence_internal.h"
#include "request_ctx.h"
#include "store_backend.h"
#include "store_internal.h"
#include "text.h"
#include "xml_safe.h"

/* ---- Shared helpers ------------------------------------------------------------------- */

int kel__ev_kz_day(const char *utc, char out[11])
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (!utc || strlen(utc) != 20 || sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	kel__kz_date(timegm(&tm), out);
	return 0;
}

static time_t day_noon(const char *d)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (!d || !kel__date_is_valid(d) ||
	    sscanf(d, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	return timegm(&tm);
}

long kel__ev_days_between(const char *a, const char *b)
{
	time_t ta = day_noon(a), tb = day_noon(b);
	return ta && tb ? (long)((tb - ta) / 86400) : 0;
}

void kel__ev_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char md[32];
	unsigned int n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	kel_merkle_hash_to_hex(out, md);
}

/* ---- Requests ---------------------------------------------------------------------------- */

static const char requests_table[] =
	"CREATE TABLE IF NOT EXISTS evidence_requests (id TEXT PRIMARY KEY, received TEXT NOT NULL,"
	" due TEXT NOT NULL, reference TEXT NOT NULL, subjects TEXT, note TEXT,"
	" created_at TEXT NOT NULL, leaf BIGINT NOT NULL, closed_at TEXT, answer_sha256 TEXT,"
	" close_leaf BIGINT)";

static int ensure_table(kel_store *s)
{
	return kel__store_exec(s, requests_table, 0, NULL, NULL, NULL);
}

static kel__sql_val v_text(const char *s)
{
	kel__sql_val v = { KEL_SQL_NULL, 0, NULL, 0 };
	if (s) {
		v.type = KEL_SQL_TEXT;
		v.p = s;
		v.len = strlen(s);
	}
	return v;
}

static kel__sql_val v_int(int64_t i)
{
	kel__sql_val v = { KEL_SQL_INT, i, NULL, 0 };
	return v;
}

struct new_request {
	const char *id, *received, *due, *reference, *subjects, *note, *created_at;
};

static int insert_request(kel_store *s, uint64_t leaf, void *ctx)
{
	struct new_request *r = ctx;
	kel__sql_val p[8] = { v_text(r->id), v_text(r->received), v_text(r->due),
		v_text(r->reference), v_text(r->subjects), v_text(r->note), v_text(r->created_at),
		v_int((int64_t)leaf) };
	return kel__store_exec(s, "INSERT INTO evidence_requests (id, received, due, reference, "
		"subjects, note, created_at, leaf) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", 8, p, NULL, NULL);
}

int kel_evidence_request_add(kel_store *s, const char *received, const char *reference,
	const char *const *subjects, size_t nsubjects, const char *note, char id_out[37])
{
	struct new_request r;
	kel_buf list = KEL_BUF_INIT, record = KEL_BUF_INIT;
	char id[KEL_UUID_STRLEN + 1], due[11], created[21], sha[65], detail[64];
	const char *why;
	int rc;

	if (!s || !received || !reference || (nsubjects && !subjects))
		return kel_fail(KEL_EINVAL, "kel_evidence_request_add: NULL argument");
	if (!kel__date_is_valid(received))
		return kel_fail(KEL_EINVAL, "received: '%s' is not a date (YYYY-MM-DD)", received);
	if ((why = kel__text_problem(reference, 512)) != NULL)
		return kel_fail(KEL_EINVAL, "reference: %s", why);
	if (note && (why = kel__text_problem(note, 512)) != NULL)
		return kel_fail(KEL_EINVAL, "note: %s", why);
	for (size_t i = 0; i < nsubjects; i++) {
		if (kel_kzid_check_iin(subjects[i], &why) < 0) {
			rc = kel_fail(KEL_EINVAL, "subject '%.16s': %s", subjects[i], why);
			goto done;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(subjects[i], subjects[j]) == 0) {
				rc = kel_fail(KEL_EINVAL, "subject '%s': given twice", subjects[i]);
				goto done;
			}
		if ((rc = kel_buf_printf(&list, "%s%s", i ? " " : "", subjects[i])) < 0)
			goto done;
	}
	if (kel__date_add_days(received, KEL_EVIDENCE_DAYS, due) < 0) {
		rc = kel_fail(KEL_EINVAL, "received: '%s' is out of range", received);
		goto done;
	}
	if ((rc = kel_uuid7_generate(id)) < 0 || (rc = ensure_table(s)) < 0)
		goto done;
	kel__utc_format(kel__store_now(s), created);
	/* The log keeps a digest of the whole request, not the request: IINs are personal. */
	rc = kel_buf_printf(&record, "kelisim-evidence-request 1\nid %s\nreceived %s\ndue %s\n"
		"reference %s\nsubjects %s\nnote %s\ncreated %s\n", id, received, due, reference,
		nsubjects ? list.ptr : "all", note ? note : "", created);
	if (rc < 0)
		goto done;
	kel__ev_sha256_hex(sha, record.ptr, record.size);
	snprintf(detail, sizeof detail, "received %s due %s", received, due);
	r.id = id;
	r.received = received;
	r.due = due;
	r.reference = reference;
	r.subjects = nsubjects ? list.ptr : NULL;
	r.note = note;
	r.created_at = created;
	if ((rc = kel__store_append_event(s, "request-received", id, sha, detail, insert_request,
	    &r, NULL)) < 0)
		goto done;
	if (id_out)
		memcpy(id_out, id, sizeof id);
done:
	kel_buf_dispose(&list);
	kel_buf_dispose(&record);
	return rc;
}

/* Requests read into memory (the callback must not query the store: libpq cannot nest). */
struct req_row {
	char *col[9];       /* id received due reference subjects note created closed answer */
	uint64_t leaf;
};

struct req_rows {
	struct req_row *v;
	size_t n, cap;
	int oom;
};

static int row_request(void *ctx, int ncol, const kel__sql_val *col)
{
	struct req_rows *l = ctx;
	struct req_row *r;

	if (ncol < 10)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct req_row *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return kel_fail(KEL_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	r = &l->v[l->n++];
	memset(r, 0, sizeof *r);
	for (int i = 0; i < 9; i++)
		if (col[i].type == KEL_SQL_TEXT && !(r->col[i] = strdup((const char *)col[i].p)))
			l->oom = 1;
	r->leaf = col[9].type == KEL_SQL_INT ? (uint64_t)col[9].i : 0;
	return 0;
}

static void free_rows(struct req_rows *l)
{
	for (size_t i = 0; i < l->n; i++)
		for (int j = 0; j < 9; j++)
			free(l->v[i].col[j]);
	free(l->v);
}

static void fill_request(kel_evidence_request *q, const struct req_row *r, const char *today)
{
	memset(q, 0, sizeof *q);
	q->id = r->col[0];
	q->received = r->col[1];
	q->due = r->col[2];
	q->reference = r->col[3];
	q->subjects = r->col[4];
	q->note = r->col[5];
	q->created_at = r->col[6];
	q->closed_at = r->col[7];
	q->answer_sha256 = r->col[8];
	q->leaf = r->leaf;
	q->days_left = kel__ev_days_between(today, q->due);
	q->overdue = !q->closed_at && q->days_left < 0;
}

static const char *select_requests =
	"SELECT id, received, due, reference, subjects, note, created_at, closed_at, "
	"answer_sha256, leaf FROM evidence_requests";

static int request_order(const void *a, const void *b)
{
	const struct req_row *x = a, *y = b;
	int cx = x->col[7] != NULL, cy = y->col[7] != NULL, c;
	if (cx != cy)
		return cx - cy;               /* open first */
	if ((c = strcmp(x->col[2] ? x->col[2] : "", y->col[2] ? y->col[2] : "")) != 0)
		return c;                     /* earliest due first: overdue ones lead */
	if ((c = strcmp(x->col[1] ? x->col[1] : "", y->col[1] ? y->col[1] : "")) != 0)
		return c;
	return strcmp(x->col[0] ? x->col[0] : "", y->col[0] ? y->col[0] : "");
}

static int run_requests(kel_store *s, const char *id, int include_closed,
	kel_evidence_request_fn fn, void *ctx)
{
	struct req_rows l = { NULL, 0, 0, 0 };
	kel_buf sql = KEL_BUF_INIT;
	kel__sql_val p[1] = { v_text(id) };
	char today[11];
	int rc;

	if ((rc = ensure_table(s)) < 0)
		return rc;
	kel__kz_date(kel__store_now(s), today);
	rc = kel_buf_printf(&sql, "%s%s", select_requests, id ? " WHERE id = ?" :
		include_closed ? "" : " WHERE closed_at IS NULL");
	if (rc == 0)
		rc = kel__store_exec(s, sql.ptr, id ? 1 : 0, p, row_request, &l);
	if (rc == 0 && l.oom)
		rc = kel_fail(KEL_ENOMEM, "out of memory");
	if (rc == 0 && id && l.n == 0)
		rc = kel_fail(KEL_ENOTFOUND, "request '%s': not in the store", id);
	if (rc == 0 && l.n > 1)
		qsort(l.v, l.n, sizeof *l.v, request_order);
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		kel_evidence_request q;
		fill_request(&q, &l.v[i], today);
		rc = fn(ctx, &q);
	}
	free_rows(&l);
	kel_buf_dispose(&sql);
	return rc;
}

int kel_evidence_request_list(kel_store *s, int include_closed, kel_evidence_request_fn fn,
	void *ctx)
{
	if (!s || !fn)
		return kel_fail(KEL_EINVAL, "kel_evidence_request_list: NULL argument");
	return run_requests(s, NULL, include_closed, fn, ctx);
}

int kel_evidence_request_get(kel_store *s, const char *id, kel_evidence_request_fn fn,
	void *ctx)
{
	if (!s || !id || !fn)
		return kel_fail(KEL_EINVAL, "kel_evidence_request_get: NULL argument");
	return run_requests(s, id, 1, fn, ctx);
}

struct closing {
	char closed[21];
	char sha[65];
	const char *id;
	int has_answer;
	int was_closed;
};

static int note_closed(void *ctx, const kel_evidence_request *q)
{
	struct closing *c = ctx;
	c->was_closed = q->closed_at != NULL;
	return 0;
}

static int update_closed(kel_store *s, uint64_t leaf, void *ctx)
{
	struct closing *c = ctx;
	kel__sql_val p[4] = { v_text(c->closed), v_text(c->has_answer ? c->sha : NULL),
		v_int((int64_t)leaf), v_text(c->id) };
	return kel__store_exec(s, "UPDATE evidence_requests SET closed_at = ?, answer_sha256 = ?, "
		"close_leaf = ? WHERE id = ? AND closed_at IS NULL", 4, p, NULL, NULL);
}

int kel_evidence_request_close(kel_store *s, const char *id, const void *answer, size_t len)
{
	struct closing c;
	int rc;

	if (!s || !id || (!answer && len))
		return kel_fail(KEL_EINVAL, "kel_evidence_request_close: NULL argument");
	memset(&c, 0, sizeof c);
	if ((rc = kel_evidence_request_get(s, id, note_closed, &c)) < 0)
		return rc;
	if (c.was_closed)
		return kel_fail(KEL_EINVALID, "request '%s': already closed", id);
	c.id = id;
	c.has_answer = answer != NULL;
	kel__utc_format(kel__store_now(s), c.closed);
	kel__ev_sha256_hex(c.sha, answer ? answer : "", answer ? len : 0);
	return kel__store_append_event(s, "request-closed", id, answer ? c.sha : NULL,
		answer ? "answer recorded" : "closed without an answer file", update_closed, &c, NULL);
}

/* ---- Export: what is in scope ---------------------------------------------------------- */

struct bdoc {
	char id[37];
	char type[24];
	char issued[21];
};

struct subj {
	char iin[13];
	char *name;
	size_t first, ndocs;           /* its documents in the list */
	char basis_id[37], basis_issued[21], basis_notice[37], basis_notice_at[21];
	char latest_issued[21];
	kel_store_status latest_status;
	char notice_id[37], notice_issued[21];
	int has_consent;
};

struct scope {
	struct subj *subj;
	size_t nsubj, capsubj;
	struct bdoc *doc;
	size_t ndoc, capdoc;
	struct subj *cur;
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;
	size_t c;
	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 64;
	if (!(nv = realloc(*v, c * size)))
		return kel_fail(KEL_ENOMEM, "out of memory");
	*v = nv;
	*cap = c;
	return 0;
}

static int add_subject(struct scope *sc, const char *iin)
{
	int rc = grow((void **)&sc->subj, &sc->capsubj, sc->nsubj, sizeof *sc->subj);
	if (rc < 0)
		return rc;
	memset(&sc->subj[sc->nsubj], 0, sizeof *sc->subj);
	snprintf(sc->subj[sc->nsubj].iin, 13, "%s", iin);
	sc->nsubj++;
	return 0;
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* One of the subject's documents, as the store lists them. */
static int take_doc(void *ctx, const kel_store_entry *e)
{
	struct scope *sc = ctx;
	struct subj *u = sc->cur;
	struct bdoc *d;
	int rc, consent;

	if (!e->subject_iin || e->status == KEL_STATUS_ERASED)
		return 0;
	if ((rc = grow((void **)&sc->doc, &sc->capdoc, sc->ndoc, sizeof *sc->doc)) < 0)
		return rc;
	d = &sc->doc[sc->ndoc++];
	copy(d->id, sizeof d->id, e->id);
	copy(d->type, sizeof d->type, e->type);
	copy(d->issued, sizeof d->issued, e->issued_at);
	u->ndocs++;
	consent = strcmp(e->type, "consent") == 0 || strcmp(e->type, "cross-border-consent") == 0;
	if (consent) {
		/* The latest consent decides the status; the latest one in force is the basis. */
		if (!u->has_consent || strcmp(e->issued_at, u->latest_issued) >= 0) {
			copy(u->latest_issued, sizeof u->latest_issued, e->issued_at);
			u->latest_status = e->status;
		}
		u->has_consent = 1;
		if (e->status == KEL_STATUS_GIVEN && (!u->basis_id[0] ||
		    strcmp(e->issued_at, u->basis_issued) >= 0)) {
			copy(u->basis_id, sizeof u->basis_id, e->id);
			copy(u->basis_issued, sizeof u->basis_issued, e->issued_at);
			copy(u->basis_notice, sizeof u->basis_notice, e->notice_id);
			copy(u->basis_notice_at, sizeof u->basis_notice_at, e->notice_at);
		}
	} else if (strcmp(e->type, "transfer-notice") == 0) {
		if (!u->notice_id[0] || strcmp(e->issued_at, u->notice_issued) >= 0) {
			copy(u->notice_id, sizeof u->notice_id, e->id);
			copy(u->notice_issued, sizeof u->notice_issued, e->issued_at);
		}
	}
	return 0;
}

/* Subjects with a document in the window: every IIN the listing names, once. */
struct iin_set {
	char (*v)[13];
	size_t n, cap;
};

static int take_iin(void *ctx, const kel_store_entry *e)
{
	struct iin_set *set = ctx;
	int rc;
	if (!e->subject_iin || !e->subject_iin[0])
		return 0;
	if ((rc = grow((void **)&set->v, &set->cap, set->n, sizeof *set->v)) < 0)
		return rc;
	copy(set->v[set->n++], 13, e->subject_iin);
	return 0;
}

static int cmp_iin(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

struct req_scope {
	char *subjects;
	char reference[2100];
	char received[11];
	char id[37];
};

static int take_request(void *ctx, const kel_evidence_request *q)
{
	struct req_scope *r = ctx;
	r->subjects = q->subjects ? strdup(q->subjects) : NULL;
	copy(r->reference, sizeof r->reference, q->reference);
	copy(r->received, sizeof r->received, q->received);
	copy(r->id, sizeof r->id, q->id);
	return q->subjects && !r->subjects ? kel_fail(KEL_ENOMEM, "out of memory") : 0;
}

static int collect_all(kel_store *s, struct scope *sc, const char *since, const char *until)
{
	kel_store_filter f = KEL_STORE_FILTER_INIT;
	struct iin_set set = { NULL, 0, 0 };
	int rc;

	f.since = since;
	f.until = until;
	if ((rc = kel_store_list(s, &f, take_iin, &set)) == 0 && set.n) {
		qsort(set.v, set.n, sizeof *set.v, cmp_iin);
		for (size_t i = 0; rc == 0 && i < set.n; i++)
			if (i == 0 || strcmp(set.v[i], set.v[i - 1]) != 0)
				rc = add_subject(sc, set.v[i]);
	}
	free(set.v);
	return rc;
}

static const char *dpv_status(const struct subj *u)
{
	if (u->basis_id[0])
		return "ConsentGiven";
	if (u->has_consent && u->latest_status == KEL_STATUS_WITHDRAWN)
		return "ConsentWithdrawn";
	if (u->has_consent && u->latest_status == KEL_STATUS_EXPIRED)
		return "ConsentExpired";
	return "ConsentUnknown";
}

/* The transfer notice that answers for the subject: the basis's own, else the latest. */
static const char *notice_of(const struct subj *u, const char **issued)
{
	if (u->basis_notice[0]) {
		*issued = u->basis_notice_at;
		return u->basis_notice;
	}
	*issued = u->notice_issued;
	return u->notice_id[0] ? u->notice_id : NULL;
}

/* ---- Export: the spool and the container --------------------------------------------- */

struct spool;

/* One entry of the container: a slice of the spool file, read by libzip through zsrc_cb. */
struct zent {
	char *name;
	long off;
	size_t len;
	size_t pos;
	struct spool *sp;
};

struct spool {
	FILE *f;
	char path[4096];
	struct zent *v;
	size_t n, cap;
	long off;
	EVP_MD_CTX *manifest_md;
	FILE *manifest;          /* kelisim manifest lines, spooled */
	FILE *odf;               /* ODF manifest entries, spooled */
	zip_error_t err;
};

static int spool_put(struct spool *sp, const char *name, const void *data, size_t len,
	int in_manifest)
{
	struct zent *z;
	int rc;

	if ((rc = grow((void **)&sp->v, &sp->cap, sp->n, sizeof *sp->v)) < 0)
		return rc;
	if (len && fwrite(data, 1, len, sp->f) != len)
		return kel_fail(KEL_EIO, "spool '%s': %s", sp->path, strerror(errno));
	z = &sp->v[sp->n];
	if (!(z->name = strdup(name)))
		return kel_fail(KEL_ENOMEM, "out of memory");
	z->off = sp->off;
	z->len = len;
	sp->off += (long)len;
	sp->n++;
	if (in_manifest) {
		char sha[65], line[600];
		int n;
		kel__ev_sha256_hex(sha, data, len);
		/* sha256sum's format: "HASH  PATH", so 'sha256sum -c' checks an unpacked bundle. */
		n = snprintf(line, sizeof line, "%s  %s\n", sha, name);
		if (n < 0 || (size_t)n >= sizeof line)
			return kel_fail(KEL_EINVAL, "entry name too long");
		EVP_DigestUpdate(sp->manifest_md, line, (size_t)n);
		if (fwrite(line, 1, (size_t)n, sp->manifest) != (size_t)n)
			return kel_fail(KEL_EIO, "spool: %s", strerror(errno));
		if (strncmp(name, "META-INF/", 9) != 0 && strcmp(name, "mimetype") != 0)
			fprintf(sp->odf, " <manifest:file-entry manifest:full-path=\"%s\" "
				"manifest:media-type=\"%s\"/>\n", name,
				strstr(name, ".xml") ? "text/xml" : strstr(name, ".json") ?
				"application/json" : strstr(name, ".txt") ? "text/plain" :
				"application/octet-stream");
	}
	return 0;
}

/*
 * Add an entry made of head, the whole content of f, and tail, streamed into the spool (so
 * that a manifest of 60,000 lines is never held in memory), with its manifest line.
 */
static int spool_put_stream(struct spool *sp, const char *name, const char *head, FILE *f,
	const char *tail, int in_manifest)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char h[32];
	unsigned int hl = 0;
	char buf[16384], sha[65], line[600];
	long start = sp->off;
	size_t n, total = 0;
	struct zent *z;
	int rc = 0, len;

	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(md);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0)
		rc = kel_fail(KEL_EIO, "spool: %s", strerror(errno));
	for (int part = 0; rc == 0 && part < 3; part++) {
		if (part != 1) {
			const char *t = part == 0 ? head : tail;
			size_t tl = t ? strlen(t) : 0;
			if (tl && fwrite(t, 1, tl, sp->f) != tl)
				rc = kel_fail(KEL_EIO, "spool: %s", strerror(errno));
			EVP_DigestUpdate(md, t ? t : "", tl);
			total += tl;
			continue;
		}
		while (rc == 0 && (n = fread(buf, 1, sizeof buf, f)) > 0) {
			if (fwrite(buf, 1, n, sp->f) != n)
				rc = kel_fail(KEL_EIO, "spool: %s", strerror(errno));
			EVP_DigestUpdate(md, buf, n);
			total += n;
		}
	}
	EVP_DigestFinal_ex(md, h, &hl);
	EVP_MD_CTX_free(md);
	if (rc < 0)
		return rc;
	if ((rc = grow((void **)&sp->v, &sp->cap, sp->n, sizeof *sp->v)) < 0)
		return rc;
	z = &sp->v[sp->n];
	if (!(z->name = strdup(name)))
		return kel_fail(KEL_ENOMEM, "out of memory");
	z->off = start;
	z->len = total;
	sp->off += (long)total;
	sp->n++;
	if (in_manifest) {
		kel_merkle_hash_to_hex(sha, h);
		len = snprintf(line, sizeof line, "%s  %s\n", sha, name);
		EVP_DigestUpdate(sp->manifest_md, line, (size_t)len);
		if (fwrite(line, 1, (size_t)len, sp->manifest) != (size_t)len)
			return kel_fail(KEL_EIO, "spool: %s", strerror(errno));
	}
	return 0;
}

static void spool_close(struct spool *sp)
{
	if (sp->f)
		fclose(sp->f);
	if (sp->odf)
		fclose(sp->odf);
	if (sp->manifest)
		fclose(sp->manifest);
	if (sp->path[0])
		unlink(sp->path);
	for (size_t i = 0; i < sp->n; i++)
		free(sp->v[i].name);
	free(sp->v);
	EVP_MD_CTX_free(sp->manifest_md);
	zip_error_fini(&sp->err);
}

static int spool_open(struct spool *sp, const char *dir)
{
	int fd;

	memset(sp, 0, sizeof *sp);
	if (!dir)
		dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(sp->path, sizeof sp->path, "%s/kelisim-bundle-XXXXXX", dir);
	if ((fd = mkstemp(sp->path)) < 0) {
		sp->path[0] = '\0';
		return kel_fail(KEL_EIO, "spool in '%s': %s", dir, strerror(errno));
	}
	if (!(sp->f = fdopen(fd, "w+b"))) {
		close(fd);
		return kel_fail(KEL_EIO, "spool: %s", strerror(errno));
	}
	zip_error_init(&sp->err);
	if (!(sp->odf = tmpfile()) || !(sp->manifest = tmpfile()))
		return kel_fail(KEL_EIO, "spool: %s", strerror(errno));
	if (!(sp->manifest_md = EVP_MD_CTX_new()) ||
	    EVP_DigestInit_ex(sp->manifest_md, EVP_sha256(), NULL) != 1)
		return kel_fail(KEL_ENOMEM, "out of memory");
	return 0;
}

/* libzip reads each entry from its slice of the spool: no per-entry file handle or copy. */
static zip_int64_t zsrc_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct zent *z = ud;
	zip_stat_t *st;
	ssize_t n;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		z->pos = 0;
		return 0;
	case ZIP_SOURCE_READ:
		if (len > z->len - z->pos)
			len = z->len - z->pos;
		if (len == 0)
			return 0;
		n = pread(fileno(z->sp->f), data, (size_t)len, (off_t)(z->off + (long)z->pos));
		if (n < 0) {
			zip_error_set(&z->sp->err, ZIP_ER_READ, errno);
			return -1;
		}
		z->pos += (size_t)n;
		return n;
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_STAT:
		st = data;
		zip_stat_init(st);
		st->size = z->len;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof *st;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&z->sp->err, data, len);
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
			ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&z->sp->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* Write the spooled entries as the container at path (libzip renames it into place). */
static int write_zip(struct spool *sp, const char *path, time_t now)
{
	zip_t *za;
	int err = 0;

	if (fflush(sp->f) != 0)
		return kel_fail(KEL_EIO, "spool '%s': %s", sp->path, strerror(errno));
	if (!(za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err))) {
		zip_error_t ze;
		int rc;
		zip_error_init_with_code(&ze, err);
		rc = kel_fail(KEL_EIO, "'%s': %s", path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	for (size_t i = 0; i < sp->n; i++) {
		zip_source_t *src;
		zip_int64_t idx;
		sp->v[i].sp = sp;
		src = zip_source_function(za, zsrc_cb, &sp->v[i]);
		if (!src || (idx = zip_file_add(za, sp->v[i].name, src, ZIP_FL_ENC_UTF_8)) < 0) {
			int rc = kel_fail(KEL_EIO, "'%s': %s: %s", path, sp->v[i].name,
				zip_strerror(za));
			zip_source_free(src);
			zip_discard(za);
			return rc;
		}
		/* ETSI EN 319 162-1: "mimetype" first, stored (not compressed), no extra field. */
		zip_set_file_compression(za, (zip_uint64_t)idx, i == 0 ? ZIP_CM_STORE :
			ZIP_CM_DEFLATE, 0);
		zip_file_set_mtime(za, (zip_uint64_t)idx, now, 0);
		/* libzip keeps its own copy of the name. */
		free(sp->v[i].name);
		sp->v[i].name = NULL;
	}
	if (zip_close(za) < 0) {
		int rc = kel_fail(KEL_EIO, "'%s': %s", path, zip_strerror(za));
		zip_discard(za);
		return rc;
	}
	return 0;
}

/* ---- Export: the entries ---------------------------------------------------------------- */

/* The subject's full name from one of its documents (Content/Subject/FullName). */
static char *name_from(const kel_buf *xml)
{
	xmlDocPtr d = NULL;
	char *name = NULL;
	const char *t;

	if (kel__xml_parse(&d, xml->ptr, xml->size, "document") < 0) {
		kel_error_clear();
		return NULL;
	}
	t = kel__xml_text(kel__xml_child(kel__xml_child(kel__xml_child(xmlDocGetRootElement(d),
		"Content"), "Subject"), "FullName"));
	if (t && !kel__text_problem(t, KEL_TEXT_MAX))
		name = strdup(t);
	xmlFreeDoc(d);
	return name;
}

static int put_proof(kel_store *s, struct spool *sp, const char *id, uint64_t tree_size)
{
	kel_store_inclusion inc;
	kel_buf entry = KEL_BUF_INIT, out = KEL_BUF_INIT;
	char hex[65], name[96];
	int rc;

	if ((rc = kel_store_prove(s, id, tree_size, &inc)) < 0)
		return rc;
	if ((rc = kel_store_log_entry(s, inc.leaf, &entry)) < 0)
		goto done;
	rc = kel_buf_printf(&out, "{\n  \"format\": \"kelisim-inclusion-proof-1\",\n"
		"  \"document\": \"%s\",\n  \"leaf_index\": %" PRIu64 ",\n  \"tree_size\": %" PRIu64
		",\n  \"entry\": ", id, inc.leaf, tree_size);
	if (rc == 0) {
		json_t *str = json_stringn(entry.ptr, entry.size);
		char *esc = str ? json_dumps(str, JSON_ENCODE_ANY) : NULL;
		rc = esc ? kel_buf_puts(&out, esc) : kel_fail(KEL_ENOMEM, "out of memory");
		free(esc);
		json_decref(str);
	}
	if (rc == 0) {
		kel_merkle_hash_to_hex(hex, inc.leaf_hash);
		rc = kel_buf_printf(&out, ",\n  \"leaf_hash\": \"%s\",\n  \"path\": [", hex);
	}
	for (size_t i = 0; rc == 0 && i < inc.proof->count; i++) {
		kel_merkle_hash_to_hex(hex, inc.proof->hash[i]);
		rc = kel_buf_printf(&out, "%s\n    \"%s\"", i ? "," : "", hex);
	}
	if (rc == 0)
		rc = kel_buf_puts(&out, inc.proof->count ? "\n  ]\n}\n" : "]\n}\n");
	snprintf(name, sizeof name, "proofs/%s.json", id);
	if (rc == 0)
		rc = spool_put(sp, name, out.ptr, out.size, 1);
done:
	kel_store_inclusion_dispose(&inc);
	kel_buf_dispose(&entry);
	kel_buf_dispose(&out);
	return rc;
}

static int put_document(kel_store *s, struct spool *sp, struct subj *u, const struct bdoc *d,
	uint64_t tree_size, time_t now, const kel_evidence_export_options *o)
{
	kel_verify_options vo = KEL_VERIFY_OPTIONS_INIT;
	kel_report *report = NULL;
	kel_buf xml = KEL_BUF_INIT, json = KEL_BUF_INIT;
	char name[96];
	int rc;

	if ((rc = kel_store_get(s, d->id, &xml)) < 0)
		return rc;
	snprintf(name, sizeof name, "documents/%s.xml", d->id);
	if ((rc = spool_put(sp, name, xml.ptr, xml.size, 1)) < 0)
		goto done;
	if (!u->name && (strcmp(d->id, u->basis_id) == 0 || !u->basis_id[0]))
		u->name = name_from(&xml);
	vo.trust_file = o->trust_file || o->trust_dir ? o->trust_file : kel_store_trust_file(s);
	vo.trust_dir = o->trust_file || o->trust_dir ? o->trust_dir : kel_store_trust_dir(s);
	vo.validation_time = now;
	if ((rc = kel_verify(&report, xml.ptr, xml.size, &vo)) < 0 ||
	    (rc = kel_report_to_json(report, &json)) < 0)
		goto done;
	snprintf(name, sizeof name, "reports/%s.json", d->id);
	if ((rc = spool_put(sp, name, json.ptr, json.size, 1)) < 0)
		goto done;
	rc = put_proof(s, sp, d->id, tree_size);
done:
	kel_report_free(report);
	kel_buf_dispose(&xml);
	kel_buf_dispose(&json);
	return rc;
}

struct last_head {
	uint64_t number;
	kel_buf sig, certs;
	int rc;
};

static int take_head(void *ctx, const kel_store_signed_head *h)
{
	struct last_head *l = ctx;
	if (h->number < l->number)
		return 0;
	l->number = h->number;
	kel_buf_clear(&l->sig);
	kel_buf_clear(&l->certs);
	if (kel_buf_put(&l->sig, h->signature, h->signature_len) < 0 ||
	    kel_buf_put(&l->certs, h->cert, h->cert_len) < 0)
		return KEL_ENOMEM;
	return 0;
}

static int put_head(kel_store *s, struct spool *sp, const kel_key *key, kel_merkle_head *head)
{
	struct last_head l;
	kel_buf text = KEL_BUF_INIT;
	int rc;

	memset(&l, 0, sizeof l);
	if ((rc = kel_store_head_sign(s, key, head, NULL)) < 0)
		return rc;
	if ((rc = kel_store_heads(s, take_head, &l)) < 0)
		goto done;
	if ((rc = kel_merkle_head_serialize(&text, head)) < 0)
		goto done;
	if ((rc = spool_put(sp, KEL_EV_HEAD, text.ptr, text.size, 1)) == 0 &&
	    (rc = spool_put(sp, KEL_EV_HEAD_SIG, l.sig.ptr ? l.sig.ptr : "", l.sig.size, 1)) == 0)
		rc = spool_put(sp, KEL_EV_HEAD_CERTS, l.certs.ptr ? l.certs.ptr : "", l.certs.size, 1);
done:
	kel_buf_dispose(&text);
	kel_buf_dispose(&l.sig);
	kel_buf_dispose(&l.certs);
	return rc;
}

/* The operator and processor of the statement, from one of the bundle's documents. */
struct parties {
	json_t *op, *proc;
};

static json_t *party_json(xmlNodePtr n, int with_contact)
{
	json_t *o = json_object();
	const char *name = kel__xml_text(kel__xml_child(n, "Name"));
	const char *bin = kel__xml_text(kel__xml_child(n, "BIN"));
	const char *addr = kel__xml_text(kel__xml_child(n, "Address"));
	const char *contact = kel__xml_text(kel__xml_child(n, "Contact"));
	if (!o || !name || !bin || !addr || (with_contact && !contact)) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "bin", json_string(bin));
	json_object_set_new(o, "address", json_string(addr));
	if (with_contact)
		json_object_set_new(o, "contact", json_string(contact));
	return o;
}

static int first_consent(void *ctx, const kel_store_entry *e)
{
	if (!e->processor_bin)
		return 0;
	snprintf(ctx, 37, "%s", e->id);
	return 1;
}

static int parties_from(kel_store *s, const char *id, struct parties *p)
{
	kel_buf xml = KEL_BUF_INIT;
	xmlDocPtr d = NULL;

	if (kel_store_get(s, id, &xml) == 0 &&
	    kel__xml_parse(&d, xml.ptr, xml.size, "document") == 0) {
		xmlNodePtr c = kel__xml_child(xmlDocGetRootElement(d), "Content");
		if (!p->op)
			p->op = party_json(kel__xml_child(c, "Operator"), 1);
		if (!p->proc)
			p->proc = party_json(kel__xml_child(c, "Processor"), 0);
	}
	kel_error_clear();
	xmlFreeDoc(d);
	kel_buf_dispose(&xml);
	return 0;
}

static int find_parties(kel_store *s, const struct scope *sc, struct parties *p)
{
	char id[37] = "";

	for (size_t i = 0; i < sc->ndoc && !(p->op && p->proc); i++)
		parties_from(s, sc->doc[i].id, p);
	/* No document in scope (subjects the store does not know): the store's first consent. */
	if (!(p->op && p->proc)) {
		kel_store_filter f = KEL_STORE_FILTER_INIT;
		f.type = "consent";
		if (kel_store_list(s, &f, first_consent, id) < 0)
			kel_error_clear();
		if (id[0])
			parties_from(s, id, p);
	}
	if (!p->op || !p->proc)
		return kel_fail(KEL_EINVAL, "no document in scope names the operator and the "
			"processor: the statement cannot name its parties");
	return 0;
}

static int put_statement(struct spool *sp, const struct scope *sc, size_t part, size_t parts,
	const struct parties *pt, const json_t *request, const char *scope_kind,
	const kel_evidence_export_options *o, const char *manifest_sha, const kel_key *key,
	char id_out[37])
{
	json_t *root = json_object(), *st = json_object(), *subjects = json_array(), *langs;
	kel_doc_new_options dopts = KEL_DOC_NEW_OPTIONS_INIT;
	kel_sign_options so = KEL_SIGN_OPTIONS_INIT;
	kel_doc *doc = NULL;
	kel_buf out = KEL_BUF_INIT;
	char *json = NULL, name[64];
	json_t *scope = json_object();
	size_t first = (part - 1) * KEL_EV_PART_SIZE;
	int rc = 0;

	if (!root || !st || !subjects || !scope) {
		rc = kel_fail(KEL_ENOMEM, "out of memory");
		goto done;
	}
	json_object_set_new(root, "type", json_string("evidence-statement"));
	if ((langs = json_array()) != NULL) {
		const char *p = o->languages ? o->languages : "kk ru";
		while (*p) {
			size_t n = strcspn(p, " ,");
			if (n)
				json_array_append_new(langs, json_stringn(p, n));
			p += n;
			p += strspn(p, " ,");
		}
		json_object_set_new(root, "languages", langs);
	}
	json_object_set(root, "operator", pt->op);
	json_object_set(root, "processor", pt->proc);
	if (request)
		json_object_set(st, "request", (json_t *)request);
	json_object_set_new(scope, "kind", json_string(scope_kind));
	if (o->all && o->since && kel__date_is_valid(o->since))
		json_object_set_new(scope, "since", json_string(o->since));
	if (o->all && o->until && kel__date_is_valid(o->until))
		json_object_set_new(scope, "until", json_string(o->until));
	json_object_set_new(st, "scope", scope);
	scope = NULL;
	json_object_set_new(st, "part", json_integer((json_int_t)part));
	json_object_set_new(st, "parts", json_integer((json_int_t)parts));
	json_object_set_new(st, "manifest_sha256", json_string(manifest_sha));
	for (size_t i = first; i < sc->nsubj && i < first + KEL_EV_PART_SIZE; i++) {
		const struct subj *u = &sc->subj[i];
		json_t *e = json_object();
		const char *nissued = NULL, *nid = notice_of(u, &nissued);
		char day[11];
		json_object_set_new(e, "iin", json_string(u->iin));
		if (u->name)
			json_object_set_new(e, "name", json_string(u->name));
		if (u->basis_id[0] && kel__ev_kz_day(u->basis_issued, day) == 0)
			json_object_set_new(e, "consent", json_pack("{s:s,s:s}", "id", u->basis_id,
				"date", day));
		if (nid && kel__ev_kz_day(nissued, day) == 0)
			json_object_set_new(e, "notice", json_pack("{s:s,s:s}", "id", nid, "date", day));
		json_object_set_new(e, "status", json_string(dpv_status(u)));
		json_array_append_new(subjects, e);
	}
	json_object_set_new(st, "subjects", subjects);
	subjects = NULL;
	json_object_set_new(root, "statement", st);
	st = NULL;
	if (!(json = json_dumps(root, JSON_COMPACT))) {
		rc = kel_fail(KEL_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = kel_doc_new(&doc, json, strlen(json), &dopts)) < 0)
		goto done;
	so.role = "operator";
	so.commitment = KEL_COMMITMENT_ORIGIN;
	if ((rc = kel_xades_sign(doc, key, &so)) < 0 || (rc = kel_doc_write(&out, doc)) < 0)
		goto done;
	snprintf(name, sizeof name, "statement/statement-%03zu.xml", part);
	if ((rc = spool_put(sp, name, out.ptr, out.size, 0)) < 0)
		goto done;
	if (id_out)
		snprintf(id_out, 37, "%s", kel_doc_id(doc));
done:
	free(json);
	json_decref(root);
	json_decref(st);
	json_decref(subjects);
	json_decref(scope);
	kel_doc_free(doc);
	kel_buf_dispose(&out);
	return rc;
}

static int finish_manifests(struct spool *sp, size_t parts, char sha_out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	int rc;

	for (size_t i = 1; i <= parts; i++)
		fprintf(sp->odf, " <manifest:file-entry manifest:full-path=\"statement/"
			"statement-%03zu.xml\" manifest:media-type=\"text/xml\"/>\n", i);
	rc = spool_put_stream(sp, KEL_EV_ODF_MANIFEST, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:"
		"1.0\" manifest:version=\"1.2\">\n <manifest:file-entry manifest:full-path=\"/\" "
		"manifest:media-type=\"" KEL_ASICE_MIMETYPE "\"/>\n", sp->odf, "</manifest:manifest>\n",
		1);
	if (rc < 0)
		return rc;
	if (EVP_DigestFinal_ex(sp->manifest_md, md, &mdlen) != 1)
		return kel_fail_openssl(KEL_ECRYPTO, "SHA-256 failed");
	kel_merkle_hash_to_hex(sha_out, md);
	return spool_put_stream(sp, KEL_EV_MANIFEST, NULL, sp->manifest, NULL, 0);
}

static int log_export(kel_store *s, const kel_evidence_summary *sum, const char *request,
	const char *manifest_sha)
{
	char detail[256];
	snprintf(detail, sizeof detail, "%s%s%s%" PRIu64 " documents, %" PRIu64 " subjects, %"
		PRIu64 " gaps, head size %" PRIu64, request ? "request " : "",
		request ? request : "", request ? ", " : "", sum->documents, sum->subjects, sum->gaps,
		sum->tree_size);
	return kel__store_append_event(s, "evidence-exported", sum->statement_id, manifest_sha,
		detail, NULL, NULL, NULL);
}

int kel_evidence_export(kel_store *s, const kel_evidence_export_options *o, const char *path,
	kel_evidence_summary *summary)
{
	struct scope sc;
	struct spool sp;
	struct parties pt = { NULL, NULL };
	struct req_scope rq;
	kel_evidence_summary sum;
	kel_merkle_head head;
	json_t *request = NULL;
	const char *scope_kind;
	char manifest_sha[65];
	size_t parts;
	time_t now;
	int rc, kinds;

	memset(&sc, 0, sizeof sc);
	memset(&sp, 0, sizeof sp);
	memset(&rq, 0, sizeof rq);
	memset(&sum, 0, sizeof sum);
	if (summary)
		memset(summary, 0, sizeof *summary);
	if (!s || !o || !path || !o->key)
		return kel_fail(KEL_EINVAL, "kel_evidence_export: NULL argument");
	if (o->version != KEL_EVIDENCE_EXPORT_OPTIONS_VERSION)
		return kel_fail(KEL_EINVAL, "kel_evidence_export: options version %u not supported",
			o->version);
	kinds = (o->request_id != NULL) + (o->nsubjects > 0) + (o->all != 0);
	if (kinds != 1)
		return kel_fail(KEL_EINVAL, "scope: give exactly one of a request, subjects or all");
	if ((o->since || o->until) && !o->all)
		return kel_fail(KEL_EINVAL, "since/until go with all");
	if (!o->trust_file && !o->trust_dir && !kel_store_trust_file(s) && !kel_store_trust_dir(s))
		return kel_fail(KEL_EINVAL, "no trust anchors: give them, or record them in the "
			"store ('kelisim store config --trust CA.pem'), so that the documents' reports "
			"can say TOTAL-PASSED");
	now = kel__store_now(s);

	/* 1. The subjects in scope and their documents. */
	if (o->request_id) {
		if ((rc = kel_evidence_request_get(s, o->request_id, take_request, &rq)) < 0)
			goto done;
		request = json_pack("{s:s,s:s,s:s}", "id", rq.id, "reference", rq.reference,
			"received", rq.received);
		scope_kind = "request";
		if (rq.subjects) {
			for (char *p = strtok(rq.subjects, " "); p && rc == 0; p = strtok(NULL, " "))
				rc = add_subject(&sc, p);
		} else {
			rc = collect_all(s, &sc, NULL, NULL);
		}
	} else if (o->nsubjects) {
		const char *why;
		scope_kind = "subjects";
		rc = 0;
		for (size_t i = 0; rc == 0 && i < o->nsubjects; i++) {
			if (!o->subjects[i] || kel_kzid_check_iin(o->subjects[i], &why) < 0)
				rc = kel_fail(KEL_EINVAL, "subject '%.16s': %s", o->subjects[i] ?
					o->subjects[i] : "", o->subjects[i] ? why : "missing");
			for (size_t j = 0; rc == 0 && j < i; j++)
				if (strcmp(o->subjects[i], o->subjects[j]) == 0)
					rc = kel_fail(KEL_EINVAL, "subject '%s': given twice", o->subjects[i]);
			if (rc == 0)
				rc = add_subject(&sc, o->subjects[i]);
		}
	} else {
		scope_kind = "all";
		rc = collect_all(s, &sc, o->since, o->until);
	}
	if (rc < 0)
		goto done;
	if (sc.nsubj == 0) {
		rc = kel_fail(KEL_EINVAL, "nothing in scope: no subject has a document there");
		goto done;
	}
	for (size_t i = 0; i < sc.nsubj; i++) {
		kel_store_filter f = KEL_STORE_FILTER_INIT;
		sc.cur = &sc.subj[i];
		sc.cur->first = sc.ndoc;
		f.subject_iin = sc.cur->iin;
		if ((rc = kel_store_list(s, &f, take_doc, &sc)) < 0)
			goto done;
	}
	if ((rc = find_parties(s, &sc, &pt)) < 0)
		goto done;

	/* 2. One signed head; every document with its report and its proof against it. */
	if ((rc = spool_open(&sp, o->tmp_dir)) < 0)
		goto done;
	if ((rc = spool_put(&sp, "mimetype", KEL_ASICE_MIMETYPE, strlen(KEL_ASICE_MIMETYPE), 1))
	    < 0)
		goto done;
	if ((rc = put_head(s, &sp, o->key, &head)) < 0)
		goto done;
	for (size_t i = 0; i < sc.nsubj; i++) {
		struct subj *u = &sc.subj[i];
		for (size_t k = u->first; k < u->first + u->ndocs; k++)
			if ((rc = put_document(s, &sp, u, &sc.doc[k], head.size, now, o)) < 0)
				goto done;
	}

	/* 3. The manifests, then the statement that carries the manifest's digest. */
	parts = (sc.nsubj + KEL_EV_PART_SIZE - 1) / KEL_EV_PART_SIZE;
	if ((rc = finish_manifests(&sp, parts, manifest_sha)) < 0)
		goto done;
	for (size_t p = 1; p <= parts; p++)
		if ((rc = put_statement(&sp, &sc, p, parts, &pt, request, scope_kind, o,
		    manifest_sha, o->key, p == 1 ? sum.statement_id : NULL)) < 0)
			goto done;

	/* 4. The container, and its record in the log. */
	if ((rc = write_zip(&sp, path, now)) < 0)
		goto done;
	for (size_t i = 0; i < sc.nsubj; i++) {
		const char *issued;
		sum.gaps += !sc.subj[i].basis_id[0] + !notice_of(&sc.subj[i], &issued);
		sum.complete += sc.subj[i].basis_id[0] && notice_of(&sc.subj[i], &issued);
	}
	sum.subjects = sc.nsubj;
	sum.documents = sc.ndoc;
	sum.parts = parts;
	sum.tree_size = head.size;
	if ((rc = log_export(s, &sum, o->request_id, manifest_sha)) < 0)
		goto done;
	if (summary)
		*summary = sum;
done:
	spool_close(&sp);
	for (size_t i = 0; i < sc.nsubj; i++)
		free(sc.subj[i].name);
	free(sc.subj);
	free(sc.doc);
	free(rq.subjects);
	json_decref(request);
	json_decref(pt.op);
	json_decref(pt.proc);
	return rc;
}
