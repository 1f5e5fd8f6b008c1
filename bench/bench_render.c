/*
 * bench_render: PDF pages and HTML pages rendered per second, and QR codes (payload sealed
 * with ECDSA P-256, then drawn as PNG) made per second, in one thread — run it under
 * `taskset -c 0` for one core. Results go into bench/RESULTS.md.
 *
 * usage: bench_render PKI_DIR SOURCE_DIR [SECONDS [pdf|html|qr]]   (the last: only that part)
 *
 * The documents are the example consent (kk + ru side by side) and a long one (40 long
 * purposes, 80 data entries), each QR-sealed and signed by the operator's EC key. Each
 * rendering includes what kel_render() always does: reading the document into the model,
 * verifying its signature against the test root (the signature block), laying out and
 * writing the PDF or HTML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kelisim.h"
#include "bench_util.h"

/* The example request with its purposes and data made long. */
static char *long_request(const char *example)
{
	const char *p = strstr(example, "\"purposes\""), *a = strstr(example, "\"actions\"");
	size_t cap = strlen(example) + 64 * 1024, n;
	char *out = malloc(cap);

	if (p == NULL || a == NULL || out == NULL)
		exit(1);
	n = (size_t)(p - example);
	memcpy(out, example, n);
	n += (size_t)snprintf(out + n, cap - n, "\"purposes\": [");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s\"мақсат %d: клиенттің тапсырысын орындау, "
			"жеткізуді ұйымдастыру, төлемді қабылдау, кепілдік бойынша қызмет көрсету "
			"және сапаны бақылау үшін байланыс жүргізу\"", i ? ", " : "", i + 1);
	n += (size_t)snprintf(out + n, cap - n, "],\n  \"data\": [");
	for (int i = 0; i < 80; i++)
		n += (size_t)snprintf(out + n, cap - n, "%s\"деректер санаты %d: тегі, аты, әкесінің "
			"аты, туған күні, тіркелген мекенжайы\"", i ? ", " : "", i + 1);
	snprintf(out + n, cap - n, "],\n  %s", a);
	return out;
}

static kel_doc *sealed_doc(const char *json, const kel_key *key)
{
	kel_doc *doc = NULL;

	bench_check(kel_doc_new(&doc, json, strlen(json), NULL), "new");
	bench_check(kel_qr_doc_fill(doc, key, NULL, NULL), "qr fill");
	bench_check(kel_xades_sign(doc, key, NULL), "sign");
	return doc;
}

static int count_pages(const kel_buf *pdf)
{
	int n = 0;
	for (size_t i = 0; i + 13 <= pdf->size; i++)
		if (memcmp(pdf->ptr + i, "/Type /Page %", 13) == 0)
			n++;
	return n;
}

static const char *only;   /* NULL: every part */

#define VARIANTS 64
static kel_qr_payload variants[VARIANTS];

static void bench_doc(const char *name, const kel_doc *doc, const kel_render_options *o,
	double seconds)
{
	kel_buf out = KEL_BUF_INIT;
	double t0, t;
	int n = 0, pages = 0, html = 0;
	size_t pdf_size, html_size;

	bench_check(kel_render_pdf(&out, doc, o), "render pdf");   /* warm the font caches */
	pages = count_pages(&out);
	pdf_size = out.size;
	t0 = bench_now();
	do {
		if (only && strcmp(only, "pdf") != 0)
			break;
		bench_check(kel_render_pdf(&out, doc, o), "render pdf");
		n++;
	} while ((t = bench_now() - t0) < seconds);
	if (n > 0)
		printf("%-8s PDF : %2d pages, %6zu bytes: %7.1f renders/s, %7.1f pages/s (%.2f ms/page)\n",
		name, pages, pdf_size, n / t, n * pages / t, 1000 * t / (n * pages));
	t0 = bench_now();
	do {
		if (only && strcmp(only, "html") != 0)
			break;
		bench_check(kel_render_html(&out, doc, o), "render html");
		html++;
	} while ((t = bench_now() - t0) < seconds);
	html_size = out.size;
	if (html > 0)
		printf("%-8s HTML: %6zu bytes: %7.1f renders/s (%.2f ms each)\n", name, html_size,
		html / t, 1000 * t / html);
	kel_buf_dispose(&out);
}

