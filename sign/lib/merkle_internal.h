/*
 * What the files of the Merkle module share (merkle.c, merkle_frontier.c, merkle_text.c,
 * merkle_head.c; merkle_verify.c needs only the public API).
 */
#ifndef KEL_MERKLE_INTERNAL_H
#define KEL_MERKLE_INTERNAL_H

#include <stdint.h>
#include "kelisim/merkle.h"

/* out = SHA-256("") = MTH of the empty tree. */
int kel__merkle_empty_root(unsigned char out[KEL_MERKLE_HASH_SIZE]);

/*
 * out = MTH of the size >= 1 leaves from start on, as a subtree of the RFC's decomposition:
 * start is a multiple of the largest power of two <= size, so a perfect subtree is always
 * the node (log2 size, start >> log2 size) of the node cache. The caller guarantees
 * start + size <= the tree size it was asked about.
 */
int kel__merkle_subtree(const kel_merkle_source *src, uint64_t start, uint64_t size,
	unsigned char out[KEL_MERKLE_HASH_SIZE]);

/* KEL_EINVAL unless src and its leaf callback are set. */
int kel__merkle_check_source(const kel_merkle_source *src);

/*
 * Record the failure rc of a caller's callback (what: "fetch", "store") for the leaf
 * (level 0) or node at (level, index), keeping the callback's own message as the cause;
 * returns the code. Call the callback with the thread's error cleared (kel_error_clear).
 */
int kel__merkle_callback_failed(int rc, const char *what, unsigned int level, uint64_t index);

/* Exactly 64 lower-case hex digits into a hash: 0, or -1 (no error raised). */
int kel__merkle_hex_decode(unsigned char out[KEL_MERKLE_HASH_SIZE], const char *hex,
	size_t len);

#endif
