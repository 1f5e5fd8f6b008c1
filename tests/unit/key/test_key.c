/*
 * Signing keys: loading from PEM and PKCS#12, passphrases, algorithms, refusals; and the
 * tool's passphrase sources (sign/cli/pass.c), which the key suite links in.
 */
#define _XOPEN_SOURCE 700   /* posix_openpt and friends, for the terminal tests */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "helpers.h"
#include "kelisim.h"
#include "kelisim/key.h"
#include "key_internal.h"
#include "cli.h"

/* ---- helpers --------------------------------------------------------------------------- */

static char tmp[256];

static void tmp_setup(void)
{
	snprintf(tmp, sizeof(tmp), "%s/kelisim-key-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR")
		: "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
}

static void tmp_teardown(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	ck_assert_int_eq(system(cmd), 0);
}

/* A path in the test's temporary directory (static, two slots). */
static const char *tmp_path(const char *name)
{
	static char slots[2][512];
	static int next;
	char *out = slots[next++ % 2];

	snprintf(out, sizeof(slots[0]), "%s/%s", tmp, name);
	return out;
}

/* Run a shell command (output hidden); the test fails if it does. */
static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int n;

	strcpy(cmd, "{ ");
	va_start(ap, fmt);
	n = vsnprintf(cmd + 2, sizeof(cmd) - 32, fmt, ap);
	va_end(ap);
	ck_assert(n > 0 && (size_t)n < sizeof(cmd) - 32);
	strcat(cmd, "; } >/dev/null 2>&1");
	ck_assert_msg(system(cmd) == 0, "command failed: %s", cmd);
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	close(fd);
}

/* The test PKI's passphrase (passphrase.txt, no trailing newline). */
static char *pki_pass(size_t *len)
{
	return th_read_file(th_pki("passphrase.txt"), len);
}

static void assert_error(int rc, int code, const char *part)
{
	ck_assert_int_eq(rc, code);
	ck_assert_int_eq(kel_error_last()->code, code);
	ck_assert_msg(strstr(th_error_message(), part) != NULL,
		"message '%s' lacks '%s'", th_error_message(), part);
}

/* The end entities of the test PKI and what kelisim must call their keys. */
static const struct {
	const char *name;
	const char *algorithm;
	int chain;              /* certificates above it in its .p12 */
} ee[] = {
	{ "operator", "ECDSA P-256", 2 },
	{ "clerk", "RSA 3072", 2 },
	{ "subject", "ECDSA P-256", 2 },
	{ "operator-p384", "ECDSA P-384", 2 },
	{ "clerk-rsa2048", "RSA 2048", 2 },
	{ "weak-rsa1024", "RSA 1024", 2 },
	{ "expired", "ECDSA P-256", 2 },
	{ "untrusted", "ECDSA P-256", 1 },
};
#define NEE ((int)(sizeof(ee) / sizeof(ee[0])))

static const char *ee_file(int i, const char *ext)
{
	static char name[64];

	snprintf(name, sizeof(name), "%s%s", ee[i].name, ext);
	return th_pki(name);
}

static const char *ee_chain(int i)
{
	return th_pki(ee[i].chain == 1 ? "untrusted-root.crt" : "chain.pem");
}

/* What every loaded key must satisfy: the right algorithm, a key that fits the cert. */
static void assert_key(const kel_key *key, int i)
{
	const char *subject;

	ck_assert_ptr_nonnull(key);
	ck_assert_str_eq(kel_key_algorithm(key), ee[i].algorithm);
	ck_assert_ptr_nonnull(key->pkey);
	ck_assert_ptr_nonnull(key->cert);
	ck_assert_int_eq(X509_check_private_key(key->cert, key->pkey), 1);
	/* RFC 2253 puts the most specific part first: every end entity's subject ends in C=KZ. */
	subject = kel_key_subject(key);
	ck_assert_msg(strstr(subject, "CN=") != NULL && strlen(subject) > 5 &&
		strcmp(subject + strlen(subject) - 5, ",C=KZ") == 0, "subject '%s'", subject);
}

