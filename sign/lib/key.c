/*
 * Signing keys: a private key with its certificate and chain, from PEM files or PKCS#12.
 *
 * Key files are secrets. Their bytes are read into buffers that are wiped before they are
 * freed, and so is every copy of the passphrase made here; the decoded key lives in the
 * EVP_PKEY, which OpenSSL wipes when it is freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "key_internal.h"
#include "error_internal.h"

/* Keys, certificates and PKCS#12 files are a few kilobytes; anything bigger is the wrong file. */
#define KEY_FILE_MAX (1024 * 1024)

static void wipe_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, len);
	free(p);
}

/*
 * Read a whole file into *out (NUL-terminated; give it back with wipe_free(*out, *len + 1)).
 * The buffer grows by copying and wiping rather than with realloc, which could leave an
 * unwiped copy of a key behind; a pipe (--key <(...)) grows as it is read.
 */
static int read_file(const char *what, const char *path, unsigned char **out, size_t *out_len)
{
	unsigned char *data, *bigger;
	size_t len = 0, cap = 4096;
	struct stat st;
	ssize_t n;
	int fd, err;

	*out = NULL;
	*out_len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return kel_fail(KEL_EIO, "cannot open %s '%s': %s", what, path, strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		if (st.st_size > KEY_FILE_MAX) {
			close(fd);
			return kel_fail(KEL_ETOOBIG, "%s '%s' is larger than %d bytes", what, path,
				KEY_FILE_MAX);
		}
		cap = (size_t)st.st_size + 1;   /* + 1: the read that sees the end of the file */
	}
	if ((data = malloc(cap + 1)) == NULL) {
		close(fd);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	for (;;) {
		if (len == cap) {
			if (cap > KEY_FILE_MAX) {
				err = kel_fail(KEL_ETOOBIG, "%s '%s' is larger than %d bytes", what,
					path, KEY_FILE_MAX);
				goto fail;
			}
			if ((bigger = malloc(cap * 2 + 1)) == NULL) {
				err = kel_fail(KEL_ENOMEM, "out of memory");
				goto fail;
			}
			memcpy(bigger, data, len);
			wipe_free(data, cap + 1);
			data = bigger;
			cap *= 2;
		}
		n = read(fd, data + len, cap - len);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = kel_fail(KEL_EIO, "cannot read %s '%s': %s", what, path, strerror(errno));
			goto fail;
		}
		len += (size_t)n;
	}
	close(fd);
	data[len] = '\0';
	*out = data;
	*out_len = len;
	return 0;
fail:
	close(fd);
	wipe_free(data, cap + 1);
	return err;
}

/* ---- the private key ------------------------------------------------------------------- */

struct pass_source {
	const char *pass;
	size_t len;
	int asked;      /* the file turned out to be encrypted */
	int too_long;
};

/* The decoder asks for the passphrase only when the key is encrypted; note that it did. */
static int give_passphrase(char *buf, size_t size, size_t *len, const OSSL_PARAM params[],
	void *arg)
{
	struct pass_source *src = arg;

	(void)params;
	src->asked = 1;
	if (src->pass == NULL)
		return 0;
	if (src->len > size) {
		src->too_long = 1;
		return 0;
	}
	memcpy(buf, src->pass, src->len);
	*len = src->len;
	return 1;
}

/*
 * Where the first PEM private key block starts ("...PRIVATE KEY-----"), or 0. A PEM file may
 * carry certificates before the key (openssl pkcs12 -nodes writes it so), and the decoder
 * reads only the first block it is given.
 */
static size_t pem_key_offset(const char *text)
{
	static const char begin[] = "-----BEGIN ", label[] = "PRIVATE KEY";
	const char *p = text, *end;

	while ((p = strstr(p, begin)) != NULL) {
		p += sizeof(begin) - 1;
		if ((end = strstr(p, "-----")) == NULL)
			break;
		if ((size_t)(end - p) >= sizeof(label) - 1 &&
		    memcmp(end - (sizeof(label) - 1), label, sizeof(label) - 1) == 0)
			return (size_t)(p - (sizeof(begin) - 1) - text);
		p = end;
	}
	return 0;
}

