/*
 * kelisim validate: check documents against the schema and the rules.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char usage[] =
	"usage: kelisim validate [-q] DOC.xml... \n"
	"\n"
	"Check each document ('-' for standard input) against the built-in XML Schema and the\n"
	"rules of its type: what the type requires, IIN/BIN control digits, the root's Id and\n"
	"Type equal to the signed header. Signatures are not checked here (see verify).\n"
	"A document with a DTD is refused unread.\n"
	"\n"
	"  -q, --quiet   print nothing for valid documents\n"
	"  -h, --help    show this help\n"
	"\n"
	"Exit codes: 0 all valid; 2 some document invalid; 1 some file unreadable.\n";

int cmd_validate(int argc, char **argv)
{
	static const struct option options[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, quiet = 0, worst = EXIT_OK;

	while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
		switch (c) {
		case 'q': quiet = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("validate", "bad option");
		}
	}
	if (optind == argc)
		return cli_usage_error("validate", "no document given");

	for (int i = optind; i < argc; i++) {
		kel_doc *doc = NULL;
		char *xml;
		size_t len;
		int rc;

		if ((rc = cli_read_input("validate", argv[i], &xml, &len)) != EXIT_OK) {
			worst = EXIT_ERROR;
			continue;
		}
		if ((rc = kel_doc_parse(&doc, xml, len)) < 0) {
			fprintf(stderr, "kelisim validate: %s: invalid\n", argv[i]);
			rc = cli_report("validate", rc);
			if (rc == EXIT_ERROR || worst == EXIT_OK)
				worst = rc;
		} else if (!quiet) {
			printf("%s: valid %s %s (%s)\n", argv[i], kel_doc_type_name(kel_doc_get_type(doc)),
				kel_doc_id(doc), kel_doc_languages(doc));
		}
		kel_doc_free(doc);
		free(xml);
	}
	return worst;
}
