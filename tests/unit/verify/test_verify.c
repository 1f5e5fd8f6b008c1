/*
 * Verification: good signatures pass, and each forgery of the hardening list is caught with
 * the exact indication and sub-indication.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <check.h>
#include <libxml/tree.h>

#include "helpers.h"
#include "forge.h"
#include "xades_internal.h"
#include "verify_internal.h"
#include "xml_safe.h"

#define PASSED KEL_INDICATION_PASSED
#define FAILED KEL_INDICATION_FAILED
#define INDET KEL_INDICATION_INDETERMINATE

/* Verify the tree, expect signature 0's verdict, free both. */
static void expect_tree(xmlDocPtr doc, int allow_weak, kel_indication ind, const char *sub)
{
	kel_report *r = tk_verify_tree(doc, allow_weak);
	tk_expect(r, 0, ind, sub);
	ck_assert_int_ne(kel_report_indication(r), ind == PASSED ? FAILED : PASSED);
	kel_report_free(r);
	xmlFreeDoc(doc);
}

START_TEST(test_verify__good_signature_passes)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	kel_report *r = tk_verify_tree(doc, 0);
	kel_buf json = KEL_BUF_INIT, text = KEL_BUF_INIT;
	const kel_sig_result *s = kel_report_signature(r, 0);

	tk_expect(r, 0, PASSED, NULL);
	ck_assert_int_eq(kel_report_indication(r), PASSED);
	ck_assert(kel_report_is_kelisim(r));
	ck_assert_str_eq(kel_sig_level(s), "XAdES-B-B");
	ck_assert_ptr_nonnull(strstr(kel_sig_signer_subject(s), "Test Operator"));
	ck_assert_uint_eq(kel_sig_reference_count(s), 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(kel_sig_reference_ok(s, i), 1);
	for (int b = 0; b < KEL_BLOCK_COUNT; b++)
		ck_assert_int_eq(kel_sig_block(s, (kel_block)b), KEL_BLOCK_PASSED);
	/* The report names the chain up to the anchor that vouched for the signer. */
	ck_assert_uint_eq(kel_sig_chain_count(s), 3);
	ck_assert_str_eq(kel_sig_chain_subject(s, 0), kel_sig_signer_subject(s));
	ck_assert_ptr_nonnull(strstr(kel_sig_chain_subject(s, 2), "Root"));
	ck_assert_int_ne(kel_report_validation_time(r), 0);
	ck_assert_int_eq(kel_report_to_json(r, &json), 0);
	ck_assert_ptr_nonnull(strstr(json.ptr, "\"signing_certificate_identification\""));
	ck_assert_ptr_nonnull(strstr(json.ptr, "\"indication\": \"TOTAL-PASSED\""));
	ck_assert_ptr_nonnull(strstr(json.ptr, "\"chain\""));
	ck_assert_ptr_nonnull(strstr(json.ptr, "\"validation_time\""));
	ck_assert_int_eq(kel_report_to_text(r, &text), 0);
	ck_assert_ptr_nonnull(strstr(text.ptr, "overall: TOTAL-PASSED"));
	kel_buf_dispose(&json);
	kel_buf_dispose(&text);
	kel_report_free(r);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_verify__parallel_signatures_both_pass)
{
	kel_doc *doc = tk_doc();
	kel_report *r;
	size_t len;
	char *xml;

	tk_sign(doc, "subject", NULL);
	tk_sign(doc, "operator", NULL);
	xml = tk_xml(doc, &len);
	r = tk_verify(xml, len, 0);
	ck_assert_uint_eq(kel_report_count(r), 2);
	tk_expect(r, 0, PASSED, NULL);
	tk_expect(r, 1, PASSED, NULL);
	kel_report_free(r);
	free(xml);
	kel_doc_free(doc);
}
END_TEST

