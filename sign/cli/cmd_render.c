/*
 * kelisim render: a document as a printable PDF or a self-contained HTML page.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char usage[] =
	"usage: kelisim render DOC.xml|- -o OUT.pdf|OUT.html [--format pdf|html]\n"
	"                      [--trust CA.pem] [--trust-dir DIR] [--allow-weak] [--sequential]\n"
	"\n"
	"Render a document for people: an A4 PDF for printing (cairo and pango) or one\n"
	"self-contained HTML5 file for screens (inline style and SVG, no script, nothing loaded\n"
	"from outside; one column on a phone). Both show the title, the document id and issue\n"
	"date, the parties, the terms as a table, the signed wording in each of the document's\n"
	"languages (Kazakh and Russian side by side), the capture, the QR code and a signature\n"
	"block: each signer's certificate subject and serial, the signing time and the result of\n"
	"verifying the signature now, with the trust anchors given. Every PDF page carries the\n"
	"document id, the QR code and its number ('2 / 3'). The PDF is the same, byte for byte,\n"
	"each time the same document is rendered with the same verification results.\n"
	"\n"
	"  -o, --output FILE   where to write ('-': standard output); written whole or not at all\n"
	"  --format pdf|html   the format; by default from the extension of FILE (.pdf, .html,\n"
	"                      .htm), and required when writing to standard output\n"
	"  --trust CA.pem      trust anchors (root certificates), PEM, for the signature block\n"
	"  --trust-dir DIR     a directory of trust anchors in OpenSSL's hashed layout\n"
	"                      (without a trust anchor no signature can show as valid: the\n"
	"                      block says INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND)\n"
	"  --allow-weak        accept SHA-1 and RSA keys under 2048 bits when verifying\n"
	"  --sequential        the languages one after the other instead of side by side\n"
	"  -h, --help          show this help\n"
	"\n"
	"A document whose signatures do not pass is still rendered, with the result shown.\n"
	"Exit codes: 0 rendered; 1 error (unreadable file or trust anchors, cannot write);\n"
	"2 the document is refused (not well-formed, not valid against the schema or the rules);\n"
	"64 bad command line.\n";

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int cmd_render(int argc, char **argv)
{
	enum { O_FORMAT = 256, O_TRUST, O_TRUST_DIR, O_WEAK, O_SEQUENTIAL };
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "trust", required_argument, NULL, O_TRUST },
		{ "trust-dir", required_argument, NULL, O_TRUST_DIR },
		{ "allow-weak", no_argument, NULL, O_WEAK },
		{ "sequential", no_argument, NULL, O_SEQUENTIAL },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	kel_verify_options vopts = KEL_VERIFY_OPTIONS_INIT;
	kel_render_options ropts = KEL_RENDER_OPTIONS_INIT;
	kel_render_format format = 0;
	kel_buf out = KEL_BUF_INIT;
	kel_doc *doc = NULL;
	const char *input = NULL, *output = NULL;
	char *xml = NULL;
	size_t len;
	int c, rc;

	while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case O_FORMAT:
			if (strcmp(optarg, "pdf") == 0)
				format = KEL_RENDER_PDF;
			else if (strcmp(optarg, "html") == 0)
				format = KEL_RENDER_HTML;
			else
				return cli_usage_error("render", "unknown format '%s' (pdf or html)",
					optarg);
			break;
		case O_TRUST: vopts.trust_file = optarg; break;
		case O_TRUST_DIR: vopts.trust_dir = optarg; break;
		case O_WEAK: vopts.allow_weak = 1; break;
		case O_SEQUENTIAL: ropts.sequential = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("render", "bad option");
		}
	}
	if (optind < argc)
		input = argv[optind++];
	if (optind < argc)
		return cli_usage_error("render", "one document at a time ('%s' is extra)",
			argv[optind]);
	if (input == NULL)
		return cli_usage_error("render", "no document given ('-' for standard input)");
	if (output == NULL)
		return cli_usage_error("render", "no output given (-o FILE.pdf or FILE.html)");
	if (format == 0) {
		if (ends_with(output, ".pdf"))
			format = KEL_RENDER_PDF;
		else if (ends_with(output, ".html") || ends_with(output, ".htm"))
			format = KEL_RENDER_HTML;
		else
			return cli_usage_error("render", "cannot tell the format from '%s': "
				"give --format pdf or --format html", output);
	}
	ropts.verify = &vopts;

	if ((rc = cli_read_input("render", input, &xml, &len)) != EXIT_OK)
		return rc;
	if ((rc = kel_doc_parse(&doc, xml, len)) < 0) {
		rc = cli_report("render", rc);
		goto done;
	}
	if ((rc = kel_render(&out, doc, format, &ropts)) < 0) {
		cli_report("render", rc);
		rc = EXIT_ERROR;   /* the document was accepted: what failed is not its fault */
		goto done;
	}
	rc = cli_write_output("render", output, out.ptr, out.size);
done:
	kel_buf_dispose(&out);
	kel_doc_free(doc);
	free(xml);
	return rc;
}
