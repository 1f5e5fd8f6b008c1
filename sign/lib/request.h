/*
 * The JSON request: checked field by field, and turned into the body of a document.
 */
#ifndef KEL_REQUEST_H
#define KEL_REQUEST_H

#include <stddef.h>
#include <libxml/tree.h>
#include "kelisim/doc.h"

/* The largest request accepted, in bytes. */
#define KEL_REQUEST_MAX_BYTES (1024u * 1024u)

struct kel_request {
	kel_doc_type type;
	int nlangs;
	char langs[3][3];              /* in the request's order */
	char refers_to[37];            /* withdrawal only, else "" */
};

/*
 * Parse and check a request, appending the body of the document to content (in ns), in
 * schema order: Operator, Processor, Subject, Terms, Capture (those present). On refusal
 * returns KEL_EINVALID (or KEL_EPARSE for malformed JSON) with every problem in the message,
 * one per line, as "path: problem"; content may then hold a partial body, to be thrown away.
 * today is the issue date in Kazakhstan (YYYY-MM-DD), against which period dates are judged.
 */
int kel__request_read(struct kel_request *out, const char *json, size_t len, const char *today,
	xmlNodePtr content, xmlNsPtr ns);

#endif
