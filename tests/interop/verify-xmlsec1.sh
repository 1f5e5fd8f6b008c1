#!/usr/bin/env bash
#
# verify-xmlsec1.sh - check that signatures made by `kelisim sign` verify with xmlsec1, an
# independent XML-DSig implementation, and that an XML-DSig made by xmlsec1 in the style of
# NCALayer (enveloped-signature, inclusive C14N, RSA-SHA256) verifies with `kelisim verify`.
#
# Usage: tests/interop/verify-xmlsec1.sh KELISIM_BINARY SOURCE_DIR WORK_DIR
# Needs: xmlsec1 (Debian package xmlsec1), and the test PKI in $KELISIM_TEST_PKI.
#
# xmlsec1 checks XML-DSig only (not the XAdES rules kelisim adds) and 1.2.x has no RSA-PSS,
# so the PSS signature is checked by kelisim alone.
set -euo pipefail

kelisim=$1 src=$2 work=$3
pki=${KELISIM_TEST_PKI:?set KELISIM_TEST_PKI to the test PKI directory}
command -v xmlsec1 >/dev/null || { echo "SKIP: xmlsec1 is not installed"; exit 77; }
. "$(dirname "$0")/../fresh-work-dir.sh"
fresh_work_dir "$work" 'interop-xmlsec1*' || exit $?
work=$fresh_dir

# Ids: libxml2 knows no ID attribute without a DTD, so name them for xmlsec1.
ids=(--id-attr:Id urn:kelisim:consent:1:Content
     --id-attr:Id urn:kelisim:consent:1:Verification
     --id-attr:Id "http://uri.etsi.org/01903/v1.3.2#:SignedProperties"
     --id-attr:Id "http://www.w3.org/2000/09/xmldsig#:SignatureValue")
xv() {   # xv FILE [xpath of the signature]
    xmlsec1 --verify --enabled-reference-uris same-doc "${ids[@]}" \
        --trusted-pem "$pki/root.crt" --untrusted-pem "$pki/intermediate.crt" \
        ${2:+--node-xpath "$2"} "$1" >"$work/xmlsec.log" 2>&1 ||
        { cat "$work/xmlsec.log"; return 1; }
}
fail() { echo "FAIL: $*"; exit 1; }

"$kelisim" new "$src/schemas/examples/consent.json" -o "$work/doc.xml"
# Where signing also fills the document's QR code, the code is sealed with the operator's
# P-256 key whatever key signs (an RSA or P-384 key cannot seal it).
qr=()
if "$kelisim" sign --help | grep -q -- --qr-key; then
    qr=(--qr-key "$pki/operator.key" --qr-cert "$pki/operator.crt")
fi
n=0
for spec in "operator" "operator-p384" "clerk" "clerk-rsa2048" "clerk --digest sha512"; do
    set -- $spec
    name=$1; shift
    "$kelisim" sign "$work/doc.xml" --key "$pki/$name.key" --cert "$pki/$name.crt" \
        --chain "$pki/chain.pem" "${qr[@]}" "$@" -o "$work/s-$n.xml"
    xv "$work/s-$n.xml" || fail "xmlsec1 rejects a kelisim signature by $spec"
    "$kelisim" verify "$work/s-$n.xml" --trust "$pki/root.crt" >/dev/null ||
        fail "kelisim rejects its own signature by $spec"
    echo "ok: $spec signature verifies with xmlsec1 and kelisim"
    n=$((n + 1))
done

# Parallel and counter-signatures: xmlsec1 checks each one it is pointed at.
"$kelisim" sign "$work/s-0.xml" --p12 "$pki/subject.p12" --pass-file "$pki/passphrase.txt" \
    -o "$work/two.xml"
sig1=$(grep -o '<ds:Signature xmlns:ds="[^"]*" Id="sig-[0-9a-f]*"' "$work/s-0.xml" | head -1 |
       sed 's/.*Id="//; s/"//')
"$kelisim" sign "$work/two.xml" --p12 "$pki/clerk.p12" --pass-file "$pki/passphrase.txt" \
    --counter "$sig1" -o "$work/three.xml"
ds='namespace-uri()="http://www.w3.org/2000/09/xmldsig#"'
for i in 1 2; do
    xv "$work/three.xml" "(//*[local-name()=\"Signature\" and $ds and parent::*[local-name()=\"Signatures\"]])[$i]" ||
        fail "xmlsec1 rejects parallel signature $i"
done
xv "$work/three.xml" "//*[local-name()=\"CounterSignature\"]/*[local-name()=\"Signature\"]" ||
    fail "xmlsec1 rejects the counter-signature"
"$kelisim" verify "$work/three.xml" --trust "$pki/root.crt" >/dev/null ||
    fail "kelisim rejects parallel + counter-signatures"
echo "ok: two parallel signatures and a counter-signature verify with xmlsec1 and kelisim"

# The other direction: an NCALayer-style XML-DSig made by xmlsec1, verified by kelisim.
cat >"$work/egov.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<Request xmlns="urn:example:egov"><Iin>900101300007</Iin><Text>Келісім</Text><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data/></ds:KeyInfo></ds:Signature></Request>
XML
xmlsec1 --sign --privkey-pem "$pki/clerk.key,$pki/clerk.crt,$pki/intermediate.crt" \
    --output "$work/egov-signed.xml" "$work/egov.xml" 2>"$work/xmlsec.log" ||
    { cat "$work/xmlsec.log"; fail "xmlsec1 cannot sign the NCALayer-style template"; }
"$kelisim" verify "$work/egov-signed.xml" --trust "$pki/root.crt" >"$work/egov.txt" ||
    { cat "$work/egov.txt"; fail "kelisim rejects xmlsec1's enveloped XML-DSig"; }
grep -q "XML-DSig" "$work/egov.txt" || fail "not reported as XML-DSig"
echo "ok: xmlsec1's NCALayer-style XML-DSig verifies with kelisim as XML-DSig"
echo "PASS"
