/*
 * The QR payload's text: writing it from its fields and reading it back strictly.
 * docs/qr-payload.md is the specification; the signature itself is in qr_seal.c.
 *
 * Version 1 is  [URL prefix] "K1." id "." type "." date "." BIN "." digest "." keyid "." sig
 * with every binary field in upper-case base32: the whole part after the URL is then made of
 * QR "alphanumeric" characters (0-9 A-Z .), which take 5.5 bits each instead of 8 and let a
 * payload with a 56-character URL fit a version 10 code at level M.
 */
#include <stdio.h>
#include <string.h>

#include "qr_internal.h"
#include "kelisim/kzid.h"
#include "error_internal.h"
#include "text.h"

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* The lengths of version 1's fields, in characters. */
#define ID_CHARS KEL_B32_LEN(16)
#define DIGEST_CHARS KEL_B32_LEN(KEL_QR_DIGEST_LEN)
#define KEYID_CHARS KEL_B32_LEN(KEL_QR_KEY_ID_LEN)
#define SIG_CHARS KEL_B32_LEN(KEL_QR_SIG_LEN)
/* "K1" id type date BIN digest keyid sig: 224 characters with the seven dots. */
#define V1_FIELDS 8

/* The characters that end a URL prefix; none can occur in the part after it. */
#define URL_END "/#?=&"

void kel__b32_encode(const unsigned char *in, size_t n, char *out)
{
	unsigned int acc = 0, bits = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[k++] = b32_alphabet[(acc >> bits) & 31];
		}
		acc &= (1u << bits) - 1;
	}
	if (bits > 0)
		out[k++] = b32_alphabet[(acc << (5 - bits)) & 31];
	out[k] = '\0';
}

