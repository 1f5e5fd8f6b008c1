/*
 * The store suite's PostgreSQL helper: a fresh database per test on a throw-away server.
 */
#ifndef KELISIM_TEST_STORE_PG_H
#define KELISIM_TEST_STORE_PG_H

#include <stddef.h>

/*
 * Create database "kelisim_test_PID_N" on the server at base (a postgresql:// URI without a
 * database, whose user may create databases) and write its URI into out. 0 on success.
 */
int th_pg_fresh_database(char *out, size_t size, const char *base, int n);

#endif
