/*
 * Optional libraries loaded on first use (dynload.c): a group that loads gives working
 * functions, one whose library or function is missing fails every call with
 * KEL_EUNSUPPORTED naming what is missing, and the real groups (cairo and pango, zbar,
 * libpq) load on a machine set up by the README.
 */
#include <string.h>
#include <zlib.h>
#include <check.h>

#include "kelisim.h"
#include "helpers.h"
#include "dynload.h"
#include "dl_cairo.h"
#include "dl_zbar.h"
#ifdef KELISIM_WITH_PQ
#include "dl_pq.h"
#endif

static __typeof__(zlibVersion) *loaded_zlib_version;
static __typeof__(crc32) *loaded_crc32;

START_TEST(test_dynload__group_loads_and_works)
{
	static const char *const sonames[] = { "libz.so.1", NULL };
	static const struct kel__dynsym syms[] = {
		{ "zlibVersion", (void **)&loaded_zlib_version }, { "crc32", (void **)&loaded_crc32 },
	};
	static struct kel__dyngroup group = KEL_DYNGROUP_INIT("zlib", sonames, syms);

	ck_assert_int_eq(kel__dynloaded(&group), 0);
	ck_assert_int_eq(kel__dynload(&group), 0);
	ck_assert_int_eq(kel__dynloaded(&group), 1);
	ck_assert_int_eq(kel__dynload(&group), 0);   /* loaded once, answered again */
	ck_assert_str_eq(loaded_zlib_version(), zlibVersion());
	ck_assert_uint_eq(loaded_crc32(0, (const Bytef *)"kelisim", 7),
		crc32(0, (const Bytef *)"kelisim", 7));
}
END_TEST

START_TEST(test_dynload__missing_library_named)
{
	static void *slot;
	static const char *const sonames[] = { "libkelisim-not-there.so.9", NULL };
	static const struct kel__dynsym syms[] = { { "anything", &slot } };
	static struct kel__dyngroup group = KEL_DYNGROUP_INIT("a test group", sonames, syms);

	for (int i = 0; i < 2; i++) {   /* the same answer every time, not only the first */
		ck_assert_int_eq(kel__dynload(&group), KEL_EUNSUPPORTED);
		ck_assert_ptr_nonnull(strstr(th_error_message(), "a test group is not available"));
		ck_assert_ptr_nonnull(strstr(th_error_message(), "libkelisim-not-there.so.9"));
	}
	ck_assert_int_eq(kel__dynloaded(&group), 0);
	ck_assert_ptr_null(slot);
}
END_TEST

START_TEST(test_dynload__missing_function_named)
{
	static void *a, *b;
	static const char *const sonames[] = { "libz.so.1", NULL };
	static const struct kel__dynsym syms[] = {
		{ "zlibVersion", &a }, { "kelisim_no_such_function", &b },
	};
	static struct kel__dyngroup group = KEL_DYNGROUP_INIT("zlib", sonames, syms);

	ck_assert_int_eq(kel__dynload(&group), KEL_EUNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "kelisim_no_such_function"));
	ck_assert_int_eq(kel__dynloaded(&group), 0);
}
END_TEST

START_TEST(test_dynload__real_groups_load)
{
	ck_assert_msg(kel__dynload(&kel__dl_cairo) == 0, "%s", th_error_message());
	ck_assert_msg(kel__dynload(&kel__dl_zbar) == 0, "%s", th_error_message());
	/* Through the pointers, the library's own answer. */
	ck_assert_str_eq(cairo_status_to_string(CAIRO_STATUS_SUCCESS), "no error has occurred");
#ifdef KELISIM_WITH_PQ
	ck_assert_msg(kel__dynload(&kel__dl_pq) == 0, "%s", th_error_message());
	ck_assert_int_eq(PQstatus(NULL), CONNECTION_BAD);
#endif
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dynload");
	TCase *tc = tcase_create("dynload");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_add_test(tc, test_dynload__group_loads_and_works);
	tcase_add_test(tc, test_dynload__missing_library_named);
	tcase_add_test(tc, test_dynload__missing_function_named);
	tcase_add_test(tc, test_dynload__real_groups_load);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
