/*
 * Passphrases for encrypted keys: from a file, an environment variable or the terminal.
 *
 * Never from the command line. An argument can be read by every user of the machine (ps,
 * /proc/PID/cmdline) and stays in shell history, so there is deliberately no --pass option
 * and nothing here takes one. Every copy of a passphrase made here is wiped before it is
 * freed; the caller wipes the one it gets with cli_passphrase_free().
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

/* The longest passphrase taken; anything longer is the wrong file. */
#define PASS_MAX 4096

/* Hand a copy of pass[0..len) to the caller, NUL-terminated. */
static int give(const char *cmd, const char *pass, size_t len, char **out, size_t *out_len)
{
	char *copy = malloc(len + 1);

	if (copy == NULL) {
		fprintf(stderr, "kelisim %s: out of memory\n", cmd);
		return EXIT_ERROR;
	}
	memcpy(copy, pass, len);
	copy[len] = '\0';
	*out = copy;
	*out_len = len;
	return EXIT_OK;
}

static int from_file(const char *cmd, const char *path, char **out, size_t *out_len)
{
	char buf[PASS_MAX + 3];   /* room for "\r\n" and one byte too many */
	size_t len = 0;
	struct stat st;
	ssize_t n;
	int fd, rc = EXIT_ERROR;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "kelisim %s: cannot open passphrase file '%s': %s\n", cmd, path,
			strerror(errno));
		return EXIT_ERROR;
	}
	/* Warn rather than refuse, as for key files: the owner may have reasons. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0)
		fprintf(stderr, "kelisim %s: warning: passphrase file '%s' is open to other "
			"users; chmod 600 it\n", cmd, path);
	/* Read one byte more than is allowed, to tell "full" from "too long". */
	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "kelisim %s: cannot read passphrase file '%s': %s\n", cmd,
				path, strerror(errno));
			goto done;
		}
		len += (size_t)n;
	}
	/* One line ending goes: editors add it. Anything else is part of the passphrase. */
	if (len > 0 && buf[len - 1] == '\n') {
		len--;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
	}
	if (len > PASS_MAX) {
		fprintf(stderr, "kelisim %s: passphrase file '%s' is longer than %d bytes\n", cmd,
			path, PASS_MAX);
		goto done;
	}
	rc = give(cmd, buf, len, out, out_len);
done:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return rc;
}

static int from_env(const char *cmd, const char *var, char **out, size_t *out_len)
{
	const char *value = getenv(var);

	if (value == NULL) {
		fprintf(stderr, "kelisim %s: environment variable '%s' (--pass-env) is not set\n",
			cmd, var);
		return EXIT_ERROR;
	}
	return give(cmd, value, strlen(value), out, out_len);
}

/*
 * The terminal while echo is off. A signal that ends the process first puts echo back, or
 * the user's shell would be left typing blind.
 */
static int tty_fd = -1;
static struct termios tty_saved;

static const int fatal_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGPIPE };
#define NSIGNALS (sizeof(fatal_signals) / sizeof(fatal_signals[0]))

static void restore_and_die(int sig)
{
	/* Only async-signal-safe calls here. */
	tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	(void)!write(tty_fd, "\n", 1);
	signal(sig, SIG_DFL);
	raise(sig);   /* delivered, with the default action, when this handler returns */
}

/* Read one line from the terminal; a line longer than PASS_MAX is refused. */
static int read_line(const char *cmd, char *buf, size_t *len)
{
	size_t n = 0;
	int too_long = 0;
	ssize_t r;
	char c;

	for (;;) {
		r = read(tty_fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			explicit_bzero(buf, n);
			(void)!write(tty_fd, "\n", 1);
			fprintf(stderr, "kelisim %s: no passphrase given\n", cmd);
			return EXIT_ERROR;
		}
		if (c == '\n')
			break;
		if (n < PASS_MAX)
			buf[n++] = c;
		else
			too_long = 1;
	}
	explicit_bzero(&c, sizeof(c));
	if (too_long) {
		explicit_bzero(buf, n);
		fprintf(stderr, "kelisim %s: the passphrase is longer than %d bytes\n", cmd,
			PASS_MAX);
		return EXIT_ERROR;
	}
	*len = n;
	return EXIT_OK;
}

static int from_tty(const char *cmd, const char *key_path, char **out, size_t *out_len)
{
	struct sigaction act, old[NSIGNALS], old_tstp;
	struct termios quiet;
	char buf[PASS_MAX];
	size_t len = 0, i;
	int rc;

	/* No controlling terminal (a service, CI): go on without a passphrase. */
	if ((tty_fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return EXIT_OK;
	if (tcgetattr(tty_fd, &tty_saved) < 0) {
		close(tty_fd);
		tty_fd = -1;
		return EXIT_OK;
	}

	memset(&act, 0, sizeof(act));
	sigemptyset(&act.sa_mask);
	act.sa_handler = restore_and_die;
	for (i = 0; i < NSIGNALS; i++)
		sigaction(fatal_signals[i], &act, &old[i]);
	/* Stopped with echo off, or resumed with echo on mid-passphrase: neither is good. */
	act.sa_handler = SIG_IGN;
	sigaction(SIGTSTP, &act, &old_tstp);

	quiet = tty_saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
	quiet.c_lflag |= ECHONL;   /* the Enter still shows, so the next line starts fresh */
	/* TCSAFLUSH: nothing typed before the prompt becomes part of the passphrase. */
	if (tcsetattr(tty_fd, TCSAFLUSH, &quiet) < 0) {
		fprintf(stderr, "kelisim %s: cannot turn off echo on the terminal: %s\n", cmd,
			strerror(errno));
		rc = EXIT_ERROR;
		goto restore;
	}
	if (key_path != NULL)
		dprintf(tty_fd, "Passphrase for %s: ", key_path);
	else
		dprintf(tty_fd, "Passphrase for kelisim %s: ", cmd);
	rc = read_line(cmd, buf, &len);
	tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	if (rc == EXIT_OK)
		rc = give(cmd, buf, len, out, out_len);
	explicit_bzero(buf, len);
restore:
	sigaction(SIGTSTP, &old_tstp, NULL);
	for (i = 0; i < NSIGNALS; i++)
		sigaction(fatal_signals[i], &old[i], NULL);
	close(tty_fd);
	tty_fd = -1;
	return rc;
}

int cli_passphrase_for(const char *cmd, const char *key_path, const char *pass_file,
	const char *pass_env, int allow_prompt, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (pass_file != NULL && pass_env != NULL)
		return cli_usage_error(cmd, "give --pass-file or --pass-env, not both");
	if (pass_file != NULL)
		return from_file(cmd, pass_file, out, len);
	if (pass_env != NULL)
		return from_env(cmd, pass_env, out, len);
	if (allow_prompt)
		return from_tty(cmd, key_path, out, len);
	return EXIT_OK;
}

int cli_passphrase(const char *cmd, const char *pass_file, const char *pass_env,
	int allow_prompt, char **out, size_t *len)
{
	return cli_passphrase_for(cmd, NULL, pass_file, pass_env, allow_prompt, out, len);
}

void cli_passphrase_free(char *pass, size_t len)
{
	if (pass == NULL)
		return;
	explicit_bzero(pass, len);
	free(pass);
}
