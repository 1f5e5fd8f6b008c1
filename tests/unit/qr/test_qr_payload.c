/*
 * The payload's text: the round trip, the grammar of docs/qr-payload.md, the strict reader's
 * refusals (truncation, extra data, control and non-ASCII bytes, unknown versions), and the
 * size bound: a payload with a 40-character URL fits a QR code of version 10 at level M.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "qr_test.h"
#include "qr_internal.h"

#define ck_refused(text, len, code, words) do { \
	kel_qr_payload p_; \
	ck_assert_int_eq(kel_qr_payload_parse(&p_, (text), (len)), (code)); \
	ck_assert_msg(strstr(th_error_message(), (words)) != NULL, "expected '%s' in: %s", \
		(words), th_error_message()); \
} while (0)

/* RFC 4648 section 10's test vectors, without the padding the payload leaves out. */
START_TEST(test_qr__base32_vectors)
{
	static const char *const in[] = { "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const want[] = { "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB",
		"MZXW6YTBOI" };
	char out[16];
	unsigned char back[8];

	for (int i = 0; i < 6; i++) {
		size_t n = strlen(in[i]);
		kel__b32_encode((const unsigned char *)in[i], n, out);
		ck_assert_str_eq(out, want[i]);
		ck_assert_int_eq(kel__b32_decode(out, back, n), 0);
		ck_assert_int_eq(memcmp(back, in[i], n), 0);
	}
	/* "MZ" would leave a 1 in the two bits after "f": another spelling, refused. */
	ck_assert_int_eq(kel__b32_decode("MZ", back, 1), -1);
	ck_assert_int_eq(kel__b32_decode("my", back, 1), -1);
}
END_TEST

