/*
 * The Merkle log: RFC 9162 hashing, roots, inclusion and consistency proofs, the frontier,
 * the node cache, proof text and tree heads.
 *
 * The expected values do not come from the library. A deliberately naive implementation
 * below (ref_*) follows the RFC's recursive definitions word for word, over arrays, with
 * plain OpenSSL SHA256() calls; the library's iterative walks must agree with it hash for
 * hash, and published RFC 6962 test vectors anchor both.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/sha.h>

#include "helpers.h"
#include "kelisim.h"
#include "kelisim/merkle.h"

#define H 32
typedef unsigned char hash_t[H];

/* ---- The independent reference ------------------------------------------------------ */

static void ref_leaf(hash_t out, const void *entry, size_t len)
{
	unsigned char *buf = malloc(len + 1);

	ck_assert_ptr_nonnull(buf);
	buf[0] = 0x00;
	if (len)
		memcpy(buf + 1, entry, len);
	SHA256(buf, len + 1, out);
	free(buf);
}

static void ref_node(hash_t out, const hash_t left, const hash_t right)
{
	unsigned char buf[1 + 2 * H];

	buf[0] = 0x01;
	memcpy(buf + 1, left, H);
	memcpy(buf + 1 + H, right, H);
	SHA256(buf, sizeof(buf), out);
}

/* The largest power of two smaller than n (n >= 2), the slow obvious way. */
static size_t ref_k(size_t n)
{
	size_t k = 1;

	while (2 * k < n)
		k *= 2;
	return k;
}

/* MTH(D[n]) of RFC 9162 §2.1.1. */
static void ref_mth(hash_t out, const hash_t *d, size_t n)
{
	hash_t l, r;
	size_t k;

	if (n == 0) {
		SHA256((const unsigned char *)"", 0, out);
		return;
	}
	if (n == 1) {
		memcpy(out, d[0], H);
		return;
	}
	k = ref_k(n);
	ref_mth(l, d, k);
	ref_mth(r, d + k, n - k);
	ref_node(out, l, r);
}

/* PATH(m, D[n]) of §2.1.3.1, appending to out. */
static void ref_path(size_t m, const hash_t *d, size_t n, hash_t *out, size_t *count)
{
	size_t k;

	if (n == 1)
		return;
	k = ref_k(n);
	if (m < k) {
		ref_path(m, d, k, out, count);
		ref_mth(out[(*count)++], d + k, n - k);
	} else {
		ref_path(m - k, d + k, n - k, out, count);
		ref_mth(out[(*count)++], d, k);
	}
}

/* SUBPROOF(m, D[n], b) of §2.1.4.1, appending to out. */
static void ref_subproof(size_t m, const hash_t *d, size_t n, int b, hash_t *out,
	size_t *count)
{
	size_t k;

	if (m == n) {
		if (!b)
			ref_mth(out[(*count)++], d, m);
		return;
	}
	k = ref_k(n);
	if (m <= k) {
		ref_subproof(m, d, k, b, out, count);
		ref_mth(out[(*count)++], d + k, n - k);
	} else {
		ref_subproof(m - k, d + k, n - k, 0, out, count);
		ref_mth(out[(*count)++], d, k);
	}
}

/* ---- Helpers -------------------------------------------------------------------------- */

static void hex_to(hash_t out, const char *hex)
{
	for (int i = 0; i < H; i++) {
		unsigned int v;

		ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (unsigned char)v;
	}
}

/* n distinct leaf hashes, of the entries "entry 0", "entry 1", ... */
static hash_t *make_leaves(size_t n)
{
	hash_t *d = calloc(n ? n : 1, H);

	ck_assert_ptr_nonnull(d);
	for (size_t i = 0; i < n; i++) {
		char entry[32];
		int len = snprintf(entry, sizeof(entry), "entry %zu", i);

		ref_leaf(d[i], entry, (size_t)len);
	}
	return d;
}

static kel_merkle_proof *proof_of(const hash_t *hashes, size_t count)
{
	kel_merkle_proof *p;

	ck_assert_int_eq(kel_merkle_proof_new(&p, count), 0);
	if (count)
		memcpy(p->hash, hashes, count * H);
	return p;
}

static kel_merkle_proof *proof_copy(const kel_merkle_proof *src)
{
	return proof_of((const hash_t *)src->hash, src->count);
}

/* src without hash number drop. */
static kel_merkle_proof *proof_without(const kel_merkle_proof *src, size_t drop)
{
	kel_merkle_proof *p;

	ck_assert_int_eq(kel_merkle_proof_new(&p, src->count - 1), 0);
	for (size_t i = 0, j = 0; i < src->count; i++)
		if (i != drop)
			memcpy(p->hash[j++], src->hash[i], H);
	return p;
}

/* src with extra inserted before position at. */
static kel_merkle_proof *proof_with(const kel_merkle_proof *src, size_t at, const hash_t extra)
{
	kel_merkle_proof *p;

	ck_assert_int_eq(kel_merkle_proof_new(&p, src->count + 1), 0);
	for (size_t i = 0, j = 0; j < src->count + 1; j++) {
		if (j == at)
			memcpy(p->hash[j], extra, H);
		else
			memcpy(p->hash[j], src->hash[i++], H);
	}
	return p;
}

/*
 * A store as a back end would keep it: leaf hashes, and perfect-subtree nodes recorded from
 * the frontier's sink. It counts fetches, can pretend not to keep some levels, and checks
 * that the library asks only for what lies inside the tree size of the current call.
 */
struct store {
	const hash_t *leaves;
	uint64_t limit;             /* the tree size of the call in progress */
	hash_t *nodes[64];
	uint64_t nodes_count[64];
	uint64_t nodes_room[64];
	uint64_t missing_levels;    /* bit l set: level l is "not kept" */
	unsigned long leaf_fetches, node_fetches, node_misses;
	int fail_leaf;              /* make leaf fetches fail with KEL_EIO */
	int fail_node;              /* make node fetches fail with KEL_EIO */
};

static int store_leaf(void *ctx, uint64_t index, unsigned char out[H])
{
	struct store *s = ctx;

	ck_assert_msg(index < s->limit, "leaf %llu asked of a tree of %llu",
		(unsigned long long)index, (unsigned long long)s->limit);
	s->leaf_fetches++;
	if (s->fail_leaf)
		return KEL_EIO;
	memcpy(out, s->leaves[index], H);
	return 0;
}

static int store_node(void *ctx, unsigned int level, uint64_t index, unsigned char out[H])
{
	struct store *s = ctx;

	ck_assert_uint_ge(level, 1);
	ck_assert_uint_lt(level, 64);
	ck_assert_msg(((index + 1) << level) <= s->limit, "node (%u, %llu) asked of a tree of "
		"%llu", level, (unsigned long long)index, (unsigned long long)s->limit);
	s->node_fetches++;
	if (s->fail_node)
		return KEL_EIO;
	if ((s->missing_levels >> level & 1) || index >= s->nodes_count[level]) {
		s->node_misses++;
		return KEL_ENOTFOUND;
	}
	memcpy(out, s->nodes[level][index], H);
	return 0;
}

static int store_sink(void *ctx, unsigned int level, uint64_t index, const unsigned char hash[H])
{
	struct store *s = ctx;

	ck_assert_uint_ge(level, 1);
	/* Nodes of one level are completed left to right, each exactly once. */
	ck_assert_uint_eq(index, s->nodes_count[level]);
	if (index == s->nodes_room[level]) {
		s->nodes_room[level] = s->nodes_room[level] ? 2 * s->nodes_room[level] : 16;
		s->nodes[level] = realloc(s->nodes[level], (size_t)s->nodes_room[level] * H);
		ck_assert_ptr_nonnull(s->nodes[level]);
	}
	memcpy(s->nodes[level][index], hash, H);
	s->nodes_count[level]++;
	return 0;
}

static void store_free(struct store *s)
{
	for (int l = 0; l < 64; l++)
		free(s->nodes[l]);
}

static void store_reset_counts(struct store *s, uint64_t limit)
{
	s->limit = limit;
	s->leaf_fetches = s->node_fetches = s->node_misses = 0;
}

/* ---- Known answers ------------------------------------------------------------------- */

