/*
 * The evidence store: verification on entry, the document index, DPV status, erasure and the
 * Merkle log, written once over the back-end interface of store_backend.h (SQLite or
 * PostgreSQL). docs/store.md describes the tables, the log's entry encoding and the rules.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "kelisim/store.h"
#include "kelisim/doc.h"
#include "kelisim/kzid.h"
#include "kelisim/uuid.h"
#include "kelisim/verify.h"
#include "buf_internal.h"
#include "doc_internal.h"
#include "error_internal.h"
#include "key_internal.h"
#include "store_backend.h"
#include "store_internal.h"
#include "text.h"

#define HLEN KEL_MERKLE_HASH_SIZE
#define TEXT_FIELD_MAX 512

struct kel_store {
	const kel__store_backend *be;
	void *conn;
	char log_id[KEL_MERKLE_LOG_ID_MAX + 1];
	char *trust_file;
	char *trust_dir;
	int allow_weak;
	time_t now;
	kel_merkle_frontier *frontier;   /* of the log as last seen; reloaded when it grew */
	int no_verify;                   /* benchmark only: kel__store_bench_mode */
	int batch;                       /* benchmark only: inside kel__store_batch_begin/end */
	int batch_failed;
};

/* ---- Small helpers ---------------------------------------------------------------------- */

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

static kel__sql_val v_blob(const void *p, size_t len)
{
	kel__sql_val v = { KEL_SQL_BLOB, 0, p, len };
	return v;
}

static int q(kel_store *s, const char *sql, int n, const kel__sql_val *p, kel__sql_row_fn fn,
	void *ctx)
{
	return s->be->exec(s->conn, sql, n, p, fn, ctx);
}

int kel__store_exec(struct kel_store *store, const char *sql, int nparams,
	const kel__sql_val *params, kel__sql_row_fn fn, void *ctx)
{
	if (!store || !sql)
		return kel_fail(KEL_EINVAL, "kel__store_exec: NULL argument");
	return q(store, sql, nparams, params, fn, ctx);
}

/* A row callback: the first column as an integer (found set to 1). */
struct one_int {
	int found;
	int64_t value;
};

static int row_int(void *ctx, int ncol, const kel__sql_val *col)
{
	struct one_int *r = ctx;
	if (ncol >= 1 && col[0].type == KEL_SQL_INT) {
		r->found = 1;
		r->value = col[0].i;
	}
	return 0;
}

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

static time_t store_now(const kel_store *s)
{
	return s->now ? s->now : time(NULL);
}

static int sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char md[HLEN];
	unsigned int mdlen = 0;
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
		return kel_fail_openssl(KEL_ECRYPTO, "SHA-256 failed");
	kel_merkle_hash_to_hex(out, md);
	return 0;
}

/* A line of text that may go into the log: 1..512 characters (min_len 0 allows empty). */
static int check_line(const char *what, const char *s, size_t min_len)
{
	const char *why;
	if (!s || strlen(s) < min_len)
		return kel_fail(KEL_EINVALID, "%s: missing", what);
	if (*s == '\0')
		return 0;
	if ((why = kel__text_problem(s, TEXT_FIELD_MAX)) != NULL)
		return kel_fail(KEL_EINVALID, "%s: %s", what, why);
	return 0;
}

/* ---- Transactions ---------------------------------------------------------------------- */

static int begin(kel_store *s, int write)
{
	if (s->batch)
		return 0;
	return s->be->begin(s->conn, write);
}

static int finish(kel_store *s, int rc)
{
	if (s->batch) {
		if (rc < 0)
			s->batch_failed = 1;
		return rc;
	}
	if (rc == 0)
		return s->be->commit(s->conn);
	s->be->rollback(s->conn);
	return rc;
}

int kel__store_bench_mode(struct kel_store *s, int verify)
{
	if (!s)
		return kel_fail(KEL_EINVAL, "kel__store_bench_mode: NULL argument");
	s->no_verify = !verify;
	return 0;
}

int kel__store_batch_begin(struct kel_store *s)
{
	int rc;
	if (!s || s->batch)
		return kel_fail(KEL_EINVAL, "kel__store_batch_begin: no store, or already in a batch");
	if ((rc = s->be->begin(s->conn, 1)) < 0)
		return rc;
	s->batch = 1;
	s->batch_failed = 0;
	return 0;
}

int kel__store_batch_end(struct kel_store *s)
{
	int rc;
	if (!s || !s->batch)
		return kel_fail(KEL_EINVAL, "kel__store_batch_end: not in a batch");
	s->batch = 0;
	if (s->batch_failed) {
		s->be->rollback(s->conn);
		rc = kel_fail(KEL_ERROR, "batch rolled back after a failed add");
	} else {
		rc = s->be->commit(s->conn);
	}
	if (rc < 0) {
		kel_merkle_frontier_free(s->frontier);
		s->frontier = NULL;
	}
	return rc;
}

/* ---- The log as a Merkle source --------------------------------------------------------- */

static int leaf_fn(void *ctx, uint64_t index, unsigned char out[HLEN])
{
	kel_store *s = ctx;
	struct one_hash r = { 0, { 0 } };
	kel__sql_val p[1] = { v_int((int64_t)index) };
	int rc = q(s, "SELECT hash FROM log_entries WHERE idx = ?", 1, p, row_hash, &r);
	if (rc < 0)
		return rc;
	if (r.found != 1)
		return kel_fail(KEL_EINVALID, "log position %" PRIu64 ": %s", index,
			r.found ? "leaf hash is not 32 bytes" : "missing");
	memcpy(out, r.h, HLEN);
	return 0;
}

static int node_fn(void *ctx, unsigned int level, uint64_t index, unsigned char out[HLEN])
{
	kel_store *s = ctx;
	struct one_hash r = { 0, { 0 } };
	kel__sql_val p[2] = { v_int(level), v_int((int64_t)index) };
	int rc = q(s, "SELECT hash FROM log_nodes WHERE level = ? AND idx = ?", 2, p, row_hash, &r);
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
	kel__sql_val p[3] = { v_int(level), v_int((int64_t)index), v_blob(hash, HLEN) };
	return q(s, "INSERT INTO log_nodes (level, idx, hash) VALUES (?, ?, ?)", 3, p, NULL, NULL);
}

/*
 * The hashes a root or a proof will ask for (kel_merkle_*_refs), fetched in one go through
 * the back end's batch lookup and then served from memory: on PostgreSQL one round trip
 * instead of one per hash. A hash the batch did not find is asked for the usual way (a leaf,
 * so that a missing one is reported as before) or reported as not cached (a node, which the
 * Merkle code then computes from below), so a damaged cache gives the same answers, slower.
 */
#define PREFETCH_MAX (3 * KEL_MERKLE_NODE_REFS_MAX)

struct prefetch {
	kel_store *s;
	size_t count;
	kel_merkle_node_ref ref[PREFETCH_MAX];
	unsigned char found[PREFETCH_MAX];
	unsigned char h[PREFETCH_MAX][HLEN];
};

/* The position of (level, index) in the batch, or -1. */
static long prefetch_find(const struct prefetch *pf, unsigned int level, uint64_t index)
{
	for (size_t i = 0; i < pf->count; i++)
		if (pf->ref[i].index == index && pf->ref[i].level == level)
			return (long)i;
	return -1;
}

/* Add refs to the batch, each once. */
static int prefetch_add(struct prefetch *pf, const kel_merkle_node_ref *refs, size_t n)
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
	struct prefetch *pf = ctx;
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

static int prefetch_run(struct prefetch *pf)
{
	if (pf->count == 0)
		return 0;
	return pf->s->be->hashes(pf->s->conn, pf->count, pf->ref, row_prefetched, pf);
}

