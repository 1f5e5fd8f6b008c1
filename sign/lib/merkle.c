/*
 * The Merkle tree of RFC 9162 §2.1: hashing, roots, proof generation and verification.
 *
 * Trees here are never built in memory. Every root and proof is a walk down the RFC's
 * recursive decomposition (split at the largest power of two below the size), asking the
 * caller's source for the hashes of whole subtrees as it goes.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "kelisim/merkle.h"
#include "merkle_internal.h"
#include "error_internal.h"

#define HLEN KEL_MERKLE_HASH_SIZE

/* ---- Hashing ---------------------------------------------------------------------- */

/*
 * SHA-256 is fetched from the default provider once per process. EVP_sha256() would do the
 * same lookup, with its lock, at every digest; a log hashes twice per append and a store
 * check recomputes millions of nodes, so the lookup would cost as much as the hashing.
 * The fetched method is kept for the life of the process (OpenSSL releases it at exit).
 */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA2-256", NULL);
}

/* out = SHA-256(prefix || data), prefix being 0 or 1 byte long. */
static int sha256_prefixed(unsigned char out[HLEN], const unsigned char *prefix,
	size_t prefix_len, const void *data, size_t len)
{
	EVP_MD_CTX *ctx;
	unsigned int out_len = 0;
	int ok;

	if (pthread_once(&sha256_once, sha256_fetch) != 0 || sha256_md == NULL)
		return kel_fail_openssl(KEL_ECRYPTO, "SHA-256 is not available");
	ctx = EVP_MD_CTX_new();
	ok = ctx != NULL && EVP_DigestInit_ex(ctx, sha256_md, NULL) == 1 &&
		(prefix_len == 0 || EVP_DigestUpdate(ctx, prefix, prefix_len) == 1) &&
		(len == 0 || EVP_DigestUpdate(ctx, data, len) == 1) &&
		EVP_DigestFinal_ex(ctx, out, &out_len) == 1 && out_len == HLEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : kel_fail_openssl(KEL_ECRYPTO, "SHA-256 failed");
}

int kel__merkle_empty_root(unsigned char out[HLEN])
{
	return sha256_prefixed(out, NULL, 0, NULL, 0);
}

int kel_merkle_leaf_hash(unsigned char out[HLEN], const void *entry, size_t len)
{
	static const unsigned char leaf_prefix = 0x00;

	if (out == NULL || (entry == NULL && len != 0))
		return kel_fail(KEL_EINVAL, "kel_merkle_leaf_hash: NULL argument");
	return sha256_prefixed(out, &leaf_prefix, 1, entry, len);
}