/* Any PEM or DER form: PKCS#8 (plain or encrypted) or the traditional per-algorithm ones. */
static int decode_key(EVP_PKEY **out, const char *path, const unsigned char *data, size_t len,
	const char *pass, size_t pass_len)
{
	struct pass_source src = { pass, pass_len, 0, 0 };
	OSSL_DECODER_CTX *dctx;
	EVP_PKEY *pkey = NULL;
	size_t skip;
	int ok;

	*out = NULL;
	/* read_file() ends the data with a NUL; in DER the search stops early, harmlessly. */
	skip = pem_key_offset((const char *)data);
	data += skip;
	len -= skip;
	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, NULL, NULL, NULL, EVP_PKEY_KEYPAIR, NULL, NULL);
	if (dctx == NULL)
		return kel_fail_openssl(KEL_ENOMEM, "key '%s': cannot set up a key decoder", path);
	ok = OSSL_DECODER_CTX_set_passphrase_cb(dctx, give_passphrase, &src) &&
		OSSL_DECODER_from_data(dctx, &data, &len) && pkey != NULL;
	OSSL_DECODER_CTX_free(dctx);
	if (ok) {
		ERR_clear_error();
		*out = pkey;
		return 0;
	}
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	if (src.asked && pass == NULL)
		return kel_fail(KEL_ENEEDPASS, "key '%s' is encrypted: give a passphrase", path);
	if (src.too_long)
		return kel_fail(KEL_EINVALID, "key '%s': the passphrase is too long", path);
	if (src.asked)
		return kel_fail(KEL_ECRYPTO, "key '%s': wrong passphrase or damaged file", path);
	return kel_fail(KEL_EPARSE, "key '%s' holds no private key in a form OpenSSL reads", path);
}

static const struct { const char *group; const char *name; } nist_curves[] = {
	{ "prime256v1", "P-256" },
	{ "secp384r1", "P-384" },
	{ "secp521r1", "P-521" },
};

/*
 * Name the algorithm, and refuse what kelisim cannot sign with. Weak keys (RSA 1024) are
 * not refused here: the verifier's tests need signatures made with them, and the policy
 * that refuses them belongs to signing and verification, which know the purpose.
 */
static int classify(kel_key *key, const char *path)
{
	char group[64];
	size_t i, glen;

	if (EVP_PKEY_is_a(key->pkey, "RSA")) {
		snprintf(key->algorithm, sizeof(key->algorithm), "RSA %d",
			EVP_PKEY_get_bits(key->pkey));
		return 0;
	}
	if (EVP_PKEY_is_a(key->pkey, "EC")) {
		if (!EVP_PKEY_get_group_name(key->pkey, group, sizeof(group), &glen)) {
			ERR_clear_error();
			return kel_fail(KEL_EUNSUPPORTED, "key '%s': EC keys with explicit curve "
				"parameters are not supported; use a named curve (P-256, P-384, P-521)",
				path);
		}
		for (i = 0; i < sizeof(nist_curves) / sizeof(nist_curves[0]); i++) {
			if (strcasecmp(group, nist_curves[i].group) == 0 ||
			    strcasecmp(group, nist_curves[i].name) == 0) {
				snprintf(key->algorithm, sizeof(key->algorithm), "ECDSA %s",
					nist_curves[i].name);
				return 0;
			}
		}
		return kel_fail(KEL_EUNSUPPORTED, "key '%s': ECDSA on curve %s is not supported; "
			"use P-256, P-384 or P-521", path, group);
	}
	/* Ed25519, Ed448, DSA, RSA-PSS-only keys and whatever a provider may add (GOST). */
	return kel_fail(KEL_EUNSUPPORTED, "key '%s': %s keys cannot sign kelisim documents; "
		"use RSA or ECDSA (P-256, P-384, P-521)", path,
		EVP_PKEY_get0_type_name(key->pkey) ? EVP_PKEY_get0_type_name(key->pkey) : "such");
}

