/*
 * The SQLite back end of the evidence store: one file in WAL mode, synchronous=FULL (a
 * committed add survives a crash or power loss), secure_delete (erased bytes are overwritten,
 * not left in free pages), a busy timeout plus retries so that concurrent writer processes
 * wait their turn instead of failing with "database is locked", and triggers that make the
 * log, its node cache and the signed heads append-only. docs/store.md shows the schema.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "error_internal.h"
#include "store_backend.h"

#define STMT_CACHE 48
/* How long a writer waits for the lock before giving up: long, since giving up loses work. */
#define BUSY_TIMEOUT_MS 30000
#define BUSY_RETRIES 40

struct cached {
	char *sql;
	sqlite3_stmt *stmt;
};

struct conn {
	sqlite3 *db;
	char *path;
	struct cached cache[STMT_CACHE];
	size_t next_victim;
	int in_txn;
};

static const char schema_sql[] =
	"CREATE TABLE schema_version (version INTEGER NOT NULL);"
	"CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
	/*
	 * body last: SQLite keeps a row's columns in order and spills what does not fit in the
	 * page to overflow pages, so every column after a 20 KB body would cost a walk down its
	 * overflow chain on each lookup.
	 */
	"CREATE TABLE documents ("
	" id TEXT PRIMARY KEY, type TEXT NOT NULL, issued_at TEXT NOT NULL,"
	" sha256 TEXT NOT NULL, size INTEGER NOT NULL,"
	" subject_iin TEXT, operator_bin TEXT, processor_bin TEXT, refers_to TEXT,"
	" period_from TEXT, period_until TEXT, leaf INTEGER NOT NULL UNIQUE,"
	" stored_at TEXT NOT NULL, erased_at TEXT, erase_reason TEXT, expired_leaf INTEGER,"
	" body BLOB);"
	"CREATE INDEX documents_subject ON documents (subject_iin, type, operator_bin, issued_at);"
	"CREATE INDEX documents_operator ON documents (operator_bin);"
	"CREATE INDEX documents_refers ON documents (refers_to);"
	"CREATE INDEX documents_issued ON documents (issued_at);"
	"CREATE TABLE log_entries (idx INTEGER PRIMARY KEY, entry BLOB NOT NULL,"
	" hash BLOB NOT NULL);"
	"CREATE TABLE log_nodes (level INTEGER NOT NULL, idx INTEGER NOT NULL,"
	" hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;"
	"CREATE TABLE tree_heads (num INTEGER PRIMARY KEY, size INTEGER NOT NULL,"
	" time INTEGER NOT NULL, root BLOB NOT NULL, signature BLOB NOT NULL,"
	" cert BLOB NOT NULL);"
	"CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries"
	" BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END;"
	"CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries"
	" BEGIN SELECT RAISE(ABORT, 'log_entries is append-only'); END;"
	"CREATE TRIGGER log_nodes_no_update BEFORE UPDATE ON log_nodes"
	" BEGIN SELECT RAISE(ABORT, 'log_nodes is append-only'); END;"
	"CREATE TRIGGER log_nodes_no_delete BEFORE DELETE ON log_nodes"
	" BEGIN SELECT RAISE(ABORT, 'log_nodes is append-only'); END;"
	"CREATE TRIGGER tree_heads_no_update BEFORE UPDATE ON tree_heads"
	" BEGIN SELECT RAISE(ABORT, 'tree_heads is append-only'); END;"
	"CREATE TRIGGER tree_heads_no_delete BEFORE DELETE ON tree_heads"
	" BEGIN SELECT RAISE(ABORT, 'tree_heads is append-only'); END;"
	"CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents"
	" BEGIN SELECT RAISE(ABORT, 'documents are never deleted (erase them)'); END;"
	"CREATE TRIGGER documents_keep_identity BEFORE UPDATE OF id, type, issued_at, sha256,"
	" leaf, stored_at, operator_bin, processor_bin, refers_to ON documents"
	" BEGIN SELECT RAISE(ABORT, 'documents: only erasure may change a document'); END;"
	"CREATE TRIGGER documents_erase_only BEFORE UPDATE OF body ON documents"
	" WHEN NEW.body IS NOT NULL"
	" BEGIN SELECT RAISE(ABORT, 'documents: bytes can only be erased'); END;";

static int fail_db(struct conn *c, int src, const char *what)
{
	int code = KEL_EIO;
	int primary = src & 0xff;
	if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
		code = KEL_EINVALID;
	else if (primary == SQLITE_CONSTRAINT)
		code = KEL_EINVALID;
	return kel_fail(code, "store '%s': %s: %s", c->path, what,
		c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(src));
}

