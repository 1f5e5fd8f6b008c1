/*
 * Signing: each key type and option gives a signature of the expected shape that verifies.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <check.h>
#include <libxml/c14n.h>
#include <libxml/tree.h>

#include "helpers.h"
#include "../verify/forge.h"
#include "xades_internal.h"
#include "xml_safe.h"
#include "text.h"

#define MORE "http://www.w3.org/2001/04/xmldsig-more#"

static char *attr_of(xmlNodePtr n, const char *name)
{
	static char buf[4][256];
	static int slot;
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *out = buf[slot++ % 4];

	snprintf(out, sizeof(buf[0]), "%s", v ? (const char *)v : "");
	xmlFree(v);
	return out;
}

/* Sign a new document with keyname and opts, check it verifies, give back the tree. */
static xmlDocPtr sign_and_verify(kel_key *key, const kel_sign_options *opts)
{
	kel_doc *doc = tk_doc();
	kel_report *r;
	xmlDocPtr tree;
	size_t len;
	char *xml;

	ck_assert_msg(kel_xades_sign(doc, key, opts) == 0, "%s", th_error_message());
	xml = tk_xml(doc, &len);
	r = tk_verify(xml, len, 0);
	tk_expect(r, 0, KEL_INDICATION_PASSED, NULL);
	kel_report_free(r);
	tree = tk_parse(xml, len);
	free(xml);
	kel_doc_free(doc);
	return tree;
}

static void check_algorithms(const char *keyname, const kel_sign_options *opts,
	const char *sig_uri, const char *digest_uri, size_t raw_len)
{
	kel_key *key = tk_key(keyname);
	xmlDocPtr tree = sign_and_verify(key, opts);
	xmlNodePtr sig = tk_sig(tree, 0);
	xmlChar *value = xmlNodeGetContent(tk_find(sig, KEL_DS_NS, "SignatureValue", 0));
	unsigned char *bin = NULL;

	ck_assert_str_eq(attr_of(tk_find(sig, KEL_DS_NS, "SignatureMethod", 0), "Algorithm"),
		sig_uri);
	for (int i = 0; i < 3; i++)
		ck_assert_str_eq(attr_of(tk_find(tk_find(sig, KEL_DS_NS, "SignedInfo", 0),
			KEL_DS_NS, "DigestMethod", i), "Algorithm"), digest_uri);
	if (raw_len)   /* ECDSA: r||s, not DER */
		ck_assert_int_eq(kel__unbase64((const char *)value, &bin), (int)raw_len);
	free(bin);
	xmlFree(value);
	xmlFreeDoc(tree);
	kel_key_free(key);
}

START_TEST(test_xades__p256_signs_with_sha256)
{
	check_algorithms("operator", NULL, MORE "ecdsa-sha256",
		"http://www.w3.org/2001/04/xmlenc#sha256", 64);
}
END_TEST

START_TEST(test_xades__p384_signs_with_sha384)
{
	check_algorithms("operator-p384", NULL, MORE "ecdsa-sha384", MORE "sha384", 96);
}
END_TEST

START_TEST(test_xades__rsa3072_pkcs1_and_pss)
{
	kel_sign_options o = KEL_SIGN_OPTIONS_INIT;

	check_algorithms("clerk", NULL, MORE "rsa-sha256",
		"http://www.w3.org/2001/04/xmlenc#sha256", 0);
	o.rsa_pss = 1;
	check_algorithms("clerk", &o, "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
		"http://www.w3.org/2001/04/xmlenc#sha256", 0);
	o.digest = KEL_DIGEST_SHA512;
	check_algorithms("clerk", &o, "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1",
		"http://www.w3.org/2001/04/xmlenc#sha512", 0);
}
END_TEST

START_TEST(test_xades__rsa2048_signs)
{
	kel_sign_options o = KEL_SIGN_OPTIONS_INIT;

	o.digest = KEL_DIGEST_SHA384;
	check_algorithms("clerk-rsa2048", &o, MORE "rsa-sha384", MORE "sha384", 0);
}
END_TEST

START_TEST(test_xades__p12_key_signs)
{
	size_t plen;
	char *pass = th_read_file(th_pki("passphrase.txt"), &plen);
	kel_key *key = NULL;
	xmlDocPtr tree;

	while (plen && (pass[plen - 1] == '\n' || pass[plen - 1] == '\r'))
		pass[--plen] = '\0';
	ck_assert_msg(kel_key_load_p12(&key, th_pki("clerk.p12"), pass, plen) == 0, "%s",
		th_error_message());
	tree = sign_and_verify(key, NULL);
	xmlFreeDoc(tree);
	kel_key_free(key);
	free(pass);
}
END_TEST

