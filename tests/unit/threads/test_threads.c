/*
 * Threads sharing one document: what doc.h promises for a const kel_doc. Several threads at
 * once write it, digest its Content, verify the bytes they wrote and render it to HTML, and
 * each result is compared with the one a single thread got before; afterwards the document
 * still writes the same bytes and frees cleanly (ASan sees a tree that was re-linked).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <check.h>

#include "helpers.h"
#include "kelisim.h"

/* What one thread got, alone, before any other thread started. */
struct reference {
	const kel_doc *doc;
	kel_verify_options verify;
	kel_render_options render;
	kel_buf xml;
	unsigned char digest[KEL_QR_DIGEST_LEN];
	kel_buf report;
	kel_buf html;
};

struct worker {
	const struct reference *ref;
	pthread_barrier_t *start;
	int rounds;
	int all;              /* verify and render too, not only write and digest */
	char failure[512];    /* the first difference, or "" */
	pthread_t thread;
};

/* A signed document's report as JSON, or -1 with the library's error. */
static int verify_json(kel_buf *out, const char *xml, size_t len, const kel_verify_options *o)
{
	kel_report *report = NULL;
	int rc = kel_verify(&report, xml, len, o);

	if (rc == 0)
		rc = kel_report_to_json(report, out);
	kel_report_free(report);
	return rc;
}

static int same(const kel_buf *a, const kel_buf *b)
{
	return a->size == b->size && memcmp(a->ptr, b->ptr, a->size) == 0;
}

static void failed(struct worker *w, int round, const char *what)
{
	const kel_error *e = kel_error_last();

	if (w->failure[0] == '\0')
		snprintf(w->failure, sizeof(w->failure), "round %d: %s%s%s", round, what,
			e ? ": " : "", e ? e->message : "");
}

static void *work(void *arg)
{
	struct worker *w = arg;
	const struct reference *ref = w->ref;
	kel_buf xml = KEL_BUF_INIT, report = KEL_BUF_INIT, html = KEL_BUF_INIT;
	unsigned char digest[KEL_QR_DIGEST_LEN];

	pthread_barrier_wait(w->start);
	for (int r = 0; r < w->rounds && w->failure[0] == '\0'; r++) {
		if (kel_doc_write(&xml, ref->doc) != 0 || !same(&xml, &ref->xml))
			failed(w, r, "kel_doc_write differs");
		else if (kel_qr_content_digest(digest, ref->doc) != 0 ||
			 memcmp(digest, ref->digest, sizeof(digest)) != 0)
			failed(w, r, "Content digest differs");
		else if (!w->all)
			continue;
		else if (verify_json(&report, xml.ptr, xml.size, &ref->verify) != 0 ||
			 !same(&report, &ref->report))
			failed(w, r, "kel_verify report differs");
		else if (kel_render_html(&html, ref->doc, &ref->render) != 0 ||
			 !same(&html, &ref->html))
			failed(w, r, "HTML rendering differs");
	}
	kel_buf_dispose(&xml);
	kel_buf_dispose(&report);
	kel_buf_dispose(&html);
	return NULL;
}

/*
 * The consent with its QR code, signed by the operator (ECDSA) and the clerk (RSA), read
 * back from its bytes as a verifier would; and the single-threaded results.
 */
static kel_doc *make_reference(struct reference *ref, const char *root)
{
	kel_doc_new_options opts = KEL_DOC_NEW_OPTIONS_INIT;
	kel_key *op = th_operator_key(), *clerk = NULL;
	kel_doc *doc = NULL, *shared = NULL;
	kel_buf signed_xml = KEL_BUF_INIT;
	size_t len;
	char *json = th_read_file(th_source("schemas/examples/consent.json"), &len);

	opts.issued_at = time(NULL);
	ck_assert_msg(kel_doc_new(&doc, json, len, &opts) == 0, "%s", th_error_message());
	ck_assert_int_eq(kel_key_load_pem(&clerk, th_pki("clerk.key"), th_pki("clerk.crt"),
		th_pki("chain.pem"), NULL, 0), 0);
	ck_assert_msg(kel_qr_doc_fill(doc, op, NULL, NULL) == 0, "%s", th_error_message());
	ck_assert_msg(kel_xades_sign(doc, op, NULL) == 0, "%s", th_error_message());
	ck_assert_msg(kel_xades_sign(doc, clerk, NULL) == 0, "%s", th_error_message());
	ck_assert_int_eq(kel_doc_write(&signed_xml, doc), 0);
	ck_assert_int_eq(kel_doc_parse(&shared, signed_xml.ptr, signed_xml.size), 0);

	memset(ref, 0, sizeof(*ref));
	ref->doc = shared;
	ref->verify = (kel_verify_options)KEL_VERIFY_OPTIONS_INIT;
	ref->verify.trust_file = root;
	/* A fixed moment, so that every report and rendering states the same. */
	ref->verify.validation_time = time(NULL) + 60;
	ref->render = (kel_render_options)KEL_RENDER_OPTIONS_INIT;
	ref->render.verify = &ref->verify;
	ck_assert_int_eq(kel_doc_write(&ref->xml, shared), 0);
	ck_assert_uint_eq(ref->xml.size, signed_xml.size);
	ck_assert_int_eq(kel_qr_content_digest(ref->digest, shared), 0);
	ck_assert_int_eq(verify_json(&ref->report, ref->xml.ptr, ref->xml.size, &ref->verify), 0);
	ck_assert_ptr_nonnull(strstr(ref->report.ptr, "TOTAL-PASSED"));
	ck_assert_int_eq(kel_render_html(&ref->html, shared, &ref->render), 0);

	kel_buf_dispose(&signed_xml);
	kel_doc_free(doc);
	kel_key_free(clerk);
	kel_key_free(op);
	free(json);
	return shared;
}

static void run_workers(int nthreads, int rounds, int all)
{
	char *root = strdup(th_pki("root.crt"));   /* th_pki's buffers are not the threads' */
	struct reference ref;
	kel_doc *shared = make_reference(&ref, root);
	struct worker *w = calloc((size_t)nthreads, sizeof(*w));
	pthread_barrier_t start;
	kel_buf after = KEL_BUF_INIT;

	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(pthread_barrier_init(&start, NULL, (unsigned)nthreads), 0);
	for (int i = 0; i < nthreads; i++) {
		w[i] = (struct worker){ &ref, &start, rounds, all, "", 0 };
		ck_assert_int_eq(pthread_create(&w[i].thread, NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < nthreads; i++)
		ck_assert_int_eq(pthread_join(w[i].thread, NULL), 0);
	for (int i = 0; i < nthreads; i++)
		ck_assert_msg(w[i].failure[0] == '\0', "thread %d: %s", i, w[i].failure);

	/* The shared document is as it was. */
	ck_assert_int_eq(kel_doc_write(&after, shared), 0);
	ck_assert(same(&after, &ref.xml));

	pthread_barrier_destroy(&start);
	kel_buf_dispose(&after);
	kel_buf_dispose(&ref.xml);
	kel_buf_dispose(&ref.report);
	kel_buf_dispose(&ref.html);
	kel_doc_free(shared);
	free(w);
	free(root);
}

/* The two calls that used to write to the tree for a moment, as often as can be at once. */
START_TEST(test_threads__write_and_digest_at_once)
{
	run_workers(8, 200, 0);
}
END_TEST

/* Everything a verifier or renderer sharing one parsed document does. */
START_TEST(test_threads__write_digest_verify_render_at_once)
{
	run_workers(6, 3, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("threads");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_threads__write_and_digest_at_once);
	tcase_add_test(tc, test_threads__write_digest_verify_render_at_once);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
