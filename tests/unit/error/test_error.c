/*
 * The error type: codes, messages, per-thread state.
 */
#include <pthread.h>
#include <string.h>
#include "helpers.h"
#include "kelisim.h"
#include "error_internal.h"
#include <openssl/err.h>
#include <openssl/evp.h>

START_TEST(test_error__set_and_clear)
{
	const kel_error *e;

	kel_error_clear();
	ck_assert_ptr_null(kel_error_last());
	ck_assert_int_eq(kel_fail(KEL_EINVALID, "subject.iin: %s", "control digit mismatch"),
		KEL_EINVALID);
	e = kel_error_last();
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->code, KEL_EINVALID);
	ck_assert_str_eq(e->message, "subject.iin: control digit mismatch");
	ck_assert_ptr_nonnull(strstr(e->file, "test_error.c"));
	ck_assert_str_eq(e->function, "test_error__set_and_clear_fn");
	kel_error_clear();
	ck_assert_ptr_null(kel_error_last());
}
END_TEST

START_TEST(test_error__strerror)
{
	ck_assert_str_eq(kel_strerror(KEL_OK), "no error");
	ck_assert_str_eq(kel_strerror(KEL_EINVALID), "input refused as invalid");
	ck_assert_str_eq(kel_strerror(KEL_EPARSE), "malformed input");
	ck_assert_str_eq(kel_strerror(-999), "unknown error");
	/* Codes are never renumbered. */
	ck_assert_int_eq(KEL_EINVALID, -6);
	ck_assert_int_eq(KEL_ETOOBIG, -10);
}
END_TEST

START_TEST(test_error__openssl_text_kept)
{
	/* Provoke an OpenSSL error: an unknown digest name. */
	ck_assert_ptr_null(EVP_MD_fetch(NULL, "NO-SUCH-DIGEST", NULL));
	ck_assert_int_eq(kel_fail_openssl(KEL_ECRYPTO, "digest lookup failed"), KEL_ECRYPTO);
	ck_assert_ptr_nonnull(strstr(kel_error_last()->message, "digest lookup failed: "));
	ck_assert_ptr_nonnull(strstr(kel_error_last()->message, "unsupported"));
	ck_assert_int_eq(ERR_peek_error(), 0);   /* the queue was emptied */
}
END_TEST

static void *other_thread(void *arg)
{
	(void)arg;
	/* A fresh thread has no error, whatever the main thread has. */
	return (void *)(kel_error_last() == NULL ? "clean" : "dirty");
}

START_TEST(test_error__per_thread)
{
	pthread_t t;
	void *result;

	kel_fail(KEL_EIO, "main thread error");
	ck_assert_int_eq(pthread_create(&t, NULL, other_thread, NULL), 0);
	ck_assert_int_eq(pthread_join(t, &result), 0);
	ck_assert_str_eq((const char *)result, "clean");
	ck_assert_str_eq(kel_error_last()->message, "main thread error");
}
END_TEST

START_TEST(test_error__long_message)
{
	char big[10000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	kel_fail(KEL_ERROR, "%s", big);
	ck_assert_uint_eq(strlen(kel_error_last()->message), sizeof(big) - 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("error");
	TCase *tc = tcase_create("error");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_add_test(tc, test_error__set_and_clear);
	tcase_add_test(tc, test_error__strerror);
	tcase_add_test(tc, test_error__openssl_text_kept);
	tcase_add_test(tc, test_error__per_thread);
	tcase_add_test(tc, test_error__long_message);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