START_TEST(test_xades__shape_of_the_signature)
{
	kel_sign_options o = KEL_SIGN_OPTIONS_INIT;
	kel_key *key = tk_key("operator");
	xmlDocPtr tree;
	xmlNodePtr root, sig, refs[3];
	char *signer = tk_cert_b64("operator");
	char id[64], want[160], when_text[21];
	xmlChar *first, *when;

	o.role = "clerk <desk 3>";
	o.commitment = KEL_COMMITMENT_APPROVAL;
	/* Not before now: the test certificates may have been made a second ago. */
	o.signing_time = time(NULL) + 2;
	kel__utc_format(o.signing_time, when_text);
	tree = sign_and_verify(key, &o);
	root = xmlDocGetRootElement(tree);
	sig = tk_sig(tree, 0);
	snprintf(id, sizeof(id), "%s", attr_of(sig, "Id"));
	ck_assert_int_eq(strncmp(id, "sig-", 4), 0);
	ck_assert_uint_eq(strlen(id), 36);
	for (int i = 0; i < 3; i++)
		refs[i] = tk_find(sig, KEL_DS_NS, "Reference", i);
	ck_assert_ptr_null(tk_find(sig, KEL_DS_NS, "Reference", 3));
	snprintf(want, sizeof(want), "#%s", attr_of(kel__xml_child(root, "Content"), "Id"));
	ck_assert_str_eq(attr_of(refs[0], "URI"), want);
	snprintf(want, sizeof(want), "#%s", attr_of(kel__xml_child(root, "Verification"), "Id"));
	ck_assert_str_eq(attr_of(refs[1], "URI"), want);
	snprintf(want, sizeof(want), "#%s-signedprops", id);
	ck_assert_str_eq(attr_of(refs[2], "URI"), want);
	ck_assert_str_eq(attr_of(refs[2], "Type"), KEL_TYPE_SIGNED_PROPS);
	ck_assert_str_eq(attr_of(tk_find(sig, KEL_DS_NS, "CanonicalizationMethod", 0),
		"Algorithm"), KEL_C14N_EXC);
	for (int i = 0; i < 3; i++) {
		ck_assert_str_eq(attr_of(tk_find(refs[i], KEL_DS_NS, "Transform", 0), "Algorithm"),
			KEL_C14N_EXC);
		ck_assert_ptr_null(tk_find(refs[i], KEL_DS_NS, "Transform", 1));
	}
	snprintf(want, sizeof(want), "#%s", id);
	ck_assert_str_eq(attr_of(tk_find(sig, KEL_XADES_NS, "QualifyingProperties", 0), "Target"),
		want);
	/* The signer's certificate first in KeyInfo, then the chain. */
	first = xmlNodeGetContent(tk_find(sig, KEL_DS_NS, "X509Certificate", 0));
	ck_assert_str_eq((char *)first, signer);
	ck_assert_ptr_nonnull(tk_find(sig, KEL_DS_NS, "X509Certificate", 1));
	when = xmlNodeGetContent(tk_find(sig, KEL_XADES_NS, "SigningTime", 0));
	ck_assert_str_eq((char *)when, when_text);
	ck_assert_ptr_nonnull(tk_find(sig, KEL_XADES_NS, "IssuerSerialV2", 0));
	ck_assert_ptr_nonnull(tk_find(sig, KEL_XADES_NS, "DataObjectFormat", 1));
	snprintf(want, sizeof(want), "#%s", attr_of(refs[0], "Id"));
	ck_assert_str_eq(attr_of(tk_find(sig, KEL_XADES_NS, "DataObjectFormat", 0),
		"ObjectReference"), want);
	xmlFree(first);
	xmlFree(when);
	first = xmlNodeGetContent(tk_find(sig, KEL_XADES_NS, "ClaimedRole", 0));
	ck_assert_str_eq((char *)first, "clerk <desk 3>");
	xmlFree(first);
	first = xmlNodeGetContent(tk_find(sig, KEL_XADES_NS, "Identifier", 0));
	ck_assert_str_eq((char *)first, "http://uri.etsi.org/01903/v1.2.2#ProofOfApproval");
	xmlFree(first);
	free(signer);
	xmlFreeDoc(tree);
	kel_key_free(key);
}
END_TEST

/* A failed signing leaves the document as it was. */
static void expect_refused(const char *keyname, const kel_sign_options *o, int code)
{
	kel_doc *doc = tk_doc();
	kel_key *key = tk_key(keyname);
	size_t before_len, after_len;
	char *before = tk_xml(doc, &before_len), *after;

	ck_assert_int_eq(kel_xades_sign(doc, key, o), code);
	after = tk_xml(doc, &after_len);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	kel_key_free(key);
	kel_doc_free(doc);
}

