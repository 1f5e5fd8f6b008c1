/*
 * The evidence store's tree heads and proofs: the current head, signing and listing heads,
 * verifying a signed head, inclusion and consistency proofs (RFC 9162).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "kelisim/store.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "key_internal.h"
#include "store_impl.h"

/* ---- Heads and proofs ------------------------------------------------------------------- */

/* The head of the current tree, in a read transaction. */
static int current_head(kel_store *s, kel_merkle_head *h)
{
	uint64_t n;
	int rc;

	memset(h, 0, sizeof *h);
	snprintf(h->log_id, sizeof h->log_id, "%s", s->log_id);
	if ((rc = kel__store_begin(s, 0)) < 0)
		return rc;
	rc = kel__store_log_size(s, &n);
	if (rc == 0)
		rc = kel__store_frontier_at(s, n, NULL);
	if (rc == 0)
		rc = kel_merkle_frontier_root(s->frontier, h->root);
	rc = kel__store_finish(s, rc);
	h->size = n;
	h->time = (int64_t)kel__store_now(s);
	return rc;
}

int kel_store_head(kel_store *s, kel_merkle_head *out)
{
	if (!s || !out)
		return kel_fail(KEL_EINVAL, "kel_store_head: NULL argument");
	return current_head(s, out);
}

static int sign_bytes(const kel_key *key, const kel_buf *msg, unsigned char **sig, size_t *len)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int rc = 0;

	*sig = NULL;
	*len = 0;
	if (!md)
		return kel_fail(KEL_ENOMEM, "out of memory");
	if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key->pkey) != 1 ||
	    EVP_DigestSign(md, NULL, len, (const unsigned char *)msg->ptr, msg->size) != 1 ||
	    !(*sig = OPENSSL_malloc(*len)) ||
	    EVP_DigestSign(md, *sig, len, (const unsigned char *)msg->ptr, msg->size) != 1) {
		OPENSSL_free(*sig);
		*sig = NULL;
		rc = kel_fail_openssl(KEL_ECRYPTO, "signing the tree head failed");
	}
	EVP_MD_CTX_free(md);
	return rc;
}

/* The certificate followed by its chain, DER, concatenated. */
static int certs_der(const kel_key *key, kel_buf *out)
{
	int rc = 0;
	for (int i = -1; rc == 0 && i < (key->chain ? sk_X509_num(key->chain) : 0); i++) {
		X509 *c = i < 0 ? key->cert : sk_X509_value(key->chain, i);
		unsigned char *der = NULL;
		int len = i2d_X509(c, &der);
		if (len <= 0)
			return kel_fail_openssl(KEL_ECRYPTO, "encoding a certificate failed");
		rc = kel_buf_put(out, der, (size_t)len);
		OPENSSL_free(der);
	}
	return rc;
}

int kel_store_head_sign(kel_store *s, const kel_key *key, kel_merkle_head *head,
	kel_buf *signature)
{
	kel_merkle_head h;
	kel_buf msg = KEL_BUF_INIT, certs = KEL_BUF_INIT;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	struct kel__sql_one_int r = { 0, 0 };
	uint64_t n;
	int rc;

	if (!s || !key)
		return kel_fail(KEL_EINVAL, "kel_store_head_sign: NULL argument");
	if (EVP_PKEY_base_id(key->pkey) != EVP_PKEY_EC)
		return kel_fail(KEL_EUNSUPPORTED, "tree heads are signed with ECDSA keys only "
			"(this key is %s)", kel_key_algorithm(key));
	if ((rc = certs_der(key, &certs)) < 0)
		goto done;
	memset(&h, 0, sizeof h);
	snprintf(h.log_id, sizeof h.log_id, "%s", s->log_id);
	h.time = (int64_t)kel__store_now(s);
	/* A write transaction, so that the head recorded is of the log as it is now. */
	if ((rc = kel__store_begin(s, 1)) < 0)
		goto done;
	rc = kel__store_log_size(s, &n);
	if (rc == 0)
		rc = kel__store_frontier_at(s, n, NULL);
	if (rc == 0) {
		h.size = n;
		rc = kel_merkle_frontier_root(s->frontier, h.root);
	}
	if (rc == 0)
		rc = kel_merkle_head_signed_bytes(&msg, &h);
	if (rc == 0)
		rc = sign_bytes(key, &msg, &sig, &siglen);
	if (rc == 0)
		rc = kel__store_sql(s, "SELECT max(num) FROM tree_heads", 0, NULL, kel__sql_row_int,
			&r);
	if (rc == 0) {
		kel__sql_val p[6] = { kel__sql_int(r.found ? r.value + 1 : 1),
			kel__sql_int((int64_t)h.size), kel__sql_int(h.time),
			kel__sql_blob(h.root, HLEN), kel__sql_blob(sig, siglen),
			kel__sql_blob(certs.ptr, certs.size) };
		rc = kel__store_sql(s,
			"INSERT INTO tree_heads (num, size, time, root, signature, cert) "
			"VALUES (?, ?, ?, ?, ?, ?)", 6, p, NULL, NULL);
	}
	if ((rc = kel__store_finish(s, rc)) < 0)
		goto done;
	if (head)
		*head = h;
	if (signature) {
		kel_buf_clear(signature);
		rc = kel_buf_put(signature, sig, siglen);
	}
done:
	OPENSSL_free(sig);
	kel_buf_dispose(&msg);
	kel_buf_dispose(&certs);
	return rc;
}

