/*
 * The Merkle log of the evidence store: hashing, proofs and tree heads as RFC 9162
 * (Certificate Transparency 2.0) §2.1 defines them, with SHA-256.
 *
 *   leaf hash  = SHA-256(0x00 || entry)
 *   node hash  = SHA-256(0x01 || left || right)
 *   MTH({})    = SHA-256("")
 *   MTH(D[n])  = node hash(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two < n
 *
 * This module knows nothing about storage. A log is n leaf hashes, indexed 0..n-1, that the
 * caller holds (kel_merkle_array) or serves through a callback, so a database back end can
 * answer one row at a time instead of loading the log into memory. A back end may also serve
 * the hashes of perfect subtrees it has kept (the node cache, below); proofs then cost
 * O(log n) fetches instead of O(n). kel_merkle_frontier keeps the O(log n) hashes needed to
 * append a leaf and to compute the current root. docs/merkle.md tells the whole story.
 *
 * Sizes and indexes are uint64_t throughout; every size up to UINT64_MAX is handled without
 * overflow. A proof that does not verify is KEL_EINVALID, whatever the reason (the message
 * names it); KEL_EINVAL is kept for misuse (NULL arguments, a proof asked for a leaf or a
 * size that is not in the tree).
 */
#ifndef KELISIM_MERKLE_H
#define KELISIM_MERKLE_H

#include <stdint.h>
#include "common.h"
#include "buf.h"

#define KEL_MERKLE_HASH_SIZE 32

/*
 * The longest proof any tree of at most UINT64_MAX leaves can need: an inclusion path is at
 * most 64 hashes (the tree's height); a consistency path at most 65 (one per level, plus the
 * old tree's own subtree hash). Decoders refuse anything longer.
 */
#define KEL_MERKLE_PROOF_MAX 65

/*
 * Serve the leaf hash (already SHA-256(0x00 || entry), not the entry) at index into out.
 * Return 0, or a negative kel_error_code, which the library passes on unchanged. The library
 * only asks for index < n of the call it was given to.
 *
 * Every callback of this header is called with the thread's error cleared; a message the
 * callback raises with its failure code is kept as the cause in the library's message
 * ("Merkle log: fetch of leaf 17: <the callback's message>").
 */
typedef int (*kel_merkle_leaf_fn)(void *ctx, uint64_t index,
	unsigned char out[KEL_MERKLE_HASH_SIZE]);

/*
 * The node cache: serve the hash of the perfect subtree at (level, index), i.e. MTH of the
 * 2^level leaves index*2^level .. (index+1)*2^level - 1, with level >= 1 (level 0 would be a
 * leaf, which is always asked of the leaf callback). Return 0 with out filled, KEL_ENOTFOUND
 * when the node is not kept (the library then computes it from the two nodes below it, down
 * to leaves), or another negative code for a failure, which is passed on.
 *
 * Why caching is sound: a perfect subtree never changes once its last leaf is appended; every
 * later tree contains it unchanged. The library asks only for subtrees that lie entirely
 * within the tree size of the call, so the back end can answer from nodes it recorded as they
 * were completed (see kel_merkle_node_sink and kel_merkle_frontier_append).
 */
typedef int (*kel_merkle_node_fn)(void *ctx, unsigned int level, uint64_t index,
	unsigned char out[KEL_MERKLE_HASH_SIZE]);

/* Where the hashes of a log come from. node may be NULL: no cache, every subtree computed. */
typedef struct kel_merkle_source {
	kel_merkle_leaf_fn leaf;
	kel_merkle_node_fn node;
	void *ctx;
} kel_merkle_source;

/*
 * Leaf hashes held by the caller, count * 32 bytes in a row. Pass kel_merkle_array_leaf as
 * the callback and a kel_merkle_array as its ctx; an index >= count is refused with
 * KEL_EINVAL rather than read out of bounds.
 */
typedef struct kel_merkle_array {
	const unsigned char *hashes;
	uint64_t count;
} kel_merkle_array;

KEL_EXTERN(int) kel_merkle_array_leaf(void *ctx, uint64_t index,
	unsigned char out[KEL_MERKLE_HASH_SIZE]);

/* out = SHA-256(0x00 || entry). entry may be NULL when len is 0. */
KEL_EXTERN(int) kel_merkle_leaf_hash(unsigned char out[KEL_MERKLE_HASH_SIZE],
	const void *entry, size_t len) KEL_WARN_UNUSED;

/* out = SHA-256(0x01 || left || right). */
KEL_EXTERN(int) kel_merkle_node_hash(unsigned char out[KEL_MERKLE_HASH_SIZE],
	const unsigned char left[KEL_MERKLE_HASH_SIZE],
	const unsigned char right[KEL_MERKLE_HASH_SIZE]) KEL_WARN_UNUSED;

