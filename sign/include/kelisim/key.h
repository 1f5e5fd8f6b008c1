/*
 * Signing keys: a private key with its X.509 certificate and the chain above it.
 *
 * Keys come from PEM (traditional or PKCS#8, encrypted or not) with a PEM certificate and an
 * optional PEM chain, or from a PKCS#12 file as Kazakh NCA issues them. A passphrase is handed
 * in as bytes by the caller — the tool reads it from a file, an environment variable or the
 * terminal, never from the command line — and every copy the library makes is wiped.
 */
#ifndef KELISIM_KEY_H
#define KELISIM_KEY_H

#include "common.h"

typedef struct kel_key kel_key;

/*
 * Load a private key (key_path) and its certificate (cert_path), with an optional file of
 * further certificates (chain_path, may be NULL). pass may be NULL for an unencrypted key.
 * The key must match the certificate. KEL_ENEEDPASS for an encrypted key and no passphrase
 * (ask for one, then call again), KEL_ECRYPTO on a wrong passphrase, KEL_EIO for an
 * unreadable file, KEL_EINVALID for a key and certificate that do not belong together.
 */
KEL_EXTERN(int) kel_key_load_pem(kel_key **out, const char *key_path, const char *cert_path,
	const char *chain_path, const char *pass, size_t pass_len) KEL_WARN_UNUSED;

/* Load the key, certificate and chain from a PKCS#12 file. */
KEL_EXTERN(int) kel_key_load_p12(kel_key **out, const char *p12_path, const char *pass,
	size_t pass_len) KEL_WARN_UNUSED;

/* Non-zero when the file at path can be read by its group or by others. */
KEL_EXTERN(int) kel_key_file_is_exposed(const char *path);

/* "ECDSA P-256", "ECDSA P-384", "RSA 3072", ... (borrowed). */
KEL_EXTERN(const char *) kel_key_algorithm(const kel_key *key);

/* The certificate's subject as one line, RFC 2253 style (borrowed). */
KEL_EXTERN(const char *) kel_key_subject(const kel_key *key);

/* Free the key; its secret material is wiped. NULL is fine. */
KEL_EXTERN(void) kel_key_free(kel_key *key);

#endif
