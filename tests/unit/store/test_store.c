/*
 * The evidence store: adding and reading back exact bytes, refusals that leave the store
 * unchanged, idempotence, queries and DPV status, erasure, proofs checked against an
 * independent RFC 9162 computation, and tamper detection by kel_store_check.
 *
 * Runs against SQLite; with KELISIM_TEST_PG set to a PostgreSQL URI of a server where the
 * user may create databases (e.g. "postgresql://postgres@127.0.0.1:5433"), against
 * PostgreSQL instead (a fresh database per test).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/sha.h>

#include "helpers.h"
#include "kelisim.h"
#include "store_backend.h"
#include "store_pg_test.h"

/* ---- Fixtures ------------------------------------------------------------------------- */

static int counter;

/* A fresh, empty store's URI. */
static const char *fresh_uri(void)
{
	static char uri[512];
	const char *pg = getenv("KELISIM_TEST_PG");
	counter++;
	if (pg && *pg) {
		ck_assert_msg(th_pg_fresh_database(uri, sizeof uri, pg, counter) == 0,
			"cannot make a PostgreSQL database at %s", pg);
		return uri;
	}
	char dir[] = "/tmp/kelisim-store-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(uri, sizeof uri, "sqlite:%s/test.db", dir);
	return uri;
}

static kel_store *open_store(const char *uri, time_t now)
{
	kel_store_options o = KEL_STORE_OPTIONS_INIT;
	kel_store *s = NULL;
	o.trust_file = th_pki("root.crt");
	o.now = now;
	ck_assert_msg(kel_store_open(&s, uri, &o) == 0, "open %s: %s", uri, th_error_message());
	return s;
}

/* An IIN with a valid control digit, varied by k. */
static void iin_for(char out[13], int k)
{
	for (;; k += 10000) {
		snprintf(out, 13, "9001013%04d", k % 10000);
		int d = kel_kzid_control_digit(out);
		if (d >= 0) {
			out[11] = (char)('0' + d);
			out[12] = '\0';
			return;
		}
	}
}

struct spec {
	const char *example;      /* consent, transfer-notice, withdrawal, ... */
	const char *iin;          /* NULL: the example's */
	const char *refers_to;    /* withdrawal */
	const char *until;        /* consent period's end, NULL: the example's */
	time_t issued_at;         /* 0: now */
	int unsigned_doc;
};

/* A signed document made from an example request, as bytes (free()). */
static char *make(const struct spec *sp, size_t *len, char id[37])
{
	kel_doc_new_options o = KEL_DOC_NEW_OPTIONS_INIT;
	char path[128];
	size_t jl;
	kel_doc *doc = NULL;
	kel_buf b = KEL_BUF_INIT;
	char *json, *out;

	snprintf(path, sizeof path, "schemas/examples/%s.json", sp->example);
	json = th_read_file(th_source(path), &jl);
	if (sp->iin)
		json = th_replace_all(json, "900101300007", sp->iin);
	if (sp->refers_to)
		json = th_replace_all(json, "019ab4c2-8e10-7a3c-9f21-5d6e7f8a9b0c", sp->refers_to);
	if (sp->until)
		json = th_replace_all(json, "\"until\": \"2029-11-25\"", sp->until);
	o.issued_at = sp->issued_at;
	ck_assert_msg(kel_doc_new(&doc, json, strlen(json), &o) == 0, "%s", th_error_message());
	if (!sp->unsigned_doc) {
		kel_key *key = th_operator_key();
		ck_assert_msg(kel_xades_sign(doc, key, NULL) == 0, "%s", th_error_message());
		kel_key_free(key);
	}
	ck_assert_int_eq(kel_doc_write(&b, doc), 0);
	if (id)
		snprintf(id, 37, "%s", kel_doc_id(doc));
	out = malloc(b.size + 1);
	memcpy(out, b.ptr, b.size + 1);
	*len = b.size;
	kel_buf_dispose(&b);
	kel_doc_free(doc);
	free(json);
	return out;
}

static char *consent(size_t *len, char id[37])
{
	struct spec sp = { "consent", NULL, NULL, NULL, 0, 0 };
	return make(&sp, len, id);
}

static void add_ok(kel_store *s, const char *xml, size_t len, kel_store_added *a)
{
	kel_store_added tmp;
	ck_assert_msg(kel_store_add(s, xml, len, a ? a : &tmp) == 0, "add: %s",
		th_error_message());
}

static uint64_t size_of(kel_store *s)
{
	uint64_t n = 0;
	ck_assert_int_eq(kel_store_log_size(s, &n), 0);
	return n;
}

static int count_fn(void *ctx, const kel_store_entry *e)
{
	(void)e;
	(*(int *)ctx)++;
	return 0;
}

static int count_list(kel_store *s, const kel_store_filter *f)
{
	int n = 0;
	ck_assert_msg(kel_store_list(s, f, count_fn, &n) == 0, "%s", th_error_message());
	return n;
}

static void check_ok(kel_store *s)
{
	kel_store_check_result r;
	ck_assert_msg(kel_store_check(s, NULL, NULL, &r) == 0, "%s", th_error_message());
	ck_assert_msg(r.ok, "check: %s", r.problem);
}

/* ---- Adding and reading ----------------------------------------------------------------- */

START_TEST(test_store__add_get_exact_bytes)
{
	const char *uri = fresh_uri();
	kel_store *s = open_store(uri, 0);
	kel_store_added a;
	kel_buf out = KEL_BUF_INIT;
	char id[37];
	size_t len;
	char *xml = consent(&len, id);

	add_ok(s, xml, len, &a);
	ck_assert_str_eq(a.id, id);
	ck_assert_int_eq(a.already, 0);
	ck_assert_uint_eq(a.leaf, 0);
	ck_assert_uint_eq(a.tree_size, 1);
	kel_store_free(s);

	/* read back through a new handle: the exact bytes */
	s = open_store(uri, 0);
	ck_assert_int_eq(kel_store_get(s, id, &out), 0);
	ck_assert_uint_eq(out.size, len);
	ck_assert(memcmp(out.ptr, xml, len) == 0);
	ck_assert_int_eq(kel_store_get(s, "01a212c8-0000-7000-8000-000000000000", &out),
		KEL_ENOTFOUND);
	ck_assert_str_eq(th_error_message(),
		"document '01a212c8-0000-7000-8000-000000000000': not in the store");
	check_ok(s);
	kel_buf_dispose(&out);
	kel_store_free(s);
	free(xml);
}
END_TEST