START_TEST(test_xades__refuses_bad_keys_and_options)
{
	kel_sign_options o = KEL_SIGN_OPTIONS_INIT;

	expect_refused("weak-rsa1024", NULL, KEL_EUNSUPPORTED);
	o.rsa_pss = 1;
	expect_refused("operator", &o, KEL_EINVAL);
	o.rsa_pss = 0;
	o.counter_signature_of = "sig-nothere";
	expect_refused("operator", &o, KEL_EINVAL);
	o.counter_signature_of = NULL;
	o.digest = (kel_digest)9;
	expect_refused("operator", &o, KEL_EINVAL);
	o.digest = KEL_DIGEST_DEFAULT;
	o.role = "clerk\xe2\x80\xae";   /* U+202E RIGHT-TO-LEFT OVERRIDE */
	expect_refused("operator", &o, KEL_EINVAL);
	o.role = "";
	expect_refused("operator", &o, KEL_EINVAL);
	o.role = NULL;
	o.version = 99;
	expect_refused("operator", &o, KEL_EINVAL);
}
END_TEST

/* The walk over the whole document that kel__c14n avoids, as the reference it must match. */
struct scope { xmlNodePtr top; };

static int in_subtree(void *user, xmlNodePtr node, xmlNodePtr parent)
{
	xmlNodePtr n = node->type == XML_NAMESPACE_DECL ? parent : node;
	for (; n; n = n->parent)
		if (n == ((struct scope *)user)->top)
			return 1;
	return 0;
}

static void expect_same_c14n(xmlNodePtr node, int mode)
{
	struct scope sc = { node };
	xmlOutputBufferPtr buf = xmlAllocOutputBuffer(NULL);
	xmlChar *fast = NULL;
	int len;

	ck_assert_int_ge(xmlC14NExecute(node->doc, in_subtree, &sc, mode, NULL, 0, buf), 0);
	ck_assert_int_eq(kel__c14n(node, mode, 0, NULL, &fast, &len), 0);
	ck_assert_int_eq(len, (int)xmlOutputBufferGetSize(buf));
	ck_assert(memcmp(fast, xmlOutputBufferGetContent(buf), (size_t)len) == 0);
	xmlFree(fast);
	xmlOutputBufferClose(buf);
}

START_TEST(test_xades__c14n_of_a_subtree_matches_the_full_walk)
{
	xmlDocPtr doc = tk_signed_tree("operator");
	xmlNodePtr root = xmlDocGetRootElement(doc), sig = tk_sig(doc, 0);
	const char *names[] = { "SignedInfo", "KeyInfo", "SignatureValue", "Reference" };
	int modes[] = { XML_C14N_EXCLUSIVE_1_0, XML_C14N_1_0, XML_C14N_1_1 };

	for (int m = 0; m < 3; m++) {
		expect_same_c14n(kel__xml_child(root, "Content"), modes[m]);
		expect_same_c14n(kel__xml_child(root, "Verification"), modes[m]);
		expect_same_c14n(tk_find(kel__xml_child(root, "Content"), KEL_NS, "Text", 0),
			modes[m]);
		expect_same_c14n(tk_find(sig, KEL_XADES_NS, "SignedProperties", 0), modes[m]);
		for (int i = 0; i < 4; i++)
			expect_same_c14n(tk_find(sig, KEL_DS_NS, names[i], 0), modes[m]);
	}
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_xades__names)
{
	ck_assert_int_eq(kel_commitment_from_name("proof-of-origin"), KEL_COMMITMENT_ORIGIN);
	ck_assert_int_eq(kel_commitment_from_name("proof-of-creation"), KEL_COMMITMENT_CREATION);
	ck_assert_int_eq(kel_commitment_from_name("proof"), KEL_COMMITMENT_NONE);
	ck_assert_str_eq(kel_commitment_uri(KEL_COMMITMENT_RECEIPT),
		"http://uri.etsi.org/01903/v1.2.2#ProofOfReceipt");
	ck_assert_ptr_null(kel_commitment_uri(KEL_COMMITMENT_NONE));
	ck_assert_int_eq(kel_digest_from_name("sha384"), KEL_DIGEST_SHA384);
	ck_assert_int_eq(kel_digest_from_name("sha1"), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("xades");
	TCase *tc = tcase_create("xades");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_xades__p256_signs_with_sha256);
	tcase_add_test(tc, test_xades__p384_signs_with_sha384);
	tcase_add_test(tc, test_xades__rsa3072_pkcs1_and_pss);
	tcase_add_test(tc, test_xades__rsa2048_signs);
	tcase_add_test(tc, test_xades__p12_key_signs);
	tcase_add_test(tc, test_xades__shape_of_the_signature);
	tcase_add_test(tc, test_xades__refuses_bad_keys_and_options);
	tcase_add_test(tc, test_xades__c14n_of_a_subtree_matches_the_full_walk);
	tcase_add_test(tc, test_xades__names);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
