/*
 * What signing (xades_*.c) and verifying (verify*.c) share: namespaces, the algorithm table,
 * canonicalisation and the ECDSA value format of XML-DSig.
 */
#ifndef KEL_XADES_INTERNAL_H
#define KEL_XADES_INTERNAL_H

#include <stddef.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "kelisim/xades.h"

#define KEL_DS_NS "http://www.w3.org/2000/09/xmldsig#"
#define KEL_XADES_NS "http://uri.etsi.org/01903/v1.3.2#"

#define KEL_C14N_EXC "http://www.w3.org/2001/10/xml-exc-c14n#"
#define KEL_C14N_EXC_COMMENTS "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
#define KEL_C14N_10 "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
#define KEL_C14N_10_COMMENTS "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
#define KEL_C14N_11 "http://www.w3.org/2006/12/xml-c14n11"
#define KEL_C14N_11_COMMENTS "http://www.w3.org/2006/12/xml-c14n11#WithComments"
#define KEL_TRANSFORM_ENVELOPED "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

#define KEL_TYPE_SIGNED_PROPS "http://uri.etsi.org/01903#SignedProperties"
#define KEL_TYPE_COUNTERSIGNED "http://uri.etsi.org/01903#CountersignedSignature"

/* A SignatureMethod kelisim knows. */
struct kel_sig_alg {
	const char *uri;
	int key_type;          /* EVP_PKEY_EC or EVP_PKEY_RSA */
	kel_digest digest;
	int pss;
	int weak;              /* SHA-1: only with allow_weak */
};

/* A DigestMethod kelisim knows. */
struct kel_digest_alg {
	const char *uri;
	const char *name;      /* OpenSSL's name */
	int weak;
};

const struct kel_sig_alg *kel__sig_alg_by_uri(const char *uri);
const struct kel_sig_alg *kel__sig_alg_find(int key_type, kel_digest digest, int pss);
const struct kel_digest_alg *kel__digest_alg_by_uri(const char *uri);
const struct kel_digest_alg *kel__digest_alg_of(kel_digest digest);
/* The fetched EVP_MD of a digest, cached for the life of the process; NULL if unavailable. */
const EVP_MD *kel__md(const char *name);

/*
 * Canonicalise the subtree at node (attributes and namespaces included) into *out (xmlFree).
 * mode is XML_C14N_EXCLUSIVE_1_0, XML_C14N_1_0 or XML_C14N_1_1. When exclude is not NULL
 * that subtree is left out: the enveloped-signature transform. When node is the document
 * node the whole document is canonicalised. The tree is only read (see doc.h on threads).
 */
int kel__c14n(xmlNodePtr node, int mode, int with_comments, xmlNodePtr exclude,
	xmlChar **out, int *len);

/* md over data into out (EVP_MAX_MD_SIZE bytes); returns the length or -1. */
int kel__digest(const EVP_MD *md, const void *data, size_t len, unsigned char *out);

/* Base64 without line breaks, into a new string (free()); NULL on failure. */
char *kel__base64(const unsigned char *data, size_t len);
/* Decode base64 (whitespace allowed) into *out (free()); returns the length or -1. */
int kel__unbase64(const char *text, unsigned char **out);

/* ECDSA: DER <-> the fixed-length r||s of XML-DSig. field is the byte size of the order. */
int kel__ecdsa_der_to_raw(const unsigned char *der, size_t der_len, size_t field,
	unsigned char *raw);
int kel__ecdsa_raw_to_der(const unsigned char *raw, size_t raw_len, unsigned char **der,
	size_t *der_len);
/* Byte size of an EC key's group order. */
size_t kel__ec_field_size(const EVP_PKEY *pkey);

/* DER of IssuerSerial (RFC 5035) for cert, into *out (OPENSSL_free); returns length or -1. */
int kel__issuer_serial_der(X509 *cert, unsigned char **out);

/* Find the element child of parent in namespace ns with name, or NULL. */
xmlNodePtr kel__ds_child(xmlNodePtr parent, const char *ns, const char *name);
/* Non-zero when node is an element in ns named name. */
int kel__is(xmlNodePtr node, const char *ns, const char *name);

/* Random lower-case hex of 2*n digits into out (2n+1 bytes). */
int kel__random_hex(char *out, size_t n);

/* Sign data with pkey (digest md, PSS or not) and give the XML-DSig SignatureValue bytes. */
int kel__sign_value(EVP_PKEY *pkey, const EVP_MD *md, int pss, const unsigned char *data,
	size_t len, unsigned char **sig, size_t *sig_len);
/* Verify an XML-DSig SignatureValue; 1 valid, 0 not, -1 could not run. */
int kel__verify_value(EVP_PKEY *pkey, const EVP_MD *md, int pss, const unsigned char *data,
	size_t len, const unsigned char *sig, size_t sig_len);

/* Building the XAdES QualifyingProperties (xades_props.c). */
struct kel_props_input {
	const char *sig_id;
	X509 *cert;
	time_t signing_time;
	const char *role;
	kel_commitment commitment;
	const char *const *data_ref_ids;   /* the Ids of the data references */
	int n_data_refs;
	int data_is_signature;             /* counter-signature: no DataObjectFormat MimeType */
};
xmlNodePtr kel__props_build(xmlNodePtr object, xmlNsPtr ds, const struct kel_props_input *in);

#endif