START_TEST(test_store__refusals_leave_store_unchanged)
{
	kel_store *s = open_store(fresh_uri(), 0);
	struct spec unsig = { "consent", NULL, NULL, NULL, 0, 1 };
	size_t len, ulen;
	char *xml = consent(&len, NULL), *uns = make(&unsig, &ulen, NULL);
	char *tampered = strdup(xml);
	kel_store_added a;

	/* unsigned */
	ck_assert_int_eq(kel_store_add(s, uns, ulen, &a), KEL_EINVALID);
	ck_assert_str_eq(th_error_message(),
		"document not accepted: TOTAL-FAILED: the document carries no signature");
	/* one changed byte in the signed content */
	*strstr(tampered, "arman@example.kz") = 'A';
	ck_assert_int_eq(kel_store_add(s, tampered, len, &a), KEL_EINVALID);
	ck_assert_msg(strstr(th_error_message(), "TOTAL-FAILED / HASH_FAILURE") != NULL, "%s",
		th_error_message());
	/* truncated */
	ck_assert_int_lt(kel_store_add(s, xml, len / 2, &a), 0);
	/* not a kelisim document */
	ck_assert_int_eq(kel_store_add(s, "<a/>", 4, &a), KEL_EINVALID);
	ck_assert_msg(strstr(th_error_message(), "not accepted") != NULL, "%s",
		th_error_message());
	/* not XML at all */
	ck_assert_int_lt(kel_store_add(s, "hello", 5, &a), 0);

	ck_assert_uint_eq(size_of(s), 0);
	ck_assert_int_eq(count_list(s, NULL), 0);
	check_ok(s);
	kel_store_free(s);

	/* no trust anchor: INDETERMINATE, refused */
	{
		kel_store *s2 = NULL;
		kel_store_options o = KEL_STORE_OPTIONS_INIT;
		ck_assert_int_eq(kel_store_open(&s2, fresh_uri(), &o), 0);
		ck_assert_int_eq(kel_store_add(s2, xml, len, &a), KEL_EINVALID);
		ck_assert_msg(strstr(th_error_message(), "NO_CERTIFICATE_CHAIN_FOUND") != NULL,
			"%s", th_error_message());
		ck_assert_uint_eq(size_of(s2), 0);
		kel_store_free(s2);
	}
	free(xml);
	free(uns);
	free(tampered);
}
END_TEST

START_TEST(test_store__idempotent_and_conflicting_add)
{
	kel_store *s = open_store(fresh_uri(), 0);
	kel_doc *doc = NULL;
	kel_key *key = th_operator_key();
	kel_buf b1 = KEL_BUF_INIT, b2 = KEL_BUF_INIT;
	kel_store_added a;
	size_t len;
	char *xml = consent(&len, NULL);

	add_ok(s, xml, len, &a);
	add_ok(s, xml, len, &a);
	ck_assert_int_eq(a.already, 1);
	ck_assert_uint_eq(a.leaf, 0);
	ck_assert_uint_eq(size_of(s), 1);
	ck_assert_int_eq(count_list(s, NULL), 1);

	/* the same id signed twice: two different byte strings */
	{
		size_t jl;
		char *json = th_read_file(th_source("schemas/examples/consent.json"), &jl);
		ck_assert_int_eq(kel_doc_new(&doc, json, jl, NULL), 0);
		free(json);
	}
	ck_assert_int_eq(kel_doc_write(&b1, doc), 0);
	ck_assert_int_eq(kel_xades_sign(doc, key, NULL), 0);
	ck_assert_int_eq(kel_doc_write(&b1, doc), 0);
	ck_assert_int_eq(kel_xades_sign(doc, key, NULL), 0);   /* a second, parallel signature */
	ck_assert_int_eq(kel_doc_write(&b2, doc), 0);
	add_ok(s, b1.ptr, b1.size, &a);
	ck_assert_int_eq(a.already, 0);
	ck_assert_int_eq(kel_store_add(s, b2.ptr, b2.size, &a), KEL_EINVALID);
	ck_assert_msg(strstr(th_error_message(), "is already stored with other content") != NULL,
		"%s", th_error_message());
	ck_assert_uint_eq(size_of(s), 2);
	check_ok(s);
	kel_buf_dispose(&b1);
	kel_buf_dispose(&b2);
	kel_doc_free(doc);
	kel_key_free(key);
	kel_store_free(s);
	free(xml);
}
END_TEST

/* ---- Queries and status ----------------------------------------------------------------- */

struct status_seen {
	int n;
	char id[4][37];
	kel_store_status st[4];
	char notice[4][37];
	char withdrawn_by[4][37];
};

static int status_fn(void *ctx, const kel_store_entry *e)
{
	struct status_seen *ss = ctx;
	if (ss->n < 4) {
		snprintf(ss->id[ss->n], 37, "%s", e->id);
		ss->st[ss->n] = e->status;
		snprintf(ss->notice[ss->n], 37, "%s", e->notice_id ? e->notice_id : "");
		snprintf(ss->withdrawn_by[ss->n], 37, "%s", e->withdrawn_by ? e->withdrawn_by : "");
	}
	ss->n++;
	return 0;
}

static struct status_seen status_of(kel_store *s, const char *iin)
{
	struct status_seen ss;
	memset(&ss, 0, sizeof ss);
	ck_assert_msg(kel_store_subject_status(s, iin, status_fn, &ss) == 0, "%s",
		th_error_message());
	return ss;
}

/* ---- Adding in two halves: preparing on threads, storing in order -------------------- */

#define PREP_DOCS 12
#define PREP_THREADS 4

struct prep_job {
	kel_store *store;
	char **xml;
	size_t *len;
	kel_store_prepared **out;
	int *rc;
	int first;       /* this thread prepares first, first + PREP_THREADS, ... */
};

static void *prepare_some(void *arg)
{
	struct prep_job *j = arg;

	for (int i = j->first; i < PREP_DOCS; i += PREP_THREADS)
		j->rc[i] = kel_store_prepare(j->store, j->xml[i], j->len[i], &j->out[i]);
	return NULL;
}

