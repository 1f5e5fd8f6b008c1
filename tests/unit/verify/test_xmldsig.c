/*
 * Plain XML-DSig on other XML, as NCALayer makes it: enveloped-signature plus inclusive
 * C14N, RSA-SHA256, the certificate in KeyInfo. Verified and reported without a XAdES level;
 * an algorithm kelisim does not have (Kazakh GOST) is INDETERMINATE, never a crash.
 */
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <libxml/tree.h>

#include "helpers.h"
#include "forge.h"
#include "xades_internal.h"

#define GOST_SIG "urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:gostr34102015-gostr34112015-512"

/* <Request><Iin>..</Iin><ds:Signature>...</ds:Signature></Request>, signed by clerk. */
static xmlDocPtr ncalayer_style(const char *sig_method, int sign)
{
	static const char xml[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<Request xmlns=\"urn:example:egov\"><Iin>900101300007</Iin>"
		"<Text>Келісім</Text>"
		"<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
		"<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
		"<ds:SignatureMethod Algorithm=\"%s\"/>"
		"<ds:Reference URI=\"\"><ds:Transforms>"
		"<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
		"<ds:Transform Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments\"/>"
		"</ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
		"<ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo>"
		"<ds:SignatureValue>AAAA</ds:SignatureValue><ds:KeyInfo><ds:X509Data>"
		"<ds:X509Certificate>%s</ds:X509Certificate>"
		"<ds:X509Certificate>%s</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
		"</ds:Signature></Request>\n";
	char *cert = tk_cert_b64("clerk"), *ca = tk_cert_b64("intermediate");
	char *text = malloc(strlen(xml) + strlen(cert) + strlen(ca) + 256);
	xmlDocPtr doc;

	/* NCALayer sends the leaf only; the intermediate here stands in for a CA bundle. */
	sprintf(text, xml, sig_method, cert, ca);
	doc = tk_parse(text, strlen(text));
	free(text);
	free(cert);
	free(ca);
	if (sign)
		tk_resign(doc, tk_find(xmlDocGetRootElement(doc), KEL_DS_NS, "Signature", 0),
			"clerk");
	return doc;
}

START_TEST(test_verify__ncalayer_xmldsig_passes)
{
	xmlDocPtr doc = ncalayer_style("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", 1);
	kel_report *r = tk_verify_tree(doc, 0);

	tk_expect(r, 0, KEL_INDICATION_PASSED, NULL);
	ck_assert(!kel_report_is_kelisim(r));
	ck_assert_str_eq(kel_sig_level(kel_report_signature(r, 0)), "XML-DSig");
	ck_assert_ptr_nonnull(strstr(kel_sig_signer_subject(kel_report_signature(r, 0)), "Clerk"));
	kel_report_free(r);

	/* The same, tampered. */
	xmlNodeSetContent(tk_find(xmlDocGetRootElement(doc), "urn:example:egov", "Iin", 0),
		BAD_CAST "900101300008");
	r = tk_verify_tree(doc, 0);
	tk_expect(r, 0, KEL_INDICATION_FAILED, "HASH_FAILURE");
	kel_report_free(r);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_verify__gost_is_indeterminate)
{
	xmlDocPtr doc = ncalayer_style(GOST_SIG, 0);
	kel_report *r = tk_verify_tree(doc, 0);

	tk_expect(r, 0, KEL_INDICATION_INDETERMINATE, "CRYPTO_CONSTRAINTS_FAILURE");
	ck_assert_ptr_nonnull(strstr(kel_sig_message(kel_report_signature(r, 0)), "GOST"));
	kel_report_free(r);
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_verify__xpath_on_plain_xmldsig_is_not_passed)
{
	xmlDocPtr doc = ncalayer_style("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", 0);
	kel_report *r;

	xmlSetProp(tk_find(xmlDocGetRootElement(doc), KEL_DS_NS, "Transform", 1),
		BAD_CAST "Algorithm", BAD_CAST "http://www.w3.org/TR/1999/REC-xpath-19991116");
	r = tk_verify_tree(doc, 0);
	ck_assert_int_ne(kel_report_indication(r), KEL_INDICATION_PASSED);
	tk_expect(r, 0, KEL_INDICATION_INDETERMINATE, "SIG_CONSTRAINTS_FAILURE");
	kel_report_free(r);
	xmlFreeDoc(doc);
}
END_TEST

TCase *xmldsig_tcase(void);
TCase *xmldsig_tcase(void)
{
	TCase *tc = tcase_create("xmldsig");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_add_test(tc, test_verify__ncalayer_xmldsig_passes);
	tcase_add_test(tc, test_verify__gost_is_indeterminate);
	tcase_add_test(tc, test_verify__xpath_on_plain_xmldsig_is_not_passed);
	return tc;
}
