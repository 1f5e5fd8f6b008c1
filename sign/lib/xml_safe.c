/*
 * Parsing untrusted XML, and small tree helpers.
 */
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "xml_safe.h"
#include "error_internal.h"

struct parse_guard {
	int saw_dtd;
	internalSubsetSAXFunc original_internal_subset;
};

/*
 * Called by the parser as soon as it meets <!DOCTYPE. Stopping here means no entity
 * declaration is ever read: "billion laughs" and external entities never get a chance.
 */
static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
	const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct parse_guard *guard = ctxt->_private;

	(void)name; (void)external_id; (void)system_id;
	guard->saw_dtd = 1;
	xmlStopParser(ctxt);
}

int kel__xml_parse(xmlDocPtr *out, const char *data, size_t len, const char *what)
{
	xmlParserCtxtPtr ctxt;
	struct parse_guard guard = { 0, NULL };
	xmlDocPtr doc;
	int well_formed;

	*out = NULL;
	if (len > KEL_XML_MAX_BYTES)
		return kel_fail(KEL_ETOOBIG, "%s: larger than %u bytes", what, KEL_XML_MAX_BYTES);
	if (len == 0)
		return kel_fail(KEL_EPARSE, "%s: empty input", what);

	kel__xml_errors_capture();
	kel__xmlerr_reset();
	ctxt = xmlCreateMemoryParserCtxt(data, (int)len);
	if (ctxt == NULL)
		return kel_fail(KEL_ENOMEM, "%s: cannot create an XML parser", what);
	ctxt->_private = &guard;
	ctxt->sax->internalSubset = refuse_doctype;
	/* External subsets are only loaded with XML_PARSE_DTDLOAD, which is not set. */
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOXINCNODE | XML_PARSE_NOCDATA);
	ctxt->replaceEntities = 0;
	ctxt->loadsubset = 0;
	ctxt->validate = 0;

	xmlParseDocument(ctxt);
	well_formed = ctxt->wellFormed;
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);

	if (guard.saw_dtd) {
		xmlFreeDoc(doc);
		return kel_fail(KEL_EPARSE, "%s: a DTD (<!DOCTYPE>) is not allowed", what);
	}
	if (!well_formed || doc == NULL) {
		xmlFreeDoc(doc);
		return kel_fail(KEL_EPARSE, "%s: not well-formed XML: %s", what,
			*kel__xmlerr_text() ? kel__xmlerr_text() : "parse failed");
	}
	*out = doc;
	return 0;
}

const char *kel__xml_text(xmlNodePtr node)
{
	if (node == NULL)
		return NULL;
	for (xmlNodePtr c = node->children; c; c = c->next)
		if (c->type == XML_TEXT_NODE)
			return (const char *)c->content;
	return NULL;
}

static int is_kel_element(xmlNodePtr n)
{
	return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
		strcmp((const char *)n->ns->href, KEL_NS) == 0;
}

xmlNodePtr kel__xml_child(xmlNodePtr parent, const char *name)
{
	if (parent == NULL)
		return NULL;
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (is_kel_element(c) && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

xmlNodePtr kel__xml_next_element(xmlNodePtr node)
{
	for (node = node ? node->next : NULL; node; node = node->next)
		if (node->type == XML_ELEMENT_NODE)
			return node;
	return NULL;
}

xmlNodePtr kel__xml_first_element(xmlNodePtr parent)
{
	if (parent == NULL)
		return NULL;
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return c;
	return NULL;
}
