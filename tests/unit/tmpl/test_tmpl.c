/*
 * Wording templates: built-in ones described and recorded exactly; a template folder taking
 * over; hostile or broken templates refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "helpers.h"
#include "kelisim.h"

static const char *const types[] = { "consent", "transfer-notice", "cross-border-consent",
	"withdrawal" };
static const char *const langs[] = { "kk", "ru", "en" };

static void sha256_file(char out[65], const char *path)
{
	size_t len;
	char *data = th_read_file(path, &len);
	unsigned char md[32];

	ck_assert_int_eq(EVP_Digest(data, len, md, NULL, EVP_sha256(), NULL), 1);
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
	free(data);
}

START_TEST(test_tmpl__builtin_described)
{
	for (int t = 0; t < 4; t++) {
		for (int l = 0; l < 3; l++) {
			kel_tmpl_info info;
			char path[128], name[64], sha[65];

			ck_assert_int_eq(kel_tmpl_describe(&info, (kel_doc_type)(t + 1), langs[l], NULL), 0);
			snprintf(name, sizeof(name), "%s.%s", types[t], langs[l]);
			ck_assert_str_eq(info.name, name);
			ck_assert_str_eq(info.version, "1");
			ck_assert_str_eq(info.lang, langs[l]);
			/* The recorded digest is that of the file in templates/, byte for byte. */
			snprintf(path, sizeof(path), "templates/%s/%s.xsl", types[t], langs[l]);
			sha256_file(sha, th_source(path));
			ck_assert_str_eq(info.sha256, sha);
		}
	}
	ck_assert_int_eq(kel_tmpl_describe(&(kel_tmpl_info){ 0 }, KEL_DOC_CONSENT, "de", NULL),
		KEL_EINVAL);
}
END_TEST

static kel_doc *make(const char *type, const char *languages, const char *dir)
{
	char path[128], *json, *patched;
	kel_doc_new_options opts = KEL_DOC_NEW_OPTIONS_INIT;
	kel_doc *doc = NULL;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), "schemas/examples/%s.json", type);
	json = th_read_file(th_source(path), &len);
	/* Put the languages first; a later duplicate key would be refused, so drop the old one. */
	patched = malloc(len + 64);
	sprintf(patched, "{\"languages\": %s,%s", languages, strchr(json, '{') + 1);
	{
		char *old = strstr(patched + 20, "\"languages\"");
		if (old) {
			char *end = strchr(old, ']');
			memset(old, ' ', (size_t)(end - old + 2));
		}
	}
	opts.templates_dir = dir;
	rc = kel_doc_new(&doc, patched, strlen(patched), &opts);
	ck_assert_msg(rc == 0, "%s: %s", type, th_error_message());
	free(json);
	free(patched);
	return doc;
}

static char *xml_of(kel_doc *doc)
{
	kel_buf buf = KEL_BUF_INIT;
	char *s;

	ck_assert_int_eq(kel_doc_write(&buf, doc), 0);
	s = strdup(buf.ptr);
	kel_buf_dispose(&buf);
	return s;
}

/* Every template names the processor, the storage location and the actions as requested. */
START_TEST(test_tmpl__names_processor_actions_location)
{
	/* The actions "store" and "provide" in each language's wording. */
	static const char *const store_word[] = { "Сақтау", "Хранение", "Storage" };
	static const char *const provide_word[] = { "таңдаған кезде беру", "Передача",
		"Provision" };

	for (int t = 0; t < 3; t++) {
		for (int l = 0; l < 3; l++) {
			char langs_json[16];
			kel_doc *doc;
			char *xml, *text;

			snprintf(langs_json, sizeof(langs_json), "[\"%s\"]", langs[l]);
			doc = make(types[t], langs_json, NULL);
			xml = xml_of(doc);
			text = strstr(xml, "<Text");
			ck_assert_ptr_nonnull(text);
			ck_assert_msg(strstr(text, "«1С-Битрикс Қазақстан» ЖШС") != NULL,
				"%s.%s does not name the processor", types[t], langs[l]);
			ck_assert_msg(strstr(text, "130340020239") != NULL,
				"%s.%s does not give the processor's BIN", types[t], langs[l]);
			ck_assert_msg(strstr(text, "Өңдеушінің Қазақстан Республикасы аумағындағы деректер орталықтары") != NULL,
				"%s.%s does not name the storage location", types[t], langs[l]);
			if (t != 2)   /* the cross-border example asks only to provide */
				ck_assert_msg(strstr(text, store_word[l]) != NULL,
					"%s.%s does not name the action 'store'", types[t], langs[l]);
			ck_assert_msg(strstr(text, provide_word[l]) != NULL,
				"%s.%s does not name the action 'provide'", types[t], langs[l]);
			free(xml);
			kel_doc_free(doc);
		}
	}
}
END_TEST

