/*
 * Per-thread error state.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>

#include "error_internal.h"
#include "buf_internal.h"

static _Thread_local kel_error last_error;
static _Thread_local kel_buf last_message = KEL_BUF_INIT;
static _Thread_local int has_error;
static _Thread_local kel_buf xml_errors = KEL_BUF_INIT;

static const char oom_message[] = "out of memory";

/*
 * The messages live in thread-local buffers. A thread the caller starts (store add's
 * verifying workers, say) and lets end would leak them: the first message a thread records
 * arms a thread-specific key whose destructor frees them when the thread ends. The main
 * thread's are freed by kel_shutdown().
 */
static pthread_key_t cleanup_key;
static pthread_once_t cleanup_once = PTHREAD_ONCE_INIT;
static int cleanup_key_ok;
static _Thread_local int cleanup_armed;

static void cleanup_at_thread_exit(void *unused)
{
	(void)unused;
	kel__error_thread_cleanup();
}

static void make_cleanup_key(void)
{
	cleanup_key_ok = pthread_key_create(&cleanup_key, cleanup_at_thread_exit) == 0;
}

static void arm_cleanup(void)
{
	if (cleanup_armed)
		return;
	pthread_once(&cleanup_once, make_cleanup_key);
	/* Any non-NULL value: the destructor only runs for keys with one. */
	if (cleanup_key_ok && pthread_setspecific(cleanup_key, &cleanup_armed) == 0)
		cleanup_armed = 1;
}

static int set_message(const char *fmt, va_list ap)
{
	arm_cleanup();
	kel_buf_clear(&last_message);
	return kel_buf_vprintf(&last_message, fmt, ap);
}

static void record(int code, const char *file, int line, const char *func)
{
	last_error.code = code;
	last_error.message = last_message.ptr ? last_message.ptr : oom_message;
	last_error.file = file;
	last_error.line = line;
	last_error.function = func;
	has_error = 1;
}

int kel__error_set(int code, const char *file, int line, const char *func,
	const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (set_message(fmt, ap) < 0)
		kel_buf_dispose(&last_message);
	va_end(ap);
	record(code, file, line, func);
	return code;
}

int kel__error_set_openssl(int code, const char *file, int line, const char *func,
	const char *fmt, ...)
{
	va_list ap;
	unsigned long e;
	char text[256];
	int first = 1;

	va_start(ap, fmt);
	if (set_message(fmt, ap) < 0)
		kel_buf_dispose(&last_message);
	va_end(ap);

	/* The queue holds the deepest error first; the library and reason name the cause. */
	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, text, sizeof(text));
		kel_buf_printf(&last_message, "%s%s", first ? ": " : "; ", text);
		first = 0;
	}
	record(code, file, line, func);
	return code;
}

const kel_error *kel_error_last(void)
{
	return has_error ? &last_error : NULL;
}

void kel_error_clear(void)
{
	has_error = 0;
	kel_buf_clear(&last_message);
	memset(&last_error, 0, sizeof(last_error));
}

const char *kel_strerror(int code)
{
	switch (code) {
	case KEL_OK: return "no error";
	case KEL_ERROR: return "error";
	case KEL_EINVAL: return "invalid argument";
	case KEL_ENOMEM: return "out of memory";
	case KEL_EIO: return "input/output error";
	case KEL_EPARSE: return "malformed input";
	case KEL_EINVALID: return "input refused as invalid";
	case KEL_ECRYPTO: return "cryptographic failure";
	case KEL_ENOTFOUND: return "not found";
	case KEL_EUNSUPPORTED: return "not supported";
	case KEL_ETOOBIG: return "input too large";
	case KEL_ENEEDPASS: return "passphrase needed";
	default: return "unknown error";
	}
}

void kel__xmlerr_reset(void)
{
	kel_buf_clear(&xml_errors);
}

const char *kel__xmlerr_text(void)
{
	return xml_errors.ptr ? xml_errors.ptr : "";
}

void kel__xmlerr_add(const char *fmt, ...)
{
	va_list ap;

	/* Keep the first few messages: a hostile document can make the parser say a lot. */
	if (xml_errors.size > 2048)
		return;
	arm_cleanup();
	if (xml_errors.size > 0)
		kel_buf_puts(&xml_errors, "; ");
	va_start(ap, fmt);
	kel_buf_vprintf(&xml_errors, fmt, ap);
	va_end(ap);
	/* libxml2 messages end with a newline; one line per message reads better. */
	while (xml_errors.size > 0 && (xml_errors.ptr[xml_errors.size - 1] == '\n'))
		xml_errors.ptr[--xml_errors.size] = '\0';
}

void kel__error_thread_cleanup(void)
{
	kel_buf_dispose(&last_message);
	kel_buf_dispose(&xml_errors);
	has_error = 0;
}
