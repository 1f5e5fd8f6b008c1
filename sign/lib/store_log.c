/*
 * The evidence store's Merkle log (RFC 9162 hashing): its hashes as a Merkle source, with the
 * cache of interior nodes and batched lookups; the frontier kept in the handle; and appending
 * events, each as its canonical entry (docs/store.md).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kelisim/store.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "store_impl.h"
#include "text.h"

/* ---- The log as a Merkle source --------------------------------------------------------- */

/* A row callback: the first column, a 32-byte hash. */
struct one_hash {
	int found;
	unsigned char h[HLEN];
};

static int row_hash(void *ctx, int ncol, const kel__sql_val *col)
{
	struct one_hash *r = ctx;
	if (ncol >= 1 && col[0].type == KEL_SQL_BLOB && col[0].len == HLEN) {
		memcpy(r->h, col[0].p, HLEN);
		r->found = 1;
	} else {
		r->found = -1;   /* present but not a hash */
	}
	return 0;
}

static int leaf_fn(void *ctx, uint64_t index, unsigned char out[HLEN])
{
	kel_store *s = ctx;
	struct one_hash r = { 0, { 0 } };
	kel__sql_val p[1] = { kel__sql_int((int64_t)index) };
	int rc = kel__store_sql(s, "SELECT hash FROM log_entries WHERE idx = ?", 1, p, row_hash,
		&r);
	if (rc < 0)
		return rc;
	if (r.found != 1)
		return kel_fail(KEL_EINVALID, "log position %" PRIu64 ": %s", index,
			r.found ? "leaf hash is not 32 bytes" : "missing");
	memcpy(out, r.h, HLEN);
	return 0;
}

int kel__store_node_hash(void *ctx, unsigned int level, uint64_t index, unsigned char out[HLEN])
{
	kel_store *s = ctx;
	struct one_hash r = { 0, { 0 } };
	kel__sql_val p[2] = { kel__sql_int(level), kel__sql_int((int64_t)index) };
	int rc = kel__store_sql(s, "SELECT hash FROM log_nodes WHERE level = ? AND idx = ?", 2, p,
		row_hash, &r);
	if (rc < 0)
		return rc;
	if (r.found != 1)
		return KEL_ENOTFOUND;
	memcpy(out, r.h, HLEN);
	return 0;
}

static int node_sink(void *ctx, unsigned int level, uint64_t index, const unsigned char hash[HLEN])
{
	kel_store *s = ctx;
	kel__sql_val p[3] = { kel__sql_int(level), kel__sql_int((int64_t)index),
		kel__sql_blob(hash, HLEN) };
	return kel__store_sql(s, "INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)", 3, p,
		NULL, NULL);
}

/*
 * The hashes a root or a proof will ask for (kel_merkle_*_refs), fetched in one go through
 * the back end's batch lookup and then served from memory: on PostgreSQL one round trip
 * instead of one per hash. A hash the batch did not find is asked for the usual way (a leaf,
 * so that a missing one is reported as before) or reported as not cached (a node, which the
 * Merkle code then computes from below), so a damaged cache gives the same answers, slower.
 */
#define PREFETCH_MAX (3 * KEL_MERKLE_NODE_REFS_MAX)

struct kel__prefetch {
	kel_store *s;
	size_t count;
	kel_merkle_node_ref ref[PREFETCH_MAX];
	unsigned char found[PREFETCH_MAX];
	unsigned char h[PREFETCH_MAX][HLEN];
};

/* The position of (level, index) in the batch, or -1. */
static long prefetch_find(const struct kel__prefetch *pf, unsigned int level, uint64_t index)
{
	for (size_t i = 0; i < pf->count; i++)
		if (pf->ref[i].index == index && pf->ref[i].level == level)
			return (long)i;
	return -1;
}

/* Add refs to the batch, each once. */
int kel__prefetch_add(struct kel__prefetch *pf, const kel_merkle_node_ref *refs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (prefetch_find(pf, refs[i].level, refs[i].index) >= 0)
			continue;
		if (pf->count == PREFETCH_MAX)
			return kel_fail(KEL_ERROR, "store: too many hashes for one batch");
		pf->ref[pf->count] = refs[i];
		pf->found[pf->count] = 0;
		pf->count++;
	}
	return 0;
}

static int row_prefetched(void *ctx, int ncol, const kel__sql_val *col)
{
	struct kel__prefetch *pf = ctx;
	long i;

	if (ncol < 3 || col[0].type != KEL_SQL_INT || col[1].type != KEL_SQL_INT ||
	    col[0].i < 0 || col[0].i > 63 || col[1].i < 0)
		return 0;
	i = prefetch_find(pf, (unsigned int)col[0].i, (uint64_t)col[1].i);
	/* Anything but a 32-byte hash is left to the one-by-one lookup, which reports it. */
	if (i >= 0 && col[2].type == KEL_SQL_BLOB && col[2].len == HLEN) {
		memcpy(pf->h[i], col[2].p, HLEN);
		pf->found[i] = 1;
	}
	return 0;
}

