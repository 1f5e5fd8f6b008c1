/*
 * fuzz_seed PKI_DIR SOURCE_DIR OUT_DIR: write seed inputs for the fuzzers — an unsigned and a
 * signed consent document made with the test PKI. (The fuzz build has no kelisim tool: the
 * shared library cannot be linked with clang's sanitizers and --no-undefined.)
 */
#include <stdio.h>
#include <stdlib.h>
#include "kelisim.h"

static int save(const char *dir, const char *name, const kel_doc *doc)
{
	kel_buf b = KEL_BUF_INIT;
	char path[1024];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (kel_doc_write(&b, doc) < 0 || (f = fopen(path, "wb")) == NULL)
		return -1;
	ok = fwrite(b.ptr, 1, b.size, f) == b.size;
	fclose(f);
	kel_buf_dispose(&b);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	char path[1024], key[1024], cert[1024], chain[1024];
	kel_doc *doc = NULL;
	kel_key *k = NULL;
	char *json;
	long n;
	FILE *f;

	if (argc != 4 || kel_init() < 0)
		return 64;
	snprintf(path, sizeof(path), "%s/schemas/examples/consent.json", argv[2]);
	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0)
		return 1;
	rewind(f);
	json = malloc((size_t)n);
	if (json == NULL || fread(json, 1, (size_t)n, f) != (size_t)n)
		return 1;
	fclose(f);
	snprintf(key, sizeof(key), "%s/operator.key", argv[1]);
	snprintf(cert, sizeof(cert), "%s/operator.crt", argv[1]);
	snprintf(chain, sizeof(chain), "%s/chain.pem", argv[1]);
	if (kel_doc_new(&doc, json, (size_t)n, NULL) < 0 || save(argv[3], "doc.xml", doc) < 0 ||
	    kel_key_load_pem(&k, key, cert, chain, NULL, 0) < 0 ||
	    kel_xades_sign(doc, k, NULL) < 0 || save(argv[3], "signed.xml", doc) < 0) {
		fprintf(stderr, "fuzz_seed: %s\n", kel_error_last() ? kel_error_last()->message : "?");
		return 1;
	}
	kel_key_free(k);
	kel_doc_free(doc);
	free(json);
	kel_shutdown();
	return 0;
}
