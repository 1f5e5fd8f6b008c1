/*
 * Refusals of a request: each names the field and the problem, and nothing is made.
 * Requests are built in the tests by changing the example requests of schemas/examples.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "helpers.h"
#include "kelisim.h"

static json_t *example(const char *type)
{
	char path[256];
	json_error_t err;
	json_t *req;

	snprintf(path, sizeof(path), "schemas/examples/%s.json", type);
	req = json_load_file(th_source(path), 0, &err);
	ck_assert_msg(req != NULL, "%s: %s", path, err.text);
	return req;
}

/* Make a document from req (consumed); returns the status, and the doc is freed. */
static int make(json_t *req)
{
	char *text = json_dumps(req, 0);
	kel_doc *doc = (kel_doc *)0x1;
	int rc;

	rc = kel_doc_new(&doc, text, strlen(text), NULL);
	ck_assert(rc == 0 ? doc != NULL : doc == NULL);
	kel_doc_free(doc);
	free(text);
	json_decref(req);
	return rc;
}

/* The request is refused as invalid, and the message has this line. */
#define ck_refused(req, line) do { \
	ck_assert_int_eq(make(req), KEL_EINVALID); \
	ck_assert_msg(strstr(th_error_message(), line) != NULL, \
		"expected '%s' in:\n%s", line, th_error_message()); \
} while (0)

static void set(json_t *obj, const char *key, json_t *value)
{
	ck_assert_int_eq(json_object_set_new(obj, key, value), 0);
}

START_TEST(test_request__iin_control_digit)
{
	json_t *req = example("consent");
	set(json_object_get(req, "subject"), "iin", json_string("900101300006"));
	ck_refused(req, "subject.iin: control digit mismatch");
}
END_TEST

START_TEST(test_request__bin_control_digit)
{
	json_t *req = example("consent");
	set(json_object_get(req, "operator"), "bin", json_string("990340000005"));
	ck_refused(req, "operator.bin: control digit mismatch");
	req = example("transfer-notice");
	set(json_object_get(req, "processor"), "bin", json_string("13034002023"));
	ck_refused(req, "processor.bin: must be exactly 12 digits");
}
END_TEST

START_TEST(test_request__iin_as_number)
{
	json_t *req = example("consent");
	set(json_object_get(req, "subject"), "iin", json_integer(900101300007));
	ck_refused(req, "subject.iin: must be a string, not a number");
}
END_TEST

START_TEST(test_request__representative_iin)
{
	json_t *req = example("consent"), *rep = json_object();
	set(rep, "name", json_string("Серікбаева Гүлнар"));
	set(rep, "iin", json_string("950712400124"));
	set(rep, "basis", json_string("заңды өкіл"));
	set(json_object_get(req, "subject"), "representative", rep);
	ck_refused(req, "subject.representative.iin: control digit mismatch");
}
END_TEST

