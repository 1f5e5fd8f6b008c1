/*
 * QR verification codes: a short signed text (the payload) and its image.
 *
 * The payload (docs/qr-payload.md) names a document — id, type, issue date, operator BIN and
 * the SHA-256 of its exclusive-C14N Content element — and carries an ECDSA P-256 signature
 * (the "seal") by the operator over all of that, so a verifier holding only the printed code
 * and the operator's certificate can check offline that the operator issued it. It may begin
 * with a verification URL, so that a phone's camera opens the verification page.
 *
 * A verifier's steps, each a call below, and the verdict when a step refuses:
 *   1. the text from an image:  kel_qr_decode_png() (or the text from any scanner)
 *   2. read it strictly:        kel_qr_payload_parse()             FORMAT_FAILURE
 *   3. find the certificate:    the one whose key id the payload names, among those at hand
 *                               (kel_qr_cert_key_id()) or in the document's signatures
 *                               (kel_qr_doc_find_cert())           NO_SIGNING_CERTIFICATE_FOUND
 *   4. check the seal:          kel_qr_payload_verify()            SIG_CRYPTO_FAILURE
 *   5. the certificate's chain to a trust anchor: the verify module's business
 *   6. with the document:       kel_qr_payload_check_doc()         HASH_FAILURE
 */
#ifndef KELISIM_QR_H
#define KELISIM_QR_H

#include "common.h"
#include "buf.h"
#include "doc.h"
#include "key.h"
#include "uuid.h"

/* The payload format this library writes; the parser knows this one only. */
#define KEL_QR_FORMAT_VERSION 1
/*
 * The longest verification URL prefix: with it, every payload kelisim makes still fits a QR
 * code of version 10 at error-correction level M (57 x 57 modules).
 */
#define KEL_QR_URL_MAX 56
/* The longest text the parser looks at, for any version; longer input is KEL_ETOOBIG. */
#define KEL_QR_TEXT_MAX 512

#define KEL_QR_DIGEST_LEN 32     /* SHA-256 */
#define KEL_QR_KEY_ID_LEN 8      /* first 8 bytes of SHA-256(SubjectPublicKeyInfo) */
#define KEL_QR_SIG_LEN 64        /* ECDSA P-256 r || s */

/* A payload: what it says, its text, and how much of the text the seal covers. */
typedef struct kel_qr_payload {
	unsigned int version;                         /* KEL_QR_FORMAT_VERSION */
	char url_prefix[KEL_QR_URL_MAX + 1];          /* "" when none */
	char doc_id[KEL_UUID_STRLEN + 1];             /* canonical lower-case UUID */
	kel_doc_type type;
	char issue_date[11];                          /* YYYY-MM-DD, UTC */
	char operator_bin[13];
	unsigned char content_digest[KEL_QR_DIGEST_LEN];
	unsigned char key_id[KEL_QR_KEY_ID_LEN];
	unsigned char signature[KEL_QR_SIG_LEN];
	char text[KEL_QR_TEXT_MAX + 1];               /* the payload itself, NUL-terminated */
	size_t text_len;
	size_t signed_len;                            /* the seal covers text[0 .. signed_len) */
} kel_qr_payload;

typedef struct kel_qr_options {
	unsigned int version;
	/*
	 * Verification URL prefix, e.g. "https://verify.example.kz/q/": "https://", at most
	 * KEL_QR_URL_MAX characters of RFC 3986 URL syntax, ending with '/', '#', '?', '=' or
	 * '&'. NULL or "" for none. The seal covers it too.
	 */
	const char *verify_url;
	/* Pixels per module of the PNG image (1..32); 0 for the default, 4. */
	unsigned int module_px;
} kel_qr_options;

#define KEL_QR_OPTIONS_VERSION 1
#define KEL_QR_OPTIONS_INIT { KEL_QR_OPTIONS_VERSION, NULL, 0 }

/* ---- the payload (qr_payload.c, qr_seal.c) ---------------------------------------- */

/*
 * Fill the fields of out that describe doc (id, type, issue date, operator BIN, Content
 * digest) and the URL prefix (NULL for none); the rest is zeroed, ready for
 * kel_qr_payload_sign(). KEL_EINVAL for a URL prefix that does not fit the rules above.
 */
KEL_EXTERN(int) kel_qr_payload_from_doc(kel_qr_payload *out, const kel_doc *doc,
	const char *verify_url) KEL_WARN_UNUSED;

/*
 * Seal p: write its text from the descriptive fields (which are checked as the parser would)
 * and sign it with key, which must be an ECDSA P-256 key with its certificate (the key id
 * comes from the certificate). Sets key_id, signature, text, text_len and signed_len.
 * KEL_EUNSUPPORTED for another kind of key, KEL_EINVAL for bad fields.
 */
KEL_EXTERN(int) kel_qr_payload_sign(kel_qr_payload *p, const kel_key *key) KEL_WARN_UNUSED;