START_TEST(test_store__prepare_on_threads_then_add_in_order)
{
	kel_store *s = open_store(fresh_uri(), 0), *other = open_store(fresh_uri(), 0);
	struct spec wd = { "withdrawal", NULL, NULL, NULL, 0, 0 };
	char *xml[PREP_DOCS], ids[PREP_DOCS][37], iin[13];
	size_t len[PREP_DOCS];
	kel_store_prepared *prepared[PREP_DOCS] = { 0 };
	int rc[PREP_DOCS];
	pthread_t threads[PREP_THREADS];
	struct prep_job jobs[PREP_THREADS];
	struct status_seen ss;
	kel_store_added a;

	/* Consents of several subjects; the last document withdraws the first consent. */
	for (int i = 0; i < PREP_DOCS - 2; i++) {
		struct spec c = { "consent", iin, NULL, NULL, 0, 0 };
		iin_for(iin, 40 + i);
		xml[i] = make(&c, &len[i], ids[i]);
	}
	/* One that fails verification: a signed byte changed. */
	xml[PREP_DOCS - 2] = consent(&len[PREP_DOCS - 2], ids[PREP_DOCS - 2]);
	xml[PREP_DOCS - 2] = th_replace_all(xml[PREP_DOCS - 2], "Серікбаев", "Серікбаеф");
	len[PREP_DOCS - 2] = strlen(xml[PREP_DOCS - 2]);
	iin_for(iin, 40);
	wd.iin = iin;
	wd.refers_to = ids[0];
	xml[PREP_DOCS - 1] = make(&wd, &len[PREP_DOCS - 1], ids[PREP_DOCS - 1]);

	for (int t = 0; t < PREP_THREADS; t++) {
		jobs[t] = (struct prep_job){ s, xml, len, prepared, rc, t };
		ck_assert_int_eq(pthread_create(&threads[t], NULL, prepare_some, &jobs[t]), 0);
	}
	for (int t = 0; t < PREP_THREADS; t++)
		pthread_join(threads[t], NULL);
	/* Preparing wrote nothing. */
	ck_assert_uint_eq(size_of(s), 0);
	ck_assert_int_eq(rc[PREP_DOCS - 2], KEL_EINVALID);
	ck_assert_ptr_null(prepared[PREP_DOCS - 2]);

	/* A prepared document is for the handle whose anchors verified it. */
	ck_assert_int_eq(kel_store_add_prepared(other, prepared[0], &a), KEL_EINVAL);
	ck_assert_uint_eq(size_of(other), 0);

	for (int i = 0; i < PREP_DOCS; i++) {
		if (i == PREP_DOCS - 2)
			continue;
		ck_assert_msg(rc[i] == 0, "document %d: %d", i, rc[i]);
		ck_assert_msg(kel_store_add_prepared(s, prepared[i], &a) == 0, "%s",
			th_error_message());
		ck_assert_str_eq(a.id, ids[i]);
		ck_assert_int_eq(a.already, 0);
		/* the same bytes again: stored once */
		ck_assert_int_eq(kel_store_add_prepared(s, prepared[i], &a), 0);
		ck_assert_int_eq(a.already, 1);
		kel_store_prepared_free(prepared[i]);
	}
	/* In the order given: ten consents, then the withdrawal and its "withdrawn" event. */
	ck_assert_uint_eq(size_of(s), PREP_DOCS - 2 + 2);
	for (int i = 0; i < PREP_DOCS; i++) {
		kel_buf got = KEL_BUF_INIT;
		if (i == PREP_DOCS - 2)
			continue;
		ck_assert_int_eq(kel_store_get(s, ids[i], &got), 0);
		ck_assert_uint_eq(got.size, len[i]);
		ck_assert_mem_eq(got.ptr, xml[i], len[i]);
		kel_buf_dispose(&got);
	}
	ss = status_of(s, iin);
	ck_assert_int_eq(ss.st[0], KEL_STATUS_WITHDRAWN);
	check_ok(s);
	for (int i = 0; i < PREP_DOCS; i++)
		free(xml[i]);
	kel_store_free(other);
	kel_store_free(s);
}
END_TEST

START_TEST(test_store__list_filters)
{
	kel_store *s = open_store(fresh_uri(), 0);
	kel_store_filter f = KEL_STORE_FILTER_INIT;
	char iin2[13];
	time_t now = time(NULL);
	struct spec c1 = { "consent", NULL, NULL, NULL, 0, 0 };
	struct spec c2 = { "consent", NULL, NULL, NULL, 0, 0 };
	struct spec n1 = { "transfer-notice", NULL, NULL, NULL, 0, 0 };
	size_t len;
	char *x;

	iin_for(iin2, 42);
	c2.iin = iin2;
	/* issued two days ago (Kazakhstan dates) */
	c1.issued_at = now - 2 * 86400;
	x = make(&c1, &len, NULL); add_ok(s, x, len, NULL); free(x);
	x = make(&c2, &len, NULL); add_ok(s, x, len, NULL); free(x);
	x = make(&n1, &len, NULL); add_ok(s, x, len, NULL); free(x);

	ck_assert_int_eq(count_list(s, NULL), 3);
	f.subject_iin = "900101300007";
	ck_assert_int_eq(count_list(s, &f), 2);
	f.subject_iin = iin2;
	ck_assert_int_eq(count_list(s, &f), 1);
	f.subject_iin = NULL;
	f.operator_bin = "990340000004";
	ck_assert_int_eq(count_list(s, &f), 3);
	f.operator_bin = "130340020239";
	ck_assert_int_eq(count_list(s, &f), 0);
	f.operator_bin = NULL;
	f.type = "transfer-notice";
	ck_assert_int_eq(count_list(s, &f), 1);
	f.type = "consent";
	ck_assert_int_eq(count_list(s, &f), 2);
	f.type = "nonsense";
	ck_assert_int_eq(kel_store_list(s, &f, count_fn, &(int){ 0 }), KEL_EINVAL);
	f.type = NULL;
	f.status = KEL_STATUS_GIVEN;
	ck_assert_int_eq(count_list(s, &f), 2);
	f.status = KEL_STATUS_WITHDRAWN;
	ck_assert_int_eq(count_list(s, &f), 0);
	f.status = KEL_STATUS_NONE;
	{
		char today[11], before[11];
		struct tm tm;
		time_t t = now + 5 * 3600;   /* Kazakhstan's day */
		gmtime_r(&t, &tm);
		strftime(today, sizeof today, "%Y-%m-%d", &tm);
		t -= 86400;
		gmtime_r(&t, &tm);
		strftime(before, sizeof before, "%Y-%m-%d", &tm);
		f.since = today;
		ck_assert_int_eq(count_list(s, &f), 2);
		f.since = NULL;
		f.until = before;
		ck_assert_int_eq(count_list(s, &f), 1);
		f.until = "not-a-date";
		ck_assert_int_eq(kel_store_list(s, &f, count_fn, &(int){ 0 }), KEL_EINVAL);
	}
	kel_store_free(s);
}
END_TEST

