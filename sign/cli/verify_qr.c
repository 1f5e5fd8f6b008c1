/*
 * kelisim verify --qr-image / --qr-text: check a document's QR code offline.
 *
 * The steps (docs/qr-payload.md, "Verifying a payload"), each a building block of the result:
 *   format                            decode the image, read the payload strictly
 *   seal_certificate_identification   the certificate the payload's key id names, among
 *                                     --seal-cert files, else in the document's signatures
 *   cryptographic_verification        the seal (ECDSA P-256) with that certificate
 *   x509_validation                   the certificate chains to a trust anchor now
 *   document_match                    with the XML: id, type, date, BIN and Content digest
 * and, with the XML, the normal verification of the document's signatures.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "kelisim/cert.h"

const char verify_qr_usage[] =
	"\n"
	"usage: kelisim verify (--qr-image SCAN.png | --qr-text PAYLOAD) [--seal-cert CERT.pem]...\n"
	"                      [--trust CA.pem] [--trust-dir DIR] [--json] [DOC.xml|-]\n"
	"\n"
	"Check a document's QR code offline: read it from a photo or a scan (PNG; rotated,\n"
	"smaller or blurred, among other print) or take the text another scanner read, read the\n"
	"payload strictly (docs/qr-payload.md), find the operator's seal certificate by the key id\n"
	"the payload names, check the seal (ECDSA P-256) and that the certificate chains to a\n"
	"trust anchor now. With the signed document as well, check that it is the one behind the\n"
	"code (id, type, issue date, operator BIN and the SHA-256 of its Content) and verify its\n"
	"signatures as above. The result is TOTAL-PASSED, TOTAL-FAILED or INDETERMINATE, with a\n"
	"sub-indication: FORMAT_FAILURE (no code in the image, or not a kelisim payload),\n"
	"NO_SIGNING_CERTIFICATE_FOUND (no certificate with the payload's key id),\n"
	"SIG_CRYPTO_FAILURE (the seal does not verify: the payload was altered or sealed by\n"
	"another key), NO_CERTIFICATE_CHAIN_FOUND and the other X.509 ones, HASH_FAILURE (the\n"
	"document is not the one the code was made for).\n"
	"\n"
	"  --qr-image FILE    a PNG holding the code\n"
	"  --qr-text PAYLOAD  the payload text itself (quote it for the shell)\n"
	"  --seal-cert FILE   the operator's seal certificate, PEM or DER; may repeat. A PEM\n"
	"                     file may hold several certificates: each is tried, and all of\n"
	"                     them help build the chain (give the intermediate CAs this way)\n"
	"  DOC.xml            the signed document ('-': standard input); without it only the\n"
	"                     code is checked, and the certificate must come from --seal-cert\n"
	"  --trust, --trust-dir, --json, --allow-weak, --at TIME: as above (the certificate\n"
	"                     chain is checked at TIME)\n"
	"\n"
	"Exit codes: 0 TOTAL-PASSED (the code, and the document's signatures when given);\n"
	"2 not valid; 1 error (unreadable file, not a PNG, unreadable certificate or trust\n"
	"anchors); 64 bad command line.\n";

#define MAX_SEAL_CERTS 16

enum { QB_FORMAT, QB_CERT, QB_SEAL, QB_X509, QB_MATCH, QB_COUNT };
static const char *const block_names[QB_COUNT] = {
	"format", "seal_certificate_identification", "cryptographic_verification",
	"x509_validation", "document_match"
};

struct qr_result {
	kel_indication indication;
	const char *sub;               /* NULL when passed */
	char message[512];
	kel_block_result blocks[QB_COUNT];
	const char *source;            /* "image" or "text" */
	char *text;                    /* the payload as read (NUL-terminated) */
	size_t text_len;
	int parsed;
	kel_qr_payload p;
	char cert_from[300];           /* "" when no certificate was found */
	kel_cert_result cert;
};

/* ---- a growing string ------------------------------------------------------------- */

struct sbuf {
	char *ptr;
	size_t len, cap;
	int failed;
};