START_TEST(test_merkle__known_answers)
{
	hash_t out, expect;
	kel_merkle_array empty = { NULL, 0 };

	/* MTH({}) = SHA-256 of nothing. */
	hex_to(expect, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	ck_assert_int_eq(kel_merkle_root(out, 0, kel_merkle_array_leaf, &empty), 0);
	ck_assert_mem_eq(out, expect, H);
	ref_mth(out, NULL, 0);
	ck_assert_mem_eq(out, expect, H);

	/* The leaf hash of the empty entry: SHA-256(0x00). */
	hex_to(expect, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
	ck_assert_int_eq(kel_merkle_leaf_hash(out, NULL, 0), 0);
	ck_assert_mem_eq(out, expect, H);
	ck_assert_int_eq(kel_merkle_leaf_hash(out, "", 0), 0);
	ck_assert_mem_eq(out, expect, H);

	/* A node is SHA-256(0x01 || left || right), and the output may alias an input. */
	{
		hash_t l, r, ref;

		ref_leaf(l, "a", 1);
		ref_leaf(r, "b", 1);
		ref_node(ref, l, r);
		ck_assert_int_eq(kel_merkle_node_hash(out, l, r), 0);
		ck_assert_mem_eq(out, ref, H);
		ck_assert_int_eq(kel_merkle_node_hash(l, l, r), 0);
		ck_assert_mem_eq(l, ref, H);
	}
}
END_TEST

/*
 * The test vectors of RFC 6962's reference implementation (certificate-transparency, the
 * eight inputs and the roots of their first 1..8 leaves), which RFC 9162 hashes alike.
 */
START_TEST(test_merkle__rfc6962_vectors)
{
	static const unsigned char e0[] = { 0 }, e1[] = { 0x00 }, e2[] = { 0x10 },
		e3[] = { 0x20, 0x21 }, e4[] = { 0x30, 0x31 }, e5[] = { 0x40, 0x41, 0x42, 0x43 },
		e6[] = { 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57 },
		e7[] = { 0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a,
			0x6b, 0x6c, 0x6d, 0x6e, 0x6f };
	static const struct { const unsigned char *data; size_t len; } entries[8] = {
		{ e0, 0 }, { e1, 1 }, { e2, 1 }, { e3, 2 }, { e4, 2 }, { e5, 4 }, { e6, 8 },
		{ e7, 16 } };
	static const char *roots[9] = { NULL,
		"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
		"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
		"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
		"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
		"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
		"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
		"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328" };
	hash_t leaves[8], ref, out, expect;
	kel_merkle_frontier *f;

	ck_assert_int_eq(kel_merkle_frontier_new(&f), 0);
	for (int i = 0; i < 8; i++) {
		ck_assert_int_eq(kel_merkle_leaf_hash(leaves[i], entries[i].data,
			entries[i].len), 0);
		ref_leaf(ref, entries[i].data, entries[i].len);
		ck_assert_mem_eq(leaves[i], ref, H);
		ck_assert_int_eq(kel_merkle_frontier_append(f, leaves[i], NULL, NULL), 0);
	}
	for (uint64_t n = 1; n <= 8; n++) {
		kel_merkle_array a = { &leaves[0][0], n };
		kel_merkle_frontier *g;

		hex_to(expect, roots[n]);
		ref_mth(ref, (const hash_t *)leaves, n);
		ck_assert_mem_eq(ref, expect, H);
		ck_assert_int_eq(kel_merkle_root(out, n, kel_merkle_array_leaf, &a), 0);
		ck_assert_mem_eq(out, expect, H);
		{
			kel_merkle_source src = { kel_merkle_array_leaf, NULL, &a };

			ck_assert_int_eq(kel_merkle_frontier_load(&g, n, &src), 0);
		}
		ck_assert_int_eq(kel_merkle_frontier_root(g, out), 0);
		ck_assert_mem_eq(out, expect, H);
		kel_merkle_frontier_free(g);
	}
	ck_assert_int_eq(kel_merkle_frontier_root(f, out), 0);
	hex_to(expect, roots[8]);
	ck_assert_mem_eq(out, expect, H);
	kel_merkle_frontier_free(f);
}
END_TEST

START_TEST(test_merkle__roots_match_reference)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33,
		63, 64, 65, 100, 127, 128, 129, 255, 256, 257, 1000, 1023, 1024, 1025, 3000 };
	hash_t *d = make_leaves(3000);
	struct store s = { 0 };
	kel_merkle_frontier *f;
	size_t next = 0;

	/* The node cache is filled the way a back end fills it: from the frontier's sink. */
	s.leaves = (const hash_t *)d;
	ck_assert_int_eq(kel_merkle_frontier_new(&f), 0);
	for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
		size_t n = sizes[si];
		kel_merkle_array a = { &d[0][0], n };
		kel_merkle_source cached = { store_leaf, store_node, &s };
		hash_t ref, out;

		while (next < n)
			ck_assert_int_eq(kel_merkle_frontier_append(f, d[next++], store_sink, &s), 0);
		ref_mth(ref, (const hash_t *)d, n);

		ck_assert_int_eq(kel_merkle_root(out, n, kel_merkle_array_leaf, &a), 0);
		ck_assert_msg(memcmp(out, ref, H) == 0, "root of %zu leaves", n);
		ck_assert_int_eq(kel_merkle_frontier_root(f, out), 0);
		ck_assert_msg(memcmp(out, ref, H) == 0, "frontier root of %zu leaves", n);

		/* With every level cached: one fetch per 1-bit of n. */
		store_reset_counts(&s, n);
		s.missing_levels = 0;
		ck_assert_int_eq(kel_merkle_root_src(out, n, &cached), 0);
		ck_assert_msg(memcmp(out, ref, H) == 0, "cached root of %zu leaves", n);
		ck_assert_uint_eq(s.leaf_fetches + s.node_fetches,
			(unsigned long)__builtin_popcountll(n));

		/* With odd levels missing, the library rebuilds them from below. */
		store_reset_counts(&s, n);
		s.missing_levels = 0xaaaaaaaaaaaaaaaaull;
		ck_assert_int_eq(kel_merkle_root_src(out, n, &cached), 0);
		ck_assert_msg(memcmp(out, ref, H) == 0, "partly cached root of %zu leaves", n);
		s.missing_levels = 0;
	}
	kel_merkle_frontier_free(f);
	store_free(&s);
	free(d);
}
END_TEST

/* ---- Inclusion proofs ------------------------------------------------------------------ */

START_TEST(test_merkle__inclusion_every_index)
{
	hash_t *d = make_leaves(64);
	hash_t path[80], root;

	for (size_t n = 1; n <= 64; n++) {
		kel_merkle_array a = { &d[0][0], n };

		ref_mth(root, (const hash_t *)d, n);
		for (size_t i = 0; i < n; i++) {
			kel_merkle_proof *p, *rp;
			size_t count = 0;

			ref_path(i, (const hash_t *)d, n, path, &count);
			ck_assert_int_eq(kel_merkle_inclusion_proof(&p, i, n, kel_merkle_array_leaf,
				&a), 0);
			/* The library's proof is the reference's, hash for hash. */
			ck_assert_msg(p->count == count, "n=%zu i=%zu: %zu hashes, reference %zu", n,
				i, p->count, count);
			ck_assert_msg(count == 0 || memcmp(p->hash, path, count * H) == 0,
				"n=%zu i=%zu: proof differs from the reference", n, i);
			ck_assert_msg(kel_merkle_verify_inclusion(d[i], i, n, p, root) == 0,
				"n=%zu i=%zu: %s", n, i, th_error_message());
			/* And the reference's proof verifies with the library's verifier. */
			rp = proof_of((const hash_t *)path, count);
			ck_assert_int_eq(kel_merkle_verify_inclusion(d[i], i, n, rp, root), 0);
			kel_merkle_proof_free(rp);
			kel_merkle_proof_free(p);
		}
	}
	free(d);
}
END_TEST

/*
 * Refused, and for the expected reason when one is given (a substring of the message): a
 * proof of the wrong length must be caught by the RFC's length checks, not merely by luck
 * at the final comparison.
 */
static void expect_inclusion_refused_because(const hash_t leaf, uint64_t i, uint64_t n,
	const kel_merkle_proof *p, const hash_t root, const char *what, const char *reason)
{
	int rc = kel_merkle_verify_inclusion(leaf, i, n, p, root);

	ck_assert_msg(rc == KEL_EINVALID, "%s accepted (i=%llu n=%llu): rc %d", what,
		(unsigned long long)i, (unsigned long long)n, rc);
	if (reason != NULL)
		ck_assert_msg(strstr(th_error_message(), reason) != NULL, "%s (i=%llu n=%llu): "
			"refused as \"%s\"", what, (unsigned long long)i, (unsigned long long)n,
			th_error_message());
}

static void expect_inclusion_refused(const hash_t leaf, uint64_t i, uint64_t n,
	const kel_merkle_proof *p, const hash_t root, const char *what)
{
	expect_inclusion_refused_because(leaf, i, n, p, root, what, NULL);
}

