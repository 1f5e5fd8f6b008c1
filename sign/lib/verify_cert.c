/*
 * The certificate side of verification: the certificates in KeyInfo, which one is the
 * signer's, and whether it chains to a trust anchor at the signing time.
 *
 * Only certificates count. A bare KeyValue, or a RetrievalMethod, names a key that nobody
 * vouches for, so it is never used. Which certificate is the signer's is decided by the signed
 * SigningCertificateV2 digest, never by position in KeyInfo: a look-alike placed first
 * changes nothing.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "verify_internal.h"
#include "trust.h"
#include "x509_cache.h"
#include "xml_safe.h"

static void verdict_block(struct vsig *v, kel_block block, kel_block_result result,
	kel_indication ind, const char *sub, const char *msg)
{
	v->res->blocks[block] = result;
	kel__sig_verdict(v->res, ind, sub, "%s", msg);
}

int kel__vs_certificates(struct vctx *c, struct vsig *v)
{
	(void)c;
	if ((v->certs = sk_X509_new_null()) == NULL)
		return -1;
	for (xmlNodePtr d = v->key_info ? v->key_info->children : NULL; d; d = d->next) {
		if (!kel__is(d, KEL_DS_NS, "X509Data"))
			continue;
		for (xmlNodePtr x = d->children; x; x = x->next) {
			unsigned char *der = NULL;
			const char *text;
			X509 *cert = NULL;
			int len;
			if (!kel__is(x, KEL_DS_NS, "X509Certificate"))
				continue;
			text = kel__xml_text(x);
			len = text ? kel__unbase64(text, &der) : -1;
			/* Exactly one certificate, shared with earlier verifications of the same bytes. */
			if (len > 0)
				cert = kel__x509_cache_der(der, (size_t)len);
			free(der);
			if (cert == NULL || !sk_X509_push(v->certs, cert)) {
				X509_free(cert);
				ERR_clear_error();
				v->res->blocks[KEL_BLOCK_FORMAT] = KEL_BLOCK_FAILED;
				kel__sig_verdict(v->res, KEL_INDICATION_FAILED, "FORMAT_FAILURE",
					"KeyInfo holds an X509Certificate that cannot be read");
				return -1;
			}
		}
	}
	if (sk_X509_num(v->certs) == 0) {
		verdict_block(v, KEL_BLOCK_SIGNING_CERTIFICATE, KEL_BLOCK_INDETERMINATE,
			KEL_INDICATION_INDETERMINATE, "NO_SIGNING_CERTIFICATE_FOUND",
			"no X.509 certificate in KeyInfo (a bare key is not trusted)");
		return -1;
	}
	return 0;
}

/* A certificate's subject as one RFC 2253 line, UTF-8 kept (Kazakh names). */
static char *subject_line(X509 *x)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long n;

	if (bio && X509_NAME_print_ex(bio, X509_get_subject_name(x), 0,
			XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (n = BIO_get_mem_data(bio, &data)) >= 0 && (out = malloc((size_t)n + 1)) != NULL) {
		memcpy(out, data, (size_t)n);
		out[n] = '\0';
	}
	BIO_free(bio);
	return out;
}

/* Subject and serial of v->signer into the result. */
static void record_signer(struct vsig *v)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(v->signer), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	free(v->res->subject);
	v->res->subject = subject_line(v->signer);
	free(v->res->serial);
	v->res->serial = kel__strdup(hex ? hex : "");
	OPENSSL_free(hex);
	BN_free(bn);
}

