/*
 * The "statement" of an evidence-statement request (DPA clause 4.8): the processor's request
 * answered, the scope, the part, the digest of the bundle's manifest, and per data subject
 * the lawful basis, the transfer notice and the consent's status now. The evidence module
 * (evidence.c) builds this JSON from the store; the reader holds it to the same rules as any
 * request, and writes the gaps itself so that a statement can never leave one unsaid.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <jansson.h>

#include "request_ctx.h"
#include "text.h"
#include "kelisim/uuid.h"

/* The most subjects one statement part lists (the schema's maxOccurs of Entry). */
#define KEL_STATEMENT_MAX_ENTRIES 1000

int kel__date_add_days(const char *date, int days, char out[11])
{
	struct tm tm;
	time_t t;

	if (!kel__date_is_valid(date))
		return -1;
	memset(&tm, 0, sizeof tm);
	if (sscanf(date, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	t = timegm(&tm) + (time_t)days * 86400;
	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return -1;
	if (strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		return -1;
	return 0;
}

static const char *get_date(struct rq_ctx *c, json_t *obj, const char *path, const char *key,
	int required)
{
	const char *s = kel__rq_get_text(c, obj, path, key, required, 10);
	char p[128];

	if (s && !kel__date_is_valid(s)) {
		kel__rq_join(p, sizeof p, path, key);
		kel__rq_problem(c, p, "'%.16s' is not a date (YYYY-MM-DD)", s);
		return NULL;
	}
	return s;
}

static const char *get_uuid(struct rq_ctx *c, json_t *obj, const char *path, const char *key,
	int required)
{
	const char *s = kel__rq_get_text(c, obj, path, key, required, 36);
	char p[128];

	if (s && (strlen(s) != 36 || !kel_uuid_is_valid(s))) {
		kel__rq_join(p, sizeof p, path, key);
		kel__rq_problem(c, p, "'%.40s' is not a document id (a lower-case UUID)", s);
		return NULL;
	}
	return s;
}

static long get_count(struct rq_ctx *c, json_t *obj, const char *key, long min)
{
	json_t *v = json_object_get(obj, key);
	char p[64];

	snprintf(p, sizeof p, "statement.%s", key);
	if (v == NULL) {
		kel__rq_problem(c, p, "missing");
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > 1000000) {
		kel__rq_problem(c, p, "must be a whole number from %ld", min);
		return 0;
	}
	return (long)json_integer_value(v);
}

/* A document reference {"id": UUID, "date": DATE} as <element DocumentId Date/>. */
static int read_ref(struct rq_ctx *c, xmlNodePtr entry, json_t *obj, const char *key,
	const char *path, const char *element)
{
	static const char *const keys[] = { "id", "date", NULL };
	json_t *ref = kel__rq_get_object(c, obj, key, path);
	const char *id, *date;
	char p[96];
	xmlNodePtr n;

	if (ref == NULL)
		return 0;
	kel__rq_join(p, sizeof p, path, key);
	kel__rq_check_keys(c, ref, p, keys);
	id = get_uuid(c, ref, p, "id", 1);
	date = get_date(c, ref, p, "date", 1);
	if (id && date && (n = kel__rq_add(c, entry, element, NULL)) != NULL) {
		xmlNewProp(n, BAD_CAST "DocumentId", BAD_CAST id);
		xmlNewProp(n, BAD_CAST "Date", BAD_CAST date);
	}
	return 1;
}

static void read_request(struct rq_ctx *c, xmlNodePtr st, json_t *obj)
{
	static const char *const keys[] = { "id", "reference", "received", NULL };
	json_t *req = kel__rq_get_object(c, obj, "request", "statement.request");
	const char *ref, *received, *id;
	char due[11];
	xmlNodePtr n;

	if (req == NULL)
		return;
	kel__rq_check_keys(c, req, "statement.request", keys);
	id = get_uuid(c, req, "statement.request", "id", 0);
	ref = kel__rq_get_text(c, req, "statement.request", "reference", 1, 512);
	received = get_date(c, req, "statement.request", "received", 1);
	if (!ref || !received || (n = kel__rq_add(c, st, "Request", NULL)) == NULL)
		return;
	if (id)
		xmlNewProp(n, BAD_CAST "Id", BAD_CAST id);
	kel__rq_add(c, n, "Reference", ref);
	kel__rq_add(c, n, "Received", received);
	/* DPA clause 4.8: five calendar days from the day the request was received. */
	if (kel__date_add_days(received, 5, due) == 0)
		kel__rq_add(c, n, "Due", due);
}

static void read_scope(struct rq_ctx *c, xmlNodePtr st, json_t *obj)
{
	static const char *const keys[] = { "kind", "since", "until", NULL };
	json_t *scope = kel__rq_get_object(c, obj, "scope", "statement.scope");
	const char *kind, *since, *until;
	xmlNodePtr n;

	if (scope == NULL) {
		if (json_object_get(obj, "scope") == NULL)
			kel__rq_problem(c, "statement.scope", "missing");
		return;
	}
	kel__rq_check_keys(c, scope, "statement.scope", keys);
	kind = kel__rq_get_text(c, scope, "statement.scope", "kind", 1, 16);
	since = get_date(c, scope, "statement.scope", "since", 0);
	until = get_date(c, scope, "statement.scope", "until", 0);
	if (kind && strcmp(kind, "request") != 0 && strcmp(kind, "subjects") != 0 &&
	    strcmp(kind, "all") != 0) {
		kel__rq_problem(c, "statement.scope.kind", "unknown scope '%.16s' (expected request, "
			"subjects or all)", kind);
		return;
	}
	if (since && until && strcmp(until, since) < 0)
		kel__rq_problem(c, "statement.scope.until", "before scope.since");
	if (kind && (n = kel__rq_add(c, st, "Scope", NULL)) != NULL) {
		xmlNewProp(n, BAD_CAST "Kind", BAD_CAST kind);
		if (since)
			xmlNewProp(n, BAD_CAST "Since", BAD_CAST since);
		if (until)
			xmlNewProp(n, BAD_CAST "Until", BAD_CAST until);
	}
}

static void read_entry(struct rq_ctx *c, xmlNodePtr st, json_t *e, size_t i)
{
	static const char *const keys[] = { "iin", "name", "consent", "notice", "status", NULL };
	static const char *const statuses[] = { "ConsentGiven", "ConsentWithdrawn",
		"ConsentExpired", "ConsentUnknown", NULL };
	const char *iin, *name, *status;
	char p[64], q[80];
	xmlNodePtr n;
	int known = 0, has_consent, has_notice;

	snprintf(p, sizeof p, "statement.subjects[%zu]", i);
	if (!json_is_object(e)) {
		kel__rq_problem(c, p, "must be an object, not %s", kel__rq_json_kind(e));
		return;
	}
	kel__rq_check_keys(c, e, p, keys);
	if ((n = kel__rq_add(c, st, "Entry", NULL)) == NULL)
		return;
	iin = kel__rq_get_text(c, e, p, "iin", 1, 12);
	snprintf(q, sizeof q, "%s.iin", p);
	kel__rq_check_kzid(c, q, iin, 0);
	if (iin)
		kel__rq_add(c, n, "IIN", iin);
	if ((name = kel__rq_get_text(c, e, p, "name", 0, KEL_TEXT_MAX)) != NULL)
		kel__rq_add(c, n, "FullName", name);
	has_consent = read_ref(c, n, e, "consent", p, "LawfulBasis");
	has_notice = read_ref(c, n, e, "notice", p, "TransferNotice");
	status = kel__rq_get_text(c, e, p, "status", 1, 32);
	if (status)
		for (const char *const *s = statuses; *s; s++)
			if (strcmp(status, *s) == 0)
				known = 1;
	snprintf(q, sizeof q, "%s.status", p);
	if (status && !known) {
		kel__rq_problem(c, q, "unknown status '%.32s' (expected ConsentGiven, "
			"ConsentWithdrawn, ConsentExpired or ConsentUnknown)", status);
		return;
	}
	/* A lawful basis is a consent in force: stated exactly when the status says so. */
	if (status && has_consent && strcmp(status, "ConsentGiven") != 0)
		kel__rq_problem(c, q, "'%s' but a consent is given as the lawful basis", status);
	if (status && !has_consent && strcmp(status, "ConsentGiven") == 0)
		kel__rq_problem(c, q, "ConsentGiven but no consent is given as the lawful basis");
	/* Gaps are written here, from what is missing, never left to the caller. */
	if (!has_consent)
		kel__rq_add(c, n, "Gap", "no-consent-in-force");
	if (!has_notice)
		kel__rq_add(c, n, "Gap", "no-transfer-notice");
	if (status)
		kel__rq_add(c, n, "Status", status);
}

void kel__rq_read_statement(struct rq_ctx *c, xmlNodePtr parent, json_t *root)
{
	static const char *const keys[] = { "request", "scope", "part", "parts",
		"manifest_sha256", "subjects", NULL };
	json_t *obj = kel__rq_get_object(c, root, "statement", "statement"), *subjects, *e;
	const char *sha;
	long part, parts;
	char num[24];
	xmlNodePtr st, n;
	size_t i;

	if (obj == NULL)
		return;
	kel__rq_check_keys(c, obj, "statement", keys);
	if ((st = kel__rq_add(c, parent, "Statement", NULL)) == NULL)
		return;
	read_request(c, st, obj);
	read_scope(c, st, obj);
	part = get_count(c, obj, "part", 1);
	parts = get_count(c, obj, "parts", 1);
	if (part && parts && part > parts)
		kel__rq_problem(c, "statement.part", "%ld is beyond statement.parts (%ld)", part, parts);
	if ((n = kel__rq_add(c, st, "Part", NULL)) != NULL) {
		snprintf(num, sizeof num, "%ld", part ? part : 1);
		xmlNewProp(n, BAD_CAST "Number", BAD_CAST num);
		snprintf(num, sizeof num, "%ld", parts ? parts : 1);
		xmlNewProp(n, BAD_CAST "Of", BAD_CAST num);
	}
	sha = kel__rq_get_text(c, obj, "statement", "manifest_sha256", 1, 64);
	if (sha && (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64))
		kel__rq_problem(c, "statement.manifest_sha256", "must be 64 lower-case hex digits");
	else if (sha && (n = kel__rq_add(c, st, "Manifest", NULL)) != NULL)
		xmlNewProp(n, BAD_CAST "SHA256", BAD_CAST sha);

	subjects = kel__rq_get_array(c, obj, "subjects", "statement.subjects");
	if (subjects == NULL) {
		if (json_object_get(obj, "subjects") == NULL)
			kel__rq_problem(c, "statement.subjects", "missing");
		return;
	}
	if (json_array_size(subjects) == 0 || json_array_size(subjects) > KEL_STATEMENT_MAX_ENTRIES) {
		kel__rq_problem(c, "statement.subjects", "must list 1 to %d subjects (a larger "
			"answer is made in parts)", KEL_STATEMENT_MAX_ENTRIES);
		return;
	}
	json_array_foreach(subjects, i, e) {
		read_entry(c, st, e, i);
		/* The same subject twice would let two rows disagree. */
		for (size_t j = 0; j < i; j++) {
			const char *a = json_string_value(json_object_get(e, "iin"));
			const char *b = json_string_value(json_object_get(json_array_get(subjects, j), "iin"));
			if (a && b && strcmp(a, b) == 0) {
				char p[64];
				snprintf(p, sizeof p, "statement.subjects[%zu].iin", i);
				kel__rq_problem(c, p, "repeats '%s'", a);
				break;
			}
		}
	}
}
