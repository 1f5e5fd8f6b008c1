/*
 * Signed documents and forgeries for the verify and xades suites (see forge.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <openssl/pem.h>

#include "forge.h"
#include "helpers.h"
#include "xades_internal.h"
#include "key_internal.h"
#include "xml_safe.h"

kel_key *tk_key(const char *name)
{
	char k[256], c[256];
	kel_key *key = NULL;
	int rc;

	snprintf(k, sizeof(k), "%s.key", name);
	snprintf(c, sizeof(c), "%s.crt", name);
	rc = kel_key_load_pem(&key, th_pki(k), th_pki(c), th_pki("chain.pem"), NULL, 0);
	ck_assert_msg(rc == 0, "loading %s: %s", name, th_error_message());
	return key;
}

kel_doc *tk_doc(void)
{
	kel_doc_new_options o = KEL_DOC_NEW_OPTIONS_INIT;
	size_t len;
	char *json = th_read_file(th_source("schemas/examples/consent.json"), &len);
	kel_doc *doc = NULL;

	o.issued_at = 1795000000;
	ck_assert_msg(kel_doc_new(&doc, json, len, &o) == 0, "%s", th_error_message());
	free(json);
	return doc;
}

void tk_sign(kel_doc *doc, const char *keyname, const kel_sign_options *opts)
{
	kel_key *key = tk_key(keyname);
	int rc = kel_xades_sign(doc, key, opts);

	ck_assert_msg(rc == 0, "signing with %s: %s", keyname, th_error_message());
	kel_key_free(key);
}

char *tk_xml(const kel_doc *doc, size_t *len)
{
	kel_buf b = KEL_BUF_INIT;
	char *out;

	ck_assert_int_eq(kel_doc_write(&b, doc), 0);
	out = strdup(b.ptr);
	*len = b.size;
	kel_buf_dispose(&b);
	return out;
}

xmlDocPtr tk_parse(const char *xml, size_t len)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	return doc;
}

char *tk_dump(xmlDocPtr doc, size_t *len)
{
	xmlChar *mem = NULL;
	int size = 0;
	char *out;

	xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
	ck_assert_ptr_nonnull(mem);
	out = strdup((const char *)mem);
	*len = (size_t)size;
	xmlFree(mem);
	return out;
}

xmlDocPtr tk_signed_tree(const char *keyname)
{
	kel_doc *doc = tk_doc();
	size_t len;
	char *xml;
	xmlDocPtr tree;

	tk_sign(doc, keyname, NULL);
	xml = tk_xml(doc, &len);
	tree = tk_parse(xml, len);
	free(xml);
	kel_doc_free(doc);
	return tree;
}

static xmlNodePtr find_rec(xmlNodePtr n, const char *ns, const char *name, int *nth)
{
	for (; n; n = n->next) {
		xmlNodePtr hit;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (kel__is(n, ns, name) && (*nth)-- == 0)
			return n;
		if ((hit = find_rec(n->children, ns, name, nth)) != NULL)
			return hit;
	}
	return NULL;
}

xmlNodePtr tk_find(xmlNodePtr top, const char *ns, const char *name, int nth)
{
	/* top and its descendants only, not its following siblings */
	if (top == NULL)
		return NULL;
	if (kel__is(top, ns, name) && nth-- == 0)
		return top;
	return find_rec(top->children, ns, name, &nth);
}

xmlNodePtr tk_sig(xmlDocPtr doc, int nth)
{
	xmlNodePtr s = kel__xml_child(xmlDocGetRootElement(doc), "Signatures");
	for (xmlNodePtr c = s ? s->children : NULL; c; c = c->next)
		if (kel__is(c, KEL_DS_NS, "Signature") && nth-- == 0)
			return c;
	ck_abort_msg("no signature %d", nth);
	return NULL;
}

static xmlNodePtr by_id(xmlNodePtr n, const char *id)
{
	for (; n; n = n->next) {
		xmlChar *v;
		xmlNodePtr hit;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		v = xmlGetProp(n, BAD_CAST "Id");
		if (v && strcmp((const char *)v, id) == 0) {
			xmlFree(v);
			return n;
		}
		xmlFree(v);
		if ((hit = by_id(n->children, id)) != NULL)
			return hit;
	}
	return NULL;
}

static EVP_PKEY *load_private(const char *keyname)
{
	char k[256];
	FILE *f;
	EVP_PKEY *pkey;

	snprintf(k, sizeof(k), "%s.key", keyname);
	f = fopen(th_pki(k), "r");
	ck_assert_ptr_nonnull(f);
	pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert_ptr_nonnull(pkey);
	return pkey;
}

