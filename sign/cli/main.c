/*
 * kelisim: the command line. main() finds the subcommand in a table, sets the library up
 * once, and hands over.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "new", cmd_new, "Make a consent document from a JSON request" },
	{ "validate", cmd_validate, "Check documents against the schema and the rules" },
	{ "sign", cmd_sign, "Add a XAdES signature to a document" },
	{ "verify", cmd_verify, "Check every signature of a document" },
	{ "qr", cmd_qr, "Write the QR code of a signed document, or print its payload" },
	{ "render", cmd_render, "Render a document as a printable PDF or an HTML page" },
	{ "store", cmd_store, "Keep signed documents in the evidence store, with its Merkle log" },
	{ "evidence", cmd_evidence, "Processor requests (DPA 4.8) and verifiable ASiC-E bundles" },
	{ NULL, NULL, NULL }
};

static void print_help(FILE *out)
{
	fprintf(out,
		"usage: kelisim [--version] [--help] COMMAND [ARGS]\n"
		"\n"
		"Consent as a signed, verifiable, storable electronic document.\n"
		"\n"
		"Commands:\n");
	for (const struct cli_command *c = commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out,
		"\n"
		"'kelisim COMMAND --help' describes a command.\n"
		"Exit codes: 0 done; 1 error; 2 input refused as invalid; 64 bad command line.\n");
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd;
	int rc;

	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("kelisim %s\n", kel_version());
		return EXIT_OK;
	}
	for (cmd = commands; cmd->name; cmd++)
		if (strcmp(argv[1], cmd->name) == 0)
			break;
	if (cmd->name == NULL) {
		fprintf(stderr, "kelisim: '%s' is not a command (see 'kelisim --help')\n", argv[1]);
		return EXIT_USAGE;
	}
	if ((rc = kel_init()) < 0)
		return cli_report(cmd->name, rc);
	rc = cmd->run(argc - 1, argv + 1);
	kel_shutdown();
	return rc;
}