START_TEST(test_store__status_given_withdrawn_expired)
{
	const char *uri = fresh_uri();
	kel_store *s = open_store(uri, 0), *later;
	struct spec short_c = { "consent", NULL, NULL, "\"until\": \"2028-01-31\"", 0, 0 };
	struct spec wd = { "withdrawal", NULL, NULL, NULL, 0, 0 };
	struct status_seen ss;
	char id1[37], id2[37], wid[37];
	size_t len;
	char *x;

	x = consent(&len, id1); add_ok(s, x, len, NULL); free(x);
	x = make(&short_c, &len, id2); add_ok(s, x, len, NULL); free(x);
	ss = status_of(s, "900101300007");
	ck_assert_int_eq(ss.n, 2);
	ck_assert_int_eq(ss.st[0], KEL_STATUS_GIVEN);
	ck_assert_int_eq(ss.st[1], KEL_STATUS_GIVEN);

	/* withdraw the first */
	wd.refers_to = id1;
	x = make(&wd, &len, wid);
	{
		kel_store_added a;
		add_ok(s, x, len, &a);
		ck_assert_uint_eq(a.tree_size, 4);   /* stored + withdrawn */
	}
	free(x);
	ss = status_of(s, "900101300007");
	ck_assert_str_eq(ss.id[0], id1);
	ck_assert_int_eq(ss.st[0], KEL_STATUS_WITHDRAWN);
	ck_assert_str_eq(ss.withdrawn_by[0], wid);
	ck_assert_int_eq(ss.st[1], KEL_STATUS_GIVEN);
	{
		kel_buf e = KEL_BUF_INIT;
		ck_assert_int_eq(kel_store_log_entry(s, 3, &e), 0);
		ck_assert_msg(strstr(e.ptr, "event withdrawn\n") && strstr(e.ptr, id1) &&
			strstr(e.ptr, wid), "%s", e.ptr);
		kel_buf_dispose(&e);
	}

	/* seen on 2028-02-01 in Almaty (2028-01-31T19:00Z): the second has expired */
	later = open_store(uri, 1832958000);
	ss = status_of(later, "900101300007");
	ck_assert_int_eq(ss.st[0], KEL_STATUS_WITHDRAWN);
	ck_assert_int_eq(ss.st[1], KEL_STATUS_EXPIRED);
	kel_store_free(later);
	/* one second earlier it is still 2028-01-31 there: in force */
	later = open_store(uri, 1832958000 - 1);
	ss = status_of(later, "900101300007");
	ck_assert_int_eq(ss.st[1], KEL_STATUS_GIVEN);
	kel_store_free(later);
	/* logging expiries */
	later = open_store(uri, 1832958000);
	{
		uint64_t n = 0;
		ck_assert_int_eq(kel_store_log_expiries(later, &n), 0);
		ck_assert_uint_eq(n, 1);
		ck_assert_int_eq(kel_store_log_expiries(later, &n), 0);
		ck_assert_uint_eq(n, 0);
	}
	check_ok(later);
	kel_store_free(later);

	ck_assert_int_eq(kel_store_subject_status(s, "900101300008", status_fn, &ss),
		KEL_EINVALID);
	kel_store_free(s);
}
END_TEST

START_TEST(test_store__transfer_notice_link)
{
	kel_store *s = open_store(fresh_uri(), 0);
	time_t now = time(NULL);
	struct spec early_notice = { "transfer-notice", NULL, NULL, NULL, 0, 0 };
	struct spec c = { "consent", NULL, NULL, NULL, 0, 0 };
	struct spec notice = { "transfer-notice", NULL, NULL, NULL, 0, 0 };
	struct spec other = { "transfer-notice", NULL, NULL, NULL, 0, 0 };
	struct status_seen ss;
	char nid[37], iin2[13];
	size_t len;
	char *x;

	/* a notice issued before the consent does not acknowledge it */
	early_notice.issued_at = now - 600;
	c.issued_at = now - 300;
	x = make(&early_notice, &len, NULL); add_ok(s, x, len, NULL); free(x);
	x = make(&c, &len, NULL); add_ok(s, x, len, NULL); free(x);
	ss = status_of(s, "900101300007");
	ck_assert_int_eq(ss.n, 1);
	ck_assert_str_eq(ss.notice[0], "");
	/* nor does one for another subject */
	iin_for(iin2, 7);
	other.iin = iin2;
	x = make(&other, &len, NULL); add_ok(s, x, len, NULL); free(x);
	ss = status_of(s, "900101300007");
	ck_assert_str_eq(ss.notice[0], "");
	/* one for the same subject, operator and processor, issued after: acknowledged */
	notice.issued_at = now - 100;
	x = make(&notice, &len, nid); add_ok(s, x, len, NULL); free(x);
	ss = status_of(s, "900101300007");
	ck_assert_str_eq(ss.notice[0], nid);
	ck_assert_int_eq(ss.st[0], KEL_STATUS_GIVEN);
	kel_store_free(s);
}
END_TEST

/* ---- Erasure ---------------------------------------------------------------------------- */

START_TEST(test_store__erase_keeps_log)
{
	kel_store *s = open_store(fresh_uri(), 0);
	kel_key *key = th_operator_key();
	kel_buf out = KEL_BUF_INIT, e = KEL_BUF_INIT;
	kel_store_filter f = KEL_STORE_FILTER_INIT;
	kel_merkle_head before;
	kel_store_inclusion inc;
	char id1[37], id2[37], sha[65];
	size_t len;
	char *x;

	x = consent(&len, id1); add_ok(s, x, len, NULL);
	{
		unsigned char md[32];
		SHA256((const unsigned char *)x, len, md);
		kel_merkle_hash_to_hex(sha, md);
	}
	free(x);
	x = consent(&len, id2); add_ok(s, x, len, NULL); free(x);
	ck_assert_int_eq(kel_store_head_sign(s, key, &before, NULL), 0);

	ck_assert_int_eq(kel_store_erase(s, id1, ""), KEL_EINVALID);
	ck_assert_int_eq(kel_store_erase(s, id1, "subject's request, ticket 17"), 0);
	ck_assert_int_eq(kel_store_erase(s, id1, "again"), KEL_EINVALID);
	ck_assert_int_eq(kel_store_erase(s, "01a212c8-0000-7000-8000-000000000000", "x"),
		KEL_ENOTFOUND);
	ck_assert_int_eq(kel_store_get(s, id1, &out), KEL_ENOTFOUND);
	ck_assert_msg(strstr(th_error_message(), "erased at") != NULL, "%s", th_error_message());
	ck_assert_uint_eq(size_of(s), 3);
	ck_assert_int_eq(kel_store_log_entry(s, 2, &e), 0);
	ck_assert_msg(strstr(e.ptr, "event erased\n") && strstr(e.ptr, id1) && strstr(e.ptr, sha)
		&& strstr(e.ptr, "reason subject's request, ticket 17\n"), "%s", e.ptr);
	/* no personal data left in the index: the subject no longer finds it */
	f.subject_iin = "900101300007";
	ck_assert_int_eq(count_list(s, &f), 1);
	f.subject_iin = NULL;
	f.include_erased = 1;
	ck_assert_int_eq(count_list(s, &f), 2);
	/* the log still verifies, with its signed head and a new one */
	check_ok(s);
	ck_assert_int_eq(kel_store_head_sign(s, key, NULL, NULL), 0);
	check_ok(s);
	/* and the erased document's inclusion proof still holds against the old head */
	ck_assert_int_eq(kel_store_prove(s, id1, before.size, &inc), 0);
	ck_assert_int_eq(kel_merkle_verify_inclusion(inc.leaf_hash, inc.leaf, before.size,
		inc.proof, before.root), 0);
	kel_store_inclusion_dispose(&inc);
	kel_buf_dispose(&out);
	kel_buf_dispose(&e);
	kel_key_free(key);
	kel_store_free(s);
}
END_TEST

