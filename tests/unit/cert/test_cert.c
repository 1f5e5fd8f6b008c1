/*
 * kel_cert_validate(): one certificate's chain to a trust anchor, as the QR seal's is checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <check.h>

#include "kelisim.h"
#include "helpers.h"

/* Validate the PKI's NAME.crt with the intermediates in untrusted (a PKI file, or NULL). */
static int validate(kel_cert_result *r, const char *name, const char *untrusted,
	const kel_doc *doc, const char *trust, time_t when)
{
	kel_verify_options o = KEL_VERIFY_OPTIONS_INIT;
	char path[64];
	char *cert, *chain = NULL;
	size_t len, chain_len = 0;
	int rc;

	snprintf(path, sizeof(path), "%s.crt", name);
	cert = th_read_file(th_pki(path), &len);
	if (untrusted)
		chain = th_read_file(th_pki(untrusted), &chain_len);
	o.trust_file = trust ? th_pki(trust) : NULL;
	o.validation_time = when;
	rc = kel_cert_validate(r, cert, len, chain, chain_len, doc, &o);
	free(cert);
	free(chain);
	return rc;
}

START_TEST(test_cert__chain_with_intermediate_passes)
{
	kel_cert_result r;

	ck_assert_int_eq(validate(&r, "operator", "intermediate.crt", NULL, "root.crt", 0), 0);
	ck_assert_int_eq(r.indication, KEL_INDICATION_PASSED);
	ck_assert_ptr_null(r.subindication);
	ck_assert_ptr_nonnull(strstr(r.subject, "CN=Test Operator LLP seal"));
	ck_assert_int_gt((int)strlen(r.serial), 0);
}
END_TEST

START_TEST(test_cert__without_intermediate_no_chain)
{
	kel_cert_result r;

	ck_assert_int_eq(validate(&r, "operator", NULL, NULL, "root.crt", 0), 0);
	ck_assert_int_eq(r.indication, KEL_INDICATION_INDETERMINATE);
	ck_assert_str_eq(r.subindication, "NO_CERTIFICATE_CHAIN_FOUND");
}
END_TEST

START_TEST(test_cert__no_trust_anchor_indeterminate)
{
	kel_cert_result r;

	ck_assert_int_eq(validate(&r, "operator", "chain.pem", NULL, NULL, 0), 0);
	ck_assert_int_eq(r.indication, KEL_INDICATION_INDETERMINATE);
	ck_assert_str_eq(r.subindication, "NO_CERTIFICATE_CHAIN_FOUND");
}
END_TEST

START_TEST(test_cert__other_hierarchy_no_chain)
{
	kel_cert_result r;

	ck_assert_int_eq(validate(&r, "untrusted", "untrusted-root.crt", NULL, "root.crt", 0), 0);
	ck_assert_int_eq(r.indication, KEL_INDICATION_INDETERMINATE);
	ck_assert_str_eq(r.subindication, "NO_CERTIFICATE_CHAIN_FOUND");
}
END_TEST

START_TEST(test_cert__expired_out_of_bounds)
{
	kel_cert_result r;

	ck_assert_int_eq(validate(&r, "expired", "intermediate.crt", NULL, "root.crt", 0), 0);
	ck_assert_int_eq(r.indication, KEL_INDICATION_INDETERMINATE);
	ck_assert_str_eq(r.subindication, "OUT_OF_BOUNDS_NO_POE");
	/* A certificate valid now is out of bounds at a validation time twenty years on. */
	ck_assert_int_eq(validate(&r, "operator", "intermediate.crt", NULL, "root.crt",
		time(NULL) + 20L * 366 * 86400), 0);
	ck_assert_str_eq(r.subindication, "OUT_OF_BOUNDS_NO_POE");
}
END_TEST

START_TEST(test_cert__intermediates_from_document)
{
	kel_cert_result r;
	kel_doc *doc = NULL;
	kel_key *key = NULL;
	char *json;
	size_t len;

	json = th_read_file(th_source("schemas/examples/consent.json"), &len);
	ck_assert_int_eq(kel_doc_new(&doc, json, len, NULL), 0);
	free(json);
	ck_assert_int_eq(kel_key_load_pem(&key, th_pki("operator.key"), th_pki("operator.crt"),
		th_pki("chain.pem"), NULL, 0), 0);
	ck_assert_int_eq(kel_qr_doc_fill(doc, key, NULL, NULL), 0);
	ck_assert_int_eq(kel_xades_sign(doc, key, NULL), 0);
	ck_assert_int_eq(validate(&r, "operator", NULL, doc, "root.crt", 0), 0);
	ck_assert_int_eq(r.indication, KEL_INDICATION_PASSED);
	kel_key_free(key);
	kel_doc_free(doc);
}
END_TEST

START_TEST(test_cert__not_a_certificate_refused)
{
	kel_verify_options o = KEL_VERIFY_OPTIONS_INIT;
	kel_cert_result r;

	ck_assert_int_eq(kel_cert_validate(&r, "hello", 5, NULL, 0, NULL, &o), KEL_EPARSE);
	ck_assert_int_eq(kel_cert_validate(NULL, "hello", 5, NULL, 0, NULL, &o), KEL_EINVAL);
}
END_TEST

START_TEST(test_cert__unreadable_anchors_error)
{
	kel_cert_result r;

	ck_assert_int_eq(validate(&r, "operator", NULL, NULL, "no-such-file.crt", 0), KEL_EIO);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cert");
	TCase *tc = tcase_create("cert");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cert__chain_with_intermediate_passes);
	tcase_add_test(tc, test_cert__without_intermediate_no_chain);
	tcase_add_test(tc, test_cert__no_trust_anchor_indeterminate);
	tcase_add_test(tc, test_cert__other_hierarchy_no_chain);
	tcase_add_test(tc, test_cert__expired_out_of_bounds);
	tcase_add_test(tc, test_cert__intermediates_from_document);
	tcase_add_test(tc, test_cert__not_a_certificate_refused);
	tcase_add_test(tc, test_cert__unreadable_anchors_error);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