/* The chain runs from the leaf's issuer upwards. */
static void assert_chain(const kel_key *key, int count)
{
	X509 *below = key->cert;
	int i;

	ck_assert_int_eq(sk_X509_num(key->chain), count);
	for (i = 0; i < count; i++) {
		X509 *issuer = sk_X509_value(key->chain, i);
		ck_assert_int_eq(X509_check_issued(issuer, below), X509_V_OK);
		ck_assert_int_ne(X509_cmp(issuer, key->cert), 0);
		below = issuer;
	}
}

/* ---- loading --------------------------------------------------------------------------- */

START_TEST(test_key__pem_plain)
{
	kel_key *key = NULL;

	ck_assert_int_eq(kel_key_load_pem(&key, ee_file(_i, ".key"), ee_file(_i, ".crt"),
		ee_chain(_i), NULL, 0), 0);
	assert_key(key, _i);
	assert_chain(key, ee[_i].chain);
	kel_key_free(key);
}
END_TEST

START_TEST(test_key__pem_encrypted)
{
	kel_key *key = NULL;
	size_t len;
	char *pass = pki_pass(&len);

	ck_assert_int_eq(kel_key_load_pem(&key, ee_file(_i, ".enc.key"), ee_file(_i, ".crt"),
		NULL, pass, len), 0);
	assert_key(key, _i);
	ck_assert_int_eq(sk_X509_num(key->chain), 0);
	kel_key_free(key);
	free(pass);
}
END_TEST

START_TEST(test_key__p12)
{
	kel_key *key = NULL;
	size_t len;
	char *pass = pki_pass(&len);

	ck_assert_int_eq(kel_key_load_p12(&key, ee_file(_i, ".p12"), pass, len), 0);
	assert_key(key, _i);
	assert_chain(key, ee[_i].chain);
	kel_key_free(key);
	free(pass);
}
END_TEST

START_TEST(test_key__subject_rfc2253)
{
	kel_key *key = NULL;

	ck_assert_int_eq(kel_key_load_pem(&key, th_pki("operator.key"), th_pki("operator.crt"),
		NULL, NULL, 0), 0);
	ck_assert_str_eq(kel_key_subject(key),
		"CN=Test Operator LLP seal,OU=BIN 990340000004,O=Test Operator LLP,C=KZ");
	kel_key_free(key);
}
END_TEST

START_TEST(test_key__chain_reordered_and_leaf_dropped)
{
	kel_key *key = NULL;

	/* Root first, then the leaf itself, then the intermediate: all wrong, all fixable. */
	sh("cat '%s' '%s' '%s' > '%s'", th_pki("root.crt"), th_pki("clerk.crt"),
		th_pki("intermediate.crt"), tmp_path("chain.pem"));
	ck_assert_int_eq(kel_key_load_pem(&key, th_pki("clerk.key"), th_pki("clerk.crt"),
		tmp_path("chain.pem"), NULL, 0), 0);
	assert_chain(key, 2);
	kel_key_free(key);
}
END_TEST

START_TEST(test_key__pem_key_after_certificates)
{
	kel_key *key = NULL;

	/* As "openssl pkcs12 -nodes" writes it: the certificates, then the key. */
	sh("cat '%s' '%s' '%s' > '%s'", th_pki("clerk.crt"), th_pki("chain.pem"),
		th_pki("clerk.key"), tmp_path("all.pem"));
	ck_assert_int_eq(kel_key_load_pem(&key, tmp_path("all.pem"), th_pki("clerk.crt"),
		tmp_path("all.pem"), NULL, 0), 0);
	ck_assert_str_eq(kel_key_algorithm(key), "RSA 3072");
	assert_chain(key, 2);
	kel_key_free(key);
}
END_TEST

START_TEST(test_key__chain_without_certificates)
{
	kel_key *key = NULL;

	write_file(tmp_path("empty.pem"), "nothing here\n", 13, 0644);
	assert_error(kel_key_load_pem(&key, th_pki("clerk.key"), th_pki("clerk.crt"),
		tmp_path("empty.pem"), NULL, 0), KEL_EPARSE, "holds no PEM certificate");
	ck_assert_ptr_null(key);
}
END_TEST