static void set_text(xmlNodePtr n, const char *text)
{
	xmlNodeSetContent(n, BAD_CAST text);
}

void tk_resign(xmlDocPtr doc, xmlNodePtr sig, const char *keyname)
{
	xmlNodePtr si = kel__ds_child(sig, KEL_DS_NS, "SignedInfo");
	xmlNodePtr sm = kel__ds_child(si, KEL_DS_NS, "SignatureMethod");
	xmlChar *uri = xmlGetProp(sm, BAD_CAST "Algorithm");
	const struct kel_sig_alg *alg = kel__sig_alg_by_uri((const char *)uri);
	const char *md_name = alg && alg->digest ? kel__digest_alg_of(alg->digest)->name : "SHA1";
	EVP_PKEY *pkey = load_private(keyname);
	unsigned char md[EVP_MAX_MD_SIZE], *value = NULL;
	size_t value_len;
	xmlChar *c14n;
	int len, n;
	char *b64;

	ck_assert_msg(alg != NULL, "unknown SignatureMethod %s", uri);
	xmlFree(uri);
	for (xmlNodePtr ref = si->children; ref; ref = ref->next) {
		xmlChar *ref_uri, *dm_uri, *t_uri = NULL;
		xmlNodePtr target, tr, dm;
		int mode = XML_C14N_1_0, enveloped = 0;
		if (!kel__is(ref, KEL_DS_NS, "Reference"))
			continue;
		ref_uri = xmlGetProp(ref, BAD_CAST "URI");
		target = ref_uri[0] ? by_id(xmlDocGetRootElement(doc), (const char *)ref_uri + 1) :
			(xmlNodePtr)doc;
		xmlFree(ref_uri);
		if (target == NULL)
			continue;
		tr = kel__ds_child(ref, KEL_DS_NS, "Transforms");
		for (xmlNodePtr t = tr ? tr->children : NULL; t; t = t->next) {
			if (t->type != XML_ELEMENT_NODE)
				continue;
			t_uri = xmlGetProp(t, BAD_CAST "Algorithm");
			if (strcmp((const char *)t_uri, KEL_TRANSFORM_ENVELOPED) == 0)
				enveloped = 1;
			else if (strncmp((const char *)t_uri, KEL_C14N_EXC, strlen(KEL_C14N_EXC)) == 0)
				mode = XML_C14N_EXCLUSIVE_1_0;
			xmlFree(t_uri);
		}
		dm = kel__ds_child(ref, KEL_DS_NS, "DigestMethod");
		dm_uri = xmlGetProp(dm, BAD_CAST "Algorithm");
		ck_assert_int_eq(kel__c14n(target, mode, 0, enveloped ? sig : NULL, &c14n, &len), 0);
		n = kel__digest(kel__md(kel__digest_alg_by_uri((const char *)dm_uri)->name), c14n,
			(size_t)len, md);
		xmlFree(dm_uri);
		xmlFree(c14n);
		b64 = kel__base64(md, (size_t)n);
		set_text(kel__ds_child(ref, KEL_DS_NS, "DigestValue"), b64);
		free(b64);
	}
	uri = xmlGetProp(kel__ds_child(si, KEL_DS_NS, "CanonicalizationMethod"),
		BAD_CAST "Algorithm");
	n = strncmp((const char *)uri, KEL_C14N_EXC, strlen(KEL_C14N_EXC)) == 0 ?
		XML_C14N_EXCLUSIVE_1_0 : XML_C14N_1_0;
	xmlFree(uri);
	ck_assert_int_eq(kel__c14n(si, n, 0, NULL, &c14n, &len), 0);
	ck_assert_int_eq(kel__sign_value(pkey, kel__md(md_name), alg->pss, c14n, (size_t)len,
		&value, &value_len), 0);
	xmlFree(c14n);
	b64 = kel__base64(value, value_len);
	set_text(kel__ds_child(sig, KEL_DS_NS, "SignatureValue"), b64);
	free(b64);
	OPENSSL_free(value);
	EVP_PKEY_free(pkey);
}

static X509 *load_cert(const char *cert_name)
{
	char c[256];
	FILE *f;
	X509 *x;

	snprintf(c, sizeof(c), "%s.crt", cert_name);
	f = fopen(th_pki(c), "r");
	ck_assert_ptr_nonnull(f);
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert_ptr_nonnull(x);
	return x;
}

