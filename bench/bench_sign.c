/*
 * bench_sign: sign and verify N real bilingual consent documents in one process, and put the
 * rates next to OpenSSL's raw sign/verify rates measured in the same run.
 *
 * usage: bench_sign PKI_DIR SOURCE_DIR [N] [--no-process]
 *
 * For each of ECDSA P-256 (operator) and RSA-3072 (clerk):
 *   sign:    kel_xades_sign on N documents already parsed (the library's signing cost)
 *   sign+io: kel_doc_parse + kel_xades_sign + kel_doc_write per document
 *   verify:  kel_verify of the signed bytes (parse, schema, rules, structure, chain, crypto)
 * then `openssl speed -seconds 3 ecdsap256 rsa3072`, and the ratios. Unless --no-process,
 * also the wall time of one `kelisim sign` process next to one `xmlsec1 --sign` of the same
 * document (the XML-DSig part only: xmlsec1 has no XAdES).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kelisim.h"
#include "bench_util.h"

struct rates { double sign, sign_io, verify; };

static struct rates run(const char *pki, const char *name, const char *xml, size_t len, int n)
{
	char k[512], c[512], ch[512], root[512];
	kel_verify_options vo = KEL_VERIFY_OPTIONS_INIT;
	kel_doc **docs = calloc((size_t)n, sizeof(*docs));
	kel_buf out = KEL_BUF_INIT;
	kel_key *key;
	struct rates r;
	double t;

	snprintf(k, sizeof(k), "%s/%s.key", pki, name);
	snprintf(c, sizeof(c), "%s/%s.crt", pki, name);
	snprintf(ch, sizeof(ch), "%s/chain.pem", pki);
	snprintf(root, sizeof(root), "%s/root.crt", pki);
	bench_check(kel_key_load_pem(&key, k, c, ch, NULL, 0), "key");

	for (int i = 0; i < n; i++)
		bench_check(kel_doc_parse(&docs[i], xml, len), "parse");
	t = bench_now();
	for (int i = 0; i < n; i++)
		bench_check(kel_xades_sign(docs[i], key, NULL), "sign");
	r.sign = n / (bench_now() - t);
	for (int i = 0; i < n; i++)
		kel_doc_free(docs[i]);

	t = bench_now();
	for (int i = 0; i < n; i++) {
		kel_doc *d;
		bench_check(kel_doc_parse(&d, xml, len), "parse");
		bench_check(kel_xades_sign(d, key, NULL), "sign");
		bench_check(kel_doc_write(&out, d), "write");
		kel_doc_free(d);
	}
	r.sign_io = n / (bench_now() - t);

	vo.trust_file = root;
	t = bench_now();
	for (int i = 0; i < n; i++) {
		kel_report *rep;
		bench_check(kel_verify(&rep, out.ptr, out.size, &vo), "verify");
		if (kel_report_indication(rep) != KEL_INDICATION_PASSED) {
			fprintf(stderr, "bench_sign: a signature did not verify\n");
			exit(1);
		}
		kel_report_free(rep);
	}
	r.verify = n / (bench_now() - t);
	kel_buf_dispose(&out);
	kel_key_free(key);
	free(docs);
	return r;
}

/* The sign/s and verify/s columns of `openssl speed` for the line starting with prefix. */
static void openssl_speed(double *ec_sign, double *ec_verify, double *rsa_sign,
	double *rsa_verify)
{
	FILE *p = popen("openssl speed -seconds 3 ecdsap256 rsa3072 2>/dev/null", "r");
	char line[512];

	*ec_sign = *ec_verify = *rsa_sign = *rsa_verify = 0;
	while (p && fgets(line, sizeof(line), p)) {
		double a, b, s, v;
		if (sscanf(line, " 256 bits ecdsa (nistp256) %lfs %lfs %lf %lf", &a, &b, &s, &v) == 4) {
			*ec_sign = s;
			*ec_verify = v;
		} else if (sscanf(line, "rsa 3072 bits %lfs %lfs %lf %lf", &a, &b, &s, &v) == 4) {
			*rsa_sign = s;
			*rsa_verify = v;
		}
	}
	if (p)
		pclose(p);
}

/* Mean wall time of a shell command over runs. */
static double wall(const char *cmd, int runs)
{
	double t = bench_now();
	for (int i = 0; i < runs; i++)
		if (system(cmd) != 0) {
			fprintf(stderr, "bench_sign: failed: %s\n", cmd);
			return -1;
		}
	return (bench_now() - t) / runs;
}