START_TEST(test_verify__counter_signature_passes)
{
	kel_sign_options o = KEL_SIGN_OPTIONS_INIT;
	xmlDocPtr tree = tk_signed_tree("subject");
	xmlChar *id = xmlGetProp(tk_sig(tree, 0), BAD_CAST "Id");
	kel_doc *doc;
	kel_report *r;
	size_t len;
	char *xml = tk_dump(tree, &len);

	ck_assert_int_eq(kel_doc_parse(&doc, xml, len), 0);
	free(xml);
	o.counter_signature_of = (const char *)id;
	tk_sign(doc, "operator", &o);
	xml = tk_xml(doc, &len);
	r = tk_verify(xml, len, 0);
	ck_assert_uint_eq(kel_report_count(r), 2);
	tk_expect(r, 0, PASSED, NULL);
	tk_expect(r, 1, PASSED, NULL);
	ck_assert_str_eq(kel_sig_counter_signature_of(kel_report_signature(r, 1)), (char *)id);
	kel_report_free(r);
	free(xml);
	xmlFree(id);
	kel_doc_free(doc);
	xmlFreeDoc(tree);
}
END_TEST

START_TEST(test_verify__tampered_text_is_hash_failure)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr name = tk_find(xmlDocGetRootElement(doc), KEL_NS, "Name", 1);   /* subject */

	xmlNodeSetContent(name, BAD_CAST "Серікбаев Арман Қайратұлы.");
	expect_tree(doc, 0, FAILED, "HASH_FAILURE");
}
END_TEST

START_TEST(test_verify__tampered_signature_value_is_sig_crypto_failure)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr v = tk_find(tk_sig(doc, 0), KEL_DS_NS, "SignatureValue", 0);
	xmlChar *text = xmlNodeGetContent(v);

	text[5] = text[5] == 'A' ? 'B' : 'A';
	xmlNodeSetContent(v, text);
	xmlFree(text);
	expect_tree(doc, 0, FAILED, "SIG_CRYPTO_FAILURE");
}
END_TEST

START_TEST(test_verify__moved_content_fails)
{
	/* The signed Content goes into a ds:Object; a changed copy takes its place. */
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr content = kel__xml_child(root, "Content");
	xmlNodePtr forged = xmlCopyNode(content, 1);
	xmlNodePtr sig = tk_sig(doc, 0);
	xmlNodePtr obj = xmlNewChild(sig, sig->ns, BAD_CAST "Object", NULL);

	xmlNodeSetContent(tk_find(forged, KEL_NS, "Name", 1), BAD_CAST "Someone Else");
	xmlAddPrevSibling(content, forged);
	xmlUnlinkNode(content);
	xmlAddChild(obj, content);
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
}
END_TEST

START_TEST(test_verify__second_content_fails)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr content = kel__xml_child(xmlDocGetRootElement(doc), "Content");
	xmlNodePtr copy = xmlCopyNode(content, 1);

	xmlUnsetProp(copy, BAD_CAST "Id");
	xmlAddNextSibling(content, copy);
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
}
END_TEST

START_TEST(test_verify__duplicate_id_fails)
{
	/* A copy of the SignedProperties, same Id, in a second Object of the signature. */
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr sig = tk_sig(doc, 0);
	xmlNodePtr sp = tk_find(sig, KEL_XADES_NS, "SignedProperties", 0);
	xmlNodePtr obj = xmlNewChild(sig, sig->ns, BAD_CAST "Object", NULL);
	kel_report *r;

	xmlAddChild(obj, xmlCopyNode(sp, 1));
	r = tk_verify_tree(doc, 0);
	tk_expect(r, 0, FAILED, "FORMAT_FAILURE");
	ck_assert_ptr_nonnull(strstr(kel_report_document_problem(r), "twice"));
	kel_report_free(r);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_verify__extra_reference_fails)
{
	/* A fourth reference, to the KeyInfo, and the whole thing re-signed with the real key. */
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr sig = tk_sig(doc, 0);
	xmlNodePtr si = kel__ds_child(sig, KEL_DS_NS, "SignedInfo");
	xmlNodePtr ref = xmlCopyNode(tk_find(si, KEL_DS_NS, "Reference", 1), 1);

	xmlSetProp(kel__ds_child(sig, KEL_DS_NS, "KeyInfo"), BAD_CAST "Id", BAD_CAST "ki");
	xmlSetProp(ref, BAD_CAST "URI", BAD_CAST "#ki");
	xmlSetProp(ref, BAD_CAST "Id", BAD_CAST "extra-ref");
	xmlAddChild(si, ref);
	tk_resign(doc, sig, "operator");
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
}
END_TEST

