/*
 * IIN and BIN checks.
 */
#include <string.h>
#include "helpers.h"
#include "kelisim.h"

/*
 * An independent computation of the control digit, written from the published rule, so the
 * library is not only checked against itself.
 */
static int reference_control(const char *s)
{
	int sum = 0;
	for (int i = 0; i < 11; i++)
		sum += (s[i] - '0') * (i + 1);
	if (sum % 11 != 10)
		return sum % 11;
	sum = 0;
	for (int i = 0; i < 11; i++)
		sum += (s[i] - '0') * ((i + 2) % 11 + 1);
	return sum % 11 == 10 ? -1 : sum % 11;
}

START_TEST(test_kzid__valid_numbers)
{
	/* The processor's BIN from the DPA, and numbers made for the examples. */
	static const char *const bins[] = { "130340020239", "990340000004", "160240007888" };
	static const char *const iins[] = { "900101300007", "950712400123", "851215600106",
		"070412400554" };
	const char *why = NULL;

	for (size_t i = 0; i < sizeof(bins) / sizeof(*bins); i++)
		ck_assert_msg(kel_kzid_check_bin(bins[i], &why) == 0, "%s: %s", bins[i], why);
	for (size_t i = 0; i < sizeof(iins) / sizeof(*iins); i++)
		ck_assert_msg(kel_kzid_check_iin(iins[i], &why) == 0, "%s: %s", iins[i], why);
}
END_TEST

START_TEST(test_kzid__wrong_control_digit)
{
	const char *why = NULL;

	ck_assert_int_eq(kel_kzid_check_iin("900101300006", &why), KEL_EINVALID);
	ck_assert_str_eq(why, "control digit mismatch");
	ck_assert_int_eq(kel_kzid_check_bin("130340020238", &why), KEL_EINVALID);
	ck_assert_str_eq(why, "control digit mismatch");
	/* Every wrong last digit of a valid IIN is refused. */
	for (char d = '0'; d <= '9'; d++) {
		char s[13] = "90010130000";
		s[11] = d;
		s[12] = '\0';
		ck_assert_int_eq(kel_kzid_check_iin(s, NULL) == 0, d == '7');
	}
}
END_TEST

START_TEST(test_kzid__second_weighting)
{
	/* 9001013008x: the first weighting gives 10, the second none at all (see below). */
	const char *why = NULL;

	ck_assert_int_eq(kel_kzid_control_digit("90010130081"), 1);
	ck_assert_int_eq(kel_kzid_check_iin("900101300811", &why), 0);
	ck_assert_int_eq(kel_kzid_control_digit("90010130082"), 3);
	ck_assert_int_eq(kel_kzid_check_iin("900101300823", &why), 0);
	ck_assert_int_eq(kel_kzid_control_digit("90010130080"), -1);
	ck_assert_int_eq(kel_kzid_check_iin("900101300800", &why), KEL_EINVALID);
	ck_assert_str_eq(why, "no control digit exists for these digits");
}
END_TEST

START_TEST(test_kzid__agrees_with_reference)
{
	char s[12];
	unsigned long x = 12345;

	/* A few thousand pseudo-random prefixes, both weightings included. */
	for (int n = 0; n < 5000; n++) {
		x = x * 6364136223846793005ul + 1442695040888963407ul;
		for (int i = 0; i < 11; i++)
			s[i] = (char)('0' + (x >> (4 * i + 3)) % 10);
		s[11] = '\0';
		ck_assert_int_eq(kel_kzid_control_digit(s), reference_control(s));
	}
}
END_TEST

START_TEST(test_kzid__shape)
{
	const char *why = NULL;

	ck_assert_int_eq(kel_kzid_check_iin("90010130000", &why), KEL_EINVALID);
	ck_assert_str_eq(why, "must be exactly 12 digits");
	ck_assert_int_eq(kel_kzid_check_iin("9001013000070", &why), KEL_EINVALID);
	ck_assert_int_eq(kel_kzid_check_iin("90010130000a", &why), KEL_EINVALID);
	ck_assert_int_eq(kel_kzid_check_iin(" 90010130000", &why), KEL_EINVALID);
	ck_assert_int_eq(kel_kzid_check_iin("", &why), KEL_EINVALID);
	ck_assert_int_eq(kel_kzid_check_iin(NULL, &why), KEL_EINVALID);
	ck_assert_int_eq(kel_kzid_check_bin("١٣٠٣٤٠٠٢٠٢", &why), KEL_EINVALID);
}
END_TEST

START_TEST(test_kzid__iin_birth_date)
{
	const char *why = NULL;
	char s[13];

	/* Month 13, with a control digit that fits: refused for the date, not the digit. */
	memcpy(s, "90130130000", 11);
	s[11] = (char)('0' + kel_kzid_control_digit("90130130000"));
	s[12] = '\0';
	ck_assert_int_ge(kel_kzid_control_digit("90130130000"), 0);
	ck_assert_int_eq(kel_kzid_check_iin(s, &why), KEL_EINVALID);
	ck_assert_str_eq(why, "digits 1-6 are not a birth date (YYMMDD)");
	/* 31 April. */
	memcpy(s, "90043130000", 11);
	s[11] = (char)('0' + kel_kzid_control_digit("90043130000"));
	ck_assert_int_eq(kel_kzid_check_iin(s, &why), KEL_EINVALID);
	ck_assert_str_eq(why, "digits 1-6 are not a birth date (YYMMDD)");
	/* Century digit 7. */
	memcpy(s, "90010170000", 11);
	s[11] = (char)('0' + kel_kzid_control_digit("90010170000"));
	ck_assert_int_eq(kel_kzid_check_iin(s, &why), KEL_EINVALID);
	ck_assert_str_eq(why, "digit 7 (century and sex) must be 0-6");
}
END_TEST

START_TEST(test_kzid__bin_month)
{
	const char *why = NULL;
	char s[13];

	memcpy(s, "99154000000", 11);
	s[11] = (char)('0' + kel_kzid_control_digit("99154000000"));
	s[12] = '\0';
	ck_assert_int_eq(kel_kzid_check_bin(s, &why), KEL_EINVALID);
	ck_assert_str_eq(why, "digits 3-4 are not a registration month");
}
END_TEST

static Suite *kzid_suite(void)
{
	Suite *s = suite_create("kzid");
	TCase *tc = tcase_create("kzid");

	tcase_add_test(tc, test_kzid__valid_numbers);
	tcase_add_test(tc, test_kzid__wrong_control_digit);
	tcase_add_test(tc, test_kzid__second_weighting);
	tcase_add_test(tc, test_kzid__agrees_with_reference);
	tcase_add_test(tc, test_kzid__shape);
	tcase_add_test(tc, test_kzid__iin_birth_date);
	tcase_add_test(tc, test_kzid__bin_month);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return th_run_suite(kzid_suite());
}
