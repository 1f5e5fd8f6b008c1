/*
 * UUIDv7 (RFC 9562 §5.7).
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <openssl/rand.h>

#include "kelisim/uuid.h"
#include "error_internal.h"

int kel_uuid7_generate(char out[KEL_UUID_STRLEN + 1])
{
	unsigned char b[16];
	struct timespec ts;
	uint64_t ms;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return kel_fail(KEL_ERROR, "cannot read the clock");
	ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)(ts.tv_nsec / 1000000);
	if (RAND_bytes(b + 6, 10) != 1)
		return kel_fail_openssl(KEL_ECRYPTO, "random generator failed");
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));   /* version 7 */
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));   /* variant 10 */

	snprintf(out, KEL_UUID_STRLEN + 1,
		"%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
		b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

int kel_uuid_is_valid(const char *s)
{
	if (s == NULL || strlen(s) != KEL_UUID_STRLEN)
		return 0;
	for (int i = 0; i < KEL_UUID_STRLEN; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			return 0;
		}
	}
	if (s[14] < '1' || s[14] > '8')
		return 0;
	return s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b';
}
