/*
 * The PostgreSQL back end of the evidence store (libpq), for operators with many clerks and
 * servers. The same tables as the SQLite back end (BYTEA for blobs, BIGINT for positions),
 * the same append-only guards as PL/pgSQL triggers (and no TRUNCATE), writers serialised by
 * an EXCLUSIVE lock on the log table (readers are not blocked), readers in REPEATABLE READ
 * snapshots. Rows are streamed one at a time (single-row mode), so a check of a log of
 * millions of leaves does not load it into memory. docs/store.md shows the schema.
 *
 * Each SELECT/INSERT/UPDATE/DELETE is prepared on the server once per connection (a named
 * statement) and then only bound and executed: the store's lookups take a few tens of
 * microseconds to run and several times that to parse and plan, and a status lookup or a
 * proof must stay well under a millisecond.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf_internal.h"
#include "error_internal.h"
#include "store_backend.h"
#include "dl_pq.h"   /* last: it redirects the libpq names */

/* Type OIDs (pg_type.h is a server header). */
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23

#define MAX_COLS 32
#define MAX_PARAMS 32
/* More than the distinct statements store*.c and evidence.c run (list filters included). */
#define STMT_CACHE 96

/* SQLSTATE of "prepared statement ... does not exist" (DEALLOCATE ALL, DISCARD ALL, a pooler). */
#define STATE_NO_STATEMENT "26000"

struct prepared {
	char *sql;            /* as the store wrote it, with '?' placeholders */
	uint64_t hash;        /* of sql, to skip most string compares */
	char name[24];        /* the statement's name on the server */
};

struct conn {
	PGconn *pg;
	struct prepared cache[STMT_CACHE];
	size_t next_victim;
	unsigned long serial;   /* for fresh statement names */
};

static const char schema_sql[] =
	"CREATE TABLE schema_version (version INTEGER NOT NULL);"
	"CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE documents ("
	" id TEXT PRIMARY KEY, type TEXT NOT NULL, issued_at TEXT NOT NULL,"
	" sha256 TEXT NOT NULL, size BIGINT NOT NULL,"
	" subject_iin TEXT, operator_bin TEXT, processor_bin TEXT, refers_to TEXT,"
	" period_from TEXT, period_until TEXT, leaf BIGINT NOT NULL UNIQUE,"
	" stored_at TEXT NOT NULL, erased_at TEXT, erase_reason TEXT, expired_leaf BIGINT,"
	" body BYTEA);"
	"CREATE INDEX documents_subject ON documents (subject_iin, type, operator_bin, issued_at);"
	"CREATE INDEX documents_operator ON documents (operator_bin);"
	"CREATE INDEX documents_refers ON documents (refers_to);"
	"CREATE INDEX documents_issued ON documents (issued_at);"
	"CREATE TABLE log_entries (idx BIGINT PRIMARY KEY, entry BYTEA NOT NULL,"
	" hash BYTEA NOT NULL);"
	"CREATE TABLE log_nodes (level INTEGER NOT NULL, idx BIGINT NOT NULL,"
	" hash BYTEA NOT NULL, PRIMARY KEY (level, idx));"
	"CREATE TABLE tree_heads (num BIGINT PRIMARY KEY, size BIGINT NOT NULL,"
	" time BIGINT NOT NULL, root BYTEA NOT NULL, signature BYTEA NOT NULL,"
	" cert BYTEA NOT NULL);"
	"CREATE FUNCTION kelisim_refuse() RETURNS trigger LANGUAGE plpgsql AS $f$"
	" BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $f$;"
	"CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries FOR EACH ROW"
	" EXECUTE FUNCTION kelisim_refuse('log_entries is append-only');"
	"CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries FOR EACH ROW"
	" EXECUTE FUNCTION kelisim_refuse('log_entries is append-only');"
	"CREATE TRIGGER log_entries_no_truncate BEFORE TRUNCATE ON log_entries"
	" EXECUTE FUNCTION kelisim_refuse('log_entries is append-only');"
	"CREATE TRIGGER log_nodes_no_update BEFORE UPDATE ON log_nodes FOR EACH ROW"
	" EXECUTE FUNCTION kelisim_refuse('log_nodes is append-only');"
	"CREATE TRIGGER log_nodes_no_delete BEFORE DELETE ON log_nodes FOR EACH ROW"
	" EXECUTE FUNCTION kelisim_refuse('log_nodes is append-only');"
	"CREATE TRIGGER tree_heads_no_update BEFORE UPDATE ON tree_heads FOR EACH ROW"
	" EXECUTE FUNCTION kelisim_refuse('tree_heads is append-only');"
	"CREATE TRIGGER tree_heads_no_delete BEFORE DELETE ON tree_heads FOR EACH ROW"
	" EXECUTE FUNCTION kelisim_refuse('tree_heads is append-only');"
	"CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents FOR EACH ROW"
	" EXECUTE FUNCTION kelisim_refuse('documents are never deleted (erase them)');"
	"CREATE TRIGGER documents_keep_identity BEFORE UPDATE OF id, type, issued_at, sha256,"
	" leaf, stored_at, operator_bin, processor_bin, refers_to ON documents FOR EACH ROW"
	" EXECUTE FUNCTION kelisim_refuse('documents: only erasure may change a document');"
	"CREATE TRIGGER documents_erase_only BEFORE UPDATE OF body ON documents FOR EACH ROW"
	" WHEN (NEW.body IS NOT NULL)"
	" EXECUTE FUNCTION kelisim_refuse('documents: bytes can only be erased');";

