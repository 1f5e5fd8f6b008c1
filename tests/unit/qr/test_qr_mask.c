/*
 * The mask chooser (qr_mask.c): its penalty score against a plain module-by-module reading
 * of ISO/IEC 18004 7.8.3.1 written here, its masks and format information against
 * libqrencode's own symbols for each mask, and every code it makes read back by zbar.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <qrencode.h>

#include "helpers.h"
#include "qr_test.h"
#include "qr_internal.h"
#include "qr_mask.h"

#ifdef KELISIM_HAVE_QRCODE_ENCODEMASK
QRcode *QRcode_encodeMask(QRinput *input, int mask);
#endif

/* A small fixed generator: the same matrices and texts on every run. */
static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

static int module(const unsigned char *m, int w, int x, int y)
{
	return x >= 0 && y >= 0 && x < w && y < w && m[y * w + x];
}

/* Rule by rule, a module at a time; (x, y) -> (y, x) reads columns as rows. */
static long reference_line_rules(const unsigned char *m, int w, int transpose)
{
	static const int finder[7] = { 1, 0, 1, 1, 1, 0, 1 };
	long score = 0;

	for (int line = 0; line < w; line++) {
#define AT(i) (transpose ? module(m, w, line, (i)) : module(m, w, (i), line))
		int run = 1;
		for (int i = 1; i <= w; i++) {
			if (i < w && AT(i) == AT(i - 1)) {
				run++;
				continue;
			}
			if (run >= 5)
				score += 3 + (run - 5);
			run = 1;
		}
		for (int c = 0; c + 7 <= w; c++) {
			int core = 1, before = 1, after = 1;
			for (int k = 0; k < 7; k++)
				core &= AT(c + k) == finder[k];
			for (int k = 1; k <= 4; k++) {
				before &= !AT(c - k);   /* beyond the edge: the light quiet zone */
				after &= !AT(c + 6 + k);
			}
			if (core && (before || after))
				score += 40;
		}
#undef AT
	}
	return score;
}

static long reference_penalty(const unsigned char *m, int w)
{
	long score = reference_line_rules(m, w, 0) + reference_line_rules(m, w, 1);
	long dark = 0, total = (long)w * w, off;

	for (int y = 0; y + 1 < w; y++)
		for (int x = 0; x + 1 < w; x++) {
			int v = m[y * w + x];
			if (m[y * w + x + 1] == v && m[(y + 1) * w + x] == v &&
			    m[(y + 1) * w + x + 1] == v)
				score += 3;
		}
	for (long i = 0; i < total; i++)
		dark += m[i];
	off = 20 * dark - 10 * total;
	return score + 10 * ((off < 0 ? -off : off) / total);
}

static long fast_penalty(const unsigned char *m, int w)
{
	unsigned long long rows[KEL_QR_MASK_MAX_WIDTH] = { 0 };

	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (m[y * w + x])
				rows[y] |= 1ULL << x;
	return kel__qr_mask_penalty(rows, w);
}

START_TEST(test_qr__mask_penalty_matches_reference)
{
	unsigned char m[KEL_QR_MASK_MAX_WIDTH * KEL_QR_MASK_MAX_WIDTH];
	uint32_t seed = 7;

	/* Random squares of every size, some sparse, some dense, some with long runs. */
	for (int round = 0; round < 600; round++) {
		int w = 21 + (int)(next_random(&seed) % (KEL_QR_MASK_MAX_WIDTH - 20));
		unsigned density = next_random(&seed) % 100;
		for (int i = 0; i < w * w; i++)
			m[i] = next_random(&seed) % 100 < density;
		if (round % 3 == 0)   /* plant a finder-like pattern with a light margin */
			for (int k = 0; k < 7; k++)
				m[(round % w) * w + (k + round) % w] = (k != 1 && k != 5);
		ck_assert_msg(fast_penalty(m, w) == reference_penalty(m, w),
			"round %d, width %d: fast %ld, reference %ld", round, w,
			fast_penalty(m, w), reference_penalty(m, w));
	}
	/* All light and all dark: long runs, every 2 x 2 block, and the N4 extremes. */
	memset(m, 0, sizeof(m));
	ck_assert_int_eq(fast_penalty(m, 21), reference_penalty(m, 21));
	memset(m, 1, sizeof(m));
	ck_assert_int_eq(fast_penalty(m, 57), reference_penalty(m, 57));
}
END_TEST

