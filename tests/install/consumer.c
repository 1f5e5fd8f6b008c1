/*
 * A program outside the project that uses the installed library: it makes a document from a
 * request on standard input and prints its id, as an integration would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <kelisim.h>

int main(void)
{
	char buf[65536];
	size_t len = fread(buf, 1, sizeof(buf), stdin);
	kel_doc *doc = NULL;
	int rc;

	if (kel_init() < 0)
		return 1;
	rc = kel_doc_new(&doc, buf, len, NULL);
	if (rc < 0)
		fprintf(stderr, "%s\n", kel_error_last()->message);
	else
		printf("%s %s\n", kel_doc_type_name(kel_doc_get_type(doc)), kel_doc_id(doc));
	kel_doc_free(doc);
	kel_shutdown();
	return rc < 0 ? 2 : 0;
}
