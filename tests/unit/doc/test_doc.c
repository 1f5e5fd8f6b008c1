/*
 * Documents: each type made from its example request, written, read back and checked; and
 * documents altered in the test refused by the schema or by the rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "kelisim.h"

static const char *const types[] = { "consent", "transfer-notice", "cross-border-consent",
	"withdrawal" };

static kel_doc *make_example(const char *type)
{
	char path[256];
	kel_doc_new_options opts = KEL_DOC_NEW_OPTIONS_INIT;
	kel_doc *doc = NULL;
	size_t len;
	char *json;
	int rc;

	snprintf(path, sizeof(path), "schemas/examples/%s.json", type);
	json = th_read_file(th_source(path), &len);
	opts.issued_at = 1795000000;   /* 2026-11-18T11:06:40Z */
	rc = kel_doc_new(&doc, json, len, &opts);
	ck_assert_msg(rc == 0, "%s: %s", type, th_error_message());
	free(json);
	return doc;
}

/* The XML of the consent example, to be altered by a test. Free with free(). */
static char *example_xml(void)
{
	kel_doc *doc = make_example("consent");
	kel_buf buf = KEL_BUF_INIT;
	char *copy;

	ck_assert_int_eq(kel_doc_write(&buf, doc), 0);
	copy = strdup(buf.ptr);
	kel_buf_dispose(&buf);
	kel_doc_free(doc);
	return copy;
}

/* Replace the first occurrence of from with to in *xml (reallocated). */
static void replace(char **xml, const char *from, const char *to)
{
	char *at = strstr(*xml, from), *out;
	size_t head;

	ck_assert_msg(at != NULL, "'%s' not in the document", from);
	head = (size_t)(at - *xml);
	out = malloc(strlen(*xml) - strlen(from) + strlen(to) + 1);
	memcpy(out, *xml, head);
	strcpy(out + head, to);
	strcat(out, at + strlen(from));
	free(*xml);
	*xml = out;
}

static int parse(const char *xml)
{
	kel_doc *doc = NULL;
	int rc = kel_doc_parse(&doc, xml, strlen(xml));

	ck_assert(rc == 0 ? doc != NULL : doc == NULL);
	kel_doc_free(doc);
	return rc;
}

#define ck_doc_refused(xml, code, text) do { \
	ck_assert_int_eq(parse(xml), code); \
	ck_assert_msg(strstr(th_error_message(), text) != NULL, "expected '%s' in:\n%s", text, \
		th_error_message()); \
} while (0)

START_TEST(test_doc__each_type_from_example)
{
	const char *type = types[_i];
	kel_doc *doc = make_example(type), *again = NULL;
	kel_buf buf = KEL_BUF_INIT;

	ck_assert_str_eq(kel_doc_type_name(kel_doc_get_type(doc)), type);
	ck_assert(kel_uuid_is_valid(kel_doc_id(doc)));
	ck_assert_int_eq(kel_doc_id(doc)[14], '7');
	ck_assert_str_eq(kel_doc_issued_at(doc), "2026-11-18T11:06:40Z");
	ck_assert_str_eq(kel_doc_subject_iin(doc), "900101300007");
	ck_assert_str_eq(kel_doc_operator_bin(doc), "990340000004");
	if (strcmp(type, "withdrawal") == 0)
		ck_assert_str_eq(kel_doc_refers_to(doc), "019ab4c2-8e10-7a3c-9f21-5d6e7f8a9b0c");
	else
		ck_assert_ptr_null(kel_doc_refers_to(doc));
	if (strcmp(type, "cross-border-consent") == 0)
		ck_assert_str_eq(kel_doc_languages(doc), "kk ru en");
	else
		ck_assert_str_eq(kel_doc_languages(doc), "kk ru");

	/* Written out and read back: valid, same id, and the same bytes again. */
	ck_assert_int_eq(kel_doc_write(&buf, doc), 0);
	ck_assert_ptr_nonnull(strstr(buf.ptr, "xmlns=\"urn:kelisim:consent:1\""));
	ck_assert_int_eq(kel_doc_parse(&again, buf.ptr, buf.size), 0);
	ck_assert_str_eq(kel_doc_id(again), kel_doc_id(doc));
	{
		kel_buf second = KEL_BUF_INIT;
		ck_assert_int_eq(kel_doc_write(&second, again), 0);
		ck_assert_str_eq(second.ptr, buf.ptr);
		kel_buf_dispose(&second);
	}
	kel_doc_free(again);
	kel_doc_free(doc);
	kel_buf_dispose(&buf);
}
END_TEST

