/*
 * libFuzzer target: kel_doc_parse on arbitrary bytes (the document reader: safe XML parsing,
 * the schema, the document rules). Must never crash, leak or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "kelisim.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	if (kel_init() < 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kel_doc *doc = NULL;

	if (kel_doc_parse(&doc, (const char *)data, size) == 0) {
		kel_buf out = KEL_BUF_INIT;
		if (kel_doc_write(&out, doc) < 0)
			abort();
		kel_buf_dispose(&out);
	}
	kel_doc_free(doc);
	return 0;
}
