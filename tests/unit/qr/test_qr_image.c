/*
 * The images: a PNG made here is read back by zbar as it is, and as a verifier's scan would
 * be — turned a quarter, shrunk to half, blurred, printed among text on a page; the SVG is
 * well-formed XML whose one path draws exactly the code's modules.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include <fontconfig/fontconfig.h>

#include "helpers.h"
#include "qr_test.h"
#include "qr_internal.h"
#include "xml_safe.h"
#include "buf_internal.h"

static kel_qr_payload payload;   /* one sealed payload with a 40-character URL */

static void make_payload(void)
{
	kel_key *key = tq_key("operator");

	tq_payload(&payload, key, TQ_URL40);
	kel_key_free(key);
}

static cairo_surface_t *code_surface(unsigned int px)
{
	kel_buf png = KEL_BUF_INIT;
	cairo_surface_t *s;

	ck_assert_msg(kel_qr_png(&png, payload.text, payload.text_len, px) == 0, "%s",
		th_error_message());
	s = tq_png_to_surface(&png);
	kel_buf_dispose(&png);
	return s;
}

/* A white RGB24 page of w x h with a cairo context on it. */
static cairo_t *white_page(int w, int h)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);

	cairo_surface_destroy(s);   /* cr holds it */
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	return cr;
}

static cairo_surface_t *finish(cairo_t *cr)
{
	cairo_surface_t *s = cairo_surface_reference(cairo_get_target(cr));

	cairo_destroy(cr);
	cairo_surface_flush(s);
	return s;
}

static cairo_surface_t *rotate90(cairo_surface_t *src)
{
	int w = cairo_image_surface_get_width(src), h = cairo_image_surface_get_height(src);
	cairo_t *cr = white_page(h, w);

	cairo_translate(cr, h, 0);
	cairo_rotate(cr, M_PI / 2);
	cairo_set_source_surface(cr, src, 0, 0);
	cairo_paint(cr);
	return finish(cr);
}

static cairo_surface_t *half(cairo_surface_t *src)
{
	int w = cairo_image_surface_get_width(src), h = cairo_image_surface_get_height(src);
	cairo_t *cr = white_page(w / 2, h / 2);

	cairo_scale(cr, 0.5, 0.5);
	cairo_set_source_surface(cr, src, 0, 0);
	/* Averaging, as a scanner at half the resolution would see it. */
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint(cr);
	return finish(cr);
}

/* The mean of the 3 x 3 pixels around x, y (fewer at the edges). */
static unsigned char box_mean(const unsigned char *grey, int w, int h, int x, int y)
{
	int sum = 0, n = 0;

	for (int dy = -1; dy <= 1; dy++)
		for (int dx = -1; dx <= 1; dx++)
			if (y + dy >= 0 && y + dy < h && x + dx >= 0 && x + dx < w) {
				sum += grey[(y + dy) * w + x + dx];
				n++;
			}
	return (unsigned char)(sum / n);
}

/* Copy onto an RGB24 page, then box-blur it passes times with a 3 x 3 kernel. */
static cairo_surface_t *blur(cairo_surface_t *src, int passes)
{
	int w = cairo_image_surface_get_width(src), h = cairo_image_surface_get_height(src);
	cairo_t *cr = white_page(w, h);
	cairo_surface_t *s;
	unsigned char *grey = malloc((size_t)w * h), *tmp = malloc((size_t)w * h), *data;
	int stride;

	cairo_set_source_surface(cr, src, 0, 0);
	cairo_paint(cr);
	s = finish(cr);
	data = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			grey[y * w + x] = data[y * stride + 4 * x];   /* grey: every channel alike */
	for (int k = 0; k < passes; k++) {
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				tmp[y * w + x] = box_mean(grey, w, h, x, y);
		memcpy(grey, tmp, (size_t)w * h);
	}
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint32_t g = grey[y * w + x];
			((uint32_t *)(void *)(data + y * stride))[x] = g << 16 | g << 8 | g;
		}
	cairo_surface_mark_dirty(s);
	free(grey);
	free(tmp);
	return s;
}

