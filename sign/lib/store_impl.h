/*
 * What the evidence store's own source files share (store.c, store_log.c, store_add.c,
 * store_read.c, store_erase.c, store_head.c, store_check.c); the back ends see only
 * store_backend.h and other modules only store_internal.h. Here is the store's handle and the
 * few helpers more than one of those files needs.
 */
#ifndef KEL_STORE_IMPL_H
#define KEL_STORE_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "kelisim/store.h"
#include "store_backend.h"
#include "store_internal.h"

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

/* ---- store.c: statements, values, transactions ------------------------------------------ */

/* A text parameter (NULL gives SQL NULL). */
kel__sql_val kel__sql_text(const char *s);
/* An integer parameter. */
kel__sql_val kel__sql_int(int64_t i);
/* A blob parameter. */
kel__sql_val kel__sql_blob(const void *p, size_t len);

/* A result column's text, or NULL when it is not text. */
const char *kel__sql_col_text(const kel__sql_val *c);

/* Run one statement on the store's connection (store_backend.h, exec). */
int kel__store_sql(kel_store *s, const char *sql, int n, const kel__sql_val *p,
	kel__sql_row_fn fn, void *ctx);

/* A row callback (ctx a struct kel__sql_one_int): the first column as an integer. */
struct kel__sql_one_int {
	int found;
	int64_t value;
};
int kel__sql_row_int(void *ctx, int ncol, const kel__sql_val *col);

/* The SHA-256 of data as 64 lowercase hex digits. */
int kel__store_sha256_hex(char out[65], const void *data, size_t len);

/* A line of text that may go into the log: 1..512 characters (min_len 0 allows empty). */
int kel__store_check_line(const char *what, const char *s, size_t min_len);

/* Begin a transaction (write: one that appends to the log); in a benchmark batch, nothing. */
int kel__store_begin(kel_store *s, int write);
/* End it: commit when rc is 0, else roll back; rc, or the commit's failure. */
int kel__store_finish(kel_store *s, int rc);

/* ---- store_log.c: the Merkle log -------------------------------------------------------- */

/* The number of entries in the log. */
int kel__store_log_size(kel_store *s, uint64_t *out);

/* A kel_merkle_source node callback (ctx the store): a cached node, or KEL_ENOTFOUND. */
int kel__store_node_hash(void *ctx, unsigned int level, uint64_t index, unsigned char out[HLEN]);

/*
 * A batch of the log's hashes fetched in one go (store_log.c says why): new, add the refs a
 * root or a proof will ask for, run, then read them through its source; free() it.
 */
struct kel__prefetch;
/* A batch for s; NULL after raising KEL_ENOMEM. */
struct kel__prefetch *kel__prefetch_new(kel_store *s);
/* Add refs to the batch, each once. */
int kel__prefetch_add(struct kel__prefetch *pf, const kel_merkle_node_ref *refs, size_t n);
/* Add what the root of the first n leaves (or their frontier) needs. */
int kel__prefetch_root(struct kel__prefetch *pf, uint64_t n);
/* Fetch the batch, in one lookup of the back end. */
int kel__prefetch_run(struct kel__prefetch *pf);
/* The batch as a Merkle source; what it lacks is looked up one by one. */
kel_merkle_source kel__prefetch_source(struct kel__prefetch *pf);
/* The source's leaf callback (ctx the batch), for a leaf hash wanted on its own. */
int kel__prefetch_leaf(void *ctx, uint64_t index, unsigned char out[HLEN]);

/* Whether s->frontier is that of the first n leaves. */
int kel__store_frontier_current(const kel_store *s, uint64_t n);
/* Make s->frontier that of the first n leaves; pf (may be NULL) a batch holding its nodes. */
int kel__store_frontier_at(kel_store *s, uint64_t n, struct kel__prefetch *pf);

/* One event of the log, before it is encoded as its canonical entry (docs/store.md). */
struct kel__store_event {
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

/* In a write transaction: bring the frontier up to the log's size, hand back a copy. */
int kel__store_start_append(kel_store *s, kel_merkle_frontier **work);
/* Append one event through frontier f (the copy); index_out (may be NULL) its position. */
int kel__store_log_append(kel_store *s, kel_merkle_frontier *f, const struct kel__store_event *e,
	uint64_t *index_out);
/* Finish the transaction with rc; install the copy if it committed, else drop the frontier. */
int kel__store_end_append(kel_store *s, kel_merkle_frontier *work, int rc);

/* ---- store_add.c ------------------------------------------------------------------------ */

/* What the store knows of a document, without its bytes. */
struct kel__doc_brief {
	int found;
	char type[32];
	char sha256[65];
	int erased;
};
/* Look document id up (b->found 0 when it is not stored), for adding, erasing, exporting. */
int kel__store_brief(kel_store *s, const char *id, struct kel__doc_brief *b);

#endif
