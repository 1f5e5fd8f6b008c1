/*
 * The QR code of a document: the Content digest (computed again here with libxml2's own
 * node-set canonicalisation, and compared with the XAdES reference), the Verification element
 * filled once and kept after, and payloads checked against the document they claim.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <openssl/evp.h>

#include "helpers.h"
#include "qr_test.h"
#include "qr_internal.h"
#include "xades_internal.h"
#include "xml_safe.h"

/* The element named name (any namespace) at position index in document order, or NULL. */
static xmlNodePtr find(xmlNodePtr n, const char *name, int *index)
{
	for (; n; n = n->next) {
		xmlNodePtr hit;
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 &&
		    (*index)-- == 0)
			return n;
		if ((hit = find(n->children, name, index)) != NULL)
			return hit;
	}
	return NULL;
}

static xmlNodePtr nth(xmlDocPtr doc, const char *name, int index)
{
	return find(doc->children, name, &index);
}

static xmlDocPtr tree_of(const kel_doc *doc)
{
	size_t len;
	char *xml = tq_xml(doc, &len);
	xmlDocPtr tree = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET);

	free(xml);
	ck_assert_ptr_nonnull(tree);
	return tree;
}

/* Base64 text of an element decoded; the length. */
static int unbase64_of(xmlNodePtr n, unsigned char **out)
{
	xmlChar *text = xmlNodeGetContent(n);
	int len = kel__unbase64((const char *)text, out);

	xmlFree(text);
	ck_assert_int_gt(len, 0);
	return len;
}

/* Exclusive C14N of Content by the XML-DSig recipe: an XPath node-set of its subtree. */
static void digest_by_xpath(const kel_doc *doc, unsigned char out[32])
{
	xmlDocPtr tree = tree_of(doc);
	xmlXPathContextPtr ctx = xmlXPathNewContext(tree);
	xmlXPathObjectPtr set = xmlXPathEvalExpression(BAD_CAST "(//. | //@* | //namespace::*)"
		"[ancestor-or-self::*[local-name()='Content']]", ctx);
	xmlChar *c14n = NULL;
	int len;

	ck_assert_ptr_nonnull(set);
	len = xmlC14NDocDumpMemory(tree, set->nodesetval, XML_C14N_EXCLUSIVE_1_0, NULL, 0, &c14n);
	ck_assert_int_gt(len, 1000);
	ck_assert_int_eq(strncmp((const char *)c14n,
		"<Content xmlns=\"urn:kelisim:consent:1\" Id=\"content-", 51), 0);
	ck_assert_int_eq(EVP_Digest(c14n, (size_t)len, out, NULL, EVP_sha256(), NULL), 1);
	xmlFree(c14n);
	xmlXPathFreeObject(set);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(tree);
}

START_TEST(test_qr__content_digest)
{
	kel_doc *doc = tq_doc("consent");
	kel_key *key = tq_key("operator");
	unsigned char mine[32], theirs[32], *ref = NULL;
	char uri[64];
	xmlDocPtr tree;
	int i;

	ck_assert_int_eq(kel_qr_content_digest(mine, doc), 0);
	digest_by_xpath(doc, theirs);
	ck_assert_int_eq(memcmp(mine, theirs, 32), 0);

	/* A XAdES signature's reference to Content carries the same digest. */
	ck_assert_msg(kel_xades_sign(doc, key, NULL) == 0, "%s", th_error_message());
	tree = tree_of(doc);
	snprintf(uri, sizeof(uri), "#content-%s", kel_doc_id(doc));
	for (i = 0; nth(tree, "Reference", i); i++) {
		xmlChar *u = xmlGetProp(nth(tree, "Reference", i), BAD_CAST "URI");
		int hit = u && strcmp((const char *)u, uri) == 0;
		xmlFree(u);
		if (hit)
			break;
	}
	ck_assert_ptr_nonnull(nth(tree, "Reference", i));
	ck_assert_int_eq(unbase64_of(kel__ds_child(nth(tree, "Reference", i), KEL_DS_NS,
		"DigestValue"), &ref), 32);
	ck_assert_int_eq(memcmp(ref, mine, 32), 0);
	free(ref);
	xmlFreeDoc(tree);
	kel_key_free(key);
	kel_doc_free(doc);
}
END_TEST