/*
 * Whether pkey holds the private half. The decoder is asked for a key pair and refuses a
 * bare "PUBLIC KEY" file today; this keeps that promise whatever a decoder does, rather than
 * failing at the first signature. Only RSA and EC keys get this far.
 */
static int has_private_part(EVP_PKEY *pkey)
{
	const char *name = EVP_PKEY_is_a(pkey, "RSA") ? OSSL_PKEY_PARAM_RSA_D
		: OSSL_PKEY_PARAM_PRIV_KEY;
	BIGNUM *secret = NULL;
	int ok = EVP_PKEY_get_bn_param(pkey, name, &secret);

	BN_clear_free(secret);
	ERR_clear_error();
	return ok;
}


/* ---- certificates ---------------------------------------------------------------------- */

static int load_cert(X509 **out, const char *path)
{
	unsigned char *data;
	const unsigned char *p;
	size_t len;
	BIO *bio;
	int rc;

	*out = NULL;
	if ((rc = read_file("certificate", path, &data, &len)) < 0)
		return rc;
	if ((bio = BIO_new_mem_buf(data, (int)len)) != NULL) {
		*out = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	if (*out == NULL) {
		p = data;
		*out = d2i_X509(NULL, &p, (long)len);
	}
	wipe_free(data, len + 1);
	ERR_clear_error();
	if (*out == NULL)
		return kel_fail(KEL_EPARSE, "certificate '%s' is not a PEM or DER certificate", path);
	return 0;
}

/* Every PEM certificate in the file, in the order found; text between them is skipped. */
static int load_chain(STACK_OF(X509) *chain, const char *path)
{
	unsigned char *data;
	size_t len;
	unsigned long e;
	X509 *cert;
	BIO *bio;
	int rc, count = 0;

	if ((rc = read_file("chain", path, &data, &len)) < 0)
		return rc;
	if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL) {
		wipe_free(data, len + 1);
		return kel_fail_openssl(KEL_ENOMEM, "out of memory");
	}
	while ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (!sk_X509_push(chain, cert)) {
			X509_free(cert);
			rc = kel_fail(KEL_ENOMEM, "out of memory");
			goto done;
		}
		count++;
	}
	/* The loop ends at the end of the file ("no start line") or at a damaged certificate. */
	e = ERR_peek_last_error();
	if (ERR_GET_LIB(e) != ERR_LIB_PEM || ERR_GET_REASON(e) != PEM_R_NO_START_LINE)
		rc = kel_fail_openssl(KEL_EPARSE, "chain '%s': certificate %d is damaged", path,
			count + 1);
	else if (count == 0)
		rc = kel_fail(KEL_EPARSE, "chain '%s' holds no PEM certificate", path);
done:
	ERR_clear_error();
	BIO_free(bio);
	wipe_free(data, len + 1);
	return rc;
}

/*
 * Put the chain in the order a verifier walks it: the leaf's issuer first, then that one's
 * issuer, then whatever is left (cross-certificates, strays) as found. A copy of the leaf is
 * dropped: PKCS#12 files and hand-made chain files often repeat it.
 */