static void expect_decoded(cairo_surface_t *s, const char *what)
{
	char *text = tq_decode_surface(s);

	ck_assert_msg(text != NULL, "%s: no code found: %s", what, th_error_message());
	ck_assert_str_eq(text, payload.text);
	free(text);
}

START_TEST(test_qr__png_round_trip)
{
	kel_buf png = KEL_BUF_INIT, text = KEL_BUF_INIT;
	cairo_surface_t *s;
	int version, side;

	make_payload();
	ck_assert_int_eq(kel_qr_symbol_version(&version, payload.text, payload.text_len), 0);
	for (unsigned int px = 1; px <= 8; px *= 2) {
		ck_assert_int_eq(kel_qr_png(&png, payload.text, payload.text_len, px), 0);
		ck_assert_int_eq(memcmp(png.ptr, "\x89PNG\r\n\x1a\n", 8), 0);
		/* One pixel a module is for renderers that scale up; a scanner needs two. */
		if (px > 1) {
			ck_assert_msg(kel_qr_decode_png(&text, png.ptr, png.size) == 0,
				"%u px: %s", px, th_error_message());
			ck_assert_str_eq(text.ptr, payload.text);
		}
		/* 4 version steps of 4 modules over 17, and 4 modules of quiet zone each side. */
		side = (4 * version + 17 + 2 * 4) * (int)px;
		s = tq_png_to_surface(&png);
		ck_assert_int_eq(cairo_image_surface_get_width(s), side);
		ck_assert_int_eq(cairo_image_surface_get_height(s), side);
		cairo_surface_destroy(s);
	}
	/* The default module is 4 pixels: version 10 is 260 pixels wide, a few KB. */
	ck_assert_int_eq(kel_qr_png(&png, payload.text, payload.text_len, 0), 0);
	s = tq_png_to_surface(&png);
	ck_assert_int_eq(cairo_image_surface_get_width(s), (4 * version + 25) * 4);
	ck_assert_uint_lt(png.size, 4096);
	cairo_surface_destroy(s);
	kel_buf_dispose(&png);
	kel_buf_dispose(&text);
}
END_TEST

START_TEST(test_qr__png_scanned_rotated_halved_blurred)
{
	cairo_surface_t *code, *a, *b;

	make_payload();
	code = code_surface(4);
	a = rotate90(code);
	expect_decoded(a, "rotated 90 degrees");
	b = rotate90(a);
	expect_decoded(b, "rotated 180 degrees");
	cairo_surface_destroy(b);
	b = half(code);
	ck_assert_int_eq(cairo_image_surface_get_width(b), cairo_image_surface_get_width(code) / 2);
	expect_decoded(b, "half size");
	cairo_surface_destroy(b);
	b = half(a);
	expect_decoded(b, "rotated and half size");
	cairo_surface_destroy(b);
	b = blur(code, 2);
	expect_decoded(b, "blurred");
	cairo_surface_destroy(b);
	b = blur(a, 1);
	expect_decoded(b, "rotated and blurred");
	cairo_surface_destroy(b);
	cairo_surface_destroy(a);
	cairo_surface_destroy(code);
}
END_TEST