START_TEST(test_qr__fill_and_read_back)
{
	kel_doc *doc = tq_doc("consent"), *back = NULL;
	kel_key *key = tq_key("operator");
	kel_qr_options opts = KEL_QR_OPTIONS_INIT;
	kel_qr_payload p;
	kel_buf text = KEL_BUF_INIT;
	unsigned char digest[32], *bin = NULL;
	size_t cert_len, len;
	char *cert = tq_pki_file("operator.crt", &cert_len), *xml;
	xmlDocPtr tree, svg;
	xmlNodePtr v, c;
	xmlChar *attr;
	int filled = -1, n;

	opts.verify_url = TQ_URL40;
	ck_assert_msg(kel_qr_doc_fill(doc, key, &opts, &filled) == 0, "%s", th_error_message());
	ck_assert_int_eq(filled, 1);

	/* What was written reads back through the schema and the rules. */
	xml = tq_xml(doc, &len);
	ck_assert_msg(kel_doc_parse(&back, xml, len) == 0, "%s", th_error_message());
	ck_assert_msg(kel_qr_doc_payload(&p, back) == 0, "%s", th_error_message());
	ck_assert_str_eq(p.url_prefix, TQ_URL40);
	ck_assert_str_eq(p.doc_id, kel_doc_id(doc));
	ck_assert_int_eq(kel_qr_payload_verify(&p, cert, cert_len), 0);
	ck_assert_int_eq(kel_qr_payload_check_doc(&p, back), 0);

	/* ContentDigest, Payload, the PNG and the SVG, in that order. */
	tree = tree_of(doc);
	v = nth(tree, "Verification", 0);
	c = kel__xml_first_element(v);
	ck_assert_str_eq((const char *)c->name, "ContentDigest");
	attr = xmlGetProp(c, BAD_CAST "Algorithm");
	ck_assert_str_eq((const char *)attr, "http://www.w3.org/2001/04/xmlenc#sha256");
	xmlFree(attr);
	ck_assert_int_eq(kel_qr_content_digest(digest, doc), 0);
	ck_assert_int_eq(unbase64_of(c, &bin), 32);
	ck_assert_int_eq(memcmp(bin, digest, 32), 0);
	free(bin);
	c = kel__xml_next_element(c);
	ck_assert_str_eq((const char *)c->name, "Payload");
	ck_assert_str_eq(kel__xml_text(c), p.text);
	c = kel__xml_next_element(c);
	attr = xmlGetProp(c, BAD_CAST "MediaType");
	ck_assert_str_eq((const char *)attr, "image/png");
	xmlFree(attr);
	n = unbase64_of(c, &bin);
	ck_assert_int_eq(kel_qr_decode_png(&text, bin, (size_t)n), 0);
	ck_assert_str_eq(text.ptr, p.text);
	free(bin);
	c = kel__xml_next_element(c);
	attr = xmlGetProp(c, BAD_CAST "MediaType");
	ck_assert_str_eq((const char *)attr, "image/svg+xml");
	xmlFree(attr);
	n = unbase64_of(c, &bin);
	ck_assert_int_eq(kel__xml_parse(&svg, (const char *)bin, (size_t)n, "svg"), 0);
	xmlFreeDoc(svg);
	free(bin);
	ck_assert_ptr_null(kel__xml_next_element(c));
	/* Indented like the rest of the document. */
	ck_assert_ptr_nonnull(strstr(xml, "\n    <Payload>"));
	ck_assert_ptr_nonnull(strstr(xml, "</Image>\n  </Verification>"));

	xmlFreeDoc(tree);
	kel_buf_dispose(&text);
	free(xml);
	free(cert);
	kel_doc_free(back);
	kel_key_free(key);
	kel_doc_free(doc);
}
END_TEST