/* ---- Proofs against an independent RFC 9162 computation -------------------------------- */

typedef unsigned char hash_t[32];

static void ref_node(hash_t out, const hash_t l, const hash_t r)
{
	unsigned char buf[65];
	buf[0] = 1;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);
	SHA256(buf, sizeof buf, out);
}

static size_t split(size_t n)
{
	size_t k = 1;
	while (k * 2 < n)
		k *= 2;
	return k;
}

static void ref_mth(hash_t out, const hash_t *d, size_t n)
{
	hash_t a, b;
	if (n == 1) {
		memcpy(out, d[0], 32);
		return;
	}
	size_t k = split(n);
	ref_mth(a, d, k);
	ref_mth(b, d + k, n - k);
	ref_node(out, a, b);
}

/* PATH(m, D[n]) of RFC 9162 §2.1.3.1, appended to out. */
static void ref_path(hash_t *out, size_t *cnt, size_t m, const hash_t *d, size_t n)
{
	if (n == 1)
		return;
	size_t k = split(n);
	if (m < k) {
		ref_path(out, cnt, m, d, k);
		ref_mth(out[(*cnt)++], d + k, n - k);
	} else {
		ref_path(out, cnt, m - k, d + k, n - k);
		ref_mth(out[(*cnt)++], d, k);
	}
}

/* SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1. */
static void ref_subproof(hash_t *out, size_t *cnt, size_t m, const hash_t *d, size_t n, int b)
{
	if (m == n) {
		if (!b)
			ref_mth(out[(*cnt)++], d, n);
		return;
	}
	size_t k = split(n);
	if (m <= k) {
		ref_subproof(out, cnt, m, d, k, b);
		ref_mth(out[(*cnt)++], d + k, n - k);
	} else {
		ref_subproof(out, cnt, m - k, d + k, n - k, 0);
		ref_mth(out[(*cnt)++], d, k);
	}
}

START_TEST(test_store__proofs_match_independent_computation)
{
	kel_store *s = open_store(fresh_uri(), 0);
	char ids[7][37];
	hash_t leaves[16], path[70];
	size_t n, len;
	char *x;

	for (int i = 0; i < 7; i++) {
		x = consent(&len, ids[i]);
		add_ok(s, x, len, NULL);
		free(x);
	}
	ck_assert_int_eq(kel_store_log_export(s, ids[3], "bundle 1", NULL), 0);
	ck_assert_int_eq(kel_store_erase(s, ids[5], "test"), 0);
	n = (size_t)size_of(s);
	ck_assert_uint_eq(n, 9);
	/* the leaves, hashed here from the entries */
	for (size_t i = 0; i < n; i++) {
		kel_buf e = KEL_BUF_INIT;
		unsigned char *buf;
		ck_assert_int_eq(kel_store_log_entry(s, i, &e), 0);
		buf = malloc(e.size + 1);
		buf[0] = 0;
		memcpy(buf + 1, e.ptr, e.size);
		SHA256(buf, e.size + 1, leaves[i]);
		free(buf);
		kel_buf_dispose(&e);
	}
	/* the head */
	{
		kel_merkle_head h;
		hash_t root;
		ck_assert_int_eq(kel_store_head(s, &h), 0);
		ref_mth(root, leaves, n);
		ck_assert_uint_eq(h.size, n);
		ck_assert(memcmp(root, h.root, 32) == 0);
	}
	/* inclusion: every document, every tree size that contains it */
	for (int i = 0; i < 7; i++) {
		for (size_t size = (size_t)i + 1; size <= n; size++) {
			kel_store_inclusion inc;
			size_t cnt = 0;
			hash_t root;
			ck_assert_msg(kel_store_prove(s, ids[i], size, &inc) == 0, "%s",
				th_error_message());
			ck_assert_uint_eq(inc.leaf, (uint64_t)i);
			ck_assert(memcmp(inc.leaf_hash, leaves[i], 32) == 0);
			ref_path(path, &cnt, (size_t)i, leaves, size);
			ref_mth(root, leaves, size);
			ck_assert_uint_eq(inc.proof->count, cnt);
			for (size_t j = 0; j < cnt; j++)
				ck_assert(memcmp(inc.proof->hash[j], path[j], 32) == 0);
			ck_assert(memcmp(inc.head.root, root, 32) == 0);
			ck_assert_int_eq(kel_merkle_verify_inclusion(leaves[i], (uint64_t)i, size,
				inc.proof, root), 0);
			kel_store_inclusion_dispose(&inc);
		}
	}
	/* consistency: every 0 < m <= size <= n */
	for (size_t size = 1; size <= n; size++) {
		for (size_t m = 1; m <= size; m++) {
			unsigned char r1[32], r2[32];
			hash_t e1, e2;
			kel_merkle_proof *p = NULL;
			uint64_t got_n;
			size_t cnt = 0;
			ck_assert_int_eq(kel_store_consistency(s, m, size, r1, r2, &got_n, &p), 0);
			ref_subproof(path, &cnt, m, leaves, size, 1);
			ref_mth(e1, leaves, m);
			ref_mth(e2, leaves, size);
			ck_assert_uint_eq(got_n, size);
			ck_assert(memcmp(r1, e1, 32) == 0 && memcmp(r2, e2, 32) == 0);
			ck_assert_uint_eq(p->count, cnt);
			for (size_t j = 0; j < cnt; j++)
				ck_assert(memcmp(p->hash[j], path[j], 32) == 0);
			ck_assert_int_eq(kel_merkle_verify_consistency(m, size, e1, e2, p), 0);
			kel_merkle_proof_free(p);
		}
	}
	ck_assert_int_eq(kel_store_prove(s, ids[6], 6, &(kel_store_inclusion){ 0 }), KEL_EINVAL);
	ck_assert_int_eq(kel_store_prove(s, ids[0], n + 1, &(kel_store_inclusion){ 0 }),
		KEL_EINVAL);
	kel_store_free(s);
}
END_TEST

