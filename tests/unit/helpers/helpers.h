/*
 * What the unit suites share.
 */
#ifndef KELISIM_TEST_HELPERS_H
#define KELISIM_TEST_HELPERS_H

#include <stddef.h>
#include <check.h>

/* Read a whole file; aborts the test on failure. Free with free(). */
char *th_read_file(const char *path, size_t *len);

/* A path below the source tree, in a static buffer per call slot (4 slots). */
const char *th_source(const char *relative);

/* A path below the test PKI (KELISIM_TEST_PKI), likewise. */
const char *th_pki(const char *name);

/* The test PKI's operator key (EC P-256) with its certificate and chain; free with kel_key_free. */
struct kel_key *th_operator_key(void);

/* Replace every occurrence of from by to in s, a malloc()ed string that is freed. */
char *th_replace_all(char *s, const char *from, const char *to);

/* The last library error's message, or "" — for assertions on what was refused. */
const char *th_error_message(void);

/*
 * Run one suite with kel_init()/kel_shutdown() around it (in each forked test too, via the
 * checked fixture), print Check's summary line, and return the process exit code.
 */
int th_run_suite(Suite *suite);

/* A checked fixture that calls kel_init() / kel_shutdown(); add it to each TCase. */
void th_setup(void);
void th_teardown(void);

#endif