int kel__b32_decode(const char *in, unsigned char *out, size_t n)
{
	unsigned int acc = 0, bits = 0;
	size_t k = 0, chars = KEL_B32_LEN(n);

	for (size_t i = 0; i < chars; i++) {
		const char *at = in[i] ? strchr(b32_alphabet, in[i]) : NULL;
		if (at == NULL)
			return -1;
		acc = (acc << 5) | (unsigned int)(at - b32_alphabet);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* Left-over bits are padding: only zero is the canonical spelling. */
	return k == n && acc == 0 ? 0 : -1;
}

static const struct { kel_doc_type type; char code; } type_codes[] = {
	{ KEL_DOC_CONSENT, 'C' },
	{ KEL_DOC_TRANSFER_NOTICE, 'T' },
	{ KEL_DOC_CROSS_BORDER_CONSENT, 'X' },
	{ KEL_DOC_WITHDRAWAL, 'W' },
};

char kel__qr_type_code(kel_doc_type type)
{
	for (size_t i = 0; i < sizeof(type_codes) / sizeof(type_codes[0]); i++)
		if (type_codes[i].type == type)
			return type_codes[i].code;
	return '\0';
}

kel_doc_type kel__qr_type_from_code(char code)
{
	for (size_t i = 0; i < sizeof(type_codes) / sizeof(type_codes[0]); i++)
		if (type_codes[i].code == code)
			return type_codes[i].type;
	return 0;
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

const char *kel__qr_url_problem(const char *url)
{
	size_t n = strlen(url);

	if (n > KEL_QR_URL_MAX)
		return "longer than 56 characters";
	if (strncmp(url, "https://", 8) != 0 || !is_alnum(url[8]))
		return "must begin with https:// and a host name";
	for (size_t i = 0; i < n; i++)
		/* RFC 3986 unreserved, reserved and '%'; no blank, quote, angle bracket or '\'. */
		if (!is_alnum(url[i]) && !strchr("-._~:/?#[]@!$&'()*+,;=%", url[i]))
			return "has a character a URL may not hold";
	if (!strchr(URL_END, url[n - 1]))
		return "must end with '/', '#', '?', '=' or '&'";
	return NULL;
}

/* The descriptive fields must be what the parser would accept, so what is sealed reads back. */
static int check_fields(const kel_qr_payload *p)
{
	const char *why;

	if (p->version != KEL_QR_FORMAT_VERSION)
		return kel_fail(KEL_EINVAL, "QR payload: version %u not supported", p->version);
	if (p->url_prefix[0] && (why = kel__qr_url_problem(p->url_prefix)) != NULL)
		return kel_fail(KEL_EINVAL, "QR payload: URL prefix %s", why);
	if (!kel_uuid_is_valid(p->doc_id))
		return kel_fail(KEL_EINVAL, "QR payload: document id is not a UUID");
	if (kel__qr_type_code(p->type) == '\0')
		return kel_fail(KEL_EINVAL, "QR payload: unknown document type %d", (int)p->type);
	if (!kel__date_is_valid(p->issue_date))
		return kel_fail(KEL_EINVAL, "QR payload: issue date is not YYYY-MM-DD");
	if (kel_kzid_check_bin(p->operator_bin, &why) != 0)
		return kel_fail(KEL_EINVAL, "QR payload: operator BIN: %s", why);
	return 0;
}

/* 16 bytes from a canonical UUID string (already checked). */
static void uuid_bytes(const char *s, unsigned char out[16])
{
	int k = 0;

	for (const char *c = s; *c && k < 32; c++) {
		int v;
		if (*c == '-')
			continue;
		v = *c <= '9' ? *c - '0' : *c - 'a' + 10;
		if (k % 2 == 0)
			out[k / 2] = (unsigned char)(v << 4);
		else
			out[k / 2] |= (unsigned char)v;
		k++;
	}
}

static void uuid_text(const unsigned char in[16], char out[KEL_UUID_STRLEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	int k = 0;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[in[i] >> 4];
		out[k++] = hex[in[i] & 15];
	}
	out[k] = '\0';
}

int kel__qr_format_signed_part(kel_qr_payload *p)
{
	unsigned char id[16];
	char id32[ID_CHARS + 1], digest32[DIGEST_CHARS + 1], kid32[KEYID_CHARS + 1];
	int n, rc;

	if ((rc = check_fields(p)) < 0)
		return rc;
	uuid_bytes(p->doc_id, id);
	kel__b32_encode(id, sizeof(id), id32);
	kel__b32_encode(p->content_digest, KEL_QR_DIGEST_LEN, digest32);
	kel__b32_encode(p->key_id, KEL_QR_KEY_ID_LEN, kid32);
	n = snprintf(p->text, sizeof(p->text), "%sK%u.%s.%c.%.4s%.2s%.2s.%s.%s.%s",
		p->url_prefix, p->version, id32, kel__qr_type_code(p->type),
		p->issue_date, p->issue_date + 5, p->issue_date + 8, p->operator_bin,
		digest32, kid32);
	/* The sizes are fixed and checked above; this cannot be too long, but say so if it is. */
	if (n < 0 || (size_t)n + 1 + SIG_CHARS > KEL_QR_TEXT_MAX)
		return kel_fail(KEL_ERROR, "QR payload: text too long");
	p->text_len = p->signed_len = (size_t)n;
	return 0;
}

/* ---- parsing ------------------------------------------------------------------------ */

/* What is wrong with the byte at s (of n left), for the message. */
static const char *byte_problem(const unsigned char *s, size_t n)
{
	unsigned long cp;
	size_t need;

	if (s[0] < 0x20 || s[0] == 0x7f)
		return "a control character";
	if (s[0] == ' ')
		return "a blank";
	/* Say whether it is UTF-8 at all (RFC 3629: shortest form, no surrogates). */
	need = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 :
		s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	if (need == 0 || need > n)
		return "not UTF-8";
	cp = s[0] & (0x7f >> need);
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return "not UTF-8";
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return "not UTF-8";
	return "a non-ASCII character (a payload is printable ASCII only)";
}

/* Each field of version 1: its name, length, and its characters. */
static const struct field_rule {
	const char *name;
	size_t len;
	const char *chars;   /* NULL: base32 */
} v1_rules[V1_FIELDS] = {
	{ "version", 2, "K1" },   /* already read by version_tag() */
	{ "document id", ID_CHARS, NULL },
	{ "type", 1, "CTXW" },
	{ "issue date", 8, "0123456789" },
	{ "operator BIN", 12, "0123456789" },
	{ "content digest", DIGEST_CHARS, NULL },
	{ "key id", KEYID_CHARS, NULL },
	{ "signature", SIG_CHARS, NULL },
};

/* Split core into its fields, each checked for length and characters. */
static int split_core(const char *core, size_t len, const char *field[V1_FIELDS])
{
	const char *p = core, *end = core + len;

	for (int i = 0; i < V1_FIELDS; i++) {
		const struct field_rule *r = &v1_rules[i];
		const char *stop = memchr(p, '.', (size_t)(end - p));
		size_t n = (size_t)((stop ? stop : end) - p);

		if (n != r->len)
			return kel_fail(KEL_EINVALID, "QR payload: %s: %zu characters, expected %zu%s",
				r->name, n, r->len, stop == NULL && i < V1_FIELDS - 1 ?
				" (truncated?)" : "");
		for (size_t k = 0; k < n; k++)
			if (!strchr(r->chars ? r->chars : b32_alphabet, p[k]))
				return kel_fail(KEL_EINVALID, "QR payload: %s: character '%c' not "
					"allowed", r->name, p[k]);
		field[i] = p;
		if (i < V1_FIELDS - 1 && stop == NULL)
			return kel_fail(KEL_EINVALID, "QR payload: truncated after %s", r->name);
		if (i == V1_FIELDS - 1 && stop != NULL)
			return kel_fail(KEL_EINVALID, "QR payload: extra data after the signature");
		p = stop ? stop + 1 : end;
	}
	return 0;
}

/* The version tag "K<n>" at the start of the core; -1 when there is none. */
static long version_tag(const char *core, size_t len)
{
	long v = 0;
	size_t i = 1;

	if (len < 3 || core[0] != 'K' || core[1] < '1' || core[1] > '9')
		return -1;
	for (; i < len && i < 4 && core[i] >= '0' && core[i] <= '9'; i++)
		v = v * 10 + (core[i] - '0');
	return i < len && core[i] == '.' ? v : -1;
}

static int decode_fields(kel_qr_payload *out, const char *f[V1_FIELDS])
{
	unsigned char id[16];
	const char *why;

	if (kel__b32_decode(f[1], id, sizeof(id)) < 0)
		return kel_fail(KEL_EINVALID, "QR payload: document id: not canonical base32");
	uuid_text(id, out->doc_id);
	if (!kel_uuid_is_valid(out->doc_id))
		return kel_fail(KEL_EINVALID, "QR payload: document id: not a UUID");
	out->type = kel__qr_type_from_code(f[2][0]);
	snprintf(out->issue_date, sizeof(out->issue_date), "%.4s-%.2s-%.2s", f[3], f[3] + 4,
		f[3] + 6);
	if (!kel__date_is_valid(out->issue_date))
		return kel_fail(KEL_EINVALID, "QR payload: issue date: not a calendar date");
	memcpy(out->operator_bin, f[4], 12);
	out->operator_bin[12] = '\0';
	if (kel_kzid_check_bin(out->operator_bin, &why) != 0)
		return kel_fail(KEL_EINVALID, "QR payload: operator BIN: %s", why);
	if (kel__b32_decode(f[5], out->content_digest, KEL_QR_DIGEST_LEN) < 0)
		return kel_fail(KEL_EINVALID, "QR payload: content digest: not canonical base32");
	if (kel__b32_decode(f[6], out->key_id, KEL_QR_KEY_ID_LEN) < 0)
		return kel_fail(KEL_EINVALID, "QR payload: key id: not canonical base32");
	if (kel__b32_decode(f[7], out->signature, KEL_QR_SIG_LEN) < 0)
		return kel_fail(KEL_EINVALID, "QR payload: signature: not canonical base32");
	return 0;
}

static int parse(kel_qr_payload *out, const char *text, size_t len)
{
	const char *field[V1_FIELDS], *why;
	size_t core_at = 0;
	long version;
	int rc;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c <= 0x20 || c >= 0x7f)
			return kel_fail(KEL_EINVALID, "QR payload: byte %zu is %s", i,
				byte_problem((const unsigned char *)text + i, len - i));
		if (strchr(URL_END, c))
			core_at = i + 1;
	}
	if ((version = version_tag(text + core_at, len - core_at)) < 0)
		return kel_fail(KEL_EINVALID, "QR payload: not a kelisim payload (no version tag)");
	if (version != KEL_QR_FORMAT_VERSION)
		return kel_fail(KEL_EUNSUPPORTED, "QR payload: version %ld is not known here",
			version);
	if (core_at > 0) {
		if (core_at > KEL_QR_URL_MAX)
			return kel_fail(KEL_EINVALID, "QR payload: URL prefix too long");
		memcpy(out->url_prefix, text, core_at);
		out->url_prefix[core_at] = '\0';
		if ((why = kel__qr_url_problem(out->url_prefix)) != NULL)
			return kel_fail(KEL_EINVALID, "QR payload: URL prefix %s", why);
	}
	if ((rc = split_core(text + core_at, len - core_at, field)) < 0)
		return rc;
	out->version = (unsigned int)version;
	if ((rc = decode_fields(out, field)) < 0)
		return rc;
	memcpy(out->text, text, len);
	out->text[len] = '\0';
	out->text_len = len;
	out->signed_len = (size_t)(field[7] - 1 - text);
	return 0;
}

int kel_qr_payload_parse(kel_qr_payload *out, const char *text, size_t len)
{
	int rc;

	if (out == NULL || (text == NULL && len > 0))
		return kel_fail(KEL_EINVAL, "kel_qr_payload_parse: NULL argument");
	memset(out, 0, sizeof(*out));
	if (len > KEL_QR_TEXT_MAX)
		return kel_fail(KEL_ETOOBIG, "QR payload: longer than %d bytes", KEL_QR_TEXT_MAX);
	if (len == 0)
		return kel_fail(KEL_EINVALID, "QR payload: empty");
	if ((rc = parse(out, text, len)) < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}
