/*
 * Wording templates: XSLT stylesheets, run with libxslt under security preferences that
 * forbid every file and network access (set in kel_init) and with an entity loader that
 * loads nothing, so a template can only turn the document's own content into text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <openssl/evp.h>

#include "tmpl_internal.h"
#include "resources.h"
#include "xml_safe.h"
#include "buf_internal.h"
#include "error_internal.h"

static int read_template_file(kel_buf *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return kel_fail(KEL_ENOTFOUND, "template '%s': cannot open", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->size + n > KEL_TEMPLATE_MAX_BYTES) {
			fclose(f);
			return kel_fail(KEL_ETOOBIG, "template '%s': larger than %u bytes", path,
				KEL_TEMPLATE_MAX_BYTES);
		}
		if (kel_buf_put(out, chunk, n) < 0) {
			fclose(f);
			return KEL_ENOMEM;
		}
	}
	if (ferror(f)) {
		fclose(f);
		return kel_fail(KEL_EIO, "template '%s': read error", path);
	}
	fclose(f);
	return 0;
}

static int sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
		return kel_fail_openssl(KEL_ECRYPTO, "SHA-256 failed");
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static int matches(const char *s, const char *allowed, size_t max)
{
	size_t n = s ? strlen(s) : 0;
	return n > 0 && n <= max && strspn(s, allowed) == n;
}

/* Read <kt:template name= version= type= lang=/> from the stylesheet's top level. */
static int read_metadata(kel_tmpl_info *info, xmlDocPtr doc, const char *where)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), meta = NULL;
	xmlChar *name, *version, *type, *lang;
	int rc = 0;

	for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && n->ns &&
		    strcmp((const char *)n->ns->href, KEL_TEMPLATE_NS) == 0 &&
		    strcmp((const char *)n->name, "template") == 0)
			meta = n;
	if (meta == NULL)
		return kel_fail(KEL_EINVALID, "template %s: no <kt:template> element", where);

	name = xmlGetProp(meta, BAD_CAST "name");
	version = xmlGetProp(meta, BAD_CAST "version");
	type = xmlGetProp(meta, BAD_CAST "type");
	lang = xmlGetProp(meta, BAD_CAST "lang");
	if (!matches((const char *)name, "abcdefghijklmnopqrstuvwxyz0123456789.-", 64))
		rc = kel_fail(KEL_EINVALID, "template %s: bad or missing name", where);
	else if (!matches((const char *)version, "0123456789.", 15))
		rc = kel_fail(KEL_EINVALID, "template %s: bad or missing version", where);
	else if (type == NULL || kel_doc_type_from_name((const char *)type) != info->type)
		rc = kel_fail(KEL_EINVALID, "template %s: declares type '%s'", where,
			type ? (const char *)type : "");
	else if (lang == NULL || strcmp((const char *)lang, info->lang) != 0)
		rc = kel_fail(KEL_EINVALID, "template %s: declares language '%s'", where,
			lang ? (const char *)lang : "");
	else {
		snprintf(info->name, sizeof(info->name), "%s", (const char *)name);
		snprintf(info->version, sizeof(info->version), "%s", (const char *)version);
	}
	xmlFree(name);
	xmlFree(version);
	xmlFree(type);
	xmlFree(lang);
	return rc;
}

static int valid_lang(const char *lang)
{
	return lang && (strcmp(lang, "kk") == 0 || strcmp(lang, "ru") == 0 || strcmp(lang, "en") == 0);
}

