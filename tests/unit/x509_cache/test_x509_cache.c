/*
 * The shared certificates and trust stores (x509_cache.c): the same bytes share one object,
 * other bytes never do, a changed trust file takes effect at once, and bad input is refused
 * as it was before anything was kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <check.h>

#include "kelisim.h"
#include "helpers.h"
#include "x509_cache.h"

/* The DER bytes of a test PKI certificate (free()). */
static unsigned char *pki_der(const char *name, size_t *len)
{
	size_t pem_len;
	char *pem = th_read_file(th_pki(name), &pem_len);
	BIO *bio = BIO_new_mem_buf(pem, (int)pem_len);
	X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	unsigned char *der = NULL;
	int n;

	ck_assert_ptr_nonnull(x);
	n = i2d_X509(x, &der);
	ck_assert_int_gt(n, 0);
	*len = (size_t)n;
	X509_free(x);
	BIO_free(bio);
	free(pem);
	return der;
}

START_TEST(test_x509_cache__same_bytes_share_other_bytes_do_not)
{
	size_t op_len, int_len;
	unsigned char *op = pki_der("operator.crt", &op_len);
	unsigned char *in = pki_der("intermediate.crt", &int_len);
	unsigned char *copy = malloc(op_len);
	X509 *a, *b, *c;

	memcpy(copy, op, op_len);
	a = kel__x509_cache_der(op, op_len);
	b = kel__x509_cache_der(copy, op_len);   /* equal bytes elsewhere in memory */
	c = kel__x509_cache_der(in, int_len);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_ne(a, c);
	ck_assert_int_eq(X509_cmp(a, c) != 0, 1);
	/* One byte of the signature changed: another certificate, parsed on its own. */
	copy[op_len - 1] ^= 1;
	b = kel__x509_cache_der(copy, op_len);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(a, b);
	X509_free(b);
	/* Each call's reference is the caller's: freeing them leaves the kept one usable. */
	X509_free(a);
	X509_free(a);   /* the second, from b's first lookup */
	a = kel__x509_cache_der(op, op_len);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(X509_get_subject_name(a));
	X509_free(a);
	X509_free(c);
	free(copy);
	OPENSSL_free(op);
	OPENSSL_free(in);
}
END_TEST

START_TEST(test_x509_cache__not_one_whole_certificate_refused)
{
	size_t len;
	unsigned char *der = pki_der("operator.crt", &len);
	unsigned char *longer = malloc(len + 1);
	X509 *x;

	memcpy(longer, der, len);
	longer[len] = 0;
	ck_assert_ptr_null(kel__x509_cache_der(longer, len + 1));   /* a trailing byte */
	ck_assert_ptr_null(kel__x509_cache_der(der, len - 1));      /* truncated */
	ck_assert_ptr_null(kel__x509_cache_der((const unsigned char *)"not DER", 7));
	ck_assert_ptr_null(kel__x509_cache_der(der, 0));
	/* and the refusals left nothing behind that the whole certificate would meet */
	ck_assert_ptr_nonnull(x = kel__x509_cache_der(der, len));
	X509_free(x);
	ERR_clear_error();
	free(longer);
	OPENSSL_free(der);
}
END_TEST

START_TEST(test_x509_cache__more_certificates_than_kept)
{
	size_t len;
	unsigned char *der = pki_der("operator.crt", &len);
	X509 *first = kel__x509_cache_der(der, len), *again;

	/* 300 different certificates (a flipped signature byte each) push the first one out. */
	for (int i = 0; i < 300; i++) {
		unsigned char *v = malloc(len);
		X509 *x;
		memcpy(v, der, len);
		v[len - 1 - (size_t)(i % 40)] ^= (unsigned char)(1 + i / 40);
		ck_assert_ptr_nonnull(x = kel__x509_cache_der(v, len));
		X509_free(x);
		free(v);
	}
	again = kel__x509_cache_der(der, len);
	ck_assert_ptr_nonnull(again);
	ck_assert_int_eq(X509_cmp(first, again), 0);
	X509_free(first);
	X509_free(again);
	OPENSSL_free(der);
}
END_TEST