/* Each item Law 94-V art. 8 §4 requires of a consent, removed in turn. */
START_TEST(test_request__law_94v_items_required)
{
	static const struct { const char *object, *key, *line; } cases[] = {
		{ "operator", "name", "operator.name: missing" },
		{ "operator", "bin", "operator.bin: missing" },
		{ "subject", "name", "subject.name: missing" },
		{ NULL, "period", "period: missing (a consent must state it: Law 94-V art. 8 §4)" },
		{ NULL, "third_parties", "third_parties: missing (a consent must state it" },
		{ NULL, "cross_border", "cross_border: missing (a consent must state it" },
		{ NULL, "public_sources", "public_sources: missing (a consent must state it" },
		{ NULL, "data", "data: missing (a consent must state it" },
		{ NULL, "operator", "operator: missing (a consent must state it" },
		{ NULL, "subject", "subject: missing (a consent must state it" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		json_t *req = example("consent");
		json_t *obj = cases[i].object ? json_object_get(req, cases[i].object) : req;
		ck_assert_int_eq(json_object_del(obj, cases[i].key), 0);
		ck_refused(req, cases[i].line);
	}
}
END_TEST

/* What ISO/IEC TS 27560 asks of a consent record, removed in turn. */
START_TEST(test_request__ts27560_items_required)
{
	static const char *const keys[] = { "purposes", "storage", "withdrawal_method", "capture" };
	for (size_t i = 0; i < 4; i++) {
		json_t *req = example("consent");
		char line[128];
		json_object_del(req, keys[i]);
		snprintf(line, sizeof(line), "%s: missing (a consent must state it", keys[i]);
		ck_refused(req, line);
	}
}
END_TEST

START_TEST(test_request__cross_border_consent_needs_recipients)
{
	json_t *req = example("cross-border-consent");
	set(json_object_get(req, "cross_border"), "recipients", json_array());
	ck_refused(req, "cross_border.recipients: must name at least one recipient");
	req = example("cross-border-consent");
	set(json_object_get(req, "cross_border"), "allowed", json_false());
	ck_refused(req, "cross_border.allowed: must be true in a cross-border-consent");
}
END_TEST

START_TEST(test_request__bad_country)
{
	json_t *req = example("cross-border-consent");
	json_t *first = json_array_get(json_object_get(json_object_get(req, "cross_border"),
		"recipients"), 0);
	set(first, "country", json_string("XX"));
	ck_refused(req, "cross_border.recipients[0].country: 'XX' is not an ISO 3166-1 alpha-2");
	req = example("consent");
	set(json_object_get(req, "storage"), "country", json_string("Kazakhstan"));
	ck_refused(req, "storage.country: longer than 2 characters");
}
END_TEST

START_TEST(test_request__bad_dates)
{
	json_t *req = example("consent");
	set(json_object_get(req, "period"), "until", json_string("2027-02-30"));
	ck_refused(req, "period.until: '2027-02-30' is not a date (YYYY-MM-DD)");

	req = example("consent");
	set(json_object_get(req, "period"), "from", json_string("25.11.2026"));
	ck_refused(req, "period.from: '25.11.2026' is not a date (YYYY-MM-DD)");

	req = example("consent");
	set(json_object_get(req, "period"), "from", json_string("2030-01-01"));
	ck_refused(req, "period.until: 2029-11-25 is before period.from 2030-01-01");

	req = example("consent");
	set(json_object_get(req, "period"), "until", json_string("2001-01-01"));
	json_object_del(json_object_get(req, "period"), "from");
	ck_refused(req, "period.until: 2001-01-01 is already past");

	req = example("consent");
	set(json_object_get(req, "period"), "until_purpose_achieved", json_true());
	ck_refused(req, "period: give either 'until' or 'until_purpose_achieved', not both");
}
END_TEST

START_TEST(test_request__unknown_language_type_action)
{
	json_t *req = example("consent");
	set(req, "languages", json_pack("[s,s]", "kk", "de"));
	ck_refused(req, "languages[1]: unknown language 'de' (expected kk, ru or en)");

	req = example("consent");
	set(req, "type", json_string("agreement"));
	ck_refused(req, "type: unknown type 'agreement'");

	req = example("consent");
	set(req, "actions", json_pack("[s,s]", "collect", "sell"));
	ck_refused(req, "actions[1]: unknown action 'sell'");

	req = example("consent");
	set(req, "languages", json_pack("[s,s]", "kk", "kk"));
	ck_refused(req, "languages[1]: repeats 'kk'");

	req = example("consent");
	set(json_object_get(req, "capture"), "method", json_string("fax"));
	ck_refused(req, "capture.method: unknown method 'fax'");
}
END_TEST

START_TEST(test_request__unknown_keys)
{
	json_t *req = example("consent");
	set(req, "signature", json_string("x"));
	ck_refused(req, "signature: unknown key");

	req = example("consent");
	set(json_object_get(req, "subject"), "middle_name", json_string("x"));
	ck_refused(req, "subject.middle_name: unknown key");
}
END_TEST

START_TEST(test_request__wrong_types)
{
	json_t *req = example("consent");
	set(req, "third_parties", json_string("no"));
	ck_refused(req, "third_parties: must be true or false, not a string");

	req = example("consent");
	set(req, "purposes", json_string("delivery"));
	ck_refused(req, "purposes: must be an array, not a string");

	req = example("consent");
	set(req, "operator", json_array());
	ck_refused(req, "operator: must be an object, not an array");

	/* A mistyped recipients list is reported once, as mistyped. */
	req = example("cross-border-consent");
	set(json_object_get(req, "cross_border"), "recipients", json_string("DE"));
	ck_refused(req, "cross_border.recipients: must be an array, not a string");
	ck_assert_ptr_null(strstr(th_error_message(), "must name at least one recipient"));

	req = example("consent");
	set(req, "data", json_array());
	ck_refused(req, "data: must list at least one entry");

	req = example("consent");
	json_array_append_new(json_object_get(req, "data"), json_integer(5));
	ck_refused(req, "data[5]: must be a string, not a number");
}
END_TEST

START_TEST(test_request__hostile_text)
{
	json_t *req = example("consent");
	set(json_object_get(req, "subject"), "name", json_string("Arman\xe2\x80\xae" "ecnatpecca"));
	ck_refused(req, "subject.name: contains a bidirectional override");

	req = example("consent");
	set(json_object_get(req, "operator"), "name", json_string("Dala\nSauda"));
	ck_refused(req, "operator.name: contains a control character");

	req = example("consent");
	set(json_object_get(req, "subject"), "name", json_string(" Arman"));
	ck_refused(req, "subject.name: must not begin or end with blanks");
}
END_TEST

START_TEST(test_request__withdrawal)
{
	json_t *req = example("withdrawal");
	json_object_del(req, "refers_to");
	ck_refused(req, "refers_to: missing (a withdrawal must state it");

	req = example("withdrawal");
	set(req, "refers_to", json_string("not-a-uuid"));
	ck_refused(req, "refers_to: 'not-a-uuid' is not a document id (a UUID)");

	req = example("withdrawal");
	set(req, "purposes", json_pack("[s]", "x"));
	ck_refused(req, "purposes: not part of a withdrawal");

	req = example("consent");
	set(req, "refers_to", json_string("019ab4c2-8e10-7a3c-9f21-5d6e7f8a9b0c"));
	ck_refused(req, "refers_to: not part of a consent");
}
END_TEST

START_TEST(test_request__in_person_needs_clerk)
{
	json_t *req = example("withdrawal");
	json_object_del(json_object_get(req, "capture"), "clerk");
	ck_refused(req, "capture.clerk: missing");
}
END_TEST

START_TEST(test_request__every_problem_listed)
{
	json_t *req = example("consent");
	set(json_object_get(req, "subject"), "iin", json_string("900101300006"));
	set(json_object_get(req, "operator"), "bin", json_string("990340000005"));
	json_object_del(req, "period");
	ck_assert_int_eq(make(req), KEL_EINVALID);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "subject.iin: control digit mismatch"));
	ck_assert_ptr_nonnull(strstr(th_error_message(), "operator.bin: control digit mismatch"));
	ck_assert_ptr_nonnull(strstr(th_error_message(), "period: missing"));
}
END_TEST

