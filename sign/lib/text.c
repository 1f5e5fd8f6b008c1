/*
 * Text checks.
 */
#include <string.h>
#include <stdio.h>

#include "text.h"

/* Decode one UTF-8 sequence at s; returns its length and sets *cp, or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, unsigned long *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf && (s[1] & 0xc0) == 0x80) {
		*cp = ((unsigned long)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if ((s[0] & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		*cp = ((unsigned long)(s[0] & 0x0f) << 12) | ((unsigned long)(s[1] & 0x3f) << 6) |
			(s[2] & 0x3f);
		/* Overlong forms and UTF-16 surrogates are not characters. */
		if (*cp < 0x800 || (*cp >= 0xd800 && *cp <= 0xdfff))
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
	    (s[3] & 0xc0) == 0x80) {
		*cp = ((unsigned long)(s[0] & 0x07) << 18) | ((unsigned long)(s[1] & 0x3f) << 12) |
			((unsigned long)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
		if (*cp < 0x10000 || *cp > 0x10ffff)
			return 0;
		return 4;
	}
	return 0;
}

static int is_blank(unsigned long cp)
{
	return cp == ' ' || cp == 0xa0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200b);
}

const char *kel__text_problem(const char *s, size_t max_chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;
	unsigned long cp = 0;
	int last_blank = 0;

	if (s == NULL || *s == '\0')
		return "must not be empty";
	while (*p) {
		size_t n = utf8_decode(p, &cp);
		if (n == 0)
			return "is not valid UTF-8";
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return "contains a control character";
		if (cp == 0xfffe || cp == 0xffff)
			return "contains a non-character";
		if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			return "contains a bidirectional override";
		if (chars == 0 && is_blank(cp))
			return "must not begin or end with blanks";
		last_blank = is_blank(cp);
		chars++;
		p += n;
	}
	if (last_blank)
		return "must not begin or end with blanks";
	if (chars > max_chars) {
		/* Per thread, so that concurrent callers each get their own limit in the text. */
		static _Thread_local char too_long[48];
		snprintf(too_long, sizeof(too_long), "longer than %zu characters", max_chars);
		return too_long;
	}
	return NULL;
}

int kel__date_is_valid(const char *s)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, leap;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 && leap);
}

void kel__utc_format(time_t t, char out[21])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void kel__kz_date(time_t t, char out[11])
{
	struct tm tm;
	time_t local = t + 5 * 3600;

	gmtime_r(&local, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ISO 3166-1 alpha-2, officially assigned codes, in order. */
static const char countries[] =
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
	"BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ "
	"DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP "
	"GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG "
	"KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML "
	"MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE "
	"PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL "
	"SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM "
	"US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

int kel__country_is_known(const char *code)
{
	if (code == NULL || strlen(code) != 2 || code[0] < 'A' || code[0] > 'Z' ||
	    code[1] < 'A' || code[1] > 'Z')
		return 0;
	for (const char *p = countries; *p; p += (p[2] ? 3 : 2))
		if (p[0] == code[0] && p[1] == code[1])
			return 1;
	return 0;
}

int kel__phone_is_valid(const char *s)
{
	int digits = 0;

	if (s == NULL || *s == '\0')
		return 0;
	if (*s == '+')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s != ' ' && *s != '(' && *s != ')' && *s != '-')
			return 0;
	}
	return digits >= 7 && digits <= 15;
}

int kel__email_is_valid(const char *s)
{
	const char *at, *dot;

	if (s == NULL || strlen(s) > 254 || strpbrk(s, " \t<>\"(),;:[]\\") != NULL)
		return 0;
	at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return 0;
	dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0';
}
