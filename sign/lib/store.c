/*
 * The evidence store: opening one (its back end, log id and trust settings) and what its
 * other source files share: statement values, transactions, small checks (store_impl.h).
 * It is written once over the back-end interface of store_backend.h (SQLite or PostgreSQL):
 * store_log.c keeps the Merkle log, store_add.c adds documents, store_read.c reads them,
 * store_erase.c erases and logs exports and expiries, store_head.c signs tree heads and
 * proves, store_check.c checks the whole store. docs/store.md describes the tables, the
 * log's entry encoding and the rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "kelisim/store.h"
#include "kelisim/uuid.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "store_impl.h"
#include "text.h"

/* ---- Small helpers ---------------------------------------------------------------------- */

kel__sql_val kel__sql_text(const char *s)
{
	kel__sql_val v = { KEL_SQL_NULL, 0, NULL, 0 };
	if (s) {
		v.type = KEL_SQL_TEXT;
		v.p = s;
		v.len = strlen(s);
	}
	return v;
}

kel__sql_val kel__sql_int(int64_t i)
{
	kel__sql_val v = { KEL_SQL_INT, i, NULL, 0 };
	return v;
}

kel__sql_val kel__sql_blob(const void *p, size_t len)
{
	kel__sql_val v = { KEL_SQL_BLOB, 0, p, len };
	return v;
}

int kel__store_sql(kel_store *s, const char *sql, int n, const kel__sql_val *p,
	kel__sql_row_fn fn, void *ctx)
{
	return s->be->exec(s->conn, sql, n, p, fn, ctx);
}

int kel__store_exec(struct kel_store *store, const char *sql, int nparams,
	const kel__sql_val *params, kel__sql_row_fn fn, void *ctx)
{
	if (!store || !sql)
		return kel_fail(KEL_EINVAL, "kel__store_exec: NULL argument");
	return kel__store_sql(store, sql, nparams, params, fn, ctx);
}

/* A row callback: the first column as an integer (found set to 1). */
int kel__sql_row_int(void *ctx, int ncol, const kel__sql_val *col)
{
	struct kel__sql_one_int *r = ctx;
	if (ncol >= 1 && col[0].type == KEL_SQL_INT) {
		r->found = 1;
		r->value = col[0].i;
	}
	return 0;
}

time_t kel__store_now(const kel_store *s)
{
	return s->now ? s->now : time(NULL);
}

int kel__store_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char md[HLEN];
	unsigned int mdlen = 0;
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
		return kel_fail_openssl(KEL_ECRYPTO, "SHA-256 failed");
	kel_merkle_hash_to_hex(out, md);
	return 0;
}

/* A line of text that may go into the log: 1..512 characters (min_len 0 allows empty). */
int kel__store_check_line(const char *what, const char *s, size_t min_len)
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

const char *kel__sql_col_text(const kel__sql_val *c)
{
	return c->type == KEL_SQL_TEXT ? (const char *)c->p : NULL;
}

/* ---- Transactions ---------------------------------------------------------------------- */

int kel__store_begin(kel_store *s, int write)
{
	if (s->batch)
		return 0;
	return s->be->begin(s->conn, write);
}

int kel__store_finish(kel_store *s, int rc)
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

	rc = kel__store_sql(s, "SELECT value FROM meta WHERE name = 'log_id'", 0, NULL,
		row_text_copy, &v);
	if (rc == 0 && v.size == 0) {
		/* A new store: name its log, once, in a write transaction. */
		if ((rc = kel__store_begin(s, 1)) < 0)
			goto done;
		rc = kel__store_sql(s, "SELECT value FROM meta WHERE name = 'log_id'", 0, NULL,
			row_text_copy, &v);
		if (rc == 0 && v.size == 0) {
			char id[64];
			if ((rc = kel_uuid7_generate(uuid)) == 0) {
				snprintf(id, sizeof id, "kelisim:%s", uuid);
				kel__sql_val p[1] = { kel__sql_text(id) };
				rc = kel__store_sql(s, "INSERT INTO meta (name, value) VALUES ('log_id', ?)",
					1, p, NULL, NULL);
				if (rc == 0)
					rc = kel_buf_puts(&v, id);
			}
		}
		if ((rc = kel__store_finish(s, rc)) < 0)
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
	kel__sql_val p[1] = { kel__sql_text(name) };
	int rc = kel__store_sql(s, "SELECT value FROM meta WHERE name = ?", 1, p, row_text_copy,
		&v);
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
	kel__sql_val p[2] = { kel__sql_text(name), kel__sql_text(value) };
	int rc = kel__store_sql(s, "DELETE FROM meta WHERE name = ?", 1, p, NULL, NULL);
	if (rc == 0 && value)
		rc = kel__store_sql(s, "INSERT INTO meta (name, value) VALUES (?, ?)", 2, p, NULL,
			NULL);
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
	if ((rc = kel__store_begin(s, 1)) == 0) {
		rc = meta_put(s, "trust_file", trust_file);
		if (rc == 0)
			rc = meta_put(s, "trust_dir", trust_dir);
		rc = kel__store_finish(s, rc);
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