int kel__tmpl_load(struct kel_tmpl **out, kel_doc_type type, const char *lang, const char *dir)
{
	const char *tname = kel_doc_type_name(type);
	struct kel_tmpl *t;
	kel_buf bytes = KEL_BUF_INIT;
	const unsigned char *data;
	size_t size;
	char where[4096];
	xmlDocPtr doc = NULL;
	int rc;

	*out = NULL;
	if (tname == NULL || !valid_lang(lang))
		return kel_fail(KEL_EINVAL, "no template for type %d, language '%s'", (int)type,
			lang ? lang : "");
	if (dir) {
		snprintf(where, sizeof(where), "%s/%s/%s.xsl", dir, tname, lang);
		if ((rc = read_template_file(&bytes, where)) < 0)
			return rc;
		data = (const unsigned char *)bytes.ptr;
		size = bytes.size;
	} else {
		const struct kel_resource *r;
		snprintf(where, sizeof(where), "templates/%s/%s.xsl", tname, lang);
		if ((r = kel__resource_find(where)) == NULL)
			return kel_fail(KEL_ENOTFOUND, "built-in template '%s' is missing", where);
		data = r->data;
		size = r->size;
	}

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		kel_buf_dispose(&bytes);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	t->info.type = type;
	snprintf(t->info.lang, sizeof(t->info.lang), "%s", lang);
	if ((rc = sha256_hex(t->info.sha256, data, size)) < 0 ||
	    (rc = kel__xml_parse(&doc, (const char *)data, size, where)) < 0 ||
	    (rc = read_metadata(&t->info, doc, where)) < 0)
		goto fail;

	kel__xmlerr_reset();
	t->xsl = xsltParseStylesheetDoc(doc);   /* owns doc from here on success */
	if (t->xsl == NULL) {
		rc = kel_fail(KEL_EINVALID, "template %s: not a usable XSLT stylesheet: %s", where,
			kel__xmlerr_text());
		goto fail;
	}
	kel_buf_dispose(&bytes);
	*out = t;
	return 0;
fail:
	/* xsltParseStylesheetDoc leaves the document to the caller when it fails. */
	xmlFreeDoc(doc);
	kel_buf_dispose(&bytes);
	free(t);
	return rc;
}

int kel__tmpl_render(xmlNodePtr *out, const struct kel_tmpl *tmpl, xmlDocPtr input,
	xmlDocPtr target)
{
	xsltTransformContextPtr ctxt;
	xmlDocPtr result;
	xmlNodePtr root;
	xmlChar *lang;
	int failed, ok;

	*out = NULL;
	kel__xml_errors_capture();
	kel__xmlerr_reset();
	ctxt = xsltNewTransformContext(tmpl->xsl, input);
	if (ctxt == NULL)
		return kel_fail(KEL_ENOMEM, "cannot create an XSLT context");
	result = xsltApplyStylesheetUser(tmpl->xsl, input, NULL, NULL, NULL, ctxt);
	failed = ctxt->state != XSLT_STATE_OK;
	xsltFreeTransformContext(ctxt);
	if (result == NULL || failed) {
		xmlFreeDoc(result);
		return kel_fail(KEL_ERROR, "template %s %s failed: %s", tmpl->info.name,
			tmpl->info.version, kel__xmlerr_text());
	}

	root = xmlDocGetRootElement(result);
	lang = root ? xmlNodeGetLang(root) : NULL;
	ok = root && root->ns && strcmp((const char *)root->ns->href, KEL_NS) == 0 &&
		strcmp((const char *)root->name, "Text") == 0 && lang &&
		strcmp((const char *)lang, tmpl->info.lang) == 0;
	xmlFree(lang);
	if (!ok) {
		xmlFreeDoc(result);
		return kel_fail(KEL_EINVALID, "template %s %s: result is not one <Text xml:lang=\"%s\">",
			tmpl->info.name, tmpl->info.version, tmpl->info.lang);
	}
	*out = xmlDocCopyNode(root, target, 1);
	xmlFreeDoc(result);
	if (*out == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	return 0;
}

void kel__tmpl_free(struct kel_tmpl *tmpl)
{
	if (tmpl == NULL)
		return;
	xsltFreeStylesheet(tmpl->xsl);
	free(tmpl);
}

int kel_tmpl_describe(kel_tmpl_info *out, kel_doc_type type, const char *lang, const char *dir)
{
	struct kel_tmpl *t;
	int rc;

	if (out == NULL)
		return kel_fail(KEL_EINVAL, "kel_tmpl_describe: out is NULL");
	if ((rc = kel__tmpl_load(&t, type, lang, dir)) < 0)
		return rc;
	*out = t->info;
	kel__tmpl_free(t);
	return 0;
}
