/*
 * Checks on free text, dates, countries, phones and e-mail addresses.
 */
#include <string.h>
#include "helpers.h"
#include "text.h"

START_TEST(test_text__accepts_names)
{
	ck_assert_ptr_null(kel__text_problem("Серікбаев Арман Қайратұлы", KEL_TEXT_MAX));
	ck_assert_ptr_null(kel__text_problem("ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І", KEL_TEXT_MAX));
	ck_assert_ptr_null(kel__text_problem("«1С-Битрикс Қазақстан» ЖШС", KEL_TEXT_MAX));
	ck_assert_ptr_null(kel__text_problem("O'Brien & Sons <Ltd>", KEL_TEXT_MAX));
	ck_assert_ptr_null(kel__text_problem("x", 1));
}
END_TEST

START_TEST(test_text__refusals)
{
	char long_text[2100];

	ck_assert_str_eq(kel__text_problem("", KEL_TEXT_MAX), "must not be empty");
	ck_assert_str_eq(kel__text_problem(" Arman", KEL_TEXT_MAX), "must not begin or end with blanks");
	ck_assert_str_eq(kel__text_problem("Arman ", KEL_TEXT_MAX), "must not begin or end with blanks");
	ck_assert_str_eq(kel__text_problem("Arman\xc2\xa0", KEL_TEXT_MAX),
		"must not begin or end with blanks");
	ck_assert_str_eq(kel__text_problem("Ar\nman", KEL_TEXT_MAX), "contains a control character");
	ck_assert_str_eq(kel__text_problem("Ar\tman", KEL_TEXT_MAX), "contains a control character");
	ck_assert_str_eq(kel__text_problem("Ar\x7fman", KEL_TEXT_MAX), "contains a control character");
	ck_assert_str_eq(kel__text_problem("Ar\xc2\x85man", KEL_TEXT_MAX), "contains a control character");
	ck_assert_str_eq(kel__text_problem("Ar\xef\xbf\xbeman", KEL_TEXT_MAX), "contains a non-character");
	/* U+202E RIGHT-TO-LEFT OVERRIDE would make a signed name display reversed. */
	ck_assert_str_eq(kel__text_problem("Arman\xe2\x80\xaenamrA", KEL_TEXT_MAX),
		"contains a bidirectional override");
	ck_assert_str_eq(kel__text_problem("Arman\xe2\x81\xa6x", KEL_TEXT_MAX),
		"contains a bidirectional override");
	ck_assert_str_eq(kel__text_problem("Ar\xc3man", KEL_TEXT_MAX), "is not valid UTF-8");
	ck_assert_str_eq(kel__text_problem("\xc0\xaf", KEL_TEXT_MAX), "is not valid UTF-8");  /* overlong */
	ck_assert_str_eq(kel__text_problem("\xed\xa0\x80", KEL_TEXT_MAX), "is not valid UTF-8"); /* surrogate */
	ck_assert_str_eq(kel__text_problem("\xf4\x90\x80\x80", KEL_TEXT_MAX), "is not valid UTF-8");
	memset(long_text, 'a', 2049);
	long_text[2049] = '\0';
	ck_assert_str_eq(kel__text_problem(long_text, KEL_TEXT_MAX), "longer than 2048 characters");
	long_text[2048] = '\0';
	ck_assert_ptr_null(kel__text_problem(long_text, KEL_TEXT_MAX));
	/* Each limit is named as it is. */
	ck_assert_str_eq(kel__text_problem("KAZ", 2), "longer than 2 characters");
	ck_assert_str_eq(kel__text_problem("9001013000070", 12), "longer than 12 characters");
}
END_TEST

START_TEST(test_text__counts_characters_not_bytes)
{
	char text[2 * 2048 + 1];

	/* 2048 Kazakh letters of two bytes each: exactly at the limit. */
	for (int i = 0; i < 2048; i++)
		memcpy(text + 2 * i, "\xd2\x9b", 2);   /* қ */
	text[4096] = '\0';
	ck_assert_ptr_null(kel__text_problem(text, KEL_TEXT_MAX));
}
END_TEST

START_TEST(test_text__dates)
{
	ck_assert(kel__date_is_valid("2026-11-25"));
	ck_assert(kel__date_is_valid("2024-02-29"));
	ck_assert(kel__date_is_valid("2000-02-29"));
	ck_assert(!kel__date_is_valid("2100-02-29"));
	ck_assert(!kel__date_is_valid("2026-02-29"));
	ck_assert(!kel__date_is_valid("2026-13-01"));
	ck_assert(!kel__date_is_valid("2026-04-31"));
	ck_assert(!kel__date_is_valid("2026-00-10"));
	ck_assert(!kel__date_is_valid("2026-1-1"));
	ck_assert(!kel__date_is_valid("25.11.2026"));
	ck_assert(!kel__date_is_valid("2026-11-25T00:00:00Z"));
	ck_assert(!kel__date_is_valid(""));
}
END_TEST

START_TEST(test_text__utc_format)
{
	char out[21];

	kel__utc_format(0, out);
	ck_assert_str_eq(out, "1970-01-01T00:00:00Z");
	kel__utc_format(1795000000, out);
	ck_assert_str_eq(out, "2026-11-18T11:06:40Z");
	/* 2026-11-18T20:00:00Z is already 19 November in Kazakhstan (UTC+5)... */
	kel__kz_date(1795000000 + 8 * 3600 + 53 * 60 + 20, out);
	ck_assert_str_eq(out, "2026-11-19");
	/* ...and 18:59:59Z still the 18th. */
	kel__kz_date(1795000000 + 7 * 3600 + 53 * 60 + 19, out);
	ck_assert_str_eq(out, "2026-11-18");
}
END_TEST

START_TEST(test_text__countries_phones_emails)
{
	ck_assert(kel__country_is_known("KZ"));
	ck_assert(kel__country_is_known("AD"));
	ck_assert(kel__country_is_known("ZW"));
	ck_assert(kel__country_is_known("DE"));
	ck_assert(!kel__country_is_known("XX"));
	ck_assert(!kel__country_is_known("kz"));
	ck_assert(!kel__country_is_known("KAZ"));
	ck_assert(!kel__country_is_known(""));

	ck_assert(kel__phone_is_valid("+77011234567"));
	ck_assert(kel__phone_is_valid("+7 (727) 300-00-00"));
	ck_assert(!kel__phone_is_valid("12345"));
	ck_assert(!kel__phone_is_valid("+7701123456x"));
	ck_assert(!kel__phone_is_valid("+1234567890123456"));

	ck_assert(kel__email_is_valid("arman@example.kz"));
	ck_assert(!kel__email_is_valid("arman@example"));
	ck_assert(!kel__email_is_valid("arman example.kz"));
	ck_assert(!kel__email_is_valid("@example.kz"));
	ck_assert(!kel__email_is_valid("a@b@example.kz"));
	ck_assert(!kel__email_is_valid("a@example.kz."));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, test_text__accepts_names);
	tcase_add_test(tc, test_text__refusals);
	tcase_add_test(tc, test_text__counts_characters_not_bytes);
	tcase_add_test(tc, test_text__dates);
	tcase_add_test(tc, test_text__utc_format);
	tcase_add_test(tc, test_text__countries_phones_emails);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
