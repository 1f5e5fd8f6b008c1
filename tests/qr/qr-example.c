/*
 * qr-example: makes the worked example of docs/qr-payload.md with the test PKI, through the
 * public API only, for tests/qr/verify-by-hand.sh (until `kelisim qr` exists).
 *
 *   qr-example SOURCE_DIR PKI_DIR OUT_DIR [URL]
 *
 * writes OUT_DIR/doc.xml (the consent example, issued 2026-11-18, its Verification filled
 * with the operator's seal), payload.txt (no newline), code.png and code.svg.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kelisim.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (data = malloc((size_t)n + 1)) == NULL ||
	    fread(data, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "qr-example: cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	data[n] = '\0';
	*len = (size_t)n;
	return data;
}

static void spill(const char *dir, const char *name, const char *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "qr-example: cannot write %s\n", path);
		exit(1);
	}
}

static void check(int rc, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "qr-example: %s: %s\n", what,
			kel_error_last() ? kel_error_last()->message : kel_strerror(rc));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	char path[4096], key_path[4096], cert_path[4096];
	kel_doc_new_options o = KEL_DOC_NEW_OPTIONS_INIT;
	kel_qr_options qo = KEL_QR_OPTIONS_INIT;
	kel_buf buf = KEL_BUF_INIT;
	kel_qr_payload p;
	kel_doc *doc;
	kel_key *key;
	size_t len;
	char *json;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: qr-example SOURCE_DIR PKI_DIR OUT_DIR [URL]\n");
		return 64;
	}
	check(kel_init(), "kel_init");
	snprintf(path, sizeof(path), "%s/schemas/examples/consent.json", argv[1]);
	snprintf(key_path, sizeof(key_path), "%s/operator.key", argv[2]);
	snprintf(cert_path, sizeof(cert_path), "%s/operator.crt", argv[2]);
	json = slurp(path, &len);
	o.issued_at = 1795000000;   /* 2026-11-18T11:06:40Z */
	check(kel_doc_new(&doc, json, len, &o), "kel_doc_new");
	check(kel_key_load_pem(&key, key_path, cert_path, NULL, NULL, 0), "kel_key_load_pem");
	qo.verify_url = argc == 5 ? argv[4] : NULL;
	check(kel_qr_doc_fill(doc, key, &qo, NULL), "kel_qr_doc_fill");
	check(kel_qr_doc_payload(&p, doc), "kel_qr_doc_payload");

	check(kel_doc_write(&buf, doc), "kel_doc_write");
	spill(argv[3], "doc.xml", buf.ptr, buf.size);
	spill(argv[3], "payload.txt", p.text, p.text_len);
	check(kel_qr_png(&buf, p.text, p.text_len, 4), "kel_qr_png");
	spill(argv[3], "code.png", buf.ptr, buf.size);
	check(kel_qr_svg(&buf, p.text, p.text_len, 4), "kel_qr_svg");
	spill(argv[3], "code.svg", buf.ptr, buf.size);

	kel_buf_dispose(&buf);
	kel_key_free(key);
	kel_doc_free(doc);
	free(json);
	kel_shutdown();
	return 0;
}
