/*
 * Trust anchors and what an X.509 path failure means in ETSI EN 319 102-1 terms, shared by
 * the signature verifier and the certificate check behind QR seals.
 */
#ifndef KEL_TRUST_H
#define KEL_TRUST_H

#include <openssl/x509_vfy.h>
#include "kelisim/verify.h"

/*
 * A store holding the anchors of o->trust_file and o->trust_dir, or *out NULL when neither
 * is given (no chain can then be built). KEL_EIO when an anchor source cannot be read.
 */
int kel__trust_load(X509_STORE **out, const kel_verify_options *o);

/* The sub-indication for an X509_V_ERR_* code ("NO_CERTIFICATE_CHAIN_FOUND", ...). */
const char *kel__x509_subindication(int err);

#endif