int kel_merkle_node_hash(unsigned char out[HLEN], const unsigned char left[HLEN],
	const unsigned char right[HLEN])
{
	unsigned char in[1 + 2 * HLEN];

	if (out == NULL || left == NULL || right == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_node_hash: NULL argument");
	/* Copied first, so out may be the same memory as left or right: the verifiers rely on it. */
	in[0] = 0x01;
	memcpy(in + 1, left, HLEN);
	memcpy(in + 1 + HLEN, right, HLEN);
	return sha256_prefixed(out, NULL, 0, in, sizeof(in));
}

/* ---- Tree arithmetic -------------------------------------------------------------- */

static int is_power_of_two(uint64_t n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* floor(log2(n)) for n >= 1. */
static unsigned int log2_floor(uint64_t n)
{
	return 63u - (unsigned int)__builtin_clzll(n);
}

/*
 * k, the largest power of two strictly below n (n >= 2): where RFC 9162 splits a tree.
 * 2^log2(n - 1) cannot overflow, unlike doubling k until 2k >= n would at n > 2^63.
 */
static uint64_t split_point(uint64_t n)
{
	return UINT64_C(1) << log2_floor(n - 1);
}

/* ---- Asking the source ----------------------------------------------------------- */

int kel__merkle_check_source(const kel_merkle_source *src)
{
	if (src == NULL || src->leaf == NULL)
		return kel_fail(KEL_EINVAL, "Merkle log: no leaf source");
	return 0;
}

/*
 * A callback failed with rc. The callbacks are called with the thread's error cleared, so an
 * error recorded now with that code is the callback's own (a library back end raises one
 * with kel_fail, e.g. SQLite's words): it is kept as the cause, after the position in the
 * tree. A positive rc breaks the callback contract and is counted as KEL_ERROR.
 */
int kel__merkle_callback_failed(int rc, const char *what, unsigned int level, uint64_t index)
{
	const kel_error *last = kel_error_last();
	char cause[256];

	if (rc > 0)
		rc = KEL_ERROR;
	/* Copied: kel_fail rewrites the buffer the old message lives in. */
	snprintf(cause, sizeof(cause), "%s", last != NULL && last->code == rc ? last->message :
		kel_strerror(rc));
	if (level == 0)
		return kel_fail(rc, "Merkle log: %s of leaf %" PRIu64 ": %s", what, index, cause);
	return kel_fail(rc, "Merkle log: %s of node (level %u, index %" PRIu64 "): %s", what,
		level, index, cause);
}

int kel_merkle_array_leaf(void *ctx, uint64_t index, unsigned char out[HLEN])
{
	const kel_merkle_array *a = ctx;

	if (a == NULL || out == NULL || index >= a->count || a->hashes == NULL)
		return kel_fail(KEL_EINVAL, "index %" PRIu64 " is beyond the array's %" PRIu64
			" hashes", index, a != NULL ? a->count : 0);
	/* index < count and the caller's array holds count hashes, so this does not wrap. */
	memcpy(out, a->hashes + (size_t)index * HLEN, HLEN);
	return 0;
}

int kel__merkle_subtree(const kel_merkle_source *src, uint64_t start, uint64_t size,
	unsigned char out[HLEN])
{
	unsigned char left[HLEN], right[HLEN];
	uint64_t k;
	int rc;

	if (size == 1) {
		kel_error_clear();
		rc = src->leaf(src->ctx, start, out);
		return rc == 0 ? 0 : kel__merkle_callback_failed(rc, "fetch", 0, start);
	}
	if (src->node != NULL && is_power_of_two(size)) {
		unsigned int level = log2_floor(size);

		kel_error_clear();
		rc = src->node(src->ctx, level, start >> level, out);
		if (rc == 0)
			return 0;
		if (rc != KEL_ENOTFOUND)
			return kel__merkle_callback_failed(rc, "fetch", level, start >> level);
		/* Not kept: fall through and build it from below, asking for its halves. */
	}
	k = split_point(size);
	if ((rc = kel__merkle_subtree(src, start, k, left)) < 0 ||
	    (rc = kel__merkle_subtree(src, start + k, size - k, right)) < 0)
		return rc;
	return kel_merkle_node_hash(out, left, right);
}

/* ---- Roots ----------------------------------------------------------------------- */

int kel_merkle_root_src(unsigned char out[HLEN], uint64_t n, const kel_merkle_source *src)
{
	int rc;

	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_root: NULL argument");
	if ((rc = kel__merkle_check_source(src)) < 0)
		return rc;
	if (n == 0)
		return kel__merkle_empty_root(out);
	return kel__merkle_subtree(src, 0, n, out);
}

int kel_merkle_root(unsigned char out[HLEN], uint64_t n, kel_merkle_leaf_fn fetch, void *ctx)
{
	kel_merkle_source src = { fetch, NULL, ctx };

	return kel_merkle_root_src(out, n, &src);
}

/* ---- Proof objects --------------------------------------------------------------- */

int kel_merkle_proof_new(kel_merkle_proof **out, size_t count)
{
	kel_merkle_proof *p;

	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_proof_new: NULL argument");
	*out = NULL;
	if (count > (SIZE_MAX - sizeof(*p)) / HLEN)
		return kel_fail(KEL_ETOOBIG, "Merkle proof of %zu hashes is too large", count);
	p = calloc(1, sizeof(*p) + count * HLEN);
	if (p == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	p->count = count;
	*out = p;
	return 0;
}

void kel_merkle_proof_free(kel_merkle_proof *proof)
{
	free(proof);
}

/*
 * The walks below meet the proof's hashes from the root down, but RFC 9162 lists them from
 * the bottom up (PATH(m, D[0:k]) : MTH(D[k:n]) puts the top sibling last): reverse.
 */
static int proof_from_stack(kel_merkle_proof **out, unsigned char (*stack)[HLEN], size_t count)
{
	kel_merkle_proof *p;
	int rc;

	if ((rc = kel_merkle_proof_new(&p, count)) < 0)
		return rc;
	for (size_t i = 0; i < count; i++)
		memcpy(p->hash[i], stack[count - 1 - i], HLEN);
	*out = p;
	return 0;
}

/* ---- Inclusion proofs (RFC 9162 §2.1.3.1) ----------------------------------------- */

int kel_merkle_inclusion_proof_src(kel_merkle_proof **out, uint64_t index, uint64_t n,
	const kel_merkle_source *src)
{
	unsigned char stack[KEL_MERKLE_PROOF_MAX][HLEN];
	uint64_t start = 0, size = n, m = index;
	size_t count = 0;
	int rc;

	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_inclusion_proof: NULL argument");
	*out = NULL;
	if ((rc = kel__merkle_check_source(src)) < 0)
		return rc;
	if (index >= n)
		return kel_fail(KEL_EINVAL, "leaf %" PRIu64 " is not in a tree of %" PRIu64
			" leaves", index, n);
	/*
	 * PATH(m, D[n]): below the split point k the path goes on in D[0:k] and D[k:n] is the
	 * sibling; at or above it, the other way round. Each step goes one level down a tree at
	 * most 64 levels high, so there are at most 64 steps.
	 */
	while (size > 1) {
		uint64_t k = split_point(size);

		if (count == KEL_MERKLE_PROOF_MAX)   /* cannot happen (see above); guards stack */
			return kel_fail(KEL_ERROR, "Merkle log: inclusion path too long");
		if (m < k) {
			rc = kel__merkle_subtree(src, start + k, size - k, stack[count]);
			size = k;
		} else {
			rc = kel__merkle_subtree(src, start, k, stack[count]);
			start += k;
			size -= k;
			m -= k;
		}
		if (rc < 0)
			return rc;
		count++;
	}
	return proof_from_stack(out, stack, count);
}

int kel_merkle_inclusion_proof(kel_merkle_proof **out, uint64_t index, uint64_t n,
	kel_merkle_leaf_fn fetch, void *ctx)
{
	kel_merkle_source src = { fetch, NULL, ctx };

	return kel_merkle_inclusion_proof_src(out, index, n, &src);
}

/* ---- Consistency proofs (RFC 9162 §2.1.4.1) --------------------------------------- */

int kel_merkle_consistency_proof_src(kel_merkle_proof **out, uint64_t m, uint64_t n,
	const kel_merkle_source *src)
{
	unsigned char stack[KEL_MERKLE_PROOF_MAX][HLEN];
	uint64_t start = 0, size = n;
	size_t count = 0;
	int whole = 1;   /* the RFC's b: is D[start:start+size] still the old tree's root? */
	int rc;

	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_consistency_proof: NULL argument");
	*out = NULL;
	if ((rc = kel__merkle_check_source(src)) < 0)
		return rc;
	if (m == 0 || m > n)
		return kel_fail(KEL_EINVAL, "no consistency proof from %" PRIu64 " to %" PRIu64
			" leaves: the old size must be 1 to the new size", m, n);
	/*
	 * SUBPROOF(m, D[n], b). Invariant: 1 <= m <= size. Each step lowers the height by one,
	 * so the loop pushes at most 64 hashes and the final one makes at most 65.
	 */
	while (m != size) {
		uint64_t k = split_point(size);

		if (count >= KEL_MERKLE_PROOF_MAX - 1)   /* cannot happen (see above); guards stack */
			return kel_fail(KEL_ERROR, "Merkle log: consistency path too long");

		if (m <= k) {
			rc = kel__merkle_subtree(src, start + k, size - k, stack[count]);
			size = k;
		} else {
			rc = kel__merkle_subtree(src, start, k, stack[count]);
			start += k;
			size -= k;
			m -= k;
			whole = 0;
		}
		if (rc < 0)
			return rc;
		count++;
	}
	/* SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b true the verifier has it already. */
	if (!whole) {
		if ((rc = kel__merkle_subtree(src, start, size, stack[count])) < 0)
			return rc;
		count++;
	}
	return proof_from_stack(out, stack, count);
}

int kel_merkle_consistency_proof(kel_merkle_proof **out, uint64_t m, uint64_t n,
	kel_merkle_leaf_fn fetch, void *ctx)
{
	kel_merkle_source src = { fetch, NULL, ctx };

	return kel_merkle_consistency_proof_src(out, m, n, &src);
}

/* ---- What a computation will ask for ----------------------------------------------- */

/*
 * Append what kel__merkle_subtree(start, size) asks for when every node is cached: a perfect
 * subtree is one fetch (a leaf when size is 1); any other is its left part, which is perfect,
 * then the rest, recursively. So the parts are the 1-bits of size, largest first.
 */
static void subtree_refs(kel_merkle_node_ref *out, size_t *count, uint64_t start, uint64_t size)
{
	while (!is_power_of_two(size)) {
		uint64_t k = split_point(size);
		unsigned int level = log2_floor(k);

		out[*count].level = level;
		out[*count].index = start >> level;
		(*count)++;
		start += k;
		size -= k;
	}
	out[*count].level = log2_floor(size);
	out[*count].index = start >> out[*count].level;
	(*count)++;
}

int kel_merkle_root_refs(kel_merkle_node_ref out[KEL_MERKLE_NODE_REFS_MAX], size_t *count,
	uint64_t n)
{
	if (out == NULL || count == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_root_refs: NULL argument");
	*count = 0;
	if (n > 0)
		subtree_refs(out, count, 0, n);   /* at most 64: one per 1-bit of n */
	return 0;
}

/* The walk of kel_merkle_inclusion_proof_src, recording instead of fetching. */
int kel_merkle_inclusion_refs(kel_merkle_node_ref out[KEL_MERKLE_NODE_REFS_MAX], size_t *count,
	uint64_t index, uint64_t n)
{
	uint64_t start = 0, size = n, m = index;

	if (out == NULL || count == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_inclusion_refs: NULL argument");
	*count = 0;
	if (index >= n)
		return kel_fail(KEL_EINVAL, "leaf %" PRIu64 " is not in a tree of %" PRIu64
			" leaves", index, n);
	/*
	 * At most 64 steps; once the path enters a perfect subtree every later sibling is
	 * perfect, so only one sibling can have several parts: at most 127 refs (see merkle.h).
	 */
	while (size > 1) {
		uint64_t k = split_point(size);

		if (m < k) {
			subtree_refs(out, count, start + k, size - k);
			size = k;
		} else {
			subtree_refs(out, count, start, k);
			start += k;
			size -= k;
			m -= k;
		}
	}
	return 0;
}

/* The walk of kel_merkle_consistency_proof_src, recording instead of fetching. */
int kel_merkle_consistency_refs(kel_merkle_node_ref out[KEL_MERKLE_NODE_REFS_MAX],
	size_t *count, uint64_t m, uint64_t n)
{
	uint64_t start = 0, size = n;
	int whole = 1;

	if (out == NULL || count == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_consistency_refs: NULL argument");
	*count = 0;
	if (m == 0 || m > n)
		return kel_fail(KEL_EINVAL, "no consistency proof from %" PRIu64 " to %" PRIu64
			" leaves: the old size must be 1 to the new size", m, n);
	/*
	 * The walk must go left (m <= k) before it can end, and from there on every subtree is
	 * perfect: one sibling at most has several parts, 127 refs at most (see merkle.h).
	 */
	while (m != size) {
		uint64_t k = split_point(size);

		if (m <= k) {
			subtree_refs(out, count, start + k, size - k);
			size = k;
		} else {
			subtree_refs(out, count, start, k);
			start += k;
			size -= k;
			m -= k;
			whole = 0;
		}
	}
	if (!whole)
		subtree_refs(out, count, start, size);
	return 0;
}
