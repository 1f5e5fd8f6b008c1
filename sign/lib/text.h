/*
 * Checks on the strings that go into a document: people's names, addresses, purposes, dates,
 * country codes. One place decides what text a signed document may carry.
 */
#ifndef KEL_TEXT_H
#define KEL_TEXT_H

#include <stddef.h>
#include <time.h>

/* Limits in characters (code points), matching the schema's Text and LongText types. */
#define KEL_TEXT_MAX 2048
#define KEL_LONGTEXT_MAX 16384

/*
 * NULL when s is acceptable free text of at most max_chars characters; otherwise a short
 * reason. Refused: empty text, leading or trailing blanks, invalid UTF-8, control characters
 * (C0, DEL, C1; a line break too: each value is one line), the non-characters U+FFFE/U+FFFF,
 * and bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), which can make a
 * signed name display as something else. The reason is a static string, or for the length a
 * per-thread buffer valid until the next call on the same thread.
 */
const char *kel__text_problem(const char *s, size_t max_chars);

/* Non-zero when s is a calendar date written YYYY-MM-DD (year 1900-9999). */
int kel__date_is_valid(const char *s);

/* Format t as YYYY-MM-DDThh:mm:ssZ into out (21 bytes). */
void kel__utc_format(time_t t, char out[21]);

/*
 * The calendar date in Kazakhstan at t, as YYYY-MM-DD into out (11 bytes). The country has
 * kept one time zone, UTC+5, since 1 March 2024; a consent given at 02:00 in Almaty is
 * dated that day, not the UTC day before.
 */
void kel__kz_date(time_t t, char out[11]);

/* Non-zero when code is an assigned ISO 3166-1 alpha-2 country code. */
int kel__country_is_known(const char *code);

/* Non-zero when s looks like a telephone number: optional '+', digits, spaces, ()-; 7-15 digits. */
int kel__phone_is_valid(const char *s);

/* Non-zero when s looks like an e-mail address: local@domain.tld, no blanks. */
int kel__email_is_valid(const char *s);

#endif
