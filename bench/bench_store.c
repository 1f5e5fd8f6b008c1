/*
 * bench_store: fill an evidence store with N documents and measure it.
 *
 * usage: bench_store URI PKI_DIR SOURCE_DIR N [BATCH]
 *
 * 1. Signs 100 documents in-process (80 consents, 20 transfer notices, one subject each) and
 *    adds them with kel_store_add as the tool does: verification on entry, one transaction
 *    per document. That is the verified ingest rate.
 * 2. Adds N documents made from those 100 by giving each a new id and a new subject IIN (a
 *    different birth date and serial per document), with the verification switched off
 *    (kel__store_bench_mode: the changed documents' signatures no longer hold, and
 *    verification was measured in step 1 and in bench_sign) and BATCH adds per transaction
 *    (default 1000). Each document is still parsed and checked against the schema and rules,
 *    indexed and logged. That is the store engine's ingest rate.
 * 3. Subject lookups (kel_store_subject_status) and inclusion proofs (kel_store_prove) of
 *    10,000 random documents: p50 and p99 latency.
 * 4. Store size per document and the process's peak RSS.
 *
 * Memory stays flat in N: nothing per document is kept; ids and IINs are recomputed from i.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "kelisim.h"
#include "bench_util.h"
#include "store_backend.h"

#define TEMPLATES 100
#define SAMPLES 10000

struct tmpl {
	char *xml;
	size_t len;
	char id[37];
	char iin[13];
};

/* The IIN of document i: born 1950-01-01 + (i mod 18000) days, serial from i / 18000. */
static void iin_of(char out[13], long i)
{
	for (long serial = (i / 18000) % 10000;; serial = (serial + 1) % 10000) {
		time_t t = (time_t)(-631152000L) + (time_t)(i % 18000) * 86400;   /* 1950-01-01 */
		struct tm tm;
		char tmp[64];
		gmtime_r(&t, &tm);
		snprintf(tmp, sizeof tmp, "%02d%02d%02d3%04ld", tm.tm_year % 100, tm.tm_mon + 1,
			tm.tm_mday, serial);
		memcpy(out, tmp, 12);
		out[12] = '\0';
		int d = kel_kzid_control_digit(out);
		if (d >= 0) {
			out[11] = (char)('0' + d);
			out[12] = '\0';
			return;
		}
	}
}

/* The id of document i: a well-formed UUIDv7 with i in its last 48 bits. */
static void id_of(char out[37], long i)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "01a30000-0000-7000-8000-%012lx",
		(unsigned long)i & 0xffffffffffffUL);
	memcpy(out, tmp, 37);
}