START_TEST(test_verify__wrong_target_fails)
{
	/* The second signature's QualifyingProperties claims to belong to the first. */
	kel_doc *d = tk_doc();
	xmlDocPtr doc;
	kel_report *r;
	size_t len;
	char *xml;
	xmlChar *id1;

	tk_sign(d, "subject", NULL);
	tk_sign(d, "operator", NULL);
	xml = tk_xml(d, &len);
	doc = tk_parse(xml, len);
	free(xml);
	kel_doc_free(d);
	id1 = xmlGetProp(tk_sig(doc, 0), BAD_CAST "Id");
	{
		char target[128];
		snprintf(target, sizeof(target), "#%s", (char *)id1);
		xmlSetProp(tk_find(tk_sig(doc, 1), KEL_XADES_NS, "QualifyingProperties", 0),
			BAD_CAST "Target", BAD_CAST target);
	}
	tk_resign(doc, tk_sig(doc, 1), "operator");
	r = tk_verify_tree(doc, 0);
	tk_expect(r, 0, PASSED, NULL);
	tk_expect(r, 1, FAILED, "FORMAT_FAILURE");
	ck_assert_int_eq(kel_report_indication(r), FAILED);
	kel_report_free(r);
	xmlFree(id1);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_verify__signed_properties_not_referenced_fails)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr sig = tk_sig(doc, 0);
	xmlNodePtr ref = tk_find(sig, KEL_DS_NS, "Reference", 2);

	xmlUnlinkNode(ref);
	xmlFreeNode(ref);
	tk_resign(doc, sig, "operator");
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
}
END_TEST

START_TEST(test_verify__signing_certificate_of_another_cert_fails)
{
	/* SigningCertificateV2 and the first KeyInfo certificate name the clerk; the operator signs. */
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr sig = tk_sig(doc, 0);

	tk_set_signing_cert(sig, "clerk", 1);
	tk_resign(doc, sig, "operator");
	expect_tree(doc, 0, FAILED, "SIG_CRYPTO_FAILURE");
}
END_TEST

START_TEST(test_verify__signing_certificate_not_in_key_info)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr sig = tk_sig(doc, 0);

	tk_set_signing_cert(sig, "clerk", 0);
	tk_resign(doc, sig, "operator");
	expect_tree(doc, 0, INDET, "NO_SIGNING_CERTIFICATE_FOUND");
}
END_TEST

START_TEST(test_verify__lookalike_certificate_first_changes_nothing)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr sig = tk_sig(doc, 0);
	xmlNodePtr first = tk_find(sig, KEL_DS_NS, "X509Certificate", 0);
	char *b64 = tk_cert_b64("untrusted");
	xmlNodePtr lookalike = xmlNewDocNode(doc, first->ns, BAD_CAST "X509Certificate",
		BAD_CAST b64);
	kel_report *r;

	free(b64);
	xmlAddPrevSibling(first, lookalike);
	r = tk_verify_tree(doc, 0);
	tk_expect(r, 0, PASSED, NULL);
	ck_assert_ptr_nonnull(strstr(kel_sig_signer_subject(kel_report_signature(r, 0)),
		"Test Operator"));
	kel_report_free(r);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_verify__same_name_and_serial_lookalike_first_changes_nothing)
{
	/* Same subject, issuer and serial (so the same IssuerSerialV2), another key, placed first. */
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr first = tk_find(tk_sig(doc, 0), KEL_DS_NS, "X509Certificate", 0);
	char *b64 = tk_lookalike_b64("operator");
	kel_report *r;

	xmlAddPrevSibling(first, xmlNewDocNode(doc, first->ns, BAD_CAST "X509Certificate",
		BAD_CAST b64));
	free(b64);
	r = tk_verify_tree(doc, 0);
	tk_expect(r, 0, PASSED, NULL);
	kel_report_free(r);

	/* And if the signed digest is pointed at the look-alike, its key cannot verify. */
	{
		xmlNodePtr sig = tk_sig(doc, 0);
		xmlChar *text = xmlNodeGetContent(tk_find(sig, KEL_DS_NS, "X509Certificate", 0));
		unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
		int len = kel__unbase64((const char *)text, &der);
		char *digest;

		kel__digest(kel__md("SHA256"), der, (size_t)len, md);
		digest = kel__base64(md, 32);
		xmlNodeSetContent(tk_find(tk_find(sig, KEL_XADES_NS, "CertDigest", 0), KEL_DS_NS,
			"DigestValue", 0), BAD_CAST digest);
		tk_resign(doc, sig, "operator");
		free(digest);
		free(der);
		xmlFree(text);
	}
	expect_tree(doc, 0, FAILED, "SIG_CRYPTO_FAILURE");
}
END_TEST

