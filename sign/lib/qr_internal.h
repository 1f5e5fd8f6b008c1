/*
 * What the QR files share (qr_payload.c, qr_seal.c, qr_doc.c, qr_image.c, qr_scan.c), and
 * what the render module draws a code from.
 */
#ifndef KEL_QR_INTERNAL_H
#define KEL_QR_INTERNAL_H

#include <stddef.h>
#include <openssl/x509.h>
#include "kelisim/qr.h"

/* RFC 4648 base32 without padding: the characters needed for n bytes. */
#define KEL_B32_LEN(n) (((n) * 8 + 4) / 5)

/* Encode n bytes as base32 (upper case, no padding) into out, NUL-terminated. */
void kel__b32_encode(const unsigned char *in, size_t n, char *out);

/*
 * Decode exactly KEL_B32_LEN(n) characters at in into n bytes. Refuses (-1) any other
 * character, and unused trailing bits that are not zero: each value has one spelling only.
 */
int kel__b32_decode(const char *in, unsigned char *out, size_t n);

/* The payload's one-letter type codes: 'C', 'T', 'X', 'W'; 0 / '\0' when unknown. */
char kel__qr_type_code(kel_doc_type type);
kel_doc_type kel__qr_type_from_code(char code);

/* NULL when url is an acceptable verification URL prefix, else a short reason. */
const char *kel__qr_url_problem(const char *url);

/* Write p's text up to and including the key id field; sets text_len and signed_len. */
int kel__qr_format_signed_part(kel_qr_payload *p);

/* Read a certificate in PEM or DER. KEL_EPARSE when it is neither. */
int kel__qr_load_cert(X509 **out, const char *cert, size_t len);

/* The key id (first 8 bytes of SHA-256 of the DER SubjectPublicKeyInfo) of cert. */
int kel__qr_key_id(X509 *cert, unsigned char out[KEL_QR_KEY_ID_LEN]);

/* A QR symbol as a square of modules, quiet zone not included. */
struct kel_qr_matrix {
	int version;
	int width;               /* modules per side */
	unsigned char *dark;     /* width * width bytes, row by row: 1 dark, 0 light */
};

#define KEL_QR_QUIET 4       /* modules of light margin on each side (ISO/IEC 18004) */

/* Encode text at level M; free with kel__qr_matrix_free(). */
int kel__qr_encode(struct kel_qr_matrix *m, const char *text, size_t len);
void kel__qr_matrix_free(struct kel_qr_matrix *m);

#endif