START_TEST(test_tmpl__withdrawal_names_consent)
{
	for (int l = 0; l < 3; l++) {
		char langs_json[16];
		kel_doc *doc;
		char *xml;

		snprintf(langs_json, sizeof(langs_json), "[\"%s\"]", langs[l]);
		doc = make("withdrawal", langs_json, NULL);
		xml = xml_of(doc);
		ck_assert_ptr_nonnull(strstr(strstr(xml, "<Text"), "019ab4c2-8e10-7a3c-9f21-5d6e7f8a9b0c"));
		ck_assert_ptr_nonnull(strstr(strstr(xml, "<Text"), "«Дала Сауда» ЖШС"));
		free(xml);
		kel_doc_free(doc);
	}
}
END_TEST

START_TEST(test_tmpl__document_records_templates)
{
	kel_doc *doc = make("consent", "[\"ru\", \"kk\", \"en\"]", NULL);
	char *xml = xml_of(doc), expect[256], sha[65];

	for (int l = 0; l < 3; l++) {
		char path[64];
		snprintf(path, sizeof(path), "templates/consent/%s.xsl", langs[l]);
		sha256_file(sha, th_source(path));
		snprintf(expect, sizeof(expect),
			"<Template Lang=\"%s\" Name=\"consent.%s\" Version=\"1\" SHA256=\"%s\"/>",
			langs[l], langs[l], sha);
		ck_assert_msg(strstr(xml, expect) != NULL, "missing %s", expect);
	}
	ck_assert_str_eq(kel_doc_languages(doc), "ru kk en");
	ck_assert(strstr(xml, "xml:lang=\"ru\"") < strstr(xml, "xml:lang=\"kk\""));
	free(xml);
	kel_doc_free(doc);
}
END_TEST

/* A temporary template folder holding consent/kk.xsl with the given text. */
static char *template_dir(const char *xsl)
{
	char *dir = strdup("/tmp/kelisim-tmpl-XXXXXX"), path[256];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/consent", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/consent/kk.xsl", dir);
	f = fopen(path, "w");
	fputs(xsl, f);
	fclose(f);
	return dir;
}

static void remove_dir(char *dir)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/consent/kk.xsl", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/consent", dir);
	rmdir(path);
	rmdir(dir);
	free(dir);
}

#define XSL_HEAD "<?xml version='1.0' encoding='UTF-8'?>\n" \
	"<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform' " \
	"xmlns:k='urn:kelisim:consent:1' xmlns='urn:kelisim:consent:1' " \
	"xmlns:kt='urn:kelisim:template:1' exclude-result-prefixes='k kt'>"
#define XSL_META(lang) "<kt:template name='consent.kk' version='2.1' type='consent' lang='" lang "'/>"
#define XSL_TAIL "</xsl:stylesheet>\n"

static int new_with_dir(const char *dir)
{
	kel_doc_new_options opts = KEL_DOC_NEW_OPTIONS_INIT;
	kel_doc *doc = NULL;
	size_t len;
	char *json = th_read_file(th_source("schemas/examples/consent.json"), &len);
	char *one = strstr(json, "[\"kk\", \"ru\"]");
	int rc;

	ck_assert_ptr_nonnull(one);
	memcpy(one, "[\"kk\"      ]", 12);
	opts.templates_dir = dir;
	rc = kel_doc_new(&doc, json, len, &opts);
	kel_doc_free(doc);
	free(json);
	return rc;
}