static void sb_add(struct sbuf *b, const char *data, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		char *p;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((p = realloc(b->ptr, cap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->ptr = p;
		b->cap = cap;
	}
	memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char small[1024], *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		sb_add(b, small, (size_t)n);
		return;
	}
	if ((big = malloc((size_t)n + 1)) == NULL) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(b, big, (size_t)n);
	free(big);
}

/* A JSON string, or null; anything outside printable ASCII as \u00XX. */
static void sb_json(struct sbuf *b, const char *s, size_t n)
{
	if (s == NULL) {
		sb_add(b, "null", 4);
		return;
	}
	sb_add(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			sb_printf(b, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			sb_printf(b, "\\u%04x", c);
		else
			sb_add(b, (const char *)&c, 1);
	}
	sb_add(b, "\"", 1);
}

static void sb_jstr(struct sbuf *b, const char *s)
{
	sb_json(b, s, s ? strlen(s) : 0);
}

/* ---- small encoders for showing what the payload says ------------------------------- */

static void base64(char *out, const unsigned char *in, size_t n)
{
	static const char a[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned long v = (unsigned long)in[i] << 16 | (unsigned long)in[i + 1] << 8 | in[i + 2];
		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
		out[o++] = a[v >> 6 & 63];
		out[o++] = a[v & 63];
	}
	if (i < n) {
		unsigned long v = (unsigned long)in[i] << 16 | (i + 1 < n ? (unsigned long)in[i + 1] << 8 : 0);
		out[o++] = a[v >> 18 & 63];
		out[o++] = a[v >> 12 & 63];
		out[o++] = i + 1 < n ? a[v >> 6 & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
}

static void base32(char *out, const unsigned char *in, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned int acc = 0, bits = 0;
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8 | in[i]) & 0xffff;
		bits += 8;
		while (bits >= 5) {
			out[o++] = a[acc >> (bits - 5) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = a[acc << (5 - bits) & 31];
	out[o] = '\0';
}

/* ---- the verdict ------------------------------------------------------------------ */

/* Record a step's outcome; the first TOTAL-FAILED wins over any INDETERMINATE. */
static void step(struct qr_result *r, int block, kel_block_result result, kel_indication ind,
	const char *sub, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void step(struct qr_result *r, int block, kel_block_result result, kel_indication ind,
	const char *sub, const char *fmt, ...)
{
	va_list ap;

	r->blocks[block] = result;
	if (result == KEL_BLOCK_PASSED)
		return;
	if (r->indication == KEL_INDICATION_FAILED ||
	    (r->indication == KEL_INDICATION_INDETERMINATE && ind != KEL_INDICATION_FAILED))
		return;
	r->indication = ind;
	r->sub = sub;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

static const char *last_error(int code)
{
	const kel_error *e = kel_error_last();
	return e && e->message[0] ? e->message : kel_strerror(code);
}

static const char *block_result_name(kel_block_result b)
{
	switch (b) {
	case KEL_BLOCK_PASSED: return "PASSED";
	case KEL_BLOCK_FAILED: return "FAILED";
	case KEL_BLOCK_INDETERMINATE: return "INDETERMINATE";
	default: return "NOT_RUN";
	}
}

static kel_indication worse(kel_indication a, kel_indication b)
{
	if (a == KEL_INDICATION_FAILED || b == KEL_INDICATION_FAILED)
		return KEL_INDICATION_FAILED;
	if (a == KEL_INDICATION_INDETERMINATE || b == KEL_INDICATION_INDETERMINATE)
		return KEL_INDICATION_INDETERMINATE;
	return KEL_INDICATION_PASSED;
}

/* ---- the seal certificate ----------------------------------------------------------- */

struct seal_certs {
	const char *path[MAX_SEAL_CERTS];
	int n;
	struct sbuf pem;               /* every PEM file, one after the other: intermediates */
};

/*
 * Try the certificates of one --seal-cert file (data, len): each PEM certificate in it, or
 * the whole as DER. Returns 1 when one of them is the certificate the payload names (then
 * *seal_rc is kel_qr_payload_verify's result and *cert, *cert_len point into data), 0 when
 * none is, or a negative library error for an unreadable certificate.
 */
static int try_file(const kel_qr_payload *p, const char *data, size_t len, int *seal_rc,
	const char **cert, size_t *cert_len)
{
	static const char begin[] = "-----BEGIN CERTIFICATE-----";
	static const char end[] = "-----END CERTIFICATE-----";
	const char *s = strstr(data, begin);
	int rc;

	if (s == NULL) {
		rc = kel_qr_payload_verify(p, data, len);
		if (rc == KEL_ENOTFOUND)
			return 0;
		if (rc == KEL_EPARSE || rc == KEL_ENOMEM || rc == KEL_EINVAL)
			return rc;
		*seal_rc = rc;
		*cert = data;
		*cert_len = len;
		return 1;
	}
	for (; s; s = strstr(s + 1, begin)) {
		const char *e = strstr(s, end);
		size_t n;
		if (e == NULL)
			return kel_qr_payload_verify(p, s, strlen(s)) == KEL_ENOMEM ? KEL_ENOMEM :
				KEL_EPARSE;
		n = (size_t)(e + sizeof(end) - 1 - s);
		rc = kel_qr_payload_verify(p, s, n);
		if (rc == KEL_ENOTFOUND)
			continue;
		if (rc == KEL_EPARSE || rc == KEL_ENOMEM || rc == KEL_EINVAL)
			return rc;
		*seal_rc = rc;
		*cert = s;
		*cert_len = n;
		return 1;
	}
	return 0;
}

/* The seal, its certificate and the certificate's chain. Returns EXIT_OK or EXIT_ERROR. */
static int check_seal(struct qr_result *r, struct seal_certs *sc, const kel_doc *doc,
	const kel_verify_options *vopts)
{
	kel_buf der = KEL_BUF_INIT;
	const char *cert = NULL;
	size_t cert_len = 0;
	char *data = NULL;
	int seal_rc = 0, rc, found = 0, exit_rc = EXIT_OK;

	for (int i = 0; i < sc->n && !found; i++) {
		size_t len;
		free(data);
		data = NULL;
		if ((rc = cli_read_input("verify", sc->path[i], &data, &len)) != EXIT_OK) {
			exit_rc = EXIT_ERROR;
			goto done;
		}
		rc = try_file(&r->p, data, len, &seal_rc, &cert, &cert_len);
		if (rc < 0) {
			fprintf(stderr, "kelisim verify: --seal-cert '%s': %s\n", sc->path[i],
				last_error(rc));
			exit_rc = EXIT_ERROR;
			goto done;
		}
		if (rc == 1) {
			found = 1;
			snprintf(r->cert_from, sizeof(r->cert_from), "%s", sc->path[i]);
		}
	}
	if (!found && doc) {
		rc = kel_qr_doc_find_cert(&der, &r->p, doc);
		if (rc == 0) {
			found = 1;
			cert = der.ptr;
			cert_len = der.size;
			seal_rc = kel_qr_payload_verify(&r->p, cert, cert_len);
			snprintf(r->cert_from, sizeof(r->cert_from), "the document's signatures");
		} else if (rc != KEL_ENOTFOUND) {
			cli_report("verify", rc);
			exit_rc = EXIT_ERROR;
			goto done;
		}
	}
	if (!found) {
		step(r, QB_CERT, KEL_BLOCK_INDETERMINATE, KEL_INDICATION_INDETERMINATE,
			"NO_SIGNING_CERTIFICATE_FOUND", "no certificate with the payload's key id %s%s",
			sc->n ? "among the --seal-cert files" : "(give the operator's with --seal-cert)",
			doc ? (sc->n ? " or in the document's signatures" :
				", nor in the document's signatures") : "");
		goto done;
	}
	r->blocks[QB_CERT] = KEL_BLOCK_PASSED;
	if (seal_rc == KEL_EUNSUPPORTED) {
		step(r, QB_SEAL, KEL_BLOCK_INDETERMINATE, KEL_INDICATION_INDETERMINATE,
			"CRYPTO_CONSTRAINTS_FAILURE", "the seal certificate's key is not ECDSA P-256");
		goto done;
	}
	if (seal_rc < 0) {
		step(r, QB_SEAL, KEL_BLOCK_FAILED, KEL_INDICATION_FAILED, "SIG_CRYPTO_FAILURE",
			"the seal does not verify: the payload was altered, or sealed by another key");
		goto done;
	}
	r->blocks[QB_SEAL] = KEL_BLOCK_PASSED;
	rc = kel_cert_validate(&r->cert, cert, cert_len, sc->pem.ptr, sc->pem.len, doc, vopts);
	if (rc < 0) {
		cli_report("verify", rc);
		exit_rc = EXIT_ERROR;
		goto done;
	}
	if (r->cert.indication != KEL_INDICATION_PASSED)
		step(r, QB_X509, KEL_BLOCK_INDETERMINATE, r->cert.indication,
			r->cert.subindication, "seal certificate: %s", r->cert.message);
	else
		r->blocks[QB_X509] = KEL_BLOCK_PASSED;
done:
	kel_buf_dispose(&der);
	free(data);
	return exit_rc;
}

/* ---- output ------------------------------------------------------------------------ */

static void text_qr(struct sbuf *b, const struct qr_result *r, const char *image)
{
	char digest[64], kid[16];

	if (image)
		sb_printf(b, "QR code: image %s\n", image);
	else
		sb_printf(b, "QR code: text given with --qr-text\n");
	if (r->text) {
		sb_printf(b, "  payload:      ");
		for (size_t i = 0; i < r->text_len; i++) {
			unsigned char c = (unsigned char)r->text[i];
			if (c < 0x20 || c >= 0x7f)
				sb_printf(b, "\\x%02x", c);
			else
				sb_add(b, (const char *)&c, 1);
		}
		sb_add(b, "\n", 1);
	}
	if (r->parsed) {
		base64(digest, r->p.content_digest, sizeof(r->p.content_digest));
		base32(kid, r->p.key_id, sizeof(r->p.key_id));
		sb_printf(b, "  document:     %s (%s), issued %s, operator BIN %s\n", r->p.doc_id,
			kel_doc_type_name(r->p.type), r->p.issue_date, r->p.operator_bin);
		sb_printf(b, "  content:      SHA-256 %s\n", digest);
		sb_printf(b, "  key id:       %s\n", kid);
	}
	if (r->cert_from[0]) {
		sb_printf(b, "  sealed by:    %s\n", r->cert.subject[0] ? r->cert.subject : "?");
		if (r->cert.serial[0])
			sb_printf(b, "  serial:       %s\n", r->cert.serial);
		sb_printf(b, "  certificate:  from %s\n", r->cert_from);
	}
	for (int i = 0; i < QB_COUNT; i++)
		sb_printf(b, "  %-36s %s\n", block_names[i], block_result_name(r->blocks[i]));
	sb_printf(b, "  result:       %s", kel_indication_name(r->indication));
	if (r->sub)
		sb_printf(b, " / %s", r->sub);
	sb_add(b, "\n", 1);
	if (r->indication != KEL_INDICATION_PASSED)
		sb_printf(b, "  problem:      %s\n", r->message);
}

static void json_qr(struct sbuf *b, const struct qr_result *r, const char *image)
{
	char digest[64], kid[16];

	sb_printf(b, "{\n  \"qr\": {\n    \"source\": ");
	sb_jstr(b, r->source);
	sb_printf(b, ",\n    \"image\": ");
	sb_jstr(b, image);
	sb_printf(b, ",\n    \"payload\": ");
	sb_json(b, r->text, r->text_len);
	if (r->parsed) {
		base64(digest, r->p.content_digest, sizeof(r->p.content_digest));
		base32(kid, r->p.key_id, sizeof(r->p.key_id));
		sb_printf(b, ",\n    \"verify_url\": ");
		sb_jstr(b, r->p.url_prefix[0] ? r->p.url_prefix : NULL);
		sb_printf(b, ",\n    \"document_id\": \"%s\",\n    \"type\": \"%s\",\n"
			"    \"issue_date\": \"%s\",\n    \"operator_bin\": \"%s\",\n"
			"    \"content_digest\": \"%s\",\n    \"key_id\": \"%s\"",
			r->p.doc_id, kel_doc_type_name(r->p.type), r->p.issue_date,
			r->p.operator_bin, digest, kid);
	}
	sb_printf(b, ",\n    \"seal_certificate\": ");
	if (r->cert_from[0]) {
		sb_printf(b, "{\n      \"subject\": ");
		sb_jstr(b, r->cert.subject[0] ? r->cert.subject : NULL);
		sb_printf(b, ",\n      \"serial\": ");
		sb_jstr(b, r->cert.serial[0] ? r->cert.serial : NULL);
		sb_printf(b, ",\n      \"from\": ");
		sb_jstr(b, r->cert_from);
		sb_printf(b, "\n    }");
	} else {
		sb_printf(b, "null");
	}
	sb_printf(b, ",\n    \"building_blocks\": {");
	for (int i = 0; i < QB_COUNT; i++)
		sb_printf(b, "%s\n      \"%s\": { \"result\": \"%s\" }", i ? "," : "",
			block_names[i], block_result_name(r->blocks[i]));
	sb_printf(b, "\n    },\n    \"indication\": \"%s\",\n    \"subindication\": ",
		kel_indication_name(r->indication));
	sb_jstr(b, r->sub);
	sb_printf(b, ",\n    \"message\": ");
	sb_jstr(b, r->indication == KEL_INDICATION_PASSED ? NULL : r->message);
	sb_printf(b, "\n  }");
}

/* ---- the command ------------------------------------------------------------------- */

int verify_qr_wanted(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], "--qr-", 5) == 0 || strncmp(argv[i], "--seal-cert", 11) == 0)
			return 1;
	}
	return 0;
}

int verify_qr(int argc, char **argv)
{
	enum { O_IMAGE = 256, O_TEXT, O_SEAL, O_TRUST, O_TRUST_DIR, O_JSON, O_WEAK, O_AT };
	static const struct option options[] = {
		{ "qr-image", required_argument, NULL, O_IMAGE },
		{ "qr-text", required_argument, NULL, O_TEXT },
		{ "seal-cert", required_argument, NULL, O_SEAL },
		{ "trust", required_argument, NULL, O_TRUST },
		{ "trust-dir", required_argument, NULL, O_TRUST_DIR },
		{ "json", no_argument, NULL, O_JSON },
		{ "allow-weak", no_argument, NULL, O_WEAK },
		{ "at", required_argument, NULL, O_AT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	kel_verify_options vopts = KEL_VERIFY_OPTIONS_INIT;
	struct seal_certs sc;
	struct qr_result r;
	struct sbuf out = { NULL, 0, 0, 0 };
	kel_report *report = NULL;
	kel_buf rep = KEL_BUF_INIT;
	kel_doc *doc = NULL;
	const char *image = NULL, *text = NULL, *input = NULL;
	char *xml = NULL, *png = NULL;
	size_t xml_len = 0, png_len = 0;
	kel_indication overall;
	int c, json = 0, rc;

	memset(&sc, 0, sizeof(sc));
	memset(&r, 0, sizeof(r));
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case O_IMAGE: image = optarg; break;
		case O_TEXT: text = optarg; break;
		case O_SEAL:
			if (sc.n == MAX_SEAL_CERTS)
				return cli_usage_error("verify", "at most %d --seal-cert files",
					MAX_SEAL_CERTS);
			sc.path[sc.n++] = optarg;
			break;
		case O_TRUST: vopts.trust_file = optarg; break;
		case O_TRUST_DIR: vopts.trust_dir = optarg; break;
		case O_JSON: json = 1; break;
		case O_WEAK: vopts.allow_weak = 1; break;
		case O_AT:
			if ((vopts.validation_time = cli_parse_utc(optarg)) == (time_t)-1)
				return cli_usage_error("verify", "--at wants YYYY-MM-DDThh:mm:ssZ, not '%s'",
					optarg);
			break;
		case 'h': fputs(verify_qr_usage + 1, stdout); return EXIT_OK;
		default: return cli_usage_error("verify", "bad option");
		}
	}
	if (optind < argc)
		input = argv[optind++];
	if (optind < argc)
		return cli_usage_error("verify", "one document at a time ('%s' is extra)",
			argv[optind]);
	if (image && input && strcmp(image, "-") == 0 && strcmp(input, "-") == 0)
		return cli_usage_error("verify", "the image and the document cannot both come from "
			"standard input");
	if (!image == !text)
		return cli_usage_error("verify", image ? "give --qr-image or --qr-text, not both" :
			"--seal-cert is for a QR code: give --qr-image or --qr-text");

	/* Everything that can be an error (exit 1) is read before anything is judged. */
	if (image && (rc = cli_read_input("verify", image, &png, &png_len)) != EXIT_OK)
		goto done;
	if (input && (rc = cli_read_input("verify", input, &xml, &xml_len)) != EXIT_OK)
		goto done;
	for (int i = 0; i < sc.n; i++) {
		char *data;
		size_t len;
		if ((rc = cli_read_input("verify", sc.path[i], &data, &len)) != EXIT_OK)
			goto done;
		if (strstr(data, "-----BEGIN")) {
			sb_add(&sc.pem, data, len);
			sb_add(&sc.pem, "\n", 1);
		}
		free(data);
	}
	if (sc.pem.failed) {
		fprintf(stderr, "kelisim verify: out of memory\n");
		rc = EXIT_ERROR;
		goto done;
	}

	/* 1. The text. */
	r.indication = KEL_INDICATION_PASSED;
	r.source = image ? "image" : "text";
	if (image) {
		kel_buf t = KEL_BUF_INIT;
		rc = kel_qr_decode_png(&t, png, png_len);
		if (rc == KEL_ENOTFOUND) {
			step(&r, QB_FORMAT, KEL_BLOCK_INDETERMINATE, KEL_INDICATION_INDETERMINATE,
				"FORMAT_FAILURE", "no readable QR code in the image");
		} else if (rc < 0) {
			fprintf(stderr, "kelisim verify: '%s': %s\n", image, last_error(rc));
			rc = EXIT_ERROR;
			goto done;
		} else if ((r.text = malloc(t.size + 1)) != NULL) {
			memcpy(r.text, t.ptr, t.size);
			r.text[t.size] = '\0';
			r.text_len = t.size;
		}
		kel_buf_dispose(&t);
		if (rc == 0 && r.text == NULL) {
			fprintf(stderr, "kelisim verify: out of memory\n");
			rc = EXIT_ERROR;
			goto done;
		}
	} else {
		r.text = strdup(text);
		r.text_len = strlen(text);
		if (r.text == NULL) {
			fprintf(stderr, "kelisim verify: out of memory\n");
			rc = EXIT_ERROR;
			goto done;
		}
	}

	/* 2. Read it strictly. */
	if (r.text) {
		rc = kel_qr_payload_parse(&r.p, r.text, r.text_len);
		if (rc == 0) {
			r.parsed = 1;
			r.blocks[QB_FORMAT] = KEL_BLOCK_PASSED;
		} else if (rc == KEL_EUNSUPPORTED) {
			step(&r, QB_FORMAT, KEL_BLOCK_INDETERMINATE, KEL_INDICATION_INDETERMINATE,
				"FORMAT_FAILURE", "%s", last_error(rc));
		} else if (rc == KEL_ENOMEM) {
			cli_report("verify", rc);
			rc = EXIT_ERROR;
			goto done;
		} else {
			step(&r, QB_FORMAT, KEL_BLOCK_FAILED, KEL_INDICATION_FAILED,
				"FORMAT_FAILURE", "%s", last_error(rc));
		}
	}

	/* The document, when given: it must be read before its certificates can help. */
	if (xml && r.parsed && (rc = kel_doc_parse(&doc, xml, xml_len)) < 0) {
		if (rc == KEL_ENOMEM) {
			cli_report("verify", rc);
			rc = EXIT_ERROR;
			goto done;
		}
		step(&r, QB_MATCH, KEL_BLOCK_FAILED, KEL_INDICATION_FAILED, "FORMAT_FAILURE",
			"the document cannot be read: %s", last_error(rc));
		doc = NULL;
	}

	/* 3-5. The certificate, the seal, the chain. */
	if (r.parsed && (rc = check_seal(&r, &sc, doc, &vopts)) != EXIT_OK)
		goto done;

	/* 6. The document behind the code. */
	if (doc) {
		rc = kel_qr_payload_check_doc(&r.p, doc);
		if (rc == 0)
			r.blocks[QB_MATCH] = KEL_BLOCK_PASSED;
		else if (rc == KEL_EINVALID)
			step(&r, QB_MATCH, KEL_BLOCK_FAILED, KEL_INDICATION_FAILED, "HASH_FAILURE",
				"the document is not the one the code was made for: %s", last_error(rc));
		else {
			cli_report("verify", rc);
			rc = EXIT_ERROR;
			goto done;
		}
	}

	/* The document's own signatures. */
	if (xml && (rc = kel_verify(&report, xml, xml_len, &vopts)) < 0) {
		cli_report("verify", rc);
		rc = EXIT_ERROR;   /* verification could not run: never "invalid" */
		goto done;
	}

	overall = r.indication;
	if (report)
		overall = worse(overall, kel_report_indication(report));
	if (json) {
		json_qr(&out, &r, image);
		sb_printf(&out, ",\n  \"document\": ");
		if (report) {
			if ((rc = kel_report_to_json(report, &rep)) < 0)
				goto report_failed;
			/* The document's report, as 'kelisim verify --json' prints it, nested. */
			while (rep.size > 0 && (rep.ptr[rep.size - 1] == '\n' || rep.ptr[rep.size - 1] == ' '))
				rep.size--;
			for (size_t i = 0; i < rep.size; i++) {
				sb_add(&out, rep.ptr + i, 1);
				if (rep.ptr[i] == '\n')
					sb_add(&out, "  ", 2);
			}
		} else {
			sb_printf(&out, "null");
		}
		sb_printf(&out, ",\n  \"indication\": \"%s\"\n}\n", kel_indication_name(overall));
	} else {
		text_qr(&out, &r, image);
		if (report) {
			const char *last;
			if ((rc = kel_report_to_text(report, &rep)) < 0)
				goto report_failed;
			/* Its closing "overall:" line becomes "signatures:"; ours closes the whole. */
			last = strstr(rep.ptr, "overall: ");
			while (last && strstr(last + 1, "\noverall: "))
				last = strstr(last + 1, "\noverall: ") + 1;
			if (last) {
				sb_add(&out, rep.ptr, (size_t)(last - rep.ptr));
				sb_printf(&out, "signatures: %s", last + strlen("overall: "));
			} else {
				sb_add(&out, rep.ptr, rep.size);
			}
			if (out.len && out.ptr[out.len - 1] != '\n')
				sb_add(&out, "\n", 1);
		}
		sb_printf(&out, "overall: %s (QR code%s)\n", kel_indication_name(overall),
			report ? " and the document's signatures" : " only");
	}
	if (out.failed) {
		fprintf(stderr, "kelisim verify: out of memory\n");
		rc = EXIT_ERROR;
		goto done;
	}
	rc = cli_write_output("verify", NULL, out.ptr, out.len);
	if (rc == EXIT_OK && overall != KEL_INDICATION_PASSED)
		rc = EXIT_INVALID;
	goto done;
report_failed:
	cli_report("verify", rc);
	rc = EXIT_ERROR;
done:
	kel_buf_dispose(&rep);
	kel_report_free(report);
	kel_doc_free(doc);
	free(out.ptr);
	free(sc.pem.ptr);
	free(r.text);
	free(png);
	free(xml);
	return rc;
}
