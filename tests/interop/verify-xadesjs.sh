#!/usr/bin/env bash
#
# verify-xadesjs.sh - verify signatures made by `kelisim sign` with xadesjs (PeculiarVentures'
# XAdES implementation for JavaScript), installed by npm into a temporary folder.
#
# Usage: tests/interop/verify-xadesjs.sh KELISIM_BINARY SOURCE_DIR [WORK_DIR]
# Needs: node and npm with access to the npm registry; the test PKI in $KELISIM_TEST_PKI.
# Exit 77 (skipped) when node/npm or the registry are not available.
#
# xadesjs checks the XML-DSig core (references, SignatureValue) of each signature and parses
# its XAdES properties; kelisim's own verifier adds the XAdES rules on top.
set -euo pipefail

kelisim=$(realpath "$1") src=$(realpath "$2") work=${3:-$(mktemp -d)}
pki=${KELISIM_TEST_PKI:?set KELISIM_TEST_PKI to the test PKI directory}
command -v npm >/dev/null && command -v node >/dev/null || { echo "SKIP: no node/npm"; exit 77; }
mkdir -p "$work" && cd "$work"

if [ ! -d node_modules/xadesjs ]; then
    npm init -y >/dev/null 2>&1
    npm install --no-audit --no-fund xadesjs @peculiar/webcrypto @xmldom/xmldom >npm.log 2>&1 ||
        { tail -5 npm.log; echo "SKIP: npm install failed"; exit 77; }
fi

cat >verify.js <<'JS'
const fs = require("fs");
const xmldom = require("@xmldom/xmldom");
const xadesjs = require("xadesjs");
const { Crypto } = require("@peculiar/webcrypto");

xadesjs.Application.setEngine("NodeJS", new Crypto());
if (typeof xadesjs.setNodeDependencies === "function")
  xadesjs.setNodeDependencies({ DOMParser: xmldom.DOMParser,
    XMLSerializer: xmldom.XMLSerializer, DOMImplementation: xmldom.DOMImplementation });

(async () => {
  const doc = xadesjs.Parse(fs.readFileSync(process.argv[2], "utf8"));
  const sigs = doc.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature");
  let bad = 0;
  for (let i = 0; i < sigs.length; i++) {
    const signed = new xadesjs.SignedXml(doc);
    signed.LoadXml(sigs[i]);
    const ok = await signed.Verify();
    const st = signed.SignedProperties.SignedSignatureProperties.SigningTime.Value;
    console.log(`${sigs[i].getAttribute("Id")}: ${ok ? "valid" : "INVALID"} (SigningTime ${st.toISOString()})`);
    if (!ok) bad++;
  }
  process.exit(sigs.length && !bad ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });
JS

"$kelisim" new "$src/schemas/examples/consent.json" -o doc.xml
qr=()   # the QR code, when signing fills it, is sealed with the operator's P-256 key
if "$kelisim" sign --help | grep -q -- --qr-key; then
    qr=(--qr-key "$pki/operator.key" --qr-cert "$pki/operator.crt")
fi
status=0
# xadesjs imports every KeyInfo certificate with the SignatureMethod's key type, so an RSA
# signer under the test PKI's ECDSA CAs is signed without --chain (KeyInfo: the leaf only).
for name in operator operator-p384 clerk; do
    chain=(--chain "$pki/chain.pem")
    [ "$name" = clerk ] && chain=()
    "$kelisim" sign doc.xml --key "$pki/$name.key" --cert "$pki/$name.crt" "${chain[@]}" \
        "${qr[@]}" --role clerk --commitment proof-of-origin -o "signed-$name.xml"
    if node verify.js "signed-$name.xml"; then echo "ok: $name"; else echo "FAIL: $name"; status=1; fi
done
"$kelisim" sign signed-operator.xml --key "$pki/subject.key" --cert "$pki/subject.crt" -o two.xml
if node verify.js two.xml; then echo "ok: two parallel signatures"; else echo "FAIL: parallel"; status=1; fi
exit $status