/* Turn a failed result into an error; clears the result. */
static int fail_result(struct conn *c, PGresult *r, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg);
	int code = KEL_EIO;
	int rc;
	size_t len = msg ? strlen(msg) : 0;

	/* P0001: raised by a guard trigger; 23xxx: a constraint. */
	if (state && (strcmp(state, "P0001") == 0 || strncmp(state, "23", 2) == 0))
		code = KEL_EINVALID;
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
		len--;
	rc = kel_fail(code, "store (postgresql): %s: %.*s", what, (int)len, msg ? msg : "");
	PQclear(r);
	return rc;
}

static int run(struct conn *c, const char *sql)
{
	PGresult *r = PQexec(c->pg, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		return fail_result(c, r, "statement failed");
	PQclear(r);
	return 0;
}

/* The number in the first column of the first row of sql (text result), or -1. */
static int run_count(struct conn *c, const char *sql, long long *out)
{
	PGresult *r = PQexec(c->pg, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		return fail_result(c, r, "reading the schema");
	*out = (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) ? atoll(PQgetvalue(r, 0, 0)) : -1;
	PQclear(r);
	return 0;
}

/* Forget every prepared statement (the server's are gone with the session or were dropped). */
static void forget_prepared(struct conn *c)
{
	for (size_t i = 0; i < STMT_CACHE; i++) {
		free(c->cache[i].sql);
		memset(&c->cache[i], 0, sizeof c->cache[i]);
	}
	c->next_victim = 0;
}

static void pq_close(void *conn)
{
	struct conn *c = conn;
	if (!c)
		return;
	PQfinish(c->pg);
	forget_prepared(c);
	free(c);
}

static int ensure_schema(struct conn *c, int must_exist)
{
	long long present, version;
	int rc;

	if ((rc = run_count(c, "SELECT count(*) FROM pg_catalog.pg_tables WHERE "
		"schemaname = current_schema() AND tablename = 'schema_version'", &present)) < 0)
		return rc;
	if (present == 0) {
		if (must_exist)
			return kel_fail(KEL_ENOTFOUND, "store (postgresql): this database holds no "
				"kelisim store");
		/* Several processes may open a new store at once: one creates it. */
		if ((rc = run(c, "BEGIN")) < 0)
			return rc;
		rc = run(c, "SELECT pg_advisory_xact_lock(7263541)");
		if (rc == 0)
			rc = run_count(c, "SELECT count(*) FROM pg_catalog.pg_tables WHERE "
				"schemaname = current_schema() AND tablename = 'schema_version'",
				&present);
		if (rc == 0 && present == 0) {
			rc = run(c, schema_sql);
			if (rc == 0) {
				char ins[80];
				snprintf(ins, sizeof ins, "INSERT INTO schema_version VALUES (%d)",
					KEL_STORE_SCHEMA_VERSION);
				rc = run(c, ins);
			}
		}
		if (rc == 0)
			rc = run(c, "COMMIT");
		else
			PQclear(PQexec(c->pg, "ROLLBACK"));
		if (rc < 0)
			return rc;
	}
	if ((rc = run_count(c, "SELECT max(version) FROM schema_version", &version)) < 0)
		return rc;
	if (version != KEL_STORE_SCHEMA_VERSION)
		return kel_fail(KEL_EINVALID, "store (postgresql): schema version %lld, this library "
			"knows %d", version, KEL_STORE_SCHEMA_VERSION);
	return 0;
}

static int pq_open(void **out, const char *target, int must_exist)
{
	struct conn *c;
	int rc;

	*out = NULL;
	if ((rc = kel__dynload(&kel__dl_pq)) < 0)
		return rc;
	if (!(c = calloc(1, sizeof *c)))
		return kel_fail(KEL_ENOMEM, "out of memory");
	c->pg = PQconnectdb(target);
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		const char *msg = c->pg ? PQerrorMessage(c->pg) : "out of memory";
		size_t len = strlen(msg);
		while (len && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
			len--;
		rc = kel_fail(KEL_EIO, "store (postgresql): cannot connect: %.*s", (int)len, msg);
		pq_close(c);
		return rc;
	}
	/* Messages from the server in English and quiet about notices. */
	if ((rc = run(c, "SET client_min_messages = warning")) < 0 ||
	    (rc = ensure_schema(c, must_exist)) < 0) {
		pq_close(c);
		return rc;
	}
	*out = c;
	return 0;
}

static int pq_begin(void *conn, int write)
{
	struct conn *c = conn;
	int rc;
	if (!write)
		return run(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
	if ((rc = run(c, "BEGIN ISOLATION LEVEL READ COMMITTED")) < 0)
		return rc;
	/* One writer at a time appends to the log; readers (ACCESS SHARE) are not blocked. */
	if ((rc = run(c, "LOCK TABLE log_entries IN EXCLUSIVE MODE")) < 0)
		PQclear(PQexec(c->pg, "ROLLBACK"));
	return rc;
}

static int pq_commit(void *conn)
{
	struct conn *c = conn;
	int rc = run(c, "COMMIT");
	if (rc < 0)
		PQclear(PQexec(c->pg, "ROLLBACK"));
	return rc;
}

static void pq_rollback(void *conn)
{
	struct conn *c = conn;
	if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		PQclear(PQexec(c->pg, "ROLLBACK"));
}

/* '?' placeholders to $1, $2, ... (outside quoted literals). */
static int numbered(kel_buf *out, const char *sql)
{
	int n = 0, quoted = 0, rc = 0;
	for (const char *p = sql; *p && rc == 0; p++) {
		if (*p == '\'')
			quoted = !quoted;
		if (*p == '?' && !quoted)
			rc = kel_buf_printf(out, "$%d", ++n);
		else
			rc = kel_buf_put(out, p, 1);
	}
	return rc;
}

static int64_t be_int(const char *p, int len)
{
	const unsigned char *u = (const unsigned char *)p;
	uint64_t v = 0;
	for (int i = 0; i < len; i++)
		v = (v << 8) | u[i];
	if (len == 2)
		return (int16_t)v;
	if (len == 4)
		return (int32_t)v;
	return (int64_t)v;
}

static int row_out(PGresult *r, int row, kel__sql_row_fn fn, void *ctx)
{
	kel__sql_val col[MAX_COLS];
	int n = PQnfields(r);
	if (n > MAX_COLS)
		n = MAX_COLS;
	for (int i = 0; i < n; i++) {
		memset(&col[i], 0, sizeof col[i]);
		if (PQgetisnull(r, row, i))
			continue;
		const char *v = PQgetvalue(r, row, i);
		int len = PQgetlength(r, row, i);
		switch (PQftype(r, i)) {
		case OID_INT8:
		case OID_INT4:
		case OID_INT2:
			col[i].type = KEL_SQL_INT;
			col[i].i = be_int(v, len);
			break;
		case OID_BYTEA:
			col[i].type = KEL_SQL_BLOB;
			col[i].p = v;
			col[i].len = (size_t)len;
			break;
		default:   /* text; libpq ends every value with a NUL */
			col[i].type = KEL_SQL_TEXT;
			col[i].p = v;
			col[i].len = (size_t)len;
		}
	}
	return fn ? fn(ctx, n, col) : 0;
}

/* FNV-1a, for the statement cache. */
static uint64_t sql_hash(const char *sql)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
		h = (h ^ *p) * UINT64_C(1099511628211);
	return h;
}

/*
 * Only the store's own queries are worth preparing; one-off statements (DDL, the tests' raw
 * tampering) run unnamed, as they would anyway.
 */
static int worth_preparing(const char *sql)
{
	static const char *const verbs[] = { "SELECT ", "INSERT ", "UPDATE ", "DELETE " };
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (strncmp(sql, verbs[i], strlen(verbs[i])) == 0)
			return 1;
	return 0;
}

/*
 * The name of sql's prepared statement on this connection, preparing it on first use (one
 * round trip, once). The least recently prepared statement makes room when the cache is full.
 */
static int prepared_name(struct conn *c, const char *sql, int nparams, const char **name)
{
	uint64_t h = sql_hash(sql);
	struct prepared *slot;
	kel_buf q = KEL_BUF_INIT;
	PGresult *r;
	int rc;

	for (size_t i = 0; i < STMT_CACHE; i++)
		if (c->cache[i].sql && c->cache[i].hash == h && strcmp(c->cache[i].sql, sql) == 0) {
			*name = c->cache[i].name;
			return 0;
		}
	slot = &c->cache[c->next_victim];
	c->next_victim = (c->next_victim + 1) % STMT_CACHE;
	if (slot->sql) {
		char dealloc[48];
		/* Not transactional, and a failure only leaves an unused statement on the server. */
		snprintf(dealloc, sizeof dealloc, "DEALLOCATE %s", slot->name);
		PQclear(PQexec(c->pg, dealloc));
		free(slot->sql);
		memset(slot, 0, sizeof *slot);
	}
	if ((rc = numbered(&q, sql)) < 0)
		return rc;
	snprintf(slot->name, sizeof slot->name, "kel_%lu", ++c->serial);
	r = PQprepare(c->pg, slot->name, q.ptr, nparams, NULL);
	kel_buf_dispose(&q);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		slot->name[0] = '\0';
		return fail_result(c, r, "preparing a statement");
	}
	PQclear(r);
	if (!(slot->sql = strdup(sql))) {
		/* The server keeps an unused statement under a name never asked for again. */
		slot->name[0] = '\0';
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	slot->hash = h;
	*name = slot->name;
	return 0;
}

static int exec_once(struct conn *c, const char *sql, int nparams, const kel__sql_val *params,
	kel__sql_row_fn fn, void *ctx, int *gone)
{
	char ints[MAX_PARAMS][24];
	const char *values[MAX_PARAMS];
	int lengths[MAX_PARAMS], formats[MAX_PARAMS];
	const char *name = NULL;
	PGresult *r;
	int rc = 0, stopped = 0, sent;

	*gone = 0;
	for (int i = 0; i < nparams; i++) {
		const kel__sql_val *p = &params[i];
		formats[i] = 0;
		lengths[i] = 0;
		switch (p->type) {
		case KEL_SQL_NULL:
			values[i] = NULL;
			break;
		case KEL_SQL_INT:
			snprintf(ints[i], sizeof ints[i], "%lld", (long long)p->i);
			values[i] = ints[i];
			break;
		case KEL_SQL_TEXT:
			values[i] = p->p;
			break;
		case KEL_SQL_BLOB:
			values[i] = p->len ? p->p : "";
			lengths[i] = (int)p->len;
			formats[i] = 1;
			break;
		}
	}
	if (worth_preparing(sql)) {
		if ((rc = prepared_name(c, sql, nparams, &name)) < 0)
			return rc;
		sent = PQsendQueryPrepared(c->pg, name, nparams, values, lengths, formats, 1);
	} else {
		kel_buf q = KEL_BUF_INIT;
		if ((rc = numbered(&q, sql)) < 0)
			return rc;
		sent = PQsendQueryParams(c->pg, q.ptr, nparams, NULL, values, lengths, formats, 1);
		kel_buf_dispose(&q);
	}
	if (!sent)
		return fail_result(c, NULL, "sending a statement");
	PQsetSingleRowMode(c->pg);
	while ((r = PQgetResult(c->pg)) != NULL) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_SINGLE_TUPLE || st == PGRES_TUPLES_OK) {
			for (int row = 0; row < PQntuples(r) && !stopped && rc == 0; row++) {
				int v = row_out(r, row, fn, ctx);
				if (v != 0) {
					rc = v;
					stopped = 1;
				}
			}
			PQclear(r);
		} else if (st == PGRES_COMMAND_OK) {
			PQclear(r);
		} else {
			const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
			if (name && state && strcmp(state, STATE_NO_STATEMENT) == 0)
				*gone = 1;
			int e = fail_result(c, r, "statement failed");
			if (rc == 0)
				rc = e;
		}
	}
	return rc;
}

