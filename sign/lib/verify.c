/*
 * kel_verify: every signature of a document, building block by building block
 * (ETSI EN 319 102-1): format checking, reference digests, identification of the signing
 * certificate, the SignatureValue, X.509 validation, signature acceptance.
 *
 * The document is checked as a whole first. A kelisim document must pass the schema and the
 * document rules (so the root's Id and Type equal the signed header, and there is exactly one
 * Content and one Verification), hold only ds:Signature elements in Signatures, have no
 * signature anywhere else, and no Id twice. When the document fails, every signature in it
 * fails with it: a valid signature over a document that carries unsigned extra content must
 * not make that content look signed.
 */
#include <stdlib.h>
#include <string.h>
#include <libxml/c14n.h>
#include <openssl/err.h>

#include "verify_internal.h"
#include "doc_internal.h"
#include "schema.h"
#include "xml_safe.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "trust.h"

static const char *last_message(void)
{
	const kel_error *e = kel_error_last();
	return e ? e->message : "";
}

/* Record the first document-level problem (later ones add nothing a reader needs). */
static void doc_problem(struct kel_report *r, const char *what, const char *detail)
{
	kel_buf b = KEL_BUF_INIT;

	if (r->doc_problem)
		return;
	kel_buf_printf(&b, "%s%s%s", what, detail && *detail ? ": " : "", detail ? detail : "");
	r->doc_problem = kel_buf_detach(&b);
}

static int is_id_attr(xmlAttrPtr a)
{
	const char *n = (const char *)a->name;
	return (a->ns == NULL && (strcmp(n, "Id") == 0 || strcmp(n, "ID") == 0 ||
		strcmp(n, "id") == 0)) ||
		(a->ns && a->ns->href && strcmp((const char *)a->ns->href,
			(const char *)XML_XML_NAMESPACE) == 0 && strcmp(n, "id") == 0);
}

/* Every Id in the document, each of which must be unique; -1 on a duplicate. */
static int index_ids(struct vctx *c, xmlNodePtr node, struct kel_report *r)
{
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		for (xmlAttrPtr a = node->properties; a; a = a->next) {
			xmlChar *value;
			if (!is_id_attr(a))
				continue;
			value = xmlNodeGetContent((xmlNodePtr)a);
			if (value && xmlHashAddEntry(c->ids, value, node) < 0) {
				doc_problem(r, "the Id is used twice", (const char *)value);
				xmlFree(value);
				return -1;
			}
			xmlFree(value);
		}
		if (index_ids(c, node->children, r) < 0)
			return -1;
	}
	return 0;
}

/* Is sig where kelisim allows a signature: in Signatures, or a counter-signature there? */
static int signature_in_place(xmlNodePtr signatures, xmlNodePtr sig)
{
	xmlNodePtr p = sig->parent;

	if (p == signatures)
		return 1;
	return kel__is(p, KEL_XADES_NS, "CounterSignature") &&
		kel__is(p = p->parent, KEL_XADES_NS, "UnsignedSignatureProperties") &&
		kel__is(p = p->parent, KEL_XADES_NS, "UnsignedProperties") &&
		kel__is(p = p->parent, KEL_XADES_NS, "QualifyingProperties") &&
		kel__is(p = p->parent, KEL_DS_NS, "Object") &&
		kel__is(p = p->parent, KEL_DS_NS, "Signature") && p->parent == signatures;
}

static void find_stray_signatures(xmlNodePtr node, xmlNodePtr signatures, struct kel_report *r)
{
	for (; node && !r->doc_problem; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (kel__is(node, KEL_DS_NS, "Signature") && !signature_in_place(signatures, node))
			doc_problem(r, "a Signature outside the Signatures element", NULL);
		find_stray_signatures(node->children, signatures, r);
	}
}

/*
 * kelisim writes no comment and no processing instruction. Neither is covered by a signature
 * (C14N drops comments), yet an <?xml-stylesheet?> can change what a browser shows and a
 * comment can read as part of the text: a kelisim document carrying either is refused.
 */
static void find_unsigned_nodes(xmlNodePtr node, struct kel_report *r)
{
	for (; node && !r->doc_problem; node = node->next) {
		if (node->type == XML_COMMENT_NODE)
			doc_problem(r, "a comment, which no signature covers", NULL);
		else if (node->type == XML_PI_NODE)
			doc_problem(r, "a processing instruction, which no signature covers",
				(const char *)node->name);
		else if (node->type == XML_ELEMENT_NODE)
			find_unsigned_nodes(node->children, r);
	}
}

