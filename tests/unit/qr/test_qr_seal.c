/*
 * The seal: it verifies with OpenSSL directly as docs/qr-payload.md says; every alteration
 * of the text is refused, whether it breaks the grammar or spells another valid payload; a
 * seal made by another key is refused, even one naming the operator's key id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "helpers.h"
#include "qr_test.h"
#include "qr_internal.h"

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static X509 *read_cert(const char *pem, size_t len)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	X509 *x = PEM_read_bio_X509(bio, NULL, NULL, NULL);

	BIO_free(bio);
	ck_assert_ptr_nonnull(x);
	return x;
}

/*
 * The verifier of docs/qr-payload.md written with OpenSSL alone: SHA-256 of the DER
 * SubjectPublicKeyInfo for the key id, r||s made DER, ECDSA-SHA256 over the bytes before the
 * last '.'.
 */
static int openssl_verify(const kel_qr_payload *p, const char *pem, size_t pem_len)
{
	X509 *x = read_cert(pem, pem_len);
	EVP_PKEY *pub = X509_get0_pubkey(x);
	unsigned char *spki = NULL, md[32], *der = NULL;
	int spki_len = i2d_PUBKEY(pub, &spki), der_len, ok;
	ECDSA_SIG *sig = ECDSA_SIG_new();
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const char *last_dot = strrchr(p->text, '.');

	ck_assert_int_gt(spki_len, 0);
	ck_assert_int_eq(EVP_Digest(spki, (size_t)spki_len, md, NULL, EVP_sha256(), NULL), 1);
	ck_assert_int_eq(memcmp(md, p->key_id, 8), 0);
	ECDSA_SIG_set0(sig, BN_bin2bn(p->signature, 32, NULL),
		BN_bin2bn(p->signature + 32, 32, NULL));
	der_len = i2d_ECDSA_SIG(sig, &der);
	ck_assert_int_eq(EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pub), 1);
	ok = EVP_DigestVerify(ctx, der, (size_t)der_len, (const unsigned char *)p->text,
		(size_t)(last_dot - p->text)) == 1;
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	OPENSSL_free(spki);
	ECDSA_SIG_free(sig);
	X509_free(x);
	return ok;
}

START_TEST(test_qr__seal_verifies_independently)
{
	kel_key *key = tq_key("operator");
	size_t len;
	char *cert = tq_pki_file("operator.crt", &len);
	unsigned char kid[KEL_QR_KEY_ID_LEN];
	kel_qr_payload p, q;

	tq_payload(&p, key, TQ_URL40);
	ck_assert(openssl_verify(&p, cert, len));
	ck_assert_int_eq(kel_qr_payload_parse(&q, p.text, p.text_len), 0);
	ck_assert_msg(kel_qr_payload_verify(&q, cert, len) == 0, "%s", th_error_message());
	/* The certificate may come as DER too. */
	{
		X509 *x = read_cert(cert, len);
		unsigned char *der = NULL;
		int n = i2d_X509(x, &der);
		ck_assert_int_eq(kel_qr_payload_verify(&q, (const char *)der, (size_t)n), 0);
		ck_assert_int_eq(kel_qr_cert_key_id(kid, (const char *)der, (size_t)n), 0);
		ck_assert_int_eq(memcmp(kid, q.key_id, sizeof(kid)), 0);
		OPENSSL_free(der);
		X509_free(x);
	}
	/* ECDSA signs with a fresh nonce: two seals of one payload differ, both verify. */
	{
		kel_qr_payload again;
		tq_payload(&again, key, TQ_URL40);
		ck_assert_int_eq(memcmp(again.text, p.text, p.signed_len), 0);
		ck_assert_str_ne(again.text, p.text);
		ck_assert(openssl_verify(&again, cert, len));
	}
	ck_assert_int_eq(kel_qr_payload_verify(&q, "junk", 4), KEL_EPARSE);
	free(cert);
	kel_key_free(key);
}
END_TEST

/* Another character of the same kind, so the text keeps its shape where it can. */
static char substitute(char c)
{
	const char *at = strchr(b32, c);

	if (c >= '0' && c <= '9')
		return c == '9' ? '0' : (char)(c + 1);
	if (at)
		return b32[(at - b32 + 1) % 32];
	if (c >= 'a' && c <= 'z')
		return c == 'z' ? 'a' : (char)(c + 1);
	return c == '.' ? '-' : '.';
}

