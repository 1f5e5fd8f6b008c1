/*
 * The XAdES QualifyingProperties of a new signature (ETSI EN 319 132-1, baseline B-B):
 * SigningTime, SigningCertificateV2, SignerRoleV2, DataObjectFormat, CommitmentTypeIndication.
 */
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include <openssl/x509.h>

#include "xades_internal.h"
#include "text.h"
#include "error_internal.h"

#define ETSI_COMMITMENT "http://uri.etsi.org/01903/v1.2.2#"

static const char *const commitment_names[] = {
	NULL, "proof-of-origin", "proof-of-receipt", "proof-of-delivery", "proof-of-sender",
	"proof-of-approval", "proof-of-creation"
};
static const char *const commitment_uris[] = {
	NULL, ETSI_COMMITMENT "ProofOfOrigin", ETSI_COMMITMENT "ProofOfReceipt",
	ETSI_COMMITMENT "ProofOfDelivery", ETSI_COMMITMENT "ProofOfSender",
	ETSI_COMMITMENT "ProofOfApproval", ETSI_COMMITMENT "ProofOfCreation"
};

kel_commitment kel_commitment_from_name(const char *name)
{
	for (int i = 1; name && i <= KEL_COMMITMENT_CREATION; i++)
		if (strcmp(name, commitment_names[i]) == 0)
			return (kel_commitment)i;
	return KEL_COMMITMENT_NONE;
}

const char *kel_commitment_uri(kel_commitment commitment)
{
	return commitment >= KEL_COMMITMENT_ORIGIN && commitment <= KEL_COMMITMENT_CREATION ?
		commitment_uris[commitment] : NULL;
}

int kel_digest_from_name(const char *name)
{
	if (name == NULL)
		return -1;
	if (strcmp(name, "sha256") == 0)
		return KEL_DIGEST_SHA256;
	if (strcmp(name, "sha384") == 0)
		return KEL_DIGEST_SHA384;
	if (strcmp(name, "sha512") == 0)
		return KEL_DIGEST_SHA512;
	return -1;
}

/* SigningCertificateV2: the certificate by its SHA-256 digest, and its issuer and serial. */
static int add_signing_certificate(xmlNodePtr ssp, xmlNsPtr xades, xmlNsPtr ds, X509 *cert)
{
	unsigned char md[EVP_MAX_MD_SIZE], *der = NULL, *is = NULL;
	int der_len = i2d_X509(cert, &der), md_len, is_len;
	char *b64_md = NULL, *b64_is = NULL;
	xmlNodePtr sc, c, cd, dm;
	int rc = KEL_ENOMEM;

	md_len = der_len > 0 ? kel__digest(kel__md("SHA256"), der, (size_t)der_len, md) : -1;
	is_len = kel__issuer_serial_der(cert, &is);
	if (md_len < 0 || is_len < 0) {
		rc = kel_fail_openssl(KEL_ECRYPTO, "cannot encode the signer's certificate");
		goto done;
	}
	if ((b64_md = kel__base64(md, (size_t)md_len)) == NULL ||
	    (b64_is = kel__base64(is, (size_t)is_len)) == NULL)
		goto done;
	sc = xmlNewChild(ssp, xades, BAD_CAST "SigningCertificateV2", NULL);
	c = sc ? xmlNewChild(sc, xades, BAD_CAST "Cert", NULL) : NULL;
	cd = c ? xmlNewChild(c, xades, BAD_CAST "CertDigest", NULL) : NULL;
	dm = cd ? xmlNewChild(cd, ds, BAD_CAST "DigestMethod", NULL) : NULL;
	if (dm == NULL || !xmlNewProp(dm, BAD_CAST "Algorithm",
			BAD_CAST kel__digest_alg_of(KEL_DIGEST_SHA256)->uri) ||
	    !xmlNewChild(cd, ds, BAD_CAST "DigestValue", BAD_CAST b64_md) ||
	    !xmlNewChild(c, xades, BAD_CAST "IssuerSerialV2", BAD_CAST b64_is))
		goto done;
	rc = 0;
done:
	if (rc == KEL_ENOMEM)
		kel_fail(KEL_ENOMEM, "out of memory");
	OPENSSL_free(der);
	OPENSSL_free(is);
	free(b64_md);
	free(b64_is);
	return rc;
}

