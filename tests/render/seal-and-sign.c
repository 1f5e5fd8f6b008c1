/*
 * Test helper for check-render.sh: make a document from a JSON request, fill its QR code
 * (kel_qr_doc_fill) with the operator's EC key and sign it (kel_xades_sign), as `kelisim
 * sign` does once it fills the Verification element itself.
 * Usage: seal-and-sign REQUEST.json KEY.pem CERT.pem CHAIN.pem OUT.xml
 */
#include <stdio.h>
#include <stdlib.h>

#include "kelisim.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long size;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (data = malloc((size_t)size + 1)) == NULL ||
	    fread(data, 1, (size_t)size, f) != (size_t)size) {
		if (f)
			fclose(f);
		free(data);
		return NULL;
	}
	fclose(f);
	data[size] = '\0';
	*len = (size_t)size;
	return data;
}

static int fail(const char *what, int rc)
{
	const kel_error *e = kel_error_last();
	fprintf(stderr, "seal-and-sign: %s: %s\n", what, e ? e->message : kel_strerror(rc));
	return 1;
}

int main(int argc, char **argv)
{
	kel_doc *doc = NULL;
	kel_key *key = NULL;
	kel_buf out = KEL_BUF_INIT;
	size_t len;
	char *json;
	FILE *f;
	int rc, status = 1;

	if (argc != 6) {
		fprintf(stderr, "usage: seal-and-sign REQUEST.json KEY CERT CHAIN OUT.xml\n");
		return 64;
	}
	if ((json = slurp(argv[1], &len)) == NULL) {
		perror(argv[1]);
		return 1;
	}
	if ((rc = kel_init()) < 0)
		return fail("init", rc);
	if ((rc = kel_doc_new(&doc, json, len, NULL)) < 0)
		status = fail("new", rc);
	else if ((rc = kel_key_load_pem(&key, argv[2], argv[3], argv[4], NULL, 0)) < 0)
		status = fail("key", rc);
	else if ((rc = kel_qr_doc_fill(doc, key, NULL, NULL)) < 0)
		status = fail("qr", rc);
	else if ((rc = kel_xades_sign(doc, key, NULL)) < 0)
		status = fail("sign", rc);
	else if ((rc = kel_doc_write(&out, doc)) < 0)
		status = fail("write", rc);
	else if ((f = fopen(argv[5], "wb")) == NULL || fwrite(out.ptr, 1, out.size, f) != out.size ||
		 fclose(f) != 0)
		perror(argv[5]);
	else
		status = 0;
	kel_buf_dispose(&out);
	kel_key_free(key);
	kel_doc_free(doc);
	free(json);
	kel_shutdown();
	return status;
}
