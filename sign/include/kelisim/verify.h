/*
 * Verifying the signatures of a document.
 *
 * kel_verify() reads XML and checks every signature in it in the manner of ETSI EN 319 102-1:
 * each signature gets an indication (TOTAL-PASSED, TOTAL-FAILED, INDETERMINATE), a
 * sub-indication saying why, and the result of each building block (format checking,
 * identification of the signing certificate, X.509 validation, cryptographic verification,
 * signature acceptance). A kelisim consent document is held to the exact shape kelisim signs
 * (see docs/signature.md: every reference lands on the element at its expected place, nothing
 * unsigned is taken as a fact); other XML with plain enveloped XML-DSig signatures (as made by
 * NCALayer) is verified as XML-DSig, without a XAdES level.
 *
 * That a document is not valid is a RESULT: kel_verify() returns 0 and the report says so.
 * An error return means the verification could not run (bad arguments, out of memory,
 * unreadable trust anchors).
 */
#ifndef KELISIM_VERIFY_H
#define KELISIM_VERIFY_H

#include <time.h>
#include "common.h"
#include "buf.h"

typedef enum {
	KEL_INDICATION_PASSED = 0,         /* TOTAL-PASSED */
	KEL_INDICATION_FAILED = 1,         /* TOTAL-FAILED */
	KEL_INDICATION_INDETERMINATE = 2   /* INDETERMINATE */
} kel_indication;

/* The result of one building block of a signature's validation. */
typedef enum {
	KEL_BLOCK_NOT_RUN = 0,   /* an earlier block failed, or it does not apply */
	KEL_BLOCK_PASSED = 1,
	KEL_BLOCK_FAILED = 2,
	KEL_BLOCK_INDETERMINATE = 3
} kel_block_result;

typedef enum {
	KEL_BLOCK_FORMAT = 0,                 /* format checking */
	KEL_BLOCK_SIGNING_CERTIFICATE = 1,    /* identification of the signing certificate */
	KEL_BLOCK_X509 = 2,                   /* X.509 certificate validation */
	KEL_BLOCK_CRYPTO = 3,                 /* cryptographic verification */
	KEL_BLOCK_ACCEPTANCE = 4,             /* signature acceptance validation */
	KEL_BLOCK_COUNT = 5
} kel_block;

typedef struct kel_report kel_report;
typedef struct kel_sig_result kel_sig_result;

typedef struct kel_verify_options {
	unsigned int version;
	/* PEM file of trust anchors (root certificates); NULL for none. */
	const char *trust_file;
	/* Directory of trust anchors in OpenSSL's hashed layout (c_rehash); NULL for none. */
	const char *trust_dir;
	/* Accept SHA-1 and RSA under 2048 bits. */
	int allow_weak;
	/* The validation time; 0 for now. Meant for tests and for re-checking old reports. */
	time_t validation_time;
} kel_verify_options;

#define KEL_VERIFY_OPTIONS_VERSION 1
#define KEL_VERIFY_OPTIONS_INIT { KEL_VERIFY_OPTIONS_VERSION, NULL, NULL, 0, 0 }

/*
 * Verify every signature of the len bytes of XML at xml. With no trust anchor given, no
 * signature can pass: X.509 validation is INDETERMINATE (NO_CERTIFICATE_CHAIN_FOUND).
 * Returns 0 and *out on success, whatever the verdict; KEL_EINVAL, KEL_ENOMEM, KEL_EIO
 * (trust anchors unreadable) otherwise. Free the report with kel_report_free().
 */
KEL_EXTERN(int) kel_verify(kel_report **out, const char *xml, size_t len,
	const kel_verify_options *opts) KEL_WARN_UNUSED;

KEL_EXTERN(void) kel_report_free(kel_report *report);