/* An A4 page at 100 dpi: a heading, paragraphs, a table's rules, and the code at the foot. */
static cairo_surface_t *page_with(cairo_surface_t *code, cairo_surface_t *other)
{
	cairo_t *cr = white_page(827, 1169);

	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 24);
	cairo_move_to(cr, 60, 80);
	cairo_show_text(cr, "CONSENT TO THE PROCESSING OF PERSONAL DATA");
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
		CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 13);
	for (int line = 0; line < 40; line++) {
		cairo_move_to(cr, 60, 130 + 18 * line);
		cairo_show_text(cr, line % 3 ? "The data subject consents to the storage of the "
			"data listed below in data centres in Kazakhstan 0123456789" :
			"Operator: Test Operator LLP, BIN 990340000004; processor: Bitrix24 LLP");
	}
	cairo_set_line_width(cr, 1);
	for (int r = 0; r < 5; r++) {
		cairo_move_to(cr, 60, 880 + 20 * r);
		cairo_line_to(cr, 767, 880 + 20 * r);
	}
	cairo_stroke(cr);
	cairo_move_to(cr, 60, 1040);
	cairo_show_text(cr, "Scan to verify: 01a212b7-f216-7064-a957-494d5be71447");
	/* The code right beside the text, with nothing but its own quiet zone around it. */
	cairo_set_source_surface(cr, code, 540, 900);
	cairo_paint(cr);
	if (other) {
		cairo_set_source_surface(cr, other, 300, 1000);
		cairo_paint(cr);
	}
	return finish(cr);
}

START_TEST(test_qr__png_among_printed_text)
{
	cairo_surface_t *code, *page, *small, *other;
	kel_buf png = KEL_BUF_INIT;

	make_payload();
	code = code_surface(4);
	page = page_with(code, NULL);
	expect_decoded(page, "on a page");
	small = half(page);
	expect_decoded(small, "on a page at half resolution");
	cairo_surface_destroy(small);

	/* A second, foreign code on the page: the kelisim payload is the one returned. */
	ck_assert_int_eq(kel_qr_png(&png, "https://example.com/not-kelisim", 31, 3), 0);
	other = tq_png_to_surface(&png);
	cairo_surface_destroy(page);
	page = page_with(code, other);
	expect_decoded(page, "beside another code");
	cairo_surface_destroy(other);
	cairo_surface_destroy(page);
	cairo_surface_destroy(code);
	kel_buf_dispose(&png);
}
END_TEST

/* Dark modules on a transparent background: flattened onto white, not read as black. */
START_TEST(test_qr__png_transparent_background)
{
	cairo_surface_t *png_code, *code, *clear;
	unsigned char *src, *dst;
	int w, ss, ds;

	make_payload();
	png_code = code_surface(4);
	code = blur(png_code, 0);   /* an RGB24 copy, 4 bytes a pixel */
	cairo_surface_destroy(png_code);
	w = cairo_image_surface_get_width(code);
	clear = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, w);
	src = cairo_image_surface_get_data(code);
	ss = cairo_image_surface_get_stride(code);
	dst = cairo_image_surface_get_data(clear);
	ds = cairo_image_surface_get_stride(clear);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++) {
			int dark = (src[y * ss + 4 * x] & 0xff) < 128;
			((uint32_t *)(void *)(dst + y * ds))[x] = dark ? 0xff000000u : 0;
		}
	cairo_surface_mark_dirty(clear);
	expect_decoded(clear, "transparent background");
	cairo_surface_destroy(clear);
	cairo_surface_destroy(code);
}
END_TEST

