/*
 * Checking the evidence store: recompute the whole log from its entries and compare it with
 * the stored leaf hashes, the node cache and every signed head, verify the heads, and match
 * the documents with their digests and "stored" events (docs/store.md, "check").
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kelisim/store.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "store_impl.h"

/* ---- check ------------------------------------------------------------------------------ */

struct head_row {
	kel_store_signed_head h;
	unsigned char *sig;
	unsigned char *cert;
};

struct head_rows {
	struct head_row *v;
	size_t n, cap;
};

static int collect_head(void *ctx, const kel_store_signed_head *h)
{
	struct head_rows *l = ctx;
	struct head_row *r;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct head_row *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return kel_fail(KEL_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	r = &l->v[l->n];
	memset(r, 0, sizeof *r);
	r->h = *h;
	r->sig = malloc(h->signature_len ? h->signature_len : 1);
	r->cert = malloc(h->cert_len ? h->cert_len : 1);
	if (!r->sig || !r->cert) {
		free(r->sig);
		free(r->cert);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	if (h->signature_len)
		memcpy(r->sig, h->signature, h->signature_len);
	if (h->cert_len)
		memcpy(r->cert, h->cert, h->cert_len);
	r->h.signature = r->sig;
	r->h.cert = r->cert;
	l->n++;
	return 0;
}

static int cmp_head_size(const void *a, const void *b)
{
	const struct head_row *x = a, *y = b;
	if (x->h.head.size != y->h.head.size)
		return x->h.head.size < y->h.head.size ? -1 : 1;
	return x->h.number < y->h.number ? -1 : x->h.number > y->h.number;
}

struct check_ctx {
	kel_store *s;
	kel_store_check_result *res;
	kel_merkle_frontier *f;
	struct head_rows *heads;
	size_t next_head;        /* heads sorted by size: the next one to compare */
	uint64_t stored_events;
	int node_problem;
	unsigned int bad_level;
	uint64_t bad_index;
};

static void found(kel_store_check_result *res, uint64_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void found(kel_store_check_result *res, uint64_t pos, const char *fmt, ...)
{
	va_list ap;
	if (!res->ok)
		return;   /* keep the first */
	res->ok = 0;
	res->position = pos;
	va_start(ap, fmt);
	vsnprintf(res->problem, sizeof res->problem, fmt, ap);
	va_end(ap);
}

/* Compare a completed node with the cache's copy, if the cache has one. */
static int check_node(void *ctx, unsigned int level, uint64_t index, const unsigned char h[HLEN])
{
	struct check_ctx *c = ctx;
	unsigned char kept[HLEN];
	int rc = kel__store_node_hash(c->s, level, index, kept);
	if (rc == KEL_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	if (memcmp(kept, h, HLEN) != 0 && !c->node_problem) {
		c->node_problem = 1;
		c->bad_level = level;
		c->bad_index = index;
	}
	return 0;
}

/* The value of "key " in an entry, or NULL; *len its length. */
static const char *entry_field(const char *entry, size_t elen, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *p = entry, *end = entry + elen;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		if ((size_t)(nl - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == ' ') {
			*len = (size_t)(nl - p) - klen - 1;
			return p + klen + 1;
		}
		p = nl + 1;
	}
	return NULL;
}

static int row_check_leaf(void *vctx, int ncol, const kel__sql_val *col)
{
	struct check_ctx *c = vctx;
	kel_store_check_result *res = c->res;
	uint64_t pos = res->leaves;
	unsigned char h[HLEN];
	const char *entry, *v;
	size_t elen, vlen;
	char want[32];
	int rc;

	if (ncol < 3 || col[0].type != KEL_SQL_INT)
		return 0;
	if ((uint64_t)col[0].i != pos) {
		if ((uint64_t)col[0].i > pos)
			found(res, pos, "log position %" PRIu64 ": missing (the next stored position is %"
				PRId64 "): rows deleted", pos, col[0].i);
		else
			found(res, pos, "log position %" PRIu64 ": out of order", pos);
		return 1;
	}
	if (col[1].type != KEL_SQL_BLOB || col[2].type != KEL_SQL_BLOB || col[2].len != HLEN) {
		found(res, pos, "log position %" PRIu64 ": entry or hash missing", pos);
		return 1;
	}
	entry = col[1].p;
	elen = col[1].len;
	if ((rc = kel_merkle_leaf_hash(h, entry, elen)) < 0)
		return rc;
	if (memcmp(h, col[2].p, HLEN) != 0) {
		found(res, pos, "log position %" PRIu64 ": entry does not match its leaf hash", pos);
		return 1;
	}
	snprintf(want, sizeof want, "%" PRIu64, pos);
	v = entry_field(entry, elen, "index", &vlen);
	if (!v || vlen != strlen(want) || memcmp(v, want, vlen) != 0) {
		found(res, pos, "log position %" PRIu64 ": entry says index %.*s (rows moved)", pos,
			v ? (int)(vlen > 20 ? 20 : vlen) : 1, v ? v : "?");
		return 1;
	}
	v = entry_field(entry, elen, "event", &vlen);
	if (v && vlen == 6 && memcmp(v, "stored", 6) == 0)
		c->stored_events++;
	if ((rc = kel_merkle_frontier_append(c->f, h, check_node, c)) < 0)
		return rc;
	if (c->node_problem) {
		uint64_t first = c->bad_index << c->bad_level;
		found(res, first, "log positions %" PRIu64 "-%" PRIu64 ": cached node (level %u, "
			"index %" PRIu64 ") differs from the one recomputed from the entries", first,
			pos, c->bad_level, c->bad_index);
		return 1;
	}
	res->leaves++;
	/* Compare with each signed head of this size. */
	while (c->next_head < c->heads->n && c->heads->v[c->next_head].h.head.size <= res->leaves) {
		struct head_row *hr = &c->heads->v[c->next_head];
		unsigned char root[HLEN];
		if (hr->h.head.size == res->leaves) {
			if ((rc = kel_merkle_frontier_root(c->f, root)) < 0)
				return rc;
			if (memcmp(root, hr->h.head.root, HLEN) != 0) {
				found(res, pos, "signed head %" PRIu64 " (size %" PRIu64 "): its root differs "
					"from the log's; the log differs at or before position %" PRIu64,
					hr->h.number, hr->h.head.size, pos);
				return 1;
			}
			res->heads++;
		}
		c->next_head++;
	}
	return 0;
}

struct doc_check {
	kel_store_check_result *res;
	uint64_t docs;
};

static int row_check_doc(void *vctx, int ncol, const kel__sql_val *col)
{
	struct doc_check *c = vctx;
	kel_store_check_result *res = c->res;
	const char *id, *sha;
	char got[65];
	const char *v;
	size_t vlen;
	uint64_t leaf;
	int rc;

	if (ncol < 5)
		return 0;
	id = kel__sql_col_text(&col[0]);
	sha = kel__sql_col_text(&col[1]);
	leaf = (uint64_t)col[3].i;
	c->docs++;
	if (!id || !sha) {
		found(res, leaf, "document at log position %" PRIu64 ": id or digest missing", leaf);
		return 1;
	}
	if (col[2].type == KEL_SQL_BLOB) {
		if ((rc = kel__store_sha256_hex(got, col[2].p, col[2].len)) < 0)
			return rc;
		if (strcmp(got, sha) != 0) {
			found(res, leaf, "document '%s' (log position %" PRIu64 "): stored bytes do not "
				"match its digest", id, leaf);
			return 1;
		}
		res->documents++;
	}
	if (col[4].type != KEL_SQL_BLOB) {
		found(res, leaf, "document '%s': its log position %" PRIu64 " has no entry", id, leaf);
		return 1;
	}
	v = entry_field(col[4].p, col[4].len, "document", &vlen);
	if (!v || vlen != strlen(id) || memcmp(v, id, vlen) != 0 ||
	    !(v = entry_field(col[4].p, col[4].len, "sha256", &vlen)) || vlen != 64 ||
	    memcmp(v, sha, 64) != 0 ||
	    !(v = entry_field(col[4].p, col[4].len, "event", &vlen)) || vlen != 6 ||
	    memcmp(v, "stored", 6) != 0) {
		found(res, leaf, "document '%s': the entry at log position %" PRIu64 " is not its "
			"\"stored\" event (index altered)", id, leaf);
		return 1;
	}
	return 0;
}

/* Find the first "stored" event whose document row is gone. */
struct orphan_ctx {
	kel_store_check_result *res;
};

static int row_orphan(void *vctx, int ncol, const kel__sql_val *col)
{
	struct orphan_ctx *c = vctx;
	const char *v;
	size_t vlen;
	if (ncol < 3 || col[1].type != KEL_SQL_BLOB)
		return 0;
	v = entry_field(col[1].p, col[1].len, "event", &vlen);
	if (!v || vlen != 6 || memcmp(v, "stored", 6) != 0)
		return 0;
	if (col[2].type == KEL_SQL_NULL) {
		v = entry_field(col[1].p, col[1].len, "document", &vlen);
		found(c->res, (uint64_t)col[0].i, "log position %" PRId64 ": document '%.*s' was "
			"stored but its row is gone", col[0].i, v ? (int)(vlen > 36 ? 36 : vlen) : 1,
			v ? v : "?");
		return 1;
	}
	return 0;
}

/*
 * The log in batches read into memory and then checked, so that checking (which looks up
 * cached nodes) never queries while a result is being streamed (libpq cannot nest).
 */
#define CHECK_BATCH 512

struct batch {
	size_t n;
	int64_t idx[CHECK_BATCH];
	kel_buf entry[CHECK_BATCH];
	unsigned char hash[CHECK_BATCH][HLEN];
	int hash_ok[CHECK_BATCH];
	int has_entry[CHECK_BATCH];
};

static int row_batch(void *ctx, int ncol, const kel__sql_val *col)
{
	struct batch *b = ctx;
	size_t i = b->n;
	if (ncol < 3 || i >= CHECK_BATCH || col[0].type != KEL_SQL_INT)
		return 0;
	b->idx[i] = col[0].i;
	kel_buf_clear(&b->entry[i]);
	b->has_entry[i] = col[1].type == KEL_SQL_BLOB;
	if (b->has_entry[i] && kel_buf_put(&b->entry[i], col[1].p, col[1].len) < 0)
		return KEL_ENOMEM;
	b->hash_ok[i] = col[2].type == KEL_SQL_BLOB && col[2].len == HLEN;
	if (b->hash_ok[i])
		memcpy(b->hash[i], col[2].p, HLEN);
	b->n++;
	return 0;
}

static int check_log(kel_store *s, struct check_ctx *c)
{
	struct batch *b = calloc(1, sizeof *b);
	int64_t next = 0;
	int rc = 0;

	if (!b)
		return kel_fail(KEL_ENOMEM, "out of memory");
	for (;;) {
		kel__sql_val p[2] = { kel__sql_int(next), kel__sql_int(CHECK_BATCH) };
		b->n = 0;
		rc = kel__store_sql(s,
			"SELECT idx, entry, hash FROM log_entries WHERE idx >= ? ORDER BY idx "
			"LIMIT ?", 2, p, row_batch, b);
		if (rc != 0 || b->n == 0)
			break;
		for (size_t i = 0; i < b->n && rc == 0; i++) {
			kel__sql_val col[3] = { kel__sql_int(b->idx[i]),
				{ KEL_SQL_NULL, 0, NULL, 0 }, { KEL_SQL_NULL, 0, NULL, 0 } };
			if (b->has_entry[i])
				col[1] = kel__sql_blob(b->entry[i].ptr ? b->entry[i].ptr : "",
					b->entry[i].size);
			if (b->hash_ok[i])
				col[2] = kel__sql_blob(b->hash[i], HLEN);
			rc = row_check_leaf(c, 3, col);
		}
		if (rc != 0 || b->n < CHECK_BATCH)
			break;
		next = b->idx[b->n - 1] + 1;
	}
	for (size_t i = 0; i < CHECK_BATCH; i++)
		kel_buf_dispose(&b->entry[i]);
	free(b);
	return rc;
}

int kel_store_check(kel_store *s, const char *trust_file, const char *trust_dir,
	kel_store_check_result *res)
{
	struct head_rows heads = { NULL, 0, 0 };
	struct check_ctx c;
	struct doc_check dc;
	int rc;

	if (!s || !res)
		return kel_fail(KEL_EINVAL, "kel_store_check: NULL argument");
	memset(res, 0, sizeof *res);
	res->ok = 1;
	res->position = UINT64_MAX;
	if (!trust_file && !trust_dir) {
		trust_file = s->trust_file;
		trust_dir = s->trust_dir;
	}
	memset(&c, 0, sizeof c);
	c.s = s;
	c.res = res;
	c.heads = &heads;
	if ((rc = kel_merkle_frontier_new(&c.f)) < 0)
		return rc;
	if ((rc = kel__store_begin(s, 0)) < 0)
		goto done;
	rc = kel_store_heads(s, collect_head, &heads);
	if (rc == 0 && heads.n > 1)
		qsort(heads.v, heads.n, sizeof *heads.v, cmp_head_size);
	/* 1. The log, leaf by leaf, against its hashes, positions, node cache and heads. */
	if (rc == 0) {
		rc = check_log(s, &c);
		if (rc > 0)
			rc = 0;   /* stopped at a problem */
	}
	/* 2. Heads beyond the end: the log was truncated. */
	if (rc == 0 && res->ok && c.next_head < heads.n) {
		struct head_row *hr = &heads.v[c.next_head];
		found(res, res->leaves, "signed head %" PRIu64 " (size %" PRIu64 ") is beyond the "
			"log's end: the log has %" PRIu64 " leaves (truncated at position %" PRIu64 ")",
			hr->h.number, hr->h.head.size, res->leaves, res->leaves);
	}
	/* 3. Every head's signature and log id. */
	for (size_t i = 0; rc == 0 && res->ok && i < heads.n; i++) {
		int vr = kel_store_head_verify(&heads.v[i].h, trust_file, trust_dir);
		if (vr == KEL_EINVALID) {
			const kel_error *e = kel_error_last();
			found(res, heads.v[i].h.head.size, "%s", e ? e->message : "signed head invalid");
		} else if (vr < 0) {
			rc = vr;
		}
	}
	/* 4. Documents against their digests and their "stored" events. */
	if (rc == 0 && res->ok) {
		memset(&dc, 0, sizeof dc);
		dc.res = res;
		rc = kel__store_sql(s,
			"SELECT d.id, d.sha256, d.body, d.leaf, l.entry FROM documents d "
			"LEFT JOIN log_entries l ON l.idx = d.leaf ORDER BY d.leaf", 0, NULL,
			row_check_doc, &dc);
		if (rc > 0)
			rc = 0;
		if (rc == 0 && res->ok && dc.docs != c.stored_events) {
			struct orphan_ctx oc = { res };
			rc = kel__store_sql(s, "SELECT l.idx, l.entry, d.id FROM log_entries l "
				"LEFT JOIN documents d ON d.leaf = l.idx ORDER BY l.idx", 0, NULL,
				row_orphan, &oc);
			if (rc > 0)
				rc = 0;
			if (rc == 0 && res->ok)
				found(res, UINT64_MAX, "%" PRIu64 " documents but %" PRIu64 " \"stored\" "
					"events", dc.docs, c.stored_events);
		}
	}
	rc = kel__store_finish(s, rc);
done:
	for (size_t i = 0; i < heads.n; i++) {
		free(heads.v[i].sig);
		free(heads.v[i].cert);
	}
	free(heads.v);
	kel_merkle_frontier_free(c.f);
	return rc;
}