static int order_chain(kel_key *key)
{
	STACK_OF(X509) *ordered;
	X509 *cur = key->cert, *next;
	int i;

	for (i = sk_X509_num(key->chain) - 1; i >= 0; i--)
		if (X509_cmp(sk_X509_value(key->chain, i), key->cert) == 0)
			X509_free(sk_X509_delete(key->chain, i));
	if ((ordered = sk_X509_new_reserve(NULL, sk_X509_num(key->chain))) == NULL)
		return kel_fail_openssl(KEL_ENOMEM, "out of memory");
	/* Each step removes a certificate from key->chain, so a loop of issuers ends too. */
	for (;;) {
		for (i = 0; i < sk_X509_num(key->chain); i++)
			if (X509_check_issued(sk_X509_value(key->chain, i), cur) == X509_V_OK)
				break;
		if (i == sk_X509_num(key->chain))
			break;
		cur = sk_X509_delete(key->chain, i);
		sk_X509_push(ordered, cur);   /* cannot fail: space was reserved */
	}
	while ((next = sk_X509_shift(key->chain)) != NULL)
		sk_X509_push(ordered, next);
	sk_X509_free(key->chain);
	key->chain = ordered;
	ERR_clear_error();
	return 0;
}

static int set_subject(kel_key *key)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *text;
	long len;

	/* RFC 2253, but UTF-8 kept as it is, so that Cyrillic names stay readable. */
	if (bio == NULL ||
	    X509_NAME_print_ex(bio, X509_get_subject_name(key->cert), 0,
		    XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
		BIO_free(bio);
		return kel_fail_openssl(KEL_ENOMEM, "cannot print the certificate's subject");
	}
	len = BIO_get_mem_data(bio, &text);
	if ((key->subject = malloc((size_t)len + 1)) == NULL) {
		BIO_free(bio);
		return kel_fail(KEL_ENOMEM, "out of memory");
	}
	memcpy(key->subject, text, (size_t)len);
	key->subject[len] = '\0';
	BIO_free(bio);
	return 0;
}

/* What both loaders do once key, certificate and chain are in hand. */
static int finish(kel_key *key, const char *key_path, const char *cert_path)
{
	int rc;

	if ((rc = classify(key, key_path)) < 0)
		return rc;
	if (!has_private_part(key->pkey))
		return kel_fail(KEL_EINVALID, "key '%s' is a public key; the private key is needed",
			key_path);
	if (X509_check_private_key(key->cert, key->pkey) != 1) {
		ERR_clear_error();
		return kel_fail(KEL_EINVALID, "key '%s' does not belong to certificate '%s'",
			key_path, cert_path);
	}
	if ((rc = order_chain(key)) < 0)
		return rc;
	return set_subject(key);
}

static kel_key *key_new(void)
{
	kel_key *key = calloc(1, sizeof(*key));

	if (key != NULL && (key->chain = sk_X509_new_null()) == NULL) {
		free(key);
		key = NULL;
	}
	if (key == NULL)
		kel_fail(KEL_ENOMEM, "out of memory");
	return key;
}

int kel_key_load_pem(kel_key **out, const char *key_path, const char *cert_path,
	const char *chain_path, const char *pass, size_t pass_len)
{
	unsigned char *data;
	size_t len;
	kel_key *key;
	int rc;

	if (out == NULL || key_path == NULL || cert_path == NULL)
		return kel_fail(KEL_EINVAL, "kel_key_load_pem: out, key_path and cert_path needed");
	*out = NULL;
	ERR_clear_error();   /* so that only this call's errors are reported */
	if ((key = key_new()) == NULL)
		return KEL_ENOMEM;
	if ((rc = read_file("key", key_path, &data, &len)) < 0)
		goto fail;
	rc = decode_key(&key->pkey, key_path, data, len, pass, pass_len);
	wipe_free(data, len + 1);
	if (rc < 0 ||
	    (rc = load_cert(&key->cert, cert_path)) < 0 ||
	    (chain_path != NULL && (rc = load_chain(key->chain, chain_path)) < 0) ||
	    (rc = finish(key, key_path, cert_path)) < 0)
		goto fail;
	*out = key;
	return 0;
fail:
	kel_key_free(key);
	return rc;
}

/* ---- PKCS#12 --------------------------------------------------------------------------- */

static pthread_once_t legacy_once = PTHREAD_ONCE_INIT;
static OSSL_PROVIDER *default_provider, *legacy_provider;

