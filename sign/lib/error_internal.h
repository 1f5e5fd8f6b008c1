/*
 * Raising errors inside the library.
 */
#ifndef KEL_ERROR_INTERNAL_H
#define KEL_ERROR_INTERNAL_H

#include <stdarg.h>
#include "kelisim/error.h"

/* Record an error for this thread and return code, so callers can `return kel_fail(...)`. */
#define kel_fail(code, ...) \
	kel__error_set((code), __FILE__, __LINE__, __func__, __VA_ARGS__)

/* As kel_fail, with the text of OpenSSL's error queue appended (and the queue emptied). */
#define kel_fail_openssl(code, ...) \
	kel__error_set_openssl((code), __FILE__, __LINE__, __func__, __VA_ARGS__)

int kel__error_set(int code, const char *file, int line, const char *func,
	const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int kel__error_set_openssl(int code, const char *file, int line, const char *func,
	const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * libxml2, libxslt and xmlsec report problems through callbacks; the library collects their
 * messages per thread between kel__xmlerr_reset() and kel__xmlerr_text(), so that a failure
 * can carry the parser's own words ("line 3: Opening and ending tag mismatch").
 */
void kel__xmlerr_reset(void);
const char *kel__xmlerr_text(void);   /* "" when nothing was reported */
void kel__xmlerr_add(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