START_TEST(test_verify__issuer_serial_of_another_cert_is_not_the_signer)
{
	/* The digest names the operator's certificate, IssuerSerialV2 the clerk's. */
	xmlDocPtr doc = tk_signed_tree("clerk");
	xmlNodePtr sig = tk_sig(doc, 0);
	xmlChar *is;

	tk_set_signing_cert(sig, "operator", 0);
	is = xmlNodeGetContent(tk_find(sig, KEL_XADES_NS, "IssuerSerialV2", 0));
	tk_set_signing_cert(sig, "clerk", 0);
	xmlNodeSetContent(tk_find(sig, KEL_XADES_NS, "IssuerSerialV2", 0), is);
	xmlFree(is);
	tk_resign(doc, sig, "clerk");
	expect_tree(doc, 0, INDET, "NO_SIGNING_CERTIFICATE_FOUND");
}
END_TEST

START_TEST(test_verify__key_value_only_is_not_trusted)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr ki = kel__ds_child(tk_sig(doc, 0), KEL_DS_NS, "KeyInfo");
	xmlNodePtr data = kel__ds_child(ki, KEL_DS_NS, "X509Data");

	xmlUnlinkNode(data);
	xmlFreeNode(data);
	xmlNewChild(ki, ki->ns, BAD_CAST "KeyValue", BAD_CAST "");
	expect_tree(doc, 0, INDET, "NO_SIGNING_CERTIFICATE_FOUND");
}
END_TEST

static void set_transform(const char *uri)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr sig = tk_sig(doc, 0);

	xmlSetProp(tk_find(sig, KEL_DS_NS, "Transform", 0), BAD_CAST "Algorithm", BAD_CAST uri);
	tk_resign(doc, sig, "operator");
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
}

START_TEST(test_verify__xpath_transform_fails)
{
	set_transform("http://www.w3.org/TR/1999/REC-xpath-19991116");
}
END_TEST

START_TEST(test_verify__enveloped_and_xslt_transforms_fail)
{
	set_transform(KEL_TRANSFORM_ENVELOPED);
	set_transform("http://www.w3.org/TR/1999/REC-xslt-19991116");
	set_transform("http://www.w3.org/2000/09/xmldsig#base64");
}
END_TEST

