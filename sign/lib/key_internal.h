/*
 * The signing key as the signature modules see it.
 */
#ifndef KEL_KEY_INTERNAL_H
#define KEL_KEY_INTERNAL_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include "kelisim/key.h"

struct kel_key {
	EVP_PKEY *pkey;           /* the private key */
	X509 *cert;               /* the signer's certificate */
	STACK_OF(X509) *chain;    /* further certificates, issuer first; may be empty */
	char algorithm[32];
	char *subject;
};

#endif
