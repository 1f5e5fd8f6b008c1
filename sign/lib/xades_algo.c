/*
 * The algorithms of XML-DSig that kelisim signs and verifies with, and the raw signing and
 * verifying of a SignatureValue.
 */
#include <pthread.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "xades_internal.h"
#include "error_internal.h"

#define MORE "http://www.w3.org/2001/04/xmldsig-more#"
#define MORE07 "http://www.w3.org/2007/05/xmldsig-more#"

static const struct kel_sig_alg sig_algs[] = {
	{ MORE "ecdsa-sha256", EVP_PKEY_EC, KEL_DIGEST_SHA256, 0, 0 },
	{ MORE "ecdsa-sha384", EVP_PKEY_EC, KEL_DIGEST_SHA384, 0, 0 },
	{ MORE "ecdsa-sha512", EVP_PKEY_EC, KEL_DIGEST_SHA512, 0, 0 },
	{ MORE "rsa-sha256", EVP_PKEY_RSA, KEL_DIGEST_SHA256, 0, 0 },
	{ MORE "rsa-sha384", EVP_PKEY_RSA, KEL_DIGEST_SHA384, 0, 0 },
	{ MORE "rsa-sha512", EVP_PKEY_RSA, KEL_DIGEST_SHA512, 0, 0 },
	{ MORE07 "sha256-rsa-MGF1", EVP_PKEY_RSA, KEL_DIGEST_SHA256, 1, 0 },
	{ MORE07 "sha384-rsa-MGF1", EVP_PKEY_RSA, KEL_DIGEST_SHA384, 1, 0 },
	{ MORE07 "sha512-rsa-MGF1", EVP_PKEY_RSA, KEL_DIGEST_SHA512, 1, 0 },
	/* Verified only, and only when weak algorithms are allowed: digest 0 means SHA-1. */
	{ "http://www.w3.org/2000/09/xmldsig#rsa-sha1", EVP_PKEY_RSA, 0, 0, 1 },
	{ MORE "ecdsa-sha1", EVP_PKEY_EC, 0, 0, 1 },
	{ NULL, 0, 0, 0, 0 }
};

static const struct kel_digest_alg digest_algs[] = {
	{ "http://www.w3.org/2000/09/xmldsig#sha1", "SHA1", 1 },
	{ "http://www.w3.org/2001/04/xmlenc#sha256", "SHA256", 0 },
	{ "http://www.w3.org/2001/04/xmldsig-more#sha384", "SHA384", 0 },
	{ "http://www.w3.org/2001/04/xmlenc#sha512", "SHA512", 0 },
	{ NULL, NULL, 0 }
};

const struct kel_sig_alg *kel__sig_alg_by_uri(const char *uri)
{
	for (const struct kel_sig_alg *a = sig_algs; uri && a->uri; a++)
		if (strcmp(a->uri, uri) == 0)
			return a;
	return NULL;
}

const struct kel_sig_alg *kel__sig_alg_find(int key_type, kel_digest digest, int pss)
{
	for (const struct kel_sig_alg *a = sig_algs; a->uri; a++)
		if (a->key_type == key_type && a->digest == digest && a->pss == pss && !a->weak)
			return a;
	return NULL;
}

const struct kel_digest_alg *kel__digest_alg_by_uri(const char *uri)
{
	for (const struct kel_digest_alg *a = digest_algs; uri && a->uri; a++)
		if (strcmp(a->uri, uri) == 0)
			return a;
	return NULL;
}

const struct kel_digest_alg *kel__digest_alg_of(kel_digest digest)
{
	/* The table's order follows the enum, with SHA-1 standing in for 0. */
	return digest >= 0 && digest <= KEL_DIGEST_SHA512 ? &digest_algs[digest] : NULL;
}

/*
 * OpenSSL 3 looks a digest up in its providers each time one is named implicitly; fetching
 * each once and keeping it saves that on every signature.
 */
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static EVP_MD *mds[4];

static void fetch_mds(void)
{
	for (int i = 0; i < 4; i++)
		mds[i] = EVP_MD_fetch(NULL, digest_algs[i].name, NULL);
}

const EVP_MD *kel__md(const char *name)
{
	pthread_once(&md_once, fetch_mds);
	for (int i = 0; i < 4; i++)
		if (strcmp(digest_algs[i].name, name) == 0)
			return mds[i];
	return NULL;
}

int kel__digest(const EVP_MD *md, const void *data, size_t len, unsigned char *out)
{
	unsigned int n = 0;

	if (md == NULL || EVP_Digest(data, len, out, &n, md, NULL) != 1)
		return -1;
	return (int)n;
}

size_t kel__ec_field_size(const EVP_PKEY *pkey)
{
	/* The order of P-256 is 256 bits, of P-384 384, of P-521 521: round up to bytes. */
	return (size_t)(EVP_PKEY_get_bits(pkey) + 7) / 8;
}

int kel__ecdsa_der_to_raw(const unsigned char *der, size_t der_len, size_t field,
	unsigned char *raw)
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	const BIGNUM *r, *s;
	int ok;

	if (sig == NULL)
		return -1;
	ECDSA_SIG_get0(sig, &r, &s);
	ok = BN_bn2binpad(r, raw, (int)field) == (int)field &&
		BN_bn2binpad(s, raw + field, (int)field) == (int)field;
	ECDSA_SIG_free(sig);
	return ok ? 0 : -1;
}

