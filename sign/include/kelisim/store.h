/*
 * The evidence store: signed documents kept for years, with a tamper-evident Merkle log.
 *
 * One interface, two back ends chosen by a URI: "sqlite:PATH" (the embedded default, one file
 * in WAL mode) and "postgresql://..." (libpq, when the library is built with it). Every
 * document is verified on entry against the store's trust anchors and refused unless it is
 * TOTAL-PASSED; the exact bytes are kept and handed back unchanged. Every event (a document
 * stored, a consent withdrawn or expired, a document erased or exported) is appended as a
 * leaf to a Merkle log hashed as RFC 9162 does (see merkle.h); tree heads are signed with the
 * operator's key, and `kel_store_check` recomputes the whole log and compares it with every
 * signed head. docs/store.md describes the schema, the leaf encoding and the status rules.
 *
 * Errors: KEL_EINVAL for misuse, KEL_EINVALID for a document refused (the message gives the
 * verification's reason) or a store whose content is not what kelisim writes, KEL_ENOTFOUND
 * for an unknown or erased document, KEL_EIO for a database that cannot be opened, read or
 * written (the back end's own words are kept in the message), KEL_EUNSUPPORTED for a back
 * end this build lacks.
 *
 * A kel_store handle is used by one thread at a time; open one per thread or process. Any
 * number of processes may use one store at once: writers are serialised by the back end.
 */
#ifndef KELISIM_STORE_H
#define KELISIM_STORE_H

#include <stdint.h>
#include <time.h>
#include "common.h"
#include "buf.h"
#include "key.h"
#include "merkle.h"

typedef struct kel_store kel_store;

/* The URI used when none is given (and $KELISIM_STORE is not set, for the tool). */
#define KEL_STORE_DEFAULT_URI "sqlite:./kelisim.db"

typedef struct kel_store_options {
	unsigned int version;
	/*
	 * Trust anchors for the verification on entry, as in kel_verify_options. When both are
	 * NULL, those recorded in the store (kel_store_set_trust) are used.
	 */
	const char *trust_file;
	const char *trust_dir;
	/* Accept SHA-1 and RSA under 2048 bits on entry. */
	int allow_weak;
	/*
	 * The clock of the store, seconds since the epoch; 0 for the real time. Used for the log
	 * entries' time, the heads' time and the status computed at query time (expiry). Meant
	 * for tests.
	 */
	time_t now;
	/* Open only: refuse to create a store that does not exist yet. */
	int must_exist;
} kel_store_options;

#define KEL_STORE_OPTIONS_VERSION 1
#define KEL_STORE_OPTIONS_INIT { KEL_STORE_OPTIONS_VERSION, NULL, NULL, 0, 0, 0 }

/*
 * Open (and create, if it does not exist) the store at uri; NULL means
 * KEL_STORE_DEFAULT_URI. opts may be NULL (no trust anchors: nothing can be added).
 * KEL_EINVAL for a URI of no known scheme, KEL_EUNSUPPORTED for a back end not built in,
 * KEL_EIO when the database cannot be opened, KEL_EINVALID when it is not a kelisim store
 * (e.g. a file that is not a database, or a schema version this library does not know).
 */
KEL_EXTERN(int) kel_store_open(kel_store **out, const char *uri, const kel_store_options *opts)
	KEL_WARN_UNUSED;

KEL_EXTERN(void) kel_store_free(kel_store *store);

/* "sqlite" or "postgresql" (borrowed). */
KEL_EXTERN(const char *) kel_store_backend(const kel_store *store);

/* The log's identifier, "kelisim:<uuid>", fixed when the store is created (borrowed). */
KEL_EXTERN(const char *) kel_store_log_id(const kel_store *store);

/*
 * The store's own configuration: trust anchors used on entry when kel_store_open is given
 * none (so that every clerk's tool checks against the same roots). NULL clears one. The
 * paths are recorded as given; pass absolute ones.
 */
KEL_EXTERN(int) kel_store_set_trust(kel_store *store, const char *trust_file,
	const char *trust_dir) KEL_WARN_UNUSED;

/* The trust anchors in force for this handle (borrowed; NULL when none). */
KEL_EXTERN(const char *) kel_store_trust_file(const kel_store *store);
KEL_EXTERN(const char *) kel_store_trust_dir(const kel_store *store);

