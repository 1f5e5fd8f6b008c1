/*
 * Drawing a QR code: libqrencode makes the modules, libpng writes the PNG (one bit a pixel:
 * a code is black and white, and this is several times faster and smaller than the 8-bit
 * grey image cairo would write), and the SVG is written here as text (one path of
 * horizontal strokes, a few kilobytes for a payload).
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include <qrencode.h>

#include "qr_internal.h"
#include "qr_mask.h"
#include "buf_internal.h"
#include "error_internal.h"

#define MODULE_PX_DEFAULT 4
#define MODULE_PX_MAX 32

/* The characters of the QR alphanumeric mode, 5.5 bits each. */
static int all_alphanumeric(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      strchr(" $%*+-./:", s[i])))
			return 0;
	return 1;
}

#ifdef KELISIM_HAVE_QRCODE_ENCODEMASK
/*
 * Not declared in qrencode.h, but exported by libqrencode builds made with its tests
 * (Debian's): the symbol under one given mask. CMake checks that it links; without it the
 * mask is left to libqrencode.
 */
QRcode *QRcode_encodeMask(QRinput *input, int mask);

/*
 * The symbol under mask 0, then the best mask chosen and swapped in by qr_mask.c: one
 * masking instead of libqrencode's eight, and the same rules. A symbol too wide for
 * qr_mask.c is made again with libqrencode's own choice.
 */
static QRcode *encode_input(QRinput *in)
{
	QRcode *code = QRcode_encodeMask(in, 0);

	if (code != NULL && kel__qr_mask_best(code->data, code->width) < 0) {
		QRcode_free(code);
		code = QRcode_encodeInput(in);
	}
	return code;
}
#else
static QRcode *encode_input(QRinput *in)
{
	return QRcode_encodeInput(in);
}
#endif

/*
 * The segments of the code. A payload is a URL (8-bit mode) and then a core made of
 * 0-9 A-Z . only (alphanumeric mode): those two segments are given to libqrencode as they
 * are, which is also four times faster than letting it split a 264-character string itself.
 * Any other text is split by libqrencode (8-bit hint, case kept).
 */
static QRcode *encode(const char *text, size_t len)
{
	size_t core = len;
	QRinput *in;
	QRcode *code = NULL;

	while (core > 0 && !strchr("/#?=&", text[core - 1]))
		core--;
	if (core == len || !all_alphanumeric(text + core, len - core))
		return QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if ((in = QRinput_new2(0, QR_ECLEVEL_M)) == NULL)
		return NULL;
	if ((core == 0 || QRinput_append(in, QR_MODE_8, (int)core,
			(const unsigned char *)text) == 0) &&
	    QRinput_append(in, QR_MODE_AN, (int)(len - core),
			(const unsigned char *)text + core) == 0)
		code = encode_input(in);
	QRinput_free(in);
	return code;
}

int kel__qr_encode(struct kel_qr_matrix *m, const char *text, size_t len)
{
	char copy[KEL_QR_TEXT_MAX + 1];
	QRcode *code;

	memset(m, 0, sizeof(*m));
	if (text == NULL || len == 0 || len > KEL_QR_TEXT_MAX)
		return kel_fail(KEL_EINVAL, "QR code: text empty or longer than %d bytes",
			KEL_QR_TEXT_MAX);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] >= 0x7f)
			return kel_fail(KEL_EINVAL, "QR code: byte %zu is not printable ASCII", i);
	/* libqrencode reads NUL-terminated strings. */
	memcpy(copy, text, len);
	copy[len] = '\0';
	/* Level M, and version 0: the smallest that holds the text. */
	if ((code = encode(copy, len)) == NULL)
		return kel_fail(KEL_ERROR, "QR code: libqrencode could not encode the text");
	m->version = code->version;
	m->width = code->width;
	m->dark = malloc((size_t)code->width * (size_t)code->width);
	if (m->dark != NULL)
		/* Bit 0 of each of libqrencode's bytes is the module's colour; the rest is detail. */
		for (int i = 0; i < code->width * code->width; i++)
			m->dark[i] = code->data[i] & 1;
	QRcode_free(code);
	if (m->dark == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	return 0;
}

void kel__qr_matrix_free(struct kel_qr_matrix *m)
{
	if (m == NULL)
		return;
	free(m->dark);
	memset(m, 0, sizeof(*m));
}