START_TEST(test_verify__dtd_and_entity_bomb_refused)
{
	static const char bomb[] =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE ConsentDocument [\n"
		"<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		"<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n";
	xmlDocPtr doc = tk_signed_tree("operator");
	size_t len, blen = strlen(bomb);
	char *xml = tk_dump(doc, &len), *evil = malloc(len + blen + 1);
	const char *body = strstr(xml, "<ConsentDocument");
	kel_report *r;

	memcpy(evil, bomb, blen);
	strcpy(evil + blen, body);
	r = tk_verify(evil, strlen(evil), 0);
	ck_assert_int_eq(kel_report_indication(r), FAILED);
	ck_assert_uint_eq(kel_report_count(r), 0);
	ck_assert_ptr_nonnull(strstr(kel_report_document_problem(r), "DTD"));
	kel_report_free(r);
	free(evil);
	free(xml);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_verify__signature_outside_signatures_fails)
{
	/* Two signatures; the second is moved out of Signatures to the root. */
	kel_doc *d = tk_doc();
	xmlDocPtr doc;
	xmlNodePtr sig;
	size_t len;
	char *xml;

	tk_sign(d, "subject", NULL);
	tk_sign(d, "operator", NULL);
	xml = tk_xml(d, &len);
	doc = tk_parse(xml, len);
	free(xml);
	kel_doc_free(d);
	sig = tk_sig(doc, 1);
	xmlUnlinkNode(sig);
	xmlAddChild(xmlDocGetRootElement(doc), sig);
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
}
END_TEST

START_TEST(test_verify__signature_in_unknown_wrapper_fails)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr sig = tk_sig(doc, 0);
	xmlNodePtr wrapper = xmlNewDocNode(doc, NULL, BAD_CAST "Wrapper", NULL);
	kel_report *r;

	/* A ds:Wrapper passes the schema (Signatures takes any ds:* element): kelisim's own
	 * check must catch it. */
	xmlSetNs(wrapper, xmlNewNs(wrapper, BAD_CAST KEL_DS_NS, BAD_CAST "ds"));

	xmlAddPrevSibling(sig, wrapper);
	xmlUnlinkNode(sig);
	xmlAddChild(wrapper, sig);
	r = tk_verify_tree(doc, 0);
	ck_assert_int_eq(kel_report_indication(r), FAILED);
	ck_assert_ptr_nonnull(strstr(kel_report_document_problem(r), "not a Signature"));
	kel_report_free(r);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_verify__second_signed_info_fails)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr sig = tk_sig(doc, 0);
	xmlNodePtr si = kel__ds_child(sig, KEL_DS_NS, "SignedInfo");

	xmlNodePtr copy = xmlCopyNode(si, 1);

	/* Without Ids, so that only the structure can catch it. */
	for (int i = 0; i < 3; i++)
		xmlUnsetProp(tk_find(copy, KEL_DS_NS, "Reference", i), BAD_CAST "Id");
	xmlAddNextSibling(si, copy);
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
}
END_TEST

START_TEST(test_verify__second_qualifying_properties_fails)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr qp = tk_find(tk_sig(doc, 0), KEL_XADES_NS, "QualifyingProperties", 0);
	xmlNodePtr copy = xmlCopyNode(qp, 1);

	/* Without Ids, so that only the structure can catch it. */
	xmlUnsetProp(tk_find(copy, KEL_XADES_NS, "SignedProperties", 0), BAD_CAST "Id");
	xmlAddNextSibling(qp, copy);
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
}
END_TEST

START_TEST(test_verify__root_id_or_type_mismatch_fails)
{
	xmlDocPtr doc = tk_signed_tree("operator");

	xmlSetProp(xmlDocGetRootElement(doc), BAD_CAST "Id",
		BAD_CAST "01a00000-0000-7000-8000-000000000000");
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
	doc = tk_signed_tree("operator");
	xmlSetProp(xmlDocGetRootElement(doc), BAD_CAST "Type", BAD_CAST "withdrawal");
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
}
END_TEST

START_TEST(test_verify__untrusted_chain_is_indeterminate)
{
	kel_report *r;
	kel_verify_options o = KEL_VERIFY_OPTIONS_INIT;
	xmlDocPtr doc;
	size_t len;
	char *xml;

	expect_tree(tk_signed_tree("untrusted"), 0, INDET, "NO_CERTIFICATE_CHAIN_FOUND");
	/* And with no trust anchor at all, nothing passes. */
	doc = tk_signed_tree("operator");
	xml = tk_dump(doc, &len);
	xmlFreeDoc(doc);
	ck_assert_int_eq(kel_verify(&r, xml, len, &o), 0);
	tk_expect(r, 0, INDET, "NO_CERTIFICATE_CHAIN_FOUND");
	kel_report_free(r);
	free(xml);
}
END_TEST

START_TEST(test_verify__expired_certificate_is_indeterminate)
{
	expect_tree(tk_signed_tree("expired"), 0, INDET, "OUT_OF_BOUNDS_NO_POE");
}
END_TEST

