/*
 * What the subcommands of the kelisim tool share.
 */
#ifndef KELISIM_CLI_H
#define KELISIM_CLI_H

#include <stddef.h>
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

/* The largest input file the tool reads. */
#define CLI_MAX_INPUT (16u * 1024u * 1024u)

/*
 * Read all of path ("-" or NULL: standard input) into *out (NUL-terminated, free()d by the
 * caller). Prints a message and returns EXIT_ERROR when it cannot be read, EXIT_INVALID when
 * it is larger than CLI_MAX_INPUT.
 */
int cli_read_input(const char *cmd, const char *path, char **out, size_t *len);

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

#endif
