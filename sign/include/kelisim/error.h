/*
 * Errors.
 *
 * Every call that can fail returns an int: 0 (KEL_OK) on success, or one of the negative
 * codes below. The details of the last failure on the calling thread — code, message and the
 * place in the library that raised it — are kept until the next failure and read with
 * kel_error_last(). Messages name what was wrong ("subject.iin: control digit mismatch") and,
 * when several things were wrong at once, list one per line.
 *
 * Codes are never renumbered; a retired code keeps its number.
 */
#ifndef KELISIM_ERROR_H
#define KELISIM_ERROR_H

#include "common.h"

typedef enum {
	KEL_OK = 0,
	KEL_ERROR = -1,       /* anything not covered below */
	KEL_EINVAL = -2,      /* a bad argument to a library call */
	KEL_ENOMEM = -3,      /* out of memory */
	KEL_EIO = -4,         /* a file could not be read or written */
	KEL_EPARSE = -5,      /* input is not well-formed JSON or XML, or carries a DTD */
	KEL_EINVALID = -6,    /* input is well-formed but refused: request or document invalid */
	KEL_ECRYPTO = -7,     /* a cryptographic operation failed */
	KEL_ENOTFOUND = -8,   /* a named thing (template, key, document) does not exist */
	KEL_EUNSUPPORTED = -9,/* valid, but not something this build can do */
	KEL_ETOOBIG = -10,    /* input over a size limit */
	KEL_ENEEDPASS = -11   /* the key is encrypted and no passphrase was given */
} kel_error_code;

typedef struct kel_error {
	int code;             /* one of kel_error_code */
	const char *message;  /* never NULL */
	const char *file;     /* source file of the library that raised it */
	int line;
	const char *function;
} kel_error;

/* The last error raised on this thread, or NULL when there was none since kel_error_clear(). */
KEL_EXTERN(const kel_error *) kel_error_last(void);

/* Forget the last error of this thread. */
KEL_EXTERN(void) kel_error_clear(void);

/* A short fixed description of a code ("input refused as invalid"). */
KEL_EXTERN(const char *) kel_strerror(int code);

#endif
