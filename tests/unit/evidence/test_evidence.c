/*
 * Clause 4.8 evidence: requests and their due dates, the ASiC-E bundle for 1 and for 1,000
 * subjects, gaps, and tampering with the container (a changed, removed, added or swapped
 * file), each detected by kel_evidence_verify with the file named.
 *
 * Runs against SQLite; with KELISIM_TEST_PG set (as for the store suite), against
 * PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "helpers.h"
#include "kelisim.h"
#include "store_backend.h"
#include "../store/store_pg_test.h"

/* 2026-11-25T10:00:00Z: 15:00 in Kazakhstan. */
#define NOW ((time_t)1795600800)

static int counter;

static const char *fresh_uri(void)
{
	static char uri[512];
	const char *pg = getenv("KELISIM_TEST_PG");
	char dir[] = "/tmp/kelisim-evidence-XXXXXX";

	counter++;
#ifdef KELISIM_WITH_PQ
	if (pg && *pg) {
		ck_assert_msg(th_pg_fresh_database(uri, sizeof uri, pg, counter) == 0,
			"cannot make a PostgreSQL database at %s", pg);
		return uri;
	}
#else
	(void)pg;
#endif
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
	ck_assert_int_eq(kel_store_set_trust(s, th_pki("root.crt"), NULL), 0);
	/* Many small transactions: durability is not what these tests are about. */
	if (strncmp(uri, "sqlite:", 7) == 0)
		ck_assert_int_eq(kel__store_exec(s, "PRAGMA synchronous = OFF", 0, NULL, NULL, NULL),
			0);
	return s;
}

/*
 * An IIN born 1990-01-01 with a valid control digit (computed here), one of the serials
 * 10k..10k+9, so that distinct k (0..999) give distinct IINs.
 */
static void iin_for(char out[13], int k)
{
	static const int w1[11] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
	static const int w2[11] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2 };
	for (int j = 0; j < 10; j++) {
		int sum = 0, d;
		snprintf(out, 13, "9001013%04d", (k * 10 + j) % 10000);
		for (int i = 0; i < 11; i++)
			sum += (out[i] - '0') * w1[i];
		d = sum % 11;
		if (d == 10) {
			sum = 0;
			for (int i = 0; i < 11; i++)
				sum += (out[i] - '0') * w2[i];
			d = sum % 11;
		}
		if (d < 10) {
			out[11] = (char)('0' + d);
			out[12] = '\0';
			return;
		}
	}
	ck_abort_msg("no valid IIN for %d", k);
}

/* Sign a document made from an example, for subject iin, and store it; its id in id. */
static void add_doc(kel_store *s, kel_key *key, const char *example, const char *iin,
	const char *refers_to, char id[37])
{
	kel_doc_new_options o = KEL_DOC_NEW_OPTIONS_INIT;
	kel_doc *doc = NULL;
	kel_buf b = KEL_BUF_INIT;
	char path[128], *json;
	size_t len;

	snprintf(path, sizeof path, "schemas/examples/%s.json", example);
	json = th_read_file(th_source(path), &len);
	json = th_replace_all(json, "900101300007", iin);
	if (refers_to)
		json = th_replace_all(json, "019ab4c2-8e10-7a3c-9f21-5d6e7f8a9b0c", refers_to);
	ck_assert_msg(kel_doc_new(&doc, json, strlen(json), &o) == 0, "%s", th_error_message());
	ck_assert_msg(kel_xades_sign(doc, key, NULL) == 0, "%s", th_error_message());
	ck_assert_int_eq(kel_doc_write(&b, doc), 0);
	ck_assert_msg(kel_store_add(s, b.ptr, b.size, NULL) == 0, "%s", th_error_message());
	if (id)
		snprintf(id, 37, "%s", kel_doc_id(doc));
	kel_buf_dispose(&b);
	kel_doc_free(doc);
	free(json);
}

static char bundle_dir[64];