static int add_data_object_properties(xmlNodePtr sp, xmlNsPtr xades,
	const struct kel_props_input *in)
{
	xmlNodePtr sdop = xmlNewChild(sp, xades, BAD_CAST "SignedDataObjectProperties", NULL);
	char target[128];

	if (sdop == NULL)
		return kel_fail(KEL_ENOMEM, "out of memory");
	for (int i = 0; i < in->n_data_refs && !in->data_is_signature; i++) {
		xmlNodePtr dof = xmlNewChild(sdop, xades, BAD_CAST "DataObjectFormat", NULL);
		snprintf(target, sizeof(target), "#%s", in->data_ref_ids[i]);
		if (dof == NULL || !xmlNewProp(dof, BAD_CAST "ObjectReference", BAD_CAST target) ||
		    !xmlNewChild(dof, xades, BAD_CAST "MimeType", BAD_CAST "text/xml"))
			return kel_fail(KEL_ENOMEM, "out of memory");
	}
	if (in->commitment != KEL_COMMITMENT_NONE) {
		xmlNodePtr cti = xmlNewChild(sdop, xades, BAD_CAST "CommitmentTypeIndication", NULL);
		xmlNodePtr id = cti ? xmlNewChild(cti, xades, BAD_CAST "CommitmentTypeId", NULL) : NULL;
		if (id == NULL || !xmlNewTextChild(id, xades, BAD_CAST "Identifier",
				BAD_CAST kel_commitment_uri(in->commitment)) ||
		    !xmlNewChild(cti, xades, BAD_CAST "AllSignedDataObjects", NULL))
			return kel_fail(KEL_ENOMEM, "out of memory");
	}
	/* An empty SignedDataObjectProperties is not schema-valid XAdES. */
	if (sdop->children == NULL) {
		xmlUnlinkNode(sdop);
		xmlFreeNode(sdop);
	}
	return 0;
}

/*
 * Build <xades:QualifyingProperties Target="#ID"> with its SignedProperties inside object.
 * Returns the SignedProperties element, or NULL with the error recorded.
 */
xmlNodePtr kel__props_build(xmlNodePtr object, xmlNsPtr ds, const struct kel_props_input *in)
{
	xmlNodePtr qp = xmlNewChild(object, NULL, BAD_CAST "QualifyingProperties", NULL);
	xmlNodePtr sp, ssp;
	xmlNsPtr xades;
	char buf[128], when[21];

	if (qp == NULL || (xades = xmlNewNs(qp, BAD_CAST KEL_XADES_NS, BAD_CAST "xades")) == NULL) {
		kel_fail(KEL_ENOMEM, "out of memory");
		return NULL;
	}
	xmlSetNs(qp, xades);
	snprintf(buf, sizeof(buf), "#%s", in->sig_id);
	xmlNewProp(qp, BAD_CAST "Target", BAD_CAST buf);
	sp = xmlNewChild(qp, xades, BAD_CAST "SignedProperties", NULL);
	snprintf(buf, sizeof(buf), "%s-signedprops", in->sig_id);
	ssp = sp ? xmlNewChild(sp, xades, BAD_CAST "SignedSignatureProperties", NULL) : NULL;
	if (ssp == NULL || !xmlNewProp(sp, BAD_CAST "Id", BAD_CAST buf)) {
		kel_fail(KEL_ENOMEM, "out of memory");
		return NULL;
	}
	kel__utc_format(in->signing_time, when);
	if (!xmlNewChild(ssp, xades, BAD_CAST "SigningTime", BAD_CAST when)) {
		kel_fail(KEL_ENOMEM, "out of memory");
		return NULL;
	}
	if (add_signing_certificate(ssp, xades, ds, in->cert) < 0)
		return NULL;
	if (in->role) {
		xmlNodePtr role = xmlNewChild(ssp, xades, BAD_CAST "SignerRoleV2", NULL);
		xmlNodePtr claimed = role ? xmlNewChild(role, xades, BAD_CAST "ClaimedRoles", NULL) : NULL;
		/* xmlNewTextChild escapes the text; the role is the caller's free text. */
		if (claimed == NULL || !xmlNewTextChild(claimed, xades, BAD_CAST "ClaimedRole",
				BAD_CAST in->role)) {
			kel_fail(KEL_ENOMEM, "out of memory");
			return NULL;
		}
	}
	if (add_data_object_properties(sp, xades, in) < 0)
		return NULL;
	return sp;
}
