/*
 * Verifying Merkle proofs: RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), step by
 * step, with the RFC's step numbers in the comments so that a reader can check one against
 * the other. This is what a verifier runs; it needs no log, only the proof and the heads.
 */
#include <inttypes.h>
#include <string.h>

#include "kelisim/merkle.h"
#include "error_internal.h"

#define HLEN KEL_MERKLE_HASH_SIZE

static int is_power_of_two(uint64_t n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* The RFC's "right-shift both fn and sn equally until either LSB(fn) is set or fn is 0". */
static void shift_to_set_bit(uint64_t *fn, uint64_t *sn)
{
	while (!(*fn & 1) && *fn != 0) {
		*fn >>= 1;
		*sn >>= 1;
	}
}

int kel_merkle_verify_inclusion(const unsigned char leaf_hash[HLEN], uint64_t index,
	uint64_t n, const kel_merkle_proof *proof, const unsigned char root[HLEN])
{
	unsigned char r[HLEN];
	uint64_t fn, sn;
	int rc;

	if (leaf_hash == NULL || proof == NULL || root == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_verify_inclusion: NULL argument");
	/* 1. */
	if (index >= n)
		return kel_fail(KEL_EINVALID, "inclusion proof: leaf index %" PRIu64
			" is not below the tree size %" PRIu64, index, n);
	/* 2., 3. */
	fn = index;
	sn = n - 1;
	memcpy(r, leaf_hash, HLEN);
	/* 4. */
	for (size_t i = 0; i < proof->count; i++) {
		const unsigned char *p = proof->hash[i];

		if (sn == 0)
			return kel_fail(KEL_EINVALID, "inclusion proof: %zu hashes, more than leaf %"
				PRIu64 " of %" PRIu64 " needs", proof->count, index, n);
		if ((fn & 1) || fn == sn) {
			rc = kel_merkle_node_hash(r, p, r);
			if (!(fn & 1))
				shift_to_set_bit(&fn, &sn);
		} else {
			rc = kel_merkle_node_hash(r, r, p);
		}
		if (rc < 0)
			return rc;
		fn >>= 1;
		sn >>= 1;
	}
	/* 5. */
	if (sn != 0)
		return kel_fail(KEL_EINVALID, "inclusion proof: %zu hashes, fewer than leaf %"
			PRIu64 " of %" PRIu64 " needs", proof->count, index, n);
	if (memcmp(r, root, HLEN) != 0)
		return kel_fail(KEL_EINVALID, "inclusion proof: the computed root is not the "
			"tree's root");
	return 0;
}

int kel_merkle_verify_consistency(uint64_t m, uint64_t n, const unsigned char old_root[HLEN],
	const unsigned char new_root[HLEN], const kel_merkle_proof *proof)
{
	unsigned char fr[HLEN], sr[HLEN];
	const unsigned char *c;
	size_t total, skip;
	uint64_t fn, sn;
	int rc;

	if (old_root == NULL || new_root == NULL || proof == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_verify_consistency: NULL argument");
	if (m == 0)
		return kel_fail(KEL_EINVALID, "consistency proof: the old tree is empty; RFC 9162 "
			"defines no proof for it");
	if (m > n)
		return kel_fail(KEL_EINVALID, "consistency proof: the old size %" PRIu64
			" is above the new size %" PRIu64, m, n);
	if (m == n) {
		if (proof->count != 0)
			return kel_fail(KEL_EINVALID, "consistency proof: two trees of one size "
				"need an empty proof, not %zu hashes", proof->count);
		if (memcmp(old_root, new_root, HLEN) != 0)
			return kel_fail(KEL_EINVALID, "consistency proof: two trees of %" PRIu64
				" leaves with different roots", m);
		return 0;
	}
	/* 1. */
	if (proof->count == 0)
		return kel_fail(KEL_EINVALID, "consistency proof: empty");
	/*
	 * 2. Prepending first_hash is done by reading the path through an offset: element 0
	 * is old_root when m is a power of two, and proof->hash[i - skip] otherwise.
	 */
	skip = is_power_of_two(m) ? 1 : 0;
	total = proof->count + skip;
	/* 3., 4. */
	fn = m - 1;
	sn = n - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	/* 5. */
	c = skip ? old_root : proof->hash[0];
	memcpy(fr, c, HLEN);
	memcpy(sr, c, HLEN);
	/* 6. */
	for (size_t i = 1; i < total; i++) {
		c = proof->hash[i - skip];
		if (sn == 0)
			return kel_fail(KEL_EINVALID, "consistency proof: %zu hashes, more than %"
				PRIu64 " to %" PRIu64 " leaves needs", proof->count, m, n);
		if ((fn & 1) || fn == sn) {
			if ((rc = kel_merkle_node_hash(fr, c, fr)) < 0 ||
			    (rc = kel_merkle_node_hash(sr, c, sr)) < 0)
				return rc;
			if (!(fn & 1))
				shift_to_set_bit(&fn, &sn);
		} else if ((rc = kel_merkle_node_hash(sr, sr, c)) < 0) {
			return rc;
		}
		fn >>= 1;
		sn >>= 1;
	}
	/* 7. */
	if (sn != 0)
		return kel_fail(KEL_EINVALID, "consistency proof: %zu hashes, fewer than %" PRIu64
			" to %" PRIu64 " leaves needs", proof->count, m, n);
	if (memcmp(fr, old_root, HLEN) != 0)
		return kel_fail(KEL_EINVALID, "consistency proof: does not lead to the old root");
	if (memcmp(sr, new_root, HLEN) != 0)
		return kel_fail(KEL_EINVALID, "consistency proof: does not lead to the new root");
	return 0;
}
