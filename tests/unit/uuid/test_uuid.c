/*
 * UUIDv7 generation and UUID syntax.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "helpers.h"
#include "kelisim.h"

START_TEST(test_uuid__v7_layout)
{
	char id[KEL_UUID_STRLEN + 1];
	unsigned long long ms = 0;
	time_t before = time(NULL);

	ck_assert_int_eq(kel_uuid7_generate(id), 0);
	ck_assert_uint_eq(strlen(id), 36);
	ck_assert(kel_uuid_is_valid(id));
	ck_assert_int_eq(id[14], '7');
	ck_assert(strchr("89ab", id[19]) != NULL);
	/* The first 48 bits are the Unix time in milliseconds. */
	for (int i = 0; i < 13; i++)
		if (id[i] != '-')
			ms = ms * 16 + (unsigned long long)(strchr("0123456789abcdef", id[i]) -
				"0123456789abcdef");
	ck_assert_int_le(llabs((long long)(ms / 1000) - (long long)before), 2);
}
END_TEST

START_TEST(test_uuid__unique)
{
	char prev[KEL_UUID_STRLEN + 1], id[KEL_UUID_STRLEN + 1];

	ck_assert_int_eq(kel_uuid7_generate(prev), 0);
	for (int i = 0; i < 2000; i++) {
		ck_assert_int_eq(kel_uuid7_generate(id), 0);
		ck_assert_str_ne(id, prev);
		memcpy(prev, id, sizeof(id));
	}
}
END_TEST

START_TEST(test_uuid__syntax)
{
	ck_assert(kel_uuid_is_valid("019ab4c2-8e10-7a3c-9f21-5d6e7f8a9b0c"));
	ck_assert(kel_uuid_is_valid("123e4567-e89b-42d3-a456-426614174000"));
	ck_assert(!kel_uuid_is_valid("019AB4C2-8E10-7A3C-9F21-5D6E7F8A9B0C"));  /* upper case */
	ck_assert(!kel_uuid_is_valid("019ab4c2-8e10-0a3c-9f21-5d6e7f8a9b0c"));  /* version 0 */
	ck_assert(!kel_uuid_is_valid("019ab4c2-8e10-7a3c-cf21-5d6e7f8a9b0c"));  /* variant */
	ck_assert(!kel_uuid_is_valid("019ab4c28e107a3c9f215d6e7f8a9b0c"));
	ck_assert(!kel_uuid_is_valid("019ab4c2-8e10-7a3c-9f21-5d6e7f8a9b0"));
	ck_assert(!kel_uuid_is_valid("019ab4c2-8e10-7a3c-9f21-5d6e7f8a9b0cc"));
	ck_assert(!kel_uuid_is_valid(""));
	ck_assert(!kel_uuid_is_valid(NULL));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("uuid");
	TCase *tc = tcase_create("uuid");

	tcase_add_test(tc, test_uuid__v7_layout);
	tcase_add_test(tc, test_uuid__unique);
	tcase_add_test(tc, test_uuid__syntax);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