/* The whole-document checks of a kelisim document. */
static void check_kelisim_document(struct vctx *c, struct kel_report *r)
{
	xmlNodePtr root = xmlDocGetRootElement(c->xml), signatures;
	struct kel_doc d;

	if (kel__schema_validate(c->xml) < 0) {
		doc_problem(r, last_message(), NULL);
		return;
	}
	memset(&d, 0, sizeof(d));
	d.xml = c->xml;
	if (kel__doc_check(&d) < 0) {
		doc_problem(r, "the document breaks the document rules", last_message());
		return;
	}
	signatures = kel__xml_child(root, "Signatures");
	for (xmlNodePtr k = signatures ? signatures->children : NULL; k; k = k->next) {
		if (k->type == XML_ELEMENT_NODE && !kel__is(k, KEL_DS_NS, "Signature")) {
			doc_problem(r, "Signatures holds an element that is not a Signature",
				(const char *)k->name);
			return;
		}
	}
	find_stray_signatures(root, signatures, r);
	find_unsigned_nodes(c->xml->children, r);
}

static int c14n_mode(const char *uri, int *with_comments)
{
	*with_comments = uri && strstr(uri, "#WithComments") != NULL;
	if (uri == NULL || strncmp(uri, KEL_C14N_10, strlen(KEL_C14N_10)) == 0)
		return XML_C14N_1_0;
	if (strncmp(uri, KEL_C14N_EXC, strlen(KEL_C14N_EXC)) == 0)
		return XML_C14N_EXCLUSIVE_1_0;
	return XML_C14N_1_1;
}

/* Each reference's digest; HASH_FAILURE on the first that does not match. */
static int check_digests(struct vsig *v)
{
	int failed = -1;

	for (int i = 0; i < v->nrefs; i++) {
		struct vref *r = &v->refs[i];
		unsigned char md[EVP_MAX_MD_SIZE], *want = NULL;
		xmlChar *data = NULL;
		int comments, len, n = -1, want_len;
		int mode = c14n_mode(r->c14n, &comments);

		/* Same-document references drop comments whatever the C14N variant (XML-DSig 4.4.3.3). */
		if (kel__c14n(r->target, mode, 0, r->enveloped ? v->sig : NULL, &data, &len) == 0)
			n = kel__digest(kel__md(r->dalg->name), data, (size_t)len, md);
		xmlFree(data);
		want_len = kel__unbase64(r->digest_b64, &want);
		v->res->refs[i].ok = n > 0 && n == want_len && memcmp(md, want, (size_t)n) == 0;
		free(want);
		if (!v->res->refs[i].ok && failed < 0)
			failed = i;
	}
	if (failed >= 0) {
		v->res->blocks[KEL_BLOCK_CRYPTO] = KEL_BLOCK_FAILED;
		kel__sig_verdict(v->res, KEL_INDICATION_FAILED, "HASH_FAILURE", "the digest of "
			"reference '%s' does not match: the signed data was changed",
			v->res->refs[failed].uri ? v->res->refs[failed].uri : "");
		return -1;
	}
	return 0;
}

/* 1 when key verifies the SignatureValue over the canonical SignedInfo. */
static int value_verifies(struct vsig *v, X509 *cert, const xmlChar *si, int si_len,
	const unsigned char *sig, int sig_len)
{
	EVP_PKEY *pkey = X509_get0_pubkey(cert);
	int type = pkey ? EVP_PKEY_get_base_id(pkey) : 0;
	const struct kel_digest_alg *d = kel__digest_alg_of(v->alg->digest);

	if (type == EVP_PKEY_RSA_PSS)
		type = EVP_PKEY_RSA;
	if (pkey == NULL || type != v->alg->key_type || d == NULL)
		return 0;
	return kel__verify_value(pkey, kel__md(d->name), v->alg->pss, si, (size_t)si_len,
		sig, (size_t)sig_len) == 1;
}

static int check_signature_value(struct vsig *v)
{
	xmlChar *si = NULL;
	unsigned char *sig = NULL;
	int si_len, sig_len = -1, comments, ok = 0;
	int mode = c14n_mode(v->c14n_uri, &comments);

	if (kel__xml_text(v->value))
		sig_len = kel__unbase64(kel__xml_text(v->value), &sig);
	if (sig_len > 0 && kel__c14n(v->signed_info, mode, comments, NULL, &si, &si_len) == 0) {
		if (v->signer) {
			ok = value_verifies(v, v->signer, si, si_len, sig, sig_len);
		} else {
			/* XML-DSig names no signer: the certificate whose key verifies is it. */
			for (int i = 0; i < sk_X509_num(v->certs) && !ok; i++)
				if ((ok = value_verifies(v, sk_X509_value(v->certs, i), si, si_len,
						sig, sig_len)))
					v->signer = sk_X509_value(v->certs, i);
			if (ok)
				kel__vs_record_signer(v);
		}
	}
	xmlFree(si);
	free(sig);
	if (!ok) {
		v->res->blocks[KEL_BLOCK_CRYPTO] = KEL_BLOCK_FAILED;
		kel__sig_verdict(v->res, KEL_INDICATION_FAILED, "SIG_CRYPTO_FAILURE",
			"the SignatureValue does not verify with the signer's public key");
		return -1;
	}
	v->res->blocks[KEL_BLOCK_CRYPTO] = KEL_BLOCK_PASSED;
	return 0;
}