/* ---- Adding and reading documents --------------------------------------------------- */

typedef struct kel_store_added {
	char id[37];            /* the document id */
	int already;            /* 1: the same bytes were stored before; nothing was written */
	uint64_t leaf;          /* log position of the document's "stored" event */
	uint64_t tree_size;     /* the log's size after the add */
} kel_store_added;

/*
 * Verify the document (as kel_verify does, with the store's trust anchors) and store its
 * exact bytes, its index fields and a "stored" event in one transaction; a withdrawal also
 * logs a "withdrawn" event for the consent it refers to, when that is stored for the same
 * subject and operator. Refused with KEL_EINVALID (nothing written): a document that is not a
 * valid kelisim document, whose signatures are not all TOTAL-PASSED (the message says why),
 * or whose id is already stored with different bytes. A document already stored with the
 * same bytes is not stored again: 0 with added->already set. added may be NULL.
 */
KEL_EXTERN(int) kel_store_add(kel_store *store, const char *xml, size_t len,
	kel_store_added *added) KEL_WARN_UNUSED;

/*
 * kel_store_add in two halves, so that several threads can verify while one writes.
 * kel_store_prepare verifies the document as kel_store_add does (the store's trust anchors)
 * and reads what the store indexes; it does not touch the database, and several threads may
 * prepare for one store at once (not while kel_store_set_trust changes its anchors).
 * kel_store_add_prepared then stores it, on the thread that uses the handle, in the order
 * the caller chooses: a withdrawal after the consent it refers to. Refusals are those of
 * kel_store_add, from whichever half finds them; a document prepared for another handle is
 * refused (KEL_EINVAL). The prepared document keeps its own copy of the bytes; free it with
 * kel_store_prepared_free, added or not.
 */
typedef struct kel_store_prepared kel_store_prepared;

KEL_EXTERN(int) kel_store_prepare(const kel_store *store, const char *xml, size_t len,
	kel_store_prepared **out) KEL_WARN_UNUSED;
KEL_EXTERN(int) kel_store_add_prepared(kel_store *store, const kel_store_prepared *prepared,
	kel_store_added *added) KEL_WARN_UNUSED;
KEL_EXTERN(void) kel_store_prepared_free(kel_store_prepared *prepared);

/* The exact bytes stored under id. KEL_ENOTFOUND when unknown or erased (the message says). */
KEL_EXTERN(int) kel_store_get(kel_store *store, const char *id, kel_buf *out) KEL_WARN_UNUSED;

/* DPV status of a consent (consent or cross-border-consent); NONE for the other types. */
typedef enum {
	KEL_STATUS_NONE = 0,
	KEL_STATUS_GIVEN = 1,       /* dpv:ConsentGiven */
	KEL_STATUS_WITHDRAWN = 2,   /* dpv:ConsentWithdrawn: a withdrawal refers to it */
	KEL_STATUS_EXPIRED = 3,     /* dpv:ConsentExpired: past Period/Until (Kazakhstan date) */
	KEL_STATUS_ERASED = 4       /* its personal data was erased; only the digest remains */
} kel_store_status;

/* "ConsentGiven", "ConsentWithdrawn", "ConsentExpired", "Erased"; NULL for NONE. */
KEL_EXTERN(const char *) kel_store_status_name(kel_store_status status);
/* The status named (as above), or KEL_STATUS_NONE. */
KEL_EXTERN(kel_store_status) kel_store_status_from_name(const char *name);

/*
 * One stored document as the index knows it. Strings are borrowed for the duration of the
 * callback; personal fields are NULL once the document is erased.
 */
typedef struct kel_store_entry {
	const char *id;
	const char *type;            /* "consent", "transfer-notice", ... */
	const char *issued_at;       /* YYYY-MM-DDThh:mm:ssZ */
	const char *subject_iin;     /* NULL once erased */
	const char *operator_bin;
	const char *processor_bin;   /* NULL when the document names none */
	const char *refers_to;       /* withdrawal: the consent withdrawn; else NULL */
	const char *period_from;     /* consents: YYYY-MM-DD; else NULL */
	const char *period_until;    /* consents: YYYY-MM-DD; NULL: until the purpose is achieved */
	const char *sha256;          /* hex digest of the stored bytes (kept after erasure) */
	uint64_t size;               /* bytes stored (0 once erased) */
	uint64_t leaf;               /* log position of its "stored" event */
	const char *stored_at;
	kel_store_status status;     /* computed at query time */
	/* Consents: the withdrawal that ended it, and when it was issued; else NULL. */
	const char *withdrawn_by;
	const char *withdrawn_at;
	/* Consents: the transfer-notice acknowledgment linked to it (docs/store.md), or NULL. */
	const char *notice_id;
	const char *notice_at;
	const char *erased_at;       /* NULL unless erased */
	const char *erase_reason;
} kel_store_entry;

