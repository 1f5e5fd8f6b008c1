/*
 * Validation against the embedded XML Schema of the document.
 */
#ifndef KEL_SCHEMA_H
#define KEL_SCHEMA_H

#include <libxml/tree.h>

#define KEL_SCHEMA_PATH "schemas/kelisim-consent-1.xsd"

int kel__schema_load(void);
void kel__schema_unload(void);

/* 0 when doc is valid; KEL_EINVALID with the validator's messages otherwise. */
int kel__schema_validate(xmlDocPtr doc);

#endif
