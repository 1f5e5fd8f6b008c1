/*
 * Rendering: the PDF is a PDF of as many pages as the text needs, the same bytes each time,
 * dated by the document; the HTML is well-formed, self-contained and escapes what it shows;
 * the signature block tells what verification found; every language renders alone.
 * (tests/render/check-render.sh reads the PDF back as a verifier would: pdftoppm, zbarimg,
 * pdftotext, pdffonts.)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>

#include "helpers.h"
#include "kelisim.h"
#include "render_internal.h"
#include "buf_internal.h"

/* The example request with one string replaced (old must occur). */
static char *example_with(const char *old, const char *new)
{
	size_t len;
	char *json = th_read_file(th_source("schemas/examples/consent.json"), &len), *at, *out;

	if (old == NULL)
		return json;
	at = strstr(json, old);
	ck_assert_msg(at != NULL, "'%s' not in the example", old);
	out = malloc(len - strlen(old) + strlen(new) + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, json, (size_t)(at - json));
	strcpy(out + (at - json), new);
	strcat(out, at + strlen(old));
	free(json);
	return out;
}

static kel_doc *make_doc(const char *json)
{
	kel_doc_new_options opts = KEL_DOC_NEW_OPTIONS_INIT;
	kel_doc *doc = NULL;
	int rc;

	opts.issued_at = 1795000000;   /* 2026-11-18T11:06:40Z */
	rc = kel_doc_new(&doc, json, strlen(json), &opts);
	ck_assert_msg(rc == 0, "kel_doc_new: %s", th_error_message());
	return doc;
}

/* A document with its QR code filled and signed by the operator. */
static kel_doc *sealed_signed_doc(void)
{
	char *json = example_with(NULL, NULL);
	kel_doc *doc = make_doc(json);
	kel_key *key = NULL;

	ck_assert_int_eq(kel_key_load_pem(&key, th_pki("operator.key"), th_pki("operator.crt"),
		th_pki("chain.pem"), NULL, 0), 0);
	ck_assert_msg(kel_qr_doc_fill(doc, key, NULL, NULL) == 0, "%s", th_error_message());
	ck_assert_msg(kel_xades_sign(doc, key, NULL) == 0, "%s", th_error_message());
	kel_key_free(key);
	free(json);
	return doc;
}

static int count(const char *hay, size_t len, const char *needle)
{
	int n = 0;
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= len; i++)
		if (memcmp(hay + i, needle, k) == 0)
			n++;
	return n;
}

/* Pages of a cairo PDF: each page object is "<< /Type /Page % N". */
static int pdf_pages(const kel_buf *pdf)
{
	return count(pdf->ptr, pdf->size, "/Type /Page %");
}

static void render_ok(kel_buf *out, const kel_doc *doc, kel_render_format f,
	const kel_render_options *opts)
{
	int rc = kel_render(out, doc, f, opts);
	ck_assert_msg(rc == 0, "kel_render: %s", th_error_message());
	ck_assert_uint_gt(out->size, 100);
}

START_TEST(test_render__pdf_is_a_pdf_dated_by_the_document)
{
	char *json = example_with(NULL, NULL);
	kel_doc *doc = make_doc(json);
	kel_buf pdf = KEL_BUF_INIT;

	render_ok(&pdf, doc, KEL_RENDER_PDF, NULL);
	ck_assert_int_eq(memcmp(pdf.ptr, "%PDF-", 5), 0);
	ck_assert_ptr_nonnull(strstr(pdf.ptr + pdf.size - 8, "%%EOF"));
	ck_assert_int_ge(pdf_pages(&pdf), 1);
	/* The creation date is IssuedAt, 2026-11-18T11:06:40Z, not the time of rendering. */
	ck_assert_int_eq(count(pdf.ptr, pdf.size, "/CreationDate (20261118110640Z)"), 1);
	kel_buf_dispose(&pdf);
	kel_doc_free(doc);
	free(json);
}
END_TEST

START_TEST(test_render__pdf_is_the_same_bytes_each_time)
{
	kel_doc *doc = sealed_signed_doc();
	kel_verify_options v = KEL_VERIFY_OPTIONS_INIT;
	kel_render_options o = KEL_RENDER_OPTIONS_INIT;
	kel_buf a = KEL_BUF_INIT, b = KEL_BUF_INIT;

	v.trust_file = th_pki("root.crt");
	o.verify = &v;
	render_ok(&a, doc, KEL_RENDER_PDF, &o);
	render_ok(&b, doc, KEL_RENDER_PDF, &o);
	ck_assert_uint_eq(a.size, b.size);
	ck_assert_int_eq(memcmp(a.ptr, b.ptr, a.size), 0);
	kel_buf_dispose(&a);
	kel_buf_dispose(&b);
	kel_doc_free(doc);
}
END_TEST