START_TEST(test_request__malformed_json)
{
	static const char *const bad[] = { "{", "{\"type\": \"consent\",}", "[1,2", "nul", "",
		"{\"type\": \"consent\", \"type\": \"withdrawal\"}" };
	kel_doc *doc = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		ck_assert_int_eq(kel_doc_new(&doc, bad[i], strlen(bad[i]), NULL), KEL_EPARSE);
		ck_assert_ptr_null(doc);
		ck_assert_ptr_nonnull(strstr(th_error_message(), "request: not valid JSON"));
	}
	ck_assert_int_eq(kel_doc_new(&doc, "[]", 2, NULL), KEL_EINVALID);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "request: must be a JSON object"));
}
END_TEST

/* ---- evidence-statement (DPA clause 4.8) ------------------------------------------------ */

static json_t *statement_subject(json_t *req, size_t i)
{
	return json_array_get(json_object_get(json_object_get(req, "statement"), "subjects"), i);
}

START_TEST(test_request__evidence_statement_made)
{
	json_t *req = example("evidence-statement");
	char *text = json_dumps(req, 0);
	kel_doc *doc = NULL;
	kel_buf xml = KEL_BUF_INIT;

	ck_assert_msg(kel_doc_new(&doc, text, strlen(text), NULL) == 0, "%s", th_error_message());
	ck_assert_int_eq(kel_doc_get_type(doc), KEL_DOC_EVIDENCE_STATEMENT);
	ck_assert_str_eq(kel_doc_type_name(KEL_DOC_EVIDENCE_STATEMENT), "evidence-statement");
	ck_assert_int_eq(kel_doc_type_from_name("evidence-statement"), KEL_DOC_EVIDENCE_STATEMENT);
	ck_assert_str_eq(kel_doc_subject_iin(doc), "");
	ck_assert_int_eq(kel_doc_write(&xml, doc), 0);
	/* 2026-11-20 + 5 calendar days, computed here: 2026-11-25. */
	ck_assert_ptr_nonnull(strstr(xml.ptr, "<Received>2026-11-20</Received>"));
	ck_assert_ptr_nonnull(strstr(xml.ptr, "<Due>2026-11-25</Due>"));
	/* The reader writes the gaps of the subject with neither consent nor notice. */
	ck_assert_ptr_nonnull(strstr(xml.ptr, "<Gap>no-consent-in-force</Gap>"));
	ck_assert_ptr_nonnull(strstr(xml.ptr, "<Gap>no-transfer-notice</Gap>"));
	ck_assert_ptr_null(strstr(xml.ptr, "<Capture>"));
	ck_assert_ptr_null(strstr(xml.ptr, "<Terms>"));
	/* The wording names the clause, the gaps and the subjects, in Kazakh and Russian. */
	ck_assert_ptr_nonnull(strstr(xml.ptr, "4.8-тармағына сәйкес"));
	ck_assert_ptr_nonnull(strstr(xml.ptr, "пунктом 4.8 поручения"));
	ck_assert_ptr_nonnull(strstr(xml.ptr, "Анықталған олқылықтар"));
	ck_assert_ptr_nonnull(strstr(xml.ptr, "Выявленные пробелы"));
	ck_assert_ptr_nonnull(strstr(xml.ptr, "ИИН 900101300027: отсутствует действующее согласие"));
	kel_buf_dispose(&xml);
	kel_doc_free(doc);
	free(text);
	json_decref(req);
}
END_TEST