/* ---- Tampering, detected by check ---------------------------------------------------- */

static int is_pg(kel_store *s)
{
	return strcmp(kel_store_backend(s), "postgresql") == 0;
}

static void raw(kel_store *s, const char *sql, int n, const kel__sql_val *p)
{
	ck_assert_msg(kel__store_exec(s, sql, n, p, NULL, NULL) == 0, "%s: %s", sql,
		th_error_message());
}

/* Remove the append-only guards, as an attacker with access to the database would. */
static void drop_guards(kel_store *s)
{
	static const char *const t[][2] = {
		{ "log_entries_no_update", "log_entries" }, { "log_entries_no_delete", "log_entries" },
		{ "tree_heads_no_update", "tree_heads" }, { "documents_erase_only", "documents" },
		{ "documents_keep_identity", "documents" }, { "documents_no_delete", "documents" },
	};
	char sql[160];
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (is_pg(s))
			snprintf(sql, sizeof sql, "DROP TRIGGER %s ON %s", t[i][0], t[i][1]);
		else
			snprintf(sql, sizeof sql, "DROP TRIGGER %s", t[i][0]);
		raw(s, sql, 0, NULL);
	}
}

/* A store of 6 documents (leaves 0-5) with a signed head at 4 and one at 6. */
static kel_store *tamper_store(char ids[6][37])
{
	kel_store *s = open_store(fresh_uri(), 0);
	kel_key *key = th_operator_key();
	size_t len;
	for (int i = 0; i < 6; i++) {
		char *x = consent(&len, ids[i]);
		add_ok(s, x, len, NULL);
		free(x);
		if (i == 3)
			ck_assert_int_eq(kel_store_head_sign(s, key, NULL, NULL), 0);
	}
	ck_assert_int_eq(kel_store_head_sign(s, key, NULL, NULL), 0);
	kel_key_free(key);
	check_ok(s);
	return s;
}

static void expect_problem(kel_store *s, uint64_t pos, const char *text)
{
	kel_store_check_result r;
	ck_assert_msg(kel_store_check(s, NULL, NULL, &r) == 0, "%s", th_error_message());
	ck_assert_msg(!r.ok, "tampering not detected");
	ck_assert_msg(strstr(r.problem, text) != NULL, "problem '%s' lacks '%s'", r.problem, text);
	ck_assert_msg(r.position == pos, "position %llu, expected %llu (%s)",
		(unsigned long long)r.position, (unsigned long long)pos, r.problem);
}

static kel_buf entry_of(kel_store *s, uint64_t i)
{
	kel_buf e = KEL_BUF_INIT;
	ck_assert_int_eq(kel_store_log_entry(s, i, &e), 0);
	return e;
}

START_TEST(test_store__check_detects_altered_entry)
{
	char ids[6][37];
	kel_store *s = tamper_store(ids);
	kel_buf e = entry_of(s, 2);
	drop_guards(s);
	/* one byte of the entry changed (a digit of the time) */
	char *t = strstr(e.ptr, "time ");
	t[8] = t[8] == '9' ? '8' : '9';
	kel__sql_val p[2] = { { KEL_SQL_BLOB, 0, e.ptr, e.size }, { KEL_SQL_INT, 2, NULL, 0 } };
	raw(s, "UPDATE log_entries SET entry = ? WHERE idx = ?", 2, p);
	expect_problem(s, 2, "log position 2: entry does not match its leaf hash");
	/* the attacker also fixes the leaf hash: the signed heads still catch it */
	{
		unsigned char h[32];
		ck_assert_int_eq(kel_merkle_leaf_hash(h, e.ptr, e.size), 0);
		kel__sql_val p2[2] = { { KEL_SQL_BLOB, 0, h, 32 }, { KEL_SQL_INT, 2, NULL, 0 } };
		raw(s, "UPDATE log_entries SET hash = ? WHERE idx = ?", 2, p2);
	}
	expect_problem(s, 2, "log positions 2-3: cached node (level 1, index 1) differs");
	/* and empties the node cache: the signed heads still catch it */
	raw(s, is_pg(s) ? "DROP TRIGGER log_nodes_no_delete ON log_nodes" :
		"DROP TRIGGER log_nodes_no_delete", 0, NULL);
	raw(s, "DELETE FROM log_nodes", 0, NULL);
	expect_problem(s, 3, "signed head 1 (size 4): its root differs from the log's");
	kel_buf_dispose(&e);
	kel_store_free(s);
}
END_TEST

START_TEST(test_store__check_detects_altered_document_byte)
{
	char ids[6][37];
	kel_store *s = tamper_store(ids);
	kel_buf b = KEL_BUF_INIT;
	ck_assert_int_eq(kel_store_get(s, ids[4], &b), 0);
	drop_guards(s);
	*strstr(b.ptr, "arman@") = 'A';
	kel__sql_val p[2] = { { KEL_SQL_BLOB, 0, b.ptr, b.size }, { KEL_SQL_TEXT, 0, ids[4], 36 } };
	raw(s, "UPDATE documents SET body = ? WHERE id = ?", 2, p);
	expect_problem(s, 4, "stored bytes do not match its digest");
	kel_buf_dispose(&b);
	kel_store_free(s);
}
END_TEST

START_TEST(test_store__check_detects_deleted_rows)
{
	char ids[6][37];
	kel_store *s = tamper_store(ids);
	drop_guards(s);
	raw(s, "DELETE FROM log_entries WHERE idx = 1", 0, NULL);
	expect_problem(s, 1, "log position 1: missing");
	kel_store_free(s);

	s = tamper_store(ids);
	drop_guards(s);
	kel__sql_val p[1] = { { KEL_SQL_TEXT, 0, ids[3], 36 } };
	raw(s, "DELETE FROM documents WHERE id = ?", 1, p);
	expect_problem(s, 3, "was stored but its row is gone");
	kel_store_free(s);
}
END_TEST