static const char *bundle_path(const char *name)
{
	static char path[4][128];
	static int slot;
	if (!bundle_dir[0]) {
		snprintf(bundle_dir, sizeof bundle_dir, "/tmp/kelisim-bundles-XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(bundle_dir));
	}
	slot = (slot + 1) % 4;
	snprintf(path[slot], sizeof path[slot], "%s/%s", bundle_dir, name);
	return path[slot];
}

static kel_evidence_report *verify(const char *path)
{
	kel_evidence_report *r = NULL;
	ck_assert_msg(kel_evidence_verify(&r, path, th_pki("root.crt"), NULL) == 0, "%s",
		th_error_message());
	return r;
}

/* A problem of r that starts with name (the file named first). */
static int names(const kel_evidence_report *r, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < kel_evidence_report_problem_count(r); i++) {
		const char *p = kel_evidence_report_problem(r, i);
		if (strncmp(p, name, n) == 0 && p[n] == ':')
			return 1;
	}
	return 0;
}

static const char *all_problems(const kel_evidence_report *r)
{
	static char buf[4096];
	buf[0] = '\0';
	for (size_t i = 0; i < kel_evidence_report_problem_count(r); i++) {
		strncat(buf, kel_evidence_report_problem(r, i), sizeof buf - strlen(buf) - 2);
		strncat(buf, "\n", sizeof buf - strlen(buf) - 1);
	}
	return buf;
}

/* ---- Requests ------------------------------------------------------------------------ */

struct seen {
	int n;
	char id[4][37];
	long days[4];
	int overdue[4];
	int closed[4];
	char due[4][11];
};

static int collect(void *ctx, const kel_evidence_request *q)
{
	struct seen *s = ctx;
	if (s->n < 4) {
		snprintf(s->id[s->n], 37, "%s", q->id);
		s->days[s->n] = q->days_left;
		s->overdue[s->n] = q->overdue;
		s->closed[s->n] = q->closed_at != NULL;
		snprintf(s->due[s->n], 11, "%s", q->due);
	}
	s->n++;
	return 0;
}

START_TEST(test_evidence__request_due_dates_and_order)
{
	const char *uri = fresh_uri();
	kel_store *s = open_store(uri, NOW);
	const char *subjects[1] = { "900101300007" };
	char a[37], b[37], c[37];
	struct seen seen;
	kel_buf entry = KEL_BUF_INIT;
	uint64_t size;

	/* Received 2026-11-24: due 11-29, 4 days left on 11-25. */
	ck_assert_int_eq(kel_evidence_request_add(s, "2026-11-24", "Bitrix24 2026/1", subjects, 1,
		NULL, a), 0);
	/* Received 2026-11-10: due 11-15, 10 days overdue. */
	ck_assert_int_eq(kel_evidence_request_add(s, "2026-11-10", "Bitrix24 2026/2", NULL, 0,
		"phoned", b), 0);
	/* Across a month's end: 2026-11-28 + 5 = 2026-12-03. */
	ck_assert_int_eq(kel_evidence_request_add(s, "2026-11-28", "Bitrix24 2026/3", NULL, 0,
		NULL, c), 0);
	memset(&seen, 0, sizeof seen);
	ck_assert_int_eq(kel_evidence_request_list(s, 0, collect, &seen), 0);
	ck_assert_int_eq(seen.n, 3);
	ck_assert_str_eq(seen.id[0], b);              /* overdue first */
	ck_assert_int_eq(seen.overdue[0], 1);
	ck_assert_int_eq(seen.days[0], -10);
	ck_assert_str_eq(seen.due[0], "2026-11-15");
	ck_assert_str_eq(seen.id[1], a);
	ck_assert_int_eq(seen.days[1], 4);
	ck_assert_int_eq(seen.overdue[1], 0);
	ck_assert_str_eq(seen.due[2], "2026-12-03");

	/* The log holds the request's digest, not its subjects. */
	ck_assert_int_eq(kel_store_log_size(s, &size), 0);
	ck_assert_int_eq((int)size, 3);
	ck_assert_int_eq(kel_store_log_entry(s, 0, &entry), 0);
	ck_assert_ptr_nonnull(strstr(entry.ptr, "event request-received\n"));
	ck_assert_ptr_nonnull(strstr(entry.ptr, a));
	ck_assert_ptr_null(strstr(entry.ptr, "900101300007"));

	ck_assert_int_eq(kel_evidence_request_close(s, b, "answer", 6), 0);
	ck_assert_int_eq(kel_evidence_request_close(s, b, NULL, 0), KEL_EINVALID);
	ck_assert_int_eq(kel_evidence_request_close(s, "01a212e0-1460-7ca9-be7a-7c45b4362c90",
		NULL, 0), KEL_ENOTFOUND);
	memset(&seen, 0, sizeof seen);
	ck_assert_int_eq(kel_evidence_request_list(s, 0, collect, &seen), 0);
	ck_assert_int_eq(seen.n, 2);
	memset(&seen, 0, sizeof seen);
	ck_assert_int_eq(kel_evidence_request_list(s, 1, collect, &seen), 0);
	ck_assert_int_eq(seen.n, 3);
	ck_assert_int_eq(seen.closed[2], 1);           /* closed ones last */
	ck_assert_int_eq(kel_store_log_size(s, &size), 0);
	ck_assert_int_eq((int)size, 4);
	kel_buf_dispose(&entry);
	kel_store_free(s);
}
END_TEST

