/*
 * libFuzzer target: kel_verify on arbitrary bytes, with the test root as trust anchor when
 * KELISIM_FUZZ_TRUST names it. Whatever the input, verification returns a report (or a clean
 * error) and both report forms can be written.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "kelisim.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *trust;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	if (kel_init() < 0)
		abort();
	trust = getenv("KELISIM_FUZZ_TRUST");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kel_verify_options o = KEL_VERIFY_OPTIONS_INIT;
	kel_report *r = NULL;
	kel_buf out = KEL_BUF_INIT;

	o.trust_file = trust;
	if (kel_verify(&r, (const char *)data, size, &o) == 0) {
		if (kel_report_to_json(r, &out) < 0 || kel_report_to_text(r, &out) < 0)
			abort();
		/* A fuzzed input must never pass: it carries no signature by a test key. */
		if (trust == NULL && kel_report_indication(r) == KEL_INDICATION_PASSED)
			abort();
	}
	kel_buf_dispose(&out);
	kel_report_free(r);
	return 0;
}