START_TEST(test_key__traditional_encrypted_pem)
{
	kel_key *key = NULL;
	size_t len, pem_len;
	char *pass = pki_pass(&len), *pem;

	sh("openssl pkey -in '%s' -traditional -aes-256-cbc -passout 'file:%s' -out '%s'",
		th_pki("clerk.key"), th_pki("passphrase.txt"), tmp_path("trad.key"));
	pem = th_read_file(tmp_path("trad.key"), &pem_len);
	ck_assert_ptr_nonnull(strstr(pem, "Proc-Type: 4,ENCRYPTED"));
	free(pem);

	ck_assert_int_eq(kel_key_load_pem(&key, tmp_path("trad.key"), th_pki("clerk.crt"), NULL,
		pass, len), 0);
	ck_assert_str_eq(kel_key_algorithm(key), "RSA 3072");
	kel_key_free(key);
	key = NULL;
	assert_error(kel_key_load_pem(&key, tmp_path("trad.key"), th_pki("clerk.crt"), NULL,
		"nope", 4), KEL_ECRYPTO, "wrong passphrase");
	assert_error(kel_key_load_pem(&key, tmp_path("trad.key"), th_pki("clerk.crt"), NULL,
		NULL, 0), KEL_ENEEDPASS, "give a passphrase");
	ck_assert_ptr_null(key);
	free(pass);
}
END_TEST

START_TEST(test_key__p12_empty_passphrase)
{
	kel_key *key = NULL;

	sh("openssl pkcs12 -export -in '%s' -inkey '%s' -passout pass: -out '%s'",
		th_pki("operator.crt"), th_pki("operator.key"), tmp_path("empty.p12"));
	/* "No passphrase" and "the empty passphrase" both open it. */
	ck_assert_int_eq(kel_key_load_p12(&key, tmp_path("empty.p12"), NULL, 0), 0);
	ck_assert_str_eq(kel_key_algorithm(key), "ECDSA P-256");
	kel_key_free(key);
	ck_assert_int_eq(kel_key_load_p12(&key, tmp_path("empty.p12"), "", 0), 0);
	kel_key_free(key);
	key = NULL;
	assert_error(kel_key_load_p12(&key, tmp_path("empty.p12"), "x", 1), KEL_ECRYPTO,
		"wrong passphrase");
}
END_TEST

START_TEST(test_key__p12_legacy_encryption)
{
	kel_key *key = NULL;
	size_t len;
	char *pass = pki_pass(&len);

	/* RC2-40 and 3DES, as older tools (and older NCA issues) write them. */
	sh("openssl pkcs12 -export -legacy -in '%s' -inkey '%s' -certfile '%s' "
		"-passout 'file:%s' -out '%s'", th_pki("clerk.crt"), th_pki("clerk.key"),
		th_pki("chain.pem"), th_pki("passphrase.txt"), tmp_path("legacy.p12"));
	ck_assert_int_eq(kel_key_load_p12(&key, tmp_path("legacy.p12"), pass, len), 0);
	ck_assert_str_eq(kel_key_algorithm(key), "RSA 3072");
	assert_chain(key, 2);
	kel_key_free(key);
	free(pass);
}
END_TEST

START_TEST(test_key__p12_legacy_provider_missing)
{
	kel_key *key = NULL;
	size_t len;
	char *pass;

	/* Run without a fork (CK_FORK=no), an earlier test has loaded it for the process. */
	if (OSSL_PROVIDER_available(NULL, "legacy"))
		return;
	pass = pki_pass(&len);
	/* With no legacy provider to be found, the file is refused, and the message says why. */
	sh("openssl pkcs12 -export -legacy -in '%s' -inkey '%s' -passout 'file:%s' -out '%s'",
		th_pki("clerk.crt"), th_pki("clerk.key"), th_pki("passphrase.txt"),
		tmp_path("legacy.p12"));
	ck_assert_int_eq(setenv("OPENSSL_MODULES", tmp, 1), 0);
	assert_error(kel_key_load_p12(&key, tmp_path("legacy.p12"), pass, len), KEL_EUNSUPPORTED,
		"legacy provider, which could not be loaded");
	ck_assert_ptr_nonnull(strstr(th_error_message(), "RC2-40-CBC"));
	ck_assert_ptr_null(key);
	free(pass);
}
END_TEST

