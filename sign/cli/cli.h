/*
 * What the subcommands of the kelisim tool share.
 */
#ifndef KELISIM_CLI_H
#define KELISIM_CLI_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>
#include "kelisim.h"

/* Exit codes, written down once (the README and `kelisim --help` repeat them). */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,     /* something failed: unreadable file, I/O, internal error */
	EXIT_INVALID = 2,   /* the input was read and refused: invalid request or document */
	EXIT_USAGE = 64     /* bad command line */
};

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* The subcommands, one file each (cmd_NAME.c). */
int cmd_new(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_store(int argc, char **argv);
int cmd_evidence(int argc, char **argv);

/*
 * The QR code when signing (sign_qr.c): kelisim sign's --qr-key, --qr-cert and --verify-url,
 * and the filling of the document's Verification before the signature is made.
 */
struct sign_qr_args {
	const char *key, *cert, *verify_url;
};
enum { SIGN_QR_OPT_KEY = 1024, SIGN_QR_OPT_CERT, SIGN_QR_OPT_URL };
/* The entries for a struct option table (getopt.h). */
#define SIGN_QR_LONG_OPTIONS \
	{ "qr-key", required_argument, NULL, SIGN_QR_OPT_KEY }, \
	{ "qr-cert", required_argument, NULL, SIGN_QR_OPT_CERT }, \
	{ "verify-url", required_argument, NULL, SIGN_QR_OPT_URL }
/* Take getopt's c into q: 0 when it was one of SIGN_QR_OPT_*, else -1. */
int sign_qr_option(struct sign_qr_args *q, int c, const char *arg);
/* Check the QR options once all are read: EXIT_OK, or a message and EXIT_USAGE. */
int sign_qr_check(const struct sign_qr_args *q);
/*
 * Fill doc's empty Verification (the QR code) before it is signed with key: sealed with the
 * --qr-key key, else with key when it is ECDSA P-256, else refused. A document whose
 * Verification is filled keeps it; one signed before it had a QR code stays without one.
 * The --qr-key passphrase comes from pass_file, pass_env or a prompt. Returns EXIT_*.
 */
int sign_qr_fill(kel_doc *doc, const kel_key *key, const struct sign_qr_args *q,
	const char *pass_file, const char *pass_env);

/* kelisim qr (cmd_qr.c). */
int cmd_qr(int argc, char **argv);

/*
 * kelisim verify --qr-image/--qr-text (verify_qr.c): verify_qr_wanted() tells whether argv
 * asks for it; verify_qr() then takes the whole command line. verify_qr_usage is the part of
 * 'kelisim verify --help' about it.
 */
int verify_qr_wanted(int argc, char **argv);
int verify_qr(int argc, char **argv);
extern const char verify_qr_usage[];

/* The largest input file the tool reads. */
#define CLI_MAX_INPUT (16u * 1024u * 1024u)

/*
 * Read all of path ("-" or NULL: standard input) into *out (NUL-terminated, free()d by the
 * caller). Prints a message and returns EXIT_ERROR when it cannot be read, EXIT_INVALID when
 * it is larger than CLI_MAX_INPUT.
 */
int cli_read_input(const char *cmd, const char *path, char **out, size_t *len);

/* The same, with the complaint written into msg instead of printed (for worker threads). */
#define CLI_MESSAGE_MAX 4352
int cli_read_input_quiet(const char *cmd, const char *path, char **out, size_t *len,
	char *msg, size_t msg_size);

/*
 * Write data to path ("-" or NULL: standard output). A file is written beside its final name
 * and renamed into place only when complete and flushed to disk, so a failure never leaves a
 * partial file, and an existing file is replaced whole or not at all. (A symbolic link at path
 * is replaced by the file, not written through.)
 */
int cli_write_output(const char *cmd, const char *path, const char *data, size_t len);

/*
 * Report the library's last error as "kelisim CMD: LINE" for each line of its message and
 * return the exit code that fits it (EXIT_INVALID for refused input, else EXIT_ERROR).
 */
int cli_report(const char *cmd, int code);

/*
 * Write s to f as a JSON string, quoted and escaped ("null" for NULL). The tool escapes by
 * hand: it links only the kelisim library, not a JSON one.
 */
void cli_json_string(FILE *f, const char *s);

/* `"name": value` into a JSON object being written; *first says whether a comma goes first. */
void cli_json_field(FILE *f, const char *name, const char *value, int *first);
void cli_json_u64(FILE *f, const char *name, uint64_t v, int *first);

/* "YYYY-MM-DDThh:mm:ssZ" (as --at takes it) as a time, or (time_t)-1 when it is not one. */
time_t cli_parse_utc(const char *s);

/* Print "kelisim CMD: " and the message to stderr; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The passphrase for an encrypted key, from exactly one source: the file pass_file (read
 * whole, one trailing "\n" or "\r\n" dropped; a warning when others may read it), the
 * environment variable pass_env, or, when allow_prompt is set and there is a terminal, a
 * prompt on /dev/tty with echo off. Otherwise *out is NULL: no passphrase. Never from the
 * command line: argv is visible to every user in ps and stays in shell history.
 * *out is NUL-terminated; give it back with cli_passphrase_free(). Returns EXIT_OK, or
 * prints "kelisim CMD: ..." and returns EXIT_ERROR (EXIT_USAGE when both sources are given).
 */
int cli_passphrase(const char *cmd, const char *pass_file, const char *pass_env,
	int allow_prompt, char **out, size_t *len);

/* As cli_passphrase, with the prompt naming the key: "Passphrase for KEY_PATH: ". */
int cli_passphrase_for(const char *cmd, const char *key_path, const char *pass_file,
	const char *pass_env, int allow_prompt, char **out, size_t *len);

/* Wipe and free a passphrase from cli_passphrase(). NULL is fine. */
void cli_passphrase_free(char *pass, size_t len);

/* The key options of a signing command, as given. */
struct cli_key_args {
	const char *key, *cert, *chain;   /* --key/--cert/--chain (PEM or PKCS#8) */
	const char *p12;                  /* --p12 */
	const char *pass_file, *pass_env; /* --pass-file, --pass-env */
};

/*
 * Those options as getopt_long entries, for every command that signs: their values are
 * base to base + 5, in the order of the struct.
 */
#define CLI_KEY_LONG_OPTIONS(base) \
	{ "key", required_argument, NULL, (base) }, \
	{ "cert", required_argument, NULL, (base) + 1 }, \
	{ "chain", required_argument, NULL, (base) + 2 }, \
	{ "p12", required_argument, NULL, (base) + 3 }, \
	{ "pass-file", required_argument, NULL, (base) + 4 }, \
	{ "pass-env", required_argument, NULL, (base) + 5 }

/* Record option o (from CLI_KEY_LONG_OPTIONS(base)) and its argument; 0 if o is not one. */
int cli_key_option(struct cli_key_args *a, int o, int base, const char *arg);

/* Whether any key option was given. */
int cli_key_any(const struct cli_key_args *a);

/*
 * Load the key the options name (keyopt.c): warn when the key file is readable by others;
 * with no passphrase source, try it unencrypted and ask on the terminal only when it needs a
 * passphrase. Returns EXIT_OK, EXIT_USAGE for contradictory options, or EXIT_ERROR after
 * printing why.
 */
int cli_load_key(const char *cmd, const struct cli_key_args *a, kel_key **key);

#endif
