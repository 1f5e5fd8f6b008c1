/*
 * Tree heads: their text form, its strict reader, and the bytes a signature covers.
 *
 * The reader accepts only what the writer writes (serialize(parse(text)) == text): a head is
 * evidence, and a text that two programs could read differently, or that could carry bytes
 * after what was checked, would weaken it.
 */
#include <inttypes.h>
#include <string.h>

#include "kelisim/merkle.h"
#include "merkle_internal.h"
#include "buf_internal.h"
#include "error_internal.h"

#define HLEN KEL_MERKLE_HASH_SIZE
#define HEXLEN (2 * HLEN)

/* ---- Time ------------------------------------------------------------------------ */

/*
 * Days since 1970-01-01 of a proleptic Gregorian date, and back. Done by hand rather than
 * with timegm/gmtime so that the result depends on neither time_t's width nor the C
 * library. Years count from March, which puts the leap day at the end of the year.
 */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;   /* y >= 1969 here, so plain division is floor division */
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;   /* z >= 0 for every time a head may carry */
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Write v as exactly n decimal digits at p (v < 10^n). */
static void put_digits(char *p, unsigned int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
}

/* t in 0..KEL_MERKLE_TIME_MAX as YYYY-MM-DDThh:mm:ssZ. */
static void format_time(int64_t t, char out[21])
{
	unsigned int secs = (unsigned int)(t % 86400);
	int64_t y;
	int m, d;

	civil_from_days(t / 86400, &y, &m, &d);
	memcpy(out, "0000-00-00T00:00:00Z", 21);
	put_digits(out, (unsigned int)y, 4);
	put_digits(out + 5, (unsigned int)m, 2);
	put_digits(out + 8, (unsigned int)d, 2);
	put_digits(out + 11, secs / 3600, 2);
	put_digits(out + 14, secs / 60 % 60, 2);
	put_digits(out + 17, secs % 60, 2);
}

/* Parse n decimal digits at s; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* YYYY-MM-DDThh:mm:ssZ (20 characters) to seconds; -1 if malformed or impossible. */
static int64_t parse_time(const char *s)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, se, leap;

	if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    s[19] != 'Z')
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	se = digits(s + 17, 2);
	/* 60 seconds is refused: POSIX time has no leap seconds, and it would not round-trip. */
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    se < 0 || se > 59)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] + (mo == 2 && leap))
		return -1;
	return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

/* ---- Tree heads -------------------------------------------------------------------- */

static const char head_magic[] = "kelisim-tree-head 1\n";
static const char sign_magic[] = "kelisim-tree-head-v1";   /* + its NUL: 21 bytes */

#define HEAD_TEXT_MAX 512

static int log_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '.' || c == '_' || c == ':' || c == '/';
}

/* The length of a valid log id in s (at most max characters looked at), or 0. */
static size_t log_id_length(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && n <= KEL_MERKLE_LOG_ID_MAX && log_id_char(s[n]))
		n++;
	return n <= KEL_MERKLE_LOG_ID_MAX ? n : 0;
}

static int check_head(const kel_merkle_head *head, const char *what)
{
	size_t n;

	if (head == NULL)
		return kel_fail(KEL_EINVAL, "%s: NULL argument", what);
	n = log_id_length(head->log_id, KEL_MERKLE_LOG_ID_MAX + 1);
	if (n == 0 || head->log_id[n] != '\0')
		return kel_fail(KEL_EINVAL, "%s: the log id must be 1 to %d of A-Z a-z 0-9 - . _ : /",
			what, KEL_MERKLE_LOG_ID_MAX);
	if (head->time < 0 || head->time > KEL_MERKLE_TIME_MAX)
		return kel_fail(KEL_EINVAL, "%s: time %" PRId64 " is outside 1970-9999", what,
			head->time);
	return 0;
}

int kel_merkle_head_serialize(kel_buf *out, const kel_merkle_head *head)
{
	char root[HEXLEN + 1], when[21];
	int rc;

	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_head_serialize: NULL argument");
	if ((rc = check_head(head, "tree head")) < 0)
		return rc;
	kel_merkle_hash_to_hex(root, head->root);
	format_time(head->time, when);
	kel_buf_clear(out);
	return kel_buf_printf(out, "%slog %s\nsize %" PRIu64 "\nroot %s\ntime %s\n", head_magic,
		head->log_id, head->size, root, when);
}

/* A cursor over the head's text; expect() and value() each consume one piece or fail. */
struct reader {
	const char *p, *end;
};