/* Return 0 to go on, non-zero to stop (that value is returned by the call). */
typedef int (*kel_store_entry_fn)(void *ctx, const kel_store_entry *entry);

typedef struct kel_store_filter {
	unsigned int version;
	const char *subject_iin;
	const char *operator_bin;
	const char *type;            /* a document type name */
	kel_store_status status;     /* KEL_STATUS_NONE: any */
	/*
	 * Issued at or after since, and before the end of until: YYYY-MM-DD (a day in
	 * Kazakhstan, UTC+5) or YYYY-MM-DDThh:mm:ssZ. NULL: no bound.
	 */
	const char *since;
	const char *until;
	int include_erased;          /* list erased documents too (their digest and reason) */
} kel_store_filter;

#define KEL_STORE_FILTER_VERSION 1
#define KEL_STORE_FILTER_INIT { KEL_STORE_FILTER_VERSION, NULL, NULL, NULL, KEL_STATUS_NONE, \
	NULL, NULL, 0 }

/* Call fn for each stored document that matches, in log order. filter may be NULL. */
KEL_EXTERN(int) kel_store_list(kel_store *store, const kel_store_filter *filter,
	kel_store_entry_fn fn, void *ctx) KEL_WARN_UNUSED;

/*
 * The consents (consent and cross-border-consent) of one subject, each with its status,
 * the withdrawal that ended it and the transfer-notice acknowledgment linked to it — the two
 * facts clause 4.8 of the DPA asks for. KEL_EINVALID for an IIN that is not valid.
 */
KEL_EXTERN(int) kel_store_subject_status(kel_store *store, const char *iin,
	kel_store_entry_fn fn, void *ctx) KEL_WARN_UNUSED;

/*
 * Erase the personal data of a stored document (Law 94-V; DPA 1.2.2(4)): its bytes and its
 * personal index fields are removed; its digest, type, dates and log position are kept, and
 * an "erased" event carrying reason is appended to the log. reason: one line of 1..512
 * characters, which stays in the log for good, so it must not carry personal data.
 * KEL_ENOTFOUND when unknown, KEL_EINVALID when already erased or for a bad reason.
 */
KEL_EXTERN(int) kel_store_erase(kel_store *store, const char *id, const char *reason)
	KEL_WARN_UNUSED;

/*
 * Record that a stored document was exported (e.g. in an evidence bundle for the processor):
 * an "exported" event with detail (one line, 0..512 characters, no personal data; may be
 * NULL). leaf may be NULL.
 */
KEL_EXTERN(int) kel_store_log_export(kel_store *store, const char *id, const char *detail,
	uint64_t *leaf) KEL_WARN_UNUSED;

/*
 * Append an "expired" event for each consent whose period ended (by the store's clock in
 * Kazakhstan) and that has none yet. *count (may be NULL) gets how many were logged.
 */
KEL_EXTERN(int) kel_store_log_expiries(kel_store *store, uint64_t *count) KEL_WARN_UNUSED;

/* ---- The Merkle log ----------------------------------------------------------------- */

/* The number of leaves in the log. */
KEL_EXTERN(int) kel_store_log_size(kel_store *store, uint64_t *out) KEL_WARN_UNUSED;

/* The canonical entry (docs/store.md) of leaf index, into out. KEL_ENOTFOUND past the end. */
KEL_EXTERN(int) kel_store_log_entry(kel_store *store, uint64_t index, kel_buf *out)
	KEL_WARN_UNUSED;

/* The current tree head (not signed, not recorded), with the store's clock as its time. */
KEL_EXTERN(int) kel_store_head(kel_store *store, kel_merkle_head *out) KEL_WARN_UNUSED;