/*
 * Read len bytes of payload text strictly into out: every field present, of its exact
 * length and alphabet, canonical, and nothing else. KEL_ETOOBIG above KEL_QR_TEXT_MAX bytes,
 * KEL_EUNSUPPORTED for a well-formed payload of a version this library does not know,
 * KEL_EINVALID for anything else (the message names the field or the byte). The seal is NOT
 * checked here.
 */
KEL_EXTERN(int) kel_qr_payload_parse(kel_qr_payload *out, const char *text, size_t len)
	KEL_WARN_UNUSED;

/*
 * The key id of the certificate in cert (PEM or DER, len bytes) into out. KEL_EPARSE when
 * it is not a certificate.
 */
KEL_EXTERN(int) kel_qr_cert_key_id(unsigned char out[KEL_QR_KEY_ID_LEN], const char *cert,
	size_t len) KEL_WARN_UNUSED;

/*
 * Check the seal of a parsed payload with the operator certificate cert (PEM or DER).
 * 0 when it verifies. KEL_ENOTFOUND when the certificate is not the one the payload's key id
 * names (try the next one), KEL_EINVALID when the signature does not verify, KEL_EPARSE for
 * an unreadable certificate, KEL_EUNSUPPORTED when its key is not ECDSA P-256.
 * The certificate's validity and chain are not looked at.
 */
KEL_EXTERN(int) kel_qr_payload_verify(const kel_qr_payload *p, const char *cert, size_t len)
	KEL_WARN_UNUSED;

/*
 * Check that the payload describes doc: same id, type, issue date, operator BIN and Content
 * digest. KEL_EINVALID naming the first field that differs ("content digest" when doc's
 * Content is not the one the code was made for).
 */
KEL_EXTERN(int) kel_qr_payload_check_doc(const kel_qr_payload *p, const kel_doc *doc)
	KEL_WARN_UNUSED;

/* ---- the document (qr_doc.c) ------------------------------------------------------- */

/* SHA-256 of the exclusive XML canonicalisation (without comments) of doc's Content. */
KEL_EXTERN(int) kel_qr_content_digest(unsigned char out[KEL_QR_DIGEST_LEN], const kel_doc *doc)
	KEL_WARN_UNUSED;

/*
 * Fill doc's empty Verification element: the Content digest, the payload sealed with key
 * (an ECDSA P-256 key with its certificate, else KEL_EUNSUPPORTED), and the code as PNG and
 * as SVG; *filled (when not NULL) is set to 1. A document whose Verification is already
 * filled keeps it: nothing changes, no key is needed (key may be NULL), *filled is 0 —
 * unless the digest it holds is not that of the Content, which is KEL_EINVALID. An empty
 * Verification in a document that is already signed is KEL_EINVALID too: every signature
 * covers it. opts may be NULL. On failure the document is left as it was.
 */
KEL_EXTERN(int) kel_qr_doc_fill(kel_doc *doc, const kel_key *key, const kel_qr_options *opts,
	int *filled) KEL_WARN_UNUSED;

/* Parse the payload held in doc's Verification. KEL_ENOTFOUND when it holds none. */
KEL_EXTERN(int) kel_qr_doc_payload(kel_qr_payload *out, const kel_doc *doc) KEL_WARN_UNUSED;

/*
 * Find, among the certificates in doc's signatures (ds:X509Certificate), the one whose key id
 * the payload names, and put its DER into der. KEL_ENOTFOUND when there is none.
 */
KEL_EXTERN(int) kel_qr_doc_find_cert(kel_buf *der, const kel_qr_payload *p, const kel_doc *doc)
	KEL_WARN_UNUSED;

/* ---- images (qr_image.c, qr_scan.c) -------------------------------------------------- */

/*
 * The QR code of len bytes of text (printable ASCII, at most KEL_QR_TEXT_MAX) at
 * error-correction level M, smallest version that holds it, with a quiet zone of 4 modules:
 * as a grayscale PNG with module_px pixels per module (1..32, 0 for 4), or as SVG text (one
 * path, no XML declaration so it can be inlined in HTML; module_px sets its nominal size).
 */
KEL_EXTERN(int) kel_qr_png(kel_buf *out, const char *text, size_t len, unsigned int module_px)
	KEL_WARN_UNUSED;
KEL_EXTERN(int) kel_qr_svg(kel_buf *out, const char *text, size_t len, unsigned int module_px)
	KEL_WARN_UNUSED;

/* The QR version (1..40) kel_qr_png() and kel_qr_svg() use for text. */
KEL_EXTERN(int) kel_qr_symbol_version(int *version, const char *text, size_t len)
	KEL_WARN_UNUSED;

/*
 * Find a QR code in a PNG image (a scan or a photo: any size up to 50 megapixels, any
 * colour type, rotated, blurred, among other print) and put its text into out. When the
 * image holds several codes, the first that is a kelisim payload wins, else the first.
 * KEL_ENOTFOUND when there is no readable code, KEL_EPARSE when the bytes are not a PNG,
 * KEL_ETOOBIG for an image too large.
 */
KEL_EXTERN(int) kel_qr_decode_png(kel_buf *out, const void *png, size_t len) KEL_WARN_UNUSED;

#endif
