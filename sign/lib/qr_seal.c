/*
 * The QR payload's seal: an ECDSA P-256 / SHA-256 signature by the operator over the bytes
 * of the payload before its last '.', and the key id that names the operator's certificate.
 */
#include <string.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "qr_internal.h"
#include "key_internal.h"
#include "xades_internal.h"
#include "error_internal.h"

int kel__qr_load_cert(X509 **out, const char *cert, size_t len)
{
	const unsigned char *der = (const unsigned char *)cert;
	size_t skip = 0;
	BIO *bio;

	*out = NULL;
	if (cert == NULL || len == 0 || len > 1024 * 1024)
		return kel_fail(KEL_EPARSE, "certificate: empty or too large");
	while (skip < len && strchr(" \t\r\n", cert[skip]))
		skip++;
	if (len - skip >= 10 && memcmp(cert + skip, "-----BEGIN", 10) == 0) {
		if ((bio = BIO_new_mem_buf(cert, (int)len)) == NULL)
			return kel_fail(KEL_ENOMEM, "out of memory");
		*out = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
	} else {
		*out = d2i_X509(NULL, &der, (long)len);
	}
	if (*out == NULL)
		return kel_fail_openssl(KEL_EPARSE, "certificate: neither PEM nor DER X.509");
	ERR_clear_error();
	return 0;
}

int kel__qr_key_id(X509 *cert, unsigned char out[KEL_QR_KEY_ID_LEN])
{
	unsigned char *spki = NULL, md[EVP_MAX_MD_SIZE];
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &spki);
	int n = len > 0 ? kel__digest(kel__md("SHA256"), spki, (size_t)len, md) : -1;

	OPENSSL_free(spki);
	if (n != 32)
		return kel_fail_openssl(KEL_ECRYPTO, "cannot digest the certificate's public key");
	memcpy(out, md, KEL_QR_KEY_ID_LEN);
	return 0;
}

int kel_qr_cert_key_id(unsigned char out[KEL_QR_KEY_ID_LEN], const char *cert, size_t len)
{
	X509 *x;
	int rc;

	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_cert_key_id: NULL argument");
	if ((rc = kel__qr_load_cert(&x, cert, len)) < 0)
		return rc;
	rc = kel__qr_key_id(x, out);
	X509_free(x);
	return rc;
}

static int is_p256(const EVP_PKEY *pkey)
{
	char group[32];

	return pkey && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC &&
		EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
			sizeof(group), NULL) == 1 && strcmp(group, "prime256v1") == 0;
}

/*
 * (r, n - s) verifies whenever (r, s) does, so anybody could respell a genuine payload. The
 * signer writes the smaller s and the verifier takes no other: one payload per seal.
 * Returns 1 when s was (or, with fix, has been made) low, 0 when high, -1 on failure.
 */
static int low_s(unsigned char sig[KEL_QR_SIG_LEN], int fix)
{
	EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *s = BN_bin2bn(sig + 32, 32, NULL), *half = BN_new();
	const BIGNUM *order = group ? EC_GROUP_get0_order(group) : NULL;
	int rc = -1;

	if (order && s && half && BN_rshift1(half, order)) {
		rc = BN_cmp(s, half) <= 0;
		if (!rc && fix && BN_sub(s, order, s) && BN_bn2binpad(s, sig + 32, 32) == 32)
			rc = 1;
	}
	BN_free(s);
	BN_free(half);
	EC_GROUP_free(group);
	return rc;
}