int kel__prefetch_run(struct kel__prefetch *pf)
{
	if (pf->count == 0)
		return 0;
	return pf->s->be->hashes(pf->s->conn, pf->count, pf->ref, row_prefetched, pf);
}

int kel__prefetch_leaf(void *ctx, uint64_t index, unsigned char out[HLEN])
{
	struct kel__prefetch *pf = ctx;
	long i = prefetch_find(pf, 0, index);

	if (i >= 0 && pf->found[i]) {
		memcpy(out, pf->h[i], HLEN);
		return 0;
	}
	return leaf_fn(pf->s, index, out);
}

static int prefetch_node(void *ctx, unsigned int level, uint64_t index, unsigned char out[HLEN])
{
	struct kel__prefetch *pf = ctx;
	long i = prefetch_find(pf, level, index);

	if (i < 0)
		return kel__store_node_hash(pf->s, level, index, out);
	if (!pf->found[i])
		return KEL_ENOTFOUND;   /* just looked for: not cached */
	memcpy(out, pf->h[i], HLEN);
	return 0;
}

kel_merkle_source kel__prefetch_source(struct kel__prefetch *pf)
{
	kel_merkle_source src = { kel__prefetch_leaf, prefetch_node, pf };
	return src;
}

/* A batch for s (free()); NULL after raising KEL_ENOMEM. */
struct kel__prefetch *kel__prefetch_new(kel_store *s)
{
	struct kel__prefetch *pf = malloc(sizeof *pf);
	if (!pf) {
		kel_fail(KEL_ENOMEM, "out of memory");
		return NULL;
	}
	pf->s = s;
	pf->count = 0;
	return pf;
}

int kel__store_log_size(kel_store *s, uint64_t *out)
{
	struct kel__sql_one_int r = { 0, 0 };
	int rc = kel__store_sql(s, "SELECT max(idx) FROM log_entries", 0, NULL, kel__sql_row_int,
		&r);
	if (rc < 0)
		return rc;
	*out = r.found ? (uint64_t)r.value + 1 : 0;
	return 0;
}

/* Add to the batch what the root of the first n leaves (or their frontier) needs. */
int kel__prefetch_root(struct kel__prefetch *pf, uint64_t n)
{
	kel_merkle_node_ref refs[KEL_MERKLE_NODE_REFS_MAX];
	size_t count;
	int rc = kel_merkle_root_refs(refs, &count, n);
	return rc < 0 ? rc : kel__prefetch_add(pf, refs, count);
}

int kel__store_frontier_current(const kel_store *s, uint64_t n)
{
	return s->frontier && kel_merkle_frontier_size(s->frontier) == n;
}

/*
 * Make s->frontier the frontier of the first n leaves. pf, when not NULL, is a batch already
 * fetched that holds kel__prefetch_root(n); otherwise the frontier's nodes are fetched here, in one
 * batch (another process appended since this handle last looked: one query, not log2 n).
 */
int kel__store_frontier_at(kel_store *s, uint64_t n, struct kel__prefetch *pf)
{
	struct kel__prefetch *own = NULL;
	kel_merkle_source src;
	kel_merkle_frontier *f = NULL;
	int rc = 0;

	if (kel__store_frontier_current(s, n))
		return 0;
	if (!pf) {
		if (!(own = kel__prefetch_new(s)))
			return KEL_ENOMEM;
		if ((rc = kel__prefetch_root(own, n)) == 0)
			rc = kel__prefetch_run(own);
		pf = own;
	}
	src = kel__prefetch_source(pf);
	if (rc == 0)
		rc = kel_merkle_frontier_load(&f, n, &src);
	free(own);
	if (rc < 0)
		return rc;
	kel_merkle_frontier_free(s->frontier);
	s->frontier = f;
	return 0;
}

/* ---- Log entries ----------------------------------------------------------------------- */

/*
 * The canonical entry: LF-terminated "key value" lines in this fixed order, absent fields
 * left out (docs/store.md):
 *   kelisim-log-entry 1 / index N / event E / time T / document ID / type T / sha256 H /
 *   by ID / until D / reason R / detail D
 */
static int encode_entry(kel_buf *out, uint64_t index, const struct kel__store_event *e)
{
	char t[21];
	int rc;

	kel__utc_format(e->time, t);
	kel_buf_clear(out);
	rc = kel_buf_printf(out, "kelisim-log-entry 1\nindex %" PRIu64 "\nevent %s\ntime %s\n",
		index, e->event, t);
	if (rc == 0 && e->document)
		rc = kel_buf_printf(out, "document %s\n", e->document);
	if (rc == 0 && e->type)
		rc = kel_buf_printf(out, "type %s\n", e->type);
	if (rc == 0 && e->sha256)
		rc = kel_buf_printf(out, "sha256 %s\n", e->sha256);
	if (rc == 0 && e->by)
		rc = kel_buf_printf(out, "by %s\n", e->by);
	if (rc == 0 && e->until)
		rc = kel_buf_printf(out, "until %s\n", e->until);
	if (rc == 0 && e->reason)
		rc = kel_buf_printf(out, "reason %s\n", e->reason);
	if (rc == 0 && e->detail)
		rc = kel_buf_printf(out, "detail %s\n", e->detail);
	return rc;
}

