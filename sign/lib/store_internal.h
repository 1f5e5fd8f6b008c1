/*
 * What other library modules (evidence.c) may ask of the evidence store beyond its public
 * API: to append an event of their own to the Merkle log, and to write their own rows in the
 * same transaction, so that a row and its log entry are committed together or not at all.
 */
#ifndef KEL_STORE_INTERNAL_H
#define KEL_STORE_INTERNAL_H

#include <stdint.h>
#include <time.h>
#include "kelisim/store.h"

/* Called inside the write transaction with the new entry's log position. */
typedef int (*kel__store_txn_fn)(kel_store *store, uint64_t leaf, void *ctx);

/*
 * In one write transaction: append the log entry "event EVENT / document DOCUMENT / sha256
 * SHA256 / detail DETAIL" (document, sha256, detail may be NULL; detail one line of at most
 * 512 characters, no personal data: the log keeps it for good), then call fn (may be NULL),
 * then commit. Any failure rolls back both. leaf (may be NULL) gets the entry's position.
 */
int kel__store_append_event(kel_store *store, const char *event, const char *document,
	const char *sha256, const char *detail, kel__store_txn_fn fn, void *ctx, uint64_t *leaf);

/* The store's clock (kel_store_options.now, or the real time). */
time_t kel__store_now(const kel_store *store);

#endif
