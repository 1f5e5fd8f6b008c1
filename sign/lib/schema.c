/*
 * The document schema is compiled once, at kel_init(), from the copy built into the library:
 * a document is judged by the schema this library was built with, not by a file someone
 * could swap.
 */
#include <libxml/xmlschemas.h>

#include "schema.h"
#include "resources.h"
#include "xml_safe.h"
#include "error_internal.h"

static xmlSchemaPtr schema;

int kel__schema_load(void)
{
	const struct kel_resource *r = kel__resource_find(KEL_SCHEMA_PATH);
	xmlSchemaParserCtxtPtr pctxt;

	if (r == NULL)
		return kel_fail(KEL_ENOTFOUND, "built-in schema '%s' is missing", KEL_SCHEMA_PATH);
	kel__xmlerr_reset();
	pctxt = xmlSchemaNewMemParserCtxt((const char *)r->data, (int)r->size);
	if (pctxt == NULL)
		return kel_fail(KEL_ENOMEM, "cannot create a schema parser");
	schema = xmlSchemaParse(pctxt);
	xmlSchemaFreeParserCtxt(pctxt);
	if (schema == NULL)
		return kel_fail(KEL_ERROR, "built-in schema does not compile: %s", kel__xmlerr_text());
	return 0;
}

void kel__schema_unload(void)
{
	xmlSchemaFree(schema);
	schema = NULL;
}

int kel__schema_validate(xmlDocPtr doc)
{
	xmlSchemaValidCtxtPtr vctxt;
	int rc;

	if (schema == NULL)
		return kel_fail(KEL_EINVAL, "kel_init() has not been called");
	kel__xml_errors_capture();
	kel__xmlerr_reset();
	vctxt = xmlSchemaNewValidCtxt(schema);
	if (vctxt == NULL)
		return kel_fail(KEL_ENOMEM, "cannot create a schema validator");
	rc = xmlSchemaValidateDoc(vctxt, doc);
	xmlSchemaFreeValidCtxt(vctxt);
	if (rc == 0)
		return 0;
	if (rc < 0)
		return kel_fail(KEL_ERROR, "schema validation could not run: %s", kel__xmlerr_text());
	return kel_fail(KEL_EINVALID, "does not match the schema: %s", kel__xmlerr_text());
}