START_TEST(test_qr__decode_refusals)
{
	kel_buf png = KEL_BUF_INIT, out = KEL_BUF_INIT;
	unsigned char head[64];
	cairo_t *cr;
	cairo_surface_t *blank;

	make_payload();
	ck_assert_int_eq(kel_qr_decode_png(&out, "GIF89a........................................",
		40), KEL_EPARSE);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "not a PNG"));
	/* A valid start of a PNG, cut off: cairo cannot read it. */
	ck_assert_int_eq(kel_qr_png(&png, payload.text, payload.text_len, 4), 0);
	ck_assert_int_eq(kel_qr_decode_png(&out, png.ptr, png.size / 2), KEL_EPARSE);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "cannot read the PNG"));
	/* A header claiming a huge image is stopped before anything is allocated. */
	memcpy(head, png.ptr, sizeof(head));
	memcpy(head + 16, "\x00\x01\x86\xa0\x00\x01\x86\xa0", 8);   /* 100000 x 100000 */
	ck_assert_int_eq(kel_qr_decode_png(&out, head, sizeof(head)), KEL_ETOOBIG);
	memcpy(head + 16, "\x00\x00\x27\x10\x00\x00\x27\x10", 8);   /* 10000 x 10000 */
	ck_assert_int_eq(kel_qr_decode_png(&out, head, sizeof(head)), KEL_ETOOBIG);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "10000x10000 pixels is too large"));
	memcpy(head + 16, "\x00\x00\x00\x00\x00\x00\x00\x10", 8);
	ck_assert_int_eq(kel_qr_decode_png(&out, head, sizeof(head)), KEL_EPARSE);
	/* A page with no code. */
	cr = white_page(300, 300);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_move_to(cr, 20, 100);
	cairo_show_text(cr, "no code here");
	blank = finish(cr);
	tq_surface_to_png(blank, &png);
	ck_assert_int_eq(kel_qr_decode_png(&out, png.ptr, png.size), KEL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "no readable QR code"));
	cairo_surface_destroy(blank);
	ck_assert_int_eq(kel_qr_decode_png(NULL, png.ptr, png.size), KEL_EINVAL);
	kel_buf_dispose(&png);
	kel_buf_dispose(&out);
}
END_TEST

START_TEST(test_qr__encode_refusals)
{
	kel_buf b = KEL_BUF_INIT;
	char long_text[KEL_QR_TEXT_MAX + 2];
	int v;

	ck_assert_int_eq(kel_qr_png(&b, "abc", 3, 33), KEL_EINVAL);
	ck_assert_int_eq(kel_qr_svg(&b, "abc", 3, 33), KEL_EINVAL);
	ck_assert_int_eq(kel_qr_png(&b, "a\nb", 3, 4), KEL_EINVAL);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "byte 1 is not printable ASCII"));
	ck_assert_int_eq(kel_qr_svg(&b, "a\xc3\xa9", 3, 4), KEL_EINVAL);
	ck_assert_int_eq(kel_qr_png(&b, "", 0, 4), KEL_EINVAL);
	memset(long_text, 'A', sizeof(long_text));
	ck_assert_int_eq(kel_qr_png(&b, long_text, KEL_QR_TEXT_MAX + 1, 4), KEL_EINVAL);
	ck_assert_int_eq(kel_qr_symbol_version(&v, long_text, KEL_QR_TEXT_MAX), 0);
	ck_assert_int_eq(kel_qr_symbol_version(NULL, "a", 1), KEL_EINVAL);
	ck_assert_int_eq(kel_qr_png(NULL, "a", 1, 4), KEL_EINVAL);
	kel_buf_dispose(&b);
}
END_TEST

static const char *attr(xmlNodePtr n, const char *name, char *buf, size_t size)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);

	snprintf(buf, size, "%s", v ? (const char *)v : "");
	xmlFree(v);
	return buf;
}

/* Mark the modules the path "M x y.5h n m dx 0h n ..." strokes; -1 on anything else. */
static int read_path(const char *d, unsigned char *grid, int side)
{
	int x = 0, y = 0, dx, n, used, pen = -1;

	while (*d) {
		if (sscanf(d, "M%d %d.5h%d%n", &x, &y, &n, &used) == 3)
			;
		else if (pen >= 0 && sscanf(d, "m%d 0h%d%n", &dx, &n, &used) == 2)
			x = pen + dx;   /* relative to the end of the previous stroke */
		else
			return -1;
		if (x < 0 || y < 0 || y >= side || n <= 0 || x + n > side)
			return -1;
		for (int k = 0; k < n; k++)
			grid[y * side + x + k] = 1;
		pen = x + n;
		d += used;
	}
	return 0;
}

