/*
 * kel_xades_sign: a XAdES B-B signature enveloped in the document's Signatures element.
 *
 * The signature is built in the tree where it will stay (so that canonicalisation sees the
 * namespaces it will be verified with), each referenced element is canonicalised once with
 * exclusive C14N and digested, then SignedInfo is canonicalised and signed with the caller's
 * key directly through EVP: no copy of the key is made per document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/c14n.h>
#include <openssl/err.h>
#include <libxml/tree.h>

#include "xades_internal.h"
#include "doc_internal.h"
#include "key_internal.h"
#include "xml_safe.h"
#include "text.h"
#include "error_internal.h"

struct signing {
	const kel_key *key;
	const struct kel_sig_alg *alg;
	const struct kel_digest_alg *dalg;
	const EVP_MD *md;
	char id[48];
	xmlNsPtr ds;
	xmlNodePtr sig, signed_info;
};

/* Choose the SignatureMethod from the key and the options. */
static int choose_algorithm(struct signing *s, const kel_sign_options *o)
{
	EVP_PKEY *pkey = s->key->pkey;
	int type = EVP_PKEY_get_base_id(pkey), bits = EVP_PKEY_get_bits(pkey);
	kel_digest digest = o->digest;

	if (type == EVP_PKEY_EC) {
		if (bits != 256 && bits != 384)
			return kel_fail(KEL_EUNSUPPORTED, "ECDSA keys of %d bits are not supported "
				"(P-256 or P-384)", bits);
		if (o->rsa_pss)
			return kel_fail(KEL_EINVAL, "RSA-PSS asked for with an ECDSA key");
		if (digest == KEL_DIGEST_DEFAULT)
			digest = bits == 384 ? KEL_DIGEST_SHA384 : KEL_DIGEST_SHA256;
	} else if (type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS) {
		if (bits < 2048)
			return kel_fail(KEL_EUNSUPPORTED, "RSA keys under 2048 bits are too weak "
				"to sign with (this one has %d)", bits);
		type = EVP_PKEY_RSA;
		if (digest == KEL_DIGEST_DEFAULT)
			digest = KEL_DIGEST_SHA256;
	} else {
		return kel_fail(KEL_EUNSUPPORTED, "keys of type '%s' are not supported",
			EVP_PKEY_get0_type_name(pkey));
	}
	if (digest < KEL_DIGEST_SHA256 || digest > KEL_DIGEST_SHA512)
		return kel_fail(KEL_EINVAL, "unknown digest %d", (int)digest);
	s->alg = kel__sig_alg_find(type, digest, o->rsa_pss ? 1 : 0);
	s->dalg = kel__digest_alg_of(digest);
	s->md = kel__md(s->dalg->name);
	if (s->alg == NULL || s->md == NULL)
		return kel_fail(KEL_EUNSUPPORTED, "no signature algorithm for this key and digest");
	return 0;
}

static xmlNodePtr add_reference(struct signing *s, const char *id, const char *uri,
	const char *type)
{
	xmlNodePtr ref = xmlNewChild(s->signed_info, s->ds, BAD_CAST "Reference", NULL);
	xmlNodePtr tr = ref ? xmlNewChild(ref, s->ds, BAD_CAST "Transforms", NULL) : NULL;
	xmlNodePtr t = tr ? xmlNewChild(tr, s->ds, BAD_CAST "Transform", NULL) : NULL;
	xmlNodePtr dm = t ? xmlNewChild(ref, s->ds, BAD_CAST "DigestMethod", NULL) : NULL;

	if (dm == NULL || !xmlNewProp(ref, BAD_CAST "Id", BAD_CAST id) ||
	    (type && !xmlNewProp(ref, BAD_CAST "Type", BAD_CAST type)) ||
	    !xmlNewProp(ref, BAD_CAST "URI", BAD_CAST uri) ||
	    !xmlNewProp(t, BAD_CAST "Algorithm", BAD_CAST KEL_C14N_EXC) ||
	    !xmlNewProp(dm, BAD_CAST "Algorithm", BAD_CAST s->dalg->uri)) {
		kel_fail(KEL_ENOMEM, "out of memory");
		return NULL;
	}
	return ref;
}

