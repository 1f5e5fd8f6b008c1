/*
 * What the evidence store asks of a database back end (SQLite, PostgreSQL).
 *
 * All the store's logic and nearly all its SQL live in the store*.c files; a back end only
 * connects, creates its schema, runs transactions and executes statements. Statements are
 * written with '?' placeholders (a back end that numbers them, like PostgreSQL, rewrites
 * them) and use only what both dialects share. Values cross the boundary as kel__sql_val: NULL, 64-bit
 * integer, text or blob. The one exception is fetching a batch of the log's hashes (hashes,
 * below), which needs arrays, and arrays are where the dialects differ.
 */
#ifndef KEL_STORE_BACKEND_H
#define KEL_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "kelisim/merkle.h"

typedef enum {
	KEL_SQL_NULL = 0,
	KEL_SQL_INT = 1,
	KEL_SQL_TEXT = 2,
	KEL_SQL_BLOB = 3
} kel__sql_type;

typedef struct kel__sql_val {
	kel__sql_type type;
	int64_t i;
	const void *p;       /* text (NUL-terminated in results) or blob */
	size_t len;
} kel__sql_val;

/* One result row; return 0 to go on, non-zero to stop (passed on by exec). */
typedef int (*kel__sql_row_fn)(void *ctx, int ncol, const kel__sql_val *col);

/* The current schema version; a store written with another is refused. */
#define KEL_STORE_SCHEMA_VERSION 1

typedef struct kel__store_backend {
	const char *name;
	/*
	 * Connect to target (the URI without "sqlite:"; the whole URI for PostgreSQL), create
	 * the schema when absent (docs/store.md) and check its version. must_exist: refuse to
	 * create a new store. KEL_EIO / KEL_EINVALID with the back end's words.
	 */
	int (*open)(void **conn, const char *target, int must_exist);
	void (*close)(void *conn);
	/*
	 * Begin a transaction. write: it will append to the log; the back end serialises such
	 * transactions (SQLite BEGIN IMMEDIATE with busy retries; PostgreSQL a lock on the log
	 * table), waiting as long as needed rather than failing with "locked".
	 */
	int (*begin)(void *conn, int write);
	int (*commit)(void *conn);
	void (*rollback)(void *conn);
	/* Run sql with params; fn (may be NULL) is called for each row. */
	int (*exec)(void *conn, const char *sql, int nparams, const kel__sql_val *params,
		kel__sql_row_fn fn, void *ctx);
	/*
	 * Look up count hashes of the log at once: for level 0 the leaf hash log_entries.hash at
	 * idx = index, otherwise the cached node log_nodes.hash at (level, idx). fn gets a row
	 * (level INT, idx INT, hash BLOB) for each one that is there, in no particular order;
	 * one that is not is left out. PostgreSQL answers with one statement (one round trip
	 * instead of one per hash, which is what made its proofs slow); SQLite, in process, with
	 * its prepared point lookups.
	 */
	int (*hashes)(void *conn, size_t count, const kel_merkle_node_ref *refs,
		kel__sql_row_fn fn, void *ctx);
} kel__store_backend;

extern const kel__store_backend kel__store_sqlite;
#ifdef KELISIM_WITH_PQ
extern const kel__store_backend kel__store_pq;
#endif

/* For tests that tamper with a store: run raw SQL through the store's connection. */
struct kel_store;
int kel__store_exec(struct kel_store *store, const char *sql, int nparams,
	const kel__sql_val *params, kel__sql_row_fn fn, void *ctx);

/*
 * For bench/bench_store.c only (not exported): measure the store engine apart from the
 * verification on entry. kel__store_bench_mode(s, 0) makes kel_store_add skip kel_verify
 * (the document is still parsed and checked against the schema and rules);
 * kel__store_batch_begin/end run many adds in one write transaction. Never used by the tool.
 */
int kel__store_bench_mode(struct kel_store *store, int verify);
int kel__store_batch_begin(struct kel_store *store);
int kel__store_batch_end(struct kel_store *store);

#endif
