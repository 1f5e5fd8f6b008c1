/*
 * kelisim verify: check every signature of a document and report.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage[] =
	"usage: kelisim verify [DOC.xml|-] [--trust CA.pem] [--trust-dir DIR] [--json]\n"
	"                      [--allow-weak] [--at TIME]\n"
	"       kelisim verify (--qr-image SCAN.png | --qr-text PAYLOAD) [--seal-cert CERT.pem]...\n"
	"                      [--trust CA.pem] [--trust-dir DIR] [--json] [DOC.xml|-]\n"
	"\n"
	"Check every signature of a signed document ('-' or absent: standard input) in the\n"
	"manner of ETSI EN 319 102-1 and print the result of each: TOTAL-PASSED, TOTAL-FAILED or\n"
	"INDETERMINATE, with a sub-indication (FORMAT_FAILURE, HASH_FAILURE, SIG_CRYPTO_FAILURE,\n"
	"SIGNED_DATA_NOT_FOUND, NO_SIGNING_CERTIFICATE_FOUND, NO_CERTIFICATE_CHAIN_FOUND,\n"
	"OUT_OF_BOUNDS_NO_POE, CRYPTO_CONSTRAINTS_FAILURE, ...) and the result of each building\n"
	"block: format, signing certificate identification, X.509 validation, cryptographic\n"
	"verification (each reference's digest), signature acceptance.\n"
	"\n"
	"A kelisim document is held to the exact shape kelisim signs: each reference must land\n"
	"on the root's Content, the root's Verification or the signature's own SignedProperties;\n"
	"duplicate Ids, moved or extra elements, other transforms, a DTD or anything unsigned\n"
	"that could be read as signed make it FAILED. Other XML with enveloped XML-DSig\n"
	"signatures (e.g. from NCALayer) is verified as XML-DSig. Algorithms kelisim does not\n"
	"support (e.g. Kazakh GOST) give INDETERMINATE.\n"
	"\n"
	"  --trust CA.pem     trust anchors (root certificates), PEM\n"
	"  --trust-dir DIR    a directory of trust anchors in OpenSSL's hashed layout\n"
	"                     (without a trust anchor no signature can pass: the result is\n"
	"                     INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND)\n"
	"  --json             print one JSON object instead of text\n"
	"  --allow-weak       accept SHA-1 and RSA keys under 2048 bits\n"
	"  --at TIME          validate as of TIME (YYYY-MM-DDThh:mm:ssZ) instead of now, e.g. to\n"
	"                     re-check a signature whose certificate has expired since; the\n"
	"                     report then says what was true at TIME, not today\n"
	"  -h, --help         show this help\n"
	"\n"
	"The chain must be valid at the signing time the signature claims and, since XAdES B-B\n"
	"has no time-stamp to prove that claim, still at the time of verification (else\n"
	"INDETERMINATE / OUT_OF_BOUNDS_NO_POE). Revocation is not checked.\n"
	"Exit codes: 0 every signature TOTAL-PASSED; 2 the document is not valid (some signature\n"
	"failed or is indeterminate, or there is none); 1 error (unreadable file or trust\n"
	"anchors); 64 bad command line.\n";

int cmd_verify(int argc, char **argv)
{
	enum { O_TRUST = 256, O_TRUST_DIR, O_JSON, O_WEAK, O_AT };
	static const struct option options[] = {
		{ "trust", required_argument, NULL, O_TRUST },
		{ "trust-dir", required_argument, NULL, O_TRUST_DIR },
		{ "json", no_argument, NULL, O_JSON },
		{ "allow-weak", no_argument, NULL, O_WEAK },
		{ "at", required_argument, NULL, O_AT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	kel_verify_options opts = KEL_VERIFY_OPTIONS_INIT;
	kel_report *report = NULL;
	kel_buf out = KEL_BUF_INIT;
	const char *input = NULL;
	int c, json = 0, rc;
	char *xml;
	size_t len;

	if (verify_qr_wanted(argc, argv))   /* a QR code: verify_qr.c */
		return verify_qr(argc, argv);
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case O_TRUST: opts.trust_file = optarg; break;
		case O_TRUST_DIR: opts.trust_dir = optarg; break;
		case O_JSON: json = 1; break;
		case O_WEAK: opts.allow_weak = 1; break;
		case O_AT:
			if ((opts.validation_time = cli_parse_utc(optarg)) == (time_t)-1)
				return cli_usage_error("verify", "--at wants YYYY-MM-DDThh:mm:ssZ, not '%s'",
					optarg);
			break;
		case 'h': fputs(usage, stdout); fputs(verify_qr_usage, stdout); return EXIT_OK;
		default: return cli_usage_error("verify", "bad option");
		}
	}
	if (optind < argc)
		input = argv[optind++];
	if (optind < argc)
		return cli_usage_error("verify", "one document at a time ('%s' is extra)",
			argv[optind]);
	if ((rc = cli_read_input("verify", input, &xml, &len)) != EXIT_OK)
		return rc;
	if ((rc = kel_verify(&report, xml, len, &opts)) < 0) {
		free(xml);
		cli_report("verify", rc);
		return EXIT_ERROR;   /* verification could not run: never "invalid" */
	}
	rc = json ? kel_report_to_json(report, &out) : kel_report_to_text(report, &out);
	if (rc == 0)
		rc = cli_write_output("verify", NULL, out.ptr, out.size);
	else
		rc = (cli_report("verify", rc), EXIT_ERROR);
	if (rc == EXIT_OK && kel_report_indication(report) != KEL_INDICATION_PASSED)
		rc = EXIT_INVALID;
	kel_buf_dispose(&out);
	kel_report_free(report);
	free(xml);
	return rc;
}
