/*
 * QR mask selection on 64-bit rows; see qr_mask.h for why. The rules scored are those of
 * ISO/IEC 18004:2015 7.8.3.1; the arithmetic below counts them a whole row (or, for the
 * vertical rules, a whole row of columns) at a time.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "qr_mask.h"

typedef unsigned long long word;

#define FUNCTION_MODULE 0x80   /* libqrencode: finder, timing, alignment, format, version */
#define MASK_PERIOD 12         /* every mask repeats down the rows with a period dividing 12 */

/* Bit x of mask_rows[m][y % 12] set: mask m inverts module (x, y) (18004 table 10). */
static word mask_rows[8][MASK_PERIOD];
static pthread_once_t mask_rows_once = PTHREAD_ONCE_INIT;

static int mask_inverts(int mask, int x, int y)
{
	switch (mask) {
	case 0: return (y + x) % 2 == 0;
	case 1: return y % 2 == 0;
	case 2: return x % 3 == 0;
	case 3: return (y + x) % 3 == 0;
	case 4: return (y / 2 + x / 3) % 2 == 0;
	case 5: return (y * x) % 2 + (y * x) % 3 == 0;
	case 6: return ((y * x) % 2 + (y * x) % 3) % 2 == 0;
	default: return ((y + x) % 2 + (y * x) % 3) % 2 == 0;
	}
}

static void make_mask_rows(void)
{
	for (int m = 0; m < 8; m++)
		for (int y = 0; y < MASK_PERIOD; y++)
			for (int x = 0; x < 64; x++)
				if (mask_inverts(m, x, y))
					mask_rows[m][y] |= 1ULL << x;
}

/*
 * Bits set in v. Written out rather than __builtin_popcountll: without -mpopcnt (not in the
 * x86-64 baseline) that builtin is a call into libgcc, a fifth of the scoring time.
 */