static void pause_ms(unsigned int ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int exec_plain(struct conn *c, const char *sql)
{
	char *msg = NULL;
	int rc;
	for (int attempt = 0;; attempt++) {
		rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			break;
		sqlite3_free(msg);
		msg = NULL;
		if (attempt >= BUSY_RETRIES)
			break;
		pause_ms(5 + (unsigned int)(rand() % 50));
	}
	if (rc != SQLITE_OK) {
		int r = fail_db(c, rc, msg ? msg : "statement failed");
		sqlite3_free(msg);
		return r;
	}
	return 0;
}

static int get_int(struct conn *c, const char *sql, int64_t *out, int *found)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
	*found = 0;
	if (rc != SQLITE_OK)
		return fail_db(c, rc, "reading the schema");
	for (int attempt = 0;; attempt++) {
		rc = sqlite3_step(st);
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt >= BUSY_RETRIES)
			break;
		sqlite3_reset(st);
		pause_ms(5 + (unsigned int)(rand() % 50));
	}
	if (rc == SQLITE_ROW) {
		*found = 1;
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	if (rc != SQLITE_DONE) {
		int r = fail_db(c, rc, "reading the schema");
		sqlite3_finalize(st);
		return r;
	}
	sqlite3_finalize(st);
	return 0;
}

static int sq_close_conn(struct conn *c)
{
	for (size_t i = 0; i < STMT_CACHE; i++) {
		sqlite3_finalize(c->cache[i].stmt);
		free(c->cache[i].sql);
	}
	if (c->db)
		sqlite3_close_v2(c->db);
	free(c->path);
	free(c);
	return 0;
}

static void sq_close(void *conn)
{
	if (conn)
		sq_close_conn(conn);
}

static int ensure_schema(struct conn *c)
{
	int64_t v = 0, tables = 0;
	int found, rc;

	if ((rc = get_int(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
		"name = 'schema_version'", &v, &found)) < 0)
		return rc;
	if (v == 0) {
		if ((rc = exec_plain(c, "BEGIN IMMEDIATE")) < 0)
			return rc;
		rc = get_int(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
			"name = 'schema_version'", &v, &found);
		if (rc == 0)
			rc = get_int(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
				&tables, &found);
		if (rc == 0 && v == 0 && tables > 0)
			rc = kel_fail(KEL_EINVALID, "store '%s': a database, but not a kelisim store",
				c->path);
		if (rc == 0 && v == 0) {
			rc = exec_plain(c, schema_sql);
			if (rc == 0) {
				char ins[80];
				snprintf(ins, sizeof ins, "INSERT INTO schema_version VALUES (%d)",
					KEL_STORE_SCHEMA_VERSION);
				rc = exec_plain(c, ins);
			}
		}
		if (rc == 0)
			rc = exec_plain(c, "COMMIT");
		else
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		if (rc < 0)
			return rc;
	}
	if ((rc = get_int(c, "SELECT max(version) FROM schema_version", &v, &found)) < 0)
		return rc;
	if (v != KEL_STORE_SCHEMA_VERSION)
		return kel_fail(KEL_EINVALID, "store '%s': schema version %lld, this library "
			"knows %d", c->path, (long long)v, KEL_STORE_SCHEMA_VERSION);
	return 0;
}

