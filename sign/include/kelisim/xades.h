/*
 * XAdES signatures on a consent document.
 *
 * kel_xades_sign() adds one XAdES baseline B-B signature (ETSI EN 319 132-1) to the document's
 * Signatures element. The signature covers, by Id, the document's Content, its Verification
 * and its own SignedProperties (signing time, the signer's certificate by digest and issuer
 * and serial, the format of each signed element, and optionally the signer's role and a
 * commitment type). Signing an already signed document adds a parallel signature; the earlier
 * ones stay valid because no signature covers the Signatures element. A counter-signature
 * signs another signature's SignatureValue instead, and is placed in that signature's
 * unsigned properties.
 *
 * The XML produced is described in docs/signature.md; kel_verify() (verify.h) checks it.
 */
#ifndef KELISIM_XADES_H
#define KELISIM_XADES_H

#include <time.h>
#include "common.h"
#include "doc.h"
#include "key.h"

typedef enum {
	KEL_DIGEST_DEFAULT = 0,  /* chosen by the key: P-256 and RSA SHA-256, P-384 SHA-384 */
	KEL_DIGEST_SHA256 = 1,
	KEL_DIGEST_SHA384 = 2,
	KEL_DIGEST_SHA512 = 3
} kel_digest;

/* The commitment types of ETSI EN 319 122-1 / XAdES (http://uri.etsi.org/01903/v1.2.2#...). */
typedef enum {
	KEL_COMMITMENT_NONE = 0,
	KEL_COMMITMENT_ORIGIN = 1,    /* ProofOfOrigin */
	KEL_COMMITMENT_RECEIPT = 2,   /* ProofOfReceipt */
	KEL_COMMITMENT_DELIVERY = 3,  /* ProofOfDelivery */
	KEL_COMMITMENT_SENDER = 4,    /* ProofOfSender */
	KEL_COMMITMENT_APPROVAL = 5,  /* ProofOfApproval */
	KEL_COMMITMENT_CREATION = 6   /* ProofOfCreation */
} kel_commitment;

typedef struct kel_sign_options {
	unsigned int version;
	kel_digest digest;
	/* RSA keys only: RSASSA-PSS (MGF1 with the same digest, salt as long as the digest). */
	int rsa_pss;
	/* SignerRoleV2/ClaimedRoles text, e.g. "clerk"; NULL for none. */
	const char *role;
	kel_commitment commitment;
	/*
	 * Id of an existing signature ("sig-...") to counter-sign; NULL for a parallel signature
	 * over the document.
	 */
	const char *counter_signature_of;
	/* The SigningTime to write; 0 for now. Meant for tests. */
	time_t signing_time;
} kel_sign_options;

#define KEL_SIGN_OPTIONS_VERSION 1
#define KEL_SIGN_OPTIONS_INIT \
	{ KEL_SIGN_OPTIONS_VERSION, KEL_DIGEST_DEFAULT, 0, NULL, KEL_COMMITMENT_NONE, NULL, 0 }

/*
 * Sign doc with key and add the signature to it. opts may be NULL. On failure the document is
 * left as it was. KEL_EINVAL for bad options (an unknown digest, PSS with a non-RSA key, a
 * counter-signature target that is not a signature of doc), KEL_EUNSUPPORTED for a key type
 * kelisim does not sign with (e.g. RSA under 2048 bits), KEL_ECRYPTO when signing fails.
 * The new signature's Id is "sig-" and 32 random hex digits.
 */
KEL_EXTERN(int) kel_xades_sign(kel_doc *doc, const kel_key *key, const kel_sign_options *opts)
	KEL_WARN_UNUSED;

/* "proof-of-origin" ... "proof-of-creation" -> the enum; 0 when unknown. */
KEL_EXTERN(kel_commitment) kel_commitment_from_name(const char *name);
/* The commitment's ETSI URI, or NULL for KEL_COMMITMENT_NONE / an unknown value. */
KEL_EXTERN(const char *) kel_commitment_uri(kel_commitment commitment);

/* "sha256", "sha384", "sha512" -> the enum; -1 when unknown. */
KEL_EXTERN(int) kel_digest_from_name(const char *name);

#endif