/* ---- Roots and proofs from a log ---------------------------------------------------- */

/*
 * out = MTH of the first n leaves. n = 0 gives SHA-256(""). Without a node cache this fetches
 * all n leaves; with one, O(log n) nodes.
 */
KEL_EXTERN(int) kel_merkle_root(unsigned char out[KEL_MERKLE_HASH_SIZE], uint64_t n,
	kel_merkle_leaf_fn fetch, void *ctx) KEL_WARN_UNUSED;
KEL_EXTERN(int) kel_merkle_root_src(unsigned char out[KEL_MERKLE_HASH_SIZE], uint64_t n,
	const kel_merkle_source *src) KEL_WARN_UNUSED;

/*
 * A proof: count hashes, in the order RFC 9162 gives them (the sibling nearest the leaf, or
 * the smallest subtree, first). Made by the library (or kel_merkle_proof_new), freed with
 * kel_merkle_proof_free. count <= KEL_MERKLE_PROOF_MAX for every proof the library makes.
 */
typedef struct kel_merkle_proof {
	size_t count;
	unsigned char hash[][KEL_MERKLE_HASH_SIZE];
} kel_merkle_proof;

/* A proof of count hashes, all zero, for the caller to fill (e.g. read from a database). */
KEL_EXTERN(int) kel_merkle_proof_new(kel_merkle_proof **out, size_t count) KEL_WARN_UNUSED;
KEL_EXTERN(void) kel_merkle_proof_free(kel_merkle_proof *proof);

/*
 * The inclusion proof (audit path, RFC 9162 §2.1.3.1) of leaf index in the tree of the first
 * n leaves. KEL_EINVAL when index >= n. Every sibling on the path is a perfect subtree (one
 * node fetch with a full cache) except at most one, which is made of at most 64 perfect
 * parts: with a node cache that keeps every level a proof costs O(log n) fetches. Without a
 * cache every leaf of the tree is fetched: O(n).
 */
KEL_EXTERN(int) kel_merkle_inclusion_proof(kel_merkle_proof **out, uint64_t index, uint64_t n,
	kel_merkle_leaf_fn fetch, void *ctx) KEL_WARN_UNUSED;
KEL_EXTERN(int) kel_merkle_inclusion_proof_src(kel_merkle_proof **out, uint64_t index,
	uint64_t n, const kel_merkle_source *src) KEL_WARN_UNUSED;

/*
 * The consistency proof (RFC 9162 §2.1.4.1) that the tree of the first n leaves extends the
 * tree of the first m. Requires 0 < m <= n (KEL_EINVAL otherwise); m == n gives an empty
 * proof, as SUBPROOF(m, D[m], true) is empty.
 */
KEL_EXTERN(int) kel_merkle_consistency_proof(kel_merkle_proof **out, uint64_t m, uint64_t n,
	kel_merkle_leaf_fn fetch, void *ctx) KEL_WARN_UNUSED;
KEL_EXTERN(int) kel_merkle_consistency_proof_src(kel_merkle_proof **out, uint64_t m,
	uint64_t n, const kel_merkle_source *src) KEL_WARN_UNUSED;

/* ---- What a root or a proof will ask for (for back ends that fetch in batches) -------- */

/* One hash of a log: a leaf (level 0, index the leaf's) or a node of the cache (level >= 1). */
typedef struct kel_merkle_node_ref {
	unsigned int level;
	uint64_t index;
} kel_merkle_node_ref;

/*
 * Room enough for every list below: an inclusion path has at most 64 siblings and a
 * consistency path 65 subtrees, of which at most one is not a perfect subtree and is asked
 * for as its perfect parts (at most 63): 127 at most. A root needs one per 1-bit of n.
 */
#define KEL_MERKLE_NODE_REFS_MAX 128

/*
 * The hashes that kel_merkle_inclusion_proof_src(index, n), kel_merkle_consistency_proof_src
 * (m, n) and kel_merkle_root_src(n) (and kel_merkle_frontier_load(n)) ask their source for,
 * in the order they ask, when the node cache keeps every perfect subtree of level >= 1. A
 * back end for which every fetch is a round trip to a server fetches them in one query
 * first and then serves the computation from what it fetched; what it does not find it asks
 * for as usual, so a partial cache still gives the right answer, only slower. Nothing is
 * fetched or hashed here. The arguments are refused as the computations refuse them
 * (KEL_EINVAL).
 */
KEL_EXTERN(int) kel_merkle_inclusion_refs(kel_merkle_node_ref out[KEL_MERKLE_NODE_REFS_MAX],
	size_t *count, uint64_t index, uint64_t n) KEL_WARN_UNUSED;