START_TEST(test_qr__round_trip)
{
	kel_key *key = tq_key("operator");
	kel_qr_payload p, q;
	const char *core;

	tq_payload(&p, key, TQ_URL40);
	ck_assert_uint_eq(strlen(TQ_URL40), 40);
	/* The shape docs/qr-payload.md gives: URL, K1, then 7 dot-separated fields. */
	ck_assert_uint_eq(p.text_len, 40 + 224);
	ck_assert_int_eq(strncmp(p.text, TQ_URL40, 40), 0);
	core = p.text + 40;
	ck_assert_int_eq(strncmp(core, "K1.", 3), 0);
	ck_assert_int_eq(strspn(core, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789."), 224);
	ck_assert_int_eq(strncmp(core + 29, ".C.20261118.990340000004.", 25), 0);
	ck_assert_ptr_eq(strrchr(p.text, '.'), p.text + p.signed_len);

	ck_assert_msg(kel_qr_payload_parse(&q, p.text, p.text_len) == 0, "%s",
		th_error_message());
	ck_assert_uint_eq(q.version, 1);
	ck_assert_str_eq(q.url_prefix, TQ_URL40);
	ck_assert_str_eq(q.doc_id, "01a212b7-f216-7064-a957-494d5be71447");
	ck_assert_int_eq(q.type, KEL_DOC_CONSENT);
	ck_assert_str_eq(q.issue_date, "2026-11-18");
	ck_assert_str_eq(q.operator_bin, "990340000004");
	ck_assert_int_eq(memcmp(q.content_digest, p.content_digest, KEL_QR_DIGEST_LEN), 0);
	ck_assert_int_eq(memcmp(q.key_id, p.key_id, KEL_QR_KEY_ID_LEN), 0);
	ck_assert_int_eq(memcmp(q.signature, p.signature, KEL_QR_SIG_LEN), 0);
	ck_assert_uint_eq(q.signed_len, p.signed_len);
	ck_assert_str_eq(q.text, p.text);

	/* Without a URL the text starts with the version tag. */
	tq_payload(&p, key, NULL);
	ck_assert_uint_eq(p.text_len, 224);
	ck_assert_int_eq(kel_qr_payload_parse(&q, p.text, p.text_len), 0);
	ck_assert_str_eq(q.url_prefix, "");
	kel_key_free(key);
}
END_TEST

START_TEST(test_qr__each_type_code)
{
	static const kel_doc_type types[] = { KEL_DOC_CONSENT, KEL_DOC_TRANSFER_NOTICE,
		KEL_DOC_CROSS_BORDER_CONSENT, KEL_DOC_WITHDRAWAL };
	static const char codes[] = "CTXW";
	kel_key *key = tq_key("operator");
	kel_qr_payload p, q;

	for (int i = 0; i < 4; i++) {
		memset(&p, 0, sizeof(p));
		tq_payload(&p, key, NULL);
		p.type = types[i];
		ck_assert_int_eq(kel_qr_payload_sign(&p, key), 0);
		ck_assert_int_eq(p.text[30], codes[i]);
		ck_assert_int_eq(kel_qr_payload_parse(&q, p.text, p.text_len), 0);
		ck_assert_int_eq(q.type, types[i]);
	}
	kel_key_free(key);
}
END_TEST

START_TEST(test_qr__url_prefix_rules)
{
	static const char *const good[] = { "https://verify.example.kz/q/",
		"https://verify.example.kz/q#", "https://example.kz/check?p=",
		"https://example.kz/v?lang=kk&p=", "https://e.kz/%7Eop/" };
	static const char *const bad[] = { "http://verify.example.kz/q/",
		"https://verify.example.kz/q", "https:///q/", "verify.example.kz/",
		"https://verify.example.kz/a b/", "https://verify.example.kz/\"/",
		"https://verify.example.kz/<x>/",
		"https://verify.example.kz/0123456789012345678901234567890/" /* 57 */ };
	kel_doc *doc = tq_doc("consent");
	kel_key *key = tq_key("operator");
	kel_qr_payload p, q;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ck_assert_msg(kel_qr_payload_from_doc(&p, doc, good[i]) == 0, "%s: %s", good[i],
			th_error_message());
		ck_assert_int_eq(kel_qr_payload_sign(&p, key), 0);
		ck_assert_msg(kel_qr_payload_parse(&q, p.text, p.text_len) == 0, "%s: %s",
			good[i], th_error_message());
		ck_assert_str_eq(q.url_prefix, good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(kel_qr_payload_from_doc(&p, doc, bad[i]) == KEL_EINVAL, "%s", bad[i]);
		ck_assert_ptr_nonnull(strstr(th_error_message(), "verification URL"));
	}
	/* The same rules when a payload is read: a prefix that is not an https URL. */
	tq_payload(&p, key, NULL);
	{
		char text[2 * KEL_QR_TEXT_MAX];
		snprintf(text, sizeof(text), "ftp://x.kz/%s", p.text);
		ck_refused(text, strlen(text), KEL_EINVALID, "URL prefix must begin with https://");
		snprintf(text, sizeof(text), "https://x.kz/q%s", p.text);
		ck_refused(text, strlen(text), KEL_EINVALID, "no version tag");
	}
	kel_key_free(key);
	kel_doc_free(doc);
}
END_TEST

START_TEST(test_qr__truncation_refused)
{
	kel_key *key = tq_key("operator");
	kel_qr_payload p, q;

	tq_payload(&p, key, TQ_URL40);
	/* Every prefix of a payload is refused, down to nothing at all. */
	for (size_t n = 0; n < p.text_len; n++)
		ck_assert_msg(kel_qr_payload_parse(&q, p.text, n) == KEL_EINVALID,
			"a payload cut to %zu bytes was accepted", n);
	ck_refused(p.text, p.text_len - 1, KEL_EINVALID, "signature: 102 characters, expected 103");
	ck_refused(p.text, p.signed_len, KEL_EINVALID, "truncated after key id");
	ck_refused(p.text, 40 + 100, KEL_EINVALID, "content digest");
	/* The parser's output is all zero after a refusal: nothing half-read leaks out. */
	ck_assert_int_eq(kel_qr_payload_parse(&q, p.text, 100), KEL_EINVALID);
	ck_assert_str_eq(q.text, "");
	ck_assert_str_eq(q.doc_id, "");
	kel_key_free(key);
}
END_TEST

START_TEST(test_qr__over_long_refused)
{
	kel_key *key = tq_key("operator");
	kel_qr_payload p;
	char text[2 * KEL_QR_TEXT_MAX], *huge;

	tq_payload(&p, key, TQ_URL40);
	snprintf(text, sizeof(text), "%sA", p.text);
	ck_refused(text, p.text_len + 1, KEL_EINVALID, "signature: 104 characters");
	snprintf(text, sizeof(text), "%s.AAAA", p.text);
	ck_refused(text, p.text_len + 5, KEL_EINVALID, "extra data after the signature");
	snprintf(text, sizeof(text), "%s=", p.text);
	ck_refused(text, p.text_len + 1, KEL_EINVALID, "no version tag");

	/* Above the reader's limit nothing is looked at. */
	memset(text, 'A', sizeof(text));
	ck_refused(text, KEL_QR_TEXT_MAX + 1, KEL_ETOOBIG, "longer than 512 bytes");
	huge = malloc(1 << 20);
	memset(huge, 'A', 1 << 20);
	memcpy(huge, p.text, p.text_len);
	ck_refused(huge, 1 << 20, KEL_ETOOBIG, "longer than 512 bytes");
	free(huge);
	kel_key_free(key);
}
END_TEST

/* Put bytes into a copy of text at position at (replacing n bytes); the new length. */
static size_t splice(char *out, const kel_qr_payload *p, size_t at, size_t n, const char *bytes,
	size_t len)
{
	memcpy(out, p->text, at);
	memcpy(out + at, bytes, len);
	memcpy(out + at + len, p->text + at + n, p->text_len - at - n);
	return p->text_len - n + len;
}

START_TEST(test_qr__control_and_non_ascii_refused)
{
	static const struct { const char *bytes; size_t len; int replace; const char *words; }
	cases[] = {
		{ "\n", 1, 0, "a control character" },
		{ "\r", 1, 1, "a control character" },
		{ "\0", 1, 1, "a control character" },
		{ "\t", 1, 0, "a control character" },
		{ "\x1b", 1, 1, "a control character" },
		{ "\x7f", 1, 1, "a control character" },
		{ " ", 1, 0, "a blank" },
		{ "\xff", 1, 1, "not UTF-8" },
		{ "\xc3", 1, 1, "not UTF-8" },                 /* a lead byte alone */
		{ "\xc0\xaf", 2, 0, "not UTF-8" },             /* an over-long '/' */
		{ "\xed\xa0\x80", 3, 0, "not UTF-8" },         /* a UTF-16 surrogate */
		{ "\xd2\x9b", 2, 0, "non-ASCII character" },   /* қ, valid UTF-8 */
		{ "\xe2\x80\xae", 3, 0, "non-ASCII character" },/* U+202E right-to-left override */
		{ "\xc2\x85", 2, 0, "non-ASCII character" },   /* U+0085, a C1 control */
	};
	kel_key *key = tq_key("operator");
	kel_qr_payload p;
	char text[KEL_QR_TEXT_MAX + 8];

	tq_payload(&p, key, TQ_URL40);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* In the URL, in a field, and at the very end. */
		size_t spots[] = { 20, 60, p.text_len - (cases[i].replace ? 1 : 0) };
		for (int k = 0; k < 3; k++) {
			size_t n = splice(text, &p, spots[k], cases[i].replace, cases[i].bytes,
				cases[i].len);
			char where[32];
			snprintf(where, sizeof(where), "byte %zu is", spots[k]);
			ck_refused(text, n, KEL_EINVALID, cases[i].words);
			ck_refused(text, n, KEL_EINVALID, where);
		}
	}
	kel_key_free(key);
}
END_TEST

START_TEST(test_qr__versions)
{
	kel_key *key = tq_key("operator");
	kel_qr_payload p;
	char text[KEL_QR_TEXT_MAX + 8];
	size_t n;

	tq_payload(&p, key, TQ_URL40);
	/* A later version is recognised as one and refused as unknown, whatever follows. */
	n = splice(text, &p, 41, 1, "2", 1);
	ck_refused(text, n, KEL_EUNSUPPORTED, "version 2 is not known here");
	n = splice(text, &p, 41, 1, "17", 2);
	ck_refused(text, n, KEL_EUNSUPPORTED, "version 17 is not known here");
	ck_refused("K9.X", 4, KEL_EUNSUPPORTED, "version 9");
	/* Not a version tag at all. */
	n = splice(text, &p, 41, 1, "0", 1);
	ck_refused(text, n, KEL_EINVALID, "no version tag");
	n = splice(text, &p, 41, 1, "01", 2);
	ck_refused(text, n, KEL_EINVALID, "no version tag");
	n = splice(text, &p, 40, 1, "k", 1);
	ck_refused(text, n, KEL_EINVALID, "no version tag");
	n = splice(text, &p, 41, 1, "1234", 4);
	ck_refused(text, n, KEL_EINVALID, "no version tag");
	ck_refused("hello", 5, KEL_EINVALID, "no version tag");
	kel_key_free(key);
}
END_TEST

/* Characters outside a field's alphabet, and well-spelled values that mean nothing. */
START_TEST(test_qr__field_syntax_refused)
{
	kel_key *key = tq_key("operator");
	kel_qr_payload p;
	char text[KEL_QR_TEXT_MAX + 8];
	const char *core;
	size_t n, at;
	char respelled;
	static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

	tq_payload(&p, key, NULL);
	core = p.text;
	n = splice(text, &p, 5, 1, "1", 1);                  /* '1' is not base32 */
	ck_refused(text, n, KEL_EINVALID, "document id: character '1' not allowed");
	n = splice(text, &p, 5, 1, "a", 1);                  /* nor is lower case */
	ck_refused(text, n, KEL_EINVALID, "document id: character 'a' not allowed");
	n = splice(text, &p, 30, 1, "Q", 1);
	ck_refused(text, n, KEL_EINVALID, "type: character 'Q' not allowed");
	n = splice(text, &p, 32, 8, "20261318", 8);
	ck_refused(text, n, KEL_EINVALID, "issue date: not a calendar date");
	n = splice(text, &p, 32, 8, "2026111A", 8);
	ck_refused(text, n, KEL_EINVALID, "issue date: character 'A' not allowed");
	n = splice(text, &p, 41, 12, "990340000005", 12);   /* wrong control digit */
	ck_refused(text, n, KEL_EINVALID, "operator BIN: control digit mismatch");
	n = splice(text, &p, 28, 1, "", 0);                  /* a field one character short */
	ck_refused(text, n, KEL_EINVALID, "document id: 25 characters, expected 26");
	n = splice(text, &p, 29, 0, "..", 2);                /* empty fields */
	ck_refused(text, n, KEL_EINVALID, "type: 0 characters");

	/* The 26th character of the id carries 3 bits and 2 of padding: those must be 0. */
	ck_assert_int_eq(core[29], '.');
	at = (size_t)(strchr(b32, core[28]) - b32);
	respelled = b32[at ^ 1];
	n = splice(text, &p, 28, 1, &respelled, 1);
	ck_refused(text, n, KEL_EINVALID, "document id: not canonical base32");

	/* A document id that is 16 bytes but not a UUID (version nibble 0). */
	{
		kel_qr_payload q = p;
		unsigned char id[16] = { 0 };
		char id32[27];
		kel__b32_encode(id, 16, id32);
		n = splice(text, &q, 3, 26, id32, 26);
		ck_refused(text, n, KEL_EINVALID, "document id: not a UUID");
	}
	kel_key_free(key);
}
END_TEST

/* libqrencode picks the smallest version for the text: that is the bound to prove. */
START_TEST(test_qr__size_bound)
{
	/* The longest URL allowed, in the shapes that cost the most: all 8-bit characters. */
	static const char *const urls[] = { NULL, TQ_URL40,
		"https://verify.operator-test.kz/qr/verification/pages/p/",
		"https://VERIFY.OPERATOR-TEST.KZ/QR/VERIFICATION/PAGES/P/",
		"https://v.kz/0123456789012345678901234567890123456789?=",
		"https://v.kz/a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6q7r8s9t0/" };
	kel_key *key = tq_key("operator");
	kel_qr_payload p;
	int version;

	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		ck_assert(urls[i] == NULL || strlen(urls[i]) <= KEL_QR_URL_MAX);
		tq_payload(&p, key, urls[i]);
		ck_assert_int_eq(kel_qr_symbol_version(&version, p.text, p.text_len), 0);
		ck_assert_msg(version <= 10, "%s: version %d", urls[i] ? urls[i] : "(no URL)",
			version);
	}
	tq_payload(&p, key, TQ_URL40);
	ck_assert_int_eq(kel_qr_symbol_version(&version, p.text, p.text_len), 0);
	ck_assert_int_eq(version, 10);
	tq_payload(&p, key, NULL);
	ck_assert_int_eq(kel_qr_symbol_version(&version, p.text, p.text_len), 0);
	ck_assert_int_le(version, 9);
	kel_key_free(key);
}
END_TEST

