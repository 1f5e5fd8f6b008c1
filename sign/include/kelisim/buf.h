/*
 * Byte buffers handed out by the library.
 *
 * Memory the library returns in a kel_buf belongs to the caller and is released with
 * kel_buf_dispose(), never with free(): do not mix allocators.
 */
#ifndef KELISIM_BUF_H
#define KELISIM_BUF_H

#include "common.h"

typedef struct kel_buf {
	char *ptr;     /* NUL-terminated for convenience; size excludes the NUL */
	size_t size;
	size_t asize;  /* allocated size, internal */
} kel_buf;

#define KEL_BUF_INIT { NULL, 0, 0 }

/* Release the memory of buf and reset it to empty. Safe on an empty or disposed buffer. */
KEL_EXTERN(void) kel_buf_dispose(kel_buf *buf);

#endif