/*
 * Sign the current tree head with key (ECDSA keys only, SHA-256 over the bytes of
 * kel_merkle_head_signed_bytes; the signature DER-encoded) and record it with the key's
 * certificate. head and signature (may be NULL) receive what was recorded.
 * KEL_EUNSUPPORTED for a key that is not ECDSA.
 */
KEL_EXTERN(int) kel_store_head_sign(kel_store *store, const kel_key *key, kel_merkle_head *head,
	kel_buf *signature) KEL_WARN_UNUSED;

/* A recorded signed head. Borrowed for the duration of the callback. */
typedef struct kel_store_signed_head {
	uint64_t number;                   /* 1, 2, ... in the order recorded */
	kel_merkle_head head;
	const unsigned char *signature;    /* DER ECDSA-Sig-Value */
	size_t signature_len;
	const unsigned char *cert;         /* the signer's certificate, DER */
	size_t cert_len;
} kel_store_signed_head;

typedef int (*kel_store_head_fn)(void *ctx, const kel_store_signed_head *head);

/* Call fn for each recorded signed head, oldest first. */
KEL_EXTERN(int) kel_store_heads(kel_store *store, kel_store_head_fn fn, void *ctx)
	KEL_WARN_UNUSED;

/*
 * Verify a signed head: its signature against its certificate and, when trust_file or
 * trust_dir is given, that certificate against those trust anchors. 0 when it holds,
 * KEL_EINVALID (with the reason) when not.
 */
KEL_EXTERN(int) kel_store_head_verify(const kel_store_signed_head *head, const char *trust_file,
	const char *trust_dir) KEL_WARN_UNUSED;

/* An inclusion proof for a stored document. */
typedef struct kel_store_inclusion {
	uint64_t leaf;                          /* index of the document's "stored" event */
	unsigned char leaf_hash[KEL_MERKLE_HASH_SIZE];
	kel_merkle_head head;                   /* the tree the proof is against */
	kel_merkle_proof *proof;                /* owned: kel_store_inclusion_dispose */
} kel_store_inclusion;

/*
 * The inclusion proof of document id's "stored" event in the tree of size tree_size (0: the
 * current tree). KEL_ENOTFOUND for an unknown id, KEL_EINVAL for a size beyond the log or
 * not above the leaf. Release with kel_store_inclusion_dispose.
 */
KEL_EXTERN(int) kel_store_prove(kel_store *store, const char *id, uint64_t tree_size,
	kel_store_inclusion *out) KEL_WARN_UNUSED;
KEL_EXTERN(void) kel_store_inclusion_dispose(kel_store_inclusion *inc);

/*
 * The consistency proof between the trees of old_size and new_size leaves (new_size 0: the
 * current tree), with both roots. 0 < old_size <= new_size <= log size, else KEL_EINVAL.
 */
KEL_EXTERN(int) kel_store_consistency(kel_store *store, uint64_t old_size, uint64_t new_size,
	unsigned char old_root[KEL_MERKLE_HASH_SIZE], unsigned char new_root[KEL_MERKLE_HASH_SIZE],
	uint64_t *new_size_out, kel_merkle_proof **proof) KEL_WARN_UNUSED;

/* What kel_store_check found. */
typedef struct kel_store_check_result {
	int ok;                  /* 1: everything holds */
	uint64_t leaves;         /* leaves recomputed */
	uint64_t heads;          /* signed heads compared */
	uint64_t documents;      /* documents whose bytes were re-hashed */
	/*
	 * When not ok: what is wrong, naming the first place that differs, e.g.
	 * "log position 17: entry does not match its leaf hash" or
	 * "signed head 3 (size 120): root differs from the log's".
	 */
	char problem[512];
	uint64_t position;       /* the first log position that differs (UINT64_MAX: none) */
} kel_store_check_result;

/*
 * Recompute the whole log from its entries (each entry's leaf hash, the positions' order and
 * contiguity, the node cache), compare the roots with every signed head and verify their
 * signatures (and certificates, against trust_file/trust_dir when given), and re-hash every
 * stored document against its digest and its "stored" event. A difference is a result
 * (result->ok 0), not an error: the call returns 0. Runs in O(n) time, O(log n) memory.
 */
KEL_EXTERN(int) kel_store_check(kel_store *store, const char *trust_file, const char *trust_dir,
	kel_store_check_result *result) KEL_WARN_UNUSED;

#endif