int main(int argc, char **argv)
{
	char path[4096], *example, *longreq;
	const char *pki, *src;
	double seconds, t0, t;
	kel_verify_options v = KEL_VERIFY_OPTIONS_INIT;
	kel_render_options o = KEL_RENDER_OPTIONS_INIT;
	kel_qr_payload p;
	kel_buf png = KEL_BUF_INIT;
	kel_key *key = NULL;
	kel_doc *doc, *longdoc;
	size_t len;
	int n;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_render PKI_DIR SOURCE_DIR [SECONDS]\n");
		return 64;
	}
	pki = argv[1];
	src = argv[2];
	seconds = argc > 3 ? atof(argv[3]) : 3.0;
	only = argc > 4 ? argv[4] : NULL;
	bench_check(kel_init(), "init");
	snprintf(path, sizeof(path), "%s/schemas/examples/consent.json", src);
	example = bench_read_file(path, &len);
	longreq = long_request(example);
	{
		char k[4096], c[4096], ch[4096];
		snprintf(k, sizeof(k), "%s/operator.key", pki);
		snprintf(c, sizeof(c), "%s/operator.crt", pki);
		snprintf(ch, sizeof(ch), "%s/chain.pem", pki);
		bench_check(kel_key_load_pem(&key, k, c, ch, NULL, 0), "key");
	}
	snprintf(path, sizeof(path), "%s/root.crt", pki);
	v.trust_file = path;
	o.verify = &v;
	doc = sealed_doc(example, key);
	longdoc = sealed_doc(longreq, key);

	bench_doc("consent", doc, &o, seconds);
	bench_doc("long", longdoc, &o, seconds);

	if (only && strcmp(only, "qr") != 0)
		goto done;
	/* QR: the payload of a document sealed with the operator's P-256 key, then its PNG. */
	n = 0;
	t0 = bench_now();
	do {
		bench_check(kel_qr_payload_from_doc(&p, doc, NULL), "payload");
		bench_check(kel_qr_payload_sign(&p, key), "seal");
		bench_check(kel_qr_png(&png, p.text, p.text_len, 4), "png");
		n++;
	} while ((t = bench_now() - t0) < seconds);
	printf("QR payload (digest + seal) + PNG: %8.0f /s (%.3f ms each; %zu-byte PNG, %zu-char "
		"payload)\n", n / t, 1000 * t / n, png.size, p.text_len);
	/*
	 * The halves alone, over 64 different sealed payloads in turn: with one text again and
	 * again, the branch predictor learns the whole symbol and the figures come out twice
	 * too good.
	 */
	for (int i = 0; i < VARIANTS; i++) {
		bench_check(kel_qr_payload_from_doc(&variants[i], doc, NULL), "payload");
		bench_check(kel_qr_payload_sign(&variants[i], key), "seal");
	}
	n = 0;
	t0 = bench_now();
	do {
		const kel_qr_payload *pv = &variants[n % VARIANTS];
		bench_check(kel_qr_png(&png, pv->text, pv->text_len, 4), "png");
		n++;
	} while ((t = bench_now() - t0) < seconds);
	printf("QR PNG only:                      %8.0f /s\n", n / t);
	n = 0;
	t0 = bench_now();
	do {
		const kel_qr_payload *pv = &variants[n % VARIANTS];
		int version;
		bench_check(kel_qr_symbol_version(&version, pv->text, pv->text_len), "encode");
		n++;
	} while ((t = bench_now() - t0) < seconds);
	printf("QR encode only (libqrencode):     %8.0f /s\n", n / t);
	n = 0;
	t0 = bench_now();
	do {
		bench_check(kel_qr_payload_from_doc(&p, doc, NULL), "payload");
		bench_check(kel_qr_payload_sign(&p, key), "seal");
		n++;
	} while ((t = bench_now() - t0) < seconds);
	printf("QR payload only (digest + seal):  %8.0f /s\n", n / t);

done:
	kel_buf_dispose(&png);
	kel_doc_free(doc);
	kel_doc_free(longdoc);
	kel_key_free(key);
	free(example);
	free(longreq);
	kel_shutdown();
	return 0;
}