struct heads_ctx {
	kel_store *s;
	kel_store_head_fn fn;
	void *ctx;
};

static int row_head(void *vctx, int ncol, const kel__sql_val *col)
{
	struct heads_ctx *c = vctx;
	kel_store_signed_head h;

	if (ncol < 6)
		return 0;
	memset(&h, 0, sizeof h);
	snprintf(h.head.log_id, sizeof h.head.log_id, "%s", c->s->log_id);
	h.number = (uint64_t)col[0].i;
	h.head.size = (uint64_t)col[1].i;
	h.head.time = col[2].i;
	if (col[3].type == KEL_SQL_BLOB && col[3].len == HLEN)
		memcpy(h.head.root, col[3].p, HLEN);
	h.signature = col[4].type == KEL_SQL_BLOB ? col[4].p : NULL;
	h.signature_len = col[4].type == KEL_SQL_BLOB ? col[4].len : 0;
	h.cert = col[5].type == KEL_SQL_BLOB ? col[5].p : NULL;
	h.cert_len = col[5].type == KEL_SQL_BLOB ? col[5].len : 0;
	return c->fn(c->ctx, &h);
}

int kel_store_heads(kel_store *s, kel_store_head_fn fn, void *ctx)
{
	struct heads_ctx c = { s, fn, ctx };
	if (!s || !fn)
		return kel_fail(KEL_EINVAL, "kel_store_heads: NULL argument");
	return kel__store_sql(s,
		"SELECT num, size, time, root, signature, cert FROM tree_heads ORDER BY num",
		0, NULL, row_head, &c);
}

