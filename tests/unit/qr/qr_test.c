/*
 * Shared helpers of the QR suite (see qr_test.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <check.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "helpers.h"
#include "qr_test.h"
#include "buf_internal.h"

kel_key *tq_key(const char *name)
{
	char k[256], c[256];
	kel_key *key = NULL;
	int rc;

	snprintf(k, sizeof(k), "%s.key", name);
	snprintf(c, sizeof(c), "%s.crt", name);
	rc = kel_key_load_pem(&key, th_pki(k), th_pki(c), NULL, NULL, 0);
	ck_assert_msg(rc == 0, "loading %s: %s", name, th_error_message());
	return key;
}

char *tq_pki_file(const char *name, size_t *len)
{
	return th_read_file(th_pki(name), len);
}

static void write_pem(const char *path, int (*writer)(BIO *, void *), void *obj)
{
	BIO *bio = BIO_new_file(path, "w");

	ck_assert_ptr_nonnull(bio);
	ck_assert_int_eq(writer(bio, obj), 1);
	BIO_free(bio);
}

static int write_key(BIO *bio, void *pkey)
{
	return PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL);
}

static int write_cert(BIO *bio, void *cert)
{
	return PEM_write_bio_X509(bio, cert);
}

kel_key *tq_other_p256_key(char **cert_pem, size_t *cert_len)
{
	char dir[] = "/tmp/kelisim-qr-XXXXXX", kpath[64], cpath[64];
	EVP_PKEY *pkey = EVP_EC_gen("P-256");
	X509 *cert = X509_new();
	X509_NAME *name = X509_NAME_new();
	kel_key *key = NULL;

	ck_assert_ptr_nonnull(pkey);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	/* A look-alike of the operator's seal certificate: same names, another key. */
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
		(const unsigned char *)"Test Operator LLP", -1, -1, 0);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
		(const unsigned char *)"Test Operator LLP seal", -1, -1, 0);
	ck_assert_int_eq(X509_set_version(cert, 2), 1);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 4242);
	X509_gmtime_adj(X509_getm_notBefore(cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
	X509_set_subject_name(cert, name);
	X509_set_issuer_name(cert, name);
	X509_set_pubkey(cert, pkey);
	ck_assert_int_gt(X509_sign(cert, pkey, EVP_sha256()), 0);

	snprintf(kpath, sizeof(kpath), "%s/other.key", dir);
	snprintf(cpath, sizeof(cpath), "%s/other.crt", dir);
	write_pem(kpath, write_key, pkey);
	write_pem(cpath, write_cert, cert);
	ck_assert_msg(kel_key_load_pem(&key, kpath, cpath, NULL, NULL, 0) == 0, "%s",
		th_error_message());
	*cert_pem = th_read_file(cpath, cert_len);
	unlink(kpath);
	unlink(cpath);
	rmdir(dir);
	X509_NAME_free(name);
	X509_free(cert);
	EVP_PKEY_free(pkey);
	return key;
}

kel_doc *tq_doc(const char *type)
{
	kel_doc_new_options o = KEL_DOC_NEW_OPTIONS_INIT;
	char path[128];
	kel_doc *doc = NULL;
	size_t len;
	char *json;

	snprintf(path, sizeof(path), "schemas/examples/%s.json", type);
	json = th_read_file(th_source(path), &len);
	o.issued_at = 1795000000;   /* 2026-11-18T11:06:40Z */
	ck_assert_msg(kel_doc_new(&doc, json, len, &o) == 0, "%s: %s", type, th_error_message());
	free(json);
	return doc;
}

char *tq_xml(const kel_doc *doc, size_t *len)
{
	kel_buf b = KEL_BUF_INIT;
	char *out;

	ck_assert_int_eq(kel_doc_write(&b, doc), 0);
	out = strdup(b.ptr);
	if (len)
		*len = b.size;
	kel_buf_dispose(&b);
	return out;
}

void tq_payload(kel_qr_payload *p, const kel_key *key, const char *url)
{
	memset(p, 0, sizeof(*p));
	p->version = KEL_QR_FORMAT_VERSION;
	if (url)
		snprintf(p->url_prefix, sizeof(p->url_prefix), "%s", url);
	strcpy(p->doc_id, "01a212b7-f216-7064-a957-494d5be71447");
	p->type = KEL_DOC_CONSENT;
	strcpy(p->issue_date, "2026-11-18");
	strcpy(p->operator_bin, "990340000004");
	for (int i = 0; i < KEL_QR_DIGEST_LEN; i++)
		p->content_digest[i] = (unsigned char)(0xa5 ^ (i * 37));
	ck_assert_msg(kel_qr_payload_sign(p, key) == 0, "%s", th_error_message());
}

int tq_parse_verify(const char *text, size_t len, const char *cert, size_t cert_len)
{
	kel_qr_payload p;
	int rc = kel_qr_payload_parse(&p, text, len);

	return rc < 0 ? rc : kel_qr_payload_verify(&p, cert, cert_len);
}

struct reader {
	const kel_buf *b;
	size_t pos;
};

static cairo_status_t read_buf(void *closure, unsigned char *data, unsigned int len)
{
	struct reader *r = closure;

	if (len > r->b->size - r->pos)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->b->ptr + r->pos, len);
	r->pos += len;
	return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *tq_png_to_surface(const kel_buf *png)
{
	struct reader r = { png, 0 };
	cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_buf, &r);

	ck_assert_int_eq(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	return s;
}

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
	return kel_buf_put(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS :
		CAIRO_STATUS_WRITE_ERROR;
}

void tq_surface_to_png(cairo_surface_t *s, kel_buf *png)
{
	kel_buf_clear(png);
	ck_assert_int_eq(cairo_surface_write_to_png_stream(s, write_buf, png),
		CAIRO_STATUS_SUCCESS);
}

char *tq_decode_surface(cairo_surface_t *s)
{
	kel_buf png = KEL_BUF_INIT, text = KEL_BUF_INIT;
	char *out = NULL;

	tq_surface_to_png(s, &png);
	if (kel_qr_decode_png(&text, png.ptr, png.size) == 0)
		out = strdup(text.ptr);
	kel_buf_dispose(&png);
	kel_buf_dispose(&text);
	return out;
}
