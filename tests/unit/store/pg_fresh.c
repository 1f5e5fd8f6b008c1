/*
 * A fresh PostgreSQL database per test (see store_pg_test.h).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store_pg_test.h"

#ifdef KELISIM_WITH_PQ
#include <libpq-fe.h>

int th_pg_fresh_database(char *out, size_t size, const char *base, int n)
{
	char uri[512], name[64], sql[128];
	size_t bl = strlen(base);
	const char *sep = (bl && base[bl - 1] == '/') ? "" : "/";
	PGconn *c;
	PGresult *r;
	int ok;

	snprintf(name, sizeof name, "kelisim_test_%ld_%d", (long)getpid(), n);
	snprintf(uri, sizeof uri, "%s%spostgres", base, sep);
	c = PQconnectdb(uri);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "%s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "%s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	snprintf(out, size, "%s%s%s", base, sep, name);
	return ok ? 0 : -1;
}
#else
int th_pg_fresh_database(char *out, size_t size, const char *base, int n)
{
	(void)out; (void)size; (void)base; (void)n;
	fprintf(stderr, "this build has no PostgreSQL back end\n");
	return -1;
}
#endif