START_TEST(test_doc__fresh_ids_and_current_time)
{
	char *json;
	size_t len;
	kel_doc *a = NULL, *b = NULL;
	char before[32], after[32];
	time_t t = time(NULL);

	json = th_read_file(th_source("schemas/examples/consent.json"), &len);
	ck_assert_int_eq(kel_doc_new(&a, json, len, NULL), 0);
	ck_assert_int_eq(kel_doc_new(&b, json, len, NULL), 0);
	ck_assert_str_ne(kel_doc_id(a), kel_doc_id(b));
	strftime(before, sizeof(before), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	t = time(NULL);
	strftime(after, sizeof(after), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	/* Issued between the two readings of the clock (whole seconds). */
	ck_assert_int_le(strcmp(kel_doc_issued_at(a), after), 0);
	ck_assert_int_ge(strcmp(kel_doc_issued_at(a), before), 0);
	ck_assert_int_eq(kel_doc_issued_at(a)[19], 'Z');
	kel_doc_free(a);
	kel_doc_free(b);
	free(json);
}
END_TEST

START_TEST(test_doc__structure_follows_design)
{
	char *xml = example_xml();

	/* Content first with its header, then Verification and Signatures slots. */
	ck_assert_ptr_nonnull(strstr(xml, "<Content Id=\"content-"));
	ck_assert_ptr_nonnull(strstr(xml, "<Verification Id=\"verification-"));
	ck_assert_ptr_nonnull(strstr(xml, "<Signatures/>"));
	ck_assert_ptr_nonnull(strstr(xml, "<DocumentType>consent</DocumentType>"));
	ck_assert_ptr_nonnull(strstr(xml, "<IssuedAt>2026-11-18T11:06:40Z</IssuedAt>"));
	ck_assert_ptr_nonnull(strstr(xml, "<Jurisdiction>KZ</Jurisdiction>"));
	ck_assert_ptr_nonnull(strstr(xml, "<Text xml:lang=\"kk\">"));
	ck_assert_ptr_nonnull(strstr(xml, "<Text xml:lang=\"ru\">"));
	ck_assert(strstr(xml, "<Text xml:lang=\"kk\">") < strstr(xml, "<Text xml:lang=\"ru\">"));
	/* One namespace declaration, at the root. */
	ck_assert_ptr_null(strstr(strstr(xml, "xmlns=") + 1, "xmlns="));
	free(xml);
}
END_TEST

START_TEST(test_doc__root_must_match_signed_header)
{
	char *xml = example_xml();
	replace(&xml, "Type=\"consent\"", "Type=\"withdrawal\"");
	ck_doc_refused(xml, KEL_EINVALID, "ConsentDocument/@Type: differs from Content/Header/DocumentType");
	free(xml);

	xml = example_xml();
	replace(&xml, "Id=\"01", "Id=\"02");
	ck_doc_refused(xml, KEL_EINVALID, "ConsentDocument/@Id: differs from Content/Header/DocumentId");
	free(xml);
}
END_TEST

START_TEST(test_doc__schema_refusals)
{
	char *xml = example_xml();
	replace(&xml, "<Signatures/>", "<Signatures/><Extra/>");
	ck_doc_refused(xml, KEL_EINVALID, "does not match the schema");
	free(xml);

	/* A second Content, as a wrapping attack would add. */
	xml = example_xml();
	replace(&xml, "<Verification", "<Content Id=\"x\"/><Verification");
	ck_doc_refused(xml, KEL_EINVALID, "does not match the schema");
	free(xml);

	/* Duplicate Ids: the schema's xs:ID catches them. */
	xml = example_xml();
	replace(&xml, "<Verification Id=\"verification-", "<Verification Id=\"content-");
	ck_doc_refused(xml, KEL_EINVALID, "does not match the schema");
	free(xml);

	xml = example_xml();
	replace(&xml, "<BIN>990340000004</BIN>", "<BIN>99034000000</BIN>");
	ck_doc_refused(xml, KEL_EINVALID, "does not match the schema");
	free(xml);
}
END_TEST

START_TEST(test_doc__rule_refusals)
{
	char *xml = example_xml();
	replace(&xml, "<IIN>900101300007</IIN>", "<IIN>900101300006</IIN>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Subject/IIN: control digit mismatch");
	free(xml);

	xml = example_xml();
	replace(&xml, "<PublicSources>false</PublicSources>", "");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Terms/PublicSources: missing (a consent must state it");
	free(xml);

	xml = example_xml();
	replace(&xml, "<Until>2029-11-25</Until>", "<Until>2020-01-01</Until>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Terms/Period/Until: before Period/From");
	free(xml);

	xml = example_xml();
	replace(&xml, "<Languages>kk ru</Languages>", "<Languages>ru kk</Languages>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Header/Template: template 1 is for 'kk', expected 'ru'");
	free(xml);

	xml = example_xml();
	replace(&xml, "<Phone>+77011234567</Phone>", "<Phone>call me</Phone>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Subject/Phone: not a telephone number");
	free(xml);

	xml = example_xml();
	replace(&xml, "<Jurisdiction>KZ</Jurisdiction>", "<Jurisdiction>US</Jurisdiction>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Terms/Jurisdiction: must be KZ");
	free(xml);

	xml = example_xml();
	replace(&xml, "<Method>sms-otp</Method>", "<Method>in-person</Method>");
	replace(&xml, "<Clerk>web-portal</Clerk>", "");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Capture/Clerk: missing");
	free(xml);

	xml = example_xml();
	replace(&xml, "<Data>ЖСН</Data>", "<Data>ЖСН</Data><Data>ЖСН</Data>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Terms/DataCategories: repeats 'ЖСН'");
	free(xml);

	xml = example_xml();
	replace(&xml, "<Action>collect</Action>", "");
	replace(&xml, "<Action>delete</Action>", "<Action>delete</Action><Action>collect</Action>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Terms/Actions: 'collect' out of order");
	free(xml);

	xml = example_xml();
	replace(&xml, "Арман", "\xe2\x80\xae" "Арман");
	ck_doc_refused(xml, KEL_EINVALID, "contains a bidirectional override");
	free(xml);
}
END_TEST

START_TEST(test_doc__dtd_and_bomb_refused)
{
	char *xml = example_xml();
	replace(&xml, "<ConsentDocument", "<!DOCTYPE ConsentDocument [<!ENTITY a 'aaaaaaaaaa'>"
		"<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>]>"
		"<ConsentDocument");
	replace(&xml, "<Channel>", "<Channel>&c;");
	ck_doc_refused(xml, KEL_EPARSE, "a DTD (<!DOCTYPE>) is not allowed");
	free(xml);
}
END_TEST

START_TEST(test_doc__not_a_kelisim_document)
{
	ck_doc_refused("<html><body/></html>", KEL_EINVALID, "not a kelisim document");
	ck_doc_refused("<ConsentDocument/>", KEL_EINVALID, "not a kelisim document");
	ck_doc_refused("<ConsentDocument xmlns='urn:kelisim:consent:1'", KEL_EPARSE,
		"not well-formed XML");
}
END_TEST

START_TEST(test_doc__type_names)
{
	for (int t = KEL_DOC_CONSENT; t <= KEL_DOC_EVIDENCE_STATEMENT; t++)
		ck_assert_int_eq(kel_doc_type_from_name(kel_doc_type_name((kel_doc_type)t)), t);
	ck_assert_int_eq(kel_doc_type_from_name("Consent"), 0);
	ck_assert_int_eq(kel_doc_type_from_name(NULL), 0);
	ck_assert_ptr_null(kel_doc_type_name((kel_doc_type)9));
	kel_doc_free(NULL);
}
END_TEST

START_TEST(test_doc__bad_options_version)
{
	kel_doc_new_options opts = KEL_DOC_NEW_OPTIONS_INIT;
	kel_doc *doc = NULL;

	opts.version = 99;
	ck_assert_int_eq(kel_doc_new(&doc, "{}", 2, &opts), KEL_EINVAL);
	ck_assert_int_eq(kel_doc_new(NULL, "{}", 2, NULL), KEL_EINVAL);
}
END_TEST

/* The XML of the evidence-statement example (DPA clause 4.8), to be altered by a test. */
static char *statement_xml(void)
{
	kel_doc *doc = make_example("evidence-statement");
	kel_buf buf = KEL_BUF_INIT;
	char *copy;

	ck_assert_int_eq(kel_doc_get_type(doc), KEL_DOC_EVIDENCE_STATEMENT);
	ck_assert_int_eq(kel_doc_write(&buf, doc), 0);
	copy = strdup(buf.ptr);
	kel_buf_dispose(&buf);
	kel_doc_free(doc);
	return copy;
}

START_TEST(test_doc__evidence_statement_read_back)
{
	char *xml = statement_xml();
	kel_doc *doc = NULL;

	ck_assert_int_eq(kel_doc_parse(&doc, xml, strlen(xml)), 0);
	ck_assert_int_eq(kel_doc_get_type(doc), KEL_DOC_EVIDENCE_STATEMENT);
	ck_assert_str_eq(kel_doc_subject_iin(doc), "");
	ck_assert_str_eq(kel_doc_operator_bin(doc), "990340000004");
	kel_doc_free(doc);
	free(xml);
}
END_TEST

START_TEST(test_doc__evidence_statement_rules)
{
	char *xml = statement_xml();
	replace(&xml, "<Due>2026-11-25</Due>", "<Due>2026-11-27</Due>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Statement/Request/Due: must be Received + 5 "
		"calendar days (DPA clause 4.8)");
	free(xml);

	/* A gap may not be dropped. */
	xml = statement_xml();
	replace(&xml, "<Gap>no-transfer-notice</Gap>", "");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Statement/Entry[2]: Gap 'no-transfer-notice' is "
		"stated exactly when TransferNotice is absent");
	free(xml);

	xml = statement_xml();
	replace(&xml, "<Status>ConsentGiven</Status>", "<Status>ConsentWithdrawn</Status>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Statement/Entry[1]: LawfulBasis is stated "
		"exactly when Status is ConsentGiven");
	free(xml);

	xml = statement_xml();
	replace(&xml, "<IIN>900101300027</IIN>", "<IIN>900101300007</IIN>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Statement/Entry[2]: IIN '900101300007' repeats");
	free(xml);

	xml = statement_xml();
	replace(&xml, "<Part Number=\"1\" Of=\"1\"/>", "<Part Number=\"3\" Of=\"2\"/>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Statement/Part: number 3 of 2");
	free(xml);

	/* The fields table, by XML path: a statement carries no Subject... */
	xml = statement_xml();
	replace(&xml, "<Statement>", "<Subject><FullName>A</FullName><IIN>900101300007</IIN>"
		"</Subject><Statement>");
	ck_doc_refused(xml, KEL_EINVALID, "Content/Subject: not part of a evidence-statement");
	free(xml);

	/* ...and a consent without one is refused although the schema now lets it out. */
	xml = example_xml();
	{
		char *a = strstr(xml, "<Subject>"), *b = strstr(xml, "</Subject>");
		ck_assert(a && b);
		memmove(a, b + strlen("</Subject>"), strlen(b + strlen("</Subject>")) + 1);
	}
	ck_doc_refused(xml, KEL_EINVALID, "Content/Subject: missing (a consent must state it");
	free(xml);

	xml = example_xml();
	replace(&xml, "<Terms>", "<Statement><Scope Kind=\"all\"/></Statement><Terms>");
	ck_doc_refused(xml, KEL_EINVALID, "does not match the schema");
	free(xml);
}
END_TEST

/*
 * kel_doc_write writes its own XML declaration (libxml2's would touch the tree): always
 * UTF-8, the version and standalone of the input kept, and what follows the same bytes
 * whether the input had a declaration or not; attribute values stay raw UTF-8 (libxml2
 * writes character references for a tree without an encoding).
 */
START_TEST(test_doc__write_declaration_and_utf8_attributes)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
	char *xml = example_xml(), *bare, *sa;
	kel_doc *doc = NULL;
	kel_buf a = KEL_BUF_INIT, b = KEL_BUF_INIT;

	ck_assert_int_eq(strncmp(xml, decl, strlen(decl)), 0);
	replace(&xml, "<Signatures/>", "<Signatures><ds:Signature "
		"xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"\xd2\x9b&amp;\xd1\x91\"/>"
		"</Signatures>");
	ck_assert_int_eq(kel_doc_parse(&doc, xml, strlen(xml)), 0);
	ck_assert_int_eq(kel_doc_write(&a, doc), 0);
	kel_doc_free(doc);
	ck_assert_str_eq(a.ptr, xml);
	ck_assert_ptr_nonnull(strstr(a.ptr, "Id=\"\xd2\x9b&amp;\xd1\x91\""));

	bare = strdup(xml + strlen(decl));
	ck_assert_int_eq(kel_doc_parse(&doc, bare, strlen(bare)), 0);
	ck_assert_int_eq(kel_doc_write(&b, doc), 0);
	kel_doc_free(doc);
	ck_assert_str_eq(b.ptr, a.ptr);

	sa = strdup(xml);
	replace(&sa, "encoding=\"UTF-8\"?>", "standalone='yes'?>");
	ck_assert_int_eq(kel_doc_parse(&doc, sa, strlen(sa)), 0);
	ck_assert_int_eq(kel_doc_write(&b, doc), 0);
	kel_doc_free(doc);
	ck_assert_int_eq(strncmp(b.ptr, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
		"standalone=\"yes\"?>\n", 56), 0);
	ck_assert_str_eq(b.ptr + 56, a.ptr + strlen(decl));

	kel_buf_dispose(&a);
	kel_buf_dispose(&b);
	free(sa);
	free(bare);
	free(xml);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("doc");
	TCase *tc = tcase_create("doc");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_add_loop_test(tc, test_doc__each_type_from_example, 0, 4);
	tcase_add_test(tc, test_doc__fresh_ids_and_current_time);
	tcase_add_test(tc, test_doc__structure_follows_design);
	tcase_add_test(tc, test_doc__root_must_match_signed_header);
	tcase_add_test(tc, test_doc__schema_refusals);
	tcase_add_test(tc, test_doc__rule_refusals);
	tcase_add_test(tc, test_doc__dtd_and_bomb_refused);
	tcase_add_test(tc, test_doc__not_a_kelisim_document);
	tcase_add_test(tc, test_doc__type_names);
	tcase_add_test(tc, test_doc__bad_options_version);
	tcase_add_test(tc, test_doc__evidence_statement_read_back);
	tcase_add_test(tc, test_doc__evidence_statement_rules);
	tcase_add_test(tc, test_doc__write_declaration_and_utf8_attributes);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
