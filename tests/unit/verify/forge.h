/*
 * Making signed documents and forging them, for the verify suite.
 *
 * The forgeries are built here from a freshly signed tree with libxml2, and re-signed with
 * the signer's own key where the attack needs a cryptographically valid signature — so each
 * test shows that the structural check, not a broken digest, is what catches it.
 */
#ifndef KELISIM_TEST_FORGE_H
#define KELISIM_TEST_FORGE_H

#include <stddef.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include "kelisim.h"

/* A key of the test PKI by name ("operator"), with chain.pem. */
kel_key *tk_key(const char *name);

/* A new bilingual consent document from schemas/examples/consent.json. */
kel_doc *tk_doc(void);

/* Sign doc with the named key (opts may be NULL). */
void tk_sign(kel_doc *doc, const char *keyname, const kel_sign_options *opts);

/* The document's XML; free(). */
char *tk_xml(const kel_doc *doc, size_t *len);

/* A new document signed once with keyname, as a tree. */
xmlDocPtr tk_signed_tree(const char *keyname);

/* Parse / serialise a tree. */
xmlDocPtr tk_parse(const char *xml, size_t len);
char *tk_dump(xmlDocPtr doc, size_t *len);

/* The nth (0-based) element named name in namespace ns, in document order, or NULL. */
xmlNodePtr tk_find(xmlNodePtr top, const char *ns, const char *name, int nth);
/* The nth top-level ds:Signature. */
xmlNodePtr tk_sig(xmlDocPtr doc, int nth);

/*
 * Recompute every reference digest of sig (the target found by Id, or the document without
 * sig for URI="") and the SignatureValue with the key of the named test PKI identity, using
 * the algorithms the signature names.
 */
void tk_resign(xmlDocPtr doc, xmlNodePtr sig, const char *keyname);

/* Point SigningCertificateV2 and the first KeyInfo certificate at cert_name's certificate. */
void tk_set_signing_cert(xmlNodePtr sig, const char *cert_name, int put_in_keyinfo);

/* Verify a tree / bytes with root.crt as trust anchor. */
kel_report *tk_verify_tree(xmlDocPtr doc, int allow_weak);
kel_report *tk_verify(const char *xml, size_t len, int allow_weak);

/* Assert the indication and sub-indication (NULL for none) of signature i. */
#define tk_expect(report, i, ind, sub) tk_expect_at(report, i, ind, sub, __FILE__, __LINE__)
void tk_expect_at(const kel_report *r, size_t i, kel_indication ind, const char *sub,
	const char *file, int line);

/* Base64 of a certificate file's DER; free(). */
char *tk_cert_b64(const char *cert_name);

/*
 * Base64 DER of a look-alike of cert_name's certificate: the same subject, issuer, serial
 * and validity, a different key, signed by that key. Its IssuerSerialV2 is identical.
 */
char *tk_lookalike_b64(const char *cert_name);

#endif
