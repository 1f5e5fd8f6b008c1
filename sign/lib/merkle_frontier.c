/*
 * The frontier of a Merkle log (a "compact range" from the first leaf): what appending needs.
 *
 * A tree of n leaves is, by RFC 9162's split rule, a row of perfect subtrees, one for each
 * 1-bit of n, largest on the left: n = 13 = 8 + 4 + 1 is D[0:8], D[8:12], D[12:13]. Their
 * hashes are all the state that appending and computing the root require:
 *
 *   - appending leaf n merges it with the subtrees of the trailing 1-bits of n, exactly as
 *     binary addition carries (13 + 1 = 14 = 8 + 4 + 2: the leaf and D[12:13] become
 *     D[12:14]); on average one merge per append, at most 64;
 *   - the root folds the row from the right: MTH = H(D[0:8], H(D[8:12], D[12:13])), which is
 *     the RFC's recursion, since each split point is the next subtree boundary.
 *
 * So memory is 64 hashes whatever n, and a million appends never hold a million hashes.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kelisim/merkle.h"
#include "merkle_internal.h"
#include "error_internal.h"

#define HLEN KEL_MERKLE_HASH_SIZE

struct kel_merkle_frontier {
	uint64_t size;
	/*
	 * node[l], for each 1-bit l of size: the hash of the perfect subtree of 2^l leaves that
	 * the row holds at that bit. Entries of 0-bits are stale and never read.
	 */
	unsigned char node[64][HLEN];
};

int kel_merkle_frontier_new(kel_merkle_frontier **out)
{
	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_frontier_new: NULL argument");
	*out = calloc(1, sizeof(**out));
	return *out != NULL ? 0 : kel_fail(KEL_ENOMEM, "out of memory");
}

int kel_merkle_frontier_dup(kel_merkle_frontier **out, const kel_merkle_frontier *f)
{
	if (out == NULL || f == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_frontier_dup: NULL argument");
	*out = malloc(sizeof(**out));
	if (*out == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	memcpy(*out, f, sizeof(**out));
	return 0;
}

void kel_merkle_frontier_free(kel_merkle_frontier *f)
{
	free(f);
}

uint64_t kel_merkle_frontier_size(const kel_merkle_frontier *f)
{
	return f != NULL ? f->size : 0;
}

int kel_merkle_frontier_load(kel_merkle_frontier **out, uint64_t n,
	const kel_merkle_source *src)
{
	kel_merkle_frontier *f;
	uint64_t start = 0;
	int rc;

	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_frontier_load: NULL argument");
	*out = NULL;
	if ((rc = kel__merkle_check_source(src)) < 0)
		return rc;
	if ((rc = kel_merkle_frontier_new(&f)) < 0)
		return rc;
	/*
	 * Left to right, largest first: each subtree starts where the larger ones before it
	 * end, which is a multiple of its own size, so with a node cache it is one fetch.
	 */
	for (int l = 63; l >= 0; l--) {
		uint64_t width = UINT64_C(1) << l;

		if (!(n & width))
			continue;
		if ((rc = kel__merkle_subtree(src, start, width, f->node[l])) < 0) {
			kel_merkle_frontier_free(f);
			return rc;
		}
		start += width;
	}
	f->size = n;
	*out = f;
	return 0;
}

int kel_merkle_frontier_append(kel_merkle_frontier *f, const unsigned char leaf_hash[HLEN],
	kel_merkle_node_sink sink, void *ctx)
{
	unsigned char carry[HLEN];
	unsigned int level = 0;
	uint64_t n;
	int rc;

	if (f == NULL || leaf_hash == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_frontier_append: NULL argument");
	if (f->size == UINT64_MAX)
		return kel_fail(KEL_ETOOBIG, "Merkle log: full at %" PRIu64 " leaves", f->size);
	/*
	 * The new leaf has index f->size; the subtree it completes at each level holds it, so
	 * its index at that level is f->size >> level. Nothing in f changes until every merge
	 * and every sink call has succeeded: a failure leaves the frontier as it was.
	 */
	memcpy(carry, leaf_hash, HLEN);
	for (n = f->size; n & 1; n >>= 1) {
		if ((rc = kel_merkle_node_hash(carry, f->node[level], carry)) < 0)
			return rc;
		level++;
		if (sink == NULL)
			continue;
		kel_error_clear();
		if ((rc = sink(ctx, level, f->size >> level, carry)) != 0)
			return kel__merkle_callback_failed(rc, "store", level, f->size >> level);
	}
	memcpy(f->node[level], carry, HLEN);
	f->size++;
	return 0;
}

int kel_merkle_frontier_root(const kel_merkle_frontier *f, unsigned char out[HLEN])
{
	unsigned char acc[HLEN];
	int have = 0, rc;

	if (f == NULL || out == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_frontier_root: NULL argument");
	if (f->size == 0)
		return kel__merkle_empty_root(out);
	/* From the smallest subtree (rightmost) to the largest: acc = H(node[l], acc). */
	for (unsigned int l = 0; l < 64; l++) {
		if (!(f->size & (UINT64_C(1) << l)))
			continue;
		if (!have) {
			memcpy(acc, f->node[l], HLEN);
			have = 1;
		} else if ((rc = kel_merkle_node_hash(acc, f->node[l], acc)) < 0) {
			return rc;
		}
	}
	memcpy(out, acc, HLEN);
	return 0;
}