int kel_store_head_verify(const kel_store_signed_head *h, const char *trust_file,
	const char *trust_dir)
{
	const unsigned char *p;
	X509 *cert = NULL;
	STACK_OF(X509) *chain = NULL;
	EVP_MD_CTX *md = NULL;
	X509_STORE *store = NULL;
	X509_STORE_CTX *vctx = NULL;
	kel_buf msg = KEL_BUF_INIT;
	int rc = 0;

	if (!h)
		return kel_fail(KEL_EINVAL, "kel_store_head_verify: NULL argument");
	p = h->cert;
	if (!p || !(cert = d2i_X509(NULL, &p, (long)h->cert_len))) {
		rc = kel_fail(KEL_EINVALID, "signed head %" PRIu64 ": no readable certificate",
			h->number);
		goto done;
	}
	if ((rc = kel_merkle_head_signed_bytes(&msg, &h->head)) < 0)
		goto done;
	if (!(md = EVP_MD_CTX_new())) {
		rc = kel_fail(KEL_ENOMEM, "out of memory");
		goto done;
	}
	if (!h->signature ||
	    EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, X509_get0_pubkey(cert)) != 1 ||
	    EVP_DigestVerify(md, h->signature, h->signature_len,
		(const unsigned char *)msg.ptr, msg.size) != 1) {
		ERR_clear_error();
		rc = kel_fail(KEL_EINVALID, "signed head %" PRIu64 " (size %" PRIu64 "): signature "
			"does not verify", h->number, h->head.size);
		goto done;
	}
	if (trust_file || trust_dir) {
		if (!(chain = sk_X509_new_null()) || !(store = X509_STORE_new()) ||
		    !(vctx = X509_STORE_CTX_new())) {
			rc = kel_fail(KEL_ENOMEM, "out of memory");
			goto done;
		}
		while (p < h->cert + h->cert_len) {
			X509 *c = d2i_X509(NULL, &p, (long)(h->cert + h->cert_len - p));
			if (!c || !sk_X509_push(chain, c)) {
				X509_free(c);
				break;
			}
		}
		if ((trust_file && X509_STORE_load_file(store, trust_file) != 1) ||
		    (trust_dir && X509_STORE_load_path(store, trust_dir) != 1)) {
			rc = kel_fail_openssl(KEL_EIO, "trust anchors could not be read");
			goto done;
		}
		if (X509_STORE_CTX_init(vctx, store, cert, chain) != 1) {
			rc = kel_fail_openssl(KEL_ECRYPTO, "certificate check could not run");
			goto done;
		}
		X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(vctx), (time_t)h->head.time);
		if (X509_verify_cert(vctx) != 1) {
			rc = kel_fail(KEL_EINVALID, "signed head %" PRIu64 ": signer's certificate not "
				"trusted: %s", h->number,
				X509_verify_cert_error_string(X509_STORE_CTX_get_error(vctx)));
			ERR_clear_error();
			goto done;
		}
	}
done:
	X509_STORE_CTX_free(vctx);
	X509_STORE_free(store);
	sk_X509_pop_free(chain, X509_free);
	EVP_MD_CTX_free(md);
	X509_free(cert);
	kel_buf_dispose(&msg);
	return rc;
}

/* A document's log position and the log's size, from one statement. */
struct leaf_and_size {
	int found;
	int64_t leaf;
	uint64_t size;
};

static int row_leaf_and_size(void *ctx, int ncol, const kel__sql_val *col)
{
	struct leaf_and_size *r = ctx;
	if (ncol < 2 || col[0].type != KEL_SQL_INT)
		return 0;
	r->found = 1;
	r->leaf = col[0].i;
	r->size = col[1].type == KEL_SQL_INT ? (uint64_t)col[1].i + 1 : 0;
	return 0;
}

/*
 * Two statements, each one round trip on PostgreSQL: the document's leaf with the log's size,
 * then every hash the proof (and, when the frontier is stale or another size is asked, the
 * root) needs, in one batch. No read transaction is needed: the log is append-only, so the
 * rows of the first n leaves that the second statement reads are those the first one counted.
 */