START_TEST(test_qr__bad_arguments)
{
	kel_qr_payload p;
	kel_doc *doc = tq_doc("consent");

	ck_assert_int_eq(kel_qr_payload_parse(NULL, "K1.", 3), KEL_EINVAL);
	ck_assert_int_eq(kel_qr_payload_parse(&p, NULL, 3), KEL_EINVAL);
	ck_assert_int_eq(kel_qr_payload_parse(&p, "", 0), KEL_EINVALID);
	ck_assert_int_eq(kel_qr_payload_from_doc(NULL, doc, NULL), KEL_EINVAL);
	ck_assert_int_eq(kel_qr_payload_sign(&p, NULL), KEL_EINVAL);
	/* Fields the reader would refuse are not sealed either. */
	ck_assert_int_eq(kel_qr_payload_from_doc(&p, doc, NULL), 0);
	{
		kel_key *key = tq_key("operator");
		kel_qr_payload q = p;
		strcpy(q.operator_bin, "990340000005");
		ck_assert_int_eq(kel_qr_payload_sign(&q, key), KEL_EINVAL);
		q = p;
		strcpy(q.issue_date, "2026-02-30");
		ck_assert_int_eq(kel_qr_payload_sign(&q, key), KEL_EINVAL);
		q = p;
		q.type = 9;
		ck_assert_int_eq(kel_qr_payload_sign(&q, key), KEL_EINVAL);
		q = p;
		q.version = 2;
		ck_assert_int_eq(kel_qr_payload_sign(&q, key), KEL_EINVAL);
		q = p;
		strcpy(q.doc_id, "01A212B7-F216-7064-A957-494D5BE71447");
		ck_assert_int_eq(kel_qr_payload_sign(&q, key), KEL_EINVAL);
		kel_key_free(key);
	}
	kel_doc_free(doc);
}
END_TEST

TCase *tq_payload_tcase(void)
{
	TCase *tc = tcase_create("payload");

	tcase_add_test(tc, test_qr__base32_vectors);
	tcase_add_test(tc, test_qr__round_trip);
	tcase_add_test(tc, test_qr__each_type_code);
	tcase_add_test(tc, test_qr__url_prefix_rules);
	tcase_add_test(tc, test_qr__truncation_refused);
	tcase_add_test(tc, test_qr__over_long_refused);
	tcase_add_test(tc, test_qr__control_and_non_ascii_refused);
	tcase_add_test(tc, test_qr__versions);
	tcase_add_test(tc, test_qr__field_syntax_refused);
	tcase_add_test(tc, test_qr__size_bound);
	tcase_add_test(tc, test_qr__bad_arguments);
	return tc;
}