START_TEST(test_key__p521)
{
	kel_key *key = NULL;

	sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out '%s'",
		tmp_path("p521.key"));
	sh("openssl req -new -x509 -key '%s' -subj /CN=p521 -days 1 -out '%s'",
		tmp_path("p521.key"), tmp_path("p521.crt"));
	ck_assert_int_eq(kel_key_load_pem(&key, tmp_path("p521.key"), tmp_path("p521.crt"), NULL,
		NULL, 0), 0);
	ck_assert_str_eq(kel_key_algorithm(key), "ECDSA P-521");
	ck_assert_str_eq(kel_key_subject(key), "CN=p521");
	kel_key_free(key);
}
END_TEST

/* ---- refusals -------------------------------------------------------------------------- */

START_TEST(test_key__wrong_passphrase)
{
	kel_key *key = NULL;

	assert_error(kel_key_load_pem(&key, th_pki("operator.enc.key"), th_pki("operator.crt"),
		NULL, "not-the-passphrase", 18), KEL_ECRYPTO, "wrong passphrase or damaged file");
	ck_assert_ptr_nonnull(strstr(th_error_message(), th_pki("operator.enc.key")));
	ck_assert_ptr_null(key);
	assert_error(kel_key_load_p12(&key, th_pki("clerk.p12"), "not-the-passphrase", 18),
		KEL_ECRYPTO, "wrong passphrase or damaged file");
	ck_assert_ptr_nonnull(strstr(th_error_message(), th_pki("clerk.p12")));
	ck_assert_ptr_null(key);
}
END_TEST

START_TEST(test_key__missing_passphrase)
{
	kel_key *key = NULL;

	assert_error(kel_key_load_pem(&key, th_pki("subject.enc.key"), th_pki("subject.crt"),
		NULL, NULL, 0), KEL_ENEEDPASS, "is encrypted: give a passphrase");
	ck_assert_ptr_nonnull(strstr(th_error_message(), th_pki("subject.enc.key")));
	assert_error(kel_key_load_p12(&key, th_pki("subject.p12"), NULL, 0), KEL_ENEEDPASS,
		"is encrypted: give a passphrase");
	ck_assert_ptr_null(key);
}
END_TEST

START_TEST(test_key__passphrase_for_plain_key_is_ignored)
{
	kel_key *key = NULL;

	ck_assert_int_eq(kel_key_load_pem(&key, th_pki("operator.key"), th_pki("operator.crt"),
		NULL, "unused", 6), 0);
	ck_assert_str_eq(kel_key_algorithm(key), "ECDSA P-256");
	kel_key_free(key);
}
END_TEST

START_TEST(test_key__missing_files)
{
	static int dummy;
	kel_key *key = (kel_key *)&dummy;
	const char *nowhere = tmp_path("no-such.key");

	assert_error(kel_key_load_pem(&key, nowhere, th_pki("operator.crt"), NULL, NULL, 0),
		KEL_EIO, nowhere);
	ck_assert_ptr_nonnull(strstr(th_error_message(), strerror(ENOENT)));
	ck_assert_ptr_null(key);
	assert_error(kel_key_load_pem(&key, th_pki("operator.key"), nowhere, NULL, NULL, 0),
		KEL_EIO, nowhere);
	assert_error(kel_key_load_pem(&key, th_pki("operator.key"), th_pki("operator.crt"),
		nowhere, NULL, 0), KEL_EIO, nowhere);
	assert_error(kel_key_load_p12(&key, nowhere, "x", 1), KEL_EIO, nowhere);
	ck_assert_ptr_null(key);
}
END_TEST

START_TEST(test_key__someone_elses_certificate)
{
	kel_key *key = NULL;

	/* Same algorithm, other key; then other algorithm altogether. */
	assert_error(kel_key_load_pem(&key, th_pki("operator.key"), th_pki("subject.crt"), NULL,
		NULL, 0), KEL_EINVALID, "does not belong to certificate");
	assert_error(kel_key_load_pem(&key, th_pki("clerk.key"), th_pki("operator.crt"), NULL,
		NULL, 0), KEL_EINVALID, "does not belong to certificate");
	ck_assert_ptr_null(key);
}
END_TEST