int kel_qr_symbol_version(int *version, const char *text, size_t len)
{
	struct kel_qr_matrix m;
	int rc;

	if (version == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_symbol_version: NULL argument");
	if ((rc = kel__qr_encode(&m, text, len)) < 0)
		return rc;
	*version = m.version;
	kel__qr_matrix_free(&m);
	return 0;
}

static int module_size(unsigned int *px)
{
	if (*px == 0)
		*px = MODULE_PX_DEFAULT;
	if (*px > MODULE_PX_MAX)
		return kel_fail(KEL_EINVAL, "QR code: module size %u above %d pixels", *px,
			MODULE_PX_MAX);
	return 0;
}

static void png_write_to_buf(png_structp png, png_bytep data, png_size_t len)
{
	if (kel_buf_put(png_get_io_ptr(png), data, len) < 0)
		png_error(png, "out of memory");
}

static void png_no_flush(png_structp png)
{
	(void)png;
}

/* libpng reports errors by longjmp; its messages go nowhere, the caller says what failed. */
static void png_quiet(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/*
 * Pack one row of modules into a row of pixels, one bit each (1 = white in a grey PNG),
 * quiet zone included.
 */
static void pack_row(unsigned char *bits, size_t row_bytes, const struct kel_qr_matrix *m,
	int my, unsigned int px)
{
	memset(bits, 0xff, row_bytes);
	if (my < 0 || my >= m->width)
		return;
	for (int mx = 0; mx < m->width; mx++) {
		unsigned int x = (unsigned int)(mx + KEL_QR_QUIET) * px;
		if (!m->dark[my * m->width + mx])
			continue;
		for (unsigned int end = x + px; x < end; x++)
			bits[x >> 3] &= (unsigned char)~(0x80u >> (x & 7));
	}
}

static int write_png(kel_buf *out, const struct kel_qr_matrix *m, unsigned int px)
{
	int side = (m->width + 2 * KEL_QR_QUIET) * (int)px;
	size_t row_bytes = ((size_t)side + 7) / 8;
	unsigned char *volatile row = malloc(row_bytes);
	png_structp png = NULL;
	png_infop info = NULL;

	if (row == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_quiet, png_quiet);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL) {
		png_destroy_write_struct(&png, NULL);
		free(row);
		return kel_fail(KEL_ENOMEM, "QR code: cannot start a PNG");
	}
	kel_buf_clear(out);
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		return kel_fail(KEL_ERROR, "QR code: cannot write the PNG");
	}
	png_set_write_fn(png, out, png_write_to_buf, png_no_flush);
	png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 1, PNG_COLOR_TYPE_GRAY,
		PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* Rows repeat px times: the "up" filter turns repeats into zeros, which deflate loves. */
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
	/* A code compresses well at any level; the fastest costs a few dozen bytes. */
	png_set_compression_level(png, 1);
	png_write_info(png, info);
	for (int y = 0; y < side; y++) {
		if (y % (int)px == 0)
			pack_row(row, row_bytes, m, y / (int)px - KEL_QR_QUIET, px);
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	return 0;
}

int kel_qr_png(kel_buf *out, const char *text, size_t len, unsigned int module_px)
{
	struct kel_qr_matrix m;
	int rc;

	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_png: NULL argument");
	if ((rc = module_size(&module_px)) < 0 || (rc = kel__qr_encode(&m, text, len)) < 0)
		return rc;
	rc = write_png(out, &m, module_px);
	kel__qr_matrix_free(&m);
	return rc;
}

/*
 * Each run of dark modules in a row is a horizontal stroke one module thick through the
 * row's middle: "M x y.5h n" for a row's first run, then "m gap 0h n" relative to the end of
 * the previous one. Coordinates are in modules; the viewBox includes the quiet zone.
 */
static int write_svg(kel_buf *out, const struct kel_qr_matrix *m, unsigned int px)
{
	int side = m->width + 2 * KEL_QR_QUIET, rc;

	kel_buf_clear(out);
	rc = kel_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">"
		"<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path stroke=\"#000\" d=\"",
		side, side, side * (int)px, side * (int)px, side, side);
	for (int y = 0; y < m->width && rc == 0; y++) {
		int pen = -1;   /* x where the previous stroke of this row ended */
		for (int x = 0; x < m->width && rc == 0; ) {
			int run = 0;
			while (x + run < m->width && m->dark[y * m->width + x + run])
				run++;
			if (run == 0) {
				x++;
				continue;
			}
			if (pen < 0)
				rc = kel_buf_printf(out, "M%d %d.5h%d", x + KEL_QR_QUIET,
					y + KEL_QR_QUIET, run);
			else
				rc = kel_buf_printf(out, "m%d 0h%d", x - pen, run);
			pen = x + run;
			x += run;
		}
	}
	if (rc == 0)
		rc = kel_buf_puts(out, "\"/></svg>\n");
	return rc;
}

int kel_qr_svg(kel_buf *out, const char *text, size_t len, unsigned int module_px)
{
	struct kel_qr_matrix m;
	int rc;

	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_svg: NULL argument");
	if ((rc = module_size(&module_px)) < 0 || (rc = kel__qr_encode(&m, text, len)) < 0)
		return rc;
	rc = write_svg(out, &m, module_px);
	kel__qr_matrix_free(&m);
	return rc;
}