/* A signed consent of the test PKI's operator (free()). */
static char *signed_consent(size_t *len)
{
	size_t json_len;
	char *json = th_read_file(th_source("schemas/examples/consent.json"), &json_len);
	kel_key *key = th_operator_key();
	kel_doc *doc = NULL;
	kel_buf out = KEL_BUF_INIT;
	char *xml;

	ck_assert_int_eq(kel_doc_new(&doc, json, json_len, NULL), 0);
	ck_assert_msg(kel_xades_sign(doc, key, NULL) == 0, "%s", th_error_message());
	ck_assert_int_eq(kel_doc_write(&out, doc), 0);
	xml = malloc(out.size);
	memcpy(xml, out.ptr, out.size);
	*len = out.size;
	kel_buf_dispose(&out);
	kel_doc_free(doc);
	kel_key_free(key);
	free(json);
	return xml;
}

static void write_file(const char *path, const char *pki_name)
{
	size_t len;
	char *data = th_read_file(th_pki(pki_name), &len);
	char tmp[4200];
	FILE *f;

	/* Written beside and renamed over, as an administrator replacing a bundle would. */
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	ck_assert_ptr_nonnull(f = fopen(tmp, "wb"));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(rename(tmp, path), 0);
	free(data);
}

static kel_indication verify_with(const char *xml, size_t len, const char *trust)
{
	kel_verify_options o = KEL_VERIFY_OPTIONS_INIT;
	kel_report *r = NULL;
	kel_indication ind;

	o.trust_file = trust;
	ck_assert_msg(kel_verify(&r, xml, len, &o) == 0, "%s", th_error_message());
	ind = kel_report_indication(r);
	kel_report_free(r);
	return ind;
}

START_TEST(test_x509_cache__changed_trust_file_takes_effect)
{
	char dir[] = "/tmp/kelisim-x509-cache-XXXXXX", path[4096];
	size_t len;
	char *xml = signed_consent(&len);
	X509_STORE *a = NULL, *b = NULL;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/anchors.pem", dir);
	write_file(path, "root.crt");
	ck_assert_int_eq(verify_with(xml, len, path), KEL_INDICATION_PASSED);
	ck_assert_int_eq(kel__x509_cache_trust_file(&a, path), 0);
	ck_assert_int_eq(kel__x509_cache_trust_file(&b, path), 0);
	ck_assert_ptr_eq(a, b);   /* same contents: one store */
	X509_STORE_free(b);
	/* The anchor replaced by another hierarchy's root: the next verification sees it. */
	write_file(path, "untrusted-root.crt");
	ck_assert_int_eq(verify_with(xml, len, path), KEL_INDICATION_INDETERMINATE);
	ck_assert_int_eq(kel__x509_cache_trust_file(&b, path), 0);
	ck_assert_ptr_ne(a, b);
	X509_STORE_free(b);
	/* And back: the first store serves again, with the same verdict as at first. */
	write_file(path, "root.crt");
	ck_assert_int_eq(verify_with(xml, len, path), KEL_INDICATION_PASSED);
	X509_STORE_free(a);
	unlink(path);
	rmdir(dir);
	free(xml);
}
END_TEST

START_TEST(test_x509_cache__unreadable_or_empty_trust_file_refused)
{
	char dir[] = "/tmp/kelisim-x509-cache-XXXXXX", path[4096];
	X509_STORE *s = (X509_STORE *)1;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/missing.pem", dir);
	ck_assert_int_eq(kel__x509_cache_trust_file(&s, path), KEL_EIO);
	ck_assert_ptr_null(s);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "missing.pem"));
	snprintf(path, sizeof(path), "%s/empty.pem", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	fputs("no PEM here\n", f);
	fclose(f);
	ck_assert_int_eq(kel__x509_cache_trust_file(&s, path), KEL_EIO);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "no certificate or CRL"));
	unlink(path);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("x509_cache");
	TCase *tc = tcase_create("x509_cache");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_x509_cache__same_bytes_share_other_bytes_do_not);
	tcase_add_test(tc, test_x509_cache__not_one_whole_certificate_refused);
	tcase_add_test(tc, test_x509_cache__more_certificates_than_kept);
	tcase_add_test(tc, test_x509_cache__changed_trust_file_takes_effect);
	tcase_add_test(tc, test_x509_cache__unreadable_or_empty_trust_file_refused);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