START_TEST(test_merkle__inclusion_tampered)
{
	hash_t *d = make_leaves(65);
	hash_t roots[66], junk;

	for (size_t n = 0; n <= 65; n++)
		ref_mth(roots[n], (const hash_t *)d, n);
	ref_leaf(junk, "junk", 4);
	for (size_t n = 1; n <= 64; n++) {
		kel_merkle_array a = { &d[0][0], n };

		for (size_t i = 0; i < n; i++) {
			kel_merkle_proof *p, *t;

			ck_assert_int_eq(kel_merkle_inclusion_proof(&p, i, n, kel_merkle_array_leaf,
				&a), 0);
			/* One bit flipped in each hash in turn (a different bit each time). */
			for (size_t j = 0; j < p->count; j++) {
				t = proof_copy(p);
				t->hash[j][(i + j) % H] ^= (unsigned char)(1u << ((i + j) % 8));
				expect_inclusion_refused_because(d[i], i, n, t, roots[n], "flipped bit",
					"not the tree's root");
				kel_merkle_proof_free(t);
			}
			/* A hash dropped, wherever it was. */
			for (size_t j = 0; j < p->count; j++) {
				t = proof_without(p, j);
				expect_inclusion_refused_because(d[i], i, n, t, roots[n], "dropped hash",
					"fewer than");
				kel_merkle_proof_free(t);
			}
			/* A hash added, anywhere: a random one, or a copy of one already there. */
			for (size_t j = 0; j <= p->count; j++) {
				t = proof_with(p, j, junk);
				expect_inclusion_refused_because(d[i], i, n, t, roots[n], "added hash",
					"more than");
				kel_merkle_proof_free(t);
				t = proof_with(p, j, p->count ? p->hash[0] : junk);
				expect_inclusion_refused_because(d[i], i, n, t, roots[n], "repeated hash",
					"more than");
				kel_merkle_proof_free(t);
			}
			/* Two neighbours swapped. */
			for (size_t j = 0; j + 1 < p->count; j++) {
				t = proof_copy(p);
				memcpy(t->hash[j], p->hash[j + 1], H);
				memcpy(t->hash[j + 1], p->hash[j], H);
				expect_inclusion_refused(d[i], i, n, t, roots[n], "swapped hashes");
				kel_merkle_proof_free(t);
			}
			/* The proof of leaf i claimed for another index, or for another leaf. */
			for (size_t k = 0; k < n; k++)
				if (k != i) {
					expect_inclusion_refused(d[i], k, n, p, roots[n], "wrong index");
					expect_inclusion_refused(d[k], i, n, p, roots[n], "wrong leaf");
				}
			expect_inclusion_refused(d[i], n, n, p, roots[n], "index = size");
			expect_inclusion_refused(d[i], UINT64_MAX, n, p, roots[n], "index max");
			/*
			 * Another tree size, with that size's root: a tree head binds the two
			 * together and the proof is checked against the pair.
			 */
			expect_inclusion_refused(d[i], i, n + 1, p, roots[n + 1], "size + 1");
			if (i < n - 1)
				expect_inclusion_refused(d[i], i, n - 1, p, roots[n - 1], "size - 1");
			expect_inclusion_refused(d[i], i, 0, p, roots[0], "size 0");
			/* Another root. */
			expect_inclusion_refused(d[i], i, n, p, roots[n - 1], "wrong root");
			kel_merkle_proof_free(p);
		}
	}
	free(d);
}
END_TEST

/* ---- Consistency proofs ----------------------------------------------------------------- */

START_TEST(test_merkle__consistency_every_pair)
{
	hash_t *d = make_leaves(64);
	hash_t roots[65], path[80];

	for (size_t n = 0; n <= 64; n++)
		ref_mth(roots[n], (const hash_t *)d, n);
	for (size_t n = 1; n <= 64; n++) {
		kel_merkle_array a = { &d[0][0], n };

		for (size_t m = 1; m <= n; m++) {
			kel_merkle_proof *p, *rp;
			size_t count = 0;

			ref_subproof(m, (const hash_t *)d, n, 1, path, &count);
			ck_assert_int_eq(kel_merkle_consistency_proof(&p, m, n,
				kel_merkle_array_leaf, &a), 0);
			ck_assert_msg(p->count == count, "m=%zu n=%zu: %zu hashes, reference %zu", m,
				n, p->count, count);
			ck_assert_msg(count == 0 || memcmp(p->hash, path, count * H) == 0,
				"m=%zu n=%zu: proof differs from the reference", m, n);
			ck_assert_msg(kel_merkle_verify_consistency(m, n, roots[m], roots[n], p) == 0,
				"m=%zu n=%zu: %s", m, n, th_error_message());
			rp = proof_of((const hash_t *)path, count);
			ck_assert_int_eq(kel_merkle_verify_consistency(m, n, roots[m], roots[n], rp),
				0);
			kel_merkle_proof_free(rp);
			kel_merkle_proof_free(p);
		}
	}
	free(d);
}
END_TEST

static void expect_consistency_refused_because(uint64_t m, uint64_t n, const hash_t old_root,
	const hash_t new_root, const kel_merkle_proof *p, const char *what, const char *reason)
{
	int rc = kel_merkle_verify_consistency(m, n, old_root, new_root, p);

	ck_assert_msg(rc == KEL_EINVALID, "%s accepted (m=%llu n=%llu): rc %d", what,
		(unsigned long long)m, (unsigned long long)n, rc);
	if (reason != NULL)
		ck_assert_msg(strstr(th_error_message(), reason) != NULL, "%s (m=%llu n=%llu): "
			"refused as \"%s\"", what, (unsigned long long)m, (unsigned long long)n,
			th_error_message());
}

static void expect_consistency_refused(uint64_t m, uint64_t n, const hash_t old_root,
	const hash_t new_root, const kel_merkle_proof *p, const char *what)
{
	expect_consistency_refused_because(m, n, old_root, new_root, p, what, NULL);
}

START_TEST(test_merkle__consistency_tampered)
{
	hash_t *d = make_leaves(65);
	hash_t roots[66], junk;
	kel_merkle_proof *empty;

	for (size_t n = 0; n <= 65; n++)
		ref_mth(roots[n], (const hash_t *)d, n);
	ref_leaf(junk, "junk", 4);
	ck_assert_int_eq(kel_merkle_proof_new(&empty, 0), 0);
	for (size_t n = 1; n <= 64; n++) {
		kel_merkle_array a = { &d[0][0], n };

		for (size_t m = 1; m <= n; m++) {
			kel_merkle_proof *p, *t;

			ck_assert_int_eq(kel_merkle_consistency_proof(&p, m, n,
				kel_merkle_array_leaf, &a), 0);
			for (size_t j = 0; j < p->count; j++) {
				t = proof_copy(p);
				t->hash[j][(m + j) % H] ^= (unsigned char)(1u << ((n + j) % 8));
				expect_consistency_refused_because(m, n, roots[m], roots[n], t,
					"flipped bit", "does not lead to the");
				kel_merkle_proof_free(t);
				t = proof_without(p, j);
				expect_consistency_refused_because(m, n, roots[m], roots[n], t,
					"dropped hash", p->count == 1 ? "consistency proof: empty" :
					"fewer than");
				kel_merkle_proof_free(t);
			}
			for (size_t j = 0; j <= p->count; j++) {
				t = proof_with(p, j, junk);
				expect_consistency_refused_because(m, n, roots[m], roots[n], t,
					"added hash", m < n ? "more than" : "need an empty proof");
				kel_merkle_proof_free(t);
				/* Prepending the old root, which the verifier adds itself if needed. */
				t = proof_with(p, j, roots[m]);
				expect_consistency_refused_because(m, n, roots[m], roots[n], t,
					"old root added", m < n ? "more than" : "need an empty proof");
				kel_merkle_proof_free(t);
			}
			for (size_t j = 0; j + 1 < p->count; j++) {
				t = proof_copy(p);
				memcpy(t->hash[j], p->hash[j + 1], H);
				memcpy(t->hash[j + 1], p->hash[j], H);
				expect_consistency_refused(m, n, roots[m], roots[n], t, "swapped");
				kel_merkle_proof_free(t);
			}
			/* Other sizes, each with its own root (a tree head's pair). */
			if (m > 1)
				expect_consistency_refused(m - 1, n, roots[m - 1], roots[n], p, "m - 1");
			if (m < n)
				expect_consistency_refused(m + 1, n, roots[m + 1], roots[n], p, "m + 1");
			expect_consistency_refused(m, n + 1, roots[m], roots[n + 1], p, "n + 1");
			if (n > m)
				expect_consistency_refused(m, n - 1, roots[m], roots[n - 1], p, "n - 1");
			/* Other roots. */
			expect_consistency_refused(m, n, junk, roots[n], p, "wrong old root");
			expect_consistency_refused(m, n, roots[m], junk, p, "wrong new root");
			if (m < n) {
				expect_consistency_refused_because(m, n, roots[m], roots[n], empty,
					"empty proof", "consistency proof: empty");
				expect_consistency_refused_because(n, m, roots[n], roots[m], p, "m > n",
					"above the new size");
			}
			expect_consistency_refused(0, n, roots[0], roots[n], p, "m = 0");
			expect_consistency_refused(0, n, roots[0], roots[n], empty, "m = 0, empty");
			kel_merkle_proof_free(p);
		}
	}
	/* m == n: an empty proof and equal roots, nothing else. */
	ck_assert_int_eq(kel_merkle_verify_consistency(5, 5, roots[5], roots[5], empty), 0);
	expect_consistency_refused(5, 5, roots[5], roots[4], empty, "m = n, roots differ");
	{
		kel_merkle_proof *one = proof_of((const hash_t *)&roots[5], 1);

		expect_consistency_refused(5, 5, roots[5], roots[5], one, "m = n, not empty");
		kel_merkle_proof_free(one);
	}
	kel_merkle_proof_free(empty);
	free(d);
}
END_TEST

/* ---- The node cache ------------------------------------------------------------------ */

