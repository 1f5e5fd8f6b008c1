/*
 * kelisim sign: the QR code. Before the XAdES signature is made, the document's empty
 * Verification element is filled (kel_qr_doc_fill) so that the signature covers the code too.
 * The code is sealed with an ECDSA P-256 key: the one given with --qr-key, else the signing
 * key when it is one. A document that has its code keeps it.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int sign_qr_option(struct sign_qr_args *q, int c, const char *arg)
{
	switch (c) {
	case SIGN_QR_OPT_KEY: q->key = arg; return 0;
	case SIGN_QR_OPT_CERT: q->cert = arg; return 0;
	case SIGN_QR_OPT_URL: q->verify_url = arg; return 0;
	default: return -1;
	}
}

int sign_qr_check(const struct sign_qr_args *q)
{
	size_t n;

	if (q->key && !q->cert)
		return cli_usage_error("sign", "--qr-key needs its certificate: give --qr-cert");
	if (q->cert && !q->key)
		return cli_usage_error("sign", "--qr-cert without --qr-key");
	if (q->verify_url) {
		n = strlen(q->verify_url);
		if (strncmp(q->verify_url, "https://", 8) != 0 || n < 9 || n > KEL_QR_URL_MAX ||
		    strchr("/#?=&", q->verify_url[n - 1]) == NULL)
			return cli_usage_error("sign", "--verify-url must be an https:// URL of at "
				"most %d characters ending with '/', '#', '?', '=' or '&'",
				KEL_QR_URL_MAX);
	}
	return EXIT_OK;
}

/*
 * Load the --qr-key key (with its --qr-cert) the way the signing key is loaded: the
 * passphrase from --pass-file or --pass-env when given, else asked for only if needed.
 */
static int load_qr_key(const struct sign_qr_args *q, const char *pass_file,
	const char *pass_env, kel_key **key)
{
	const struct cli_key_args k = { q->key, q->cert, NULL, NULL, pass_file, pass_env };

	return cli_load_key("sign", &k, key);
}

static int is_p256(const kel_key *key)
{
	const char *alg = kel_key_algorithm(key);
	return alg && strcmp(alg, "ECDSA P-256") == 0;
}

int sign_qr_fill(kel_doc *doc, const kel_key *key, const struct sign_qr_args *q,
	const char *pass_file, const char *pass_env)
{
	kel_qr_options opts = KEL_QR_OPTIONS_INIT;
	kel_qr_payload payload;
	kel_key *qr_key = NULL;
	int rc;

	/* A document that has its code keeps it (its digest must still be the Content's). */
	rc = kel_qr_doc_payload(&payload, doc);
	if (rc != KEL_ENOTFOUND) {
		if ((rc = kel_qr_doc_fill(doc, NULL, NULL, NULL)) < 0)
			return cli_report("sign", rc);
		if (q->key || q->verify_url)
			fprintf(stderr, "kelisim sign: note: the document keeps the QR code it has; "
				"--qr-key and --verify-url are not used\n");
		return EXIT_OK;
	}
	/*
	 * No code yet. Without a key, kel_qr_doc_fill() refuses an empty Verification in a
	 * document that is already signed (KEL_EINVALID: every signature covers it), and asks
	 * for a key (KEL_EINVAL) when the code can still be made.
	 */
	rc = kel_qr_doc_fill(doc, NULL, NULL, NULL);
	if (rc == KEL_EINVALID) {
		fprintf(stderr, "kelisim sign: note: the document was signed without a QR code and "
			"stays without one (a code added now would break its signatures)\n");
		return EXIT_OK;
	}
	if (rc == 0)
		return EXIT_OK;
	if (q->key) {
		if ((rc = load_qr_key(q, pass_file, pass_env, &qr_key)) != EXIT_OK)
			return rc;
		if (!is_p256(qr_key)) {
			fprintf(stderr, "kelisim sign: --qr-key '%s' is %s; the QR code is sealed with "
				"an ECDSA P-256 key only\n", q->key, kel_key_algorithm(qr_key));
			kel_key_free(qr_key);
			return EXIT_USAGE;
		}
	} else if (!is_p256(key)) {
		fprintf(stderr, "kelisim sign: the signing key is %s, and the document's QR code must "
			"be sealed with an ECDSA P-256 key: give the operator's EC key with "
			"--qr-key KEY.pem --qr-cert CERT.pem\n(see 'kelisim sign --help')\n",
			kel_key_algorithm(key));
		return EXIT_USAGE;
	}
	opts.verify_url = q->verify_url;
	rc = kel_qr_doc_fill(doc, qr_key ? qr_key : key, &opts, NULL);
	kel_key_free(qr_key);
	if (rc < 0) {
		cli_report("sign", rc);
		return rc == KEL_EINVAL && q->verify_url ? EXIT_USAGE :
			rc == KEL_EINVALID ? EXIT_INVALID : EXIT_ERROR;
	}
	return EXIT_OK;
}
