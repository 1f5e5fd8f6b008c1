/*
 * Helpers shared by the benchmarks.
 */
#define _GNU_SOURCE   /* program_invocation_short_name */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_util.h"
#include "kelisim.h"

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bench_die(const char *what)
{
	const kel_error *e = kel_error_last();

	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		e ? e->message : "failed");
	exit(1);
}

void bench_check(int rc, const char *what)
{
	if (rc < 0)
		bench_die(what);
}

char *bench_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		bench_die(path);
	if ((data = malloc((size_t)n + 1)) == NULL || fread(data, 1, (size_t)n, f) != (size_t)n)
		bench_die(path);
	fclose(f);
	data[n] = '\0';
	*len = (size_t)n;
	return data;
}