START_TEST(test_merkle__node_cache_costs)
{
	const uint64_t n = 100000;
	hash_t *d = make_leaves(n);
	struct store s = { 0 };
	kel_merkle_source plain = { kel_merkle_array_leaf, NULL, NULL };
	kel_merkle_source cached = { store_leaf, store_node, &s };
	kel_merkle_array a = { NULL, n };
	kel_merkle_frontier *f, *g;
	hash_t root, out;
	static const uint64_t probes[] = { 0, 1, 2, 12345, 65535, 65536, 65537, 99998, 99999 };

	a.hashes = &d[0][0];
	plain.ctx = &a;
	s.leaves = (const hash_t *)d;
	ck_assert_int_eq(kel_merkle_frontier_new(&f), 0);
	for (uint64_t i = 0; i < n; i++)
		ck_assert_int_eq(kel_merkle_frontier_append(f, d[i], store_sink, &s), 0);
	/* Every perfect subtree was reported once: n - popcount(n) nodes of level >= 1. */
	{
		uint64_t total = 0;

		for (int l = 1; l < 64; l++) {
			ck_assert_uint_eq(s.nodes_count[l], n >> l);
			total += s.nodes_count[l];
		}
		ck_assert_uint_eq(total, n - (uint64_t)__builtin_popcountll(n));
	}
	/* ... and each is the MTH of its leaves (a few checked against the reference). */
	{
		hash_t ref;

		ref_mth(ref, (const hash_t *)d + 4 * 1024, 1024);
		ck_assert_mem_eq(s.nodes[10][4], ref, H);
		ref_mth(ref, (const hash_t *)d + 65536 + 2 * 8192, 8192);
		ck_assert_mem_eq(s.nodes[13][10], ref, H);
	}
	ck_assert_int_eq(kel_merkle_frontier_root(f, root), 0);
	ck_assert_int_eq(kel_merkle_root_src(out, n, &plain), 0);
	ck_assert_mem_eq(out, root, H);

	for (size_t pi = 0; pi < sizeof(probes) / sizeof(probes[0]); pi++) {
		uint64_t i = probes[pi];
		kel_merkle_proof *p, *q;

		/* With the cache, O(log n): at most 2 fetches per level (17 levels here). */
		store_reset_counts(&s, n);
		ck_assert_int_eq(kel_merkle_inclusion_proof_src(&p, i, n, &cached), 0);
		ck_assert_uint_le(s.leaf_fetches + s.node_fetches, 2 * 17);
		ck_assert_uint_eq(s.node_misses, 0);
		ck_assert_int_eq(kel_merkle_verify_inclusion(d[i], i, n, p, root), 0);
		/* Without it, the same proof, from every leaf. */
		ck_assert_int_eq(kel_merkle_inclusion_proof_src(&q, i, n, &plain), 0);
		ck_assert_uint_eq(q->count, p->count);
		ck_assert_mem_eq(q->hash, p->hash, p->count * H);
		kel_merkle_proof_free(q);
		kel_merkle_proof_free(p);

		/* Consistency from size i + 1 to n, and from i + 1 to a smaller tree. */
		store_reset_counts(&s, n);
		ck_assert_int_eq(kel_merkle_consistency_proof_src(&p, i + 1, n, &cached), 0);
		ck_assert_uint_le(s.leaf_fetches + s.node_fetches, 2 * 17 + 1);
		ck_assert_int_eq(kel_merkle_consistency_proof_src(&q, i + 1, n, &plain), 0);
		ck_assert_uint_eq(q->count, p->count);
		ck_assert_mem_eq(q->hash, p->hash, p->count * H);
		{
			hash_t old_root;

			ck_assert_int_eq(kel_merkle_root_src(old_root, i + 1, &plain), 0);
			ck_assert_int_eq(kel_merkle_verify_consistency(i + 1, n, old_root, root, p),
				0);
		}
		kel_merkle_proof_free(q);
		kel_merkle_proof_free(p);

		/* A back end reopening the log at size i + 1: one fetch per 1-bit. */
		store_reset_counts(&s, i + 1);
		ck_assert_int_eq(kel_merkle_frontier_load(&g, i + 1, &cached), 0);
		ck_assert_uint_eq(s.leaf_fetches + s.node_fetches,
			(unsigned long)__builtin_popcountll(i + 1));
		ck_assert_uint_eq(kel_merkle_frontier_size(g), i + 1);
		ck_assert_int_eq(kel_merkle_frontier_root(g, out), 0);
		{
			hash_t expect;

			ck_assert_int_eq(kel_merkle_root_src(expect, i + 1, &plain), 0);
			ck_assert_mem_eq(out, expect, H);
		}
		kel_merkle_frontier_free(g);
	}

	/* A cache that keeps only every fourth level still gives the same answers. */
	s.missing_levels = ~0x1111111111111110ull;
	store_reset_counts(&s, n);
	{
		kel_merkle_proof *p;

		ck_assert_int_eq(kel_merkle_inclusion_proof_src(&p, 54321, n, &cached), 0);
		ck_assert_int_eq(kel_merkle_verify_inclusion(d[54321], 54321, n, p, root), 0);
		ck_assert_uint_gt(s.node_misses, 0);
		kel_merkle_proof_free(p);
	}
	s.missing_levels = 0;
	kel_merkle_frontier_free(f);
	store_free(&s);
	free(d);
}
END_TEST

/*
 * Sizes near 2^64, without 2^64 leaves: every leaf has the same hash, so the perfect
 * subtree of level l has one hash P[l] wherever it is, and the node cache answers at once.
 * This exercises the 64-bit index arithmetic and the longest proofs.
 */
struct uniform {
	hash_t level[64];
	unsigned long fetches;
};

static int uniform_leaf(void *ctx, uint64_t index, unsigned char out[H])
{
	struct uniform *u = ctx;

	(void)index;
	u->fetches++;
	memcpy(out, u->level[0], H);
	return 0;
}

static int uniform_node(void *ctx, unsigned int level, uint64_t index, unsigned char out[H])
{
	struct uniform *u = ctx;

	ck_assert_uint_lt(level, 64);
	/* The node must lie within a tree of at most UINT64_MAX leaves. */
	ck_assert_uint_le(index, (UINT64_MAX >> level) - 1);
	u->fetches++;
	memcpy(out, u->level[level], H);
	return 0;
}

START_TEST(test_merkle__sizes_near_2_64)
{
	struct uniform u;
	kel_merkle_source src = { uniform_leaf, uniform_node, &u };
	const uint64_t big = UINT64_MAX, half = UINT64_C(1) << 63;
	hash_t root, old_root, out;
	kel_merkle_proof *p;
	kel_merkle_frontier *f;

	ref_leaf(u.level[0], "same", 4);
	for (int l = 1; l < 64; l++)
		ref_node(u.level[l], u.level[l - 1], u.level[l - 1]);
	/* MTH of 2^64 - 1 = 2^63 + 2^62 + ... + 1 leaves: fold the row from the right. */
	{
		hash_t acc;

		memcpy(acc, u.level[0], H);
		for (int l = 1; l < 64; l++)
			ref_node(acc, u.level[l], acc);
		u.fetches = 0;
		ck_assert_int_eq(kel_merkle_root_src(root, big, &src), 0);
		ck_assert_mem_eq(root, acc, H);
		ck_assert_uint_eq(u.fetches, 64);
	}

	/*
	 * The tree splits 2^63 | 2^63 - 1, then 2^62 | 2^62 - 1, ...: the last leaf is 63 levels
	 * down, the first 64.
	 */
	ck_assert_int_eq(kel_merkle_inclusion_proof_src(&p, big - 1, big, &src), 0);
	ck_assert_uint_eq(p->count, 63);
	ck_assert_int_eq(kel_merkle_verify_inclusion(u.level[0], big - 1, big, p, root), 0);
	kel_merkle_proof_free(p);
	ck_assert_int_eq(kel_merkle_inclusion_proof_src(&p, 0, big, &src), 0);
	ck_assert_uint_eq(p->count, 64);
	ck_assert_int_eq(kel_merkle_verify_inclusion(u.level[0], 0, big, p, root), 0);
	/* (With identical leaves, index 1 would verify too: its path is the same hashes.) */
	{
		hash_t other;

		ref_leaf(other, "other", 5);
		ck_assert_int_eq(kel_merkle_verify_inclusion(other, 0, big, p, root), KEL_EINVALID);
	}
	kel_merkle_proof_free(p);
	ck_assert_int_eq(kel_merkle_inclusion_proof_src(&p, big - 2, big, &src), 0);
	ck_assert_int_eq(kel_merkle_verify_inclusion(u.level[0], big - 2, big, p, root), 0);
	kel_merkle_proof_free(p);

	/* The longest consistency proof: 2^63 + 1 to 2^64 - 1 leaves is 65 hashes. */
	ck_assert_int_eq(kel_merkle_consistency_proof_src(&p, half + 1, big, &src), 0);
	ck_assert_uint_eq(p->count, KEL_MERKLE_PROOF_MAX);
	ck_assert_int_eq(kel_merkle_root_src(old_root, half + 1, &src), 0);
	ck_assert_int_eq(kel_merkle_verify_consistency(half + 1, big, old_root, root, p), 0);
	kel_merkle_proof_free(p);
	/* A power of two as the old size: the old root is implied and left out. */
	ck_assert_int_eq(kel_merkle_consistency_proof_src(&p, half, big, &src), 0);
	ck_assert_uint_eq(p->count, 1);
	ck_assert_int_eq(kel_merkle_verify_consistency(half, big, u.level[63], root, p), 0);
	kel_merkle_proof_free(p);

	/* The frontier at the very end: loads in 63 fetches, takes one leaf, then refuses. */
	u.fetches = 0;
	ck_assert_int_eq(kel_merkle_frontier_load(&f, big - 1, &src), 0);
	ck_assert_uint_eq(u.fetches, 63);
	ck_assert_int_eq(kel_merkle_frontier_append(f, u.level[0], NULL, NULL), 0);
	ck_assert_uint_eq(kel_merkle_frontier_size(f), big);
	ck_assert_int_eq(kel_merkle_frontier_root(f, out), 0);
	ck_assert_mem_eq(out, root, H);
	ck_assert_int_eq(kel_merkle_frontier_append(f, u.level[0], NULL, NULL), KEL_ETOOBIG);
	ck_assert_uint_eq(kel_merkle_frontier_size(f), big);
	kel_merkle_frontier_free(f);
}
END_TEST