/* The SigningCertificateV2 Cert that names the signer, and the certificate it names. */
int kel__vs_identify(struct vctx *c, struct vsig *v)
{
	xmlNodePtr ssp, scv2, cert_el, cd, dm, dv, isv2;
	const struct kel_digest_alg *dalg = NULL;
	unsigned char *want = NULL, *is = NULL;
	int want_len, is_len;
	const char *why = NULL;

	(void)c;
	if (!v->xades) {
		/* XML-DSig: the signer is the certificate whose key verifies (verify.c). */
		v->res->blocks[KEL_BLOCK_SIGNING_CERTIFICATE] = KEL_BLOCK_PASSED;
		return 0;
	}
	ssp = kel__ds_child(v->sp, KEL_XADES_NS, "SignedSignatureProperties");
	scv2 = kel__ds_child(ssp, KEL_XADES_NS, "SigningCertificateV2");
	cert_el = kel__ds_child(scv2, KEL_XADES_NS, "Cert");
	cd = kel__ds_child(cert_el, KEL_XADES_NS, "CertDigest");
	dm = kel__ds_child(cd, KEL_DS_NS, "DigestMethod");
	dv = kel__ds_child(cd, KEL_DS_NS, "DigestValue");
	isv2 = kel__ds_child(cert_el, KEL_XADES_NS, "IssuerSerialV2");
	if (dm) {
		xmlChar *uri = xmlGetProp(dm, BAD_CAST "Algorithm");
		dalg = kel__digest_alg_by_uri((const char *)uri);
		xmlFree(uri);
	}
	if (dv == NULL || dalg == NULL || kel__xml_text(dv) == NULL ||
	    (want_len = kel__unbase64(kel__xml_text(dv), &want)) <= 0) {
		why = "SigningCertificateV2 has no usable CertDigest";
		goto fail;
	}
	v->weak |= dalg->weak;
	for (int i = 0; i < sk_X509_num(v->certs) && v->signer == NULL; i++) {
		X509 *x = sk_X509_value(v->certs, i);
		unsigned char md[EVP_MAX_MD_SIZE], *der = NULL;
		int der_len = i2d_X509(x, &der);
		int n = der_len > 0 ? kel__digest(kel__md(dalg->name), der, (size_t)der_len, md) : -1;
		if (n == want_len && memcmp(md, want, (size_t)n) == 0)
			v->signer = x;
		OPENSSL_free(der);
	}
	if (v->signer == NULL) {
		why = "no certificate in KeyInfo matches the signed SigningCertificateV2 digest";
		goto fail;
	}
	if (isv2 && kel__xml_text(isv2)) {
		unsigned char *given = NULL;
		int given_len = kel__unbase64(kel__xml_text(isv2), &given);
		is_len = kel__issuer_serial_der(v->signer, &is);
		if (given_len != is_len || is_len < 0 || memcmp(given, is, (size_t)is_len) != 0)
			why = "IssuerSerialV2 does not match the certificate the digest names";
		free(given);
		OPENSSL_free(is);
		if (why) {
			v->signer = NULL;
			goto fail;
		}
	}
	free(want);
	record_signer(v);
	v->res->blocks[KEL_BLOCK_SIGNING_CERTIFICATE] = KEL_BLOCK_PASSED;
	return 0;
fail:
	free(want);
	verdict_block(v, KEL_BLOCK_SIGNING_CERTIFICATE, KEL_BLOCK_INDETERMINATE,
		KEL_INDICATION_INDETERMINATE, "NO_SIGNING_CERTIFICATE_FOUND", why);
	return -1;
}

void kel__vs_record_signer(struct vsig *v)
{
	record_signer(v);
}

int kel__key_strong(EVP_PKEY *pkey)
{
	int type = EVP_PKEY_get_base_id(pkey), bits = EVP_PKEY_get_bits(pkey);

	if (type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS)
		return bits >= 2048;
	if (type == EVP_PKEY_EC)
		return bits >= 256;
	return 0;
}

/* The validated chain goes into the report: which anchor vouched for the signer. */
static void record_chain(struct vsig *v, STACK_OF(X509) *chain)
{
	for (int i = 0; chain && i < sk_X509_num(chain) && v->res->nchain < KEL_MAX_CHAIN; i++) {
		char *s = subject_line(sk_X509_value(chain, i));
		if (s)
			v->res->chain[v->res->nchain++] = s;
	}
}