/*
 * OpenSSL 3 moved RC2 and single DES, with which older PKCS#12 files are encrypted, to the
 * "legacy" provider. It is loaded only when a file needs it, and stays for the process.
 * Loading a provider by hand stops OpenSSL from loading the default one by itself, so that
 * one is loaded explicitly first.
 */
static void load_legacy_provider(void)
{
	default_provider = OSSL_PROVIDER_load(NULL, "default");
	if (default_provider != NULL)
		legacy_provider = OSSL_PROVIDER_load(NULL, "legacy");
}

/*
 * Empty OpenSSL's error queue into text (with the detail OpenSSL attaches, such as the
 * name of the algorithm it could not fetch); non-zero when an algorithm was unsupported.
 */
static int drain_errors(char *text, size_t size)
{
	const char *data;
	unsigned long e;
	size_t used = 0;
	char one[256];
	int flags, unsupported = 0;

	text[0] = '\0';
	while ((e = ERR_get_error_all(NULL, NULL, NULL, &data, &flags)) != 0) {
		if (ERR_GET_REASON(e) == ERR_R_UNSUPPORTED ||
		    (ERR_GET_LIB(e) == ERR_LIB_EVP &&
		     ERR_GET_REASON(e) == EVP_R_UNSUPPORTED_ALGORITHM))
			unsupported = 1;
		ERR_error_string_n(e, one, sizeof(one));
		if (used < size)
			used += (size_t)snprintf(text + used, size - used, "%s%s%s%s%s",
				used ? "; " : "", one, (flags & ERR_TXT_STRING) && *data ? " (" : "",
				(flags & ERR_TXT_STRING) ? data : "",
				(flags & ERR_TXT_STRING) && *data ? ")" : "");
	}
	return unsupported;
}

/*
 * Check the passphrase against the file's integrity MAC first: a mismatch there is the one
 * sure sign of a wrong passphrase, where a failure to decrypt later could be anything.
 */
static int check_p12_mac(PKCS12 *p12, const char *path, const char *pass)
{
	int ok;

	if (!PKCS12_mac_present(p12))
		return 0;
	/* PKCS#12 spells "no password" two ways, absent and empty; either may have been used. */
	if (pass == NULL || *pass == '\0')
		ok = PKCS12_verify_mac(p12, NULL, 0) || PKCS12_verify_mac(p12, "", 0);
	else
		ok = PKCS12_verify_mac(p12, pass, -1);
	if (ok) {
		ERR_clear_error();
		return 0;
	}
	/* A plain mismatch leaves no error; one queued means the MAC could not be computed. */
	if (ERR_peek_error() != 0)
		return kel_fail_openssl(KEL_EUNSUPPORTED, "key '%s': cannot check the PKCS#12 "
			"integrity code", path);
	if (pass == NULL)
		return kel_fail(KEL_ENEEDPASS, "key '%s' is encrypted: give a passphrase", path);
	return kel_fail(KEL_ECRYPTO, "key '%s': wrong passphrase or damaged file", path);
}

static int p12_failure(const char *path, const char *pass, int unsupported, const char *text)
{
	if (unsupported && legacy_provider == NULL)
		return kel_fail(KEL_EUNSUPPORTED, "key '%s' is encrypted with an algorithm of "
			"OpenSSL's legacy provider, which could not be loaded: %s", path, text);
	if (unsupported)
		return kel_fail(KEL_EUNSUPPORTED, "key '%s' is encrypted with an algorithm OpenSSL "
			"does not offer, even with its legacy provider: %s", path, text);
	if (pass == NULL)
		return kel_fail(KEL_ENEEDPASS, "key '%s' is encrypted: give a passphrase", path);
	return kel_fail(KEL_ECRYPTO, "key '%s': wrong passphrase or damaged file: %s", path, text);
}