/* Canonicalise target (exclusive C14N, as the reference's transform says) and digest it. */
static int fill_digest(struct signing *s, xmlNodePtr ref, xmlNodePtr target)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	xmlChar *c14n = NULL;
	char *b64 = NULL;
	int len, n, rc;

	if ((rc = kel__c14n(target, XML_C14N_EXCLUSIVE_1_0, 0, NULL, &c14n, &len)) < 0)
		return rc;
	n = kel__digest(s->md, c14n, (size_t)len, md);
	xmlFree(c14n);
	if (n < 0 || (b64 = kel__base64(md, (size_t)n)) == NULL)
		return kel_fail_openssl(KEL_ECRYPTO, "cannot digest a reference");
	rc = xmlNewChild(ref, s->ds, BAD_CAST "DigestValue", BAD_CAST b64) ? 0 :
		kel_fail(KEL_ENOMEM, "out of memory");
	free(b64);
	return rc;
}

static int add_certificate(struct signing *s, xmlNodePtr x509data, X509 *cert)
{
	unsigned char *der = NULL;
	int len = i2d_X509(cert, &der);
	char *b64 = len > 0 ? kel__base64(der, (size_t)len) : NULL;
	int rc = b64 && xmlNewChild(x509data, s->ds, BAD_CAST "X509Certificate", BAD_CAST b64) ?
		0 : kel_fail(KEL_ENOMEM, "cannot encode a certificate");

	OPENSSL_free(der);
	free(b64);
	return rc;
}