/* Every certificate of chain is within its validity period at t. */
static int chain_valid_at(STACK_OF(X509) *chain, time_t t)
{
	for (int i = 0; chain && i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);
		if (X509_cmp_time(X509_get0_notBefore(x), &t) > 0 ||
		    X509_cmp_time(X509_get0_notAfter(x), &t) < 0)
			return 0;
	}
	return 1;
}

int kel__vs_x509(struct vctx *c, struct vsig *v)
{
	X509_STORE_CTX *ctx;
	time_t when = v->xades && v->signing_time ? v->signing_time : c->now;
	char msg[512];
	int ok, err;

	if (c->store == NULL) {
		verdict_block(v, KEL_BLOCK_X509, KEL_BLOCK_INDETERMINATE,
			KEL_INDICATION_INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND",
			"no trust anchor was given (--trust or --trust-dir)");
		return -1;
	}
	if (v->xades && v->signing_time > c->now + 300) {
		verdict_block(v, KEL_BLOCK_X509, KEL_BLOCK_INDETERMINATE,
			KEL_INDICATION_INDETERMINATE, "SIG_CONSTRAINTS_FAILURE",
			"the claimed signing time is in the future");
		return -1;
	}
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, c->store, v->signer, v->certs) != 1) {
		X509_STORE_CTX_free(ctx);
		ERR_clear_error();
		verdict_block(v, KEL_BLOCK_X509, KEL_BLOCK_INDETERMINATE,
			KEL_INDICATION_INDETERMINATE, "CERTIFICATE_CHAIN_GENERAL_FAILURE",
			"cannot set up certificate validation");
		return -1;
	}
	/* The chain must be valid at the time the signature claims to have been made... */
	X509_STORE_CTX_set_time(ctx, 0, when);
	ok = X509_verify_cert(ctx) == 1;
	err = X509_STORE_CTX_get_error(ctx);
	if (ok && !chain_valid_at(X509_STORE_CTX_get0_chain(ctx), c->now)) {
		/*
		 * ...and now: SigningTime is only the signer's claim, and B-B has no time-stamp
		 * to prove the signature existed before a certificate expired. Otherwise a key
		 * whose certificate has lapsed could still sign, backdated, and pass.
		 */
		X509_STORE_CTX_free(ctx);
		verdict_block(v, KEL_BLOCK_X509, KEL_BLOCK_INDETERMINATE,
			KEL_INDICATION_INDETERMINATE, "OUT_OF_BOUNDS_NO_POE",
			"a certificate of the chain is not valid at the validation time, and a B-B "
			"signature has no proof of existence from before (a B-T time-stamp would be)");
		return -1;
	}
	if (ok)
		record_chain(v, X509_STORE_CTX_get0_chain(ctx));
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	if (!ok) {
		snprintf(msg, sizeof(msg), "certificate validation at %s failed: %s",
			v->xades ? "the signing time" : "the validation time",
			X509_verify_cert_error_string(err));
		verdict_block(v, KEL_BLOCK_X509, KEL_BLOCK_INDETERMINATE,
			KEL_INDICATION_INDETERMINATE, kel__x509_subindication(err), msg);
		return -1;
	}
	if ((X509_get_extension_flags(v->signer) & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(v->signer) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
		verdict_block(v, KEL_BLOCK_X509, KEL_BLOCK_INDETERMINATE,
			KEL_INDICATION_INDETERMINATE, "CHAIN_CONSTRAINTS_FAILURE",
			"the signer's certificate is not for digital signatures (key usage)");
		return -1;
	}
	v->res->blocks[KEL_BLOCK_X509] = KEL_BLOCK_PASSED;
	return 0;
}

/* Parse xs:dateTime with a zone; fractions of seconds are ignored. */
int kel__parse_datetime(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
	const char *p;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
		return -1;
	p = s + 19;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (*p == 'Z' && p[1] == '\0') {
		/* UTC */
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
		   sscanf(p + 1, "%2d:%2d", &oh, &om) == 2) {
		if (*p == '-') {
			oh = -oh;
			om = -om;
		}
	} else {
		return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm) - (time_t)(oh * 3600 + om * 60);
	return 0;
}