START_TEST(test_key__not_a_private_key)
{
	kel_key *key = NULL;

	assert_error(kel_key_load_pem(&key, th_pki("operator.crt"), th_pki("operator.crt"), NULL,
		NULL, 0), KEL_EPARSE, "holds no private key");
	sh("openssl pkey -in '%s' -pubout -out '%s'", th_pki("operator.key"), tmp_path("pub.pem"));
	assert_error(kel_key_load_pem(&key, tmp_path("pub.pem"), th_pki("operator.crt"), NULL,
		NULL, 0), KEL_EPARSE, "holds no private key");
	ck_assert_ptr_null(key);
	assert_error(kel_key_load_pem(&key, th_pki("operator.key"), th_pki("operator.key"), NULL,
		NULL, 0), KEL_EPARSE, "is not a PEM or DER certificate");
	assert_error(kel_key_load_p12(&key, th_pki("operator.crt"), NULL, 0), KEL_EPARSE,
		"is not a PKCS#12 file");
	ck_assert_ptr_null(key);
}
END_TEST

START_TEST(test_key__ed25519_unsupported)
{
	kel_key *key = NULL;

	sh("openssl genpkey -algorithm ed25519 -out '%s'", tmp_path("ed.key"));
	sh("openssl req -new -x509 -key '%s' -subj /CN=ed -days 1 -out '%s'",
		tmp_path("ed.key"), tmp_path("ed.crt"));
	assert_error(kel_key_load_pem(&key, tmp_path("ed.key"), tmp_path("ed.crt"), NULL, NULL, 0),
		KEL_EUNSUPPORTED, "ED25519 keys cannot sign");
	ck_assert_ptr_null(key);
}
END_TEST

START_TEST(test_key__other_curve_unsupported)
{
	kel_key *key = NULL;

	sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out '%s'",
		tmp_path("k1.key"));
	sh("openssl req -new -x509 -key '%s' -subj /CN=k1 -days 1 -out '%s'",
		tmp_path("k1.key"), tmp_path("k1.crt"));
	assert_error(kel_key_load_pem(&key, tmp_path("k1.key"), tmp_path("k1.crt"), NULL, NULL, 0),
		KEL_EUNSUPPORTED, "curve secp256k1");
	ck_assert_ptr_null(key);
}
END_TEST

START_TEST(test_key__bad_arguments)
{
	kel_key *key = NULL;

	ck_assert_int_eq(kel_key_load_pem(NULL, "a", "b", NULL, NULL, 0), KEL_EINVAL);
	ck_assert_int_eq(kel_key_load_pem(&key, "a", NULL, NULL, NULL, 0), KEL_EINVAL);
	ck_assert_int_eq(kel_key_load_p12(&key, NULL, NULL, 0), KEL_EINVAL);
	assert_error(kel_key_load_p12(&key, th_pki("clerk.p12"), "a\0b", 3), KEL_EINVALID,
		"NUL byte");
	ck_assert_ptr_null(key);
}
END_TEST

START_TEST(test_key__exposed_mode)
{
	sh("cp '%s' '%s'", th_pki("operator.key"), tmp_path("k.key"));
	ck_assert_int_eq(chmod(tmp_path("k.key"), 0600), 0);
	ck_assert_int_eq(kel_key_file_is_exposed(tmp_path("k.key")), 0);
	ck_assert_int_eq(chmod(tmp_path("k.key"), 0644), 0);
	ck_assert_int_ne(kel_key_file_is_exposed(tmp_path("k.key")), 0);
	ck_assert_int_eq(chmod(tmp_path("k.key"), 0640), 0);
	ck_assert_int_ne(kel_key_file_is_exposed(tmp_path("k.key")), 0);
	ck_assert_int_eq(chmod(tmp_path("k.key"), 0400), 0);
	ck_assert_int_eq(kel_key_file_is_exposed(tmp_path("k.key")), 0);
	/* The test PKI writes its keys 0600. */
	ck_assert_int_eq(kel_key_file_is_exposed(th_pki("clerk.p12")), 0);
	ck_assert_int_eq(kel_key_file_is_exposed(tmp_path("absent")), 0);
}
END_TEST