/* Every single character changed, one at a time: nothing of it passes. */
START_TEST(test_qr__every_character_altered_refused)
{
	kel_key *key = tq_key("operator");
	size_t len;
	char *cert = tq_pki_file("operator.crt", &len);
	kel_qr_payload p;
	char text[KEL_QR_TEXT_MAX + 1];

	tq_payload(&p, key, TQ_URL40);
	for (size_t i = 0; i < p.text_len; i++) {
		memcpy(text, p.text, p.text_len + 1);
		text[i] = substitute(text[i]);
		ck_assert_msg(tq_parse_verify(text, p.text_len, cert, len) != 0,
			"changing byte %zu ('%c' -> '%c') went unnoticed", i, p.text[i], text[i]);
		/* Dropping it, or doubling it, neither. */
		memcpy(text, p.text, i);
		memcpy(text + i, p.text + i + 1, p.text_len - i);
		ck_assert(tq_parse_verify(text, p.text_len - 1, cert, len) != 0);
		memcpy(text, p.text, i + 1);
		memcpy(text + i + 1, p.text + i, p.text_len - i);
		ck_assert(tq_parse_verify(text, p.text_len + 1, cert, len) != 0);
	}
	free(cert);
	kel_key_free(key);
}
END_TEST

/* q's fields written out with sig appended: a well-formed payload that claims q. */
static void respell(kel_qr_payload *q, const unsigned char sig[KEL_QR_SIG_LEN])
{
	ck_assert_msg(kel__qr_format_signed_part(q) == 0, "%s", th_error_message());
	memcpy(q->signature, sig, KEL_QR_SIG_LEN);
	q->text[q->signed_len] = '.';
	kel__b32_encode(sig, KEL_QR_SIG_LEN, q->text + q->signed_len + 1);
	q->text_len = strlen(q->text);
}

/* Parse text and verify it, expecting code and words in the message. */
static void expect(const kel_qr_payload *q, const char *cert, size_t len, int code,
	const char *words)
{
	kel_qr_payload r;

	ck_assert_msg(kel_qr_payload_parse(&r, q->text, q->text_len) == 0, "%s",
		th_error_message());
	ck_assert_int_eq(kel_qr_payload_verify(&r, cert, len), code);
	ck_assert_msg(strstr(th_error_message(), words) != NULL, "expected '%s' in: %s", words,
		th_error_message());
}

/* Each field given another valid value, the signature kept: the seal no longer holds. */
START_TEST(test_qr__each_field_altered_refused)
{
	kel_key *key = tq_key("operator");
	size_t len;
	char *cert = tq_pki_file("operator.crt", &len);
	kel_qr_payload p, q;
	char bin[13] = "";

	tq_payload(&p, key, TQ_URL40);
	q = p;
	strcpy(q.url_prefix, "https://verify.operator-fake.kz/qr/v1/p/");
	respell(&q, p.signature);
	expect(&q, cert, len, KEL_EINVALID, "the signature does not verify");
	q = p;
	strcpy(q.url_prefix, "");
	respell(&q, p.signature);
	expect(&q, cert, len, KEL_EINVALID, "the signature does not verify");
	q = p;
	q.doc_id[35] = q.doc_id[35] == '7' ? '8' : '7';
	respell(&q, p.signature);
	expect(&q, cert, len, KEL_EINVALID, "the signature does not verify");
	q = p;
	q.type = KEL_DOC_WITHDRAWAL;
	respell(&q, p.signature);
	expect(&q, cert, len, KEL_EINVALID, "the signature does not verify");
	q = p;
	strcpy(q.issue_date, "2026-11-19");
	respell(&q, p.signature);
	expect(&q, cert, len, KEL_EINVALID, "the signature does not verify");
	/* Another BIN with a right control digit. */
	for (int d = 1; d <= 9; d++) {
		int c;
		snprintf(bin, sizeof(bin), "9903400000%d", d);
		if ((c = kel_kzid_control_digit(bin)) >= 0) {
			bin[11] = (char)('0' + c);
			bin[12] = '\0';
			break;
		}
	}
	ck_assert_int_eq(kel_kzid_check_bin(bin, NULL), 0);
	q = p;
	strcpy(q.operator_bin, bin);
	respell(&q, p.signature);
	expect(&q, cert, len, KEL_EINVALID, "the signature does not verify");
	q = p;
	q.content_digest[31] ^= 1;
	respell(&q, p.signature);
	expect(&q, cert, len, KEL_EINVALID, "the signature does not verify");
	/* Another key id names another certificate: the operator's is not the one. */
	q = p;
	q.key_id[0] ^= 0x80;
	respell(&q, p.signature);
	expect(&q, cert, len, KEL_ENOTFOUND, "not the one the payload's key id names");
	/* The signature itself. */
	{
		unsigned char sig[KEL_QR_SIG_LEN];
		memcpy(sig, p.signature, sizeof(sig));
		sig[5] ^= 0x10;
		q = p;
		respell(&q, sig);
		expect(&q, cert, len, KEL_EINVALID, "the signature does not verify");
		memset(sig, 0, sizeof(sig));
		q = p;
		respell(&q, sig);
		expect(&q, cert, len, KEL_EINVALID, "the signature does not verify");
	}
	/* Fields changed in the struct after reading, the text left: not taken. */
	ck_assert_int_eq(kel_qr_payload_parse(&q, p.text, p.text_len), 0);
	strcpy(q.operator_bin, bin);
	ck_assert_int_eq(kel_qr_payload_verify(&q, cert, len), KEL_EINVALID);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "fields differ from its text"));
	free(cert);
	kel_key_free(key);
}
END_TEST

