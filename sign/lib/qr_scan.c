/*
 * Reading a QR code from a PNG image (a scan, a screenshot, a photo): cairo decodes the
 * PNG, the pixels become 8-bit grey, and zbar looks for the code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cairo.h>
#include <zbar.h>

#include "qr_internal.h"
#include "buf_internal.h"
#include "error_internal.h"
#include "dl_cairo.h"   /* last two: they redirect the cairo and zbar names */
#include "dl_zbar.h"

/* A phone photo is 12-50 megapixels; anything above is not a picture of a page. */
#define PNG_MAX_BYTES (64u * 1024u * 1024u)
#define PNG_MAX_SIDE 16384u
#define PNG_MAX_PIXELS (50u * 1000u * 1000u)

struct reader {
	const unsigned char *data;
	size_t len, pos;
};

static cairo_status_t read_from_mem(void *closure, unsigned char *data, unsigned int len)
{
	struct reader *r = closure;

	if (len > r->len - r->pos)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->data + r->pos, len);
	r->pos += len;
	return CAIRO_STATUS_SUCCESS;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * Look at the PNG header before cairo does: cairo allocates width x height x 4 bytes as soon
 * as it has read the header, so a small file claiming a huge image must be stopped here.
 */
static int check_header(const unsigned char *png, size_t len)
{
	static const unsigned char signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	uint32_t w, h;

	if (len > PNG_MAX_BYTES)
		return kel_fail(KEL_ETOOBIG, "image: larger than %u bytes", PNG_MAX_BYTES);
	if (len < 33 || memcmp(png, signature, 8) != 0 || memcmp(png + 12, "IHDR", 4) != 0)
		return kel_fail(KEL_EPARSE, "image: not a PNG file");
	w = be32(png + 16);
	h = be32(png + 20);
	if (w == 0 || h == 0)
		return kel_fail(KEL_EPARSE, "image: PNG of zero size");
	if (w > PNG_MAX_SIDE || h > PNG_MAX_SIDE || (uint64_t)w * h > PNG_MAX_PIXELS)
		return kel_fail(KEL_ETOOBIG, "image: %ux%u pixels is too large", w, h);
	return 0;
}

/*
 * The image flattened onto white (a transparent background must not read as black) and
 * turned into one byte of luminance a pixel, as zbar's "Y800" format wants.
 */
static unsigned char *to_grey(cairo_surface_t *img, int w, int h)
{
	cairo_surface_t *rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	unsigned char *grey = malloc((size_t)w * (size_t)h), *data;
	cairo_t *cr = cairo_create(rgb);
	int stride;

	if (grey == NULL || cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		free(grey);
		grey = NULL;
		goto done;
	}
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_paint(cr);
	cairo_surface_flush(rgb);
	data = cairo_image_surface_get_data(rgb);
	stride = cairo_image_surface_get_stride(rgb);
	for (int y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
		for (int x = 0; x < w; x++) {
			uint32_t p = row[x];
			/* ITU-R BT.601 luma, in integers. */
			grey[(size_t)y * w + x] = (unsigned char)((299 * ((p >> 16) & 255) +
				587 * ((p >> 8) & 255) + 114 * (p & 255)) / 1000);
		}
	}
done:
	cairo_destroy(cr);
	cairo_surface_destroy(rgb);
	return grey;
}

/* Run zbar over the grey pixels; the chosen code's text goes into out. */
static int scan(kel_buf *out, unsigned char *grey, int w, int h)
{
	zbar_image_scanner_t *scanner = zbar_image_scanner_create();
	zbar_image_t *image = zbar_image_create();
	const zbar_symbol_t *chosen = NULL;
	int rc;

	if (scanner == NULL || image == NULL) {
		rc = kel_fail(KEL_ENOMEM, "out of memory");
		goto done;
	}
	zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(image, (unsigned int)w, (unsigned int)h);
	/* No cleanup handler: the pixels stay ours and are freed by the caller. */
	zbar_image_set_data(image, grey, (unsigned long)w * (unsigned long)h, NULL);
	if (zbar_scan_image(scanner, image) < 0) {
		rc = kel_fail(KEL_ERROR, "image: the QR scanner failed");
		goto done;
	}
	for (const zbar_symbol_t *s = zbar_image_first_symbol(image); s; s = zbar_symbol_next(s)) {
		kel_qr_payload p;
		if (zbar_symbol_get_type(s) != ZBAR_QRCODE)
			continue;
		if (chosen == NULL)
			chosen = s;
		if (kel_qr_payload_parse(&p, zbar_symbol_get_data(s),
				zbar_symbol_get_data_length(s)) == 0) {
			chosen = s;
			break;
		}
	}
	if (chosen == NULL) {
		rc = kel_fail(KEL_ENOTFOUND, "image: no readable QR code found");
		goto done;
	}
	kel_buf_clear(out);
	rc = kel_buf_put(out, zbar_symbol_get_data(chosen), zbar_symbol_get_data_length(chosen));
done:
	zbar_image_destroy(image);
	zbar_image_scanner_destroy(scanner);
	return rc;
}

int kel_qr_decode_png(kel_buf *out, const void *png, size_t len)
{
	struct reader r = { png, len, 0 };
	cairo_surface_t *img;
	cairo_status_t st;
	unsigned char *grey;
	int rc, w, h;

	if (out == NULL || png == NULL)
		return kel_fail(KEL_EINVAL, "kel_qr_decode_png: NULL argument");
	if ((rc = check_header(png, len)) < 0 || (rc = kel__dynload(&kel__dl_cairo)) < 0 ||
	    (rc = kel__dynload(&kel__dl_zbar)) < 0)
		return rc;
	img = cairo_image_surface_create_from_png_stream(read_from_mem, &r);
	if ((st = cairo_surface_status(img)) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(img);
		return kel_fail(st == CAIRO_STATUS_NO_MEMORY ? KEL_ENOMEM : KEL_EPARSE,
			"image: cannot read the PNG: %s", cairo_status_to_string(st));
	}
	w = cairo_image_surface_get_width(img);
	h = cairo_image_surface_get_height(img);
	grey = to_grey(img, w, h);
	cairo_surface_destroy(img);
	if (grey == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	rc = scan(out, grey, w, h);
	free(grey);
	return rc;
}
