/*
 * Loading and applying wording templates.
 */
#ifndef KEL_TMPL_INTERNAL_H
#define KEL_TMPL_INTERNAL_H

#include <libxml/tree.h>
#include <libxslt/xsltInternals.h>
#include "kelisim/tmpl.h"

#define KEL_TEMPLATE_NS "urn:kelisim:template:1"
#define KEL_TEMPLATE_MAX_BYTES (1024u * 1024u)

struct kel_tmpl {
	kel_tmpl_info info;
	xsltStylesheetPtr xsl;
};

/* Load and compile the template of type in lang, from dir or the built-in set. */
int kel__tmpl_load(struct kel_tmpl **out, kel_doc_type type, const char *lang,
	const char *dir);

/*
 * Apply the template to input (a document whose root is a Content element without Text) and
 * return the resulting <Text xml:lang="LANG"> element, detached and owned by the caller, in
 * doc target.
 */
int kel__tmpl_render(xmlNodePtr *out, const struct kel_tmpl *tmpl, xmlDocPtr input,
	xmlDocPtr target);

void kel__tmpl_free(struct kel_tmpl *tmpl);

#endif