START_TEST(test_evidence__request_refusals)
{
	kel_store *s = open_store(fresh_uri(), NOW);
	const char *bad_iin[1] = { "900101300008" };
	const char *twice[2] = { "900101300007", "900101300007" };
	uint64_t size;

	ck_assert_int_eq(kel_evidence_request_add(s, "2026-02-30", "r", NULL, 0, NULL, NULL),
		KEL_EINVAL);
	ck_assert_str_eq(th_error_message(), "received: '2026-02-30' is not a date (YYYY-MM-DD)");
	ck_assert_int_eq(kel_evidence_request_add(s, "2026-11-20", " r", NULL, 0, NULL, NULL),
		KEL_EINVAL);
	ck_assert_int_eq(kel_evidence_request_add(s, "2026-11-20", "r", bad_iin, 1, NULL, NULL),
		KEL_EINVAL);
	ck_assert_int_eq(kel_evidence_request_add(s, "2026-11-20", "r", twice, 2, NULL, NULL),
		KEL_EINVAL);
	ck_assert_int_eq(kel_store_log_size(s, &size), 0);
	ck_assert_int_eq((int)size, 0);
	kel_store_free(s);
}
END_TEST

/* ---- Bundles ------------------------------------------------------------------------- */

/* A store with subject A complete (consent + notice) and B without a notice. */
static kel_store *two_subjects(char a[13], char b[13], char ids[3][37])
{
	/* The real clock: the test PKI's certificates were made a moment ago. */
	kel_store *s = open_store(fresh_uri(), 0);
	kel_key *key = th_operator_key();
	iin_for(a, 11);
	iin_for(b, 12);
	add_doc(s, key, "consent", a, NULL, ids[0]);
	add_doc(s, key, "transfer-notice", a, NULL, ids[1]);
	add_doc(s, key, "consent", b, NULL, ids[2]);
	kel_key_free(key);
	return s;
}

static void export(kel_store *s, const char *const *subjects, size_t n, const char *path,
	kel_evidence_summary *sum)
{
	kel_evidence_export_options o = KEL_EVIDENCE_EXPORT_OPTIONS_INIT;
	kel_key *key = th_operator_key();
	o.subjects = subjects;
	o.nsubjects = n;
	o.key = key;
	ck_assert_msg(kel_evidence_export(s, &o, path, sum) == 0, "%s", th_error_message());
	kel_key_free(key);
}