START_TEST(test_tmpl__folder_takes_over)
{
	char *dir = template_dir(XSL_HEAD XSL_META("kk")
		"<xsl:template match='/k:Content'><Text xml:lang='kk'><Title>Келісім</Title>"
		"<Para><xsl:value-of select='k:Subject/k:FullName'/></Para></Text></xsl:template>"
		XSL_TAIL);
	kel_doc_new_options opts = KEL_DOC_NEW_OPTIONS_INIT;
	kel_doc *doc = NULL;
	kel_buf buf = KEL_BUF_INIT;
	size_t len;
	char *json = th_read_file(th_source("schemas/examples/consent.json"), &len);
	char path[256], sha[65], expect[200];

	memcpy(strstr(json, "[\"kk\", \"ru\"]"), "[\"kk\"      ]", 12);
	opts.templates_dir = dir;
	ck_assert_msg(kel_doc_new(&doc, json, len, &opts) == 0, "%s", th_error_message());
	ck_assert_int_eq(kel_doc_write(&buf, doc), 0);
	snprintf(path, sizeof(path), "%s/consent/kk.xsl", dir);
	sha256_file(sha, path);
	snprintf(expect, sizeof(expect), "Name=\"consent.kk\" Version=\"2.1\" SHA256=\"%s\"", sha);
	ck_assert_ptr_nonnull(strstr(buf.ptr, expect));
	ck_assert_ptr_nonnull(strstr(buf.ptr, "<Para>Серікбаев Арман Қайратұлы</Para>"));
	kel_buf_dispose(&buf);
	kel_doc_free(doc);
	free(json);
	remove_dir(dir);
}
END_TEST

START_TEST(test_tmpl__hostile_templates_refused)
{
	static const char *const bad[] = {
		/* reads a local file */
		XSL_HEAD XSL_META("kk") "<xsl:template match='/'><Text xml:lang='kk'><Title>x</Title>"
		"<Para><xsl:value-of select=\"document('file:///etc/passwd')\"/></Para></Text>"
		"</xsl:template>" XSL_TAIL,
		/* pulls in another stylesheet */
		XSL_HEAD XSL_META("kk") "<xsl:include href='/etc/kelisim-evil.xsl'/>" XSL_TAIL,
		/* carries a DTD */
		"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'e'>]>" XSL_HEAD + 21,
		/* says it is Russian */
		XSL_HEAD XSL_META("ru") "<xsl:template match='/'><Text xml:lang='ru'><Title>x</Title>"
		"<Para>x</Para></Text></xsl:template>" XSL_TAIL,
		/* no metadata */
		XSL_HEAD "<xsl:template match='/'><Text xml:lang='kk'><Title>x</Title><Para>x</Para>"
		"</Text></xsl:template>" XSL_TAIL,
		/* produces something other than one Text */
		XSL_HEAD XSL_META("kk") "<xsl:template match='/'><Para>x</Para></xsl:template>" XSL_TAIL,
		/* stops itself */
		XSL_HEAD XSL_META("kk") "<xsl:template match='/'><xsl:message terminate='yes'>no"
		"</xsl:message></xsl:template>" XSL_TAIL,
		/* writes a file (EXSLT) */
		XSL_HEAD XSL_META("kk") "<xsl:template match='/'><exsl:document "
		"xmlns:exsl='http://exslt.org/common' href='/tmp/kelisim-pwned'>x</exsl:document>"
		"<Text xml:lang='kk'><Title>x</Title><Para>x</Para></Text></xsl:template>" XSL_TAIL,
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char *dir = template_dir(bad[i]);
		ck_assert_msg(new_with_dir(dir) < 0, "template %zu was accepted", i);
		remove_dir(dir);
	}
	ck_assert_int_ne(access("/tmp/kelisim-pwned", F_OK), 0);
}
END_TEST

START_TEST(test_tmpl__missing_template)
{
	ck_assert_int_eq(new_with_dir("/nonexistent-kelisim-dir"), KEL_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(th_error_message(), "/nonexistent-kelisim-dir/consent/kk.xsl"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tmpl");
	TCase *tc = tcase_create("tmpl");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_tmpl__builtin_described);
	tcase_add_test(tc, test_tmpl__names_processor_actions_location);
	tcase_add_test(tc, test_tmpl__withdrawal_names_consent);
	tcase_add_test(tc, test_tmpl__document_records_templates);
	tcase_add_test(tc, test_tmpl__folder_takes_over);
	tcase_add_test(tc, test_tmpl__hostile_templates_refused);
	tcase_add_test(tc, test_tmpl__missing_template);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