START_TEST(test_qr__each_type)
{
	static const char *const types[] = { "consent", "transfer-notice",
		"cross-border-consent", "withdrawal" };
	kel_key *key = tq_key("operator");
	kel_qr_payload p;

	for (int i = 0; i < 4; i++) {
		kel_doc *doc = tq_doc(types[i]);
		ck_assert_msg(kel_qr_doc_fill(doc, key, NULL, NULL) == 0, "%s: %s", types[i],
			th_error_message());
		ck_assert_int_eq(kel_qr_doc_payload(&p, doc), 0);
		ck_assert_int_eq(p.type, kel_doc_get_type(doc));
		ck_assert_str_eq(p.issue_date, "2026-11-18");
		ck_assert_str_eq(p.url_prefix, "");
		ck_assert_int_eq(kel_qr_payload_check_doc(&p, doc), 0);
		kel_doc_free(doc);
	}
	kel_key_free(key);
}
END_TEST

/* A document that has its code keeps it, whatever key signs it next. */
START_TEST(test_qr__fill_keeps_existing_code)
{
	kel_doc *doc = tq_doc("consent"), *back = NULL;
	kel_key *key = tq_key("operator"), *rsa = tq_key("clerk"), *other;
	kel_qr_payload first, now;
	size_t len, other_len;
	char *xml, *again, *other_cert;
	int filled = -1;

	other = tq_other_p256_key(&other_cert, &other_len);
	ck_assert_int_eq(kel_qr_doc_fill(doc, key, NULL, &filled), 0);
	ck_assert_int_eq(filled, 1);
	ck_assert_int_eq(kel_qr_doc_payload(&first, doc), 0);
	xml = tq_xml(doc, &len);

	ck_assert_int_eq(kel_qr_doc_fill(doc, other, NULL, &filled), 0);
	ck_assert_int_eq(filled, 0);
	ck_assert_int_eq(kel_qr_doc_fill(doc, rsa, NULL, &filled), 0);
	ck_assert_int_eq(kel_qr_doc_fill(doc, NULL, NULL, &filled), 0);
	ck_assert_int_eq(filled, 0);
	again = tq_xml(doc, NULL);
	ck_assert_str_eq(again, xml);
	free(again);

	/* Read back from its bytes, and after a signature: still kept. */
	ck_assert_int_eq(kel_doc_parse(&back, xml, len), 0);
	ck_assert_int_eq(kel_xades_sign(back, rsa, NULL), 0);
	ck_assert_int_eq(kel_qr_doc_fill(back, other, NULL, &filled), 0);
	ck_assert_int_eq(filled, 0);
	ck_assert_int_eq(kel_qr_doc_payload(&now, back), 0);
	ck_assert_str_eq(now.text, first.text);

	free(xml);
	free(other_cert);
	kel_doc_free(back);
	kel_key_free(other);
	kel_key_free(rsa);
	kel_key_free(key);
	kel_doc_free(doc);
}
END_TEST

#define ck_fill_refused(doc, key, opts, code, words) do { \
	char *before_ = tq_xml((doc), NULL), *after_; \
	int filled_ = -1; \
	ck_assert_int_eq(kel_qr_doc_fill((doc), (key), (opts), &filled_), (code)); \
	ck_assert_int_eq(filled_, 0); \
	ck_assert_msg(strstr(th_error_message(), (words)) != NULL, "expected '%s' in: %s", \
		(words), th_error_message()); \
	after_ = tq_xml((doc), NULL); \
	ck_assert_str_eq(after_, before_); \
	free(before_); \
	free(after_); \
} while (0)

START_TEST(test_qr__fill_refusals)
{
	kel_doc *doc = tq_doc("consent");
	kel_key *key = tq_key("operator"), *rsa = tq_key("clerk"), *p384 = tq_key("operator-p384");
	kel_qr_options opts = KEL_QR_OPTIONS_INIT;

	ck_fill_refused(doc, rsa, NULL, KEL_EUNSUPPORTED, "needs an ECDSA P-256 key, not RSA");
	ck_fill_refused(doc, p384, NULL, KEL_EUNSUPPORTED, "needs an ECDSA P-256 key");
	ck_fill_refused(doc, NULL, NULL, KEL_EINVAL, "a key is needed");
	opts.verify_url = "http://verify.example.kz/";
	ck_fill_refused(doc, key, &opts, KEL_EINVAL, "must begin with https://");
	opts.verify_url = NULL;
	opts.module_px = 40;
	ck_fill_refused(doc, key, &opts, KEL_EINVAL, "module size 40");
	opts.module_px = 0;
	opts.version = 99;
	ck_fill_refused(doc, key, &opts, KEL_EINVAL, "options version 99");
	ck_assert_int_eq(kel_qr_doc_fill(NULL, key, NULL, NULL), KEL_EINVAL);

	/* Signed before the QR step: filling Verification now would break the signature. */
	ck_assert_int_eq(kel_xades_sign(doc, rsa, NULL), 0);
	ck_fill_refused(doc, key, NULL, KEL_EINVALID, "already signed");
	kel_key_free(p384);
	kel_key_free(rsa);
	kel_key_free(key);
	kel_doc_free(doc);
}
END_TEST

