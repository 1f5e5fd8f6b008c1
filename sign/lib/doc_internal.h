/*
 * The document handle, shared by the modules that work on a document's XML.
 */
#ifndef KEL_DOC_INTERNAL_H
#define KEL_DOC_INTERNAL_H

#include <libxml/tree.h>
#include "kelisim/doc.h"
#include "kelisim/uuid.h"

struct kel_doc {
	xmlDocPtr xml;
	kel_doc_type type;
	char id[KEL_UUID_STRLEN + 1];
	char issued_at[21];
	char subject_iin[13];
	char operator_bin[13];
	char refers_to[KEL_UUID_STRLEN + 1];
	char languages[9];
};

/*
 * The rules the schema cannot express, on a schema-valid tree; fills the handle's summary
 * fields. KEL_EINVALID with every problem, one per line, as "XML/Path: problem".
 */
int kel__doc_check(struct kel_doc *doc);

/*
 * A handle on a tree of kel__xml_parse() that has already passed the schema (verification
 * validated it): the rules are checked again (they fill the summary fields), the schema is
 * not. Takes the tree, and frees it on failure.
 */
int kel__doc_from_validated_tree(struct kel_doc **out, xmlDocPtr xml);

#endif