/* (r, n - s) is a valid ECDSA signature too; only the low form is written and accepted. */
START_TEST(test_qr__high_s_refused)
{
	kel_key *key = tq_key("operator");
	size_t len;
	char *cert = tq_pki_file("operator.crt", &len);
	EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
	const BIGNUM *n = EC_GROUP_get0_order(group);
	BIGNUM *s = BN_new(), *half = BN_new();
	unsigned char sig[KEL_QR_SIG_LEN];
	kel_qr_payload p, q;

	BN_rshift1(half, n);
	for (int i = 0; i < 8; i++) {   /* each seal is random: look at several */
		tq_payload(&p, key, NULL);
		BN_bin2bn(p.signature + 32, 32, s);
		ck_assert_int_le(BN_cmp(s, half), 0);
	}
	BN_sub(s, n, s);
	memcpy(sig, p.signature, 32);
	ck_assert_int_eq(BN_bn2binpad(s, sig + 32, 32), 32);
	q = p;
	respell(&q, sig);
	ck_assert(openssl_verify(&q, cert, len));   /* mathematically valid ... */
	expect(&q, cert, len, KEL_EINVALID, "low-s");   /* ... but another spelling */
	BN_free(s);
	BN_free(half);
	EC_GROUP_free(group);
	free(cert);
	kel_key_free(key);
}
END_TEST

START_TEST(test_qr__seal_by_another_key_refused)
{
	kel_key *op = tq_key("operator");
	size_t len, other_len, p384_len;
	char *cert = tq_pki_file("operator.crt", &len), *other_cert;
	char *p384_cert = tq_pki_file("operator-p384.crt", &p384_len);
	kel_key *other = tq_other_p256_key(&other_cert, &other_len);
	kel_qr_payload p, forged;

	/* Sealed by a look-alike key: it names its own key id, not the operator's. */
	tq_payload(&p, other, TQ_URL40);
	ck_assert_int_eq(tq_parse_verify(p.text, p.text_len, other_cert, other_len), 0);
	expect(&p, cert, len, KEL_ENOTFOUND, "not the one the payload's key id names");
	/* The forger writes the operator's key id: the signature gives it away. */
	forged = p;
	{
		kel_qr_payload real;
		tq_payload(&real, op, TQ_URL40);
		memcpy(forged.key_id, real.key_id, KEL_QR_KEY_ID_LEN);
	}
	respell(&forged, p.signature);
	expect(&forged, cert, len, KEL_EINVALID, "the signature does not verify");
	/* And the look-alike certificate is not the operator's either way round. */
	tq_payload(&p, op, TQ_URL40);
	expect(&p, other_cert, other_len, KEL_ENOTFOUND, "key id");

	/* The operator's P-384 certificate has another key id; P-384 keys do not seal. */
	expect(&p, p384_cert, p384_len, KEL_ENOTFOUND, "key id");
	{
		kel_key *p384 = tq_key("operator-p384"), *rsa = tq_key("clerk");
		kel_qr_payload x = p;
		ck_assert_int_eq(kel_qr_payload_sign(&x, p384), KEL_EUNSUPPORTED);
		ck_assert_ptr_nonnull(strstr(th_error_message(), "needs an ECDSA P-256 key"));
		ck_assert_int_eq(kel_qr_payload_sign(&x, rsa), KEL_EUNSUPPORTED);
		kel_key_free(p384);
		kel_key_free(rsa);
	}
	free(cert);
	free(other_cert);
	free(p384_cert);
	kel_key_free(other);
	kel_key_free(op);
}
END_TEST

TCase *tq_seal_tcase(void)
{
	TCase *tc = tcase_create("seal");

	tcase_add_test(tc, test_qr__seal_verifies_independently);
	tcase_add_test(tc, test_qr__every_character_altered_refused);
	tcase_add_test(tc, test_qr__each_field_altered_refused);
	tcase_add_test(tc, test_qr__high_s_refused);
	tcase_add_test(tc, test_qr__seal_by_another_key_refused);
	return tc;
}
