/*
 * The parts of verification: structure (verify_structure.c), certificates (verify_cert.c),
 * the report (verify_report.c), tied together by verify.c.
 */
#ifndef KEL_VERIFY_INTERNAL_H
#define KEL_VERIFY_INTERNAL_H

#include <time.h>
#include <libxml/hash.h>
#include <libxml/tree.h>
#include <openssl/x509.h>
#include "kelisim/verify.h"
#include "xades_internal.h"

#define KEL_MAX_REFS 8
#define KEL_MAX_CHAIN 8

struct kel_ref_result {
	char *uri;
	int ok;                   /* 1 digest matched, 0 not, -1 not computed */
};

struct kel_sig_result {
	char *id;
	char *counter_of;
	const char *level;        /* "XAdES-B-B" or "XML-DSig" */
	kel_indication indication;
	const char *sub;          /* static string, NULL when passed */
	char *message;
	kel_block_result blocks[KEL_BLOCK_COUNT];
	char *subject, *serial, *signing_time, *algorithm, *role, *commitment;
	char *chain[KEL_MAX_CHAIN];   /* subjects of the validated chain, signer first */
	size_t nchain;
	struct kel_ref_result refs[KEL_MAX_REFS];
	size_t nrefs;
};

struct kel_report {
	int kelisim;
	time_t validation_time;
	char *doc_problem;
	struct kel_sig_result **sigs;
	size_t n, cap;
};

/* One run of kel_verify. */
struct vctx {
	xmlDocPtr xml;
	int kelisim;
	int allow_weak;
	time_t now;
	xmlHashTablePtr ids;      /* Id value -> element, NULL entry value never stored */
	X509_STORE *store;        /* NULL when no trust anchor was given */
};

/* One signature being verified. */
struct vsig {
	xmlNodePtr sig, signed_info, value, key_info, qp, sp;
	xmlNodePtr counter_target;         /* the SignatureValue a counter-signature signs */
	const struct kel_sig_alg *alg;
	const char *c14n_uri;
	int nrefs;
	struct vref {
		xmlNodePtr node;
		xmlNodePtr target;             /* element, or the document node for URI="" */
		int enveloped;                 /* enveloped-signature transform */
		const char *c14n;              /* the C14N transform's URI, or NULL (then C14N 1.0) */
		const struct kel_digest_alg *dalg;
		const char *digest_b64;
	} refs[KEL_MAX_REFS];
	int xades;                         /* has QualifyingProperties */
	time_t signing_time;               /* 0 when none */
	STACK_OF(X509) *certs;             /* from KeyInfo, in order */
	X509 *signer;                      /* borrowed from certs */
	int weak;                          /* a weak algorithm was used somewhere */
	struct kel_sig_result *res;
};

/* Set the signature's verdict: the indication, sub-indication and a message. */
void kel__sig_verdict(struct kel_sig_result *r, kel_indication ind, const char *sub,
	const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Structure: 0 when the block passed, else the verdict is set and -1 returned. */
int kel__vs_structure(struct vctx *c, struct vsig *v);

/* Certificates from KeyInfo, then the signing certificate's identification. */
int kel__vs_certificates(struct vctx *c, struct vsig *v);
int kel__vs_identify(struct vctx *c, struct vsig *v);
/* Record v->signer's subject and serial in the result (XML-DSig: once a key verified). */
void kel__vs_record_signer(struct vsig *v);
/* X.509 validation of v->signer at the signing time (or now). 0 passed, -1 not. */
int kel__vs_x509(struct vctx *c, struct vsig *v);
/* Key sizes acceptable (RSA >= 2048, EC >= 256)? 1 yes, 0 no. */
int kel__key_strong(EVP_PKEY *pkey);

/* Parse "YYYY-MM-DDThh:mm:ss[.fff](Z|+hh:mm|-hh:mm)"; 0 or -1. */
int kel__parse_datetime(const char *s, time_t *out);

/* The report. */
struct kel_sig_result *kel__report_add(struct kel_report *r);
char *kel__strdup(const char *s);

/*
 * kel_verify, also handing over the parsed document when it is a kelisim document that
 * passed the document checks (*doc NULL otherwise, and whenever handing over fails): the
 * store verifies and then indexes the same tree instead of parsing it twice.
 */
int kel__verify_keep_doc(kel_report **out, kel_doc **doc, const char *xml, size_t len,
	const kel_verify_options *opts);

#endif