static int expect(struct reader *r, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, lit, n) != 0)
		return -1;
	r->p += n;
	return 0;
}

/* The field's value: from the cursor to the next LF, which is consumed. */
static int value(struct reader *r, const char **v, size_t *len)
{
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));

	if (nl == NULL)
		return -1;
	*v = r->p;
	*len = (size_t)(nl - r->p);
	r->p = nl + 1;
	return 0;
}

static int parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	/* Canonical decimal: no sign, no leading zero (except "0" itself), at most 20 digits. */
	if (len == 0 || len > 20 || (s[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned int d = (unsigned int)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* The first argument is a string literal that goes on from "line ". */
#define HEAD_FAIL(...) kel_fail(KEL_EPARSE, "tree head, line " __VA_ARGS__)

int kel_merkle_head_parse(kel_merkle_head *out, const char *text, size_t len)
{
	struct reader r;
	kel_merkle_head h;
	const char *v;
	size_t vlen;
	int64_t t;

	if (out == NULL || text == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_head_parse: NULL argument");
	if (len > HEAD_TEXT_MAX)
		return kel_fail(KEL_ETOOBIG, "tree head: %zu bytes, more than %d", len,
			HEAD_TEXT_MAX);
	memset(&h, 0, sizeof(h));
	r.p = text;
	r.end = text + len;

	if (expect(&r, head_magic) < 0)
		return HEAD_FAIL("1: not \"kelisim-tree-head 1\"");
	if (expect(&r, "log ") < 0 || value(&r, &v, &vlen) < 0)
		return HEAD_FAIL("2: expected \"log ID\"");
	if (vlen == 0 || log_id_length(v, vlen) != vlen)
		return HEAD_FAIL("2: the log id must be 1 to %d of A-Z a-z 0-9 - . _ : /",
			KEL_MERKLE_LOG_ID_MAX);
	memcpy(h.log_id, v, vlen);
	h.log_id[vlen] = '\0';
	if (expect(&r, "size ") < 0 || value(&r, &v, &vlen) < 0)
		return HEAD_FAIL("3: expected \"size N\"");
	if (parse_size(v, vlen, &h.size) < 0)
		return HEAD_FAIL("3: the size must be a decimal number up to %" PRIu64
			", without leading zeros", UINT64_MAX);
	if (expect(&r, "root ") < 0 || value(&r, &v, &vlen) < 0)
		return HEAD_FAIL("4: expected \"root HEX\"");
	if (kel__merkle_hex_decode(h.root, v, vlen) < 0)
		return HEAD_FAIL("4: the root must be 64 lower-case hex digits");
	if (expect(&r, "time ") < 0 || value(&r, &v, &vlen) < 0)
		return HEAD_FAIL("5: expected \"time YYYY-MM-DDThh:mm:ssZ\"");
	if (vlen != 20 || (t = parse_time(v)) < 0)
		return HEAD_FAIL("5: the time must be a valid YYYY-MM-DDThh:mm:ssZ, "
			"1970 to 9999");
	h.time = t;
	if (r.p != r.end)
		return kel_fail(KEL_EPARSE, "tree head: %zu bytes after the last field",
			(size_t)(r.end - r.p));
	*out = h;
	return 0;
}

int kel_merkle_head_signed_bytes(kel_buf *out, const kel_merkle_head *head)
{
	unsigned char fixed[8 + 8];
	unsigned char id_len;
	uint64_t t;
	int rc;

	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_merkle_head_signed_bytes: NULL argument");
	if ((rc = check_head(head, "tree head")) < 0)
		return rc;
	id_len = (unsigned char)strlen(head->log_id);   /* 1..128, checked above */
	t = (uint64_t)head->time;                         /* 0..KEL_MERKLE_TIME_MAX */
	for (int i = 0; i < 8; i++) {
		fixed[i] = (unsigned char)(head->size >> (56 - 8 * i));
		fixed[8 + i] = (unsigned char)(t >> (56 - 8 * i));
	}
	kel_buf_clear(out);
	if (kel_buf_put(out, sign_magic, sizeof(sign_magic)) < 0 ||
	    kel_buf_put(out, &id_len, 1) < 0 ||
	    kel_buf_put(out, head->log_id, id_len) < 0 ||
	    kel_buf_put(out, fixed, sizeof(fixed)) < 0 ||
	    kel_buf_put(out, head->root, HLEN) < 0)
		return KEL_ENOMEM;
	return 0;
}