START_TEST(test_key__free_null)
{
	kel_key_free(NULL);
	ck_assert_str_eq(kel_key_algorithm(NULL), "");
	ck_assert_str_eq(kel_key_subject(NULL), "");
}
END_TEST

/* ---- the tool's passphrase sources ----------------------------------------------------- */

/* cli_passphrase with --pass-file, its stderr captured into err (may be NULL). */
static int pass_from_file(const char *content, size_t len, mode_t mode, char **out,
	size_t *out_len, char *err, size_t err_size)
{
	int saved = dup(2), fd, rc;
	ssize_t n;

	write_file(tmp_path("pass"), content, len, mode);
	fd = open(tmp_path("stderr"), O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	dup2(fd, 2);
	rc = cli_passphrase("sign", tmp_path("pass"), NULL, 0, out, out_len);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (err != NULL) {
		n = pread(fd, err, err_size - 1, 0);
		err[n > 0 ? n : 0] = '\0';
	}
	close(fd);
	return rc;
}

START_TEST(test_key__pass_file_line_endings)
{
	static const struct { const char *in; size_t in_len; const char *out; size_t out_len; }
	cases[] = {
		{ "secret", 6, "secret", 6 },
		{ "secret\n", 7, "secret", 6 },
		{ "secret\r\n", 8, "secret", 6 },
		{ "secret\n\n", 8, "secret\n", 7 },     /* only one line ending goes */
		{ "secret\r", 7, "secret\r", 7 },
		{ " secret \n", 9, " secret ", 8 },     /* spaces are part of it */
		{ "", 0, "", 0 },
		{ "\n", 1, "", 0 },
		{ "a\0b", 3, "a\0b", 3 },
	};
	char *pass;
	size_t len, i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(pass_from_file(cases[i].in, cases[i].in_len, 0600, &pass, &len,
			NULL, 0), EXIT_OK);
		ck_assert_ptr_nonnull(pass);
		ck_assert_uint_eq(len, cases[i].out_len);
		ck_assert_msg(memcmp(pass, cases[i].out, len) == 0, "case %zu", i);
		ck_assert_int_eq(pass[len], '\0');
		cli_passphrase_free(pass, len);
	}
}
END_TEST

START_TEST(test_key__pass_file_warnings_and_errors)
{
	char err[1024], big[5000];
	char *pass;
	size_t len;

	ck_assert_int_eq(pass_from_file("s", 1, 0600, &pass, &len, err, sizeof(err)), EXIT_OK);
	ck_assert_str_eq(err, "");
	cli_passphrase_free(pass, len);
	ck_assert_int_eq(pass_from_file("s", 1, 0644, &pass, &len, err, sizeof(err)), EXIT_OK);
	ck_assert_ptr_nonnull(strstr(err, "kelisim sign: warning: passphrase file"));
	cli_passphrase_free(pass, len);

	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(pass_from_file(big, sizeof(big), 0600, &pass, &len, err, sizeof(err)),
		EXIT_ERROR);
	ck_assert_ptr_nonnull(strstr(err, "longer than"));
	ck_assert_ptr_null(pass);

	ck_assert_int_eq(cli_passphrase("sign", tmp_path("absent"), NULL, 0, &pass, &len),
		EXIT_ERROR);
	ck_assert_ptr_null(pass);
}
END_TEST

START_TEST(test_key__pass_env)
{
	char *pass;
	size_t len;

	ck_assert_int_eq(setenv("KELISIM_TEST_KEY_PASS", "from the environment", 1), 0);
	ck_assert_int_eq(cli_passphrase("sign", NULL, "KELISIM_TEST_KEY_PASS", 1, &pass, &len),
		EXIT_OK);
	ck_assert_str_eq(pass, "from the environment");
	ck_assert_uint_eq(len, 20);
	cli_passphrase_free(pass, len);

	ck_assert_int_eq(unsetenv("KELISIM_TEST_KEY_PASS"), 0);
	ck_assert_int_eq(cli_passphrase("sign", NULL, "KELISIM_TEST_KEY_PASS", 1, &pass, &len),
		EXIT_ERROR);
	ck_assert_ptr_null(pass);
}
END_TEST