static uint64_t rng_state;

static uint64_t rng_next(void)   /* splitmix64: reproducible "random" leaves */
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- What a computation asks for, listed beforehand --------------------------------- */

/* A full cache of identical leaves (as above) that records every (level, index) asked. */
struct recorder {
	struct uniform u;
	kel_merkle_node_ref asked[2 * KEL_MERKLE_NODE_REFS_MAX];
	size_t count;
};

static void record(struct recorder *r, unsigned int level, uint64_t index)
{
	ck_assert_uint_lt(r->count, 2 * KEL_MERKLE_NODE_REFS_MAX);
	r->asked[r->count].level = level;
	r->asked[r->count].index = index;
	r->count++;
}

static int recorder_leaf(void *ctx, uint64_t index, unsigned char out[H])
{
	record(ctx, 0, index);
	return uniform_leaf(&((struct recorder *)ctx)->u, index, out);
}

static int recorder_node(void *ctx, unsigned int level, uint64_t index, unsigned char out[H])
{
	record(ctx, level, index);
	return uniform_node(&((struct recorder *)ctx)->u, level, index, out);
}

static void expect_same_refs(const struct recorder *r, const kel_merkle_node_ref *refs,
	size_t count, const char *what, uint64_t a, uint64_t b)
{
	ck_assert_msg(count == r->count, "%s (%llu, %llu): %zu refs listed, %zu asked", what,
		(unsigned long long)a, (unsigned long long)b, count, r->count);
	ck_assert_uint_le(count, KEL_MERKLE_NODE_REFS_MAX);
	for (size_t i = 0; i < count; i++)
		ck_assert_msg(refs[i].level == r->asked[i].level &&
			refs[i].index == r->asked[i].index, "%s (%llu, %llu): ref %zu is (%u, %llu), "
			"asked (%u, %llu)", what, (unsigned long long)a, (unsigned long long)b, i,
			refs[i].level, (unsigned long long)refs[i].index, r->asked[i].level,
			(unsigned long long)r->asked[i].index);
}

/* Check the three lists against what the computations ask for at (a, n). */
static void check_refs_at(struct recorder *r, uint64_t a, uint64_t n)
{
	kel_merkle_source src = { recorder_leaf, recorder_node, r };
	kel_merkle_node_ref refs[KEL_MERKLE_NODE_REFS_MAX];
	kel_merkle_proof *p;
	kel_merkle_frontier *f;
	hash_t root;
	size_t count;

	if (a < n) {
		r->count = 0;
		ck_assert_int_eq(kel_merkle_inclusion_proof_src(&p, a, n, &src), 0);
		kel_merkle_proof_free(p);
		ck_assert_int_eq(kel_merkle_inclusion_refs(refs, &count, a, n), 0);
		expect_same_refs(r, refs, count, "inclusion", a, n);
	}
	if (a >= 1 && a <= n) {
		r->count = 0;
		ck_assert_int_eq(kel_merkle_consistency_proof_src(&p, a, n, &src), 0);
		kel_merkle_proof_free(p);
		ck_assert_int_eq(kel_merkle_consistency_refs(refs, &count, a, n), 0);
		expect_same_refs(r, refs, count, "consistency", a, n);
	}
	r->count = 0;
	ck_assert_int_eq(kel_merkle_root_src(root, n, &src), 0);
	ck_assert_int_eq(kel_merkle_root_refs(refs, &count, n), 0);
	expect_same_refs(r, refs, count, "root", 0, n);
	r->count = 0;
	ck_assert_int_eq(kel_merkle_frontier_load(&f, n, &src), 0);
	kel_merkle_frontier_free(f);
	expect_same_refs(r, refs, count, "frontier", 0, n);
}

START_TEST(test_merkle__refs_match_what_is_asked)
{
	static struct recorder r;
	kel_merkle_node_ref refs[KEL_MERKLE_NODE_REFS_MAX];
	const uint64_t big = UINT64_MAX, half = UINT64_C(1) << 63;
	static const uint64_t large[] = { 0, 1, 2, 3, 1000, (UINT64_C(1) << 32) - 1,
		UINT64_C(1) << 32, UINT64_C(0x5555555555555555), half - 1, half, half + 1,
		big - 2, big - 1, big };
	size_t count;

	ref_leaf(r.u.level[0], "same", 4);
	for (int l = 1; l < 64; l++)
		ref_node(r.u.level[l], r.u.level[l - 1], r.u.level[l - 1]);
	/* Every leaf and every old size of every tree up to 80 leaves. */
	for (uint64_t n = 0; n <= 80; n++)
		for (uint64_t a = 0; a <= n; a++)
			check_refs_at(&r, a, n);
	/* Large trees, where one sibling has the most parts. */
	for (size_t i = 0; i < sizeof(large) / sizeof(large[0]); i++)
		for (size_t j = 0; j < sizeof(large) / sizeof(large[0]); j++)
			if (large[i] <= large[j])
				check_refs_at(&r, large[i], large[j]);
	rng_state = 7;
	for (int i = 0; i < 2000; i++) {
		uint64_t n = rng_next() | 1, a = rng_next() % n;
		check_refs_at(&r, a, n);
		check_refs_at(&r, n - a, n);
	}
	/* The longest lists fit, e.g. 2^63 + 1 to 2^64 - 1 (65 hashes, one in 63 parts). */
	ck_assert_int_eq(kel_merkle_consistency_refs(refs, &count, half + 1, big), 0);
	ck_assert_uint_le(count, KEL_MERKLE_NODE_REFS_MAX);
	ck_assert_int_eq(kel_merkle_inclusion_refs(refs, &count, 0, big), 0);
	ck_assert_uint_eq(count, 64 - 1 + 63);
	/* Refused as the computations refuse. */
	ck_assert_int_eq(kel_merkle_inclusion_refs(refs, &count, 5, 5), KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_consistency_refs(refs, &count, 0, 5), KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_consistency_refs(refs, &count, 6, 5), KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_root_refs(NULL, &count, 5), KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_root_refs(refs, &count, 0), 0);
	ck_assert_uint_eq(count, 0);
}
END_TEST

/* ---- The frontier ------------------------------------------------------------------- */

START_TEST(test_merkle__frontier_random_5000)
{
	const size_t n = 5000;
	hash_t *d = calloc(n, H);
	kel_merkle_frontier *f, *copy;
	hash_t ref, out;

	ck_assert_ptr_nonnull(d);
	rng_state = 20250301;
	ck_assert_int_eq(kel_merkle_frontier_new(&f), 0);
	ck_assert_uint_eq(kel_merkle_frontier_size(f), 0);
	ck_assert_int_eq(kel_merkle_frontier_root(f, out), 0);
	ref_mth(ref, NULL, 0);
	ck_assert_mem_eq(out, ref, H);
	for (size_t i = 0; i < n; i++) {
		unsigned char entry[100];
		size_t len = (size_t)(rng_next() % sizeof(entry));

		for (size_t j = 0; j < len; j++)
			entry[j] = (unsigned char)rng_next();
		ck_assert_int_eq(kel_merkle_leaf_hash(d[i], entry, len), 0);
		ck_assert_int_eq(kel_merkle_frontier_append(f, d[i], NULL, NULL), 0);
		ck_assert_uint_eq(kel_merkle_frontier_size(f), i + 1);
		/* Every size up to 300, then a spread of sizes (the reference is O(n) a call). */
		if (i < 300 || (i + 1) % 97 == 0 || ((i + 1) & i) == 0 || ((i + 2) & (i + 1)) == 0 ||
		    i + 1 == n) {
			ref_mth(ref, (const hash_t *)d, i + 1);
			ck_assert_int_eq(kel_merkle_frontier_root(f, out), 0);
			ck_assert_msg(memcmp(out, ref, H) == 0, "frontier root at %zu", i + 1);
		}
	}
	/* A copy goes its own way. */
	ck_assert_int_eq(kel_merkle_frontier_dup(&copy, f), 0);
	ck_assert_int_eq(kel_merkle_frontier_append(copy, d[0], NULL, NULL), 0);
	ck_assert_uint_eq(kel_merkle_frontier_size(copy), n + 1);
	ck_assert_uint_eq(kel_merkle_frontier_size(f), n);
	ck_assert_int_eq(kel_merkle_frontier_root(f, out), 0);
	ck_assert_mem_eq(out, ref, H);
	kel_merkle_frontier_free(copy);
	kel_merkle_frontier_free(f);
	free(d);
}
END_TEST

