/*
 * Validating one certificate on its own: does it chain to a trust anchor now?
 *
 * kel_verify() validates the certificates of XML signatures. A certificate can also vouch for
 * something that is not an XML signature — the operator's seal on a QR code (qr.h) — and then
 * the same question is asked of it alone: kel_cert_validate() builds its chain to the trust
 * anchors of a kel_verify_options, with the intermediate certificates given, and answers in
 * the vocabulary of the verify module (an indication and a sub-indication).
 */
#ifndef KELISIM_CERT_H
#define KELISIM_CERT_H

#include "common.h"
#include "doc.h"
#include "verify.h"

typedef struct kel_cert_result {
	/* KEL_INDICATION_PASSED, or KEL_INDICATION_INDETERMINATE when no valid chain is found. */
	kel_indication indication;
	/* NULL when passed; else NO_CERTIFICATE_CHAIN_FOUND, OUT_OF_BOUNDS_NO_POE,
	 * CHAIN_CONSTRAINTS_FAILURE, CRYPTO_CONSTRAINTS_FAILURE or
	 * CERTIFICATE_CHAIN_GENERAL_FAILURE (static strings). */
	const char *subindication;
	/* A sentence for people on what went wrong; "" when passed. */
	char message[256];
	/* The certificate's subject (RFC 2253) and serial (hex); "" when unreadable. */
	char subject[256];
	char serial[80];
} kel_cert_result;

/*
 * Validate the certificate cert (PEM or DER, len bytes) against the trust anchors of opts
 * (trust_file, trust_dir) at opts->validation_time (0: now): a chain to an anchor, every
 * certificate of it within its validity period, and, when the certificate has a key usage,
 * digital signatures among its uses. The chain is built with the certificates of untrusted
 * (PEM, any number of them, untrusted_len bytes; NULL for none) and, when doc is not NULL,
 * with those in its signatures' KeyInfo. Without a trust anchor the result is INDETERMINATE /
 * NO_CERTIFICATE_CHAIN_FOUND.
 *
 * Returns 0 with *out filled, whatever the verdict; KEL_EPARSE when cert is not a
 * certificate, KEL_EIO when the trust anchors cannot be read, KEL_EINVAL, KEL_ENOMEM.
 */
KEL_EXTERN(int) kel_cert_validate(kel_cert_result *out, const char *cert, size_t len,
	const char *untrusted, size_t untrusted_len, const kel_doc *doc,
	const kel_verify_options *opts) KEL_WARN_UNUSED;

#endif