START_TEST(test_evidence__one_subject_bundle)
{
	char a[13], b[13], ids[3][37], name[96];
	kel_store *s = two_subjects(a, b, ids);
	const char *subjects[1] = { a };
	const char *path = bundle_path("one.asice");
	kel_evidence_summary sum;
	kel_evidence_report *r;
	kel_buf text = KEL_BUF_INIT;
	zip_t *za;
	zip_stat_t st;
	int err;

	export(s, subjects, 1, path, &sum);
	ck_assert_int_eq((int)sum.subjects, 1);
	ck_assert_int_eq((int)sum.complete, 1);
	ck_assert_int_eq((int)sum.documents, 2);
	ck_assert_int_eq((int)sum.parts, 1);

	/* The container: mimetype first, stored, exact; every part where it belongs. */
	za = zip_open(path, ZIP_RDONLY, &err);
	ck_assert_ptr_nonnull(za);
	ck_assert_str_eq(zip_get_name(za, 0, 0), "mimetype");
	ck_assert_int_eq(zip_stat_index(za, 0, 0, &st), 0);
	ck_assert_int_eq(st.comp_method, ZIP_CM_STORE);
	ck_assert_int_eq((int)st.size, 31);
	ck_assert_int_ge(zip_name_locate(za, "META-INF/manifest.xml", 0), 0);
	ck_assert_int_ge(zip_name_locate(za, "META-INF/kelisim-manifest.txt", 0), 0);
	ck_assert_int_ge(zip_name_locate(za, "statement/statement-001.xml", 0), 0);
	ck_assert_int_ge(zip_name_locate(za, "proofs/tree-head.txt", 0), 0);
	snprintf(name, sizeof name, "documents/%s.xml", ids[0]);
	ck_assert_int_ge(zip_name_locate(za, name, 0), 0);
	snprintf(name, sizeof name, "reports/%s.json", ids[1]);
	ck_assert_int_ge(zip_name_locate(za, name, 0), 0);
	snprintf(name, sizeof name, "proofs/%s.json", ids[1]);
	ck_assert_int_ge(zip_name_locate(za, name, 0), 0);
	snprintf(name, sizeof name, "documents/%s.xml", ids[2]);
	ck_assert_int_lt(zip_name_locate(za, name, 0), 0);   /* B is not in scope */
	zip_discard(za);

	r = verify(path);
	ck_assert_msg(kel_evidence_report_ok(r), "%s", all_problems(r));
	ck_assert_int_eq(kel_evidence_report_complete(r), 1);
	ck_assert_int_eq(kel_evidence_report_to_text(r, &text), 0);
	ck_assert_ptr_nonnull(strstr(text.ptr, a));
	ck_assert_ptr_nonnull(strstr(text.ptr, "verdict: VALID"));
	ck_assert_ptr_nonnull(strstr(text.ptr, "complete (0 gaps)"));
	kel_buf_dispose(&text);
	kel_evidence_report_free(r);
	kel_store_free(s);
}
END_TEST