char *tk_cert_b64(const char *cert_name)
{
	X509 *x = load_cert(cert_name);
	unsigned char *der = NULL;
	int len = i2d_X509(x, &der);
	char *b64 = kel__base64(der, (size_t)len);

	OPENSSL_free(der);
	X509_free(x);
	return b64;
}

char *tk_lookalike_b64(const char *cert_name)
{
	X509 *real = load_cert(cert_name), *fake = X509_new();
	EVP_PKEY *key = EVP_EC_gen("P-256");
	unsigned char *der = NULL;
	char *b64;
	int len;

	ck_assert_ptr_nonnull(fake);
	ck_assert_ptr_nonnull(key);
	ck_assert(X509_set_version(fake, X509_VERSION_3) &&
		X509_set_serialNumber(fake, X509_get_serialNumber(real)) &&
		X509_set_issuer_name(fake, X509_get_issuer_name(real)) &&
		X509_set_subject_name(fake, X509_get_subject_name(real)) &&
		X509_set1_notBefore(fake, X509_get0_notBefore(real)) &&
		X509_set1_notAfter(fake, X509_get0_notAfter(real)) &&
		X509_set_pubkey(fake, key) && X509_sign(fake, key, EVP_sha256()) > 0);
	len = i2d_X509(fake, &der);
	b64 = kel__base64(der, (size_t)len);
	OPENSSL_free(der);
	EVP_PKEY_free(key);
	X509_free(fake);
	X509_free(real);
	return b64;
}

void tk_set_signing_cert(xmlNodePtr sig, const char *cert_name, int put_in_keyinfo)
{
	X509 *x = load_cert(cert_name);
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE], *is = NULL;
	int len = i2d_X509(x, &der), is_len = kel__issuer_serial_der(x, &is);
	char *b64;

	kel__digest(kel__md("SHA256"), der, (size_t)len, md);
	b64 = kel__base64(md, 32);
	set_text(tk_find(tk_find(sig, KEL_XADES_NS, "CertDigest", 0), KEL_DS_NS, "DigestValue", 0),
		b64);
	free(b64);
	b64 = kel__base64(is, (size_t)is_len);
	set_text(tk_find(sig, KEL_XADES_NS, "IssuerSerialV2", 0), b64);
	free(b64);
	if (put_in_keyinfo) {
		b64 = kel__base64(der, (size_t)len);
		set_text(tk_find(sig, KEL_DS_NS, "X509Certificate", 0), b64);
		free(b64);
	}
	OPENSSL_free(der);
	OPENSSL_free(is);
	X509_free(x);
}

kel_report *tk_verify(const char *xml, size_t len, int allow_weak)
{
	kel_verify_options o = KEL_VERIFY_OPTIONS_INIT;
	kel_report *r = NULL;

	o.trust_file = th_pki("root.crt");
	o.allow_weak = allow_weak;
	ck_assert_msg(kel_verify(&r, xml, len, &o) == 0, "kel_verify: %s", th_error_message());
	return r;
}

kel_report *tk_verify_tree(xmlDocPtr doc, int allow_weak)
{
	size_t len;
	char *xml = tk_dump(doc, &len);
	kel_report *r = tk_verify(xml, len, allow_weak);

	free(xml);
	return r;
}

void tk_expect_at(const kel_report *r, size_t i, kel_indication ind, const char *sub,
	const char *file, int line)
{
	const kel_sig_result *s = kel_report_signature(r, i);
	const char *got;

	ck_assert_msg(s != NULL, "%s:%d: no signature %zu (document: %s)", file, line, i,
		kel_report_document_problem(r) ? kel_report_document_problem(r) : "-");
	got = kel_sig_subindication(s);
	/* TK_DEBUG=1 shows why each forgery was caught. */
	if (getenv("TK_DEBUG"))
		fprintf(stderr, "%s:%d: %s/%s: %s%s%s\n", file, line,
			kel_indication_name(kel_sig_indication(s)), got ? got : "-",
			kel_sig_message(s) ? kel_sig_message(s) : "",
			kel_report_document_problem(r) ? " | document: " : "",
			kel_report_document_problem(r) ? kel_report_document_problem(r) : "");
	ck_assert_msg(kel_sig_indication(s) == ind && ((sub == NULL && got == NULL) ||
			(sub && got && strcmp(sub, got) == 0)),
		"%s:%d: signature %zu: expected %s/%s, got %s/%s (%s)", file, line, i,
		kel_indication_name(ind), sub ? sub : "-", kel_indication_name(kel_sig_indication(s)),
		got ? got : "-", kel_sig_message(s) ? kel_sig_message(s) : "");
}
