/*
 * The process's shared certificates and trust stores; see x509_cache.h for why. Entries are
 * found by SHA-256 and then compared byte for byte, so a hash collision could only cost a
 * miss. Both tables are small and replace their oldest entry when full: a verifier meets a
 * handful of CAs and signers at a time, not thousands.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "x509_cache.h"
#include "buf_internal.h"
#include "error_internal.h"

#define CERTS_MAX 128
#define STORES_MAX 8
#define TRUST_FILE_MAX (16 * 1024 * 1024)   /* a large CA bundle is well under 1 MB */

struct cert_entry {
	unsigned char sha[32];
	unsigned char *der;
	size_t len;
	X509 *cert;
};

struct store_entry {
	unsigned char sha[32];
	char *path;
	X509_STORE *store;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct cert_entry certs[CERTS_MAX];
static size_t cert_next;     /* the slot the next new certificate takes */
static struct store_entry stores[STORES_MAX];
static size_t store_next;

static int sha256(const void *data, size_t len, unsigned char out[32])
{
	return EVP_Digest(data, len, out, NULL, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

/* Under the lock: a new reference to the kept certificate of these bytes, or NULL. */
static X509 *find_cert(const unsigned char sha[32], const unsigned char *der, size_t len)
{
	for (size_t i = 0; i < CERTS_MAX; i++) {
		struct cert_entry *e = &certs[i];
		if (e->cert && e->len == len && memcmp(e->sha, sha, 32) == 0 &&
		    memcmp(e->der, der, len) == 0)
			return X509_up_ref(e->cert) == 1 ? e->cert : NULL;
	}
	return NULL;
}

static void drop_cert(struct cert_entry *e)
{
	X509_free(e->cert);
	free(e->der);
	memset(e, 0, sizeof(*e));
}

X509 *kel__x509_cache_der(const unsigned char *der, size_t len)
{
	unsigned char sha[32], *copy;
	const unsigned char *p = der;
	X509 *cert, *kept;

	if (der == NULL || len == 0 || len > LONG_MAX || sha256(der, len, sha) < 0)
		return NULL;
	pthread_mutex_lock(&lock);
	cert = find_cert(sha, der, len);
	pthread_mutex_unlock(&lock);
	if (cert)
		return cert;

	/* Parsed outside the lock: the slow part, and other threads need not wait for it. */
	if ((cert = d2i_X509(NULL, &p, (long)len)) == NULL)
		return NULL;
	if (p != der + len) {   /* one certificate and trailing bytes is not a certificate */
		X509_free(cert);
		return NULL;
	}
	if ((copy = malloc(len)) == NULL)
		return cert;    /* still a good answer; it is just not kept */
	memcpy(copy, der, len);
	pthread_mutex_lock(&lock);
	if ((kept = find_cert(sha, der, len)) != NULL) {   /* another thread was quicker */
		X509_free(kept);
		free(copy);
	} else if (X509_up_ref(cert) == 1) {
		struct cert_entry *e = &certs[cert_next];
		drop_cert(e);
		memcpy(e->sha, sha, 32);
		e->der = copy;
		e->len = len;
		e->cert = cert;
		cert_next = (cert_next + 1) % CERTS_MAX;
	} else {
		free(copy);
	}
	pthread_mutex_unlock(&lock);
	return cert;
}

static int read_file(const char *path, kel_buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[16384];
	size_t n;

	if (f == NULL)
		return kel_fail(KEL_EIO, "cannot read trust anchors from '%s': %s", path,
			strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (out->size + n > TRUST_FILE_MAX) {
			fclose(f);
			return kel_fail(KEL_EIO, "cannot read trust anchors from '%s': larger than "
				"%d MB", path, TRUST_FILE_MAX >> 20);
		}
		if (kel_buf_put(out, chunk, n) < 0) {
			fclose(f);
			return KEL_ENOMEM;
		}
	}
	if (ferror(f)) {
		fclose(f);
		return kel_fail(KEL_EIO, "cannot read trust anchors from '%s': read error", path);
	}
	fclose(f);
	return 0;
}

/*
 * What X509_STORE_load_file does with a PEM file, from bytes already read (so that what is
 * hashed is what is loaded): every certificate and CRL in it, and at least one of them.
 */
static int store_from_pem(X509_STORE **out, const unsigned char *data, size_t len,
	const char *path)
{
	BIO *bio = len <= INT_MAX ? BIO_new_mem_buf(data, (int)len) : NULL;
	/* "" as the passphrase: an encrypted key in the file is skipped, never prompted for. */
	static char no_passphrase[] = "";
	STACK_OF(X509_INFO) *infos = bio ? PEM_X509_INFO_read_bio(bio, NULL, NULL,
		no_passphrase) : NULL;
	X509_STORE *store = infos ? X509_STORE_new() : NULL;
	int count = 0, ok = store != NULL;

	for (int i = 0; ok && i < sk_X509_INFO_num(infos); i++) {
		X509_INFO *info = sk_X509_INFO_value(infos, i);
		if (info->x509 && (ok = X509_STORE_add_cert(store, info->x509) == 1))
			count++;
		if (ok && info->crl && (ok = X509_STORE_add_crl(store, info->crl) == 1))
			count++;
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	BIO_free(bio);
	if (!ok || count == 0) {
		X509_STORE_free(store);
		if (ok)
			return kel_fail(KEL_EIO, "cannot read trust anchors from '%s': no "
				"certificate or CRL in it", path);
		return kel_fail_openssl(KEL_EIO, "cannot read trust anchors from '%s'", path);
	}
	*out = store;
	return 0;
}

int kel__x509_cache_trust_file(X509_STORE **out, const char *path)
{
	kel_buf data = KEL_BUF_INIT;
	unsigned char sha[32];
	X509_STORE *store = NULL;
	char *path_copy;
	int rc;

	*out = NULL;
	if ((rc = read_file(path, &data)) < 0) {
		kel_buf_dispose(&data);
		return rc;
	}
	if (sha256(data.ptr, data.size, sha) < 0) {
		kel_buf_dispose(&data);
		return kel_fail_openssl(KEL_ERROR, "SHA-256 failed");
	}
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < STORES_MAX && store == NULL; i++) {
		struct store_entry *e = &stores[i];
		if (e->store && memcmp(e->sha, sha, 32) == 0 && strcmp(e->path, path) == 0 &&
		    X509_STORE_up_ref(e->store) == 1)
			store = e->store;
	}
	pthread_mutex_unlock(&lock);
	if (store) {
		kel_buf_dispose(&data);
		*out = store;
		return 0;
	}

	rc = store_from_pem(&store, (const unsigned char *)data.ptr, data.size, path);
	kel_buf_dispose(&data);
	if (rc < 0)
		return rc;
	/* Kept when it can be; a store that is not kept serves this call all the same. */
	if ((path_copy = strdup(path)) != NULL) {
		pthread_mutex_lock(&lock);
		if (X509_STORE_up_ref(store) == 1) {
			struct store_entry *e = &stores[store_next];
			X509_STORE_free(e->store);
			free(e->path);
			memcpy(e->sha, sha, 32);
			e->path = path_copy;
			e->store = store;
			store_next = (store_next + 1) % STORES_MAX;
		} else {
			free(path_copy);
		}
		pthread_mutex_unlock(&lock);
	}
	*out = store;
	return 0;
}

void kel__x509_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < CERTS_MAX; i++)
		drop_cert(&certs[i]);
	for (size_t i = 0; i < STORES_MAX; i++) {
		X509_STORE_free(stores[i].store);
		free(stores[i].path);
		memset(&stores[i], 0, sizeof(stores[i]));
	}
	cert_next = store_next = 0;
	pthread_mutex_unlock(&lock);
}
