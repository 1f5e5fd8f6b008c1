/*
 * Parsing untrusted XML.
 */
#ifndef KEL_XML_SAFE_H
#define KEL_XML_SAFE_H

#include <stddef.h>
#include <libxml/tree.h>

/* The largest XML input kelisim reads: far above any real document, far below harm. */
#define KEL_XML_MAX_BYTES (16u * 1024u * 1024u)

/*
 * Parse len bytes of XML into *out. No network, no DTD (internal or external: a document
 * that declares one is refused before any of it is read, so no entity can be declared,
 * let alone expanded), no XInclude, no processing of entities into text, whitespace kept
 * as it is (signatures depend on it). what names the input in messages ("document").
 * Returns 0, KEL_ETOOBIG, or KEL_EPARSE with the parser's words in the message.
 */
int kel__xml_parse(xmlDocPtr *out, const char *data, size_t len, const char *what);

/* Route the XML stack's error messages of this thread into kelisim's collector. */
void kel__xml_errors_capture(void);

/* The text content of node, or NULL; a borrowed pointer into the tree (first text child). */
const char *kel__xml_text(xmlNodePtr node);

/* The first child element of parent named name in kelisim's namespace, or NULL. */
xmlNodePtr kel__xml_child(xmlNodePtr parent, const char *name);

/* The next sibling element after node (any name), or NULL. */
xmlNodePtr kel__xml_next_element(xmlNodePtr node);

/* The first child element of parent (any name), or NULL. */
xmlNodePtr kel__xml_first_element(xmlNodePtr parent);

#define KEL_NS "urn:kelisim:consent:1"

#endif
