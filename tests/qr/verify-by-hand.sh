#!/usr/bin/env bash
# Runs the by-hand verification of docs/qr-payload.md, exactly as the document writes it,
# on a payload the library makes now: the seal must verify with openssl, the key id must
# match, the digest recomputed with xmllint must equal the document's; and an altered
# payload must fail.
#
# Usage: verify-by-hand.sh QR_EXAMPLE SOURCE_DIR WORK_DIR   (KELISIM_TEST_PKI set)
set -euo pipefail

example=$1 src=$2 work=$3
pki=${KELISIM_TEST_PKI:?KELISIM_TEST_PKI is not set}
doc="$src/docs/qr-payload.md"

fail() { echo "verify-by-hand: $*" >&2; exit 1; }

. "$(dirname "$0")/../fresh-work-dir.sh"
fresh_work_dir "$work" 'work' || exit $?
cd -- "$fresh_dir"
"$example" "$src" "$pki" . "https://verify.operator-test.kz/qr/v1/p/"

# The shell block between the markers, without its fences.
sed -n '/<!-- verify-by-hand:begin -->/,/<!-- verify-by-hand:end -->/p' "$doc" |
	sed '1,2d;$d' | sed '$d' >by-hand.sh
grep -q 'openssl dgst -sha256 -verify' by-hand.sh || fail "no command block found in $doc"

run() {   # run the document's commands on a payload; prints their output
	PAYLOAD=$1 CERT="$pki/operator.crt" bash by-hand.sh 2>&1
}

payload=$(cat payload.txt)
out=$(run "$payload") || fail "the genuine payload did not verify:"$'\n'"$out"
echo "$out"
grep -qx 'key id matches' <<<"$out" || fail "key id did not match"
grep -qx 'Verified OK' <<<"$out" || fail "openssl did not say Verified OK"
grep -qx 'version K1, type C, issued 20261118, operator BIN 990340000004' <<<"$out" ||
	fail "fields not as expected"

# The document id and digest the commands print are the document's.
id=$(xmllint --xpath 'string(//*[local-name()="DocumentId"])' doc.xml)
grep -qx "document $id" <<<"$out" || fail "document id is not $id"
held=$(xmllint --xpath 'string(//*[local-name()="ContentDigest"])' doc.xml)
grep -qx "content digest $held" <<<"$out" || fail "content digest is not the document's $held"

# The digest recomputed from the XML as the document shows.
recomputed=$(sed -n '/^xmllint --xpath/,/base64$/p' "$doc" | bash)
[ "$recomputed" = "$held" ] || fail "recomputed digest $recomputed differs from $held"

# An altered payload: one character of the date, then one of the URL.
for altered in "${payload/.20261118./.20261119.}" "${payload/operator-test/operator-tess}"; do
	[ "$altered" != "$payload" ] || fail "alteration did not apply"
	if out=$(run "$altered"); then
		fail "an altered payload verified:"$'\n'"$out"
	fi
	grep -q 'Verification failure' <<<"$out" ||
		fail "no 'Verification failure' for an altered payload"
done
# Another certificate: the key id no longer matches and the seal fails.
if out=$(PAYLOAD=$payload CERT="$pki/operator-p384.crt" bash by-hand.sh 2>&1); then
	fail "the P-384 certificate verified the seal"
fi
! grep -q 'key id matches' <<<"$out" || fail "the P-384 certificate's key id matched"
echo "verify-by-hand: ok"