/* Many long purposes and data entries: the text flows over three pages or more. */
START_TEST(test_render__long_document_flows_over_pages)
{
	kel_buf req = KEL_BUF_INIT, pdf = KEL_BUF_INIT, html = KEL_BUF_INIT;
	char *json;
	kel_doc *doc;

	ck_assert_int_eq(kel_buf_puts(&req, "\"purposes\": ["), 0);
	for (int i = 0; i < 40; i++)
		ck_assert_int_eq(kel_buf_printf(&req, "%s\"мақсат %d: клиенттің тапсырысын "
			"орындау, жеткізуді ұйымдастыру, төлемді қабылдау, кепілдік бойынша "
			"қызмет көрсету және сапаны бақылау үшін байланыс жүргізу\"",
			i ? ", " : "", i + 1), 0);
	ck_assert_int_eq(kel_buf_puts(&req, "],\n  \"data\": ["), 0);
	for (int i = 0; i < 60; i++)
		ck_assert_int_eq(kel_buf_printf(&req, "%s\"деректер санаты %d: тегі, аты, "
			"әкесінің аты, туған күні, мекенжайы\"", i ? ", " : "", i + 1), 0);
	ck_assert_int_eq(kel_buf_puts(&req, "],\n  \"actions\""), 0);
	json = example_with("\"purposes\": [\n    \"тауарларды жеткізу шартын орындау\",\n"
		"    \"клиентпен CRM жүйесінде байланыс жүргізу\"\n  ],\n  \"data\": [\"тегі, аты, "
		"әкесінің аты\", \"ЖСН\", \"телефон нөмірі\", \"электрондық пошта мекенжайы\", "
		"\"жеткізу мекенжайы\"],\n  \"actions\"", req.ptr);
	doc = make_doc(json);
	render_ok(&pdf, doc, KEL_RENDER_PDF, NULL);
	ck_assert_int_ge(pdf_pages(&pdf), 3);
	render_ok(&html, doc, KEL_RENDER_HTML, NULL);
	ck_assert_ptr_nonnull(strstr(html.ptr, "мақсат 40: "));
	ck_assert_ptr_nonnull(strstr(html.ptr, "деректер санаты 60: "));
	kel_buf_dispose(&req);
	kel_buf_dispose(&pdf);
	kel_buf_dispose(&html);
	kel_doc_free(doc);
	free(json);
}
END_TEST

START_TEST(test_render__each_language_alone)
{
	static const char *const langs[] = { "\"kk\"", "\"ru\"", "\"en\"" };
	static const char *const titles[] = { "Дербес деректерді", "Согласие на", "Consent" };

	for (int i = 0; i < 3; i++) {
		char *json = example_with("\"kk\", \"ru\"", langs[i]), lang[32];
		kel_doc *doc = make_doc(json);
		kel_buf pdf = KEL_BUF_INIT, html = KEL_BUF_INIT;

		render_ok(&pdf, doc, KEL_RENDER_PDF, NULL);
		ck_assert_int_ge(pdf_pages(&pdf), 1);
		render_ok(&html, doc, KEL_RENDER_HTML, NULL);
		snprintf(lang, sizeof(lang), "<article lang=%s>", langs[i]);
		ck_assert_msg(strstr(html.ptr, lang) != NULL, "no %s", lang);
		ck_assert_int_eq(count(html.ptr, html.size, "<article "), 1);
		ck_assert_ptr_nonnull(strstr(html.ptr, titles[i]));
		kel_buf_dispose(&pdf);
		kel_buf_dispose(&html);
		kel_doc_free(doc);
		free(json);
	}
}
END_TEST

START_TEST(test_render__kk_and_ru_side_by_side_unless_sequential)
{
	char *json = example_with(NULL, NULL);
	kel_doc *doc = make_doc(json);
	kel_render_options o = KEL_RENDER_OPTIONS_INIT;
	kel_buf a = KEL_BUF_INIT, b = KEL_BUF_INIT;

	render_ok(&a, doc, KEL_RENDER_HTML, NULL);
	ck_assert_ptr_nonnull(strstr(a.ptr, "<div class=\"cols\"><article lang=\"kk\">"));
	ck_assert_ptr_nonnull(strstr(a.ptr, "</article><article lang=\"ru\">"));
	o.sequential = 1;
	render_ok(&b, doc, KEL_RENDER_HTML, &o);
	ck_assert_ptr_null(strstr(b.ptr, "class=\"cols\""));
	ck_assert_int_eq(count(b.ptr, b.size, "<article "), 2);
	kel_buf_dispose(&a);
	kel_buf_dispose(&b);
	render_ok(&a, doc, KEL_RENDER_PDF, &o);
	render_ok(&b, doc, KEL_RENDER_PDF, NULL);
	ck_assert(a.size != b.size || memcmp(a.ptr, b.ptr, a.size) != 0);
	kel_buf_dispose(&a);
	kel_buf_dispose(&b);
	kel_doc_free(doc);
	free(json);
}
END_TEST

