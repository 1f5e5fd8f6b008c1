/*
 * Kazakh identification numbers: IIN (individual) and BIN (business).
 *
 * Both are 12 digits whose last is a control digit: the first eleven digits weighted 1..11,
 * summed, modulo 11; if that gives 10, weighted 3..11,1,2 and taken modulo 11 again; a second
 * 10 means no valid number exists with those eleven digits. An IIN also begins with the
 * holder's birth date (YYMMDD) and a century/sex digit; a BIN with the registration year and
 * month (YYMM).
 */
#ifndef KELISIM_KZID_H
#define KELISIM_KZID_H

#include "common.h"

/*
 * The control digit for the first eleven digits of s (which must be digits), or -1 when the
 * algorithm yields none.
 */
KEL_EXTERN(int) kel_kzid_control_digit(const char *s);

/*
 * Check an IIN. Returns 0 when valid; otherwise KEL_EINVALID and *why (if why is not NULL)
 * points to a static reason such as "control digit mismatch".
 */
KEL_EXTERN(int) kel_kzid_check_iin(const char *s, const char **why);

/* Check a BIN, likewise. */
KEL_EXTERN(int) kel_kzid_check_bin(const char *s, const char **why);

#endif