static int prefetch_leaf(void *ctx, uint64_t index, unsigned char out[HLEN])
{
	struct prefetch *pf = ctx;
	long i = prefetch_find(pf, 0, index);

	if (i >= 0 && pf->found[i]) {
		memcpy(out, pf->h[i], HLEN);
		return 0;
	}
	return leaf_fn(pf->s, index, out);
}

static int prefetch_node(void *ctx, unsigned int level, uint64_t index, unsigned char out[HLEN])
{
	struct prefetch *pf = ctx;
	long i = prefetch_find(pf, level, index);

	if (i < 0)
		return node_fn(pf->s, level, index, out);
	if (!pf->found[i])
		return KEL_ENOTFOUND;   /* just looked for: not cached */
	memcpy(out, pf->h[i], HLEN);
	return 0;
}

static kel_merkle_source prefetch_source(struct prefetch *pf)
{
	kel_merkle_source src = { prefetch_leaf, prefetch_node, pf };
	return src;
}

/* A batch for s (free()); NULL after raising KEL_ENOMEM. */
static struct prefetch *prefetch_new(kel_store *s)
{
	struct prefetch *pf = malloc(sizeof *pf);
	if (!pf) {
		kel_fail(KEL_ENOMEM, "out of memory");
		return NULL;
	}
	pf->s = s;
	pf->count = 0;
	return pf;
}

static int log_size(kel_store *s, uint64_t *out)
{
	struct one_int r = { 0, 0 };
	int rc = q(s, "SELECT max(idx) FROM log_entries", 0, NULL, row_int, &r);
	if (rc < 0)
		return rc;
	*out = r.found ? (uint64_t)r.value + 1 : 0;
	return 0;
}

/* Add to the batch what the root of the first n leaves (or their frontier) needs. */
static int prefetch_root(struct prefetch *pf, uint64_t n)
{
	kel_merkle_node_ref refs[KEL_MERKLE_NODE_REFS_MAX];
	size_t count;
	int rc = kel_merkle_root_refs(refs, &count, n);
	return rc < 0 ? rc : prefetch_add(pf, refs, count);
}

static int frontier_current(const kel_store *s, uint64_t n)
{
	return s->frontier && kel_merkle_frontier_size(s->frontier) == n;
}

/*
 * Make s->frontier the frontier of the first n leaves. pf, when not NULL, is a batch already
 * fetched that holds prefetch_root(n); otherwise the frontier's nodes are fetched here, in one
 * batch (another process appended since this handle last looked: one query, not log2 n).
 */