static void check_acceptance(struct vctx *c, struct vsig *v, int verdict_free)
{
	EVP_PKEY *pkey = X509_get0_pubkey(v->signer);
	int weak_key = pkey == NULL || !kel__key_strong(pkey);

	if ((v->weak || weak_key) && !c->allow_weak) {
		v->res->blocks[KEL_BLOCK_ACCEPTANCE] = KEL_BLOCK_INDETERMINATE;
		if (verdict_free)
			kel__sig_verdict(v->res, KEL_INDICATION_INDETERMINATE,
				"CRYPTO_CONSTRAINTS_FAILURE", "%s is too weak to be relied on "
				"(allow it with --allow-weak)", weak_key ? "the signer's key (RSA under "
				"2048 bits)" : "SHA-1");
		return;
	}
	v->res->blocks[KEL_BLOCK_ACCEPTANCE] = KEL_BLOCK_PASSED;
}

static void verify_one(struct vctx *c, struct kel_report *r, xmlNodePtr node,
	xmlNodePtr counter_target, const char *counter_of)
{
	struct kel_sig_result *res = kel__report_add(r);
	struct vsig v;
	xmlChar *id;

	if (res == NULL)
		return;
	id = xmlGetProp(node, BAD_CAST "Id");
	res->id = kel__strdup(id ? (const char *)id : "");
	xmlFree(id);
	res->counter_of = kel__strdup(counter_of);
	res->level = c->kelisim ? "XAdES-B-B" : "XML-DSig";
	if (r->doc_problem) {
		res->blocks[KEL_BLOCK_FORMAT] = KEL_BLOCK_FAILED;
		kel__sig_verdict(res, KEL_INDICATION_FAILED, "FORMAT_FAILURE", "%s", r->doc_problem);
		return;
	}
	memset(&v, 0, sizeof(v));
	v.sig = node;
	v.counter_target = counter_target;
	v.res = res;
	if (kel__vs_structure(c, &v) == 0 && check_digests(&v) == 0 &&
	    kel__vs_certificates(c, &v) == 0 && kel__vs_identify(c, &v) == 0 &&
	    check_signature_value(&v) == 0) {
		int x509_ok = kel__vs_x509(c, &v) == 0;
		check_acceptance(c, &v, x509_ok);
		if (x509_ok && res->blocks[KEL_BLOCK_ACCEPTANCE] == KEL_BLOCK_PASSED)
			kel__sig_verdict(res, KEL_INDICATION_PASSED, NULL, "%s", "");
	}
	if (res->indication == KEL_INDICATION_PASSED) {
		free(res->message);
		res->message = NULL;
	}
	sk_X509_pop_free(v.certs, X509_free);
}

/*
 * A consent carries a handful of signatures; a document with hundreds is an attempt to make
 * the verifier spend (each one costs a chain validation), so past this it is refused whole.
 */
#define MAX_SIGNATURES 64

static int count_signatures(xmlNodePtr node)
{
	int n = 0;

	for (; node; node = node->next)
		if (node->type == XML_ELEMENT_NODE)
			n += kel__is(node, KEL_DS_NS, "Signature") + count_signatures(node->children);
	return n;
}

/* Signatures of a kelisim document: each in Signatures, then its counter-signatures. */
static void verify_kelisim(struct vctx *c, struct kel_report *r)
{
	xmlNodePtr signatures = kel__xml_child(xmlDocGetRootElement(c->xml), "Signatures");

	for (xmlNodePtr s = signatures ? signatures->children : NULL; s; s = s->next) {
		xmlNodePtr qp, usp, value;
		xmlChar *id;
		if (!kel__is(s, KEL_DS_NS, "Signature"))
			continue;
		verify_one(c, r, s, NULL, NULL);
		qp = kel__ds_child(kel__ds_child(s, KEL_DS_NS, "Object"), KEL_XADES_NS,
			"QualifyingProperties");
		usp = kel__ds_child(kel__ds_child(qp, KEL_XADES_NS, "UnsignedProperties"),
			KEL_XADES_NS, "UnsignedSignatureProperties");
		value = kel__ds_child(s, KEL_DS_NS, "SignatureValue");
		id = xmlGetProp(s, BAD_CAST "Id");
		for (xmlNodePtr cs = usp ? usp->children : NULL; cs; cs = cs->next) {
			xmlNodePtr inner = kel__ds_child(cs, KEL_DS_NS, "Signature");
			if (kel__is(cs, KEL_XADES_NS, "CounterSignature") && inner)
				verify_one(c, r, inner, value, id ? (const char *)id : "");
		}
		xmlFree(id);
	}
}