/* KeyInfo: the signer's certificate first, then the chain above it. */
static int add_key_info(struct signing *s)
{
	xmlNodePtr ki = xmlNewChild(s->sig, s->ds, BAD_CAST "KeyInfo", NULL);
	xmlNodePtr data = ki ? xmlNewChild(ki, s->ds, BAD_CAST "X509Data", NULL) : NULL;
	int rc;

	if (data == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	if ((rc = add_certificate(s, data, s->key->cert)) < 0)
		return rc;
	for (int i = 0; s->key->chain && i < sk_X509_num(s->key->chain); i++)
		if ((rc = add_certificate(s, data, sk_X509_value(s->key->chain, i))) < 0)
			return rc;
	return 0;
}

/* Canonicalise SignedInfo, sign it, and fill SignatureValue. */
static int fill_signature_value(struct signing *s, xmlNodePtr value)
{
	xmlChar *c14n = NULL;
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	char *b64 = NULL;
	int len, rc;

	if ((rc = kel__c14n(s->signed_info, XML_C14N_EXCLUSIVE_1_0, 0, NULL, &c14n, &len)) < 0)
		return rc;
	rc = kel__sign_value(s->key->pkey, s->md, s->alg->pss, c14n, (size_t)len, &sig, &sig_len);
	xmlFree(c14n);
	if (rc < 0)
		return rc;
	b64 = kel__base64(sig, sig_len);
	OPENSSL_free(sig);
	if (b64 == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	xmlNodeSetContent(value, BAD_CAST b64);
	free(b64);
	return 0;
}

/* The Id attribute of node equals id. */
static int has_id(xmlNodePtr node, const char *id)
{
	xmlChar *v = xmlGetProp(node, BAD_CAST "Id");
	int eq = v && strcmp((const char *)v, id) == 0;

	xmlFree(v);
	return eq;
}

/*
 * Where a counter-signature of signature target_id goes: that signature's
 * QualifyingProperties/UnsignedProperties/UnsignedSignatureProperties/CounterSignature,
 * made as needed. *value is the SignatureValue to sign, *created what to remove on failure.
 */
static int counter_slot(xmlNodePtr signatures, const char *target_id, xmlNodePtr *slot,
	xmlNodePtr *value, xmlNodePtr *created, int *added_id)
{
	xmlNodePtr target = NULL, qp, up, usp;
	xmlNsPtr xades;

	for (xmlNodePtr c = signatures->children; c; c = c->next)
		if (kel__is(c, KEL_DS_NS, "Signature") && has_id(c, target_id))
			target = c;
	if (target == NULL)
		return kel_fail(KEL_EINVAL, "no signature with Id '%s' to counter-sign", target_id);
	*value = kel__ds_child(target, KEL_DS_NS, "SignatureValue");
	qp = kel__ds_child(kel__ds_child(target, KEL_DS_NS, "Object"), KEL_XADES_NS,
		"QualifyingProperties");
	if (*value == NULL || qp == NULL)
		return kel_fail(KEL_EINVAL, "signature '%s' is not a XAdES signature", target_id);
	xades = qp->ns;
	*created = NULL;
	if ((up = kel__ds_child(qp, KEL_XADES_NS, "UnsignedProperties")) == NULL)
		*created = up = xmlNewChild(qp, xades, BAD_CAST "UnsignedProperties", NULL);
	if (up && (usp = kel__ds_child(up, KEL_XADES_NS, "UnsignedSignatureProperties")) == NULL) {
		usp = xmlNewChild(up, xades, BAD_CAST "UnsignedSignatureProperties", NULL);
		if (*created == NULL)
			*created = usp;
	}
	*slot = up && usp ? xmlNewChild(usp, xades, BAD_CAST "CounterSignature", NULL) : NULL;
	if (*slot == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	if (*created == NULL)
		*created = *slot;
	/* A reference needs an Id to point at; one on SignatureValue is not signed over. */
	if (!xmlHasProp(*value, BAD_CAST "Id")) {
		char id[128];
		snprintf(id, sizeof(id), "%s-value", target_id);
		*added_id = xmlNewProp(*value, BAD_CAST "Id", BAD_CAST id) != NULL;
	}
	return 0;
}

static int build(struct signing *s, kel_doc *doc, const kel_sign_options *o, xmlNodePtr slot,
	xmlNodePtr counter_value)
{
	xmlNodePtr root = xmlDocGetRootElement(doc->xml);
	xmlNodePtr targets[2], refs[3], object, props, value, sm, cm;
	char ref_ids[3][80], uri[128];
	const char *data_ref_ids[2];
	int n_data = 0, rc;
	struct kel_props_input in;

	s->sig = xmlNewChild(slot, NULL, BAD_CAST "Signature", NULL);
	if (s->sig == NULL || (s->ds = xmlNewNs(s->sig, BAD_CAST KEL_DS_NS, BAD_CAST "ds")) == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	xmlSetNs(s->sig, s->ds);
	xmlNewProp(s->sig, BAD_CAST "Id", BAD_CAST s->id);
	s->signed_info = xmlNewChild(s->sig, s->ds, BAD_CAST "SignedInfo", NULL);
	cm = s->signed_info ? xmlNewChild(s->signed_info, s->ds,
		BAD_CAST "CanonicalizationMethod", NULL) : NULL;
	sm = cm ? xmlNewChild(s->signed_info, s->ds, BAD_CAST "SignatureMethod", NULL) : NULL;
	if (sm == NULL || !xmlNewProp(cm, BAD_CAST "Algorithm", BAD_CAST KEL_C14N_EXC) ||
	    !xmlNewProp(sm, BAD_CAST "Algorithm", BAD_CAST s->alg->uri))
		return kel_fail(KEL_ENOMEM, "out of memory");

	if (counter_value) {
		targets[n_data++] = counter_value;
	} else {
		targets[n_data++] = kel__xml_child(root, "Content");
		targets[n_data++] = kel__xml_child(root, "Verification");
	}
	for (int i = 0; i < n_data; i++) {
		xmlChar *tid = xmlGetProp(targets[i], BAD_CAST "Id");
		if (tid == NULL)
			return kel_fail(KEL_EINVALID, "the element to sign has no Id");
		snprintf(ref_ids[i], sizeof(ref_ids[i]), "%s-ref-%s", s->id,
			counter_value ? "value" : i == 0 ? "content" : "verification");
		snprintf(uri, sizeof(uri), "#%s", (const char *)tid);
		xmlFree(tid);
		refs[i] = add_reference(s, ref_ids[i], uri,
			counter_value ? KEL_TYPE_COUNTERSIGNED : NULL);
		if (refs[i] == NULL)
			return KEL_ENOMEM;
		data_ref_ids[i] = ref_ids[i];
	}
	snprintf(ref_ids[2], sizeof(ref_ids[2]), "%s-ref-props", s->id);
	snprintf(uri, sizeof(uri), "#%s-signedprops", s->id);
	if ((refs[2] = add_reference(s, ref_ids[2], uri, KEL_TYPE_SIGNED_PROPS)) == NULL)
		return KEL_ENOMEM;

	value = xmlNewChild(s->sig, s->ds, BAD_CAST "SignatureValue", NULL);
	snprintf(uri, sizeof(uri), "%s-value", s->id);
	if (value == NULL || !xmlNewProp(value, BAD_CAST "Id", BAD_CAST uri))
		return kel_fail(KEL_ENOMEM, "out of memory");
	if ((rc = add_key_info(s)) < 0)
		return rc;
	if ((object = xmlNewChild(s->sig, s->ds, BAD_CAST "Object", NULL)) == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");

	memset(&in, 0, sizeof(in));
	in.sig_id = s->id;
	in.cert = s->key->cert;
	in.signing_time = o->signing_time ? o->signing_time : time(NULL);
	in.role = o->role;
	in.commitment = o->commitment;
	in.data_ref_ids = data_ref_ids;
	in.n_data_refs = n_data;
	in.data_is_signature = counter_value != NULL;
	if ((props = kel__props_build(object, s->ds, &in)) == NULL)
		return KEL_ENOMEM;

	/* Digests once everything they cover is in place; SignedInfo last. */
	for (int i = 0; i < n_data; i++)
		if ((rc = fill_digest(s, refs[i], targets[i])) < 0)
			return rc;
	if ((rc = fill_digest(s, refs[2], props)) < 0)
		return rc;
	return fill_signature_value(s, value);
}

int kel_xades_sign(kel_doc *doc, const kel_key *key, const kel_sign_options *opts)
{
	static const kel_sign_options defaults = KEL_SIGN_OPTIONS_INIT;
	const kel_sign_options *o = opts ? opts : &defaults;
	struct signing s;
	xmlNodePtr root, signatures, slot, counter_value = NULL, created = NULL;
	const char *why;
	int added_id = 0, rc;

	if (doc == NULL || key == NULL || key->pkey == NULL || key->cert == NULL)
		return kel_fail(KEL_EINVAL, "kel_xades_sign: NULL argument");
	if (o->version != KEL_SIGN_OPTIONS_VERSION)
		return kel_fail(KEL_EINVAL, "kel_xades_sign: options version %u not supported",
			o->version);
	if (o->commitment != KEL_COMMITMENT_NONE && kel_commitment_uri(o->commitment) == NULL)
		return kel_fail(KEL_EINVAL, "unknown commitment type %d", (int)o->commitment);
	/* The role is signed text a verifier shows: the same rules as any text in a document
	 * (no control characters, no bidirectional overrides that could make it read otherwise). */
	if (o->role && (why = kel__text_problem(o->role, 256)) != NULL)
		return kel_fail(KEL_EINVAL, "role: %s", why);
	memset(&s, 0, sizeof(s));
	s.key = key;
	if ((rc = choose_algorithm(&s, o)) < 0)
		return rc;
	if (X509_check_private_key(key->cert, key->pkey) != 1) {
		ERR_clear_error();
		return kel_fail(KEL_EINVALID, "the key does not belong to the certificate");
	}

	root = xmlDocGetRootElement(doc->xml);
	signatures = kel__xml_child(root, "Signatures");
	if (signatures == NULL)
		return kel_fail(KEL_EINVALID, "the document has no Signatures element");
	memcpy(s.id, "sig-", 4);
	if ((rc = kel__random_hex(s.id + 4, 16)) < 0)
		return rc;

	slot = signatures;
	if (o->counter_signature_of &&
	    (rc = counter_slot(signatures, o->counter_signature_of, &slot, &counter_value,
			&created, &added_id)) < 0) {
		if (created) {
			xmlUnlinkNode(created);
			xmlFreeNode(created);
		}
		return rc;
	}
	kel__xmlerr_reset();
	rc = build(&s, doc, o, slot, counter_value);
	if (rc < 0) {
		/* Leave the document as it was. */
		xmlNodePtr gone = created ? created : s.sig;
		if (gone) {
			xmlUnlinkNode(gone);
			xmlFreeNode(gone);
		}
		if (added_id)
			xmlUnsetProp(counter_value, BAD_CAST "Id");
	}
	return rc;
}