static int frontier_at(kel_store *s, uint64_t n, struct prefetch *pf)
{
	struct prefetch *own = NULL;
	kel_merkle_source src;
	kel_merkle_frontier *f = NULL;
	int rc = 0;

	if (frontier_current(s, n))
		return 0;
	if (!pf) {
		if (!(own = prefetch_new(s)))
			return KEL_ENOMEM;
		if ((rc = prefetch_root(own, n)) == 0)
			rc = prefetch_run(own);
		pf = own;
	}
	src = prefetch_source(pf);
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

struct event {
	const char *event;      /* stored, withdrawn, expired, erased, exported */
	time_t time;
	const char *document;
	const char *type;
	const char *sha256;
	const char *by;         /* withdrawn: the withdrawal */
	const char *until;      /* expired: the last day of the period */
	const char *reason;     /* erased */
	const char *detail;     /* exported */
};

/*
 * The canonical entry: LF-terminated "key value" lines in this fixed order, absent fields
 * left out (docs/store.md):
 *   kelisim-log-entry 1 / index N / event E / time T / document ID / type T / sha256 H /
 *   by ID / until D / reason R / detail D
 */
static int encode_entry(kel_buf *out, uint64_t index, const struct event *e)
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
static int append_event(kel_store *s, kel_merkle_frontier *f, const struct event *e,
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
		kel__sql_val p[3] = { v_int((int64_t)index), v_blob(entry.ptr, entry.size),
			v_blob(h, HLEN) };
		rc = q(s, "INSERT INTO log_entries (idx, entry, hash) VALUES (?, ?, ?)", 3, p,
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
static int start_append(kel_store *s, kel_merkle_frontier **work)
{
	uint64_t n;
	int rc;

	*work = NULL;
	if ((rc = log_size(s, &n)) < 0)
		return rc;
	if ((rc = frontier_at(s, n, NULL)) < 0)
		return rc;
	return kel_merkle_frontier_dup(work, s->frontier);
}

static int end_append(kel_store *s, kel_merkle_frontier *work, int rc)
{
	rc = finish(s, rc);
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

/* ---- Opening ------------------------------------------------------------------------- */

static int row_text_copy(void *ctx, int ncol, const kel__sql_val *col)
{
	kel_buf *b = ctx;
	if (ncol >= 1 && col[0].type == KEL_SQL_TEXT) {
		kel_buf_clear(b);
		return kel_buf_put(b, col[0].p, col[0].len) < 0 ? KEL_ENOMEM : 0;
	}
	return 0;
}

static int load_log_id(kel_store *s)
{
	kel_buf v = KEL_BUF_INIT;
	char uuid[KEL_UUID_STRLEN + 1];
	int rc;

	rc = q(s, "SELECT value FROM meta WHERE name = 'log_id'", 0, NULL, row_text_copy, &v);
	if (rc == 0 && v.size == 0) {
		/* A new store: name its log, once, in a write transaction. */
		if ((rc = begin(s, 1)) < 0)
			goto done;
		rc = q(s, "SELECT value FROM meta WHERE name = 'log_id'", 0, NULL, row_text_copy, &v);
		if (rc == 0 && v.size == 0) {
			char id[64];
			if ((rc = kel_uuid7_generate(uuid)) == 0) {
				snprintf(id, sizeof id, "kelisim:%s", uuid);
				kel__sql_val p[1] = { v_text(id) };
				rc = q(s, "INSERT INTO meta (name, value) VALUES ('log_id', ?)", 1, p,
					NULL, NULL);
				if (rc == 0)
					rc = kel_buf_puts(&v, id);
			}
		}
		if ((rc = finish(s, rc)) < 0)
			goto done;
	}
	if (rc < 0)
		goto done;
	if (v.size == 0 || v.size > KEL_MERKLE_LOG_ID_MAX) {
		rc = kel_fail(KEL_EINVALID, "store: bad log id in table meta");
		goto done;
	}
	memcpy(s->log_id, v.ptr, v.size + 1);
done:
	kel_buf_dispose(&v);
	return rc;
}

static int meta_get(kel_store *s, const char *name, char **out)
{
	kel_buf v = KEL_BUF_INIT;
	kel__sql_val p[1] = { v_text(name) };
	int rc = q(s, "SELECT value FROM meta WHERE name = ?", 1, p, row_text_copy, &v);
	*out = NULL;
	if (rc == 0 && v.size > 0 && !(*out = strdup(v.ptr)))
		rc = kel_fail(KEL_ENOMEM, "out of memory");
	kel_buf_dispose(&v);
	return rc;
}

static int load_trust(kel_store *s)
{
	int rc = meta_get(s, "trust_file", &s->trust_file);
	if (rc == 0)
		rc = meta_get(s, "trust_dir", &s->trust_dir);
	return rc;
}

static int meta_put(kel_store *s, const char *name, const char *value)
{
	kel__sql_val p[2] = { v_text(name), v_text(value) };
	int rc = q(s, "DELETE FROM meta WHERE name = ?", 1, p, NULL, NULL);
	if (rc == 0 && value)
		rc = q(s, "INSERT INTO meta (name, value) VALUES (?, ?)", 2, p, NULL, NULL);
	return rc;
}

int kel_store_set_trust(kel_store *s, const char *trust_file, const char *trust_dir)
{
	char *f = NULL, *d = NULL;
	int rc;

	if (!s)
		return kel_fail(KEL_EINVAL, "kel_store_set_trust: NULL argument");
	if ((trust_file && !(f = strdup(trust_file))) || (trust_dir && !(d = strdup(trust_dir)))) {
		free(f);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	if ((rc = begin(s, 1)) == 0) {
		rc = meta_put(s, "trust_file", trust_file);
		if (rc == 0)
			rc = meta_put(s, "trust_dir", trust_dir);
		rc = finish(s, rc);
	}
	if (rc < 0) {
		free(f);
		free(d);
		return rc;
	}
	free(s->trust_file);
	free(s->trust_dir);
	s->trust_file = f;
	s->trust_dir = d;
	return 0;
}

const char *kel_store_trust_file(const kel_store *s)
{
	return s ? s->trust_file : NULL;
}

const char *kel_store_trust_dir(const kel_store *s)
{
	return s ? s->trust_dir : NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int kel_store_open(kel_store **out, const char *uri, const kel_store_options *opts)
{
	kel_store_options defaults = KEL_STORE_OPTIONS_INIT;
	const kel__store_backend *be = NULL;
	const char *target = NULL;
	kel_store *s;
	int rc;

	if (!out)
		return kel_fail(KEL_EINVAL, "kel_store_open: NULL argument");
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != KEL_STORE_OPTIONS_VERSION)
		return kel_fail(KEL_EINVAL, "kel_store_open: unknown options version %u",
			opts->version);
	if (!uri || !*uri)
		uri = KEL_STORE_DEFAULT_URI;
	if (strncmp(uri, "sqlite:", 7) == 0) {
		be = &kel__store_sqlite;
		target = uri + 7;
		if (!*target)
			return kel_fail(KEL_EINVAL, "store URI 'sqlite:': no path");
	} else if (strncmp(uri, "postgresql://", 13) == 0 || strncmp(uri, "postgres://", 11) == 0) {
#ifdef KELISIM_WITH_PQ
		be = &kel__store_pq;
		target = uri;
#else
		return kel_fail(KEL_EUNSUPPORTED,
			"store: this build has no PostgreSQL back end (configure with libpq)");
#endif
	} else {
		/* The URI may carry a password: name only its scheme. */
		const char *colon = strchr(uri, ':');
		return kel_fail(KEL_EINVAL, "store URI: unknown scheme '%.*s' (expected sqlite:PATH "
			"or postgresql://...)", colon ? (int)(colon - uri) : (int)strlen(uri), uri);
	}

	if (!(s = calloc(1, sizeof *s)))
		return kel_fail(KEL_ENOMEM, "out of memory");
	s->be = be;
	s->allow_weak = opts->allow_weak;
	s->now = opts->now;
	if ((opts->trust_file && !(s->trust_file = dup_or_null(opts->trust_file))) ||
	    (opts->trust_dir && !(s->trust_dir = dup_or_null(opts->trust_dir)))) {
		kel_store_free(s);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	if ((rc = be->open(&s->conn, target, opts->must_exist)) < 0) {
		s->conn = NULL;
		kel_store_free(s);
		return rc;
	}
	if ((rc = load_log_id(s)) < 0 ||
	    (!s->trust_file && !s->trust_dir && (rc = load_trust(s)) < 0)) {
		kel_store_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void kel_store_free(kel_store *s)
{
	if (!s)
		return;
	if (s->conn)
		s->be->close(s->conn);
	kel_merkle_frontier_free(s->frontier);
	free(s->trust_file);
	free(s->trust_dir);
	free(s);
}

const char *kel_store_backend(const kel_store *s)
{
	return s ? s->be->name : NULL;
}

const char *kel_store_log_id(const kel_store *s)
{
	return s ? s->log_id : NULL;
}

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

/* What the store knows of a document, without its bytes. */
struct doc_brief {
	int found;
	char type[32];
	char sha256[65];
	int erased;
};

static int row_brief(void *ctx, int ncol, const kel__sql_val *col)
{
	struct doc_brief *b = ctx;
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

static int brief(kel_store *s, const char *id, struct doc_brief *b)
{
	kel__sql_val p[1] = { v_text(id) };
	memset(b, 0, sizeof *b);
	return q(s, "SELECT type, sha256, erased_at FROM documents WHERE id = ?", 1, p,
		row_brief, b);
}

static int is_consent_type(const char *type)
{
	return strcmp(type, "consent") == 0 || strcmp(type, "cross-border-consent") == 0;
}

/* In the add transaction: log "withdrawn" for the consent a withdrawal ends, if stored. */
static int log_withdrawal(kel_store *s, kel_merkle_frontier *f, const kel_doc *doc,
	const char *when)
{
	struct one_int r = { 0, 0 };
	kel__sql_val p[4] = { v_text(kel_doc_refers_to(doc)), v_text(kel_doc_subject_iin(doc)),
		v_text(kel_doc_operator_bin(doc)), v_text(kel_doc_id(doc)) };
	struct event e;
	int rc;

	(void)when;
	rc = q(s, "SELECT count(*) FROM documents WHERE id = ? AND subject_iin = ? AND "
		"operator_bin = ? AND type IN ('consent', 'cross-border-consent') AND "
		"erased_at IS NULL", 3, p, row_int, &r);
	if (rc < 0 || r.value == 0)
		return rc;
	/* Only the first withdrawal of a consent is its "withdrawn" event. */
	r.found = 0;
	r.value = 0;
	{
		kel__sql_val p2[4] = { p[0], p[1], p[2], p[3] };
		rc = q(s, "SELECT count(*) FROM documents WHERE type = 'withdrawal' AND "
			"refers_to = ? AND subject_iin = ? AND operator_bin = ? AND id <> ?", 4, p2,
			row_int, &r);
	}
	if (rc < 0 || r.value > 0)
		return rc;
	memset(&e, 0, sizeof e);
	e.event = "withdrawn";
	e.time = store_now(s);
	e.document = kel_doc_refers_to(doc);
	e.by = kel_doc_id(doc);
	return append_event(s, f, &e, NULL);
}

int kel_store_add(kel_store *s, const char *xml, size_t len, kel_store_added *added)
{
	kel_verify_options vo = KEL_VERIFY_OPTIONS_INIT;
	kel_report *report = NULL;
	kel_doc *doc = NULL;
	kel_merkle_frontier *work = NULL;
	struct doc_fields f;
	struct doc_brief ex;
	char sha[65], now_text[21];
	const char *type;
	uint64_t leaf = 0;
	int rc;

	if (added)
		memset(added, 0, sizeof *added);
	if (!s || !xml)
		return kel_fail(KEL_EINVAL, "kel_store_add: NULL argument");

	/* Verify first, outside any transaction: it is the slow part. */
	vo.trust_file = s->trust_file;
	vo.trust_dir = s->trust_dir;
	vo.allow_weak = s->allow_weak;
	vo.validation_time = s->now;
	if (!s->no_verify) {
		if ((rc = kel_verify(&report, xml, len, &vo)) < 0)
			return rc;
		if (kel_report_indication(report) != KEL_INDICATION_PASSED ||
		    !kel_report_is_kelisim(report)) {
			rc = refuse(report);
			kel_report_free(report);
			return rc;
		}
		kel_report_free(report);
	}
	if ((rc = kel_doc_parse(&doc, xml, len)) < 0)
		return rc;
	read_fields(doc, &f);
	type = kel_doc_type_name(kel_doc_get_type(doc));
	if ((rc = sha256_hex(sha, xml, len)) < 0)
		goto done;
	if (added)
		snprintf(added->id, sizeof added->id, "%s", kel_doc_id(doc));

	if ((rc = begin(s, 1)) < 0)
		goto done;
	if ((rc = brief(s, kel_doc_id(doc), &ex)) < 0) {
		finish(s, rc);
		goto done;
	}
	if (ex.found) {
		if (strcmp(ex.sha256, sha) != 0) {
			rc = kel_fail(KEL_EINVALID, "document '%s' is already stored with other "
				"content (sha256 %s, this one %s)", kel_doc_id(doc), ex.sha256, sha);
			finish(s, rc);
			goto done;
		}
		{
			struct one_int r = { 0, 0 };
			kel__sql_val p[1] = { v_text(kel_doc_id(doc)) };
			rc = q(s, "SELECT leaf FROM documents WHERE id = ?", 1, p, row_int, &r);
			leaf = (uint64_t)r.value;
		}
		if (rc == 0 && added) {
			added->already = 1;
			added->leaf = leaf;
			rc = log_size(s, &added->tree_size);
		}
		rc = finish(s, rc);
		goto done;
	}
	if ((rc = start_append(s, &work)) < 0) {
		finish(s, rc);
		goto done;
	}
	{
		struct event e;
		memset(&e, 0, sizeof e);
		e.event = "stored";
		e.time = store_now(s);
		e.document = kel_doc_id(doc);
		e.type = type;
		e.sha256 = sha;
		rc = append_event(s, work, &e, &leaf);
	}
	kel__utc_format(store_now(s), now_text);
	if (rc == 0) {
		kel__sql_val p[14] = {
			v_text(kel_doc_id(doc)), v_text(type), v_text(kel_doc_issued_at(doc)),
			v_text(sha), v_int((int64_t)len), v_blob(xml, len),
			v_text(kel_doc_subject_iin(doc)), v_text(kel_doc_operator_bin(doc)),
			v_text(f.processor_bin[0] ? f.processor_bin : NULL),
			v_text(kel_doc_refers_to(doc)),
			v_text(f.period_from[0] ? f.period_from : NULL),
			v_text(f.period_until[0] ? f.period_until : NULL),
			v_int((int64_t)leaf), v_text(now_text) };
		rc = q(s, "INSERT INTO documents (id, type, issued_at, sha256, size, body, "
			"subject_iin, operator_bin, processor_bin, refers_to, period_from, "
			"period_until, leaf, stored_at) VALUES "
			"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", 14, p, NULL, NULL);
	}
	if (rc == 0 && kel_doc_get_type(doc) == KEL_DOC_WITHDRAWAL && kel_doc_refers_to(doc))
		rc = log_withdrawal(s, work, doc, now_text);
	if (rc == 0 && added) {
		added->leaf = leaf;
		added->tree_size = kel_merkle_frontier_size(work);
	}
	rc = end_append(s, work, rc);
done:
	kel_doc_free(doc);
	return rc;
}

/* ---- Reading --------------------------------------------------------------------------- */

struct body {
	int found;
	int erased;
	char erased_at[32];
	char reason[TEXT_FIELD_MAX * 4 + 1];
	kel_buf *out;
	int rc;
};

static int row_body(void *ctx, int ncol, const kel__sql_val *col)
{
	struct body *b = ctx;
	if (ncol < 3)
		return 0;
	b->found = 1;
	if (col[0].type == KEL_SQL_NULL) {
		b->erased = 1;
		if (col[1].type == KEL_SQL_TEXT)
			snprintf(b->erased_at, sizeof b->erased_at, "%s", (const char *)col[1].p);
		if (col[2].type == KEL_SQL_TEXT)
			snprintf(b->reason, sizeof b->reason, "%s", (const char *)col[2].p);
		return 0;
	}
	kel_buf_clear(b->out);
	if (col[0].len == 0)
		return kel_buf_puts(b->out, "");
	return kel_buf_put(b->out, col[0].p, col[0].len);
}

int kel_store_get(kel_store *s, const char *id, kel_buf *out)
{
	struct body b;
	int rc;

	if (!s || !id || !out)
		return kel_fail(KEL_EINVAL, "kel_store_get: NULL argument");
	memset(&b, 0, sizeof b);
	b.out = out;
	kel__sql_val p[1] = { v_text(id) };
	rc = q(s, "SELECT body, erased_at, erase_reason FROM documents WHERE id = ?", 1, p,
		row_body, &b);
	if (rc < 0)
		return rc;
	if (!b.found)
		return kel_fail(KEL_ENOTFOUND, "document '%s': not in the store", id);
	if (b.erased)
		return kel_fail(KEL_ENOTFOUND, "document '%s': erased at %s (%s)", id, b.erased_at,
			b.reason);
	return 0;
}

/* ---- Listing and status --------------------------------------------------------------- */

static const char *const status_names[] = {
	NULL, "ConsentGiven", "ConsentWithdrawn", "ConsentExpired", "Erased"
};

const char *kel_store_status_name(kel_store_status st)
{
	if ((int)st <= 0 || (size_t)st >= sizeof status_names / sizeof status_names[0])
		return NULL;
	return status_names[st];
}

kel_store_status kel_store_status_from_name(const char *name)
{
	for (size_t i = 1; name && i < sizeof status_names / sizeof status_names[0]; i++)
		if (strcmp(name, status_names[i]) == 0)
			return (kel_store_status)i;
	return KEL_STATUS_NONE;
}

#define LIST_SELECT \
	"SELECT d.id, d.type, d.issued_at, d.subject_iin, d.operator_bin, d.processor_bin, " \
	"d.refers_to, d.period_from, d.period_until, d.sha256, d.size, d.leaf, d.stored_at, " \
	"d.erased_at, d.erase_reason, w.id, w.issued_at, n.id, n.issued_at " \
	"FROM documents d " \
	"LEFT JOIN documents w ON w.id = (SELECT x.id FROM documents x WHERE " \
	"d.type IN ('consent', 'cross-border-consent') AND x.type = 'withdrawal' AND " \
	"x.refers_to = d.id AND x.subject_iin = d.subject_iin AND " \
	"x.operator_bin = d.operator_bin ORDER BY x.issued_at, x.id LIMIT 1) " \
	"LEFT JOIN documents n ON n.id = (SELECT y.id FROM documents y WHERE " \
	"d.type IN ('consent', 'cross-border-consent') AND y.type = 'transfer-notice' AND " \
	"y.subject_iin = d.subject_iin AND y.operator_bin = d.operator_bin AND " \
	"y.processor_bin = d.processor_bin AND y.issued_at >= d.issued_at " \
	"ORDER BY y.issued_at, y.id LIMIT 1) "

struct list_ctx {
	kel_store_status want;
	char today[11];
	kel_store_entry_fn fn;
	void *ctx;
	int stopped;
};

static const char *col_text(const kel__sql_val *c)
{
	return c->type == KEL_SQL_TEXT ? (const char *)c->p : NULL;
}

static int row_entry(void *vctx, int ncol, const kel__sql_val *col)
{
	struct list_ctx *l = vctx;
	kel_store_entry e;
	int rc;

	if (ncol < 19)
		return 0;
	memset(&e, 0, sizeof e);
	e.id = col_text(&col[0]);
	e.type = col_text(&col[1]);
	e.issued_at = col_text(&col[2]);
	e.subject_iin = col_text(&col[3]);
	e.operator_bin = col_text(&col[4]);
	e.processor_bin = col_text(&col[5]);
	e.refers_to = col_text(&col[6]);
	e.period_from = col_text(&col[7]);
	e.period_until = col_text(&col[8]);
	e.sha256 = col_text(&col[9]);
	e.size = col[10].type == KEL_SQL_INT ? (uint64_t)col[10].i : 0;
	e.leaf = col[11].type == KEL_SQL_INT ? (uint64_t)col[11].i : 0;
	e.stored_at = col_text(&col[12]);
	e.erased_at = col_text(&col[13]);
	e.erase_reason = col_text(&col[14]);
	e.withdrawn_by = col_text(&col[15]);
	e.withdrawn_at = col_text(&col[16]);
	e.notice_id = col_text(&col[17]);
	e.notice_at = col_text(&col[18]);
	if (!e.id || !e.type)
		return 0;
	if (e.erased_at)
		e.status = KEL_STATUS_ERASED;
	else if (!is_consent_type(e.type))
		e.status = KEL_STATUS_NONE;
	else if (e.withdrawn_by)
		e.status = KEL_STATUS_WITHDRAWN;
	else if (e.period_until && strcmp(e.period_until, l->today) < 0)
		e.status = KEL_STATUS_EXPIRED;
	else
		e.status = KEL_STATUS_GIVEN;
	if (l->want != KEL_STATUS_NONE && e.status != l->want)
		return 0;
	rc = l->fn(l->ctx, &e);
	if (rc != 0)
		l->stopped = 1;
	return rc;
}

/* The first instant (UTC text) at or after which a bound holds; day_after for "until". */
static int bound(const char *what, const char *d, int day_after, char out[21])
{
	struct tm tm;
	time_t t;

	if (strlen(d) == 20 && d[10] == 'T' && d[19] == 'Z') {
		char day[11];
		memcpy(day, d, 10);
		day[10] = '\0';
		if (!kel__date_is_valid(day))
			return kel_fail(KEL_EINVAL, "%s: '%s' is not a date", what, d);
		if (!day_after) {
			memcpy(out, d, 21);
			return 0;
		}
		/* until a moment: up to and including that second */
		memset(&tm, 0, sizeof tm);
		if (sscanf(d, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			&tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
			return kel_fail(KEL_EINVAL, "%s: '%s' is not a date", what, d);
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t = timegm(&tm) + 1;
		kel__utc_format(t, out);
		return 0;
	}
	if (!kel__date_is_valid(d))
		return kel_fail(KEL_EINVAL, "%s: '%s' is not a date (YYYY-MM-DD or "
			"YYYY-MM-DDThh:mm:ssZ)", what, d);
	memset(&tm, 0, sizeof tm);
	sscanf(d, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	/* 00:00 in Kazakhstan (UTC+5) is 19:00 UTC the day before. */
	t = timegm(&tm) - 5 * 3600 + (day_after ? 86400 : 0);
	kel__utc_format(t, out);
	return 0;
}

static int run_list(kel_store *s, const kel_store_filter *fl, int consents_only,
	kel_store_entry_fn fn, void *ctx)
{
	kel_buf sql = KEL_BUF_INIT;
	kel__sql_val p[8];
	char since[21], until[21];
	struct list_ctx l;
	int n = 0, rc;

	memset(&l, 0, sizeof l);
	l.want = fl->status;
	l.fn = fn;
	l.ctx = ctx;
	kel__kz_date(store_now(s), l.today);
	if ((rc = kel_buf_puts(&sql, LIST_SELECT "WHERE 1 = 1")) < 0)
		goto done;
	if (fl->subject_iin) {
		rc = kel_buf_puts(&sql, " AND d.subject_iin = ?");
		p[n++] = v_text(fl->subject_iin);
	}
	if (rc == 0 && fl->operator_bin) {
		rc = kel_buf_puts(&sql, " AND d.operator_bin = ?");
		p[n++] = v_text(fl->operator_bin);
	}
	if (rc == 0 && fl->type) {
		if (kel_doc_type_from_name(fl->type) == 0) {
			rc = kel_fail(KEL_EINVAL, "type: unknown document type '%s'", fl->type);
			goto done;
		}
		rc = kel_buf_puts(&sql, " AND d.type = ?");
		p[n++] = v_text(fl->type);
	}
	if (rc == 0 && consents_only)
		rc = kel_buf_puts(&sql, " AND d.type IN ('consent', 'cross-border-consent')");
	if (rc == 0 && fl->since) {
		if ((rc = bound("since", fl->since, 0, since)) < 0)
			goto done;
		rc = kel_buf_puts(&sql, " AND d.issued_at >= ?");
		p[n++] = v_text(since);
	}
	if (rc == 0 && fl->until) {
		if ((rc = bound("until", fl->until, 1, until)) < 0)
			goto done;
		rc = kel_buf_puts(&sql, " AND d.issued_at < ?");
		p[n++] = v_text(until);
	}
	if (rc == 0 && !fl->include_erased && fl->status != KEL_STATUS_ERASED)
		rc = kel_buf_puts(&sql, " AND d.erased_at IS NULL");
	if (rc == 0)
		rc = kel_buf_puts(&sql, " ORDER BY d.leaf");
	if (rc < 0)
		goto done;
	/* One statement sees one snapshot: no transaction (on PostgreSQL two round trips fewer). */
	rc = q(s, sql.ptr, n, p, row_entry, &l);
done:
	kel_buf_dispose(&sql);
	return rc;
}

int kel_store_list(kel_store *s, const kel_store_filter *filter, kel_store_entry_fn fn, void *ctx)
{
	kel_store_filter defaults = KEL_STORE_FILTER_INIT;
	if (!s || !fn)
		return kel_fail(KEL_EINVAL, "kel_store_list: NULL argument");
	if (!filter)
		filter = &defaults;
	if (filter->version != KEL_STORE_FILTER_VERSION)
		return kel_fail(KEL_EINVAL, "kel_store_list: unknown filter version %u",
			filter->version);
	return run_list(s, filter, 0, fn, ctx);
}

int kel_store_subject_status(kel_store *s, const char *iin, kel_store_entry_fn fn, void *ctx)
{
	kel_store_filter fl = KEL_STORE_FILTER_INIT;
	const char *why = NULL;
	if (!s || !iin || !fn)
		return kel_fail(KEL_EINVAL, "kel_store_subject_status: NULL argument");
	if (kel_kzid_check_iin(iin, &why) != 0)
		return kel_fail(KEL_EINVALID, "IIN '%s': %s", iin, why ? why : "not valid");
	fl.subject_iin = iin;
	return run_list(s, &fl, 1, fn, ctx);
}

/* ---- Erasure, export, expiry ----------------------------------------------------------- */

int kel_store_erase(kel_store *s, const char *id, const char *reason)
{
	kel_merkle_frontier *work = NULL;
	struct doc_brief b;
	char now_text[21];
	int rc;

	if (!s || !id)
		return kel_fail(KEL_EINVAL, "kel_store_erase: NULL argument");
	if ((rc = check_line("reason", reason, 1)) < 0)
		return rc;
	if ((rc = begin(s, 1)) < 0)
		return rc;
	if ((rc = brief(s, id, &b)) < 0)
		return finish(s, rc);
	if (!b.found)
		return finish(s, kel_fail(KEL_ENOTFOUND, "document '%s': not in the store", id));
	if (b.erased)
		return finish(s, kel_fail(KEL_EINVALID, "document '%s': already erased", id));
	if ((rc = start_append(s, &work)) < 0)
		return finish(s, rc);
	kel__utc_format(store_now(s), now_text);
	{
		kel__sql_val p[3] = { v_text(now_text), v_text(reason), v_text(id) };
		rc = q(s, "UPDATE documents SET body = NULL, size = 0, subject_iin = NULL, "
			"erased_at = ?, erase_reason = ? WHERE id = ?", 3, p, NULL, NULL);
	}
	if (rc == 0) {
		struct event e;
		memset(&e, 0, sizeof e);
		e.event = "erased";
		e.time = store_now(s);
		e.document = id;
		e.type = b.type;
		e.sha256 = b.sha256;
		e.reason = reason;
		rc = append_event(s, work, &e, NULL);
	}
	return end_append(s, work, rc);
}

int kel_store_log_export(kel_store *s, const char *id, const char *detail, uint64_t *leaf)
{
	kel_merkle_frontier *work = NULL;
	struct doc_brief b;
	struct event e;
	int rc;

	if (!s || !id)
		return kel_fail(KEL_EINVAL, "kel_store_log_export: NULL argument");
	if (detail && (rc = check_line("detail", detail, 0)) < 0)
		return rc;
	if ((rc = begin(s, 1)) < 0)
		return rc;
	if ((rc = brief(s, id, &b)) < 0)
		return finish(s, rc);
	if (!b.found)
		return finish(s, kel_fail(KEL_ENOTFOUND, "document '%s': not in the store", id));
	if ((rc = start_append(s, &work)) < 0)
		return finish(s, rc);
	memset(&e, 0, sizeof e);
	e.event = "exported";
	e.time = store_now(s);
	e.document = id;
	e.type = b.type;
	e.sha256 = b.sha256;
	e.detail = detail && *detail ? detail : NULL;
	rc = append_event(s, work, &e, leaf);
	return end_append(s, work, rc);
}

struct expiry {
	char id[KEL_UUID_STRLEN + 1];
	char type[32];
	char until[11];
};

struct expiry_list {
	struct expiry *v;
	size_t n, cap;
};

static int row_expiry(void *ctx, int ncol, const kel__sql_val *col)
{
	struct expiry_list *l = ctx;
	if (ncol < 3 || !col_text(&col[0]) || !col_text(&col[1]) || !col_text(&col[2]))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct expiry *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return kel_fail(KEL_ENOMEM, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	snprintf(l->v[l->n].id, sizeof l->v[l->n].id, "%s", col_text(&col[0]));
	snprintf(l->v[l->n].type, sizeof l->v[l->n].type, "%s", col_text(&col[1]));
	snprintf(l->v[l->n].until, sizeof l->v[l->n].until, "%s", col_text(&col[2]));
	l->n++;
	return 0;
}

int kel_store_log_expiries(kel_store *s, uint64_t *count)
{
	kel_merkle_frontier *work = NULL;
	struct expiry_list l = { NULL, 0, 0 };
	char today[11];
	int rc;

	if (count)
		*count = 0;
	if (!s)
		return kel_fail(KEL_EINVAL, "kel_store_log_expiries: NULL argument");
	kel__kz_date(store_now(s), today);
	if ((rc = begin(s, 1)) < 0)
		return rc;
	{
		kel__sql_val p[1] = { v_text(today) };
		rc = q(s, "SELECT id, type, period_until FROM documents WHERE "
			"type IN ('consent', 'cross-border-consent') AND period_until < ? AND "
			"erased_at IS NULL AND expired_leaf IS NULL ORDER BY leaf", 1, p, row_expiry,
			&l);
	}
	if (rc < 0 || l.n == 0) {
		free(l.v);
		return finish(s, rc);
	}
	if ((rc = start_append(s, &work)) < 0) {
		free(l.v);
		return finish(s, rc);
	}
	for (size_t i = 0; rc == 0 && i < l.n; i++) {
		struct event e;
		uint64_t leaf;
		memset(&e, 0, sizeof e);
		e.event = "expired";
		e.time = store_now(s);
		e.document = l.v[i].id;
		e.type = l.v[i].type;
		e.until = l.v[i].until;
		rc = append_event(s, work, &e, &leaf);
		if (rc == 0) {
			kel__sql_val p[2] = { v_int((int64_t)leaf), v_text(l.v[i].id) };
			rc = q(s, "UPDATE documents SET expired_leaf = ? WHERE id = ?", 2, p, NULL,
				NULL);
		}
	}
	if (rc == 0 && count)
		*count = l.n;
	free(l.v);
	return end_append(s, work, rc);
}

/* ---- Log, heads, proofs ---------------------------------------------------------------- */

int kel_store_log_size(kel_store *s, uint64_t *out)
{
	if (!s || !out)
		return kel_fail(KEL_EINVAL, "kel_store_log_size: NULL argument");
	return log_size(s, out);
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
	kel__sql_val p[1] = { v_int((int64_t)index) };
	if ((rc = q(s, "SELECT entry FROM log_entries WHERE idx = ?", 1, p, row_blob_copy, out)) < 0)
		return rc;
	if (out->ptr == NULL)
		return kel_fail(KEL_ENOTFOUND, "log position %" PRIu64 ": no such entry", index);
	return 0;
}

/* The head of the current tree, in a read transaction. */
static int current_head(kel_store *s, kel_merkle_head *h)
{
	uint64_t n;
	int rc;

	memset(h, 0, sizeof *h);
	snprintf(h->log_id, sizeof h->log_id, "%s", s->log_id);
	if ((rc = begin(s, 0)) < 0)
		return rc;
	rc = log_size(s, &n);
	if (rc == 0)
		rc = frontier_at(s, n, NULL);
	if (rc == 0)
		rc = kel_merkle_frontier_root(s->frontier, h->root);
	rc = finish(s, rc);
	h->size = n;
	h->time = (int64_t)store_now(s);
	return rc;
}

int kel_store_head(kel_store *s, kel_merkle_head *out)
{
	if (!s || !out)
		return kel_fail(KEL_EINVAL, "kel_store_head: NULL argument");
	return current_head(s, out);
}

static int sign_bytes(const kel_key *key, const kel_buf *msg, unsigned char **sig, size_t *len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int rc = 0;

	*sig = NULL;
	*len = 0;
	if (!md)
		return kel_fail(KEL_ENOMEM, "out of memory");
	if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key->pkey) != 1 ||
	    EVP_DigestSign(md, NULL, len, (const unsigned char *)msg->ptr, msg->size) != 1 ||
	    !(*sig = OPENSSL_malloc(*len)) ||
	    EVP_DigestSign(md, *sig, len, (const unsigned char *)msg->ptr, msg->size) != 1) {
		OPENSSL_free(*sig);
		*sig = NULL;
		rc = kel_fail_openssl(KEL_ECRYPTO, "signing the tree head failed");
	}
	EVP_MD_CTX_free(md);
	return rc;
}

/* The certificate followed by its chain, DER, concatenated. */
static int certs_der(const kel_key *key, kel_buf *out)
{
	int rc = 0;
	for (int i = -1; rc == 0 && i < (key->chain ? sk_X509_num(key->chain) : 0); i++) {
		X509 *c = i < 0 ? key->cert : sk_X509_value(key->chain, i);
		unsigned char *der = NULL;
		int len = i2d_X509(c, &der);
		if (len <= 0)
			return kel_fail_openssl(KEL_ECRYPTO, "encoding a certificate failed");
		rc = kel_buf_put(out, der, (size_t)len);
		OPENSSL_free(der);
	}
	return rc;
}

int kel_store_head_sign(kel_store *s, const kel_key *key, kel_merkle_head *head,
	kel_buf *signature)
{
	kel_merkle_head h;
	kel_buf msg = KEL_BUF_INIT, certs = KEL_BUF_INIT;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	struct one_int r = { 0, 0 };
	uint64_t n;
	int rc;

	if (!s || !key)
		return kel_fail(KEL_EINVAL, "kel_store_head_sign: NULL argument");
	if (EVP_PKEY_base_id(key->pkey) != EVP_PKEY_EC)
		return kel_fail(KEL_EUNSUPPORTED, "tree heads are signed with ECDSA keys only "
			"(this key is %s)", kel_key_algorithm(key));
	if ((rc = certs_der(key, &certs)) < 0)
		goto done;
	memset(&h, 0, sizeof h);
	snprintf(h.log_id, sizeof h.log_id, "%s", s->log_id);
	h.time = (int64_t)store_now(s);
	/* A write transaction, so that the head recorded is of the log as it is now. */
	if ((rc = begin(s, 1)) < 0)
		goto done;
	rc = log_size(s, &n);
	if (rc == 0)
		rc = frontier_at(s, n, NULL);
	if (rc == 0) {
		h.size = n;
		rc = kel_merkle_frontier_root(s->frontier, h.root);
	}
	if (rc == 0)
		rc = kel_merkle_head_signed_bytes(&msg, &h);
	if (rc == 0)
		rc = sign_bytes(key, &msg, &sig, &siglen);
	if (rc == 0)
		rc = q(s, "SELECT max(num) FROM tree_heads", 0, NULL, row_int, &r);
	if (rc == 0) {
		kel__sql_val p[6] = { v_int(r.found ? r.value + 1 : 1), v_int((int64_t)h.size),
			v_int(h.time), v_blob(h.root, HLEN), v_blob(sig, siglen),
			v_blob(certs.ptr, certs.size) };
		rc = q(s, "INSERT INTO tree_heads (num, size, time, root, signature, cert) "
			"VALUES (?, ?, ?, ?, ?, ?)", 6, p, NULL, NULL);
	}
	if ((rc = finish(s, rc)) < 0)
		goto done;
	if (head)
		*head = h;
	if (signature) {
		kel_buf_clear(signature);
		rc = kel_buf_put(signature, sig, siglen);
	}
done:
	OPENSSL_free(sig);
	kel_buf_dispose(&msg);
	kel_buf_dispose(&certs);
	return rc;
}

struct heads_ctx {
	kel_store *s;
	kel_store_head_fn fn;
	void *ctx;
};

static int row_head(void *vctx, int ncol, const kel__sql_val *col)
{
	struct heads_ctx *c = vctx;
	kel_store_signed_head h;

	if (ncol < 6)
		return 0;
	memset(&h, 0, sizeof h);
	snprintf(h.head.log_id, sizeof h.head.log_id, "%s", c->s->log_id);
	h.number = (uint64_t)col[0].i;
	h.head.size = (uint64_t)col[1].i;
	h.head.time = col[2].i;
	if (col[3].type == KEL_SQL_BLOB && col[3].len == HLEN)
		memcpy(h.head.root, col[3].p, HLEN);
	h.signature = col[4].type == KEL_SQL_BLOB ? col[4].p : NULL;
	h.signature_len = col[4].type == KEL_SQL_BLOB ? col[4].len : 0;
	h.cert = col[5].type == KEL_SQL_BLOB ? col[5].p : NULL;
	h.cert_len = col[5].type == KEL_SQL_BLOB ? col[5].len : 0;
	return c->fn(c->ctx, &h);
}

int kel_store_heads(kel_store *s, kel_store_head_fn fn, void *ctx)
{
	struct heads_ctx c = { s, fn, ctx };
	if (!s || !fn)
		return kel_fail(KEL_EINVAL, "kel_store_heads: NULL argument");
	return q(s, "SELECT num, size, time, root, signature, cert FROM tree_heads ORDER BY num",
		0, NULL, row_head, &c);
}

int kel_store_head_verify(const kel_store_signed_head *h, const char *trust_file,
	const char *trust_dir)
{
	const unsigned char *p;
	X509 *cert = NULL;
	STACK_OF(X509) *chain = NULL;
	EVP_MD_CTX *md = NULL;
	X509_STORE *store = NULL;
	X509_STORE_CTX *vctx = NULL;
	kel_buf msg = KEL_BUF_INIT;
	int rc = 0;

	if (!h)
		return kel_fail(KEL_EINVAL, "kel_store_head_verify: NULL argument");
	p = h->cert;
	if (!p || !(cert = d2i_X509(NULL, &p, (long)h->cert_len))) {
		rc = kel_fail(KEL_EINVALID, "signed head %" PRIu64 ": no readable certificate",
			h->number);
		goto done;
	}
	if ((rc = kel_merkle_head_signed_bytes(&msg, &h->head)) < 0)
		goto done;
	if (!(md = EVP_MD_CTX_new())) {
		rc = kel_fail(KEL_ENOMEM, "out of memory");
		goto done;
	}
	if (!h->signature ||
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, X509_get0_pubkey(cert)) != 1 ||
	    EVP_DigestVerify(md, h->signature, h->signature_len,
		(const unsigned char *)msg.ptr, msg.size) != 1) {
		ERR_clear_error();
		rc = kel_fail(KEL_EINVALID, "signed head %" PRIu64 " (size %" PRIu64 "): signature "
			"does not verify", h->number, h->head.size);
		goto done;
	}
	if (trust_file || trust_dir) {
		if (!(chain = sk_X509_new_null()) || !(store = X509_STORE_new()) ||
		    !(vctx = X509_STORE_CTX_new())) {
			rc = kel_fail(KEL_ENOMEM, "out of memory");
			goto done;
		}
		while (p < h->cert + h->cert_len) {
			X509 *c = d2i_X509(NULL, &p, (long)(h->cert + h->cert_len - p));
			if (!c || !sk_X509_push(chain, c)) {
				X509_free(c);
				break;
			}
		}
		if ((trust_file && X509_STORE_load_file(store, trust_file) != 1) ||
		    (trust_dir && X509_STORE_load_path(store, trust_dir) != 1)) {
			rc = kel_fail_openssl(KEL_EIO, "trust anchors could not be read");
			goto done;
		}
		if (X509_STORE_CTX_init(vctx, store, cert, chain) != 1) {
			rc = kel_fail_openssl(KEL_ECRYPTO, "certificate check could not run");
			goto done;
		}
		X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(vctx), (time_t)h->head.time);
		if (X509_verify_cert(vctx) != 1) {
			rc = kel_fail(KEL_EINVALID, "signed head %" PRIu64 ": signer's certificate not "
				"trusted: %s", h->number,
				X509_verify_cert_error_string(X509_STORE_CTX_get_error(vctx)));
			ERR_clear_error();
			goto done;
		}
	}
done:
	X509_STORE_CTX_free(vctx);
	X509_STORE_free(store);
	sk_X509_pop_free(chain, X509_free);
	EVP_MD_CTX_free(md);
	X509_free(cert);
	kel_buf_dispose(&msg);
	return rc;
}

/* A document's log position and the log's size, from one statement. */
struct leaf_and_size {
	int found;
	int64_t leaf;
	uint64_t size;
};

static int row_leaf_and_size(void *ctx, int ncol, const kel__sql_val *col)
{
	struct leaf_and_size *r = ctx;
	if (ncol < 2 || col[0].type != KEL_SQL_INT)
		return 0;
	r->found = 1;
	r->leaf = col[0].i;
	r->size = col[1].type == KEL_SQL_INT ? (uint64_t)col[1].i + 1 : 0;
	return 0;
}

/*
 * Two statements, each one round trip on PostgreSQL: the document's leaf with the log's size,
 * then every hash the proof (and, when the frontier is stale or another size is asked, the
 * root) needs, in one batch. No read transaction is needed: the log is append-only, so the
 * rows of the first n leaves that the second statement reads are those the first one counted.
 */
int kel_store_prove(kel_store *s, const char *id, uint64_t tree_size, kel_store_inclusion *out)
{
	kel_merkle_node_ref refs[KEL_MERKLE_NODE_REFS_MAX];
	struct leaf_and_size r = { 0, 0, 0 };
	struct prefetch *pf = NULL;
	kel_merkle_source src;
	size_t count;
	uint64_t n;
	int rc;

	if (!s || !id || !out)
		return kel_fail(KEL_EINVAL, "kel_store_prove: NULL argument");
	memset(out, 0, sizeof *out);
	{
		kel__sql_val p[1] = { v_text(id) };
		rc = q(s, "SELECT leaf, (SELECT max(idx) FROM log_entries) FROM documents "
			"WHERE id = ?", 1, p, row_leaf_and_size, &r);
	}
	if (rc == 0 && !r.found)
		rc = kel_fail(KEL_ENOTFOUND, "document '%s': not in the store", id);
	n = r.size;
	if (rc == 0 && tree_size > n)
		rc = kel_fail(KEL_EINVAL, "tree size %" PRIu64 ": the log has only %" PRIu64
			" leaves", tree_size, n);
	if (rc == 0 && tree_size == 0)
		tree_size = n;
	if (rc == 0 && (r.leaf < 0 || (uint64_t)r.leaf >= tree_size))
		rc = kel_fail(KEL_EINVAL, "document '%s' is leaf %" PRId64 ", not in the tree of "
			"size %" PRIu64, id, r.leaf, tree_size);
	if (rc == 0 && !(pf = prefetch_new(s)))
		rc = KEL_ENOMEM;
	if (rc == 0) {
		kel_merkle_node_ref leaf = { 0, (uint64_t)r.leaf };
		out->leaf = (uint64_t)r.leaf;
		rc = prefetch_add(pf, &leaf, 1);
	}
	if (rc == 0 && (rc = kel_merkle_inclusion_refs(refs, &count, out->leaf, tree_size)) == 0)
		rc = prefetch_add(pf, refs, count);
	/* The current tree's root comes from the frontier, without a lookup when it is current. */
	if (rc == 0 && !(tree_size == n && frontier_current(s, n)))
		rc = prefetch_root(pf, tree_size);
	if (rc == 0)
		rc = prefetch_run(pf);
	if (rc == 0) {
		src = prefetch_source(pf);
		rc = prefetch_leaf(pf, out->leaf, out->leaf_hash);
	}
	if (rc == 0)
		rc = kel_merkle_inclusion_proof_src(&out->proof, out->leaf, tree_size, &src);
	if (rc == 0 && tree_size == n && (rc = frontier_at(s, n, pf)) == 0)
		rc = kel_merkle_frontier_root(s->frontier, out->head.root);
	else if (rc == 0)
		rc = kel_merkle_root_src(out->head.root, tree_size, &src);
	free(pf);
	snprintf(out->head.log_id, sizeof out->head.log_id, "%s", s->log_id);
	out->head.size = tree_size;
	out->head.time = (int64_t)store_now(s);
	if (rc < 0)
		kel_store_inclusion_dispose(out);
	return rc;
}

void kel_store_inclusion_dispose(kel_store_inclusion *inc)
{
	if (!inc)
		return;
	kel_merkle_proof_free(inc->proof);
	inc->proof = NULL;
}

int kel_store_consistency(kel_store *s, uint64_t m, uint64_t n,
	unsigned char old_root[HLEN], unsigned char new_root[HLEN], uint64_t *n_out,
	kel_merkle_proof **proof)
{
	kel_merkle_node_ref refs[KEL_MERKLE_NODE_REFS_MAX];
	struct prefetch *pf = NULL;
	kel_merkle_source src;
	size_t count;
	uint64_t size;
	int rc;

	if (!s || !old_root || !new_root || !proof)
		return kel_fail(KEL_EINVAL, "kel_store_consistency: NULL argument");
	*proof = NULL;
	if ((rc = begin(s, 0)) < 0)
		return rc;
	rc = log_size(s, &size);
	if (rc == 0 && n == 0)
		n = size;
	if (rc == 0 && (m == 0 || m > n || n > size))
		rc = kel_fail(KEL_EINVAL, "consistency: need 0 < old size (%" PRIu64 ") <= new size "
			"(%" PRIu64 ") <= log size (%" PRIu64 ")", m, n, size);
	/* The proof's hashes and both roots' in one batch. */
	if (rc == 0 && !(pf = prefetch_new(s)))
		rc = KEL_ENOMEM;
	if (rc == 0 && (rc = kel_merkle_consistency_refs(refs, &count, m, n)) == 0)
		rc = prefetch_add(pf, refs, count);
	if (rc == 0)
		rc = prefetch_root(pf, m);
	if (rc == 0)
		rc = prefetch_root(pf, n);
	if (rc == 0)
		rc = prefetch_run(pf);
	src = prefetch_source(pf);
	if (rc == 0)
		rc = kel_merkle_consistency_proof_src(proof, m, n, &src);
	if (rc == 0)
		rc = kel_merkle_root_src(old_root, m, &src);
	if (rc == 0)
		rc = kel_merkle_root_src(new_root, n, &src);
	free(pf);
	rc = finish(s, rc);
	if (rc < 0) {
		kel_merkle_proof_free(*proof);
		*proof = NULL;
	}
	if (rc == 0 && n_out)
		*n_out = n;
	return rc;
}

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
	int rc = node_fn(c->s, level, index, kept);
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
	id = col_text(&col[0]);
	sha = col_text(&col[1]);
	leaf = (uint64_t)col[3].i;
	c->docs++;
	if (!id || !sha) {
		found(res, leaf, "document at log position %" PRIu64 ": id or digest missing", leaf);
		return 1;
	}
	if (col[2].type == KEL_SQL_BLOB) {
		if ((rc = sha256_hex(got, col[2].p, col[2].len)) < 0)
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
		kel__sql_val p[2] = { v_int(next), v_int(CHECK_BATCH) };
		b->n = 0;
		rc = q(s, "SELECT idx, entry, hash FROM log_entries WHERE idx >= ? ORDER BY idx "
			"LIMIT ?", 2, p, row_batch, b);
		if (rc != 0 || b->n == 0)
			break;
		for (size_t i = 0; i < b->n && rc == 0; i++) {
			kel__sql_val col[3] = { v_int(b->idx[i]), { KEL_SQL_NULL, 0, NULL, 0 },
				{ KEL_SQL_NULL, 0, NULL, 0 } };
			if (b->has_entry[i])
				col[1] = v_blob(b->entry[i].ptr ? b->entry[i].ptr : "", b->entry[i].size);
			if (b->hash_ok[i])
				col[2] = v_blob(b->hash[i], HLEN);
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
	struct one_int count = { 0, 0 };
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
	if ((rc = begin(s, 0)) < 0)
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
		rc = q(s, "SELECT d.id, d.sha256, d.body, d.leaf, l.entry FROM documents d "
			"LEFT JOIN log_entries l ON l.idx = d.leaf ORDER BY d.leaf", 0, NULL,
			row_check_doc, &dc);
		if (rc > 0)
			rc = 0;
		if (rc == 0 && res->ok && dc.docs != c.stored_events) {
			struct orphan_ctx oc = { res };
			rc = q(s, "SELECT l.idx, l.entry, d.id FROM log_entries l LEFT JOIN documents d "
				"ON d.leaf = l.idx ORDER BY l.idx", 0, NULL, row_orphan, &oc);
			if (rc > 0)
				rc = 0;
			if (rc == 0 && res->ok)
				found(res, UINT64_MAX, "%" PRIu64 " documents but %" PRIu64 " \"stored\" "
					"events", dc.docs, c.stored_events);
		}
	}
	(void)count;
	rc = finish(s, rc);
done:
	for (size_t i = 0; i < heads.n; i++) {
		free(heads.v[i].sig);
		free(heads.v[i].cert);
	}
	free(heads.v);
	kel_merkle_frontier_free(c.f);
	return rc;
}

/* ---- For other modules (store_internal.h): events of their own ------------------------- */

int kel__store_append_event(kel_store *s, const char *event, const char *document,
	const char *sha256, const char *detail, kel__store_txn_fn fn, void *ctx, uint64_t *leaf)
{
	kel_merkle_frontier *work = NULL;
	struct event e;
	uint64_t at = 0;
	int rc;

	if (!s || !event)
		return kel_fail(KEL_EINVAL, "kel__store_append_event: NULL argument");
	if (detail && (rc = check_line("detail", detail, 0)) < 0)
		return rc;
	if ((rc = begin(s, 1)) < 0)
		return rc;
	if ((rc = start_append(s, &work)) < 0)
		return finish(s, rc);
	memset(&e, 0, sizeof e);
	e.event = event;
	e.time = store_now(s);
	e.document = document;
	e.sha256 = sha256;
	e.detail = detail && *detail ? detail : NULL;
	rc = append_event(s, work, &e, &at);
	if (rc == 0 && fn)
		rc = fn(s, at, ctx);
	rc = end_append(s, work, rc);
	if (rc == 0 && leaf)
		*leaf = at;
	return rc;
}

time_t kel__store_now(const kel_store *s)
{
	return store_now(s);
}
