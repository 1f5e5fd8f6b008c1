/*
 * What the benchmarks share: a clock, a way to stop on a failed call, reading a file.
 */
#ifndef KELISIM_BENCH_UTIL_H
#define KELISIM_BENCH_UTIL_H

#include <stddef.h>

/* Seconds on the monotonic clock. */
double bench_now(void);

/* Print "PROGRAM: what: LAST ERROR" and exit 1. */
void bench_die(const char *what) __attribute__((noreturn));

/* bench_die(what) when rc is negative. */
void bench_check(int rc, const char *what);

/* The whole file, NUL-terminated (free() it); exits on failure. */
char *bench_read_file(const char *path, size_t *len);

#endif
