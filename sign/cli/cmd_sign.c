/*
 * kelisim sign: add a XAdES B-B signature to a document.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
	"usage: kelisim sign [DOC.xml|-] [-o OUT.xml|-]\n"
	"                    (--key KEY.pem --cert CERT.pem [--chain CHAIN.pem] | --p12 FILE.p12)\n"
	"                    [--pass-file FILE | --pass-env VAR] [--role ROLE]\n"
	"                    [--commitment TYPE] [--counter SIGID]\n"
	"                    [--digest sha256|sha384|sha512] [--rsa-pss]\n"
	"                    [--qr-key KEY.pem --qr-cert CERT.pem] [--verify-url BASE]\n"
	"\n"
	"Sign a consent document with a XAdES baseline B-B signature (ETSI EN 319 132-1) and\n"
	"write the signed document. DOC.xml '-' or absent: standard input; OUT '-' or absent:\n"
	"standard output, so 'kelisim new req.json | kelisim sign --p12 k.p12 > signed.xml' works.\n"
	"\n"
	"The signature covers the document's Content and Verification and its own signed\n"
	"properties: signing time, the signer's certificate (SigningCertificateV2), the format of\n"
	"each signed element, and the role and commitment given here. The certificate and the\n"
	"chain go into KeyInfo. A document that is already signed gets a further, parallel\n"
	"signature (e.g. the subject's, then the operator's); earlier signatures stay valid.\n"
	"The document is checked against the schema and the rules first and refused if invalid;\n"
	"nothing is written on failure.\n"
	"\n"
	"Key:\n"
	"  --key KEY.pem        private key, PEM (traditional or PKCS#8, encrypted or not)\n"
	"  --cert CERT.pem      the key's certificate\n"
	"  --chain CHAIN.pem    further certificates up to the root (optional)\n"
	"  --p12 FILE.p12       key, certificate and chain from PKCS#12 (as NCA issues them)\n"
	"  --pass-file FILE     read the passphrase from FILE (one trailing newline dropped)\n"
	"  --pass-env VAR       read the passphrase from environment variable VAR\n"
	"                       (without either, a terminal prompt when the key is encrypted;\n"
	"                       a passphrase is never taken from the command line)\n"
	"Signature:\n"
	"  --role ROLE          the signer's claimed role (SignerRoleV2), e.g. 'clerk'\n"
	"  --commitment TYPE    CommitmentTypeIndication: proof-of-origin, proof-of-receipt,\n"
	"                       proof-of-delivery, proof-of-sender, proof-of-approval,\n"
	"                       proof-of-creation\n"
	"  --counter SIGID      counter-sign the signature with Id SIGID (its SignatureValue)\n"
	"                       instead of adding a parallel signature\n"
	"  --digest NAME        sha256, sha384 or sha512 (default: by key; P-384 uses sha384)\n"
	"  --rsa-pss            RSA keys: RSASSA-PSS instead of PKCS#1 v1.5\n"
	"QR code (filled into Verification before the first signature, so it is signed too):\n"
	"  --qr-key KEY.pem     the operator's ECDSA P-256 key that seals the QR code; needed\n"
	"                       when the signing key is not P-256 (e.g. RSA), else that key seals\n"
	"                       it (passphrase as for --key: --pass-file, --pass-env or a prompt)\n"
	"  --qr-cert CERT.pem   the --qr-key key's certificate (its key id goes into the code)\n"
	"  --verify-url BASE    begin the code with this https:// URL (at most 56 characters,\n"
	"                       ending with / # ? = or &) so that a phone's camera opens it\n"
	"                       (a document that has its QR code keeps it: these are not used)\n"
	"  -o, --output OUT     where to write the signed document (default: standard output)\n"
	"  -h, --help           show this help\n"
	"\n"
	"Algorithms: ECDSA P-256/P-384, RSA of 2048 bits or more; exclusive C14N.\n"
	"A private-key file readable by group or others is signed with, with a warning.\n"
	"Exit codes: 0 signed; 1 error (unreadable key, wrong passphrase, I/O);\n"
	"2 document refused as invalid; 64 bad command line.\n";

struct sign_args {
	const char *input, *output;
	struct cli_key_args keyopt;
	const char *role, *commitment, *counter, *digest;
	int rsa_pss;
	struct sign_qr_args qr;
};

static int parse_args(int argc, char **argv, struct sign_args *a)
{
	enum { O_KEY = 256, O_CERT, O_CHAIN, O_P12, O_PASS_FILE, O_PASS_ENV, O_ROLE,
	       O_COMMITMENT, O_COUNTER, O_DIGEST, O_PSS };
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		CLI_KEY_LONG_OPTIONS(O_KEY),
		{ "role", required_argument, NULL, O_ROLE },
		{ "commitment", required_argument, NULL, O_COMMITMENT },
		{ "counter", required_argument, NULL, O_COUNTER },
		{ "digest", required_argument, NULL, O_DIGEST },
		{ "rsa-pss", no_argument, NULL, O_PSS },
		SIGN_QR_LONG_OPTIONS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (c) {
		case 'o': a->output = optarg; break;
		case O_ROLE: a->role = optarg; break;
		case O_COMMITMENT: a->commitment = optarg; break;
		case O_COUNTER: a->counter = optarg; break;
		case O_DIGEST: a->digest = optarg; break;
		case O_PSS: a->rsa_pss = 1; break;
		case 'h': fputs(usage, stdout); return -1;
		default:
			if (cli_key_option(&a->keyopt, c, O_KEY, optarg))
				break;
			if (sign_qr_option(&a->qr, c, optarg) == 0)
				break;
			return cli_usage_error("sign", "bad option");
		}
	}
	if (optind < argc)
		a->input = argv[optind++];
	if (optind < argc)
		return cli_usage_error("sign", "one document at a time ('%s' is extra)", argv[optind]);
	if (a->keyopt.p12 && (a->keyopt.key || a->keyopt.cert || a->keyopt.chain))
		return cli_usage_error("sign", "give either --p12 or --key/--cert, not both");
	if (!a->keyopt.p12 && !(a->keyopt.key && a->keyopt.cert))
		return cli_usage_error("sign", "no key: give --key and --cert, or --p12");
	if (a->keyopt.pass_file && a->keyopt.pass_env)
		return cli_usage_error("sign", "give --pass-file or --pass-env, not both");
	if (a->commitment && kel_commitment_from_name(a->commitment) == KEL_COMMITMENT_NONE)
		return cli_usage_error("sign", "unknown commitment type '%s'", a->commitment);
	if (a->digest && kel_digest_from_name(a->digest) < 0)
		return cli_usage_error("sign", "unknown digest '%s' (sha256, sha384, sha512)",
			a->digest);
	return sign_qr_check(&a->qr);
}

int cmd_sign(int argc, char **argv)
{
	kel_sign_options opts = KEL_SIGN_OPTIONS_INIT;
	struct sign_args a;
	kel_key *key = NULL;
	kel_doc *doc = NULL;
	kel_buf out = KEL_BUF_INIT;
	char *xml = NULL;
	size_t len;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = cli_read_input("sign", a.input, &xml, &len)) != EXIT_OK)
		return rc;
	if ((rc = kel_doc_parse(&doc, xml, len)) < 0) {
		rc = cli_report("sign", rc);
		goto done;
	}
	if ((rc = cli_load_key("sign", &a.keyopt, &key)) != EXIT_OK)
		goto done;
	opts.role = a.role;
	opts.rsa_pss = a.rsa_pss;
	opts.counter_signature_of = a.counter;
	if (a.commitment)
		opts.commitment = kel_commitment_from_name(a.commitment);
	if (a.digest)
		opts.digest = (kel_digest)kel_digest_from_name(a.digest);
	if ((rc = sign_qr_fill(doc, key, &a.qr, a.keyopt.pass_file, a.keyopt.pass_env)) != EXIT_OK)
		goto done;
	if ((rc = kel_xades_sign(doc, key, &opts)) < 0 || (rc = kel_doc_write(&out, doc)) < 0) {
		/* Bad options for this key are the caller's mistake: report as an error. */
		cli_report("sign", rc);
		rc = rc == KEL_EINVALID ? EXIT_INVALID : EXIT_ERROR;
		goto done;
	}
	rc = cli_write_output("sign", a.output, out.ptr, out.size);
done:
	kel_buf_dispose(&out);
	kel_doc_free(doc);
	kel_key_free(key);
	free(xml);
	return rc;
}