static inline unsigned ones(word v)
{
	v -= (v >> 1) & 0x5555555555555555ULL;
	v = (v & 0x3333333333333333ULL) + ((v >> 2) & 0x3333333333333333ULL);
	v = (v + (v >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (unsigned)((v * 0x0101010101010101ULL) >> 56);
}

/*
 * The 15 format bits for level M (indicator 00) and a mask: the 5 data bits, their
 * BCH(15,5) remainder under the generator 0x537, XORed with 0x5412 (18004 7.9.2).
 */
static unsigned format_bits(int mask)
{
	unsigned data = (unsigned)mask, rem = data << 10;

	for (int bit = 14; bit >= 10; bit--)
		if (rem & (1u << bit))
			rem ^= 0x537u << (bit - 10);
	return ((data << 10) | rem) ^ 0x5412u;
}

/* Where format bit i goes, in each of its two copies (18004 figure 25). */
static void format_position(int i, int copy, int width, int *x, int *y)
{
	if (copy == 0) {
		if (i < 6)
			*x = 8, *y = i;
		else if (i < 8)
			*x = 8, *y = i + 1;        /* skipping the timing pattern's row 6 */
		else if (i == 8)
			*x = 7, *y = 8;
		else
			*x = 14 - i, *y = 8;       /* bit 9 in column 5: column 6 is timing */
	} else if (i < 8) {
		*x = width - 1 - i, *y = 8;
	} else {
		*x = 8, *y = width - 15 + i;
	}
}

/* Rule N1 along a row: each run of 5 + k same-coloured modules costs 3 + k. */
static long runs_in_row(word same)
{
	word five = same & same >> 1 & same >> 2 & same >> 3 & same >> 4;
	/* ones(five) adds (length - 4) a run; each run also starts once: 2 more makes it 3 + k. */
	return (long)ones(five) + 2L * ones(five & ~(five << 1));
}

long kel__qr_mask_penalty(const word *row, int width)
{
	const word all = width >= 64 ? ~0ULL : (1ULL << width) - 1;
	long score = 0, dark = 0;
	word five_dark_prev = 0, five_light_prev = 0;

#define DARK(r) ((r) >= 0 && (r) < width ? row[(r)] : 0)
#define LIGHT(r) (~DARK(r))   /* outside the symbol: the quiet zone, light */
	for (int y = 0; y < width; y++) {
		word d = row[y], l = ~d;
		word core, before, after;

		dark += ones(d);
		/* N1, horizontal */
		score += runs_in_row(d) + runs_in_row(l & all);
		/* N2: a 2 x 2 block of one colour costs 3 (blocks may overlap) */
		if (y + 1 < width) {
			word e = row[y + 1], le = ~e & all, ld = l & all;
			score += 3L * ones(d & d >> 1 & e & e >> 1);
			score += 3L * ones(ld & ld >> 1 & le & le >> 1);
		}
		/*
		 * N3: dark-light-dark-dark-dark-light-dark (1:1:3:1:1) with four light modules
		 * before or after it costs 40. Bit x of core: the pattern starts in column x.
		 */
		core = d & l >> 1 & d >> 2 & d >> 3 & d >> 4 & l >> 5 & d >> 6;
		after = l >> 7 & l >> 8 & l >> 9 & l >> 10;
		before = (l << 1 | 1) & (l << 2 | 3) & (l << 3 | 7) & (l << 4 | 15);
		score += 40L * ones(core & (before | after));
		/* The same two rules down the columns, for the pattern or run starting in row y. */
		core = DARK(y) & LIGHT(y + 1) & DARK(y + 2) & DARK(y + 3) & DARK(y + 4) &
			LIGHT(y + 5) & DARK(y + 6);
		after = LIGHT(y + 7) & LIGHT(y + 8) & LIGHT(y + 9) & LIGHT(y + 10);
		before = LIGHT(y - 1) & LIGHT(y - 2) & LIGHT(y - 3) & LIGHT(y - 4);
		score += 40L * ones(core & (before | after));
		if (y + 5 <= width) {
			word fd = row[y] & row[y + 1] & row[y + 2] & row[y + 3] & row[y + 4];
			word fl = ~(row[y] | row[y + 1] | row[y + 2] | row[y + 3] | row[y + 4]) & all;
			/* as in runs_in_row: (length - 4) a run, and 2 where a run starts */
			score += ones(fd) + 2L * ones(fd & ~five_dark_prev);
			score += ones(fl) + 2L * ones(fl & ~five_light_prev);
			five_dark_prev = fd;
			five_light_prev = fl;
		}
	}
#undef DARK
#undef LIGHT
	/* N4: 10 for each full 5 % the dark share strays from 50 %. */
	{
		long total = (long)width * width, off = 20 * dark - 10 * total;
		score += 10L * ((off < 0 ? -off : off) / total);
	}
	return score;
}

/* The rows of code under mask 0 read back to no mask, and which modules a mask may touch. */
static void read_rows(const unsigned char *code, int width, word *plain, word *data)
{
	for (int y = 0; y < width; y++) {
		const unsigned char *v = code + y * width;
		word colour = 0, maskable = 0;
		for (int x = width - 1; x >= 0; x--) {
			colour = colour << 1 | (v[x] & 1);
			maskable = maskable << 1 | !(v[x] & FUNCTION_MODULE);
		}
		data[y] = maskable;
		plain[y] = colour ^ (mask_rows[0][y % MASK_PERIOD] & maskable);
	}
}

static void set_format(word *rows, int width, int mask)
{
	unsigned bits = format_bits(mask);

	for (int i = 0; i < 15; i++)
		for (int copy = 0; copy < 2; copy++) {
			int x, y;
			format_position(i, copy, width, &x, &y);
			if (bits >> i & 1)
				rows[y] |= 1ULL << x;
			else
				rows[y] &= ~(1ULL << x);
		}
}

static void masked_rows(word *out, const word *plain, const word *data, int width, int mask)
{
	for (int y = 0; y < width; y++)
		out[y] = plain[y] ^ (mask_rows[mask][y % MASK_PERIOD] & data[y]);
	set_format(out, width, mask);
}

static void write_back(unsigned char *code, const word *rows, int width)
{
	for (int y = 0; y < width; y++)
		for (int x = 0; x < width; x++) {
			unsigned char *v = &code[y * width + x];
			*v = (unsigned char)((*v & ~1u) | (rows[y] >> x & 1));
		}
}

int kel__qr_mask_apply(unsigned char *code, int width, int mask)
{
	word plain[KEL_QR_MASK_MAX_WIDTH], data[KEL_QR_MASK_MAX_WIDTH];
	word rows[KEL_QR_MASK_MAX_WIDTH];

	if (code == NULL || width < 21 || width > KEL_QR_MASK_MAX_WIDTH || mask < 0 || mask > 7)
		return -1;
	pthread_once(&mask_rows_once, make_mask_rows);
	read_rows(code, width, plain, data);
	masked_rows(rows, plain, data, width, mask);
	write_back(code, rows, width);
	return mask;
}

int kel__qr_mask_best(unsigned char *code, int width)
{
	word plain[KEL_QR_MASK_MAX_WIDTH], data[KEL_QR_MASK_MAX_WIDTH];
	word rows[KEL_QR_MASK_MAX_WIDTH], best_rows[KEL_QR_MASK_MAX_WIDTH];
	long best_score = -1;
	int best = 0;

	if (code == NULL || width < 21 || width > KEL_QR_MASK_MAX_WIDTH)
		return -1;
	pthread_once(&mask_rows_once, make_mask_rows);
	read_rows(code, width, plain, data);
	/* Ties go to the lower mask number, as in the order the standard lists them. */
	for (int m = 0; m < 8; m++) {
		long score;
		masked_rows(rows, plain, data, width, m);
		score = kel__qr_mask_penalty(rows, width);
		if (best_score < 0 || score < best_score) {
			best_score = score;
			best = m;
			memcpy(best_rows, rows, sizeof(word) * (size_t)width);
		}
	}
	write_back(code, best_rows, width);
	return best;
}
