/*
 * What the QR suite's files share: keys from the test PKI, documents, payloads and images.
 */
#ifndef KELISIM_TEST_QR_H
#define KELISIM_TEST_QR_H

#include <stddef.h>
#include <cairo.h>
#include <check.h>
#include "kelisim.h"

/* A 40-character verification URL prefix, the length the size bound is stated for. */
#define TQ_URL40 "https://verify.operator-test.kz/qr/v1/p/"

/* A key of the test PKI by name ("operator", "clerk", ...), unencrypted PEM. */
kel_key *tq_key(const char *name);

/* The bytes of a test PKI file (free()). */
char *tq_pki_file(const char *name, size_t *len);

/*
 * A fresh ECDSA P-256 key with a self-signed certificate, written to files in a temporary
 * folder and loaded; *cert_pem gets the certificate (free()).
 */
kel_key *tq_other_p256_key(char **cert_pem, size_t *cert_len);

/* A new document of type ("consent", ...) from its example request, at a fixed time. */
kel_doc *tq_doc(const char *type);

/* The XML of doc (free()). */
char *tq_xml(const kel_doc *doc, size_t *len);

/* A payload for a fixed made-up document, sealed with key, with url (may be NULL). */
void tq_payload(kel_qr_payload *p, const kel_key *key, const char *url);

/* Parse text and check its seal against cert; the library's return code. */
int tq_parse_verify(const char *text, size_t len, const char *cert, size_t cert_len);

/* PNG bytes <-> cairo image surfaces (the caller owns both; png is replaced). */
cairo_surface_t *tq_png_to_surface(const kel_buf *png);
void tq_surface_to_png(cairo_surface_t *s, kel_buf *png);

/* Decode a surface's QR code with the library; the text (free()) or NULL. */
char *tq_decode_surface(cairo_surface_t *s);

/* The suite's test cases, one file each; test_qr.c runs them. */
TCase *tq_payload_tcase(void);
TCase *tq_seal_tcase(void);
TCase *tq_image_tcase(void);
TCase *tq_doc_tcase(void);
TCase *tq_mask_tcase(void);

#endif