static int pq_exec(void *conn, const char *sql, int nparams, const kel__sql_val *params,
	kel__sql_row_fn fn, void *ctx)
{
	struct conn *c = conn;
	int idle, gone, rc;

	if (nparams > MAX_PARAMS)
		return kel_fail(KEL_EINVAL, "store (postgresql): too many parameters");
	idle = PQtransactionStatus(c->pg) == PQTRANS_IDLE;
	rc = exec_once(c, sql, nparams, params, fn, ctx, &gone);
	if (gone) {
		/*
		 * Someone dropped our prepared statements (DISCARD ALL, DEALLOCATE ALL, a pooler
		 * handing us another session): prepare afresh. Outside a transaction nothing was
		 * done, so the statement can be run again; inside one the transaction is lost.
		 */
		forget_prepared(c);
		if (idle)
			rc = exec_once(c, sql, nparams, params, fn, ctx, &gone);
	}
	return rc;
}

/*
 * One statement, whatever the count: the leaf indexes and the (level, idx) pairs go as array
 * literals ("{3,17}"), which the prepared statement unnests and joins to the primary keys
 * (a nested loop of index lookups: tens of microseconds for a proof's twenty-odd hashes).
 */
static int pq_hashes(void *conn, size_t count, const kel_merkle_node_ref *refs,
	kel__sql_row_fn fn, void *ctx)
{
	kel_buf leaves = KEL_BUF_INIT, levels = KEL_BUF_INIT, idxs = KEL_BUF_INIT;
	int nleaves = 0, nnodes = 0, rc;

	rc = kel_buf_puts(&leaves, "{");
	if (rc == 0)
		rc = kel_buf_puts(&levels, "{");
	if (rc == 0)
		rc = kel_buf_puts(&idxs, "{");
	for (size_t i = 0; i < count && rc == 0; i++) {
		if (refs[i].level == 0) {
			rc = kel_buf_printf(&leaves, "%s%" PRIu64, nleaves++ ? "," : "", refs[i].index);
		} else {
			rc = kel_buf_printf(&levels, "%s%u", nnodes ? "," : "", refs[i].level);
			if (rc == 0)
				rc = kel_buf_printf(&idxs, "%s%" PRIu64, nnodes ? "," : "",
					refs[i].index);
			nnodes++;
		}
	}
	if (rc == 0)
		rc = kel_buf_puts(&leaves, "}");
	if (rc == 0)
		rc = kel_buf_puts(&levels, "}");
	if (rc == 0)
		rc = kel_buf_puts(&idxs, "}");
	if (rc == 0) {
		kel__sql_val p[3] = { { KEL_SQL_TEXT, 0, leaves.ptr, leaves.size },
			{ KEL_SQL_TEXT, 0, levels.ptr, levels.size },
			{ KEL_SQL_TEXT, 0, idxs.ptr, idxs.size } };
		rc = pq_exec(conn, "SELECT 0, e.idx, e.hash FROM log_entries e "
			"WHERE e.idx = ANY (CAST(? AS BIGINT[])) "
			"UNION ALL SELECT n.level, n.idx, n.hash "
			"FROM unnest(CAST(? AS INTEGER[]), CAST(? AS BIGINT[])) AS w (level, idx) "
			"JOIN log_nodes n ON n.level = w.level AND n.idx = w.idx", 3, p, fn, ctx);
	}
	kel_buf_dispose(&leaves);
	kel_buf_dispose(&levels);
	kel_buf_dispose(&idxs);
	return rc;
}

const kel__store_backend kel__store_pq = {
	"postgresql", pq_open, pq_close, pq_begin, pq_commit, pq_rollback, pq_exec, pq_hashes
};