START_TEST(test_key__pass_sources)
{
	char *pass = (char *)"unchanged";
	size_t len = 99;

	ck_assert_int_eq(cli_passphrase("sign", "f", "V", 1, &pass, &len), EXIT_USAGE);
	ck_assert_ptr_null(pass);
	/* Neither source, no prompt: no passphrase, and no error. */
	ck_assert_int_eq(cli_passphrase("sign", NULL, NULL, 0, &pass, &len), EXIT_OK);
	ck_assert_ptr_null(pass);
	ck_assert_uint_eq(len, 0);
	cli_passphrase_free(NULL, 0);
}
END_TEST

/*
 * The prompt needs a controlling terminal: a child in a session of its own gets a
 * pseudo-terminal, the test plays the user on the other side.
 */
struct pty {
	int master;
	char slave[128];
	pid_t child;
};

static void pty_open(struct pty *p)
{
	const char *name;

	p->master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_int_ge(p->master, 0);
	ck_assert_int_eq(grantpt(p->master), 0);
	ck_assert_int_eq(unlockpt(p->master), 0);
	ck_assert_ptr_nonnull(name = ptsname(p->master));
	snprintf(p->slave, sizeof(p->slave), "%s", name);
}

/* In the child: become a session leader whose controlling terminal is the slave. */
static int pty_child_attach(struct pty *p)
{
	int fd;

	close(p->master);
	if (setsid() < 0 || (fd = open(p->slave, O_RDWR)) < 0)
		return -1;
	return fd;
}

/* Read what the child writes to its terminal until want shows up (or 10 s pass). */
static void pty_expect(struct pty *p, char *seen, size_t size, const char *want)
{
	struct pollfd pfd = { p->master, POLLIN, 0 };
	size_t used = strlen(seen);
	ssize_t n;

	while (strstr(seen, want) == NULL) {
		ck_assert_msg(poll(&pfd, 1, 10000) == 1, "no '%s' from the child: '%s'", want,
			seen);
		n = read(p->master, seen + used, size - used - 1);
		ck_assert_int_gt(n, 0);
		used += (size_t)n;
		seen[used] = '\0';
	}
}

static int echo_is_on(const char *tty)
{
	struct termios t;
	int fd = open(tty, O_RDWR | O_NOCTTY), on;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(tcgetattr(fd, &t), 0);
	on = (t.c_lflag & ECHO) != 0;
	close(fd);
	return on;
}

START_TEST(test_key__pass_prompt_without_echo)
{
	struct pty p;
	char seen[4096] = "";
	int status, fd;

	pty_open(&p);
	if ((p.child = fork()) == 0) {
		char *pass;
		size_t len;
		struct termios t;

		if ((fd = pty_child_attach(&p)) < 0)
			_exit(10);
		if (cli_passphrase_for("sign", "clerk.p12", NULL, NULL, 1, &pass, &len) != EXIT_OK)
			_exit(11);
		if (pass == NULL || len != 7 || strcmp(pass, "s3cr3t!") != 0)
			_exit(12);
		if (tcgetattr(fd, &t) != 0 || !(t.c_lflag & ECHO))
			_exit(13);   /* echo not restored */
		cli_passphrase_free(pass, len);
		_exit(0);
	}
	ck_assert_int_gt(p.child, 0);
	pty_expect(&p, seen, sizeof(seen), "Passphrase for clerk.p12: ");
	ck_assert_int_eq(echo_is_on(p.slave), 0);
	ck_assert_int_eq(write(p.master, "s3cr3t!\n", 8), 8);
	ck_assert_int_eq(waitpid(p.child, &status, 0), p.child);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	/* Whatever the terminal showed after the prompt, the passphrase was not in it. */
	pty_expect(&p, seen, sizeof(seen), "\n");
	ck_assert_ptr_null(strstr(seen, "s3cr3t"));
	close(p.master);
}
END_TEST