static int sq_open(void **out, const char *target, int must_exist)
{
	struct conn *c;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;
	int rc;

	*out = NULL;
	if (!(c = calloc(1, sizeof *c)) || !(c->path = strdup(target))) {
		free(c);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	if (must_exist && access(target, F_OK) != 0) {
		rc = kel_fail(KEL_ENOTFOUND, "store '%s': no such file", target);
		sq_close_conn(c);
		return rc;
	}
	if (!must_exist)
		flags |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(target, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		rc = fail_db(c, rc, "cannot open");
		sq_close_conn(c);
		return rc;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	/* journal_mode answers with a row; exec_plain ignores it. WAL is kept in the file. */
	if ((rc = exec_plain(c, "PRAGMA journal_mode = WAL")) < 0 ||
	    (rc = exec_plain(c, "PRAGMA synchronous = FULL")) < 0 ||
	    (rc = exec_plain(c, "PRAGMA secure_delete = ON")) < 0 ||
	    (rc = exec_plain(c, "PRAGMA foreign_keys = OFF")) < 0 ||
	    (rc = ensure_schema(c)) < 0) {
		sq_close_conn(c);
		return rc;
	}
	*out = c;
	return 0;
}

static int sq_begin(void *conn, int write)
{
	struct conn *c = conn;
	int rc = exec_plain(c, write ? "BEGIN IMMEDIATE" : "BEGIN");
	if (rc == 0)
		c->in_txn = 1;
	return rc;
}

static int sq_commit(void *conn)
{
	struct conn *c = conn;
	int rc = exec_plain(c, "COMMIT");
	if (rc < 0) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	}
	c->in_txn = 0;
	return rc;
}

static void sq_rollback(void *conn)
{
	struct conn *c = conn;
	if (sqlite3_get_autocommit(c->db) == 0)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	c->in_txn = 0;
}

static int prepare(struct conn *c, const char *sql, sqlite3_stmt **out)
{
	struct cached *slot;
	int rc;

	for (size_t i = 0; i < STMT_CACHE; i++)
		if (c->cache[i].sql && strcmp(c->cache[i].sql, sql) == 0) {
			*out = c->cache[i].stmt;
			return 0;
		}
	slot = &c->cache[c->next_victim];
	c->next_victim = (c->next_victim + 1) % STMT_CACHE;
	sqlite3_finalize(slot->stmt);
	free(slot->sql);
	slot->stmt = NULL;
	slot->sql = NULL;
	rc = sqlite3_prepare_v2(c->db, sql, -1, &slot->stmt, NULL);
	if (rc != SQLITE_OK) {
		rc = fail_db(c, rc, "preparing a statement");
		sqlite3_finalize(slot->stmt);
		slot->stmt = NULL;
		return rc;
	}
	if (!(slot->sql = strdup(sql))) {
		sqlite3_finalize(slot->stmt);
		slot->stmt = NULL;
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	*out = slot->stmt;
	return 0;
}

#define MAX_COLS 32

static int sq_exec(void *conn, const char *sql, int nparams, const kel__sql_val *params,
	kel__sql_row_fn fn, void *ctx)
{
	struct conn *c = conn;
	sqlite3_stmt *st = NULL;
	kel__sql_val col[MAX_COLS];
	int rc, result = 0;

	if ((rc = prepare(c, sql, &st)) < 0)
		return rc;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	for (int i = 0; i < nparams; i++) {
		const kel__sql_val *p = &params[i];
		switch (p->type) {
		case KEL_SQL_NULL: rc = sqlite3_bind_null(st, i + 1); break;
		case KEL_SQL_INT: rc = sqlite3_bind_int64(st, i + 1, p->i); break;
		case KEL_SQL_TEXT:
			rc = sqlite3_bind_text(st, i + 1, p->p, (int)p->len, SQLITE_STATIC);
			break;
		case KEL_SQL_BLOB:
			rc = p->len ? sqlite3_bind_blob64(st, i + 1, p->p, p->len, SQLITE_STATIC)
				: sqlite3_bind_zeroblob(st, i + 1, 0);
			break;
		default: rc = SQLITE_MISUSE;
		}
		if (rc != SQLITE_OK) {
			rc = fail_db(c, rc, "binding a value");
			sqlite3_reset(st);
			return rc;
		}
	}
	for (int attempt = 0;;) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			int n = sqlite3_column_count(st);
			if (n > MAX_COLS)
				n = MAX_COLS;
			for (int i = 0; i < n; i++) {
				memset(&col[i], 0, sizeof col[i]);
				switch (sqlite3_column_type(st, i)) {
				case SQLITE_INTEGER:
				case SQLITE_FLOAT:
					col[i].type = KEL_SQL_INT;
					col[i].i = sqlite3_column_int64(st, i);
					break;
				case SQLITE_TEXT:
					col[i].type = KEL_SQL_TEXT;
					col[i].p = sqlite3_column_text(st, i);
					col[i].len = (size_t)sqlite3_column_bytes(st, i);
					break;
				case SQLITE_BLOB:
					col[i].type = KEL_SQL_BLOB;
					col[i].p = sqlite3_column_blob(st, i);
					col[i].len = (size_t)sqlite3_column_bytes(st, i);
					if (!col[i].p)
						col[i].p = "";
					break;
				default:
					col[i].type = KEL_SQL_NULL;
				}
			}
			if (fn && (result = fn(ctx, n, col)) != 0)
				break;
			continue;
		}
		/* Outside a transaction a statement may meet a lock: wait and retry. */
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && !c->in_txn &&
		    attempt++ < BUSY_RETRIES) {
			sqlite3_reset(st);
			pause_ms(5 + (unsigned int)(rand() % 50));
			continue;
		}
		break;
	}
	if (result == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		result = fail_db(c, rc, "statement failed");
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return result;
}

/*
 * In process a lookup costs microseconds: the prepared point queries, one by one, in one read
 * transaction when the caller has none (each statement on its own would take and drop the
 * WAL read lock, which costs as much as the lookup).
 */
static int sq_hashes(void *conn, size_t count, const kel_merkle_node_ref *refs,
	kel__sql_row_fn fn, void *ctx)
{
	struct conn *c = conn;
	int own = sqlite3_get_autocommit(c->db) != 0;
	int rc = 0;

	if (own && (rc = sq_begin(c, 0)) < 0)
		return rc;
	for (size_t i = 0; i < count && rc == 0; i++) {
		kel__sql_val p[2] = { { KEL_SQL_INT, refs[i].level, NULL, 0 },
			{ KEL_SQL_INT, (int64_t)refs[i].index, NULL, 0 } };
		if (refs[i].level == 0)
			rc = sq_exec(conn, "SELECT 0, idx, hash FROM log_entries WHERE idx = ?", 1,
				p + 1, fn, ctx);
		else
			rc = sq_exec(conn, "SELECT level, idx, hash FROM log_nodes WHERE level = ? AND "
				"idx = ?", 2, p, fn, ctx);
	}
	if (own && rc == 0)
		return sq_commit(c);
	if (own)
		sq_rollback(c);
	return rc;
}

const kel__store_backend kel__store_sqlite = {
	"sqlite", sq_open, sq_close, sq_begin, sq_commit, sq_rollback, sq_exec, sq_hashes
};
