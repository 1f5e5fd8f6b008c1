/*
 * Loading a signing key from the command line: --key/--cert/--chain or --p12, with the
 * passphrase from --pass-file, --pass-env or the terminal. Every command that signs (sign,
 * the QR seal, store heads, evidence bundles) goes through here, so they all behave alike.
 */
#include <stdio.h>

#include "cli.h"

static int try_load(const struct cli_key_args *a, kel_key **key, const char *pass, size_t len)
{
	if (a->p12)
		return kel_key_load_p12(key, a->p12, pass, len);
	return kel_key_load_pem(key, a->key, a->cert, a->chain, pass, len);
}

int cli_load_key(const char *cmd, const struct cli_key_args *a, kel_key **key)
{
	const char *path = a->p12 ? a->p12 : a->key;
	char *pass = NULL;
	size_t len = 0;
	int rc;

	*key = NULL;
	if (a->p12 && (a->key || a->cert || a->chain))
		return cli_usage_error(cmd, "give either --p12 or --key/--cert, not both");
	if (!a->p12 && !(a->key && a->cert))
		return cli_usage_error(cmd, "no key: give --key and --cert, or --p12");
	if (a->pass_file && a->pass_env)
		return cli_usage_error(cmd, "give --pass-file or --pass-env, not both");
	if (kel_key_file_is_exposed(path))
		fprintf(stderr, "kelisim %s: warning: '%s' can be read by other users "
			"(chmod 600 it)\n", cmd, path);

	/* With no passphrase source, try the key as unencrypted before asking for one. */
	if (!a->pass_file && !a->pass_env) {
		rc = try_load(a, key, NULL, 0);
		if (rc == 0)
			return EXIT_OK;
		if (rc != KEL_ENEEDPASS && rc != KEL_ECRYPTO)
			return cli_report(cmd, rc), EXIT_ERROR;
	}
	if ((rc = cli_passphrase_for(cmd, path, a->pass_file, a->pass_env, 1, &pass, &len))
	    != EXIT_OK)
		return rc;
	rc = try_load(a, key, pass, len);
	cli_passphrase_free(pass, len);
	/* A key that cannot be loaded is an error (exit 1), not an invalid document. */
	return rc < 0 ? (cli_report(cmd, rc), EXIT_ERROR) : EXIT_OK;
}

int cli_key_option(struct cli_key_args *a, int o, int base, const char *arg)
{
	const char **slots[] = { &a->key, &a->cert, &a->chain, &a->p12, &a->pass_file,
		&a->pass_env };

	if (o < base || o >= base + (int)(sizeof(slots) / sizeof(slots[0])))
		return 0;
	*slots[o - base] = arg;
	return 1;
}

int cli_key_any(const struct cli_key_args *a)
{
	return a->key || a->cert || a->chain || a->p12 || a->pass_file || a->pass_env;
}
