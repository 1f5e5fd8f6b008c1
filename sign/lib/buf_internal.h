/*
 * Growing byte buffers, for the library's own use.
 */
#ifndef KEL_BUF_INTERNAL_H
#define KEL_BUF_INTERNAL_H

#include <stdarg.h>
#include "kelisim/buf.h"

/* Each returns 0, or KEL_ENOMEM (recorded as the thread's error). */
int kel_buf_grow(kel_buf *buf, size_t extra);
int kel_buf_put(kel_buf *buf, const void *data, size_t len);
int kel_buf_puts(kel_buf *buf, const char *s);
int kel_buf_printf(kel_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int kel_buf_vprintf(kel_buf *buf, const char *fmt, va_list ap);

/* Empty the buffer but keep its memory. */
void kel_buf_clear(kel_buf *buf);

/* Hand the memory to the caller as a NUL-terminated string; buf is left empty. */
char *kel_buf_detach(kel_buf *buf);

void kel__error_thread_cleanup(void);

#endif
