/*
 * Choosing a QR code's data mask quickly (ISO/IEC 18004:2015, 7.8).
 *
 * libqrencode picks the mask by drawing all eight masked symbols and scoring each byte by
 * byte: about 90 % of the time it takes to make a version 9 code. Here the symbol is kept as
 * one 64-bit word a row, so scoring a mask is a few thousand word operations. libqrencode
 * still does everything else (segments, Reed-Solomon, module placement): it is asked for the
 * symbol under mask 0, and the mask is then swapped here for the best one.
 */
#ifndef KEL_QR_MASK_H
#define KEL_QR_MASK_H

/* The widest symbol handled here: version 10 (57 modules). Wider ones keep libqrencode's. */
#define KEL_QR_MASK_MAX_WIDTH 57

/*
 * The penalty score of a symbol given as one word a row (bit x of row[y] set: module (x, y)
 * is dark), width modules a side (at most KEL_QR_MASK_MAX_WIDTH): rules N1 to N4 of
 * 18004 7.8.3.1, the quiet zone counting as light for the finder-like rule.
 */
long kel__qr_mask_penalty(const unsigned long long *row, int width);

/*
 * code: width * width bytes of a libqrencode symbol at error-correction level M made under
 * mask 0 (bit 0 the colour, bit 7 set on function modules). Rewrites it under the mask with
 * the lowest penalty, format information included, and returns that mask (0-7); -1 when
 * width is out of range (code untouched).
 */
int kel__qr_mask_best(unsigned char *code, int width);

/* Rewrite code (as above, under mask 0) under the given mask; -1 if out of range. */
int kel__qr_mask_apply(unsigned char *code, int width, int mask);

#endif