/* Append one event to the log through frontier f (a copy, committed by the caller). */
int kel__store_log_append(kel_store *s, kel_merkle_frontier *f, const struct kel__store_event *e,
	uint64_t *index_out)
{
	kel_buf entry = KEL_BUF_INIT;
	unsigned char h[HLEN];
	uint64_t index = kel_merkle_frontier_size(f);
	int rc;

	if ((rc = encode_entry(&entry, index, e)) < 0)
		goto done;
	if ((rc = kel_merkle_leaf_hash(h, entry.ptr, entry.size)) < 0)
		goto done;
	{
		kel__sql_val p[3] = { kel__sql_int((int64_t)index),
			kel__sql_blob(entry.ptr, entry.size), kel__sql_blob(h, HLEN) };
		rc = kel__store_sql(s,
			"INSERT INTO log_entries (idx, entry, hash) VALUES (?, ?, ?)", 3, p,
			NULL, NULL);
	}
	if (rc < 0)
		goto done;
	if ((rc = kel_merkle_frontier_append(f, h, node_sink, s)) < 0)
		goto done;
	if (index_out)
		*index_out = index;
done:
	kel_buf_dispose(&entry);
	return rc;
}

/*
 * Start appending: in a write transaction, bring the frontier up to the log's size and hand
 * back a copy to append to. end_append installs the copy after a successful commit.
 */
int kel__store_start_append(kel_store *s, kel_merkle_frontier **work)
{
	uint64_t n;
	int rc;

	*work = NULL;
	if ((rc = kel__store_log_size(s, &n)) < 0)
		return rc;
	if ((rc = kel__store_frontier_at(s, n, NULL)) < 0)
		return rc;
	return kel_merkle_frontier_dup(work, s->frontier);
}

int kel__store_end_append(kel_store *s, kel_merkle_frontier *work, int rc)
{
	rc = kel__store_finish(s, rc);
	/* In a batch, a failed add leaves the log half-appended: the batch is rolled back. */
	if (rc == 0) {
		kel_merkle_frontier_free(s->frontier);
		s->frontier = work;
	} else {
		kel_merkle_frontier_free(work);
		/* The frontier may be anything now: reload next time. */
		kel_merkle_frontier_free(s->frontier);
		s->frontier = NULL;
	}
	return rc;
}

/* ---- Reading the log -------------------------------------------------------------------- */

int kel_store_log_size(kel_store *s, uint64_t *out)
{
	if (!s || !out)
		return kel_fail(KEL_EINVAL, "kel_store_log_size: NULL argument");
	return kel__store_log_size(s, out);
}

static int row_blob_copy(void *ctx, int ncol, const kel__sql_val *col)
{
	kel_buf *b = ctx;
	if (ncol < 1 || col[0].type != KEL_SQL_BLOB)
		return 0;
	kel_buf_clear(b);
	if (col[0].len == 0)
		return kel_buf_puts(b, "");
	return kel_buf_put(b, col[0].p, col[0].len);
}

int kel_store_log_entry(kel_store *s, uint64_t index, kel_buf *out)
{
	int rc;
	if (!s || !out)
		return kel_fail(KEL_EINVAL, "kel_store_log_entry: NULL argument");
	kel_buf_clear(out);
	kel__sql_val p[1] = { kel__sql_int((int64_t)index) };
	if ((rc = kel__store_sql(s, "SELECT entry FROM log_entries WHERE idx = ?", 1, p,
			row_blob_copy, out)) < 0)
		return rc;
	if (out->ptr == NULL)
		return kel_fail(KEL_ENOTFOUND, "log position %" PRIu64 ": no such entry", index);
	return 0;
}

/* ---- For other modules (store_internal.h): events of their own ------------------------- */

int kel__store_append_event(kel_store *s, const char *event, const char *document,
	const char *sha256, const char *detail, kel__store_txn_fn fn, void *ctx, uint64_t *leaf)
{
	kel_merkle_frontier *work = NULL;
	struct kel__store_event e;
	uint64_t at = 0;
	int rc;

	if (!s || !event)
		return kel_fail(KEL_EINVAL, "kel__store_append_event: NULL argument");
	if (detail && (rc = kel__store_check_line("detail", detail, 0)) < 0)
		return rc;
	if ((rc = kel__store_begin(s, 1)) < 0)
		return rc;
	if ((rc = kel__store_start_append(s, &work)) < 0)
		return kel__store_finish(s, rc);
	memset(&e, 0, sizeof e);
	e.event = event;
	e.time = kel__store_now(s);
	e.document = document;
	e.sha256 = sha256;
	e.detail = detail && *detail ? detail : NULL;
	rc = kel__store_log_append(s, work, &e, &at);
	if (rc == 0 && fn)
		rc = fn(s, at, ctx);
	rc = kel__store_end_append(s, work, rc);
	if (rc == 0 && leaf)
		*leaf = at;
	return rc;
}