static int parse_p12(kel_key *key, PKCS12 *p12, const char *path, const char *pass)
{
	char text[1024];
	int unsupported, tried_legacy = 0;

	while (!PKCS12_parse(p12, pass, &key->pkey, &key->cert, &key->chain)) {
		/* OpenSSL frees what it made; a newer one may leave the stack NULL as well. */
		if (key->chain == NULL && (key->chain = sk_X509_new_null()) == NULL)
			return kel_fail(KEL_ENOMEM, "out of memory");
		unsupported = drain_errors(text, sizeof(text));
		if (!unsupported || tried_legacy)
			return p12_failure(path, pass, unsupported, text);
		tried_legacy = 1;
		pthread_once(&legacy_once, load_legacy_provider);
		if (legacy_provider == NULL) {
			ERR_clear_error();
			return p12_failure(path, pass, unsupported, text);
		}
	}
	ERR_clear_error();
	if (key->pkey == NULL)
		return kel_fail(KEL_EINVALID, "key '%s' holds no private key", path);
	if (key->cert == NULL)
		return kel_fail(KEL_EINVALID, "key '%s' holds no certificate for its private key",
			path);
	return 0;
}

int kel_key_load_p12(kel_key **out, const char *p12_path, const char *pass, size_t pass_len)
{
	unsigned char *data = NULL;
	char *cpass = NULL;
	PKCS12 *p12 = NULL;
	kel_key *key;
	size_t len = 0;
	BIO *bio;
	int rc;

	if (out == NULL || p12_path == NULL)
		return kel_fail(KEL_EINVAL, "kel_key_load_p12: out and p12_path needed");
	*out = NULL;
	ERR_clear_error();
	/* PKCS#12 takes the passphrase as a C string (UTF-8): it cannot hold a NUL byte. */
	if (pass != NULL && memchr(pass, '\0', pass_len) != NULL)
		return kel_fail(KEL_EINVALID, "key '%s': a PKCS#12 passphrase cannot contain a "
			"NUL byte", p12_path);
	if ((key = key_new()) == NULL)
		return KEL_ENOMEM;
	if (pass != NULL) {
		if ((cpass = malloc(pass_len + 1)) == NULL) {
			rc = kel_fail(KEL_ENOMEM, "out of memory");
			goto done;
		}
		memcpy(cpass, pass, pass_len);
		cpass[pass_len] = '\0';
	}
	if ((rc = read_file("key", p12_path, &data, &len)) < 0)
		goto done;
	bio = BIO_new_mem_buf(data, (int)len);
	p12 = bio ? d2i_PKCS12_bio(bio, NULL) : NULL;
	BIO_free(bio);
	if (p12 == NULL) {
		ERR_clear_error();
		rc = kel_fail(KEL_EPARSE, "key '%s' is not a PKCS#12 file", p12_path);
		goto done;
	}
	if ((rc = check_p12_mac(p12, p12_path, cpass)) == 0 &&
	    (rc = parse_p12(key, p12, p12_path, cpass)) == 0)
		rc = finish(key, p12_path, p12_path);
done:
	PKCS12_free(p12);
	wipe_free(data, len + 1);
	wipe_free(cpass, pass_len + 1);
	if (rc < 0)
		kel_key_free(key);
	else
		*out = key;
	return rc;
}

/* ---- the rest of the API --------------------------------------------------------------- */

int kel_key_file_is_exposed(const char *path)
{
	struct stat st;

	/* A file that cannot be looked at is reported by the loader, not here. */
	if (path == NULL || stat(path, &st) != 0)
		return 0;
	return (st.st_mode & 077) != 0;
}

const char *kel_key_algorithm(const kel_key *key)
{
	return key ? key->algorithm : "";
}

const char *kel_key_subject(const kel_key *key)
{
	return key && key->subject ? key->subject : "";
}

void kel_key_free(kel_key *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_free(key->pkey);
	X509_free(key->cert);
	sk_X509_pop_free(key->chain, X509_free);
	free(key->subject);
	free(key);
}