/* Signatures of any other XML: every ds:Signature, in document order. */
static void verify_all(struct vctx *c, struct kel_report *r, xmlNodePtr node)
{
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (kel__is(node, KEL_DS_NS, "Signature"))
			verify_one(c, r, node, NULL, NULL);
		else
			verify_all(c, r, node->children);
	}
}

/*
 * kel_verify, and when keep is not NULL and the input is a kelisim document that passed the
 * document checks (schema, rules, structure), *keep gets that parsed tree as a document
 * handle, whatever the signatures' verdict: a caller that needs the document too (the store)
 * does not parse and validate it a second time. *keep stays NULL otherwise.
 */
static int verify(kel_report **out, kel_doc **keep, const char *xml, size_t len,
	const kel_verify_options *opts)
{
	static const kel_verify_options defaults = KEL_VERIFY_OPTIONS_INIT;
	const kel_verify_options *o = opts ? opts : &defaults;
	struct kel_report *r;
	struct vctx c;
	xmlNodePtr root;
	int rc;

	if (out == NULL || (xml == NULL && len > 0))
		return kel_fail(KEL_EINVAL, "kel_verify: NULL argument");
	*out = NULL;
	if (o->version != KEL_VERIFY_OPTIONS_VERSION)
		return kel_fail(KEL_EINVAL, "kel_verify: options version %u not supported",
			o->version);
	memset(&c, 0, sizeof(c));
	c.allow_weak = o->allow_weak;
	c.now = o->validation_time ? o->validation_time : time(NULL);
	if ((rc = kel__trust_load(&c.store, o)) < 0)
		return rc;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		X509_STORE_free(c.store);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	r->validation_time = c.now;

	/* Input that is not XML, or carries a DTD, is a verdict on the document, not an error. */
	rc = kel__xml_parse(&c.xml, xml, len, "document");
	if (rc == KEL_EPARSE || rc == KEL_ETOOBIG) {
		doc_problem(r, last_message(), NULL);
		rc = 0;
		goto done;
	}
	if (rc < 0)
		goto done;
	root = xmlDocGetRootElement(c.xml);
	c.kelisim = r->kelisim = kel__is(root, KEL_NS, "ConsentDocument");
	if ((c.ids = xmlHashCreate(64)) == NULL) {
		rc = kel_fail(KEL_ENOMEM, "out of memory");
		goto done;
	}
	index_ids(&c, root, r);
	if (count_signatures(root) > MAX_SIGNATURES) {
		doc_problem(r, "more signatures than kelisim verifies in one document", NULL);
		rc = 0;
		goto done;
	}
	if (c.kelisim && !r->doc_problem)
		check_kelisim_document(&c, r);
	if (c.kelisim)
		verify_kelisim(&c, r);
	else
		verify_all(&c, r, root);
	if (r->n == 0 && !r->doc_problem)
		doc_problem(r, "the document carries no signature", NULL);
	rc = 0;
done:
	xmlHashFree(c.ids, NULL);
	if (keep && rc == 0 && c.kelisim && !r->doc_problem) {
		/* Handed over, or freed by it on failure: then the caller parses for itself. */
		if (kel__doc_from_validated_tree(keep, c.xml) < 0)
			kel_error_clear();
		c.xml = NULL;
	}
	xmlFreeDoc(c.xml);
	X509_STORE_free(c.store);
	ERR_clear_error();
	if (rc < 0) {
		kel_report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int kel_verify(kel_report **out, const char *xml, size_t len, const kel_verify_options *opts)
{
	return verify(out, NULL, xml, len, opts);
}

int kel__verify_keep_doc(kel_report **out, kel_doc **doc, const char *xml, size_t len,
	const kel_verify_options *opts)
{
	if (doc == NULL)
		return kel_fail(KEL_EINVAL, "kel__verify_keep_doc: NULL argument");
	*doc = NULL;
	return verify(out, doc, xml, len, opts);
}