static void process_times(const char *pki, const char *kelisim)
{
	char cmd[2048];
	double k, x;

	/* The template for xmlsec1: kelisim's own signature with its values emptied. */
	snprintf(cmd, sizeof(cmd), "%s sign /tmp/bench-doc.xml --key %s/operator.key "
		"--cert %s/operator.crt -o /tmp/bench-signed.xml && sed -e "
		"'s|<ds:DigestValue>[^<]*</ds:DigestValue>|<ds:DigestValue></ds:DigestValue>|g' -e "
		"'s|<ds:SignatureValue\\([^>]*\\)>[^<]*</ds:SignatureValue>|<ds:SignatureValue\\1/>|' "
		"/tmp/bench-signed.xml > /tmp/bench-template.xml", kelisim, pki, pki);
	if (system(cmd) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "%s sign /tmp/bench-doc.xml --key %s/operator.key "
		"--cert %s/operator.crt -o /tmp/bench-out.xml", kelisim, pki, pki);
	k = wall(cmd, 20);
	snprintf(cmd, sizeof(cmd), "xmlsec1 --sign --privkey-pem %s/operator.key,%s/operator.crt "
		"--id-attr:Id urn:kelisim:consent:1:Content --id-attr:Id "
		"urn:kelisim:consent:1:Verification --id-attr:Id "
		"'http://uri.etsi.org/01903/v1.3.2#:SignedProperties' --output /tmp/bench-xmlsec.xml "
		"/tmp/bench-template.xml 2>/dev/null", pki, pki);
	x = wall(cmd, 20);
	if (k > 0 && x > 0)
		printf("process: kelisim sign %.1f ms, xmlsec1 --sign %.1f ms, ratio %.2f "
			"(target <= 0.5)\n", k * 1e3, x * 1e3, k / x);
}

int main(int argc, char **argv)
{
	const char *pki, *src;
	char path[1024];
	kel_doc *doc;
	kel_buf xml = KEL_BUF_INIT;
	int n = argc > 3 ? atoi(argv[3]) : 500;
	double es, ev, rs, rv;
	struct rates ec, rsa;
	size_t jlen;
	char *json;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_sign PKI_DIR SOURCE_DIR [N] [--no-process]\n");
		return 64;
	}
	pki = argv[1];
	src = argv[2];
	bench_check(kel_init(), "init");
	snprintf(path, sizeof(path), "%s/schemas/examples/consent.json", src);
	json = bench_read_file(path, &jlen);
	bench_check(kel_doc_new(&doc, json, jlen, NULL), "new");
	bench_check(kel_doc_write(&xml, doc), "write");
	kel_doc_free(doc);
	printf("document: %s, %zu bytes (kk + ru), N = %d\n", path, xml.size, n);

	ec = run(pki, "operator", xml.ptr, xml.size, n);
	rsa = run(pki, "clerk", xml.ptr, xml.size, n < 100 ? n : 100);
	openssl_speed(&es, &ev, &rs, &rv);
	printf("\n%-22s %10s %10s %10s\n", "", "ECDSA P-256", "RSA-3072", "");
	printf("%-22s %10.0f %10.0f   docs/s\n", "kel_xades_sign", ec.sign, rsa.sign);
	printf("%-22s %10.0f %10.0f   docs/s\n", "parse+sign+write", ec.sign_io, rsa.sign_io);
	printf("%-22s %10.0f %10.0f   docs/s\n", "kel_verify", ec.verify, rsa.verify);
	printf("%-22s %10.0f %10.0f   /s\n", "openssl speed sign", es, rs);
	printf("%-22s %10.0f %10.0f   /s\n", "openssl speed verify", ev, rv);
	if (es > 0 && rs > 0)
		printf("%-22s %10.2f %10.2f   (targets 0.5 / 0.9)\n", "ratio sign", ec.sign / es,
			rsa.sign / rs);
	if (ev > 0 && rv > 0)
		printf("%-22s %10.2f %10.2f   (target 0.5 for ECDSA)\n", "ratio verify",
			ec.verify / ev, rsa.verify / rv);
	if (!(argc > 4 && strcmp(argv[4], "--no-process") == 0)) {
		FILE *f = fopen("/tmp/bench-doc.xml", "wb");
		if (f) {
			fwrite(xml.ptr, 1, xml.size, f);
			fclose(f);
			snprintf(path, sizeof(path), "%s", argv[0]);
			/* The kelisim binary sits at ../sign/kelisim from bench/ in the build tree. */
			strcpy(strrchr(path, '/') ? strrchr(path, '/') + 1 : path, "../sign/kelisim");
			process_times(pki, path);
		}
	}
	kel_buf_dispose(&xml);
	free(json);
	kel_shutdown();
	return 0;
}
