/*
 * One certificate's chain to a trust anchor, outside any XML signature (kelisim/cert.h).
 * The rules are those of verify_cert.c for a signature without a signing time: the chain
 * must be valid at the validation time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "kelisim/cert.h"
#include "doc_internal.h"
#include "xades_internal.h"
#include "xml_safe.h"
#include "error_internal.h"
#include "trust.h"

static X509 *read_cert(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	X509 *x = NULL;
	BIO *bio;

	if (len > 0 && len < 0x7fffffff && (x = d2i_X509(NULL, &p, (long)len)) != NULL) {
		if (p == (const unsigned char *)data + len)
			return x;
		X509_free(x);
		return NULL;
	}
	ERR_clear_error();   /* not DER: perhaps PEM */
	if (len == 0 || len > 0x7fffffff || (bio = BIO_new_mem_buf(data, (int)len)) == NULL)
		return NULL;
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return x;
}

/* Every PEM certificate of data onto certs. */
static int add_pem_certs(STACK_OF(X509) *certs, const char *data, size_t len)
{
	BIO *bio;
	X509 *x;

	if (len > 0x7fffffff)
		return kel_fail(KEL_EINVAL, "kel_cert_validate: too many untrusted certificates");
	if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(certs, x)) {
			X509_free(x);
			BIO_free(bio);
			return kel_fail(KEL_ENOMEM, "out of memory");
		}
	}
	BIO_free(bio);
	ERR_clear_error();   /* the end of the data reads as an error */
	return 0;
}

/* Every ds:X509Certificate under the root's Signatures onto certs (unreadable ones skipped). */
static int add_doc_certs(STACK_OF(X509) *certs, const kel_doc *doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc->xml), sigs = NULL;

	for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "Signatures"))
			sigs = n;
	for (xmlNodePtr n = sigs ? sigs->children : NULL; n; ) {
		if (kel__is(n, KEL_DS_NS, "X509Certificate") && kel__xml_text(n)) {
			unsigned char *der = NULL;
			const unsigned char *p;
			int len = kel__unbase64(kel__xml_text(n), &der);
			X509 *x = NULL;
			p = der;
			if (len > 0)
				x = d2i_X509(NULL, &p, len);
			free(der);
			if (x && !sk_X509_push(certs, x)) {
				X509_free(x);
				return kel_fail(KEL_ENOMEM, "out of memory");
			}
			ERR_clear_error();
		}
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n != sigs && n->next == NULL)
			n = n->parent;
		n = n == sigs ? NULL : n->next;
	}
	return 0;
}

static void describe(kel_cert_result *out, X509 *x)
{
	BIO *bio = BIO_new(BIO_s_mem());
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	if (bio && X509_NAME_print_ex(bio, X509_get_subject_name(x), 0,
			XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		char *data;
		long n = BIO_get_mem_data(bio, &data);
		if (n >= (long)sizeof(out->subject))
			n = (long)sizeof(out->subject) - 1;
		memcpy(out->subject, data, (size_t)(n > 0 ? n : 0));
		out->subject[n > 0 ? n : 0] = '\0';
	}
	snprintf(out->serial, sizeof(out->serial), "%s", hex ? hex : "");
	OPENSSL_free(hex);
	BN_free(bn);
	BIO_free(bio);
}

static void verdict(kel_cert_result *out, const char *sub, const char *msg)
{
	out->indication = KEL_INDICATION_INDETERMINATE;
	out->subindication = sub;
	snprintf(out->message, sizeof(out->message), "%s", msg);
}

int kel_cert_validate(kel_cert_result *out, const char *cert, size_t len,
	const char *untrusted, size_t untrusted_len, const kel_doc *doc,
	const kel_verify_options *opts)
{
	static const kel_verify_options defaults = KEL_VERIFY_OPTIONS_INIT;
	STACK_OF(X509) *certs = NULL;
	X509_STORE_CTX *ctx = NULL;
	X509_STORE *store = NULL;
	X509 *x = NULL;
	time_t now;
	char msg[200];
	int rc, err;

	if (out == NULL || cert == NULL)
		return kel_fail(KEL_EINVAL, "kel_cert_validate: NULL argument");
	if (opts == NULL)
		opts = &defaults;
	if (opts->version != KEL_VERIFY_OPTIONS_VERSION)
		return kel_fail(KEL_EINVAL, "kel_cert_validate: options version %u not supported",
			opts->version);
	memset(out, 0, sizeof(*out));
	if ((x = read_cert(cert, len)) == NULL) {
		ERR_clear_error();
		return kel_fail(KEL_EPARSE, "not an X.509 certificate (PEM or DER)");
	}
	describe(out, x);
	if ((rc = kel__trust_load(&store, opts)) < 0)
		goto done;
	if ((certs = sk_X509_new_null()) == NULL) {
		rc = kel_fail(KEL_ENOMEM, "out of memory");
		goto done;
	}
	if ((untrusted && (rc = add_pem_certs(certs, untrusted, untrusted_len)) < 0) ||
	    (doc && (rc = add_doc_certs(certs, doc)) < 0))
		goto done;
	rc = 0;
	if (store == NULL) {
		verdict(out, "NO_CERTIFICATE_CHAIN_FOUND",
			"no trust anchor was given (--trust or --trust-dir)");
		goto done;
	}
	now = opts->validation_time ? opts->validation_time : time(NULL);
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, store, x, certs) != 1) {
		ERR_clear_error();
		verdict(out, "CERTIFICATE_CHAIN_GENERAL_FAILURE",
			"cannot set up certificate validation");
		goto done;
	}
	X509_STORE_CTX_set_time(ctx, 0, now);
	if (X509_verify_cert(ctx) != 1) {
		err = X509_STORE_CTX_get_error(ctx);
		ERR_clear_error();
		snprintf(msg, sizeof(msg), "certificate validation failed: %s",
			X509_verify_cert_error_string(err));
		verdict(out, kel__x509_subindication(err), msg);
		goto done;
	}
	if ((X509_get_extension_flags(x) & EXFLAG_KUSAGE) &&
	    !(X509_get_key_usage(x) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
		verdict(out, "CHAIN_CONSTRAINTS_FAILURE",
			"the certificate is not for digital signatures (key usage)");
		goto done;
	}
	out->indication = KEL_INDICATION_PASSED;
	out->subindication = NULL;
done:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	sk_X509_pop_free(certs, X509_free);
	X509_STORE_free(store);
	X509_free(x);
	return rc;
}