START_TEST(test_qr__svg_well_formed_and_exact)
{
	kel_buf svg = KEL_BUF_INIT;
	struct kel_qr_matrix m;
	xmlDocPtr doc;
	xmlNodePtr root, rect, path;
	char buf[64], want[64], *d;
	unsigned char *grid;
	int side;

	make_payload();
	ck_assert_int_eq(kel_qr_svg(&svg, payload.text, payload.text_len, 4), 0);
	ck_assert_int_eq(strncmp(svg.ptr, "<svg ", 5), 0);   /* no XML declaration: inlinable */
	ck_assert_uint_lt(svg.size, 8192);
	ck_assert_msg(kel__xml_parse(&doc, svg.ptr, svg.size, "svg") == 0, "%s",
		th_error_message());
	root = xmlDocGetRootElement(doc);
	ck_assert_str_eq((const char *)root->name, "svg");
	ck_assert_str_eq((const char *)root->ns->href, "http://www.w3.org/2000/svg");

	ck_assert_int_eq(kel__qr_encode(&m, payload.text, payload.text_len), 0);
	side = m.width + 8;
	snprintf(want, sizeof(want), "0 0 %d %d", side, side);
	ck_assert_str_eq(attr(root, "viewBox", buf, sizeof(buf)), want);
	snprintf(want, sizeof(want), "%d", side * 4);
	ck_assert_str_eq(attr(root, "width", buf, sizeof(buf)), want);

	/* A white square under one black path, and nothing else. */
	rect = kel__xml_first_element(root);
	path = kel__xml_next_element(rect);
	ck_assert_str_eq((const char *)rect->name, "rect");
	ck_assert_str_eq(attr(rect, "fill", buf, sizeof(buf)), "#fff");
	ck_assert_str_eq((const char *)path->name, "path");
	ck_assert_str_eq(attr(path, "stroke", buf, sizeof(buf)), "#000");
	ck_assert_ptr_null(kel__xml_next_element(path));

	/* The path strokes exactly the dark modules, shifted by the quiet zone. */
	d = (char *)xmlGetProp(path, BAD_CAST "d");
	grid = calloc((size_t)side * side, 1);
	ck_assert_int_eq(read_path(d, grid, side), 0);
	for (int y = 0; y < side; y++)
		for (int x = 0; x < side; x++) {
			int mx = x - 4, my = y - 4;
			int dark = mx >= 0 && my >= 0 && mx < m.width && my < m.width &&
				m.dark[my * m.width + mx];
			ck_assert_msg(grid[y * side + x] == dark, "module %d,%d", x, y);
		}

	/* Drawn as the path says, it scans back to the payload. */
	{
		cairo_t *cr = white_page(side * 4, side * 4);
		cairo_surface_t *s;
		cairo_set_source_rgb(cr, 0, 0, 0);
		for (int y = 0; y < side; y++)
			for (int x = 0; x < side; x++)
				if (grid[y * side + x])
					cairo_rectangle(cr, x * 4, y * 4, 4, 4);
		cairo_fill(cr);
		s = finish(cr);
		expect_decoded(s, "drawn from the SVG path");
		cairo_surface_destroy(s);
	}
	free(grid);
	xmlFree(d);
	xmlFreeDoc(doc);
	kel__qr_matrix_free(&m);
	kel_buf_dispose(&svg);
}
END_TEST

/*
 * The pages above are printed with cairo's toy text API, which loads fonts through fontconfig
 * and keeps them in caches for the life of the process; LeakSanitizer would report those.
 * Once every cairo object is gone, both caches can be emptied.
 */
static void release_fonts(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}

TCase *tq_image_tcase(void)
{
	TCase *tc = tcase_create("image");

	tcase_add_checked_fixture(tc, NULL, release_fonts);

	tcase_add_test(tc, test_qr__png_round_trip);
	tcase_add_test(tc, test_qr__png_scanned_rotated_halved_blurred);
	tcase_add_test(tc, test_qr__png_among_printed_text);
	tcase_add_test(tc, test_qr__png_transparent_background);
	tcase_add_test(tc, test_qr__decode_refusals);
	tcase_add_test(tc, test_qr__encode_refusals);
	tcase_add_test(tc, test_qr__svg_well_formed_and_exact);
	return tc;
}