static int failing_sink(void *ctx, unsigned int level, uint64_t index,
	const unsigned char hash[H])
{
	int *calls = ctx;

	(void)level;
	(void)index;
	(void)hash;
	return ++*calls == 2 ? KEL_EIO : 0;
}

START_TEST(test_merkle__frontier_sink_failure)
{
	hash_t *d = make_leaves(8);
	kel_merkle_frontier *f;
	hash_t before, after;
	int calls = 0;

	ck_assert_int_eq(kel_merkle_frontier_new(&f), 0);
	for (int i = 0; i < 7; i++)
		ck_assert_int_eq(kel_merkle_frontier_append(f, d[i], NULL, NULL), 0);
	ck_assert_int_eq(kel_merkle_frontier_root(f, before), 0);
	/* Leaf 7 completes levels 1, 2 and 3; the sink fails at the second. */
	ck_assert_int_eq(kel_merkle_frontier_append(f, d[7], failing_sink, &calls), KEL_EIO);
	ck_assert_int_eq(calls, 2);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "store of node (level 2, index 1)"));
	ck_assert_uint_eq(kel_merkle_frontier_size(f), 7);
	ck_assert_int_eq(kel_merkle_frontier_root(f, after), 0);
	ck_assert_mem_eq(after, before, H);
	/* Retried without the failure, it takes the leaf. */
	ck_assert_int_eq(kel_merkle_frontier_append(f, d[7], NULL, NULL), 0);
	ck_assert_int_eq(kel_merkle_frontier_root(f, after), 0);
	ref_mth(before, (const hash_t *)d, 8);
	ck_assert_mem_eq(after, before, H);
	kel_merkle_frontier_free(f);
	free(d);
}
END_TEST

/* ---- Misuse and failing sources ------------------------------------------------------ */

START_TEST(test_merkle__errors)
{
	hash_t *d = make_leaves(10);
	kel_merkle_array a = { NULL, 10 }, small = { NULL, 5 };
	struct store s = { 0 };
	kel_merkle_source failing = { store_leaf, store_node, &s };
	kel_merkle_source no_leaf = { NULL, NULL, NULL };
	kel_merkle_proof *p = (kel_merkle_proof *)&s;   /* must be reset to NULL on failure */
	hash_t out;

	a.hashes = small.hashes = &d[0][0];
	ck_assert_int_eq(kel_merkle_inclusion_proof(&p, 10, 10, kel_merkle_array_leaf, &a),
		KEL_EINVAL);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(kel_merkle_inclusion_proof(&p, 0, 0, kel_merkle_array_leaf, &a),
		KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_consistency_proof(&p, 0, 10, kel_merkle_array_leaf, &a),
		KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_consistency_proof(&p, 11, 10, kel_merkle_array_leaf, &a),
		KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_root(out, 3, NULL, NULL), KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_root_src(out, 3, &no_leaf), KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_root_src(out, 3, NULL), KEL_EINVAL);
	/* An array shorter than the tree is refused, not read past its end. */
	ck_assert_int_eq(kel_merkle_root(out, 10, kel_merkle_array_leaf, &small), KEL_EINVAL);
	/* The callback's own message is kept as the cause. */
	ck_assert_ptr_nonnull(strstr(th_error_message(),
		"fetch of leaf 5: index 5 is beyond the array's 5 hashes"));

	/* A source's failure comes back with its code. */
	s.leaves = (const hash_t *)d;
	store_reset_counts(&s, 10);
	s.fail_leaf = 1;
	ck_assert_int_eq(kel_merkle_inclusion_proof_src(&p, 3, 10, &failing), KEL_EIO);
	ck_assert_ptr_null(p);
	/* Leaf 8 is the first asked for (node (1, 4) is not kept, so its leaves are). */
	ck_assert_ptr_nonnull(strstr(th_error_message(), "fetch of leaf 8: input/output error"));
	s.fail_leaf = 0;
	s.fail_node = 1;
	ck_assert_int_eq(kel_merkle_root_src(out, 10, &failing), KEL_EIO);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "node (level 3, index 0)"));
	{
		kel_merkle_frontier *f = (kel_merkle_frontier *)&s;

		ck_assert_int_eq(kel_merkle_frontier_load(&f, 10, &failing), KEL_EIO);
		ck_assert_ptr_null(f);
	}
	ck_assert_int_eq(kel_merkle_verify_inclusion(NULL, 0, 1, p, out), KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_verify_consistency(1, 2, out, out, NULL), KEL_EINVAL);
	store_free(&s);
	free(d);
}
END_TEST

/* ---- Proof text ---------------------------------------------------------------------- */

static void expect_decode_refused(const char *text, kel_merkle_encoding enc, int code)
{
	kel_merkle_proof *p = NULL;
	int rc = kel_merkle_proof_decode(&p, text, strlen(text), enc);

	ck_assert_msg(rc == code, "\"%.80s\" (%d): rc %d, wanted %d", text, (int)enc, rc, code);
	ck_assert_ptr_null(p);
}

