/*
 * IIN and BIN checks.
 */
#include <string.h>

#include "kelisim/kzid.h"
#include "kelisim/error.h"

static const int first_weights[11] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
static const int second_weights[11] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2 };

static int weighted_mod11(const char *s, const int *weights)
{
	int sum = 0;

	for (int i = 0; i < 11; i++)
		sum += (s[i] - '0') * weights[i];
	return sum % 11;
}

int kel_kzid_control_digit(const char *s)
{
	int d;

	if (s == NULL)
		return -1;
	for (int i = 0; i < 11; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	d = weighted_mod11(s, first_weights);
	if (d == 10)
		d = weighted_mod11(s, second_weights);
	return d == 10 ? -1 : d;
}

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return KEL_EINVALID;
}

/* Shape and control digit, common to IIN and BIN. */
static int check_digits(const char *s, const char **why)
{
	int control;

	if (s == NULL || strlen(s) != 12)
		return fail(why, "must be exactly 12 digits");
	for (int i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return fail(why, "must be exactly 12 digits");
	control = kel_kzid_control_digit(s);
	if (control < 0)
		return fail(why, "no control digit exists for these digits");
	if (s[11] - '0' != control)
		return fail(why, "control digit mismatch");
	return 0;
}

static int two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int kel_kzid_check_iin(const char *s, const char **why)
{
	static const int days_in_month[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int month, day;

	if (check_digits(s, why) < 0)
		return KEL_EINVALID;
	/*
	 * Digits 1-6 are the birth date. The century digit (7th) tells the century, so the exact
	 * leap year is not known for every value of it; 29 February is let through.
	 */
	month = two_digits(s + 2);
	day = two_digits(s + 4);
	if (month < 1 || month > 12 || day < 1 || day > days_in_month[month - 1])
		return fail(why, "digits 1-6 are not a birth date (YYMMDD)");
	if (s[6] > '6')
		return fail(why, "digit 7 (century and sex) must be 0-6");
	return 0;
}

int kel_kzid_check_bin(const char *s, const char **why)
{
	int month;

	if (check_digits(s, why) < 0)
		return KEL_EINVALID;
	/* Digits 1-4 are the registration year and month. */
	month = two_digits(s + 2);
	if (month < 1 || month > 12)
		return fail(why, "digits 3-4 are not a registration month");
	return 0;
}