#ifdef KELISIM_HAVE_QRCODE_ENCODEMASK
/* A random text of the payload's alphabet, len characters, as the alphanumeric segment. */
static QRinput *random_input(uint32_t *seed, int len)
{
	static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.";
	char text[400];
	QRinput *in = QRinput_new2(0, QR_ECLEVEL_M);

	ck_assert_ptr_nonnull(in);
	for (int i = 0; i < len; i++)
		text[i] = alphabet[next_random(seed) % (sizeof(alphabet) - 1)];
	ck_assert_int_eq(QRinput_append(in, QR_MODE_AN, len, (unsigned char *)text), 0);
	return in;
}

START_TEST(test_qr__mask_apply_matches_libqrencode)
{
	uint32_t seed = 11;

	/* Lengths that give versions 1 to 10 at level M. */
	for (int len = 10; len <= 270; len += 13) {
		QRinput *in = random_input(&seed, len);
		QRcode *base = QRcode_encodeMask(in, 0);
		ck_assert_ptr_nonnull(base);
		for (int mask = 0; mask < 8; mask++) {
			QRcode *want = QRcode_encodeMask(in, mask);
			size_t n = (size_t)base->width * (size_t)base->width;
			unsigned char *got = malloc(n);
			ck_assert_ptr_nonnull(want);
			memcpy(got, base->data, n);
			ck_assert_int_eq(kel__qr_mask_apply(got, base->width, mask), mask);
			for (size_t i = 0; i < n; i++)
				ck_assert_msg(got[i] == want->data[i], "length %d, mask %d, module "
					"(%zu, %zu): 0x%02x, libqrencode 0x%02x", len, mask,
					i % (size_t)base->width, i / (size_t)base->width, got[i],
					want->data[i]);
			free(got);
			QRcode_free(want);
		}
		QRcode_free(base);
		QRinput_free(in);
	}
}
END_TEST

START_TEST(test_qr__mask_best_is_lowest_penalty)
{
	uint32_t seed = 13;

	for (int len = 30; len <= 270; len += 20) {
		QRinput *in = random_input(&seed, len);
		QRcode *base = QRcode_encodeMask(in, 0);
		size_t n = (size_t)base->width * (size_t)base->width;
		unsigned char *chosen = malloc(n), *other = malloc(n), *colours = malloc(n);
		long scores[8];
		int best;

		memcpy(chosen, base->data, n);
		best = kel__qr_mask_best(chosen, base->width);
		ck_assert_int_ge(best, 0);
		for (int mask = 0; mask < 8; mask++) {
			memcpy(other, base->data, n);
			kel__qr_mask_apply(other, base->width, mask);
			for (size_t i = 0; i < n; i++)
				colours[i] = other[i] & 1;
			scores[mask] = reference_penalty(colours, base->width);
			if (mask == best)
				ck_assert_mem_eq(other, chosen, n);
		}
		for (int mask = 0; mask < 8; mask++)
			ck_assert_msg(scores[best] < scores[mask] ||
				(scores[best] == scores[mask] && best <= mask),
				"length %d: chose mask %d (%ld) over %d (%ld)", len, best,
				scores[best], mask, scores[mask]);
		free(chosen);
		free(other);
		free(colours);
		QRcode_free(base);
		QRinput_free(in);
	}
}
END_TEST
#endif

/* Payload-shaped texts of every length a code can have here, each read back by zbar. */
START_TEST(test_qr__masked_codes_scan)
{
	static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.";
	uint32_t seed = 17;

	for (int len = 8; len <= 300; len += 11) {
		char text[400];
		kel_buf png = KEL_BUF_INIT, back = KEL_BUF_INIT;
		int n = snprintf(text, sizeof(text), "%s", TQ_URL40);

		for (int i = 0; i < len; i++)
			text[n++] = alphabet[next_random(&seed) % (sizeof(alphabet) - 1)];
		text[n] = '\0';
		ck_assert_msg(kel_qr_png(&png, text, (size_t)n, 2) == 0, "%s", th_error_message());
		ck_assert_msg(kel_qr_decode_png(&back, png.ptr, png.size) == 0, "length %d: %s",
			len, th_error_message());
		ck_assert_uint_eq(back.size, (size_t)n);
		ck_assert_mem_eq(back.ptr, text, (size_t)n);
		kel_buf_dispose(&png);
		kel_buf_dispose(&back);
	}
}
END_TEST

TCase *tq_mask_tcase(void)
{
	TCase *tc = tcase_create("mask");

	tcase_add_test(tc, test_qr__mask_penalty_matches_reference);
#ifdef KELISIM_HAVE_QRCODE_ENCODEMASK
	tcase_add_test(tc, test_qr__mask_apply_matches_libqrencode);
	tcase_add_test(tc, test_qr__mask_best_is_lowest_penalty);
#endif
	tcase_add_test(tc, test_qr__masked_codes_scan);
	return tc;
}