START_TEST(test_qr__payload_of_another_document_refused)
{
	kel_doc *a = tq_doc("consent"), *b = tq_doc("consent"), *t = tq_doc("transfer-notice");
	kel_key *key = tq_key("operator");
	size_t cert_len;
	char *cert = tq_pki_file("operator.crt", &cert_len);
	kel_qr_payload pa, forged;

	ck_assert_int_eq(kel_qr_doc_fill(a, key, NULL, NULL), 0);
	ck_assert_int_eq(kel_qr_doc_fill(b, key, NULL, NULL), 0);
	ck_assert_int_eq(kel_qr_doc_payload(&pa, a), 0);
	/* A genuine seal, shown with the wrong document. */
	ck_assert_int_eq(kel_qr_payload_verify(&pa, cert, cert_len), 0);
	ck_assert_int_eq(kel_qr_payload_check_doc(&pa, b), KEL_EINVALID);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "document id"));
	ck_assert_int_eq(kel_qr_payload_check_doc(&pa, t), KEL_EINVALID);
	/* The same id on another type, date, BIN or Content: each named. */
	forged = pa;
	forged.type = KEL_DOC_WITHDRAWAL;
	ck_assert_int_eq(kel_qr_payload_check_doc(&forged, a), KEL_EINVALID);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "type differs"));
	forged = pa;
	strcpy(forged.issue_date, "2026-11-19");
	ck_assert_int_eq(kel_qr_payload_check_doc(&forged, a), KEL_EINVALID);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "issue date '2026-11-19'"));
	forged = pa;
	strcpy(forged.operator_bin, "130340020239");
	ck_assert_int_eq(kel_qr_payload_check_doc(&forged, a), KEL_EINVALID);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "operator BIN '130340020239'"));
	forged = pa;
	ck_assert_int_eq(kel_qr_content_digest(forged.content_digest, b), 0);
	ck_assert_int_eq(kel_qr_payload_check_doc(&forged, a), KEL_EINVALID);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "content digest"));
	free(cert);
	kel_key_free(key);
	kel_doc_free(t);
	kel_doc_free(b);
	kel_doc_free(a);
}
END_TEST

/* Replace the first occurrence of from in *xml with to (reallocated). */
static void replace(char **xml, const char *from, const char *to)
{
	char *at = strstr(*xml, from), *out;
	size_t head;

	ck_assert_msg(at != NULL, "'%s' not in the document", from);
	head = (size_t)(at - *xml);
	out = malloc(strlen(*xml) - strlen(from) + strlen(to) + 1);
	memcpy(out, *xml, head);
	strcpy(out + head, to);
	strcat(out, at + strlen(from));
	free(*xml);
	*xml = out;
}

static int parse(kel_doc **doc, const char *xml)
{
	*doc = NULL;
	return kel_doc_parse(doc, xml, strlen(xml));
}

START_TEST(test_qr__content_changed_refused)
{
	kel_doc *doc = tq_doc("consent"), *changed;
	kel_key *key = tq_key("operator");
	size_t cert_len;
	char *cert = tq_pki_file("operator.crt", &cert_len), *xml;
	kel_qr_payload p;

	ck_assert_int_eq(kel_qr_doc_fill(doc, key, NULL, NULL), 0);
	xml = tq_xml(doc, NULL);
	/* The subject's name changed in Content; the code left as it was. */
	replace(&xml, "<FullName>Серікбаев Арман Қайратұлы</FullName>",
		"<FullName>Серікбаев Арман Қайратович</FullName>");
	ck_assert_msg(parse(&changed, xml) == 0, "%s", th_error_message());
	ck_assert_int_eq(kel_qr_doc_payload(&p, changed), 0);
	ck_assert_int_eq(kel_qr_payload_verify(&p, cert, cert_len), 0);   /* the seal is intact */
	ck_assert_int_eq(kel_qr_payload_check_doc(&p, changed), KEL_EINVALID);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "content digest differs"));
	/* Nor is that code kept for the new content when the document is sealed again. */
	ck_fill_refused(changed, key, NULL, KEL_EINVALID, "Verification/ContentDigest");
	free(xml);
	free(cert);
	kel_doc_free(changed);
	kel_key_free(key);
	kel_doc_free(doc);
}
END_TEST

