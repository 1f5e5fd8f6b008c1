/*
 * Format checking of one signature, and where its references land.
 *
 * Signature wrapping attacks move, copy or add elements so that a reference still finds
 * something it can verify while a reader sees something else. The defence is to accept on a
 * kelisim document only the exact shape kelisim signs: every element of the signature is
 * expected, every reference is a bare "#Id" (Ids are unique in the whole document: the caller
 * checked), and each lands on the one element it must land on — the root's Content, the
 * root's Verification, this signature's own SignedProperties in its own QualifyingProperties
 * (Target = this signature), or for a counter-signature the SignatureValue it counter-signs.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "verify_internal.h"
#include "xml_safe.h"

#define MAX_KIDS 64

static int format_fail(struct vsig *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int format_fail(struct vsig *v, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->res->blocks[KEL_BLOCK_FORMAT] = KEL_BLOCK_FAILED;
	kel__sig_verdict(v->res, KEL_INDICATION_FAILED, "FORMAT_FAILURE", "%s", msg);
	return -1;
}

/* A result that leaves the signature undecided (unsupported algorithm, data not found). */
static int format_indeterminate(struct vsig *v, const char *sub, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int format_indeterminate(struct vsig *v, const char *sub, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	v->res->blocks[KEL_BLOCK_FORMAT] = KEL_BLOCK_INDETERMINATE;
	kel__sig_verdict(v->res, KEL_INDICATION_INDETERMINATE, sub, "%s", msg);
	return -1;
}

static int is_blank(const xmlChar *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return 0;
	return 1;
}

/*
 * The element children of parent into kids. On a kelisim document nothing else may stand
 * between them — no text but whitespace, no comment, no processing instruction — so that
 * nothing unsigned can be read as part of the signature. -1 when that fails or there are
 * more than max.
 */
static int kids(struct vctx *c, xmlNodePtr parent, xmlNodePtr *out, int max)
{
	int n = 0;

	for (xmlNodePtr k = parent->children; k; k = k->next) {
		if (k->type == XML_ELEMENT_NODE) {
			if (n == max)
				return -1;
			out[n++] = k;
		} else if (c->kelisim && !(k->type == XML_TEXT_NODE && is_blank(k->content))) {
			return -1;
		}
	}
	return n;
}

static const char *attr(xmlNodePtr n, const char *name)
{
	/* Attribute values live in the tree as a single text child when there is no entity. */
	xmlAttrPtr a = xmlHasProp(n, BAD_CAST name);
	return a && a->children && a->children->type == XML_TEXT_NODE && a->children->next == NULL ?
		(const char *)a->children->content : (a ? "" : NULL);
}

static const char *const c14n_uris[] = {
	KEL_C14N_EXC, KEL_C14N_EXC_COMMENTS, KEL_C14N_10, KEL_C14N_10_COMMENTS, KEL_C14N_11,
	KEL_C14N_11_COMMENTS, NULL
};

static int is_c14n(const char *uri)
{
	for (int i = 0; uri && c14n_uris[i]; i++)
		if (strcmp(uri, c14n_uris[i]) == 0)
			return 1;
	return 0;
}

/* Transforms of one reference. */
static int check_transforms(struct vctx *c, struct vsig *v, struct vref *r, xmlNodePtr tr)
{
	xmlNodePtr t[MAX_KIDS];
	int n = kids(c, tr, t, MAX_KIDS);

	if (n < 0)
		return format_fail(v, "Reference/Transforms: unexpected content");
	for (int i = 0; i < n; i++) {
		const char *alg = kel__is(t[i], KEL_DS_NS, "Transform") ? attr(t[i], "Algorithm") : NULL;
		xmlNodePtr sub[1];
		if (alg == NULL)
			return format_fail(v, "Reference/Transforms: unexpected element");
		if (c->kelisim) {
			/* kelisim signs with exclusive C14N alone; anything else is a trick. */
			if (n != 1 || strcmp(alg, KEL_C14N_EXC) != 0 || kids(c, t[i], sub, 0) != 0)
				return format_fail(v, "transform '%s' is not accepted on a kelisim "
					"document (only exclusive C14N)", alg);
		} else if (strcmp(alg, KEL_TRANSFORM_ENVELOPED) == 0 && i == 0 && !r->c14n) {
			r->enveloped = 1;
		} else if (is_c14n(alg) && r->c14n == NULL && i == n - 1 &&
			   kids(c, t[i], sub, 0) == 0) {
			r->c14n = alg;
		} else {
			/* Possibly valid XML-DSig, but not something kelisim will vouch for. */
			return format_indeterminate(v, "SIG_CONSTRAINTS_FAILURE",
				"transform '%s' is not supported", alg);
		}
	}
	if (c->kelisim)
		r->c14n = KEL_C14N_EXC;
	return 0;
}

/* Look an Id up; for URI="" the document itself. */
static xmlNodePtr resolve(struct vctx *c, const char *uri)
{
	if (uri[0] == '\0')
		return (xmlNodePtr)c->xml;
	if (uri[0] != '#' || strchr(uri, '(') != NULL)
		return NULL;
	return xmlHashLookup(c->ids, BAD_CAST uri + 1);
}

static int check_reference(struct vctx *c, struct vsig *v, struct vref *r)
{
	xmlNodePtr k[4];
	int n = kids(c, r->node, k, 4), i = 0;
	const char *uri = attr(r->node, "URI");

	if (n < 2)
		return format_fail(v, "Reference: unexpected content");
	if (uri == NULL)
		return format_fail(v, "Reference without URI");
	if (v->res->nrefs < KEL_MAX_REFS) {
		v->res->refs[v->res->nrefs].uri = kel__strdup(uri);
		v->res->refs[v->res->nrefs++].ok = -1;
	}
	if (kel__is(k[0], KEL_DS_NS, "Transforms")) {
		if (check_transforms(c, v, r, k[0]) < 0)
			return -1;
		i = 1;
	} else if (c->kelisim) {
		return format_fail(v, "Reference '%s' has no transform", uri);
	}
	if (n != i + 2 || !kel__is(k[i], KEL_DS_NS, "DigestMethod") ||
	    !kel__is(k[i + 1], KEL_DS_NS, "DigestValue"))
		return format_fail(v, "Reference '%s': expected DigestMethod and DigestValue", uri);
	r->dalg = kel__digest_alg_by_uri(attr(k[i], "Algorithm"));
	if (r->dalg == NULL)
		return format_indeterminate(v, "CRYPTO_CONSTRAINTS_FAILURE", "digest algorithm '%s' "
			"is not supported", attr(k[i], "Algorithm") ? attr(k[i], "Algorithm") : "");
	v->weak |= r->dalg->weak;
	r->digest_b64 = kel__xml_text(k[i + 1]);
	if (r->digest_b64 == NULL)
		return format_fail(v, "Reference '%s': empty DigestValue", uri);
	if (c->kelisim && (uri[0] != '#' || uri[1] == '\0'))
		return format_fail(v, "Reference URI '%s' is not a same-document Id", uri);
	if ((r->target = resolve(c, uri)) == NULL)
		return format_indeterminate(v, "SIGNED_DATA_NOT_FOUND",
			"Reference URI '%s' points at nothing in the document", uri);
	return 0;
}

static int check_signed_info(struct vctx *c, struct vsig *v)
{
	xmlNodePtr k[KEL_MAX_REFS + 3];
	int n = kids(c, v->signed_info, k, KEL_MAX_REFS + 2);
	xmlNodePtr sub[1];
	const char *sm;

	if (n < 3 || !kel__is(k[0], KEL_DS_NS, "CanonicalizationMethod") ||
	    !kel__is(k[1], KEL_DS_NS, "SignatureMethod"))
		return format_fail(v, "SignedInfo: expected CanonicalizationMethod, "
			"SignatureMethod and at most %d References", KEL_MAX_REFS);
	v->c14n_uri = attr(k[0], "Algorithm");
	if (!is_c14n(v->c14n_uri) || kids(c, k[0], sub, 0) != 0 ||
	    (c->kelisim && strcmp(v->c14n_uri, KEL_C14N_EXC) != 0))
		return format_fail(v, "CanonicalizationMethod '%s' is not accepted",
			v->c14n_uri ? v->c14n_uri : "");
	sm = attr(k[1], "Algorithm");
	v->res->algorithm = kel__strdup(sm ? sm : "");
	if (kids(c, k[1], sub, 0) != 0)
		return format_fail(v, "SignatureMethod: unexpected content");
	if ((v->alg = kel__sig_alg_by_uri(sm)) == NULL)
		return format_indeterminate(v, "CRYPTO_CONSTRAINTS_FAILURE", "signature algorithm "
			"'%s' is not supported by kelisim%s", sm ? sm : "",
			sm && strstr(sm, "gost") ? " (Kazakh GOST algorithms are not available)" : "");
	v->weak |= v->alg->weak;
	v->nrefs = n - 2;
	for (int i = 0; i < v->nrefs; i++) {
		if (!kel__is(k[i + 2], KEL_DS_NS, "Reference"))
			return format_fail(v, "SignedInfo: unexpected element '%s'",
				(const char *)k[i + 2]->name);
		v->refs[i].node = k[i + 2];
		if (check_reference(c, v, &v->refs[i]) < 0)
			return -1;
	}
	return 0;
}

/* The Signature element's children: SignedInfo, SignatureValue, KeyInfo?, Object*. */
static int check_signature_children(struct vctx *c, struct vsig *v, xmlNodePtr *objects,
	int *nobjects)
{
	xmlNodePtr k[MAX_KIDS];
	int n = kids(c, v->sig, k, MAX_KIDS), i = 2;

	if (n < 2 || !kel__is(k[0], KEL_DS_NS, "SignedInfo") ||
	    !kel__is(k[1], KEL_DS_NS, "SignatureValue"))
		return format_fail(v, "Signature: expected SignedInfo then SignatureValue");
	v->signed_info = k[0];
	v->value = k[1];
	if (i < n && kel__is(k[i], KEL_DS_NS, "KeyInfo"))
		v->key_info = k[i++];
	*nobjects = 0;
	for (; i < n; i++) {
		if (!kel__is(k[i], KEL_DS_NS, "Object"))
			return format_fail(v, "Signature: unexpected element '%s'",
				(const char *)k[i]->name);
		objects[(*nobjects)++] = k[i];
	}
	return 0;
}

/* UnsignedProperties may hold counter-signatures, and nothing else. */
static int check_unsigned(struct vctx *c, struct vsig *v, xmlNodePtr up)
{
	xmlNodePtr k[MAX_KIDS], usp[2], cs[2];
	int n;

	if (v->counter_target)
		return format_fail(v, "a counter-signature may not carry unsigned properties");
	if (kids(c, up, usp, 1) != 1 || !kel__is(usp[0], KEL_XADES_NS,
			"UnsignedSignatureProperties"))
		return format_fail(v, "UnsignedProperties: unexpected content");
	if ((n = kids(c, usp[0], k, MAX_KIDS)) < 0)
		return format_fail(v, "UnsignedSignatureProperties: unexpected content");
	for (int i = 0; i < n; i++)
		if (!kel__is(k[i], KEL_XADES_NS, "CounterSignature") || kids(c, k[i], cs, 1) != 1 ||
		    !kel__is(cs[0], KEL_DS_NS, "Signature"))
			return format_fail(v, "UnsignedSignatureProperties: only CounterSignature "
				"is accepted on a kelisim document");
	return 0;
}

static const char *text_of(xmlNodePtr n)
{
	const char *t = kel__xml_text(n);
	return t ? t : "";
}

static int check_signed_signature_properties(struct vctx *c, struct vsig *v, xmlNodePtr ssp)
{
	xmlNodePtr k[4], r[2];
	int n = kids(c, ssp, k, 3), i = 2;

	if (n < 2 || !kel__is(k[0], KEL_XADES_NS, "SigningTime") ||
	    !kel__is(k[1], KEL_XADES_NS, "SigningCertificateV2"))
		return format_fail(v, "SignedSignatureProperties: expected SigningTime and "
			"SigningCertificateV2");
	if (kel__parse_datetime(text_of(k[0]), &v->signing_time) < 0)
		return format_fail(v, "SigningTime '%s' is not a date and time", text_of(k[0]));
	v->res->signing_time = kel__strdup(text_of(k[0]));
	if (i < n && kel__is(k[i], KEL_XADES_NS, "SignerRoleV2")) {
		if (kids(c, k[i], r, 1) != 1 || !kel__is(r[0], KEL_XADES_NS, "ClaimedRoles") ||
		    kids(c, r[0], r, 1) != 1 || !kel__is(r[0], KEL_XADES_NS, "ClaimedRole"))
			return format_fail(v, "SignerRoleV2: expected one ClaimedRole");
		v->res->role = kel__strdup(text_of(r[0]));
		i++;
	}
	if (i != n)
		return format_fail(v, "SignedSignatureProperties: unexpected element '%s'",
			(const char *)k[i]->name);
	return 0;
}

/* Is "#id" the Id of one of this signature's data references? */
static int names_data_reference(struct vsig *v, const char *object_ref)
{
	for (int i = 0; object_ref && object_ref[0] == '#' && i < v->nrefs; i++) {
		const char *id = attr(v->refs[i].node, "Id");
		if (v->refs[i].target != v->sp && id && strcmp(id, object_ref + 1) == 0)
			return 1;
	}
	return 0;
}

static int check_data_object_properties(struct vctx *c, struct vsig *v, xmlNodePtr sdop)
{
	xmlNodePtr k[MAX_KIDS], sub[3];
	int n = kids(c, sdop, k, MAX_KIDS), formats = 0;

	if (n < 0)
		return format_fail(v, "SignedDataObjectProperties: unexpected content");
	for (int i = 0; i < n; i++) {
		if (kel__is(k[i], KEL_XADES_NS, "DataObjectFormat")) {
			if (!names_data_reference(v, attr(k[i], "ObjectReference")))
				return format_fail(v, "DataObjectFormat does not name a data reference "
					"of this signature");
			formats++;
		} else if (kel__is(k[i], KEL_XADES_NS, "CommitmentTypeIndication") &&
			   v->res->commitment == NULL) {
			if (kids(c, k[i], sub, 3) < 1 || !kel__is(sub[0], KEL_XADES_NS,
					"CommitmentTypeId") ||
			    kids(c, sub[0], sub, 3) < 1 || !kel__is(sub[0], KEL_XADES_NS, "Identifier"))
				return format_fail(v, "CommitmentTypeIndication: no identifier");
			v->res->commitment = kel__strdup(text_of(sub[0]));
		} else {
			return format_fail(v, "SignedDataObjectProperties: unexpected element '%s'",
				(const char *)k[i]->name);
		}
	}
	if (v->counter_target == NULL && formats != v->nrefs - 1)
		return format_fail(v, "a DataObjectFormat is required for each signed element");
	return 0;
}

static int check_signed_properties(struct vctx *c, struct vsig *v)
{
	xmlNodePtr k[3];
	int n = kids(c, v->sp, k, 2);

	if (n < 1 || !kel__is(k[0], KEL_XADES_NS, "SignedSignatureProperties"))
		return format_fail(v, "SignedProperties: expected SignedSignatureProperties");
	if (check_signed_signature_properties(c, v, k[0]) < 0)
		return -1;
	if (n == 2 && !kel__is(k[1], KEL_XADES_NS, "SignedDataObjectProperties"))
		return format_fail(v, "SignedProperties: unexpected element '%s'",
			(const char *)k[1]->name);
	if (n == 2)
		return check_data_object_properties(c, v, k[1]);
	if (v->counter_target == NULL)
		return format_fail(v, "SignedProperties: no SignedDataObjectProperties");
	return 0;
}

/* The one Object, holding the one QualifyingProperties bound to this signature. */
static int check_qualifying_properties(struct vctx *c, struct vsig *v, xmlNodePtr *objects,
	int nobjects)
{
	xmlNodePtr k[3];
	const char *sig_id = attr(v->sig, "Id"), *target;
	int n;

	if (sig_id == NULL || sig_id[0] == '\0')
		return format_fail(v, "Signature without Id");
	if (nobjects != 1 || kids(c, objects[0], k, 1) != 1 ||
	    !kel__is(k[0], KEL_XADES_NS, "QualifyingProperties"))
		return format_fail(v, "Signature: expected one Object with QualifyingProperties");
	v->qp = k[0];
	target = attr(v->qp, "Target");
	if (target == NULL || target[0] != '#' || strcmp(target + 1, sig_id) != 0)
		return format_fail(v, "QualifyingProperties Target '%s' is not this signature",
			target ? target : "");
	n = kids(c, v->qp, k, 2);
	if (n < 1 || !kel__is(k[0], KEL_XADES_NS, "SignedProperties"))
		return format_fail(v, "QualifyingProperties: expected SignedProperties first");
	v->sp = k[0];
	if (n == 2 && (!kel__is(k[1], KEL_XADES_NS, "UnsignedProperties") ||
			check_unsigned(c, v, k[1]) < 0))
		return v->res->sub ? -1 : format_fail(v, "QualifyingProperties: unexpected element");
	v->xades = 1;
	return 0;
}

/* Every reference lands on an expected element, once; every expected element is covered. */
static int check_placement(struct vctx *c, struct vsig *v)
{
	xmlNodePtr root = xmlDocGetRootElement(c->xml);
	xmlNodePtr expected[3];
	const char *types[3];
	int nexp = 0, seen[3] = { 0, 0, 0 };

	if (v->counter_target) {
		expected[nexp] = v->counter_target;
		types[nexp++] = KEL_TYPE_COUNTERSIGNED;
	} else {
		expected[nexp] = kel__xml_child(root, "Content");
		types[nexp++] = NULL;
		expected[nexp] = kel__xml_child(root, "Verification");
		types[nexp++] = NULL;
	}
	expected[nexp] = v->sp;
	types[nexp++] = KEL_TYPE_SIGNED_PROPS;

	for (int i = 0; i < v->nrefs; i++) {
		const char *uri = attr(v->refs[i].node, "URI"), *type = attr(v->refs[i].node, "Type");
		int j;
		for (j = 0; j < nexp && expected[j] != v->refs[i].target; j++)
			;
		if (j == nexp || expected[j] == NULL)
			return format_fail(v, "Reference '%s' points at an element that kelisim "
				"signatures do not sign (wrapped or moved?)", uri);
		if (seen[j]++)
			return format_fail(v, "two References point at the same element ('%s')", uri);
		if ((types[j] == NULL) != (type == NULL) ||
		    (type && strcmp(type, types[j]) != 0))
			return format_fail(v, "Reference '%s' has Type '%s'", uri, type ? type : "");
	}
	for (int j = 0; j < nexp; j++)
		if (!seen[j])
			return format_fail(v, "%s is not covered by a reference",
				expected[j] == v->sp ? "the SignedProperties" :
				expected[j] == v->counter_target ? "the counter-signed SignatureValue" :
				(const char *)expected[j]->name);
	return 0;
}

int kel__vs_structure(struct vctx *c, struct vsig *v)
{
	xmlNodePtr objects[MAX_KIDS];
	int nobjects = 0;

	if (check_signature_children(c, v, objects, &nobjects) < 0)
		return -1;
	if (c->kelisim && check_qualifying_properties(c, v, objects, nobjects) < 0)
		return -1;
	if (check_signed_info(c, v) < 0)
		return -1;
	if (c->kelisim && (check_placement(c, v) < 0 || check_signed_properties(c, v) < 0))
		return -1;
	v->res->blocks[KEL_BLOCK_FORMAT] = KEL_BLOCK_PASSED;
	return 0;
}
