/*
 * Certificates and trust stores read once per process and shared.
 *
 * OpenSSL 3.0 decodes a certificate's public key through its provider decoders, which costs
 * more per certificate than the whole ECDSA check of a signature: verifying one document read
 * its KeyInfo certificates and the trust anchor file anew each time, a quarter of the time
 * of kel_verify. The same bytes always give the same certificate, so a certificate is kept by
 * its exact DER bytes and a trust store by its file's exact contents, and handed out as new
 * references. Nothing about a verification's outcome is kept: chains, signatures and times are
 * checked on every call.
 */
#ifndef KEL_X509_CACHE_H
#define KEL_X509_CACHE_H

#include <stddef.h>
#include <openssl/x509_vfy.h>

/*
 * The certificate whose DER encoding is exactly the len bytes at der (a new reference:
 * X509_free it), or NULL when those bytes are not one whole certificate (nothing after it).
 */
X509 *kel__x509_cache_der(const unsigned char *der, size_t len);

/*
 * A store of the anchors in the PEM file at path (certificates and CRLs, as
 * X509_STORE_load_file reads them), shared with every caller that read the same contents
 * from the same path (a new reference: X509_STORE_free it). The file is read on every call,
 * so a changed file gives a new store. KEL_EIO when it cannot be read or holds no anchor.
 * A caller must not change the store (add to it, set its flags): others share it.
 */
int kel__x509_cache_trust_file(X509_STORE **out, const char *path);

/* Drop everything kept (kel_shutdown). */
void kel__x509_cache_clear(void);

#endif