START_TEST(test_key__pass_prompt_signal_restores_echo)
{
	struct pty p;
	char seen[4096] = "";
	int status, keep;

	pty_open(&p);
	if ((p.child = fork()) == 0) {
		char *pass;
		size_t len;

		if (pty_child_attach(&p) < 0)
			_exit(10);
		cli_passphrase("sign", NULL, NULL, 1, &pass, &len);
		_exit(11);   /* not reached: the signal ends the process */
	}
	ck_assert_int_gt(p.child, 0);
	pty_expect(&p, seen, sizeof(seen), "Passphrase for kelisim sign: ");
	/* Keep the terminal open, so that its settings outlive the child. */
	keep = open(p.slave, O_RDWR | O_NOCTTY);
	ck_assert_int_ge(keep, 0);
	ck_assert_int_eq(echo_is_on(p.slave), 0);
	ck_assert_int_eq(kill(p.child, SIGTERM), 0);
	ck_assert_int_eq(waitpid(p.child, &status, 0), p.child);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	ck_assert_int_eq(echo_is_on(p.slave), 1);
	close(keep);
	close(p.master);
}
END_TEST

START_TEST(test_key__pass_prompt_without_terminal)
{
	pid_t child;
	int status;

	if ((child = fork()) == 0) {
		char *pass = (char *)"unchanged";
		size_t len;

		/* A new session has no controlling terminal: no prompt, no passphrase. */
		if (setsid() < 0)
			_exit(10);
		if (cli_passphrase("sign", NULL, NULL, 1, &pass, &len) != EXIT_OK)
			_exit(11);
		_exit(pass == NULL ? 0 : 12);
	}
	ck_assert_int_gt(child, 0);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("key");
	TCase *tc = tcase_create("key");

	tcase_add_checked_fixture(tc, th_setup, th_teardown);
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_loop_test(tc, test_key__pem_plain, 0, NEE);
	tcase_add_loop_test(tc, test_key__pem_encrypted, 0, NEE);
	tcase_add_loop_test(tc, test_key__p12, 0, NEE);
	tcase_add_test(tc, test_key__subject_rfc2253);
	tcase_add_test(tc, test_key__chain_reordered_and_leaf_dropped);
	tcase_add_test(tc, test_key__pem_key_after_certificates);
	tcase_add_test(tc, test_key__chain_without_certificates);
	tcase_add_test(tc, test_key__traditional_encrypted_pem);
	tcase_add_test(tc, test_key__p12_empty_passphrase);
	tcase_add_test(tc, test_key__p12_legacy_encryption);
	tcase_add_test(tc, test_key__p12_legacy_provider_missing);
	tcase_add_test(tc, test_key__p521);
	tcase_add_test(tc, test_key__wrong_passphrase);
	tcase_add_test(tc, test_key__missing_passphrase);
	tcase_add_test(tc, test_key__passphrase_for_plain_key_is_ignored);
	tcase_add_test(tc, test_key__missing_files);
	tcase_add_test(tc, test_key__someone_elses_certificate);
	tcase_add_test(tc, test_key__not_a_private_key);
	tcase_add_test(tc, test_key__ed25519_unsupported);
	tcase_add_test(tc, test_key__other_curve_unsupported);
	tcase_add_test(tc, test_key__bad_arguments);
	tcase_add_test(tc, test_key__exposed_mode);
	tcase_add_test(tc, test_key__free_null);
	tcase_add_test(tc, test_key__pass_file_line_endings);
	tcase_add_test(tc, test_key__pass_file_warnings_and_errors);
	tcase_add_test(tc, test_key__pass_env);
	tcase_add_test(tc, test_key__pass_sources);
	tcase_add_test(tc, test_key__pass_prompt_without_echo);
	tcase_add_test(tc, test_key__pass_prompt_signal_restores_echo);
	tcase_add_test(tc, test_key__pass_prompt_without_terminal);
	suite_add_tcase(s, tc);
	return th_run_suite(s);
}
