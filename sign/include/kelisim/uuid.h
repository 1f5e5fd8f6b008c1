/*
 * UUIDs (RFC 9562) as document identifiers.
 */
#ifndef KELISIM_UUID_H
#define KELISIM_UUID_H

#include "common.h"

#define KEL_UUID_STRLEN 36

/*
 * Write a new UUIDv7 (Unix milliseconds, then 74 random bits) in lower-case text form into
 * out, which must hold KEL_UUID_STRLEN + 1 bytes. The random bits come from OpenSSL's CSPRNG.
 */
KEL_EXTERN(int) kel_uuid7_generate(char out[KEL_UUID_STRLEN + 1]) KEL_WARN_UNUSED;

/* Non-zero when s is a UUID in canonical lower-case text form, of any version 1..8. */
KEL_EXTERN(int) kel_uuid_is_valid(const char *s);

#endif
