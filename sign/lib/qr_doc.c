/*
 * The QR code and the document: the Content digest, the payload describing a document, the
 * Verification element that holds both with the images, and the checks of a payload against
 * a document.
 */
#include <stdlib.h>
#include <string.h>
#include <libxml/c14n.h>
#include <openssl/x509.h>

#include "qr_internal.h"
#include "doc_internal.h"
#include "xades_internal.h"
#include "xml_safe.h"
#include "schema.h"
#include "buf_internal.h"
#include "error_internal.h"

#define SHA256_URI "http://www.w3.org/2001/04/xmlenc#sha256"

/*
 * The same canonical form and digest as the XAdES reference to #content-<id> (exclusive C14N
 * without comments, SHA-256), so the two can be compared byte for byte.
 */
int kel_qr_content_digest(unsigned char out[KEL_QR_DIGEST_LEN], const kel_doc *doc)
{
	xmlNodePtr content;
	xmlChar *c14n = NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	int len = 0, n, rc;

	if (out == NULL || doc == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_content_digest: NULL argument");
	content = kel__xml_child(xmlDocGetRootElement(doc->xml), "Content");
	if (content == NULL)
		return kel_fail(KEL_EINVALID, "document: no Content element");
	if ((rc = kel__c14n(content, XML_C14N_EXCLUSIVE_1_0, 0, NULL, &c14n, &len)) < 0)
		return rc;
	n = kel__digest(kel__md("SHA256"), c14n, (size_t)len, md);
	xmlFree(c14n);
	if (n != KEL_QR_DIGEST_LEN)
		return kel_fail_openssl(KEL_ECRYPTO, "cannot digest the Content");
	memcpy(out, md, KEL_QR_DIGEST_LEN);
	return 0;
}

int kel_qr_payload_from_doc(kel_qr_payload *out, const kel_doc *doc, const char *verify_url)
{
	const char *why;

	if (out == NULL || doc == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_payload_from_doc: NULL argument");
	memset(out, 0, sizeof(*out));
	if (verify_url && *verify_url) {
		if ((why = kel__qr_url_problem(verify_url)) != NULL)
			return kel_fail(KEL_EINVAL, "verification URL '%s': %s", verify_url, why);
		strcpy(out->url_prefix, verify_url);
	}
	out->version = KEL_QR_FORMAT_VERSION;
	strcpy(out->doc_id, doc->id);
	out->type = doc->type;
	/* The date of issue is the UTC date of the header's IssuedAt (YYYY-MM-DDThh:mm:ssZ). */
	memcpy(out->issue_date, doc->issued_at, 10);
	out->issue_date[10] = '\0';
	strcpy(out->operator_bin, doc->operator_bin);
	return kel_qr_content_digest(out->content_digest, doc);
}

int kel_qr_payload_check_doc(const kel_qr_payload *p, const kel_doc *doc)
{
	unsigned char digest[KEL_QR_DIGEST_LEN];
	int rc;

	if (p == NULL || doc == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_payload_check_doc: NULL argument");
	if (strcmp(p->doc_id, doc->id) != 0)
		return kel_fail(KEL_EINVALID, "QR payload: document id '%s' is not the document's "
			"'%s'", p->doc_id, doc->id);
	if (p->type != doc->type)
		return kel_fail(KEL_EINVALID, "QR payload: type differs from the document's");
	if (strncmp(p->issue_date, doc->issued_at, 10) != 0)
		return kel_fail(KEL_EINVALID, "QR payload: issue date '%s' is not the document's",
			p->issue_date);
	if (strcmp(p->operator_bin, doc->operator_bin) != 0)
		return kel_fail(KEL_EINVALID, "QR payload: operator BIN '%s' is not the document's",
			p->operator_bin);
	if ((rc = kel_qr_content_digest(digest, doc)) < 0)
		return rc;
	if (memcmp(digest, p->content_digest, sizeof(digest)) != 0)
		return kel_fail(KEL_EINVALID, "QR payload: content digest differs from the "
			"document's Content");
	return 0;
}

static xmlNodePtr verification_of(const kel_doc *doc)
{
	return kel__xml_child(xmlDocGetRootElement(doc->xml), "Verification");
}

int kel_qr_doc_payload(kel_qr_payload *out, const kel_doc *doc)
{
	const char *text;

	if (out == NULL || doc == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_doc_payload: NULL argument");
	text = kel__xml_text(kel__xml_child(verification_of(doc), "Payload"));
	if (text == NULL) {
		memset(out, 0, sizeof(*out));
		return kel_fail(KEL_ENOTFOUND, "Verification: the document has no QR payload");
	}
	return kel_qr_payload_parse(out, text, strlen(text));
}

int kel_qr_doc_find_cert(kel_buf *der, const kel_qr_payload *p, const kel_doc *doc)
{
	xmlNodePtr sigs;
	int rc = 1;

	if (der == NULL || p == NULL || doc == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_doc_find_cert: NULL argument");
	sigs = kel__xml_child(xmlDocGetRootElement(doc->xml), "Signatures");
	/* A depth-first walk of Signatures: certificates sit in KeyInfo/X509Data. */
	for (xmlNodePtr n = sigs ? sigs->children : NULL; n && rc > 0; ) {
		if (kel__is(n, KEL_DS_NS, "X509Certificate") && kel__xml_text(n)) {
			unsigned char *bin = NULL, kid[KEL_QR_KEY_ID_LEN];
			int len = kel__unbase64(kel__xml_text(n), &bin);
			if (len > 0 && kel_qr_cert_key_id(kid, (const char *)bin, (size_t)len) == 0 &&
			    memcmp(kid, p->key_id, sizeof(kid)) == 0) {
				kel_buf_clear(der);
				rc = kel_buf_put(der, bin, (size_t)len);
			}
			free(bin);
		}
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n != sigs && n->next == NULL)
			n = n->parent;
		n = n == sigs ? NULL : n->next;
	}
	if (rc > 0)
		return kel_fail(KEL_ENOTFOUND, "Signatures: no certificate with the payload's key id");
	return rc;
}

/* ---- filling Verification -------------------------------------------------------- */

/* The digest a filled Verification holds must still be that of the Content beside it. */
static int check_kept(const kel_doc *doc, xmlNodePtr verification)
{
	unsigned char digest[KEL_QR_DIGEST_LEN], *held = NULL;
	const char *text = kel__xml_text(kel__xml_child(verification, "ContentDigest"));
	int len = text ? kel__unbase64(text, &held) : -1, rc;

	if ((rc = kel_qr_content_digest(digest, doc)) == 0 &&
	    (len != KEL_QR_DIGEST_LEN || memcmp(held, digest, sizeof(digest)) != 0))
		rc = kel_fail(KEL_EINVALID, "Verification/ContentDigest: not the digest of the "
			"document's Content; the QR code it holds is for other content");
	free(held);
	return rc;
}

/* Append "\n    <name attr=value>text</name>" to v; NULL when out of memory. */
static xmlNodePtr add_child(xmlNodePtr v, const char *name, const char *attr,
	const char *value, const char *text)
{
	xmlNodePtr n;

	if (!xmlAddChild(v, xmlNewDocText(v->doc, BAD_CAST "\n    ")))
		return NULL;
	if ((n = xmlNewTextChild(v, v->ns, BAD_CAST name, BAD_CAST text)) == NULL)
		return NULL;
	if (attr && !xmlNewProp(n, BAD_CAST attr, BAD_CAST value))
		return NULL;
	return n;
}

/* The four children, indented like the rest of a document kel_doc_new() writes. */
static int build(xmlNodePtr v, const kel_qr_payload *p, const kel_buf *png, const kel_buf *svg)
{
	char *digest = kel__base64(p->content_digest, KEL_QR_DIGEST_LEN);
	char *png64 = kel__base64((const unsigned char *)png->ptr, png->size);
	char *svg64 = kel__base64((const unsigned char *)svg->ptr, svg->size);
	int ok = digest && png64 && svg64 &&
		add_child(v, "ContentDigest", "Algorithm", SHA256_URI, digest) &&
		add_child(v, "Payload", NULL, NULL, p->text) &&
		add_child(v, "Image", "MediaType", "image/png", png64) &&
		add_child(v, "Image", "MediaType", "image/svg+xml", svg64) &&
		xmlAddChild(v, xmlNewDocText(v->doc, BAD_CAST "\n  "));

	free(digest);
	free(png64);
	free(svg64);
	return ok ? 0 : kel_fail(KEL_ENOMEM, "out of memory");
}

/* Remove the children of v that come after after (all of them when after is NULL). */
static void remove_after(xmlNodePtr v, xmlNodePtr after)
{
	xmlNodePtr c = after ? after->next : v->children;

	while (c) {
		xmlNodePtr next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
		c = next;
	}
}

static int fill(kel_doc *doc, xmlNodePtr v, const kel_key *key, const kel_qr_options *opts)
{
	kel_qr_payload *p = malloc(sizeof(*p));
	kel_buf png = KEL_BUF_INIT, svg = KEL_BUF_INIT;
	unsigned int px = opts ? opts->module_px : 0;
	xmlNodePtr last;
	int rc;

	if (p == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	if ((rc = kel_qr_payload_from_doc(p, doc, opts ? opts->verify_url : NULL)) < 0 ||
	    (rc = kel_qr_payload_sign(p, key)) < 0 ||
	    (rc = kel_qr_png(&png, p->text, p->text_len, px)) < 0 ||
	    (rc = kel_qr_svg(&svg, p->text, p->text_len, px)) < 0)
		goto done;
	/* v holds no element; whitespace it may hold stays where it is. */
	last = v->last;
	rc = build(v, p, &png, &svg);
	/* The schema is the last word on what a document holds; a refusal undoes the step. */
	if (rc == 0)
		rc = kel__schema_validate(doc->xml);
	if (rc < 0)
		remove_after(v, last);
done:
	kel_buf_dispose(&png);
	kel_buf_dispose(&svg);
	free(p);
	return rc;
}

int kel_qr_doc_fill(kel_doc *doc, const kel_key *key, const kel_qr_options *opts, int *filled)
{
	xmlNodePtr v;
	int rc;

	if (filled)
		*filled = 0;
	if (doc == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_doc_fill: NULL argument");
	if (opts && opts->version != KEL_QR_OPTIONS_VERSION)
		return kel_fail(KEL_EINVAL, "kel_qr_doc_fill: options version %u not supported",
			opts->version);
	if ((v = verification_of(doc)) == NULL)
		return kel_fail(KEL_EINVALID, "document: no Verification element");
	if (kel__xml_first_element(v))
		return check_kept(doc, v);
	/* Every signature covers Verification: filling it now would break them all. */
	if (kel__xml_first_element(kel__xml_child(xmlDocGetRootElement(doc->xml), "Signatures")))
		return kel_fail(KEL_EINVALID, "Verification: empty in a document that is already "
			"signed; a QR code added now would break its signatures");
	if (key == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_doc_fill: a key is needed to seal the QR code");
	if ((rc = fill(doc, v, key, opts)) < 0)
		return rc;
	if (filled)
		*filled = 1;
	return 0;
}