START_TEST(test_render__html_is_well_formed_and_self_contained)
{
	kel_doc *doc = sealed_signed_doc();
	kel_buf html = KEL_BUF_INIT;
	xmlDocPtr x;
	htmlDocPtr h;

	render_ok(&html, doc, KEL_RENDER_HTML, NULL);
	ck_assert_int_eq(memcmp(html.ptr, "<!DOCTYPE html>\n<html lang=\"kk\">", 32), 0);
	/* Written so that even an XML parser reads it: every element closed. */
	x = xmlReadMemory(html.ptr, (int)html.size, "render.html", "UTF-8",
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	ck_assert_msg(x != NULL, "the HTML is not well-formed");
	xmlFreeDoc(x);
	h = htmlReadMemory(html.ptr, (int)html.size, "render.html", "UTF-8",
		HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	ck_assert_ptr_nonnull(h);
	xmlFreeDoc(h);
	ck_assert_ptr_nonnull(strstr(html.ptr, "<meta name=\"viewport\""));
	ck_assert_ptr_nonnull(strstr(html.ptr, "@media (max-width:700px)"));
	ck_assert_ptr_nonnull(strstr(html.ptr, "Content-Security-Policy\" content=\"default-src "
		"'none'"));
	/* Nothing to load: no src, no href, no url(), no script, no import. */
	ck_assert_ptr_null(strstr(html.ptr, "src="));
	ck_assert_ptr_null(strstr(html.ptr, "href="));
	ck_assert_ptr_null(strstr(html.ptr, "url("));
	ck_assert_ptr_null(strstr(html.ptr, "<script"));
	ck_assert_ptr_null(strstr(html.ptr, "@import"));
	/* The QR code inline, with the payload under it. */
	ck_assert_ptr_nonnull(strstr(html.ptr, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	ck_assert_ptr_nonnull(strstr(html.ptr, "<p class=\"payload mono\">K1."));
	kel_buf_dispose(&html);
	kel_doc_free(doc);
}
END_TEST

START_TEST(test_render__html_escapes_a_hostile_name)
{
	char *json = example_with("\"name\": \"Серікбаев Арман Қайратұлы\"",
		"\"name\": \"Ann <script>alert(1)</script> \\\"O'Hara\\\" & <b>Co</b>\"");
	kel_doc *doc = make_doc(json);
	kel_buf html = KEL_BUF_INIT;
	xmlDocPtr x;

	render_ok(&html, doc, KEL_RENDER_HTML, NULL);
	ck_assert_ptr_null(strstr(html.ptr, "<script"));
	ck_assert_ptr_null(strstr(html.ptr, "<b>"));
	ck_assert_ptr_null(strstr(html.ptr, "O'Hara"));
	ck_assert_ptr_nonnull(strstr(html.ptr, "Ann &lt;script&gt;alert(1)&lt;/script&gt; "
		"&quot;O&#39;Hara&quot; &amp; &lt;b&gt;Co&lt;/b&gt;"));
	x = xmlReadMemory(html.ptr, (int)html.size, "render.html", "UTF-8",
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	ck_assert_ptr_nonnull(x);
	xmlFreeDoc(x);
	kel_buf_dispose(&html);
	kel_doc_free(doc);
	free(json);
}
END_TEST

START_TEST(test_render__signature_block_shows_the_verdict)
{
	kel_doc *doc = sealed_signed_doc();
	kel_verify_options v = KEL_VERIFY_OPTIONS_INIT;
	kel_render_options o = KEL_RENDER_OPTIONS_INIT;
	kel_buf html = KEL_BUF_INIT;

	/* Without a trust anchor: indeterminate, and the page says why. */
	render_ok(&html, doc, KEL_RENDER_HTML, NULL);
	ck_assert_ptr_nonnull(strstr(html.ptr, "INDETERMINATE — анықталмады / не определено "
		"(NO_CERTIFICATE_CHAIN_FOUND)"));
	ck_assert_ptr_nonnull(strstr(html.ptr, "сенім білдірілген тамыр сертификаты берілмеді"));
	kel_buf_dispose(&html);
	v.trust_file = th_pki("root.crt");
	o.verify = &v;
	render_ok(&html, doc, KEL_RENDER_HTML, &o);
	ck_assert_ptr_nonnull(strstr(html.ptr, "<span class=\"passed\">TOTAL-PASSED — жарамды / "
		"действительна</span>"));
	ck_assert_ptr_nonnull(strstr(html.ptr, "CN=Test Operator"));
	ck_assert_ptr_null(strstr(html.ptr, "берілмеді"));
	/* The QR code checked against this document and sealed by the operator's key. */
	ck_assert_ptr_nonnull(strstr(html.ptr, "<span class=\"passed\">TOTAL-PASSED — осы құжатқа "
		"сәйкес, мөрі расталды / соответствует документу, печать подтверждена</span>"));
	kel_buf_dispose(&html);
	kel_doc_free(doc);
}
END_TEST

START_TEST(test_render__unsigned_document_says_so)
{
	char *json = example_with(NULL, NULL);
	kel_doc *doc = make_doc(json);
	kel_buf html = KEL_BUF_INIT;

	render_ok(&html, doc, KEL_RENDER_HTML, NULL);
	ck_assert_ptr_nonnull(strstr(html.ptr, "Құжатқа қол қойылмаған / Документ не подписан"));
	ck_assert_ptr_nonnull(strstr(html.ptr, "QR-код жоқ / QR-код отсутствует"));
	ck_assert_ptr_null(strstr(html.ptr, "<svg"));
	ck_assert_ptr_null(strstr(html.ptr, "<h3>QR-код</h3>"));
	kel_buf_dispose(&html);
	kel_doc_free(doc);
	free(json);
}
END_TEST

/* The model draws the very code of the payload the document holds. */
START_TEST(test_render__qr_modules_are_those_of_the_payload)
{
	kel_doc *doc = sealed_signed_doc();
	struct kel_rmodel m;
	struct kel_qr_matrix q;
	kel_qr_payload p;

	ck_assert_int_eq(kel__rmodel_build(&m, doc, NULL), 0);
	ck_assert_int_eq(kel_qr_doc_payload(&p, doc), 0);
	ck_assert_str_eq(m.payload, p.text);
	ck_assert_int_eq(kel__qr_encode(&q, p.text, p.text_len), 0);
	ck_assert_ptr_nonnull(m.qr.dark);
	ck_assert_int_eq(m.qr.width, q.width);
	ck_assert_int_eq(memcmp(m.qr.dark, q.dark, (size_t)q.width * (size_t)q.width), 0);
	kel__qr_matrix_free(&q);
	kel__rmodel_free(&m);
	kel_doc_free(doc);
}
END_TEST

struct job {
	const kel_doc *doc;
	kel_buf out;
	int rc;
};

static void *render_job(void *arg)
{
	struct job *j = arg;
	for (int i = 0; i < 3 && j->rc == 0; i++)
		j->rc = kel_render_pdf(&j->out, j->doc, NULL);
	return NULL;
}

/* Threads render one signed, QR-coded document at once, each with its own fonts, and get
 * the same bytes; the document they share is left as it was (xmlFreeDoc would see it). */
START_TEST(test_render__threads_render_the_same_bytes)
{
	kel_doc *doc = sealed_signed_doc();
	struct job jobs[3];
	pthread_t t[3];
	kel_buf one = KEL_BUF_INIT;

	render_ok(&one, doc, KEL_RENDER_PDF, NULL);
	for (int i = 0; i < 3; i++) {
		jobs[i] = (struct job){ doc, KEL_BUF_INIT, 0 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, render_job, &jobs[i]), 0);
	}
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
		ck_assert_int_eq(jobs[i].rc, 0);
		ck_assert_uint_eq(jobs[i].out.size, one.size);
		ck_assert_int_eq(memcmp(jobs[i].out.ptr, one.ptr, one.size), 0);
		kel_buf_dispose(&jobs[i].out);
	}
	/* The PDF has an outline: a bookmark per section. */
	ck_assert_int_ge(count(one.ptr, one.size, "/Outlines"), 1);
	kel_buf_dispose(&one);
	kel_doc_free(doc);
}
END_TEST

struct late {
	const kel_doc *doc;
	pthread_barrier_t rendered, released;
	int rc;
};

static void *render_then_wait(void *arg)
{
	struct late *l = arg;
	kel_buf out = KEL_BUF_INIT;

	l->rc = kel_render_pdf(&out, l->doc, NULL);
	kel_buf_dispose(&out);
	pthread_barrier_wait(&l->rendered);
	pthread_barrier_wait(&l->released);   /* ends after the fonts were released */
	return NULL;
}

/* A thread of a pool that rendered and ends only after kel_shutdown() released every
 * thread's fonts: nothing is released twice (ASan would see it). */
START_TEST(test_render__thread_ending_after_shutdown_is_safe)
{
	char *json = example_with(NULL, NULL);
	kel_doc *doc = make_doc(json);
	struct late l = { doc, { { 0 } }, { { 0 } }, -1 };
	kel_buf out = KEL_BUF_INIT;
	pthread_t t;

	ck_assert_int_eq(pthread_barrier_init(&l.rendered, NULL, 2), 0);
	ck_assert_int_eq(pthread_barrier_init(&l.released, NULL, 2), 0);
	ck_assert_int_eq(pthread_create(&t, NULL, render_then_wait, &l), 0);
	pthread_barrier_wait(&l.rendered);
	kel__render_shutdown();
	pthread_barrier_wait(&l.released);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(l.rc, 0);
	render_ok(&out, doc, KEL_RENDER_PDF, NULL);
	pthread_barrier_destroy(&l.rendered);
	pthread_barrier_destroy(&l.released);
	kel_buf_dispose(&out);
	kel_doc_free(doc);
	free(json);
}
END_TEST

/* kel_shutdown() releases every thread's fonts; rendering afterwards loads them again. */
START_TEST(test_render__renders_again_after_fonts_are_released)
{
	char *json = example_with(NULL, NULL);
	kel_doc *doc = make_doc(json);
	kel_buf a = KEL_BUF_INIT, b = KEL_BUF_INIT;

	render_ok(&a, doc, KEL_RENDER_PDF, NULL);
	kel__render_shutdown();
	kel__render_shutdown();
	render_ok(&b, doc, KEL_RENDER_PDF, NULL);
	ck_assert_uint_eq(a.size, b.size);
	ck_assert_int_eq(memcmp(a.ptr, b.ptr, a.size), 0);
	kel_buf_dispose(&a);
	kel_buf_dispose(&b);
	kel_doc_free(doc);
	free(json);
}
END_TEST

START_TEST(test_render__bad_arguments_refused)
{
	char *json = example_with(NULL, NULL);
	kel_doc *doc = make_doc(json);
	kel_render_options o = KEL_RENDER_OPTIONS_INIT;
	kel_verify_options v = KEL_VERIFY_OPTIONS_INIT;
	kel_buf out = KEL_BUF_INIT;

	ck_assert_int_eq(kel_render(NULL, doc, KEL_RENDER_PDF, NULL), KEL_EINVAL);
	ck_assert_int_eq(kel_render(&out, NULL, KEL_RENDER_PDF, NULL), KEL_EINVAL);
	ck_assert_int_eq(kel_render(&out, doc, (kel_render_format)7, NULL), KEL_EINVAL);
	o.version = 99;
	ck_assert_int_eq(kel_render_pdf(&out, doc, &o), KEL_EINVAL);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "options version"));
	/* Unreadable trust anchors: the block cannot be made, nothing is rendered. */
	o.version = KEL_RENDER_OPTIONS_VERSION;
	v.trust_file = "/nonexistent/root.crt";
	o.verify = &v;
	ck_assert_int_lt(kel_render_html(&out, doc, &o), 0);
	ck_assert_ptr_null(out.ptr);
	kel_doc_free(doc);
	free(json);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("render");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_render__pdf_is_a_pdf_dated_by_the_document);
	tcase_add_test(tc, test_render__pdf_is_the_same_bytes_each_time);
	tcase_add_test(tc, test_render__long_document_flows_over_pages);
	tcase_add_test(tc, test_render__each_language_alone);
	tcase_add_test(tc, test_render__kk_and_ru_side_by_side_unless_sequential);
	tcase_add_test(tc, test_render__html_is_well_formed_and_self_contained);
	tcase_add_test(tc, test_render__html_escapes_a_hostile_name);
	tcase_add_test(tc, test_render__signature_block_shows_the_verdict);
	tcase_add_test(tc, test_render__unsigned_document_says_so);
	tcase_add_test(tc, test_render__qr_modules_are_those_of_the_payload);
	tcase_add_test(tc, test_render__threads_render_the_same_bytes);
	tcase_add_test(tc, test_render__renders_again_after_fonts_are_released);
	tcase_add_test(tc, test_render__thread_ending_after_shutdown_is_safe);
	tcase_add_test(tc, test_render__bad_arguments_refused);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