START_TEST(test_merkle__proof_text)
{
	hash_t *d = make_leaves(KEL_MERKLE_PROOF_MAX + 1);
	static const size_t counts[] = { 0, 1, 2, 3, 31, KEL_MERKLE_PROOF_MAX };
	kel_buf text = KEL_BUF_INIT;
	char hex[65];
	hash_t h;

	for (size_t ci = 0; ci < sizeof(counts) / sizeof(counts[0]); ci++) {
		kel_merkle_proof *p = proof_of((const hash_t *)d, counts[ci]), *q;

		for (int enc = KEL_MERKLE_HEX; enc <= KEL_MERKLE_BASE64; enc++) {
			ck_assert_int_eq(kel_merkle_proof_encode(&text, p, (kel_merkle_encoding)enc),
				0);
			ck_assert_ptr_nonnull(text.ptr);
			ck_assert_uint_eq(strlen(text.ptr), text.size);
			ck_assert_uint_eq(text.size, enc == KEL_MERKLE_HEX ?
				(counts[ci] ? 65 * counts[ci] - 1 : 0) : (counts[ci] * 32 + 2) / 3 * 4);
			ck_assert_int_eq(kel_merkle_proof_decode(&q, text.ptr, text.size,
				(kel_merkle_encoding)enc), 0);
			ck_assert_uint_eq(q->count, p->count);
			ck_assert(p->count == 0 || memcmp(q->hash, p->hash, p->count * H) == 0);
			kel_merkle_proof_free(q);
		}
		kel_merkle_proof_free(p);
	}

	/* Known answers: the hex is the hashes; the base64 of 32 zero bytes. */
	{
		kel_merkle_proof *p = proof_of((const hash_t *)d, 2), *z;
		char expect[200];
		char h0[65], h1[65];

		kel_merkle_hash_to_hex(h0, d[0]);
		kel_merkle_hash_to_hex(h1, d[1]);
		snprintf(expect, sizeof(expect), "%s,%s", h0, h1);
		ck_assert_int_eq(kel_merkle_proof_encode(&text, p, KEL_MERKLE_HEX), 0);
		ck_assert_str_eq(text.ptr, expect);
		ck_assert_int_eq(kel_merkle_proof_new(&z, 1), 0);
		ck_assert_int_eq(kel_merkle_proof_encode(&text, z, KEL_MERKLE_BASE64), 0);
		ck_assert_str_eq(text.ptr, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
		z->hash[0][31] = 0xff;
		ck_assert_int_eq(kel_merkle_proof_encode(&text, z, KEL_MERKLE_BASE64), 0);
		ck_assert_str_eq(text.ptr, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAP8=");
		kel_merkle_proof_free(z);
		kel_merkle_proof_free(p);
	}

	/* Hex: one canonical form only. */
	kel_merkle_hash_to_hex(hex, d[0]);
	{
		char buf[300];
		char upper[65];

		for (int i = 0; i < 65; i++)
			upper[i] = (char)(hex[i] >= 'a' && hex[i] <= 'f' ? hex[i] - 32 : hex[i]);
		expect_decode_refused(upper, KEL_MERKLE_HEX, KEL_EPARSE);
		snprintf(buf, sizeof(buf), "%s,", hex);
		expect_decode_refused(buf, KEL_MERKLE_HEX, KEL_EPARSE);
		snprintf(buf, sizeof(buf), ",%s", hex);
		expect_decode_refused(buf, KEL_MERKLE_HEX, KEL_EPARSE);
		snprintf(buf, sizeof(buf), "%s %s", hex, hex);
		expect_decode_refused(buf, KEL_MERKLE_HEX, KEL_EPARSE);
		snprintf(buf, sizeof(buf), "%s\n", hex);
		expect_decode_refused(buf, KEL_MERKLE_HEX, KEL_EPARSE);
		snprintf(buf, sizeof(buf), "%.63s", hex);
		expect_decode_refused(buf, KEL_MERKLE_HEX, KEL_EPARSE);
		snprintf(buf, sizeof(buf), "%sa", hex);
		expect_decode_refused(buf, KEL_MERKLE_HEX, KEL_EPARSE);
		snprintf(buf, sizeof(buf), "%.63sg", hex);
		expect_decode_refused(buf, KEL_MERKLE_HEX, KEL_EPARSE);
		snprintf(buf, sizeof(buf), "%.63s,%s,", hex, hex);
		expect_decode_refused(buf, KEL_MERKLE_HEX, KEL_EPARSE);
		expect_decode_refused(",", KEL_MERKLE_HEX, KEL_EPARSE);
	}
	/* Embedded NUL: the length is what counts. */
	{
		char buf[65];
		kel_merkle_proof *p = NULL;

		memcpy(buf, hex, 65);
		buf[10] = '\0';
		ck_assert_int_eq(kel_merkle_proof_decode(&p, buf, 64, KEL_MERKLE_HEX), KEL_EPARSE);
		ck_assert_ptr_null(p);
	}
	/* More than the longest possible proof. */
	{
		kel_merkle_proof *p = proof_of((const hash_t *)d, KEL_MERKLE_PROOF_MAX + 1);

		for (int enc = KEL_MERKLE_HEX; enc <= KEL_MERKLE_BASE64; enc++) {
			ck_assert_int_eq(kel_merkle_proof_encode(&text, p, (kel_merkle_encoding)enc),
				0);
			expect_decode_refused(text.ptr, (kel_merkle_encoding)enc, KEL_ETOOBIG);
		}
		kel_merkle_proof_free(p);
	}
	/* Base64: canonical, whole hashes. */
	expect_decode_refused("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", KEL_MERKLE_BASE64,
		KEL_EPARSE);                                                   /* no padding */
	expect_decode_refused("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=", KEL_MERKLE_BASE64,
		KEL_EPARSE);                                                   /* padding bits */
	expect_decode_refused("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", KEL_MERKLE_BASE64,
		KEL_EPARSE);                                                   /* 31 bytes */
	expect_decode_refused("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", KEL_MERKLE_BASE64,
		KEL_EPARSE);                                                   /* 33 bytes */
	expect_decode_refused("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", KEL_MERKLE_BASE64,
		KEL_EPARSE);
	expect_decode_refused("AAAAAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAA=", KEL_MERKLE_BASE64,
		KEL_EPARSE);
	expect_decode_refused("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=AA=", KEL_MERKLE_BASE64,
		KEL_EPARSE);
	expect_decode_refused("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-", KEL_MERKLE_BASE64,
		KEL_EPARSE);                                                   /* base64url */
	/* Two hashes are 64 bytes, which end in "==": the padding bits there too. */
	{
		kel_merkle_proof *z;

		ck_assert_int_eq(kel_merkle_proof_new(&z, 2), 0);
		ck_assert_int_eq(kel_merkle_proof_encode(&text, z, KEL_MERKLE_BASE64), 0);
		ck_assert_uint_eq(text.size, 88);
		ck_assert_str_eq(text.ptr + 84, "AA==");
		text.ptr[85] = 'B';
		expect_decode_refused(text.ptr, KEL_MERKLE_BASE64, KEL_EPARSE);
		kel_merkle_proof_free(z);
	}
	expect_decode_refused("====", KEL_MERKLE_BASE64, KEL_EPARSE);
	expect_decode_refused("A===", KEL_MERKLE_BASE64, KEL_EPARSE);
	{
		kel_merkle_proof *p = NULL;

		ck_assert_int_eq(kel_merkle_proof_decode(&p, "", 0, (kel_merkle_encoding)7),
			KEL_EINVAL);
		ck_assert_int_eq(kel_merkle_proof_decode(&p, NULL, 0, KEL_MERKLE_BASE64), 0);
		ck_assert_uint_eq(p->count, 0);
		kel_merkle_proof_free(p);
	}

	/* Single hashes. */
	ck_assert_int_eq(kel_merkle_hash_from_hex(h, hex, 64), 0);
	ck_assert_mem_eq(h, d[0], H);
	ck_assert_int_eq(kel_merkle_hash_from_hex(h, hex, 63), KEL_EPARSE);
	kel_buf_dispose(&text);
	free(d);
}
END_TEST

/* ---- Tree heads ---------------------------------------------------------------------- */

static const char good_head[] =
	"kelisim-tree-head 1\n"
	"log kelisim:0190f1c2-5b7a-7cde-8f00-112233445566\n"
	"size 1234\n"
	"root 5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\n"
	"time 2025-03-01T10:00:00Z\n";

START_TEST(test_merkle__head_round_trip)
{
	kel_merkle_head h, back;
	kel_buf text = KEL_BUF_INIT, bytes = KEL_BUF_INIT;
	hash_t root;

	ck_assert_int_eq(kel_merkle_head_parse(&h, good_head, strlen(good_head)), 0);
	ck_assert_str_eq(h.log_id, "kelisim:0190f1c2-5b7a-7cde-8f00-112233445566");
	ck_assert_uint_eq(h.size, 1234);
	hex_to(root, "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
	ck_assert_mem_eq(h.root, root, H);
	ck_assert_int_eq(h.time, 1740823200);   /* date -u -d 2025-03-01T10:00:00Z +%s */
	ck_assert_int_eq(kel_merkle_head_serialize(&text, &h), 0);
	ck_assert_str_eq(text.ptr, good_head);

	/* The bytes to sign, field by field. */
	ck_assert_int_eq(kel_merkle_head_signed_bytes(&bytes, &h), 0);
	ck_assert_uint_eq(bytes.size, 70 + strlen(h.log_id));
	ck_assert_mem_eq(bytes.ptr, "kelisim-tree-head-v1\0", 21);
	ck_assert_uint_eq((unsigned char)bytes.ptr[21], strlen(h.log_id));
	ck_assert_mem_eq(bytes.ptr + 22, h.log_id, strlen(h.log_id));
	{
		const unsigned char *q = (const unsigned char *)bytes.ptr + 22 + strlen(h.log_id);

		ck_assert_mem_eq(q, "\0\0\0\0\0\0\x04\xd2", 8);           /* 1234 */
		ck_assert_mem_eq(q + 8, "\0\0\0\0\x67\xc2\xda\xa0", 8);   /* 1740823200 */
		ck_assert_mem_eq(q + 16, root, H);
	}
	/* Any change of a field changes the bytes. */
	{
		kel_buf other = KEL_BUF_INIT;
		kel_merkle_head h2 = h;

		h2.size++;
		ck_assert_int_eq(kel_merkle_head_signed_bytes(&other, &h2), 0);
		ck_assert(other.size != bytes.size || memcmp(other.ptr, bytes.ptr, bytes.size));
		h2 = h;
		h2.time++;
		ck_assert_int_eq(kel_merkle_head_signed_bytes(&other, &h2), 0);
		ck_assert(memcmp(other.ptr, bytes.ptr, bytes.size) != 0);
		h2 = h;
		strcpy(h2.log_id, "kelisim:other");
		ck_assert_int_eq(kel_merkle_head_signed_bytes(&other, &h2), 0);
		ck_assert(other.size != bytes.size);
		kel_buf_dispose(&other);
	}

	/* Edges: the smallest and largest of each field. */
	memset(&h, 0, sizeof(h));
	strcpy(h.log_id, "a");
	h.size = UINT64_MAX;
	h.time = KEL_MERKLE_TIME_MAX;
	ck_assert_int_eq(kel_merkle_head_serialize(&text, &h), 0);
	ck_assert_ptr_nonnull(strstr(text.ptr, "\nsize 18446744073709551615\n"));
	ck_assert_ptr_nonnull(strstr(text.ptr, "\ntime 9999-12-31T23:59:59Z\n"));
	ck_assert_int_eq(kel_merkle_head_parse(&back, text.ptr, text.size), 0);
	ck_assert_mem_eq(&back, &h, sizeof(h));
	h.size = 0;
	h.time = 0;
	memset(h.log_id, 'x', KEL_MERKLE_LOG_ID_MAX);
	h.log_id[KEL_MERKLE_LOG_ID_MAX] = '\0';
	ck_assert_int_eq(kel_merkle_head_serialize(&text, &h), 0);
	ck_assert_ptr_nonnull(strstr(text.ptr, "\nsize 0\n"));
	ck_assert_ptr_nonnull(strstr(text.ptr, "\ntime 1970-01-01T00:00:00Z\n"));
	ck_assert_int_eq(kel_merkle_head_parse(&back, text.ptr, text.size), 0);
	ck_assert_mem_eq(&back, &h, sizeof(h));

	/* The calendar agrees with the C library's gmtime over the whole range. */
	rng_state = 42;
	for (int i = 0; i < 20000; i++) {
		time_t t = (time_t)(i < 10 ? (int64_t)i * 86400 * 365 + 59 * 86400 :
			(int64_t)(rng_next() % (uint64_t)(KEL_MERKLE_TIME_MAX + 1)));
		struct tm tm;
		char expect[32];
		const char *line;

		h.time = (int64_t)t;
		ck_assert_ptr_nonnull(gmtime_r(&t, &tm));
		strftime(expect, sizeof(expect), "%Y-%m-%dT%H:%M:%SZ", &tm);
		ck_assert_int_eq(kel_merkle_head_serialize(&text, &h), 0);
		line = strstr(text.ptr, "\ntime ");
		ck_assert_ptr_nonnull(line);
		ck_assert_msg(strncmp(line + 6, expect, 20) == 0, "time %lld: %.20s, not %s",
			(long long)t, line + 6, expect);
		ck_assert_int_eq(kel_merkle_head_parse(&back, text.ptr, text.size), 0);
		ck_assert_int_eq(back.time, h.time);
	}

	/* Heads that have no text form. */
	h.time = -1;
	ck_assert_int_eq(kel_merkle_head_serialize(&text, &h), KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_head_signed_bytes(&bytes, &h), KEL_EINVAL);
	h.time = KEL_MERKLE_TIME_MAX + 1;
	ck_assert_int_eq(kel_merkle_head_serialize(&text, &h), KEL_EINVAL);
	h.time = 0;
	h.log_id[0] = '\0';
	ck_assert_int_eq(kel_merkle_head_serialize(&text, &h), KEL_EINVAL);
	strcpy(h.log_id, "has space");
	ck_assert_int_eq(kel_merkle_head_serialize(&text, &h), KEL_EINVAL);
	ck_assert_int_eq(kel_merkle_head_signed_bytes(&bytes, &h), KEL_EINVAL);
	strcpy(h.log_id, "line\nbreak");
	ck_assert_int_eq(kel_merkle_head_serialize(&text, &h), KEL_EINVAL);
	kel_buf_dispose(&text);
	kel_buf_dispose(&bytes);
}
END_TEST

/* good_head with its line number line (1..5) replaced by repl (which carries its own LF). */
static void head_with_line(char *out, size_t size, int line, const char *repl)
{
	const char *p = good_head;
	size_t used = 0;

	out[0] = '\0';
	for (int l = 1; *p; l++) {
		const char *nl = strchr(p, '\n');
		size_t len = (size_t)(nl - p) + 1;

		if (l == line)
			used += (size_t)snprintf(out + used, size - used, "%s", repl);
		else
			used += (size_t)snprintf(out + used, size - used, "%.*s", (int)len, p);
		p = nl + 1;
	}
}

static void expect_head_refused(const char *text, size_t len, int code)
{
	kel_merkle_head h;
	int rc = kel_merkle_head_parse(&h, text, len);

	ck_assert_msg(rc == code, "accepted or wrong code %d:\n%s", rc, text);
}

START_TEST(test_merkle__head_strict)
{
	static const struct { int line; const char *repl; } bad[] = {
		{ 1, "kelisim-tree-head 2\n" },
		{ 1, "kelisim-tree-head 1 \n" },
		{ 1, "KELISIM-TREE-HEAD 1\n" },
		{ 1, "" },                                         /* missing magic */
		{ 2, "" },                                         /* missing field */
		{ 2, "log \n" },
		{ 2, "log  kelisim\n" },
		{ 2, "log kel isim\n" },
		{ 2, "log kelisim\t\n" },
		{ 2, "log kelisim\r\n" },
		{ 2, "log kélisim\n" },
		{ 2, "Log kelisim\n" },
		{ 2, "log kelisim\nlog kelisim\n" },              /* repeated */
		{ 2, "size 1234\nlog kelisim\n" },                /* reordered */
		{ 3, "size 01234\n" },
		{ 3, "size +1234\n" },
		{ 3, "size -1\n" },
		{ 3, "size 1234 \n" },
		{ 3, "size  1234\n" },
		{ 3, "size 0x4d2\n" },
		{ 3, "size \n" },
		{ 3, "size 18446744073709551616\n" },              /* UINT64_MAX + 1 */
		{ 3, "size 99999999999999999999\n" },
		{ 3, "size 184467440737095516150\n" },
		{ 3, "size 1234\r\n" },
		{ 4, "root 5DC9DA79A70659A9AD559CB701DED9A2AB9D823AAD2F4960CFE370EFF4604328\n" },
		{ 4, "root 5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff460432\n" },
		{ 4, "root 5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff46043288\n" },
		{ 4, "root 5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff460432g\n" },
		{ 4, "root XcnaeacGWamtVZy3Ad7Zoqudgjqtl0lgz+Nw7/RgQyg=\n" },   /* base64 */
		{ 5, "time 2025-02-29T10:00:00Z\n" },             /* not a leap year */
		{ 5, "time 2025-13-01T10:00:00Z\n" },
		{ 5, "time 2025-00-01T10:00:00Z\n" },
		{ 5, "time 2025-04-31T10:00:00Z\n" },
		{ 5, "time 2025-03-00T10:00:00Z\n" },
		{ 5, "time 2025-03-01T24:00:00Z\n" },
		{ 5, "time 2025-03-01T10:60:00Z\n" },
		{ 5, "time 2025-03-01T10:00:60Z\n" },             /* no leap seconds */
		{ 5, "time 1969-12-31T23:59:59Z\n" },
		{ 5, "time 2025-03-01T10:00:00\n" },
		{ 5, "time 2025-03-01t10:00:00Z\n" },
		{ 5, "time 2025-03-01 10:00:00Z\n" },
		{ 5, "time 2025-03-01T10:00:00+00:00\n" },
		{ 5, "time 2025-03-01T10:00:00.000Z\n" },
		{ 5, "time 1740823200\n" },
		{ 5, "time 2025-03-01T10:00:00Z" },               /* no final LF */
		{ 5, "time 2025-03-01T10:00:00Z\n\n" },           /* trailing bytes */
		{ 5, "time 2025-03-01T10:00:00Z\nsig abc\n" },    /* extra field */
		{ 5, "time 2025-03-01T10:00:00Z\n " },
		{ 5, "" },                                         /* missing time */
	};
	char buf[1024];

	/* Every one differs from the good head in one place only, so it alone is refused. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		head_with_line(buf, sizeof(buf), bad[i].line, bad[i].repl);
		expect_head_refused(buf, strlen(buf), KEL_EPARSE);
	}
	/* 2024 is a leap year; the good head's lines are accepted in place. */
	head_with_line(buf, sizeof(buf), 5, "time 2024-02-29T23:59:59Z\n");
	{
		kel_merkle_head h;

		ck_assert_int_eq(kel_merkle_head_parse(&h, buf, strlen(buf)), 0);
		ck_assert_int_eq(h.time, 1709251199);
	}
	/* A NUL inside: the stated length counts, and the NUL is not a field character. */
	{
		char nul[sizeof(good_head)];

		memcpy(nul, good_head, sizeof(good_head));
		nul[30] = '\0';
		expect_head_refused(nul, sizeof(good_head) - 1, KEL_EPARSE);
		expect_head_refused(good_head, strlen(good_head) - 1, KEL_EPARSE);
		expect_head_refused(good_head, 0, KEL_EPARSE);
	}
	/* Log ids: 128 characters is the limit. */
	{
		char id[200], line[220];

		memset(id, 'a', 128);
		id[128] = '\0';
		snprintf(line, sizeof(line), "log %s\n", id);
		head_with_line(buf, sizeof(buf), 2, line);
		{
			kel_merkle_head h;

			ck_assert_int_eq(kel_merkle_head_parse(&h, buf, strlen(buf)), 0);
		}
		strcat(id, "a");
		snprintf(line, sizeof(line), "log %s\n", id);
		head_with_line(buf, sizeof(buf), 2, line);
		expect_head_refused(buf, strlen(buf), KEL_EPARSE);
	}
	/* Oversized input is refused before it is read. */
	{
		char *big = malloc(4096);

		ck_assert_ptr_nonnull(big);
		memset(big, 'a', 4096);
		memcpy(big, good_head, strlen(good_head));
		expect_head_refused(big, 4096, KEL_ETOOBIG);
		free(big);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("merkle");
	TCase *tc = tcase_create("merkle");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_merkle__known_answers);
	tcase_add_test(tc, test_merkle__rfc6962_vectors);
	tcase_add_test(tc, test_merkle__roots_match_reference);
	tcase_add_test(tc, test_merkle__inclusion_every_index);
	tcase_add_test(tc, test_merkle__inclusion_tampered);
	tcase_add_test(tc, test_merkle__consistency_every_pair);
	tcase_add_test(tc, test_merkle__consistency_tampered);
	tcase_add_test(tc, test_merkle__node_cache_costs);
	tcase_add_test(tc, test_merkle__sizes_near_2_64);
	tcase_add_test(tc, test_merkle__refs_match_what_is_asked);
	tcase_add_test(tc, test_merkle__frontier_random_5000);
	tcase_add_test(tc, test_merkle__frontier_sink_failure);
	tcase_add_test(tc, test_merkle__errors);
	tcase_add_test(tc, test_merkle__proof_text);
	tcase_add_test(tc, test_merkle__head_round_trip);
	tcase_add_test(tc, test_merkle__head_strict);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
