/*
 * Trust anchors, and the sub-indications of X.509 path failures.
 */
#include <sys/stat.h>

#include "trust.h"
#include "x509_cache.h"
#include "error_internal.h"

int kel__trust_load(X509_STORE **out, const kel_verify_options *o)
{
	X509_STORE *store;
	struct stat st;

	*out = NULL;
	if (o->trust_file == NULL && o->trust_dir == NULL)
		return 0;
	/*
	 * A file alone is read once per contents and shared (x509_cache.h). A directory is not:
	 * OpenSSL looks anchors up in it lazily, by subject hash, as chains need them.
	 */
	if (o->trust_dir == NULL)
		return kel__x509_cache_trust_file(out, o->trust_file);
	if ((store = X509_STORE_new()) == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	if (o->trust_file && X509_STORE_load_file(store, o->trust_file) != 1) {
		X509_STORE_free(store);
		return kel_fail_openssl(KEL_EIO, "cannot read trust anchors from '%s'", o->trust_file);
	}
	if (o->trust_dir && (stat(o->trust_dir, &st) < 0 || !S_ISDIR(st.st_mode) ||
			X509_STORE_load_path(store, o->trust_dir) != 1)) {
		X509_STORE_free(store);
		return kel_fail_openssl(KEL_EIO, "'%s' is not a directory of trust anchors",
			o->trust_dir);
	}
	*out = store;
	return 0;
}

const char *kel__x509_subindication(int err)
{
	switch (err) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		return "NO_CERTIFICATE_CHAIN_FOUND";
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return "OUT_OF_BOUNDS_NO_POE";
	case X509_V_ERR_CA_KEY_TOO_SMALL:
	case X509_V_ERR_EE_KEY_TOO_SMALL:
	case X509_V_ERR_CA_MD_TOO_WEAK:
		return "CRYPTO_CONSTRAINTS_FAILURE";
	default:
		return "CERTIFICATE_CHAIN_GENERAL_FAILURE";
	}
}