int kel_qr_payload_sign(kel_qr_payload *p, const kel_key *key)
{
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	int rc;

	if (p == NULL || key == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_payload_sign: NULL argument");
	if (!is_p256(key->pkey))
		return kel_fail(KEL_EUNSUPPORTED, "QR seal: needs an ECDSA P-256 key, not %s",
			key->algorithm);
	if ((rc = kel__qr_key_id(key->cert, p->key_id)) < 0 ||
	    (rc = kel__qr_format_signed_part(p)) < 0)
		return rc;
	rc = kel__sign_value(key->pkey, kel__md("SHA256"), 0, (const unsigned char *)p->text,
		p->signed_len, &sig, &sig_len);
	if (rc < 0)
		return rc;
	if (sig_len != KEL_QR_SIG_LEN || low_s(sig, 1) != 1) {
		OPENSSL_free(sig);
		return kel_fail(KEL_ECRYPTO, "QR seal: unexpected signature value");
	}
	memcpy(p->signature, sig, KEL_QR_SIG_LEN);
	OPENSSL_free(sig);
	p->text[p->signed_len] = '.';
	kel__b32_encode(p->signature, KEL_QR_SIG_LEN, p->text + p->signed_len + 1);
	p->text_len = strlen(p->text);
	return 0;
}

/* A payload whose fields were changed after it was read must not pass on its text's seal. */
static int fields_match_text(const kel_qr_payload *p)
{
	kel_qr_payload *q = OPENSSL_malloc(sizeof(*q));
	int same;

	if (q == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	same = p->text_len <= KEL_QR_TEXT_MAX &&
		kel_qr_payload_parse(q, p->text, p->text_len) == 0 &&
		q->version == p->version && q->type == p->type && q->signed_len == p->signed_len &&
		strcmp(q->url_prefix, p->url_prefix) == 0 && strcmp(q->doc_id, p->doc_id) == 0 &&
		strcmp(q->issue_date, p->issue_date) == 0 &&
		strcmp(q->operator_bin, p->operator_bin) == 0 &&
		memcmp(q->content_digest, p->content_digest, KEL_QR_DIGEST_LEN) == 0 &&
		memcmp(q->key_id, p->key_id, KEL_QR_KEY_ID_LEN) == 0 &&
		memcmp(q->signature, p->signature, KEL_QR_SIG_LEN) == 0;
	OPENSSL_free(q);
	return same ? 0 : kel_fail(KEL_EINVALID, "QR payload: fields differ from its text");
}

static int check_seal(const kel_qr_payload *p, X509 *cert)
{
	unsigned char kid[KEL_QR_KEY_ID_LEN], sig[KEL_QR_SIG_LEN];
	EVP_PKEY *pkey = X509_get0_pubkey(cert);
	int rc;

	if ((rc = kel__qr_key_id(cert, kid)) < 0)
		return rc;
	if (memcmp(kid, p->key_id, sizeof(kid)) != 0)
		return kel_fail(KEL_ENOTFOUND, "QR seal: the certificate is not the one the "
			"payload's key id names");
	if (!is_p256(pkey))
		return kel_fail(KEL_EUNSUPPORTED, "QR seal: the certificate's key is not ECDSA P-256");
	memcpy(sig, p->signature, sizeof(sig));
	if ((rc = low_s(sig, 0)) < 0)
		return kel_fail(KEL_ECRYPTO, "QR seal: cannot check the signature's form");
	if (rc == 0)
		return kel_fail(KEL_EINVALID, "QR seal: signature not in its canonical (low-s) form");
	rc = kel__verify_value(pkey, kel__md("SHA256"), 0, (const unsigned char *)p->text,
		p->signed_len, sig, sizeof(sig));
	if (rc < 0)
		return kel_fail_openssl(KEL_ECRYPTO, "QR seal: verification could not run");
	return rc == 1 ? 0 : kel_fail(KEL_EINVALID, "QR seal: the signature does not verify "
		"(payload altered, or sealed by another key)");
}

int kel_qr_payload_verify(const kel_qr_payload *p, const char *cert, size_t len)
{
	X509 *x;
	int rc;

	if (p == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_payload_verify: NULL argument");
	if ((rc = fields_match_text(p)) < 0)
		return rc;
	if ((rc = kel__qr_load_cert(&x, cert, len)) < 0)
		return rc;
	rc = check_seal(p, x);
	X509_free(x);
	return rc;
}