START_TEST(test_request__evidence_statement_refusals)
{
	json_t *req = example("evidence-statement");
	json_object_del(req, "statement");
	ck_refused(req, "statement: missing (a evidence-statement must state it: DPA clause 4.8)");

	req = example("evidence-statement");
	set(req, "subject", json_pack("{s:s,s:s}", "name", "A", "iin", "900101300007"));
	ck_refused(req, "subject: not part of a evidence-statement");

	/* A statement belongs only to its own type. */
	req = example("consent");
	set(req, "statement", json_object());
	ck_refused(req, "statement: not part of a consent");

	req = example("evidence-statement");
	set(statement_subject(req, 0), "status", json_string("ConsentWithdrawn"));
	ck_refused(req, "statement.subjects[0].status: 'ConsentWithdrawn' but a consent is given "
		"as the lawful basis");

	req = example("evidence-statement");
	set(statement_subject(req, 1), "status", json_string("ConsentGiven"));
	ck_refused(req, "statement.subjects[1].status: ConsentGiven but no consent is given as the "
		"lawful basis");

	req = example("evidence-statement");
	set(statement_subject(req, 1), "iin", json_string("900101300007"));
	ck_refused(req, "statement.subjects[1].iin: repeats '900101300007'");

	req = example("evidence-statement");
	set(statement_subject(req, 1), "iin", json_string("900101300008"));
	ck_refused(req, "statement.subjects[1].iin: control digit mismatch");

	req = example("evidence-statement");
	set(json_object_get(json_object_get(req, "statement"), "request"), "received",
		json_string("2026-02-30"));
	ck_refused(req, "statement.request.received: '2026-02-30' is not a date (YYYY-MM-DD)");

	req = example("evidence-statement");
	set(json_object_get(req, "statement"), "part", json_integer(2));
	ck_refused(req, "statement.part: 2 is beyond statement.parts (1)");

	req = example("evidence-statement");
	set(json_object_get(req, "statement"), "manifest_sha256", json_string("ABC"));
	ck_refused(req, "statement.manifest_sha256: must be 64 lower-case hex digits");

	req = example("evidence-statement");
	set(json_object_get(req, "statement"), "subjects", json_array());
	ck_refused(req, "statement.subjects: must list 1 to 1000 subjects");

	req = example("evidence-statement");
	set(statement_subject(req, 0), "gaps", json_array());
	ck_refused(req, "statement.subjects[0].gaps: unknown key");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("request");
	TCase *tc = tcase_create("request");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_add_test(tc, test_request__iin_control_digit);
	tcase_add_test(tc, test_request__bin_control_digit);
	tcase_add_test(tc, test_request__iin_as_number);
	tcase_add_test(tc, test_request__representative_iin);
	tcase_add_test(tc, test_request__law_94v_items_required);
	tcase_add_test(tc, test_request__ts27560_items_required);
	tcase_add_test(tc, test_request__cross_border_consent_needs_recipients);
	tcase_add_test(tc, test_request__bad_country);
	tcase_add_test(tc, test_request__bad_dates);
	tcase_add_test(tc, test_request__unknown_language_type_action);
	tcase_add_test(tc, test_request__unknown_keys);
	tcase_add_test(tc, test_request__wrong_types);
	tcase_add_test(tc, test_request__hostile_text);
	tcase_add_test(tc, test_request__withdrawal);
	tcase_add_test(tc, test_request__in_person_needs_clerk);
	tcase_add_test(tc, test_request__every_problem_listed);
	tcase_add_test(tc, test_request__malformed_json);
	tcase_add_test(tc, test_request__evidence_statement_made);
	tcase_add_test(tc, test_request__evidence_statement_refusals);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
