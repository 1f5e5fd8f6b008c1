/*
 * Input, output and error reporting for the subcommands.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static int is_stdio(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

int cli_read_input_quiet(const char *cmd, const char *path, char **out, size_t *len,
	char *msg, size_t msg_size)
{
	FILE *f = is_stdio(path) ? stdin : fopen(path, "rb");
	const char *name = is_stdio(path) ? "standard input" : path;
	size_t size = 0, cap = 65536, n;
	int rc = EXIT_ERROR;
	char *data;

	*out = NULL;
	*len = 0;
	msg[0] = '\0';
	if (f == NULL) {
		snprintf(msg, msg_size, "kelisim %s: cannot open '%s': %s", cmd, name,
			strerror(errno));
		return EXIT_ERROR;
	}
	if ((data = malloc(cap + 1)) == NULL) {
		snprintf(msg, msg_size, "kelisim %s: out of memory", cmd);
		goto fail;
	}
	while ((n = fread(data + size, 1, cap - size, f)) > 0) {
		size += n;
		if (size > CLI_MAX_INPUT) {
			snprintf(msg, msg_size, "kelisim %s: '%s' is larger than %u bytes", cmd,
				name, CLI_MAX_INPUT);
			rc = EXIT_INVALID;   /* read and refused, like any other input refused */
			goto fail;
		}
		if (size == cap) {
			char *bigger;
			cap *= 2;
			if ((bigger = realloc(data, cap + 1)) == NULL) {
				snprintf(msg, msg_size, "kelisim %s: out of memory", cmd);
				goto fail;
			}
			data = bigger;
		}
	}
	if (ferror(f)) {
		snprintf(msg, msg_size, "kelisim %s: cannot read '%s': %s", cmd, name,
			strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	data[size] = '\0';
	*out = data;
	*len = size;
	return EXIT_OK;
fail:
	free(data);
	if (f != stdin)
		fclose(f);
	return rc;
}

int cli_read_input(const char *cmd, const char *path, char **out, size_t *len)
{
	char msg[CLI_MESSAGE_MAX];
	int rc = cli_read_input_quiet(cmd, path, out, len, msg, sizeof(msg));

	if (rc != EXIT_OK)
		fprintf(stderr, "%s\n", msg);
	return rc;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static void sync_parent_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (copy == NULL)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int cli_write_output(const char *cmd, const char *path, const char *data, size_t len)
{
	char *dir_copy, *tmp;
	mode_t mask;
	int fd, saved;

	if (is_stdio(path)) {
		if (write_all(STDOUT_FILENO, data, len) < 0) {
			fprintf(stderr, "kelisim %s: cannot write to standard output: %s\n", cmd,
				strerror(errno));
			return EXIT_ERROR;
		}
		return EXIT_OK;
	}

	dir_copy = strdup(path);
	tmp = dir_copy ? malloc(strlen(path) + 32) : NULL;
	if (tmp == NULL) {
		free(dir_copy);
		fprintf(stderr, "kelisim %s: out of memory\n", cmd);
		return EXIT_ERROR;
	}
	sprintf(tmp, "%s/.kelisim-XXXXXX", dirname(dir_copy));
	free(dir_copy);

	if ((fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "kelisim %s: cannot create a file beside '%s': %s\n", cmd, path,
			strerror(errno));
		free(tmp);
		return EXIT_ERROR;
	}
	/* mkstemp makes the file 0600; give it the mode a plain create would have. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		fprintf(stderr, "kelisim %s: cannot write '%s': %s\n", cmd, path, strerror(saved));
		free(tmp);
		return EXIT_ERROR;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		fprintf(stderr, "kelisim %s: cannot write '%s': %s\n", cmd, path, strerror(saved));
		free(tmp);
		return EXIT_ERROR;
	}
	free(tmp);
	/* The rename is durable only once the folder's entry is on disk too. */
	sync_parent_dir(path);
	return EXIT_OK;
}

int cli_report(const char *cmd, int code)
{
	const kel_error *e = kel_error_last();
	const char *msg = e ? e->message : kel_strerror(code);

	/* One line per problem, each prefixed, so scripts can grep for a field. */
	while (*msg) {
		size_t n = strcspn(msg, "\n");
		fprintf(stderr, "kelisim %s: %.*s\n", cmd, (int)n, msg);
		msg += n + (msg[n] == '\n');
	}
	switch (code) {
	case KEL_EINVALID:
	case KEL_EPARSE:
	case KEL_ETOOBIG:
		return EXIT_INVALID;
	default:
		return EXIT_ERROR;
	}
}

time_t cli_parse_utc(const char *s)
{
	struct tm tm;
	char z = 0;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			&tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z, &n) != 7 || z != 'Z' ||
	    s[n] != '\0' || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		return (time_t)-1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

void cli_json_string(FILE *f, const char *s)
{
	if (s == NULL) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kelisim %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'kelisim %s --help')\n", cmd);
	return EXIT_USAGE;
}

void cli_json_field(FILE *f, const char *name, const char *value, int *first)
{
	fprintf(f, "%s\"%s\": ", *first ? "" : ", ", name);
	cli_json_string(f, value);
	*first = 0;
}

void cli_json_u64(FILE *f, const char *name, uint64_t v, int *first)
{
	fprintf(f, "%s\"%s\": %" PRIu64, *first ? "" : ", ", name, v);
	*first = 0;
}