START_TEST(test_verify__certificate_expired_since_signing_is_indeterminate)
{
	/* Valid when signed, but verified three years later: B-B has no proof of existence. */
	kel_verify_options o = KEL_VERIFY_OPTIONS_INIT;
	xmlDocPtr doc = tk_signed_tree("operator");
	kel_report *r;
	size_t len;
	char *xml = tk_dump(doc, &len);

	o.trust_file = th_pki("root.crt");
	o.validation_time = time(NULL) + 3 * 366 * 24 * 3600;
	ck_assert_int_eq(kel_verify(&r, xml, len, &o), 0);
	tk_expect(r, 0, INDET, "OUT_OF_BOUNDS_NO_POE");
	kel_report_free(r);
	free(xml);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_verify__signing_time_in_the_future_is_indeterminate)
{
	kel_sign_options so = KEL_SIGN_OPTIONS_INIT;
	kel_doc *d = tk_doc();
	kel_report *r;
	size_t len;
	char *xml;

	so.signing_time = time(NULL) + 24 * 3600;
	tk_sign(d, "operator", &so);
	xml = tk_xml(d, &len);
	r = tk_verify(xml, len, 0);
	tk_expect(r, 0, INDET, "SIG_CONSTRAINTS_FAILURE");
	kel_report_free(r);
	free(xml);
	kel_doc_free(d);
}
END_TEST

START_TEST(test_verify__changed_countersigned_value_fails_both)
{
	kel_sign_options o = KEL_SIGN_OPTIONS_INIT;
	kel_doc *d = tk_doc();
	xmlDocPtr doc;
	xmlNodePtr value;
	xmlChar *id, *text;
	kel_report *r;
	size_t len;
	char *xml;

	tk_sign(d, "subject", NULL);
	xml = tk_xml(d, &len);
	doc = tk_parse(xml, len);
	free(xml);
	id = xmlGetProp(tk_sig(doc, 0), BAD_CAST "Id");
	o.counter_signature_of = (const char *)id;
	tk_sign(d, "operator", &o);
	xmlFree(id);
	xmlFreeDoc(doc);
	xml = tk_xml(d, &len);
	doc = tk_parse(xml, len);
	free(xml);
	value = tk_find(tk_sig(doc, 0), KEL_DS_NS, "SignatureValue", 0);
	text = xmlNodeGetContent(value);
	text[3] = text[3] == 'A' ? 'B' : 'A';
	xmlNodeSetContent(value, text);
	xmlFree(text);
	r = tk_verify_tree(doc, 0);
	tk_expect(r, 0, FAILED, "SIG_CRYPTO_FAILURE");
	tk_expect(r, 1, FAILED, "HASH_FAILURE");
	kel_report_free(r);
	xmlFreeDoc(doc);
	kel_doc_free(d);
}
END_TEST

START_TEST(test_verify__weak_rsa1024_fails_acceptance_unless_allowed)
{
	/* kelisim refuses to sign with RSA-1024; the forger signs with it anyway. */
	xmlDocPtr doc = tk_signed_tree("clerk");
	xmlNodePtr sig = tk_sig(doc, 0);
	xmlDocPtr copy;

	tk_set_signing_cert(sig, "weak-rsa1024", 1);
	tk_resign(doc, sig, "weak-rsa1024");
	copy = xmlCopyDoc(doc, 1);
	expect_tree(doc, 0, INDET, "CRYPTO_CONSTRAINTS_FAILURE");
	expect_tree(copy, 1, PASSED, NULL);
}
END_TEST

START_TEST(test_verify__sha1_fails_acceptance_unless_allowed)
{
	xmlDocPtr doc = tk_signed_tree("clerk");
	xmlNodePtr sig = tk_sig(doc, 0);
	xmlDocPtr copy;

	xmlSetProp(tk_find(sig, KEL_DS_NS, "SignatureMethod", 0), BAD_CAST "Algorithm",
		BAD_CAST "http://www.w3.org/2000/09/xmldsig#rsa-sha1");
	for (int i = 0; i < 3; i++)
		xmlSetProp(tk_find(tk_find(sig, KEL_DS_NS, "SignedInfo", 0), KEL_DS_NS,
			"DigestMethod", i), BAD_CAST "Algorithm",
			BAD_CAST "http://www.w3.org/2000/09/xmldsig#sha1");
	tk_resign(doc, sig, "clerk");
	copy = xmlCopyDoc(doc, 1);
	expect_tree(doc, 0, INDET, "CRYPTO_CONSTRAINTS_FAILURE");
	expect_tree(copy, 1, PASSED, NULL);
}
END_TEST