KEL_EXTERN(int) kel_merkle_consistency_refs(kel_merkle_node_ref out[KEL_MERKLE_NODE_REFS_MAX],
	size_t *count, uint64_t m, uint64_t n) KEL_WARN_UNUSED;
/* n = 0 needs no hash (the empty root): count 0. */
KEL_EXTERN(int) kel_merkle_root_refs(kel_merkle_node_ref out[KEL_MERKLE_NODE_REFS_MAX],
	size_t *count, uint64_t n) KEL_WARN_UNUSED;

/* ---- Verification (needs no log: this is what a verifier runs) ------------------------ */

/*
 * 0 when proof shows that leaf_hash is leaf index of the tree of n leaves whose root is
 * root, following RFC 9162 §2.1.3.2 step by step; KEL_EINVALID otherwise: index >= n, a path
 * too long or too short for (index, n), or a computed root that differs.
 */
KEL_EXTERN(int) kel_merkle_verify_inclusion(const unsigned char leaf_hash[KEL_MERKLE_HASH_SIZE],
	uint64_t index, uint64_t n, const kel_merkle_proof *proof,
	const unsigned char root[KEL_MERKLE_HASH_SIZE]) KEL_WARN_UNUSED;

/*
 * 0 when proof shows that the tree of n leaves with root new_root extends the tree of m leaves
 * with root old_root, following RFC 9162 §2.1.4.2 step by step; KEL_EINVALID otherwise.
 * The RFC's algorithm is defined for 0 < m < n. Outside it: m == 0 and m > n are refused
 * (the RFC defines no proof for them; a verifier that wants to accept any tree as an
 * extension of the empty one decides that itself); m == n is accepted only with an empty
 * proof and equal roots (the empty SUBPROOF(m, D[m], true)).
 */
KEL_EXTERN(int) kel_merkle_verify_consistency(uint64_t m, uint64_t n,
	const unsigned char old_root[KEL_MERKLE_HASH_SIZE],
	const unsigned char new_root[KEL_MERKLE_HASH_SIZE],
	const kel_merkle_proof *proof) KEL_WARN_UNUSED;

/* ---- The frontier: appending without holding the log -------------------------------- */

/*
 * The hashes of the perfect subtrees that make up the current tree (one per 1-bit of its
 * size, at most 64), which is all that appending and the root need: memory is constant,
 * append and root are O(log n) hashes.
 */
typedef struct kel_merkle_frontier kel_merkle_frontier;

/*
 * Told of each perfect subtree of level >= 1 that an append completes, smallest first:
 * (level, index) as in kel_merkle_node_fn, with its hash. A back end stores them as its node
 * cache. A non-zero return stops the append with that code; the frontier is then unchanged.
 */
typedef int (*kel_merkle_node_sink)(void *ctx, unsigned int level, uint64_t index,
	const unsigned char hash[KEL_MERKLE_HASH_SIZE]);

/* An empty frontier (size 0). */
KEL_EXTERN(int) kel_merkle_frontier_new(kel_merkle_frontier **out) KEL_WARN_UNUSED;

/*
 * The frontier of the first n leaves of a log, e.g. when a store is opened: one fetch per
 * 1-bit of n with a node cache that has the nodes, O(n) leaf fetches without.
 */
KEL_EXTERN(int) kel_merkle_frontier_load(kel_merkle_frontier **out, uint64_t n,
	const kel_merkle_source *src) KEL_WARN_UNUSED;

/* A copy, e.g. to compute the root of a batch not yet committed. */
KEL_EXTERN(int) kel_merkle_frontier_dup(kel_merkle_frontier **out,
	const kel_merkle_frontier *f) KEL_WARN_UNUSED;

/*
 * Append a leaf hash (leaf n, n being the size before). sink may be NULL. KEL_ETOOBIG when
 * the frontier already holds UINT64_MAX leaves.
 */
KEL_EXTERN(int) kel_merkle_frontier_append(kel_merkle_frontier *f,
	const unsigned char leaf_hash[KEL_MERKLE_HASH_SIZE],
	kel_merkle_node_sink sink, void *ctx) KEL_WARN_UNUSED;

KEL_EXTERN(uint64_t) kel_merkle_frontier_size(const kel_merkle_frontier *f);

/* out = MTH of the frontier's leaves (SHA-256("") when empty). */
KEL_EXTERN(int) kel_merkle_frontier_root(const kel_merkle_frontier *f,
	unsigned char out[KEL_MERKLE_HASH_SIZE]) KEL_WARN_UNUSED;

KEL_EXTERN(void) kel_merkle_frontier_free(kel_merkle_frontier *f);

/* ---- Text ------------------------------------------------------------------------- */

