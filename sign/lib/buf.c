/*
 * Growing byte buffers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#include "buf_internal.h"
#include "error_internal.h"

void kel_buf_dispose(kel_buf *buf)
{
	if (buf == NULL)
		return;
	free(buf->ptr);
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
}

void kel_buf_clear(kel_buf *buf)
{
	buf->size = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

int kel_buf_grow(kel_buf *buf, size_t extra)
{
	size_t need, asize;
	char *p;

	if (extra > SIZE_MAX - buf->size - 1)
		return kel_fail(KEL_ENOMEM, "buffer size overflow");
	need = buf->size + extra + 1;
	if (need <= buf->asize)
		return 0;
	asize = buf->asize ? buf->asize : 64;
	while (asize < need)
		asize = asize > SIZE_MAX / 2 ? need : asize * 2;
	p = realloc(buf->ptr, asize);
	if (p == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	buf->ptr = p;
	buf->asize = asize;
	return 0;
}

int kel_buf_put(kel_buf *buf, const void *data, size_t len)
{
	if (kel_buf_grow(buf, len) < 0)
		return KEL_ENOMEM;
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int kel_buf_puts(kel_buf *buf, const char *s)
{
	return kel_buf_put(buf, s, strlen(s));
}

int kel_buf_vprintf(kel_buf *buf, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return kel_fail(KEL_ERROR, "bad format");
	if (kel_buf_grow(buf, (size_t)n) < 0)
		return KEL_ENOMEM;
	vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
	buf->size += (size_t)n;
	return 0;
}

int kel_buf_printf(kel_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = kel_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return rc;
}

char *kel_buf_detach(kel_buf *buf)
{
	char *p;

	if (buf->ptr == NULL && kel_buf_grow(buf, 0) < 0)
		return NULL;
	p = buf->ptr;
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
	return p;
}