/* Replace each occurrence of from (same length as to) in the NUL-terminated buf. */
static void replace_all(char *buf, const char *from, const char *to)
{
	size_t n = strlen(from);
	for (char *p = buf; (p = strstr(p, from)) != NULL; p += n)
		memcpy(p, to, n);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void percentiles(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	printf("%-28s p50 %8.3f ms   p99 %8.3f ms   max %8.3f ms\n", what, v[n / 2] * 1e3,
		v[(n * 99) / 100] * 1e3, v[n - 1] * 1e3);
}

static int count_cb(void *ctx, const kel_store_entry *e)
{
	(void)e;
	(*(int *)ctx)++;
	return 0;
}

struct size_ctx {
	long long bytes;
};

static int row_size(void *ctx, int ncol, const kel__sql_val *col)
{
	struct size_ctx *s = ctx;
	if (ncol >= 1 && col[0].type == KEL_SQL_INT)
		s->bytes = col[0].i;
	return 0;
}

int main(int argc, char **argv)
{
	kel_store_options so = KEL_STORE_OPTIONS_INIT;
	struct tmpl t[TEMPLATES];
	kel_store *s = NULL;
	kel_key *key = NULL;
	char path[4096], cert[4096], chain[4096];
	long n, batch;
	double t0, t1;
	static double lat[SAMPLES];
	uint64_t base;

	if (argc < 5) {
		fprintf(stderr, "usage: bench_store URI PKI_DIR SOURCE_DIR N [BATCH]\n");
		return 64;
	}
	n = atol(argv[4]);
	batch = argc > 5 ? atol(argv[5]) : 1000;
	if (n < 1 || batch < 1) {
		fprintf(stderr, "bench_store: N and BATCH must be at least 1\n");
		return 64;
	}
	if (kel_init() < 0)
		bench_die("kel_init");
	snprintf(path, sizeof path, "%s/operator.key", argv[2]);
	snprintf(cert, sizeof cert, "%s/operator.crt", argv[2]);
	snprintf(chain, sizeof chain, "%s/chain.pem", argv[2]);
	if (kel_key_load_pem(&key, path, cert, chain, NULL, 0) < 0)
		bench_die("loading the operator key");

	/* 1. Templates, signed for real. */
	for (int i = 0; i < TEMPLATES; i++) {
		size_t jl;
		kel_doc *doc = NULL;
		kel_buf b = KEL_BUF_INIT;
		snprintf(path, sizeof path, "%s/schemas/examples/%s.json", argv[3],
			i % 5 == 4 ? "transfer-notice" : "consent");
		char *json = bench_read_file(path, &jl), *p;
		iin_of(t[i].iin, 20000000L + i);
		if ((p = strstr(json, "900101300007")) != NULL)
			memcpy(p, t[i].iin, 12);
		if (kel_doc_new(&doc, json, jl, NULL) < 0 || kel_xades_sign(doc, key, NULL) < 0 ||
		    kel_doc_write(&b, doc) < 0)
			bench_die("making a template");
		snprintf(t[i].id, sizeof t[i].id, "%s", kel_doc_id(doc));
		t[i].xml = malloc(b.size + 1);
		memcpy(t[i].xml, b.ptr, b.size + 1);
		t[i].len = b.size;
		kel_buf_dispose(&b);
		kel_doc_free(doc);
		free(json);
	}
	kel_key_free(key);

	snprintf(path, sizeof path, "%s/root.crt", argv[2]);
	so.trust_file = path;
	if (kel_store_open(&s, argv[1], &so) < 0)
		bench_die("opening the store");
	if (kel_store_log_size(s, &base) < 0)
		bench_die("log size");
	printf("store %s (%s), document size %zu bytes, N = %ld, batch %ld\n", argv[1],
		kel_store_backend(s), t[0].len, n, batch);

	t0 = bench_now();
	for (int i = 0; i < TEMPLATES; i++) {
		kel_store_added a;
		if (kel_store_add(s, t[i].xml, t[i].len, &a) < 0)
			bench_die("verified add");
	}
	t1 = bench_now();
	printf("verified ingest (kel_store_add: verify + one transaction each): %8.0f docs/s\n",
		TEMPLATES / (t1 - t0));

	/* 2. The bulk load. */
	if (kel__store_bench_mode(s, 0) < 0)
		bench_die("bench mode");
	{
		char *work = malloc(t[0].len * 2 + 1);
		double last = bench_now();
		t0 = last;
		for (long i = 0; i < n; i++) {
			struct tmpl *tp = &t[i % TEMPLATES];
			char id[37], iin[13];
			if (i % batch == 0 && kel__store_batch_begin(s) < 0)
				bench_die("batch begin");
			memcpy(work, tp->xml, tp->len + 1);
			id_of(id, i);
			iin_of(iin, i);
			replace_all(work, tp->id, id);
			replace_all(work, tp->iin, iin);
			if (kel_store_add(s, work, tp->len, NULL) < 0)
				bench_die("bulk add");
			if ((i + 1) % batch == 0 || i + 1 == n) {
				if (kel__store_batch_end(s) < 0)
					bench_die("batch end");
			}
			if ((i + 1) % 100000 == 0) {
				double now = bench_now();
				fprintf(stderr, "  %ld documents, %.0f docs/s over the last 100k\n", i + 1,
					100000 / (now - last));
				last = now;
			}
		}
		t1 = bench_now();
		free(work);
	}
	printf("engine ingest (parse + index + log, %ld per transaction):       %8.0f docs/s "
		"(%.1f s)\n", batch, n / (t1 - t0), t1 - t0);

	/* 3. Latencies. */
	srand(12345);
	for (int k = 0; k < SAMPLES; k++) {
		long i = (long)(((double)rand() / RAND_MAX) * (double)(n - 1));
		char iin[13];
		int found = 0;
		iin_of(iin, i);
		double a = bench_now();
		if (kel_store_subject_status(s, iin, count_cb, &found) < 0)
			bench_die("status");
		lat[k] = bench_now() - a;
		if (found < 1 && i % 5 != 4)
			fprintf(stderr, "bench_store: subject %s: no consent found\n", iin);
	}
	percentiles("subject status lookup", lat, SAMPLES);
	for (int k = 0; k < SAMPLES; k++) {
		long i = (long)(((double)rand() / RAND_MAX) * (double)(n - 1));
		char id[37];
		kel_store_inclusion inc;
		id_of(id, i);
		double a = bench_now();
		if (kel_store_prove(s, id, 0, &inc) < 0)
			bench_die("prove");
		lat[k] = bench_now() - a;
		if (kel_merkle_verify_inclusion(inc.leaf_hash, inc.leaf, inc.head.size, inc.proof,
			inc.head.root) != 0)
			bench_die("the proof does not verify");
		kel_store_inclusion_dispose(&inc);
	}
	percentiles("inclusion proof (+ root)", lat, SAMPLES);

	/* 4. Size and memory. */
	{
		long long bytes = 0;
		uint64_t size;
		struct rusage ru;
		if (strncmp(argv[1], "sqlite:", 7) == 0) {
			struct stat st;
			const char *suffix[] = { "", "-wal", "-shm" };
			for (int k = 0; k < 3; k++) {
				snprintf(path, sizeof path, "%s%s", argv[1] + 7, suffix[k]);
				if (stat(path, &st) == 0)
					bytes += st.st_size;
			}
		} else {
			struct size_ctx sc = { 0 };
			if (kel__store_exec(s, "SELECT pg_database_size(current_database())", 0, NULL,
				row_size, &sc) < 0)
				bench_die("database size");
			bytes = sc.bytes;
		}
		if (kel_store_log_size(s, &size) < 0)
			bench_die("log size");
		getrusage(RUSAGE_SELF, &ru);
		printf("store size %.2f GB for %llu documents: %.0f bytes per document "
			"(document itself %zu)\n", (double)bytes / 1e9,
			(unsigned long long)(size - base), (double)bytes / (double)(size ? size : 1),
			t[0].len);
		printf("peak RSS %ld MB\n", ru.ru_maxrss / 1024);
	}
	kel_store_free(s);
	for (int i = 0; i < TEMPLATES; i++)
		free(t[i].xml);
	kel_shutdown();
	return 0;
}