/* The schema takes an empty Verification, or a complete one, nothing in between. */
START_TEST(test_qr__schema_of_verification)
{
	kel_doc *doc = tq_doc("consent"), *out;
	kel_key *key = tq_key("operator");
	char *xml, *start, *end, *copy;

	ck_assert_int_eq(kel_qr_doc_fill(doc, key, NULL, NULL), 0);
	xml = tq_xml(doc, NULL);
	ck_assert_int_eq(parse(&out, xml), 0);
	kel_doc_free(out);

	copy = strdup(xml);   /* without its Payload */
	start = strstr(copy, "<Payload>");
	end = strstr(copy, "</Payload>") + strlen("</Payload>");
	memmove(start, end, strlen(end) + 1);
	ck_assert_int_eq(parse(&out, copy), KEL_EINVALID);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "Image"));
	free(copy);

	copy = strdup(xml);   /* a blank in the payload */
	replace(&copy, "<Payload>K1.", "<Payload>K1. ");
	ck_assert_int_eq(parse(&out, copy), KEL_EINVALID);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "Payload"));
	free(copy);

	copy = strdup(xml);   /* no image */
	start = strstr(copy, "<Image");
	end = strstr(copy, "</Verification>");
	memmove(start, end, strlen(end) + 1);
	ck_assert_int_eq(parse(&out, copy), KEL_EINVALID);
	free(copy);
	free(xml);
	kel_key_free(key);
	kel_doc_free(doc);
}
END_TEST

START_TEST(test_qr__certificate_from_signatures)
{
	kel_doc *doc = tq_doc("consent");
	kel_key *key = tq_key("operator"), *rsa = tq_key("clerk");
	kel_buf der = KEL_BUF_INIT;
	kel_qr_payload p;

	ck_assert_int_eq(kel_qr_doc_fill(doc, key, NULL, NULL), 0);
	ck_assert_int_eq(kel_qr_doc_payload(&p, doc), 0);
	ck_assert_int_eq(kel_qr_doc_find_cert(&der, &p, doc), KEL_ENOTFOUND);
	/* The clerk's signature carries the clerk's certificate: not the seal's. */
	ck_assert_int_eq(kel_xades_sign(doc, rsa, NULL), 0);
	ck_assert_int_eq(kel_qr_doc_find_cert(&der, &p, doc), KEL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "no certificate with the payload's key id"));
	/* The operator's does. */
	ck_assert_int_eq(kel_xades_sign(doc, key, NULL), 0);
	ck_assert_msg(kel_qr_doc_find_cert(&der, &p, doc) == 0, "%s", th_error_message());
	ck_assert_int_eq(kel_qr_payload_verify(&p, der.ptr, der.size), 0);
	kel_buf_dispose(&der);
	kel_key_free(rsa);
	kel_key_free(key);
	kel_doc_free(doc);
}
END_TEST

TCase *tq_doc_tcase(void)
{
	TCase *tc = tcase_create("doc");

	tcase_add_test(tc, test_qr__content_digest);
	tcase_add_test(tc, test_qr__fill_and_read_back);
	tcase_add_test(tc, test_qr__each_type);
	tcase_add_test(tc, test_qr__fill_keeps_existing_code);
	tcase_add_test(tc, test_qr__fill_refusals);
	tcase_add_test(tc, test_qr__payload_of_another_document_refused);
	tcase_add_test(tc, test_qr__content_changed_refused);
	tcase_add_test(tc, test_qr__schema_of_verification);
	tcase_add_test(tc, test_qr__certificate_from_signatures);
	return tc;
}