START_TEST(test_evidence__gaps_listed_not_left_out)
{
	char a[13], b[13], c[13], d[13], ids[3][37], wid[37], cid[37];
	kel_store *s = two_subjects(a, b, ids);
	kel_key *key = th_operator_key();
	const char *subjects[4];
	const char *path = bundle_path("gaps.asice");
	kel_evidence_summary sum;
	kel_evidence_report *r;
	kel_buf json = KEL_BUF_INIT;

	iin_for(c, 13);       /* unknown to the store */
	iin_for(d, 14);       /* consent withdrawn, notice given */
	add_doc(s, key, "consent", d, NULL, cid);
	add_doc(s, key, "transfer-notice", d, NULL, NULL);
	add_doc(s, key, "withdrawal", d, cid, wid);
	kel_key_free(key);
	subjects[0] = a;
	subjects[1] = b;
	subjects[2] = c;
	subjects[3] = d;
	export(s, subjects, 4, path, &sum);
	ck_assert_int_eq((int)sum.subjects, 4);
	ck_assert_int_eq((int)sum.complete, 1);
	/* B: no notice; C: neither; D: no consent in force. */
	ck_assert_int_eq((int)sum.gaps, 4);
	r = verify(path);
	ck_assert_msg(kel_evidence_report_ok(r), "%s", all_problems(r));
	ck_assert_int_eq(kel_evidence_report_complete(r), 0);
	ck_assert_int_eq(kel_evidence_report_to_json(r, &json), 0);
	ck_assert_ptr_nonnull(strstr(json.ptr, "\"ConsentWithdrawn\""));
	ck_assert_ptr_nonnull(strstr(json.ptr, "\"ConsentUnknown\""));
	ck_assert_ptr_nonnull(strstr(json.ptr, "\"no-transfer-notice\""));
	ck_assert_ptr_nonnull(strstr(json.ptr, "\"no-consent-in-force\""));
	ck_assert_ptr_nonnull(strstr(json.ptr, "\"complete\": false"));
	kel_buf_dispose(&json);
	kel_evidence_report_free(r);
	kel_store_free(s);
}
END_TEST

/* ---- Tampering -------------------------------------------------------------------------- */

