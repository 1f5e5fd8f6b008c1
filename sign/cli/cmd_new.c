/*
 * kelisim new: a document from a JSON request.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char usage[] =
	"usage: kelisim new [REQUEST.json|-] [-o OUT.xml] [--templates DIR]\n"
	"\n"
	"Make a consent, transfer-notice, cross-border-consent or withdrawal document from a\n"
	"JSON request (docs/request.md; examples in schemas/examples/). The request is read\n"
	"from the file, or from standard input when it is '-' or not given.\n"
	"\n"
	"  -o, --output FILE    write the document to FILE (default: standard output);\n"
	"                       FILE appears whole or not at all\n"
	"      --templates DIR  take the wording from DIR (laid out TYPE/LANG.xsl) instead of\n"
	"                       the built-in templates; also $KELISIM_TEMPLATES\n"
	"  -h, --help           show this help\n"
	"\n"
	"A refused request prints one line per problem, naming the field\n"
	"('subject.iin: control digit mismatch'), writes nothing, and exits 2.\n";

int cmd_new(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	kel_doc_new_options opts = KEL_DOC_NEW_OPTIONS_INIT;
	const char *output = NULL, *input = NULL;
	kel_buf xml = KEL_BUF_INIT;
	kel_doc *doc = NULL;
	char *json = NULL;
	size_t len;
	int c, rc;

	opts.templates_dir = getenv("KELISIM_TEMPLATES");
	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 't': opts.templates_dir = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("new", "bad option");
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("new", "one request at a time");
	if (optind < argc)
		input = argv[optind];

	if ((rc = cli_read_input("new", input, &json, &len)) != EXIT_OK)
		return rc;
	if ((rc = kel_doc_new(&doc, json, len, &opts)) < 0 || (rc = kel_doc_write(&xml, doc)) < 0)
		rc = cli_report("new", rc);
	else
		rc = cli_write_output("new", output, xml.ptr, xml.size);
	kel_doc_free(doc);
	kel_buf_dispose(&xml);
	free(json);
	return rc;
}