int kel__ecdsa_raw_to_der(const unsigned char *raw, size_t raw_len, unsigned char **der,
	size_t *der_len)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, (int)(raw_len / 2), NULL);
	BIGNUM *s = BN_bin2bn(raw + raw_len / 2, (int)(raw_len / 2), NULL);
	int n = -1;

	*der = NULL;
	if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
		r = s = NULL;   /* owned by sig now */
		n = i2d_ECDSA_SIG(sig, der);
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	if (n <= 0)
		return -1;
	*der_len = (size_t)n;
	return 0;
}

static int set_pss(EVP_PKEY_CTX *pctx, const EVP_MD *md)
{
	/* RFC 6931 sha*-rsa-MGF1: MGF1 with the same digest, salt as long as the digest. */
	return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
		EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0 &&
		EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) > 0;
}

int kel__sign_value(EVP_PKEY *pkey, const EVP_MD *md, int pss, const unsigned char *data,
	size_t len, unsigned char **sig, size_t *sig_len)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char *der = NULL;
	size_t n = 0;
	int rc = KEL_ECRYPTO;

	*sig = NULL;
	if (mctx == NULL || EVP_DigestSignInit(mctx, &pctx, md, NULL, pkey) != 1 ||
	    (pss && !set_pss(pctx, md)) ||
	    EVP_DigestSign(mctx, NULL, &n, data, len) != 1 ||
	    (der = OPENSSL_malloc(n)) == NULL ||
	    EVP_DigestSign(mctx, der, &n, data, len) != 1) {
		rc = kel_fail_openssl(KEL_ECRYPTO, "signing failed");
		goto done;
	}
	if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC) {
		/* XML-DSig wants r and s side by side at the group's size, not DER. */
		size_t field = kel__ec_field_size(pkey);
		unsigned char *raw = OPENSSL_malloc(2 * field);
		if (raw == NULL || kel__ecdsa_der_to_raw(der, n, field, raw) < 0) {
			OPENSSL_free(raw);
			rc = kel_fail(KEL_ECRYPTO, "cannot convert the ECDSA signature");
			goto done;
		}
		OPENSSL_free(der);
		der = raw;
		n = 2 * field;
	}
	*sig = der;
	*sig_len = n;
	der = NULL;
	rc = 0;
done:
	OPENSSL_free(der);
	EVP_MD_CTX_free(mctx);
	return rc;
}

int kel__verify_value(EVP_PKEY *pkey, const EVP_MD *md, int pss, const unsigned char *data,
	size_t len, const unsigned char *sig, size_t sig_len)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	unsigned char *der = NULL;
	int rc = -1;

	if (mctx == NULL)
		return -1;
	if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_EC) {
		size_t der_len;
		if (sig_len != 2 * kel__ec_field_size(pkey)) {
			rc = 0;   /* a value of the wrong size cannot be right */
			goto done;
		}
		if (kel__ecdsa_raw_to_der(sig, sig_len, &der, &der_len) < 0)
			goto done;
		sig = der;
		sig_len = der_len;
	}
	if (EVP_DigestVerifyInit(mctx, &pctx, md, NULL, pkey) != 1 ||
	    (pss && !set_pss(pctx, md)))
		goto done;
	rc = EVP_DigestVerify(mctx, sig, sig_len, data, len) == 1;
done:
	ERR_clear_error();
	OPENSSL_free(der);
	EVP_MD_CTX_free(mctx);
	return rc;
}

/* Append a DER length. */
static size_t der_len(unsigned char *p, size_t n)
{
	if (n < 0x80) {
		p[0] = (unsigned char)n;
		return 1;
	}
	if (n < 0x100) {
		p[0] = 0x81;
		p[1] = (unsigned char)n;
		return 2;
	}
	p[0] = 0x82;
	p[1] = (unsigned char)(n >> 8);
	p[2] = (unsigned char)n;
	return 3;
}

/*
 * IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
 * (RFC 5035), the content of XAdES IssuerSerialV2. OpenSSL 3.0 has no type for it, so the
 * two DER parts OpenSSL makes are wrapped in a SEQUENCE here.
 */
int kel__issuer_serial_der(X509 *cert, unsigned char **out)
{
	GENERAL_NAMES *names = sk_GENERAL_NAME_new_null();
	GENERAL_NAME *name = GENERAL_NAME_new();
	X509_NAME *issuer = X509_NAME_dup(X509_get_issuer_name(cert));
	unsigned char *gn = NULL, *serial = NULL, *buf = NULL, hdr[4];
	int gn_len = -1, serial_len = -1, total = -1;
	size_t h;

	*out = NULL;
	if (names == NULL || name == NULL || issuer == NULL)
		goto done;
	GENERAL_NAME_set0_value(name, GEN_DIRNAME, issuer);
	issuer = NULL;
	if (!sk_GENERAL_NAME_push(names, name))
		goto done;
	name = NULL;
	gn_len = i2d_GENERAL_NAMES(names, &gn);
	serial_len = i2d_ASN1_INTEGER(X509_get0_serialNumber(cert), &serial);
	if (gn_len <= 0 || serial_len <= 0 || gn_len + serial_len > 0xffff)
		goto done;
	hdr[0] = 0x30;
	h = 1 + der_len(hdr + 1, (size_t)(gn_len + serial_len));
	if ((buf = OPENSSL_malloc(h + (size_t)gn_len + (size_t)serial_len)) == NULL)
		goto done;
	memcpy(buf, hdr, h);
	memcpy(buf + h, gn, (size_t)gn_len);
	memcpy(buf + h + (size_t)gn_len, serial, (size_t)serial_len);
	total = (int)h + gn_len + serial_len;
	*out = buf;
done:
	OPENSSL_free(gn);
	OPENSSL_free(serial);
	X509_NAME_free(issuer);
	GENERAL_NAME_free(name);
	sk_GENERAL_NAME_pop_free(names, GENERAL_NAME_free);
	return total;
}
