/*
 * Shared helpers of the unit suites.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "kelisim.h"

char *th_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long size;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)size + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	data[size] = '\0';
	if (len)
		*len = (size_t)size;
	return data;
}

static char slots[4][4096];
static int next_slot;

static const char *join(const char *base, const char *relative)
{
	char *out = slots[next_slot++ % 4];
	snprintf(out, sizeof(slots[0]), "%s/%s", base, relative);
	return out;
}

const char *th_source(const char *relative)
{
	return join(KELISIM_SOURCE_DIR, relative);
}

const char *th_pki(const char *name)
{
	const char *dir = getenv("KELISIM_TEST_PKI");
	return join(dir ? dir : "test-pki", name);
}

struct kel_key *th_operator_key(void)
{
	kel_key *key = NULL;

	ck_assert_msg(kel_key_load_pem(&key, th_pki("operator.key"), th_pki("operator.crt"),
		th_pki("chain.pem"), NULL, 0) == 0, "%s", th_error_message());
	return key;
}

char *th_replace_all(char *s, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	const char *p = s, *q;
	char *out, *o;

	for (const char *c = strstr(s, from); c; c = strstr(c + fl, from))
		n++;
	out = o = malloc(strlen(s) + n * tl + 1);
	ck_assert_ptr_nonnull(out);
	while ((q = strstr(p, from))) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		memcpy(o, to, tl);
		o += tl;
		p = q + fl;
	}
	strcpy(o, p);
	free(s);
	return out;
}

const char *th_error_message(void)
{
	const kel_error *e = kel_error_last();
	return e ? e->message : "";
}

void th_setup(void)
{
	ck_assert_int_eq(kel_init(), 0);
}

void th_teardown(void)
{
	kel_shutdown();
}

int th_run_suite(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