START_TEST(test_store__check_detects_reordered_rows)
{
	char ids[6][37];
	kel_store *s = tamper_store(ids);
	kel_buf e1 = entry_of(s, 1), e2 = entry_of(s, 2);
	unsigned char h1[32], h2[32];
	ck_assert_int_eq(kel_merkle_leaf_hash(h1, e1.ptr, e1.size), 0);
	ck_assert_int_eq(kel_merkle_leaf_hash(h2, e2.ptr, e2.size), 0);
	drop_guards(s);
	/* swap rows 1 and 2, entries with their hashes */
	{
		kel__sql_val p[3] = { { KEL_SQL_BLOB, 0, e2.ptr, e2.size }, { KEL_SQL_BLOB, 0, h2, 32 },
			{ KEL_SQL_INT, 1, NULL, 0 } };
		raw(s, "UPDATE log_entries SET entry = ?, hash = ? WHERE idx = ?", 3, p);
		kel__sql_val q[3] = { { KEL_SQL_BLOB, 0, e1.ptr, e1.size }, { KEL_SQL_BLOB, 0, h1, 32 },
			{ KEL_SQL_INT, 2, NULL, 0 } };
		raw(s, "UPDATE log_entries SET entry = ?, hash = ? WHERE idx = ?", 3, q);
	}
	expect_problem(s, 1, "log position 1: entry says index 2 (rows moved)");
	kel_buf_dispose(&e1);
	kel_buf_dispose(&e2);
	kel_store_free(s);
}
END_TEST

START_TEST(test_store__check_detects_truncation)
{
	char ids[6][37];
	kel_store *s = tamper_store(ids);
	drop_guards(s);
	raw(s, "DELETE FROM log_entries WHERE idx >= 5", 0, NULL);
	expect_problem(s, 5, "signed head 2 (size 6) is beyond the log's end: the log has 5 "
		"leaves (truncated at position 5)");
	kel_store_free(s);
}
END_TEST

START_TEST(test_store__check_detects_replaced_head)
{
	char ids[6][37];
	kel_store *s = tamper_store(ids);
	unsigned char fake[32];
	memset(fake, 0x5a, sizeof fake);
	drop_guards(s);
	/* a head whose root was replaced: it no longer matches the log */
	kel__sql_val p[1] = { { KEL_SQL_BLOB, 0, fake, 32 } };
	raw(s, "UPDATE tree_heads SET root = ? WHERE num = 2", 1, p);
	expect_problem(s, 5, "signed head 2 (size 6): its root differs");
	kel_store_free(s);

	/* a head whose time was moved (signature no longer covers it) */
	s = tamper_store(ids);
	drop_guards(s);
	raw(s, "UPDATE tree_heads SET time = time - 86400 WHERE num = 1", 0, NULL);
	expect_problem(s, 4, "signed head 1 (size 4): signature does not verify");
	kel_store_free(s);
}
END_TEST

/* ---- Proofs from the batched lookup, whatever the node cache holds ------------------------ */

/* The leaf hashes of the log's first n entries, hashed here from the entries. */
static void leaves_of(kel_store *s, hash_t *leaves, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		kel_buf e = entry_of(s, i);
		unsigned char *buf = malloc(e.size + 1);
		buf[0] = 0;
		memcpy(buf + 1, e.ptr, e.size);
		SHA256(buf, e.size + 1, leaves[i]);
		free(buf);
		kel_buf_dispose(&e);
	}
}

/*
 * Every inclusion proof (every document, every tree size holding it, and the current tree),
 * every consistency proof and the head of s, against the independent computation.
 */
static void expect_reference_proofs(kel_store *s, char (*ids)[37], size_t ndocs,
	const hash_t *leaves, size_t n)
{
	hash_t path[140], root, e1;
	kel_merkle_head h;

	ck_assert_int_eq(kel_store_head(s, &h), 0);
	ref_mth(root, leaves, n);
	ck_assert_uint_eq(h.size, n);
	ck_assert(memcmp(h.root, root, 32) == 0);
	for (size_t i = 0; i < ndocs; i++) {
		for (size_t size = i + 1; size <= n + 1; size++) {
			kel_store_inclusion inc;
			size_t cnt = 0, want = size <= n ? size : n;   /* n + 1: size 0, the current tree */
			ck_assert_msg(kel_store_prove(s, ids[i], size <= n ? size : 0, &inc) == 0,
				"%s", th_error_message());
			ck_assert_uint_eq(inc.leaf, i);
			ck_assert_uint_eq(inc.head.size, want);
			ck_assert(memcmp(inc.leaf_hash, leaves[i], 32) == 0);
			ref_path(path, &cnt, i, leaves, want);
			ref_mth(root, leaves, want);
			ck_assert_uint_eq(inc.proof->count, cnt);
			for (size_t j = 0; j < cnt; j++)
				ck_assert(memcmp(inc.proof->hash[j], path[j], 32) == 0);
			ck_assert(memcmp(inc.head.root, root, 32) == 0);
			kel_store_inclusion_dispose(&inc);
		}
	}
	for (size_t size = 1; size <= n; size++) {
		for (size_t m = 1; m <= size; m++) {
			unsigned char r1[32], r2[32];
			kel_merkle_proof *p = NULL;
			size_t cnt = 0;
			ck_assert_int_eq(kel_store_consistency(s, m, size, r1, r2, NULL, &p), 0);
			ref_subproof(path, &cnt, m, leaves, size, 1);
			ref_mth(e1, leaves, m);
			ref_mth(root, leaves, size);
			ck_assert(memcmp(r1, e1, 32) == 0 && memcmp(r2, root, 32) == 0);
			ck_assert_uint_eq(p->count, cnt);
			for (size_t j = 0; j < cnt; j++)
				ck_assert(memcmp(p->hash[j], path[j], 32) == 0);
			kel_merkle_proof_free(p);
		}
	}
}

