/*
 * Wording templates.
 *
 * The text a data subject reads comes from an XSLT stylesheet per document type and language
 * (templates/TYPE/LANG.xsl), built into the library or taken from a folder. Each names itself
 * (name and version) in a <kt:template> element; a document records that name, version and
 * the SHA-256 of the stylesheet's bytes, so the evidence shows exactly which words were shown.
 */
#ifndef KELISIM_TMPL_H
#define KELISIM_TMPL_H

#include "common.h"
#include "doc.h"

typedef struct kel_tmpl_info {
	char name[65];        /* e.g. "consent.kk" */
	char version[16];     /* e.g. "1" */
	char sha256[65];      /* lower-case hex of the stylesheet's bytes */
	char lang[3];
	kel_doc_type type;
} kel_tmpl_info;

/*
 * Describe the template for type and lang ("kk", "ru", "en"), from dir (laid out TYPE/LANG.xsl)
 * or, when dir is NULL, the built-in one. KEL_ENOTFOUND when there is none.
 */
KEL_EXTERN(int) kel_tmpl_describe(kel_tmpl_info *out, kel_doc_type type, const char *lang,
	const char *dir) KEL_WARN_UNUSED;

#endif