static void copy_file(const char *from, const char *to)
{
	size_t len;
	char *data = th_read_file(from, &len);
	FILE *f = fopen(to, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	free(data);
}

static char *entry_bytes(zip_t *za, zip_int64_t i, size_t *len)
{
	zip_stat_t st;
	zip_file_t *f;
	char *buf;
	ck_assert_int_eq(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
	buf = malloc(st.size + 1);
	f = zip_fopen_index(za, (zip_uint64_t)i, 0);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	*len = st.size;
	return buf;
}

/* Replace entry i of the copy at path by data (libzip rewrites the container). */
static void replace_entry(const char *path, zip_int64_t i, const char *data, size_t len)
{
	int err;
	zip_t *za = zip_open(path, 0, &err);
	char *copy = malloc(len ? len : 1);
	zip_source_t *src;
	memcpy(copy, data, len);
	src = zip_source_buffer(za, copy, len, 1);
	ck_assert_int_eq(zip_file_replace(za, (zip_uint64_t)i, src, 0), 0);
	if (i == 0)
		zip_set_file_compression(za, 0, ZIP_CM_STORE, 0);
	ck_assert_int_eq(zip_close(za), 0);
}

START_TEST(test_evidence__tamper_any_file_is_named)
{
	char a[13], b[13], ids[3][37];
	kel_store *s = two_subjects(a, b, ids);
	const char *subjects[1] = { a };
	const char *path = bundle_path("clean.asice"), *bad = bundle_path("bad.asice");
	kel_evidence_summary sum;
	zip_int64_t n;
	zip_t *za;
	int err;

	export(s, subjects, 1, path, &sum);
	za = zip_open(path, ZIP_RDONLY, &err);
	n = zip_get_num_entries(za, 0);
	ck_assert_int_ge(n, 12);
	for (zip_int64_t i = 0; i < n; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
		kel_evidence_report *r;
		size_t len;
		char *data = entry_bytes(za, i, &len), *p;

		/* Change one byte in the middle: a digit or letter becomes another. */
		p = data + len / 2;
		while (p < data + len && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			p++;
		if (p == data + len)
			p = data + len / 2;
		*p = *p == 'a' ? 'b' : *p == '0' ? '1' : (char)(*p ^ 1);
		copy_file(path, bad);
		replace_entry(bad, i, data, len);
		r = verify(bad);
		ck_assert_msg(!kel_evidence_report_ok(r), "changing %s went unnoticed", name);
		/* The manifest's change shows in the statements that carry its digest. */
		ck_assert_msg(names(r, name) || (strcmp(name, "META-INF/kelisim-manifest.txt") == 0 &&
			names(r, "statement/statement-001.xml")), "changing %s: problems:\n%s", name,
			all_problems(r));
		kel_evidence_report_free(r);
		free(data);
	}
	zip_discard(za);
	kel_store_free(s);
}
END_TEST

START_TEST(test_evidence__remove_add_swap_are_named)
{
	char a[13], b[13], ids[3][37], name[96];
	kel_store *s = two_subjects(a, b, ids);
	const char *subjects[2] = { a, b };
	const char *path = bundle_path("clean2.asice"), *bad = bundle_path("bad2.asice");
	kel_evidence_summary sum;
	kel_evidence_report *r;
	zip_int64_t n;
	zip_t *za;
	int err;

	export(s, subjects, 2, path, &sum);
	za = zip_open(path, ZIP_RDONLY, &err);
	n = zip_get_num_entries(za, 0);
	zip_discard(za);
	/* Removing any file. */
	for (zip_int64_t i = 0; i < n; i++) {
		char removed[128];
		copy_file(path, bad);
		za = zip_open(bad, 0, &err);
		snprintf(removed, sizeof removed, "%s", zip_get_name(za, (zip_uint64_t)i, 0));
		ck_assert_int_eq(zip_delete(za, (zip_uint64_t)i), 0);
		ck_assert_int_eq(zip_close(za), 0);
		r = verify(bad);
		ck_assert_msg(!kel_evidence_report_ok(r), "removing %s went unnoticed", removed);
		ck_assert_msg(names(r, removed), "removing %s:\n%s", removed, all_problems(r));
		kel_evidence_report_free(r);
	}
	/* Adding a file. */
	copy_file(path, bad);
	za = zip_open(bad, 0, &err);
	ck_assert_int_ge(zip_file_add(za, "documents/extra.xml",
		zip_source_buffer(za, "<x/>", 4, 0), 0), 0);
	ck_assert_int_eq(zip_close(za), 0);
	r = verify(bad);
	ck_assert(!kel_evidence_report_ok(r));
	ck_assert_msg(names(r, "documents/extra.xml"), "%s", all_problems(r));
	kel_evidence_report_free(r);
	/* Swapping A's consent for B's, under A's name. */
	copy_file(path, bad);
	za = zip_open(bad, 0, &err);
	{
		size_t len;
		char *data;
		snprintf(name, sizeof name, "documents/%s.xml", ids[2]);
		data = entry_bytes(za, zip_name_locate(za, name, 0), &len);
		zip_discard(za);
		snprintf(name, sizeof name, "documents/%s.xml", ids[0]);
		za = zip_open(bad, ZIP_RDONLY, &err);
		n = zip_name_locate(za, name, 0);
		zip_discard(za);
		replace_entry(bad, n, data, len);
		free(data);
	}
	r = verify(bad);
	ck_assert(!kel_evidence_report_ok(r));
	ck_assert_msg(names(r, name), "%s", all_problems(r));
	kel_evidence_report_free(r);
	kel_store_free(s);
}
END_TEST

START_TEST(test_evidence__untrusted_anchor_fails)
{
	char a[13], b[13], ids[3][37];
	kel_store *s = two_subjects(a, b, ids);
	const char *subjects[1] = { a };
	const char *path = bundle_path("anchor.asice");
	kel_evidence_summary sum;
	kel_evidence_report *r = NULL;

	export(s, subjects, 1, path, &sum);
	ck_assert_int_eq(kel_evidence_verify(&r, path, th_pki("untrusted-root.crt"), NULL), 0);
	ck_assert(!kel_evidence_report_ok(r));
	ck_assert(names(r, "proofs/tree-head.sig"));
	kel_evidence_report_free(r);
	kel_store_free(s);
}
END_TEST

START_TEST(test_evidence__all_since_until)
{
	char a[13], b[13], ids[3][37], today[11], yesterday[11];
	kel_store *s = two_subjects(a, b, ids);
	kel_evidence_export_options o = KEL_EVIDENCE_EXPORT_OPTIONS_INIT;
	kel_key *key = th_operator_key();
	const char *path = bundle_path("window.asice");
	kel_evidence_summary sum;
	time_t now = time(NULL) + 5 * 3600;     /* the day in Kazakhstan, computed here */
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	now -= 86400;
	gmtime_r(&now, &tm);
	strftime(yesterday, sizeof yesterday, "%Y-%m-%d", &tm);
	o.all = 1;
	o.key = key;
	o.since = today;
	ck_assert_msg(kel_evidence_export(s, &o, path, &sum) == 0, "%s", th_error_message());
	ck_assert_int_eq((int)sum.subjects, 2);
	ck_assert_int_eq((int)sum.complete, 1);
	o.since = NULL;
	o.until = yesterday;
	ck_assert_int_eq(kel_evidence_export(s, &o, path, &sum), KEL_EINVAL);
	ck_assert_str_eq(th_error_message(), "nothing in scope: no subject has a document there");
	/* A scope is exactly one of request, subjects, all. */
	o.until = NULL;
	o.request_id = "01a212e0-1460-7ca9-be7a-7c45b4362c90";
	ck_assert_int_eq(kel_evidence_export(s, &o, path, &sum), KEL_EINVAL);
	o.all = 0;
	ck_assert_int_eq(kel_evidence_export(s, &o, path, &sum), KEL_ENOTFOUND);
	kel_key_free(key);
	kel_store_free(s);
}
END_TEST

START_TEST(test_evidence__thousand_subjects)
{
	kel_store *s = open_store(fresh_uri(), 0);
	kel_key *key = th_operator_key();
	kel_evidence_export_options o = KEL_EVIDENCE_EXPORT_OPTIONS_INIT;
	const char *path = bundle_path("thousand.asice");
	kel_evidence_summary sum;
	kel_evidence_report *r;
	char iin[13];

	for (int k = 0; k < 1000; k++) {
		iin_for(iin, k);
		add_doc(s, key, "consent", iin, NULL, NULL);
		if (k % 100 != 7)          /* ten subjects without a notice */
			add_doc(s, key, "transfer-notice", iin, NULL, NULL);
	}
	o.all = 1;
	o.key = key;
	ck_assert_msg(kel_evidence_export(s, &o, path, &sum) == 0, "%s", th_error_message());
	ck_assert_int_eq((int)sum.subjects, 1000);
	ck_assert_int_eq((int)sum.complete, 990);
	ck_assert_int_eq((int)sum.documents, 1990);
	ck_assert_int_eq((int)sum.parts, 2);
	r = verify(path);
	ck_assert_msg(kel_evidence_report_ok(r), "%s", all_problems(r));
	ck_assert_int_eq(kel_evidence_report_complete(r), 0);
	kel_evidence_report_free(r);
	kel_key_free(key);
	kel_store_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("evidence");
	TCase *tc = tcase_create("evidence");
	TCase *big = tcase_create("evidence-1000");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_add_test(tc, test_evidence__request_due_dates_and_order);
	tcase_add_test(tc, test_evidence__request_refusals);
	tcase_add_test(tc, test_evidence__one_subject_bundle);
	tcase_add_test(tc, test_evidence__gaps_listed_not_left_out);
	tcase_add_test(tc, test_evidence__tamper_any_file_is_named);
	tcase_add_test(tc, test_evidence__remove_add_swap_are_named);
	tcase_add_test(tc, test_evidence__untrusted_anchor_fails);
	tcase_add_test(tc, test_evidence__all_since_until);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(big, th_setup, th_teardown);
	tcase_set_timeout(big, 1200);
	tcase_add_test(big, test_evidence__thousand_subjects);
	suite_add_tcase(s, big);
	return th_run_suite(s);
}