START_TEST(test_store__batched_proofs_from_any_node_cache)
{
	const char *uri = fresh_uri();
	kel_store *s = open_store(uri, 0), *t;
	char ids[13][37];
	hash_t leaves[13];
	size_t len;
	char *x;

	for (int i = 0; i < 5; i++) {
		x = consent(&len, ids[i]);
		add_ok(s, x, len, NULL);
		free(x);
	}
	/* A second handle proves, then the first appends: the second's frontier is stale. */
	t = open_store(uri, 0);
	leaves_of(t, leaves, 5);
	expect_reference_proofs(t, ids, 5, leaves, 5);
	for (int i = 5; i < 13; i++) {
		x = consent(&len, ids[i]);
		add_ok(s, x, len, NULL);
		free(x);
	}
	ck_assert_uint_eq(size_of(s), 13);
	leaves_of(s, leaves, 13);
	expect_reference_proofs(t, ids, 13, leaves, 13);
	expect_reference_proofs(s, ids, 13, leaves, 13);
	kel_store_free(t);

	/*
	 * A node cache with holes (every level-1 node, the level-3 node and one level-2 node
	 * gone): the batch does not find them, the proofs are computed from what is below, and
	 * must come out the same, in a handle that loads its frontier from the damaged cache and
	 * in one whose frontier is current.
	 */
	raw(s, is_pg(s) ? "DROP TRIGGER log_nodes_no_delete ON log_nodes" :
		"DROP TRIGGER log_nodes_no_delete", 0, NULL);
	raw(s, "DELETE FROM log_nodes WHERE level = 1 OR level = 3 OR (level = 2 AND idx = 1)",
		0, NULL);
	t = open_store(uri, 0);
	expect_reference_proofs(t, ids, 13, leaves, 13);
	expect_reference_proofs(s, ids, 13, leaves, 13);
	/* A leaf the batch does not find is still reported as missing, not proved. */
	raw(s, is_pg(s) ? "DROP TRIGGER log_entries_no_delete ON log_entries" :
		"DROP TRIGGER log_entries_no_delete", 0, NULL);
	raw(s, "DELETE FROM log_entries WHERE idx = 6", 0, NULL);
	{
		kel_store_inclusion inc;
		ck_assert_int_eq(kel_store_prove(t, ids[6], 0, &inc), KEL_EINVALID);
		ck_assert_msg(strstr(th_error_message(), "log position 6: missing") != NULL, "%s",
			th_error_message());
		ck_assert_ptr_null(inc.proof);
		ck_assert_int_eq(kel_store_prove(t, ids[2], 0, &inc), KEL_EINVALID);
		ck_assert_msg(strstr(th_error_message(), "log position 6: missing") != NULL, "%s",
			th_error_message());
	}
	kel_store_free(t);
	kel_store_free(s);
}
END_TEST

struct sum {
	int rows;
	int64_t value;
};

static int row_sum(void *ctx, int ncol, const kel__sql_val *col)
{
	struct sum *r = ctx;
	if (ncol >= 1 && col[0].type == KEL_SQL_INT) {
		r->rows++;
		r->value = col[0].i;
	}
	return 0;
}

/*
 * Prepared statements: more distinct queries than either back end keeps prepared (old ones
 * are dropped to make room), and on PostgreSQL statements dropped behind the store's back
 * (DEALLOCATE ALL, as a pooler or a DISCARD ALL would), after which it prepares them again.
 */
START_TEST(test_store__prepared_statements_come_and_go)
{
	kel_store *s = open_store(fresh_uri(), 0);
	char sql[96], id[37], iin[13];
	kel_store_inclusion inc;
	size_t len;
	char *x;
	int found;

	iin_for(iin, 77);
	{
		struct spec sp = { "consent", iin, NULL, NULL, 0, 0 };
		x = make(&sp, &len, id);
	}
	add_ok(s, x, len, NULL);
	free(x);
	for (int round = 0; round < 2; round++) {
		for (int k = 0; k < 300; k++) {
			struct sum r = { 0, 0 };
			kel__sql_val p[1] = { { KEL_SQL_INT, 1000 * round + k, NULL, 0 } };
			snprintf(sql, sizeof sql, "SELECT CAST(? AS BIGINT) + %d", k);
			ck_assert_msg(kel__store_exec(s, sql, 1, p, row_sum, &r) == 0, "%s",
				th_error_message());
			ck_assert_int_eq(r.rows, 1);
			ck_assert_int_eq(r.value, 1000 * round + 2 * k);
		}
		found = 0;
		ck_assert_int_eq(kel_store_subject_status(s, iin, count_fn, &found), 0);
		ck_assert_int_eq(found, 1);
		ck_assert_int_eq(kel_store_prove(s, id, 0, &inc), 0);
		kel_store_inclusion_dispose(&inc);
	}
	if (is_pg(s)) {
		raw(s, "DEALLOCATE ALL", 0, NULL);
		found = 0;
		ck_assert_msg(kel_store_subject_status(s, iin, count_fn, &found) == 0, "%s",
			th_error_message());
		ck_assert_int_eq(found, 1);
		raw(s, "DEALLOCATE ALL", 0, NULL);
		ck_assert_msg(kel_store_prove(s, id, 0, &inc) == 0, "%s", th_error_message());
		kel_store_inclusion_dispose(&inc);
		raw(s, "DEALLOCATE ALL", 0, NULL);
		x = consent(&len, NULL);
		add_ok(s, x, len, NULL);
		free(x);
		ck_assert_uint_eq(size_of(s), 2);
	}
	check_ok(s);
	kel_store_free(s);
}
END_TEST

START_TEST(test_store__bad_stores)
{
	char dir[] = "/tmp/kelisim-store-XXXXXX", path[128], uri[160];
	kel_store *s = NULL;
	kel_store_options o = KEL_STORE_OPTIONS_INIT;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/not-a-db", dir);
	f = fopen(path, "w");
	fputs("this is not a database, only text that is long enough to be read as a header\n",
		f);
	fclose(f);
	snprintf(uri, sizeof uri, "sqlite:%s", path);
	ck_assert_int_eq(kel_store_open(&s, uri, &o), KEL_EINVALID);
	ck_assert_msg(strstr(th_error_message(), "file is not a database") != NULL, "%s",
		th_error_message());
	ck_assert_ptr_null(s);
	snprintf(uri, sizeof uri, "sqlite:%s/absent.db", dir);
	o.must_exist = 1;
	ck_assert_int_eq(kel_store_open(&s, uri, &o), KEL_ENOTFOUND);
	ck_assert_int_eq(kel_store_open(&s, "mysql://x", NULL), KEL_EINVAL);
	ck_assert_str_eq(th_error_message(),
		"store URI: unknown scheme 'mysql' (expected sqlite:PATH or postgresql://...)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_store__add_get_exact_bytes);
	tcase_add_test(tc, test_store__refusals_leave_store_unchanged);
	tcase_add_test(tc, test_store__idempotent_and_conflicting_add);
	tcase_add_test(tc, test_store__list_filters);
	tcase_add_test(tc, test_store__status_given_withdrawn_expired);
	tcase_add_test(tc, test_store__transfer_notice_link);
	tcase_add_test(tc, test_store__erase_keeps_log);
	tcase_add_test(tc, test_store__proofs_match_independent_computation);
	tcase_add_test(tc, test_store__check_detects_altered_entry);
	tcase_add_test(tc, test_store__check_detects_altered_document_byte);
	tcase_add_test(tc, test_store__check_detects_deleted_rows);
	tcase_add_test(tc, test_store__check_detects_reordered_rows);
	tcase_add_test(tc, test_store__check_detects_truncation);
	tcase_add_test(tc, test_store__check_detects_replaced_head);
	tcase_add_test(tc, test_store__batched_proofs_from_any_node_cache);
	tcase_add_test(tc, test_store__prepared_statements_come_and_go);
	tcase_add_test(tc, test_store__bad_stores);
	tcase_add_test(tc, test_store__prepare_on_threads_then_add_in_order);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