START_TEST(test_verify__comment_or_stylesheet_pi_fails)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr name = tk_find(xmlDocGetRootElement(doc), KEL_NS, "Name", 1);

	/* Neither changes a digest: only the document check can catch them. */
	xmlAddNextSibling(name, xmlNewDocComment(doc, BAD_CAST " and his heirs "));
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
	doc = tk_signed_tree("operator");
	xmlAddPrevSibling(xmlDocGetRootElement(doc), xmlNewDocPI(doc, BAD_CAST "xml-stylesheet",
		BAD_CAST "type=\"text/xsl\" href=\"data:,\""));
	expect_tree(doc, 0, FAILED, "FORMAT_FAILURE");
}
END_TEST

START_TEST(test_verify__too_many_signatures_refused)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr sig = tk_sig(doc, 0);
	kel_report *r;

	for (int i = 0; i < 70; i++) {
		xmlNodePtr extra = xmlNewDocNode(doc, NULL, BAD_CAST "Signature", NULL);
		xmlSetNs(extra, xmlNewNs(extra, BAD_CAST KEL_DS_NS, BAD_CAST "ds"));
		xmlAddChild(sig->parent, extra);
	}
	r = tk_verify_tree(doc, 0);
	ck_assert_int_eq(kel_report_indication(r), FAILED);
	ck_assert_uint_eq(kel_report_count(r), 0);
	ck_assert_ptr_nonnull(strstr(kel_report_document_problem(r), "more signatures"));
	kel_report_free(r);
	xmlFreeDoc(doc);
}
END_TEST

/*
 * kel__verify_keep_doc (the store's path): the verified tree handed over as a document for a
 * kelisim document that passed the document checks, whatever its signatures' verdict; none
 * for a document with a document problem or for XML that is not a kelisim document.
 */
static kel_doc *kept_doc(xmlDocPtr tree, kel_indication *ind)
{
	kel_verify_options o = KEL_VERIFY_OPTIONS_INIT;
	kel_report *r = NULL;
	kel_doc *doc = (kel_doc *)1;
	size_t len;
	char *xml = tk_dump(tree, &len);

	o.trust_file = th_pki("root.crt");
	ck_assert_msg(kel__verify_keep_doc(&r, &doc, xml, len, &o) == 0, "%s", th_error_message());
	*ind = kel_report_indication(r);
	kel_report_free(r);
	free(xml);
	xmlFreeDoc(tree);
	return doc;
}

START_TEST(test_verify__keep_doc_hands_over_checked_documents_only)
{
	xmlDocPtr tree = tk_signed_tree("operator");
	char *id = (char *)xmlGetProp(xmlDocGetRootElement(tree), BAD_CAST "Id");
	kel_indication ind;
	kel_doc *doc = kept_doc(tree, &ind);
	xmlNodePtr v, sig, wrapper;
	xmlChar *text;

	ck_assert_int_eq(ind, PASSED);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(kel_doc_id(doc), id);   /* the summary fields are filled */
	kel_doc_free(doc);
	xmlFree(id);

	/* A broken signature value: still a well-formed kelisim document, handed over. */
	tree = tk_signed_tree("operator");
	v = tk_find(tk_sig(tree, 0), KEL_DS_NS, "SignatureValue", 0);
	text = xmlNodeGetContent(v);
	text[5] = text[5] == 'A' ? 'B' : 'A';
	xmlNodeSetContent(v, text);
	xmlFree(text);
	doc = kept_doc(tree, &ind);
	ck_assert_int_eq(ind, FAILED);
	ck_assert_ptr_nonnull(doc);
	kel_doc_free(doc);

	/* A document problem (a signature in an unknown wrapper): nothing handed over. */
	tree = tk_signed_tree("operator");
	sig = tk_sig(tree, 0);
	wrapper = xmlNewDocNode(tree, NULL, BAD_CAST "Wrapper", NULL);
	xmlSetNs(wrapper, xmlNewNs(wrapper, BAD_CAST KEL_DS_NS, BAD_CAST "ds"));
	xmlAddPrevSibling(sig, wrapper);
	xmlUnlinkNode(sig);
	xmlAddChild(wrapper, sig);
	ck_assert_ptr_null(kept_doc(tree, &ind));
	ck_assert_int_eq(ind, FAILED);

	/* Not a kelisim document at all. */
	tree = tk_parse("<a>no</a>", 9);
	ck_assert_ptr_null(kept_doc(tree, &ind));
}
END_TEST