int kel_store_prove(kel_store *s, const char *id, uint64_t tree_size, kel_store_inclusion *out)
{
	kel_merkle_node_ref refs[KEL_MERKLE_NODE_REFS_MAX];
	struct leaf_and_size r = { 0, 0, 0 };
	struct kel__prefetch *pf = NULL;
	kel_merkle_source src;
	size_t count;
	uint64_t n;
	int rc;

	if (!s || !id || !out)
		return kel_fail(KEL_EINVAL, "kel_store_prove: NULL argument");
	memset(out, 0, sizeof *out);
	{
		kel__sql_val p[1] = { kel__sql_text(id) };
		rc = kel__store_sql(s,
			"SELECT leaf, (SELECT max(idx) FROM log_entries) FROM documents "
			"WHERE id = ?", 1, p, row_leaf_and_size, &r);
	}
	if (rc == 0 && !r.found)
		rc = kel_fail(KEL_ENOTFOUND, "document '%s': not in the store", id);
	n = r.size;
	if (rc == 0 && tree_size > n)
		rc = kel_fail(KEL_EINVAL, "tree size %" PRIu64 ": the log has only %" PRIu64
			" leaves", tree_size, n);
	if (rc == 0 && tree_size == 0)
		tree_size = n;
	if (rc == 0 && (r.leaf < 0 || (uint64_t)r.leaf >= tree_size))
		rc = kel_fail(KEL_EINVAL, "document '%s' is leaf %" PRId64 ", not in the tree of "
			"size %" PRIu64, id, r.leaf, tree_size);
	if (rc == 0 && !(pf = kel__prefetch_new(s)))
		rc = KEL_ENOMEM;
	if (rc == 0) {
		kel_merkle_node_ref leaf = { 0, (uint64_t)r.leaf };
		out->leaf = (uint64_t)r.leaf;
		rc = kel__prefetch_add(pf, &leaf, 1);
	}
	if (rc == 0 && (rc = kel_merkle_inclusion_refs(refs, &count, out->leaf, tree_size)) == 0)
		rc = kel__prefetch_add(pf, refs, count);
	/* The current tree's root comes from the frontier, without a lookup when it is current. */
	if (rc == 0 && !(tree_size == n && kel__store_frontier_current(s, n)))
		rc = kel__prefetch_root(pf, tree_size);
	if (rc == 0)
		rc = kel__prefetch_run(pf);
	if (rc == 0) {
		src = kel__prefetch_source(pf);
		rc = kel__prefetch_leaf(pf, out->leaf, out->leaf_hash);
	}
	if (rc == 0)
		rc = kel_merkle_inclusion_proof_src(&out->proof, out->leaf, tree_size, &src);
	if (rc == 0 && tree_size == n && (rc = kel__store_frontier_at(s, n, pf)) == 0)
		rc = kel_merkle_frontier_root(s->frontier, out->head.root);
	else if (rc == 0)
		rc = kel_merkle_root_src(out->head.root, tree_size, &src);
	free(pf);
	snprintf(out->head.log_id, sizeof out->head.log_id, "%s", s->log_id);
	out->head.size = tree_size;
	out->head.time = (int64_t)kel__store_now(s);
	if (rc < 0)
		kel_store_inclusion_dispose(out);
	return rc;
}

void kel_store_inclusion_dispose(kel_store_inclusion *inc)
{
	if (!inc)
		return;
	kel_merkle_proof_free(inc->proof);
	inc->proof = NULL;
}

int kel_store_consistency(kel_store *s, uint64_t m, uint64_t n,
	unsigned char old_root[HLEN], unsigned char new_root[HLEN], uint64_t *n_out,
	kel_merkle_proof **proof)
{
	kel_merkle_node_ref refs[KEL_MERKLE_NODE_REFS_MAX];
	struct kel__prefetch *pf = NULL;
	kel_merkle_source src;
	size_t count;
	uint64_t size;
	int rc;

	if (!s || !old_root || !new_root || !proof)
		return kel_fail(KEL_EINVAL, "kel_store_consistency: NULL argument");
	*proof = NULL;
	if ((rc = kel__store_begin(s, 0)) < 0)
		return rc;
	rc = kel__store_log_size(s, &size);
	if (rc == 0 && n == 0)
		n = size;
	if (rc == 0 && (m == 0 || m > n || n > size))
		rc = kel_fail(KEL_EINVAL, "consistency: need 0 < old size (%" PRIu64 ") <= new size "
			"(%" PRIu64 ") <= log size (%" PRIu64 ")", m, n, size);
	/* The proof's hashes and both roots' in one batch. */
	if (rc == 0 && !(pf = kel__prefetch_new(s)))
		rc = KEL_ENOMEM;
	if (rc == 0 && (rc = kel_merkle_consistency_refs(refs, &count, m, n)) == 0)
		rc = kel__prefetch_add(pf, refs, count);
	if (rc == 0)
		rc = kel__prefetch_root(pf, m);
	if (rc == 0)
		rc = kel__prefetch_root(pf, n);
	if (rc == 0)
		rc = kel__prefetch_run(pf);
	src = kel__prefetch_source(pf);
	if (rc == 0)
		rc = kel_merkle_consistency_proof_src(proof, m, n, &src);
	if (rc == 0)
		rc = kel_merkle_root_src(old_root, m, &src);
	if (rc == 0)
		rc = kel_merkle_root_src(new_root, n, &src);
	free(pf);
	rc = kel__store_finish(s, rc);
	if (rc < 0) {
		kel_merkle_proof_free(*proof);
		*proof = NULL;
	}
	if (rc == 0 && n_out)
		*n_out = n;
	return rc;
}
