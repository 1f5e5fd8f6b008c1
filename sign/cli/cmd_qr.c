/*
 * kelisim qr: a signed document's QR code as an image, or its payload as text.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char usage[] =
	"usage: kelisim qr DOC.xml|- -o CODE.png|CODE.svg [--size N]\n"
	"       kelisim qr --payload DOC.xml|-\n"
	"\n"
	"Write the QR code a signed document carries in its Verification element (made by\n"
	"'kelisim sign'): its payload — document id, type, issue date, operator BIN, the SHA-256\n"
	"of the signed Content and the operator's ECDSA P-256 seal over them, see\n"
	"docs/qr-payload.md — drawn again at error-correction level M with a quiet zone of\n"
	"4 modules. The format comes from the extension of the output: .png (8-bit grey) or\n"
	".svg (one path; no XML declaration, so it can be inlined in HTML).\n"
	"\n"
	"  -o, --output FILE   where to write the image ('-': standard output, then give\n"
	"                      --format); written whole or not at all\n"
	"  --format png|svg    the format, when the extension does not tell it\n"
	"  --size N            pixels per module of the PNG, or nominal size of the SVG,\n"
	"                      1 to 32 (default 4; print at 2 or more for a scanner to read it)\n"
	"  --payload           print the payload text (one line) instead of writing an image\n"
	"  -h, --help          show this help\n"
	"\n"
	"The code is read from the document, not made again: no key is needed, and what is\n"
	"written is what the document's signatures cover. 'kelisim verify --qr-image' checks a\n"
	"scan of it.\n"
	"Exit codes: 0 written; 1 error (unreadable file, cannot write); 2 the document is\n"
	"refused (not valid, or it has no QR code); 64 bad command line.\n";

enum qr_format { QR_NONE, QR_PNG, QR_SVG };

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int cmd_qr(int argc, char **argv)
{
	enum { O_SIZE = 256, O_PAYLOAD, O_FORMAT };
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "size", required_argument, NULL, O_SIZE },
		{ "payload", no_argument, NULL, O_PAYLOAD },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *input = NULL, *output = NULL;
	enum qr_format format = QR_NONE;
	kel_qr_payload payload;
	kel_buf out = KEL_BUF_INIT;
	kel_doc *doc = NULL;
	unsigned int size = 0;
	int c, rc, want_payload = 0;
	char *xml = NULL, *end;
	size_t len;

	while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case O_SIZE: {
			unsigned long n = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || n < 1 || n > 32)
				return cli_usage_error("qr", "--size must be 1 to 32, not '%s'", optarg);
			size = (unsigned int)n;
			break;
		}
		case O_PAYLOAD: want_payload = 1; break;
		case O_FORMAT:
			if (strcmp(optarg, "png") == 0)
				format = QR_PNG;
			else if (strcmp(optarg, "svg") == 0)
				format = QR_SVG;
			else
				return cli_usage_error("qr", "unknown format '%s' (png or svg)", optarg);
			break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("qr", "bad option");
		}
	}
	if (optind < argc)
		input = argv[optind++];
	if (optind < argc)
		return cli_usage_error("qr", "one document at a time ('%s' is extra)", argv[optind]);
	if (input == NULL)
		return cli_usage_error("qr", "no document given ('-' for standard input)");
	if (want_payload && (output || size || format))
		return cli_usage_error("qr", "--payload prints text: no -o, --size or --format");
	if (!want_payload) {
		if (output == NULL)
			return cli_usage_error("qr", "no output given (-o CODE.png or CODE.svg), "
				"or --payload");
		if (format == QR_NONE)
			format = ends_with(output, ".png") ? QR_PNG :
				ends_with(output, ".svg") ? QR_SVG : QR_NONE;
		if (format == QR_NONE)
			return cli_usage_error("qr", "cannot tell the format from '%s': give "
				"--format png or --format svg", output);
	}

	if ((rc = cli_read_input("qr", input, &xml, &len)) != EXIT_OK)
		return rc;
	if ((rc = kel_doc_parse(&doc, xml, len)) < 0) {
		rc = cli_report("qr", rc);
		goto done;
	}
	if ((rc = kel_qr_doc_payload(&payload, doc)) < 0) {
		cli_report("qr", rc);
		if (rc == KEL_ENOTFOUND)
			fprintf(stderr, "kelisim qr: (a document gets its QR code when "
				"'kelisim sign' signs it first)\n");
		rc = rc == KEL_ENOMEM || rc == KEL_EINVAL ? EXIT_ERROR : EXIT_INVALID;
		goto done;
	}
	if (want_payload) {
		printf("%s\n", payload.text);
		rc = fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK :
			(fprintf(stderr, "kelisim qr: cannot write to standard output\n"), EXIT_ERROR);
		goto done;
	}
	rc = format == QR_PNG ? kel_qr_png(&out, payload.text, payload.text_len, size) :
		kel_qr_svg(&out, payload.text, payload.text_len, size);
	if (rc < 0) {
		cli_report("qr", rc);
		rc = EXIT_ERROR;
		goto done;
	}
	rc = cli_write_output("qr", output, out.ptr, out.size);
done:
	kel_buf_dispose(&out);
	kel_doc_free(doc);
	free(xml);
	return rc;
}
