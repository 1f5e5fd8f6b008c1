/*
 * gen-docs: sign N varied documents for the store's reliability tests and benchmark.
 *
 * usage: gen-docs SOURCE_DIR PKI_DIR OUT_DIR N [FIRST]
 *
 * Document i (FIRST <= i < FIRST+N) is made from schemas/examples/consent.json (every fifth
 * from transfer-notice.json) with a subject IIN varied by i, signed in-process with the test
 * PKI's operator key, and written to OUT_DIR/doc-%06d.xml. Signing through the CLI thousands
 * of times would spend most of the time starting processes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kelisim.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "gen-docs: cannot read '%s'\n", path);
		exit(1);
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "gen-docs: cannot read '%s'\n", path);
		exit(1);
	}
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* An IIN born 1990-01-01 with serial varied by k, with its control digit. */
static void iin_for(char out[13], long k)
{
	for (int tries = 0; tries < 10; tries++, k += 7919) {
		/* YYMMDD must stay a date: vary only the serial and keep 900101 */
		snprintf(out, 13, "9001013%04ld", k % 10000);
		int d = kel_kzid_control_digit(out);
		if (d >= 0) {
			out[11] = (char)('0' + d);
			out[12] = '\0';
			return;
		}
	}
	snprintf(out, 13, "900101300007");
}

int main(int argc, char **argv)
{
	char path[4096], iin[13];
	char *templ[2];
	size_t tlen[2];
	kel_key *key = NULL;
	long n, first;

	if (argc < 5) {
		fprintf(stderr, "usage: gen-docs SOURCE_DIR PKI_DIR OUT_DIR N [FIRST]\n");
		return 64;
	}
	n = atol(argv[4]);
	first = argc > 5 ? atol(argv[5]) : 0;
	if (kel_init() < 0)
		return 1;
	snprintf(path, sizeof path, "%s/schemas/examples/consent.json", argv[1]);
	templ[0] = slurp(path, &tlen[0]);
	snprintf(path, sizeof path, "%s/schemas/examples/transfer-notice.json", argv[1]);
	templ[1] = slurp(path, &tlen[1]);
	{
		char k[4096], c[4096], ch[4096];
		snprintf(k, sizeof k, "%s/operator.key", argv[2]);
		snprintf(c, sizeof c, "%s/operator.crt", argv[2]);
		snprintf(ch, sizeof ch, "%s/chain.pem", argv[2]);
		if (kel_key_load_pem(&key, k, c, ch, NULL, 0) < 0) {
			fprintf(stderr, "gen-docs: %s\n", kel_error_last()->message);
			return 1;
		}
	}
	for (long i = first; i < first + n; i++) {
		int t = i % 5 == 4;
		char *json = strdup(templ[t]), *p;
		kel_doc *doc = NULL;
		kel_buf out = KEL_BUF_INIT;
		FILE *f;

		iin_for(iin, i);
		/* The example's IIN appears once in the request. */
		if ((p = strstr(json, "900101300007")) != NULL)
			memcpy(p, iin, 12);
		if (kel_doc_new(&doc, json, strlen(json), NULL) < 0 ||
		    kel_xades_sign(doc, key, NULL) < 0 || kel_doc_write(&out, doc) < 0) {
			fprintf(stderr, "gen-docs: document %ld: %s\n", i, kel_error_last()->message);
			return 1;
		}
		snprintf(path, sizeof path, "%s/doc-%06ld.xml", argv[3], i);
		if (!(f = fopen(path, "wb")) || fwrite(out.ptr, 1, out.size, f) != out.size ||
		    fclose(f) != 0) {
			fprintf(stderr, "gen-docs: cannot write '%s'\n", path);
			return 1;
		}
		kel_buf_dispose(&out);
		kel_doc_free(doc);
		free(json);
	}
	kel_key_free(key);
	free(templ[0]);
	free(templ[1]);
	kel_shutdown();
	return 0;
}
