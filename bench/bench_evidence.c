/*
 * bench_evidence: clause 4.8 bundles from a large store.
 *
 * usage: bench_evidence one URI PKI_DIR SOURCE_DIR RUNS OUT.asice
 *        bench_evidence fill URI PKI_DIR SOURCE_DIR NSUBJECTS
 *
 * one:  adds a fresh subject (a consent and a transfer notice, made and signed in-process,
 *       stored with kel_store_add and its verification) to the store at URI, which may hold
 *       millions of documents already, then exports that subject's bundle RUNS times
 *       (kel_evidence_export: scope, a newly signed tree head, the documents, reports,
 *       proofs, manifests and the signed statement, the container) and prints the minimum,
 *       median and maximum time, then checks the last bundle with kel_evidence_verify.
 * fill: makes NSUBJECTS subjects (distinct IINs) with a consent and a transfer notice each,
 *       signed for real and stored with kel_store_add (SQLite with synchronous=OFF for the
 *       fill only), for 'kelisim evidence export --all' to be measured on (peak RSS with
 *       /usr/bin/time -v).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "kelisim.h"
#include "bench_util.h"
#include "store_backend.h"

/*
 * A distinct IIN per k: born 1985-MM-DD (MM, DD from k / 10000), serial (k % 10000) * 10 + j
 * for the first j that has a control digit... kept within 4 digits by using k % 1000.
 */
static void iin_of(char out[13], long k)
{
	long day = k / 1000, serial = k % 1000;
	for (int j = 0; j < 10; j++) {
		char tmp[64];
		snprintf(tmp, sizeof tmp, "85%02ld%02ld4%04ld", 1 + (day / 28) % 12, 1 + day % 28,
			serial * 10 + j);
		memcpy(out, tmp, 12);
		out[12] = '\0';
		int d = kel_kzid_control_digit(out);
		if (d >= 0) {
			out[11] = (char)('0' + d);
			return;
		}
	}
	bench_die("no IIN");
}

static void make(kel_buf *out, const char *src, const char *example, const char *iin,
	const kel_key *key)
{
	char path[4096], *json, *p;
	kel_doc *doc = NULL;
	size_t len;

	snprintf(path, sizeof path, "%s/schemas/examples/%s.json", src, example);
	json = bench_read_file(path, &len);
	if ((p = strstr(json, "900101300007")) != NULL)
		memcpy(p, iin, 12);
	if (kel_doc_new(&doc, json, len, NULL) < 0 || kel_xades_sign(doc, key, NULL) < 0 ||
	    kel_doc_write(out, doc) < 0)
		bench_die("making a document");
	kel_doc_free(doc);
	free(json);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	kel_store_options so = KEL_STORE_OPTIONS_INIT;
	kel_store *s = NULL;
	kel_key *key = NULL;
	char k[4096], c[4096], ch[4096], root[4096], iin[13];
	long n;

	if (argc < 6 || (strcmp(argv[1], "one") != 0 && strcmp(argv[1], "fill") != 0) ||
	    (strcmp(argv[1], "one") == 0 && argc < 7)) {
		fprintf(stderr, "usage: bench_evidence one URI PKI_DIR SOURCE_DIR RUNS OUT.asice\n"
			"       bench_evidence fill URI PKI_DIR SOURCE_DIR NSUBJECTS\n");
		return 64;
	}
	n = atol(argv[5]);
	if (n < 1)
		n = 1;
	if (kel_init() < 0)
		bench_die("kel_init");
	snprintf(k, sizeof k, "%s/operator.key", argv[3]);
	snprintf(c, sizeof c, "%s/operator.crt", argv[3]);
	snprintf(ch, sizeof ch, "%s/chain.pem", argv[3]);
	snprintf(root, sizeof root, "%s/root.crt", argv[3]);
	if (kel_key_load_pem(&key, k, c, ch, NULL, 0) < 0)
		bench_die("loading the operator key");
	so.trust_file = root;
	if (kel_store_open(&s, argv[2], &so) < 0)
		bench_die("opening the store");
	if (kel_store_set_trust(s, root, NULL) < 0)
		bench_die("recording the trust anchors");

	if (strcmp(argv[1], "fill") == 0) {
		double t0 = bench_now();
		if (strncmp(argv[2], "sqlite:", 7) == 0)
			kel__store_exec(s, "PRAGMA synchronous = OFF", 0, NULL, NULL, NULL);
		for (long i = 0; i < n; i++) {
			kel_buf b = KEL_BUF_INIT;
			iin_of(iin, i);
			make(&b, argv[4], "consent", iin, key);
			if (kel_store_add(s, b.ptr, b.size, NULL) < 0)
				bench_die("adding a consent");
			make(&b, argv[4], "transfer-notice", iin, key);
			if (kel_store_add(s, b.ptr, b.size, NULL) < 0)
				bench_die("adding a notice");
			kel_buf_dispose(&b);
		}
		printf("filled %ld subjects (%ld documents) in %.1f s\n", n, 2 * n, bench_now() - t0);
	} else {
		kel_evidence_export_options o = KEL_EVIDENCE_EXPORT_OPTIONS_INIT;
		kel_evidence_summary sum;
		kel_evidence_report *r = NULL;
		const char *subjects[1];
		double *t = calloc((size_t)n, sizeof *t);
		uint64_t size;
		kel_buf b = KEL_BUF_INIT;
		struct rusage ru;

		/* A subject of its own, so that its documents are real and verify. */
		iin_of(iin, 200000 + (long)(time(NULL) % 50000));
		make(&b, argv[4], "consent", iin, key);
		if (kel_store_add(s, b.ptr, b.size, NULL) < 0)
			bench_die("adding the consent");
		make(&b, argv[4], "transfer-notice", iin, key);
		if (kel_store_add(s, b.ptr, b.size, NULL) < 0)
			bench_die("adding the notice");
		kel_buf_dispose(&b);
		if (kel_store_log_size(s, &size) < 0)
			bench_die("log size");
		subjects[0] = iin;
		o.subjects = subjects;
		o.nsubjects = 1;
		o.key = key;
		for (long i = 0; i < n; i++) {
			double t0 = bench_now();
			if (kel_evidence_export(s, &o, argv[6], &sum) < 0)
				bench_die("export");
			t[i] = bench_now() - t0;
		}
		qsort(t, (size_t)n, sizeof *t, cmp_double);
		printf("store %s: %llu log entries; subject %s: %llu documents, complete %s\n",
			kel_store_backend(s), (unsigned long long)size, iin,
			(unsigned long long)sum.documents, sum.complete == 1 ? "yes" : "no");
		printf("one-subject bundle, %ld runs: min %.1f ms, median %.1f ms, max %.1f ms\n", n,
			t[0] * 1e3, t[n / 2] * 1e3, t[n - 1] * 1e3);
		if (kel_evidence_verify(&r, argv[6], root, NULL) < 0)
			bench_die("verify");
		printf("verify: %s\n", kel_evidence_report_ok(r) && kel_evidence_report_complete(r) ?
			"VALID, complete" : "NOT VALID");
		kel_evidence_report_free(r);
		getrusage(RUSAGE_SELF, &ru);
		printf("peak RSS %.1f MB\n", ru.ru_maxrss / 1024.0);
		free(t);
	}
	kel_store_free(s);
	kel_key_free(key);
	kel_shutdown();
	return 0;
}
