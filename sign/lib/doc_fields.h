/*
 * What each document type carries: one table read by the request parser (with the JSON key)
 * and by the document rules (with the XML path), so a request and a document read back from
 * XML are judged alike.
 */
#ifndef KEL_DOC_FIELDS_H
#define KEL_DOC_FIELDS_H

#include "kelisim/doc.h"

enum kel_need { KEL_FORBIDDEN = 0, KEL_OPTIONAL = 1, KEL_REQUIRED = 2 };

struct kel_field {
	const char *json;          /* top-level key of the request */
	const char *xml;           /* path below Content, parts separated by '/' */
	unsigned char need[6];     /* indexed by kel_doc_type; [0] unused */
	const char *why;           /* why it is required, for the refusal message */
};

/* Terminated by an entry whose json is NULL. */
extern const struct kel_field kel__fields[];

#endif