/* Lower-case hex of a hash, NUL-terminated. */
KEL_EXTERN(void) kel_merkle_hash_to_hex(char out[2 * KEL_MERKLE_HASH_SIZE + 1],
	const unsigned char hash[KEL_MERKLE_HASH_SIZE]);

/* Exactly 64 lower-case hex digits (len bytes, no NUL needed) to a hash; else KEL_EPARSE. */
KEL_EXTERN(int) kel_merkle_hash_from_hex(unsigned char out[KEL_MERKLE_HASH_SIZE],
	const char *hex, size_t len) KEL_WARN_UNUSED;

typedef enum {
	/* The hashes as 64 lower-case hex digits each, separated by ',' ("" for no hash). */
	KEL_MERKLE_HEX = 1,
	/* The hashes concatenated, in base64 (RFC 4648 §4, padded, no line breaks). */
	KEL_MERKLE_BASE64 = 2
} kel_merkle_encoding;

/* Write the proof's hashes as text into out (replacing its content). */
KEL_EXTERN(int) kel_merkle_proof_encode(kel_buf *out, const kel_merkle_proof *proof,
	kel_merkle_encoding encoding) KEL_WARN_UNUSED;

/*
 * Read a proof written by kel_merkle_proof_encode. Strict: only the canonical text is
 * accepted (no blanks, no upper-case hex, no missing or surplus padding, no non-zero padding
 * bits), so one proof has exactly one text. More than KEL_MERKLE_PROOF_MAX hashes is
 * KEL_ETOOBIG, anything else malformed KEL_EPARSE.
 */
KEL_EXTERN(int) kel_merkle_proof_decode(kel_merkle_proof **out, const char *text, size_t len,
	kel_merkle_encoding encoding) KEL_WARN_UNUSED;

/* ---- Tree heads -------------------------------------------------------------------- */

/* A log's identifier: 1..128 of A-Z a-z 0-9 and - . _ : / (e.g. "kelisim:<store uuid>"). */
#define KEL_MERKLE_LOG_ID_MAX 128

/* The latest time a head can carry: 9999-12-31T23:59:59Z. */
#define KEL_MERKLE_TIME_MAX INT64_C(253402300799)

/*
 * A tree head: which log, how many leaves, their root, and when (whole seconds since
 * 1970-01-01T00:00:00Z, UTC, 0..KEL_MERKLE_TIME_MAX).
 */
typedef struct kel_merkle_head {
	char log_id[KEL_MERKLE_LOG_ID_MAX + 1];
	uint64_t size;
	unsigned char root[KEL_MERKLE_HASH_SIZE];
	int64_t time;
} kel_merkle_head;

/*
 * The text form, exactly five lines, each ended by one LF, fields in this order:
 *
 *   kelisim-tree-head 1
 *   log kelisim:0190f1c2-5b7a-7cde-8f00-112233445566
 *   size 1234
 *   root 5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328
 *   time 2025-03-01T10:00:00Z
 *
 * size in decimal without leading zeros, root in lower-case hex, time as shown (UTC, "Z").
 * Written into out (replacing its content). KEL_EINVAL for a head that has no text form
 * (a bad log id, a time out of range).
 */
KEL_EXTERN(int) kel_merkle_head_serialize(kel_buf *out, const kel_merkle_head *head)
	KEL_WARN_UNUSED;

/*
 * Read the text form, strictly: only what kel_merkle_head_serialize writes is accepted, so
 * serialize(parse(text)) == text. Refused with KEL_EPARSE: a missing, extra, repeated or
 * reordered field, CR or blanks, a size that is not canonical decimal or exceeds UINT64_MAX,
 * hex that is not 64 lower-case digits, an impossible date, anything after the last LF.
 * More than 512 bytes is KEL_ETOOBIG.
 */
KEL_EXTERN(int) kel_merkle_head_parse(kel_merkle_head *out, const char *text, size_t len)
	KEL_WARN_UNUSED;

/*
 * The exact bytes a signature over the head covers (into out, replacing its content). They
 * are binary and independent of the text form, so that the text can change (e.g. base64
 * instead of hex) without invalidating signatures, and they are never valid as anything
 * else the operator signs (an XML document does not start with this prefix):
 *
 *   offset   length   content
 *   0        21       "kelisim-tree-head-v1" and one 0x00 byte (domain separation)
 *   21       1        L, the length of the log id (1..128)
 *   22       L        the log id, ASCII
 *   22+L     8        size, unsigned, big-endian
 *   30+L     8        time, seconds since the epoch, unsigned, big-endian
 *   38+L     32       root
 *
 * Total 70 + L bytes. A verifier rebuilds these bytes from the parsed head; it never signs
 * or verifies the text.
 */
KEL_EXTERN(int) kel_merkle_head_signed_bytes(kel_buf *out, const kel_merkle_head *head)
	KEL_WARN_UNUSED;

#endif