/* The verdict over all signatures: PASSED only when there is one and every one passed. */
KEL_EXTERN(kel_indication) kel_report_indication(const kel_report *report);
/* Non-zero when the input was a kelisim consent document (else plain XML-DSig). */
KEL_EXTERN(int) kel_report_is_kelisim(const kel_report *report);
/* The time the verification was done as of (now, or the validation_time option). */
KEL_EXTERN(time_t) kel_report_validation_time(const kel_report *report);
/* Problems with the document as a whole (not one signature), or NULL. */
KEL_EXTERN(const char *) kel_report_document_problem(const kel_report *report);

KEL_EXTERN(size_t) kel_report_count(const kel_report *report);
/* The i-th signature in document order (counter-signatures after the one they sign). */
KEL_EXTERN(const kel_sig_result *) kel_report_signature(const kel_report *report, size_t i);

KEL_EXTERN(const char *) kel_sig_id(const kel_sig_result *sig);          /* may be "" */
/* Id of the signature this one counter-signs, or NULL. */
KEL_EXTERN(const char *) kel_sig_counter_signature_of(const kel_sig_result *sig);
/* "XAdES-B-B" or "XML-DSig". */
KEL_EXTERN(const char *) kel_sig_level(const kel_sig_result *sig);
KEL_EXTERN(kel_indication) kel_sig_indication(const kel_sig_result *sig);
/* "HASH_FAILURE", ...; NULL when PASSED. */
KEL_EXTERN(const char *) kel_sig_subindication(const kel_sig_result *sig);
/* A sentence for people on what went wrong, or NULL when PASSED. */
KEL_EXTERN(const char *) kel_sig_message(const kel_sig_result *sig);
KEL_EXTERN(kel_block_result) kel_sig_block(const kel_sig_result *sig, kel_block block);
/* Subject (RFC 2253) and serial (hex) of the signer's certificate, or NULL if not found. */
KEL_EXTERN(const char *) kel_sig_signer_subject(const kel_sig_result *sig);
KEL_EXTERN(const char *) kel_sig_signer_serial(const kel_sig_result *sig);
/* The validated chain's subjects, signer first, root (the trust anchor) last; 0 when the
 * chain was not validated. */
KEL_EXTERN(size_t) kel_sig_chain_count(const kel_sig_result *sig);
KEL_EXTERN(const char *) kel_sig_chain_subject(const kel_sig_result *sig, size_t i);
/* The claimed SigningTime as written (XAdES only), or NULL. */
KEL_EXTERN(const char *) kel_sig_signing_time(const kel_sig_result *sig);
/* The SignatureMethod URI, or NULL. */
KEL_EXTERN(const char *) kel_sig_algorithm(const kel_sig_result *sig);
/* The claimed role and commitment type URI, or NULL. */
KEL_EXTERN(const char *) kel_sig_role(const kel_sig_result *sig);
KEL_EXTERN(const char *) kel_sig_commitment(const kel_sig_result *sig);
KEL_EXTERN(size_t) kel_sig_reference_count(const kel_sig_result *sig);
/* The i-th reference's URI and whether its digest matched (1), did not (0), or was not
 * computed (-1). */
KEL_EXTERN(const char *) kel_sig_reference_uri(const kel_sig_result *sig, size_t i);
KEL_EXTERN(int) kel_sig_reference_ok(const kel_sig_result *sig, size_t i);

/* "TOTAL-PASSED", "TOTAL-FAILED", "INDETERMINATE". */
KEL_EXTERN(const char *) kel_indication_name(kel_indication indication);
/* "format", "signing_certificate_identification", ... */
KEL_EXTERN(const char *) kel_block_name(kel_block block);

/* The report as one JSON object (docs/signature.md shows it), or as text for people. */
KEL_EXTERN(int) kel_report_to_json(const kel_report *report, kel_buf *out) KEL_WARN_UNUSED;
KEL_EXTERN(int) kel_report_to_text(const kel_report *report, kel_buf *out) KEL_WARN_UNUSED;

#endif