START_TEST(test_verify__not_xml_is_a_result)
{
	kel_report *r = tk_verify("not xml <", 9, 0);

	ck_assert_int_eq(kel_report_indication(r), FAILED);
	ck_assert_ptr_nonnull(kel_report_document_problem(r));
	kel_report_free(r);
}
END_TEST

TCase *xmldsig_tcase(void);   /* test_xmldsig.c */

int main(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("verify");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_verify__good_signature_passes);
	tcase_add_test(tc, test_verify__keep_doc_hands_over_checked_documents_only);
	tcase_add_test(tc, test_verify__parallel_signatures_both_pass);
	tcase_add_test(tc, test_verify__counter_signature_passes);
	tcase_add_test(tc, test_verify__tampered_text_is_hash_failure);
	tcase_add_test(tc, test_verify__tampered_signature_value_is_sig_crypto_failure);
	tcase_add_test(tc, test_verify__moved_content_fails);
	tcase_add_test(tc, test_verify__second_content_fails);
	tcase_add_test(tc, test_verify__duplicate_id_fails);
	tcase_add_test(tc, test_verify__extra_reference_fails);
	tcase_add_test(tc, test_verify__wrong_target_fails);
	tcase_add_test(tc, test_verify__signed_properties_not_referenced_fails);
	tcase_add_test(tc, test_verify__signing_certificate_of_another_cert_fails);
	tcase_add_test(tc, test_verify__signing_certificate_not_in_key_info);
	tcase_add_test(tc, test_verify__lookalike_certificate_first_changes_nothing);
	tcase_add_test(tc, test_verify__same_name_and_serial_lookalike_first_changes_nothing);
	tcase_add_test(tc, test_verify__issuer_serial_of_another_cert_is_not_the_signer);
	tcase_add_test(tc, test_verify__key_value_only_is_not_trusted);
	tcase_add_test(tc, test_verify__xpath_transform_fails);
	tcase_add_test(tc, test_verify__enveloped_and_xslt_transforms_fail);
	tcase_add_test(tc, test_verify__dtd_and_entity_bomb_refused);
	tcase_add_test(tc, test_verify__signature_outside_signatures_fails);
	tcase_add_test(tc, test_verify__signature_in_unknown_wrapper_fails);
	tcase_add_test(tc, test_verify__second_signed_info_fails);
	tcase_add_test(tc, test_verify__second_qualifying_properties_fails);
	tcase_add_test(tc, test_verify__root_id_or_type_mismatch_fails);
	tcase_add_test(tc, test_verify__untrusted_chain_is_indeterminate);
	tcase_add_test(tc, test_verify__expired_certificate_is_indeterminate);
	tcase_add_test(tc, test_verify__certificate_expired_since_signing_is_indeterminate);
	tcase_add_test(tc, test_verify__signing_time_in_the_future_is_indeterminate);
	tcase_add_test(tc, test_verify__changed_countersigned_value_fails_both);
	tcase_add_test(tc, test_verify__weak_rsa1024_fails_acceptance_unless_allowed);
	tcase_add_test(tc, test_verify__sha1_fails_acceptance_unless_allowed);
	tcase_add_test(tc, test_verify__comment_or_stylesheet_pi_fails);
	tcase_add_test(tc, test_verify__too_many_signatures_refused);
	tcase_add_test(tc, test_verify__not_xml_is_a_result);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, xmldsig_tcase());
	return th_run_suite(s);
}
