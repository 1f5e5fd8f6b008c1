/*
 * Parsing untrusted XML: no DTD, no entities, no network, bounded size.
 */
#include <stdlib.h>
#include <string.h>
#include "helpers.h"
#include "xml_safe.h"
#include "kelisim.h"

static int parse(const char *xml)
{
	xmlDocPtr doc = NULL;
	int rc = kel__xml_parse(&doc, xml, strlen(xml), "input");

	ck_assert(rc == 0 ? doc != NULL : doc == NULL);
	xmlFreeDoc(doc);
	return rc;
}

START_TEST(test_xml__plain_document)
{
	ck_assert_int_eq(parse("<a xmlns='urn:x'><b>text &amp; more</b></a>"), 0);
}
END_TEST

START_TEST(test_xml__billion_laughs_refused)
{
	/* Built here: ten levels of ten references each — 10^10 "lol"s if expanded. */
	char xml[4096] = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol0 'lol'>";
	for (int i = 1; i < 10; i++) {
		char line[256];
		int n = snprintf(line, sizeof(line), "<!ENTITY lol%d '", i);
		for (int j = 0; j < 10; j++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, "&lol%d;", i - 1);
		snprintf(line + n, sizeof(line) - (size_t)n, "'>");
		strcat(xml, line);
	}
	strcat(xml, "]><lolz>&lol9;</lolz>");
	ck_assert_int_eq(parse(xml), KEL_EPARSE);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "DTD"));
}
END_TEST

START_TEST(test_xml__external_entity_refused)
{
	const char *xml = "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>";

	ck_assert_int_eq(parse(xml), KEL_EPARSE);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "DTD"));
	ck_assert_ptr_null(strstr(th_error_message(), "root:"));
}
END_TEST

START_TEST(test_xml__external_dtd_refused)
{
	ck_assert_int_eq(parse("<!DOCTYPE x SYSTEM 'http://127.0.0.1:9/x.dtd'><x/>"), KEL_EPARSE);
	ck_assert_int_eq(parse("<!DOCTYPE x><x/>"), KEL_EPARSE);
}
END_TEST

START_TEST(test_xml__undeclared_entity_is_an_error)
{
	ck_assert_int_eq(parse("<x>&nbsp;</x>"), KEL_EPARSE);
}
END_TEST

START_TEST(test_xml__xinclude_not_processed)
{
	xmlDocPtr doc = NULL;
	const char *xml = "<x xmlns:xi='http://www.w3.org/2001/XInclude'>"
		"<xi:include href='file:///etc/hostname' parse='text'/></x>";

	ck_assert_int_eq(kel__xml_parse(&doc, xml, strlen(xml), "input"), 0);
	/* The include element stays an element; nothing was read. */
	ck_assert_str_eq((const char *)xmlDocGetRootElement(doc)->children->name, "include");
	xmlFreeDoc(doc);
}
END_TEST

START_TEST(test_xml__malformed)
{
	ck_assert_int_eq(parse("<a><b></a>"), KEL_EPARSE);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "not well-formed XML"));
	ck_assert_int_eq(parse("<a/><b/>"), KEL_EPARSE);
	ck_assert_int_eq(parse("not xml"), KEL_EPARSE);
	ck_assert_int_eq(kel__xml_parse(&(xmlDocPtr){ NULL }, "", 0, "input"), KEL_EPARSE);
}
END_TEST

START_TEST(test_xml__size_limit)
{
	size_t len = KEL_XML_MAX_BYTES + 1;
	char *big = malloc(len);
	xmlDocPtr doc = NULL;

	ck_assert_ptr_nonnull(big);
	memset(big, ' ', len);
	ck_assert_int_eq(kel__xml_parse(&doc, big, len, "input"), KEL_ETOOBIG);
	free(big);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("xml");
	TCase *tc = tcase_create("xml");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_add_test(tc, test_xml__plain_document);
	tcase_add_test(tc, test_xml__billion_laughs_refused);
	tcase_add_test(tc, test_xml__external_entity_refused);
	tcase_add_test(tc, test_xml__external_dtd_refused);
	tcase_add_test(tc, test_xml__undeclared_entity_is_an_error);
	tcase_add_test(tc, test_xml__xinclude_not_processed);
	tcase_add_test(tc, test_xml__malformed);
	tcase_add_test(tc, test_xml__size_limit);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
