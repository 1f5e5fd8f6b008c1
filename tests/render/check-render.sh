#!/usr/bin/env bash
# The rendering checked as a verifier would: render a signed, QR-coded consent to PDF, print
# it to pixels (pdftoppm -r 150), read the QR code off every page with zbarimg and compare it
# with the document's Payload; read the pages back as text (pdftotext): the document id on
# each page of a long document, every Kazakh letter present (no missing glyphs), the fonts
# embedded (pdffonts); each language alone; the HTML well-formed, self-contained, escaping a
# hostile name; nothing written when rendering fails.
# Usage: check-render.sh KELISIM SEAL_AND_SIGN SOURCE_DIR WORK_DIR   (needs KELISIM_TEST_PKI)
# WORK_DIR is emptied first, so it is checked hard before anything is removed: it must be a
# folder named 'render-work' that is neither the source tree nor one of its parents.
set -u
if [ $# -ne 4 ]; then
  echo "usage: check-render.sh KELISIM SEAL_AND_SIGN SOURCE_DIR WORK_DIR" >&2
  exit 64
fi
kelisim=$(realpath -e "$1") && seal=$(realpath -e "$2") && src=$(realpath -e "$3") || exit 64
work=$(realpath -m "$4")
case "$work" in
  */render-work) ;;
  *) echo "check-render.sh: refusing to empty '$4': the work folder must be named render-work" >&2
     exit 64 ;;
esac
case "$src/" in
  "$work"/*) echo "check-render.sh: refusing to empty '$work': it holds the source tree" >&2
             exit 64 ;;
esac
pki=${KELISIM_TEST_PKI:?KELISIM_TEST_PKI is not set}
for tool in pdftoppm pdftotext pdffonts pdfinfo zbarimg xmllint; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (scripts/deps.sh)"; exit 77; }
done
rm -rf -- "$work"; mkdir -p -- "$work"; cd -- "$work" || exit 1
examples=$src/schemas/examples
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

payload_of() { xmllint --xpath "string(//*[local-name()='Payload'])" "$1"; }
id_of() { xmllint --xpath "string(//*[local-name()='DocumentId'])" "$1"; }
pages_of() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }

# A signed document with its QR code: from `kelisim sign` when it fills Verification itself,
# else sealed with the library first (kel_qr_doc_fill) and then signed.
signed_doc() {   # REQUEST OUT
  "$kelisim" new "$1" | "$kelisim" sign --key "$pki/operator.key" --cert "$pki/operator.crt" \
    --chain "$pki/chain.pem" -o "$2" 2>/dev/null
  if [ -z "$(payload_of "$2" 2>/dev/null)" ]; then
    "$seal" "$1" "$pki/operator.key" "$pki/operator.crt" "$pki/chain.pem" "$2" || return 1
  fi
}

# ---- 1. the printed QR code is the document's --------------------------------------------
signed_doc "$examples/consent.json" signed.xml || { echo "FAIL: cannot make a signed document"; exit 1; }
payload=$(payload_of signed.xml); id=$(id_of signed.xml)
[ -n "$payload" ] || fail "the signed document has no Payload"
"$kelisim" render signed.xml -o signed.pdf --trust "$pki/root.crt" || fail "render signed.pdf"
pdftoppm -r 150 -png signed.pdf page
pages=$(pages_of signed.pdf)
for ((i = 1; i <= pages; i++)); do
  png=$(ls page-*"$i".png 2>/dev/null | grep -E "page-0*$i\.png" | head -1)
  got=$(zbarimg -q --raw "$png" 2>/dev/null | head -1)
  [ "$got" = "$payload" ] || fail "page $i of $pages: QR code reads '$got', expected the Payload"
done
ok "the QR code on each of $pages pages at 150 dpi is the Payload"
# The decoded payload is accepted by the verifier as this document's.
# With the QR verifier built in (kelisim verify --qr-text/--qr-image, sign --qr-key): the
# code read off the page is accepted as this document's.
first=$(ls page-*.png | sort | head -1)
if "$kelisim" verify --help 2>/dev/null | grep -q -- '--qr-text'; then
  got=$(zbarimg -q --raw "$first" 2>/dev/null | head -1)
  "$kelisim" verify --qr-text "$got" --trust "$pki/root.crt" signed.xml >/dev/null \
    && ok "kelisim verify --qr-text accepts the scanned code" \
    || fail "kelisim verify --qr-text refuses the scanned code"
fi
if "$kelisim" verify --help 2>/dev/null | grep -q -- '--qr-image'; then
  "$kelisim" verify --qr-image "$first" --trust "$pki/root.crt" signed.xml >/dev/null \
    && ok "kelisim verify --qr-image reads and accepts the code on the 150 dpi page" \
    || fail "kelisim verify --qr-image refuses the 150 dpi page"
fi
# An RSA-signed document whose QR code is sealed by the operator's EC key (--qr-key).
if "$kelisim" sign --help 2>/dev/null | grep -q -- '--qr-key'; then
  "$kelisim" new "$examples/consent.json" | "$kelisim" sign --key "$pki/clerk.key" \
    --cert "$pki/clerk.crt" --chain "$pki/chain.pem" --qr-key "$pki/operator.key" \
    --qr-cert "$pki/operator.crt" -o rsa.xml || fail "cannot sign with RSA and an EC seal"
  "$kelisim" render rsa.xml -o rsa.pdf --trust "$pki/root.crt" || fail "render rsa.pdf"
  pdftoppm -r 150 -png -f 1 -l 1 rsa.pdf rsa
  got=$(zbarimg -q --raw rsa-*.png 2>/dev/null | head -1)
  [ -n "$got" ] && [ "$got" = "$(payload_of rsa.xml)" ] || fail "RSA document: QR reads '$got'"
  "$kelisim" verify --qr-text "$got" --trust "$pki/root.crt" --seal-cert "$pki/operator.crt" \
    rsa.xml >/dev/null && ok "RSA-signed, EC-sealed: the printed code verifies" \
    || fail "RSA-signed, EC-sealed: the printed code does not verify"
  pdftotext rsa.pdf - | grep -q "TOTAL-PASSED" || fail "RSA document: no TOTAL-PASSED"
fi
pdftotext -layout signed.pdf signed.txt
grep -q "TOTAL-PASSED" signed.txt && ok "the signature block says TOTAL-PASSED" \
  || fail "no TOTAL-PASSED in the signature block"
grep -q "CN=Test Operator" signed.txt || fail "no signer subject in the signature block"

# A document changed after signing is still rendered, and says so: the signature and the
# QR code fail (the Content digest no longer matches).
sed '0,/<Para>/s//<Para>Changed. /' signed.xml > tampered.xml
"$kelisim" render tampered.xml -o tampered.pdf --trust "$pki/root.crt" || fail "render tampered.pdf"
pdftotext tampered.pdf - | tr -s ' \n' ' ' > tampered.txt
grep -q "TOTAL-FAILED — жарамсыз / недействительна (HASH_FAILURE)" tampered.txt \
  && grep -q "TOTAL-FAILED — осы құжатқа сәйкес емес" tampered.txt \
  && ok "a tampered document shows TOTAL-FAILED for its signature and its QR code" \
  || fail "a tampered document does not show TOTAL-FAILED: $(grep -o 'TOTAL-[A-Z]*[^/]*' tampered.txt | head -3)"

# Two renderings are the same bytes, dated by the document.
"$kelisim" render signed.xml -o again.pdf --trust "$pki/root.crt"
cmp -s signed.pdf again.pdf && ok "two renderings are byte-identical" || fail "renderings differ"
issued=$(xmllint --xpath "string(//*[local-name()='IssuedAt'])" signed.xml)
pdfinfo -isodates signed.pdf | grep -q "CreationDate: *${issued%Z}" \
  && ok "creation date is IssuedAt ($issued)" || fail "creation date is not IssuedAt"

# ---- 2. a long document: 3 pages or more, the id on every page ---------------------------
{
  sed -n '1,/"purposes"/p' "$examples/consent.json" | sed '$d'
  printf '  "purposes": ['
  for i in $(seq 1 40); do
    [ "$i" -gt 1 ] && printf ', '
    printf '"мақсат %d: клиенттің тапсырысын орындау, жеткізуді ұйымдастыру, төлемді қабылдау, кепілдік бойынша қызмет көрсету және сапаны бақылау үшін байланыс жүргізу"' "$i"
  done
  printf '],\n  "data": ['
  for i in $(seq 1 80); do
    [ "$i" -gt 1 ] && printf ', '
    printf '"деректер санаты %d: тегі, аты, әкесінің аты, туған күні, тіркелген мекенжайы"' "$i"
  done
  printf '],\n'
  sed -n '/"actions"/,$p' "$examples/consent.json"
} > long.json
signed_doc long.json long.xml || fail "cannot make the long document"
lid=$(id_of long.xml)
"$kelisim" render long.xml -o long.pdf || fail "render long.pdf"
lpages=$(pages_of long.pdf)
[ "${lpages:-0}" -ge 3 ] && ok "the long document has $lpages pages" \
  || fail "the long document has ${lpages:-0} pages, expected 3 or more"
for ((i = 1; i <= ${lpages:-0}; i++)); do
  pdftotext -f "$i" -l "$i" long.pdf - | grep -qF "$lid" || fail "page $i lacks the document id"
  pdftotext -f "$i" -l "$i" long.pdf - | grep -qF "$i / $lpages" || fail "page $i lacks '$i / $lpages'"
done
ok "the id and 'N / $lpages' are on each page"
pdftotext long.pdf - | grep -qF "мақсат 40:" || fail "the last purpose is missing"
pdftotext long.pdf - | grep -qF "деректер санаты 80:" || fail "the last data entry is missing"
pdftoppm -r 150 -png -f "$lpages" -l "$lpages" long.pdf last
[ "$(zbarimg -q --raw last-*.png 2>/dev/null | head -1)" = "$(payload_of long.xml)" ] \
  && ok "the QR code on the last page of the long document reads" \
  || fail "the QR code on the last page of the long document does not read"

# ---- 3. every Kazakh letter, no missing glyph --------------------------------------------
letters="ә ғ қ ң ө ұ ү һ і Ә Ғ Қ Ң Ө Ұ Ү Һ І"
sed "s/\"тауарларды жеткізу шартын орындау\"/\"әріптер: $letters\"/" "$examples/consent.json" > kk.json
"$kelisim" new kk.json -o kk.xml || fail "new kk.xml"
"$kelisim" render kk.xml -o kk.pdf || fail "render kk.pdf"
pdftotext kk.pdf kk.txt
for l in $letters; do
  grep -qF "$l" kk.txt || fail "letter $l is not in the PDF's text"
done
grep -qF "әріптер: $letters" kk.txt && ok "every Kazakh letter is in the PDF's text" \
  || fail "the line of Kazakh letters does not read back whole"
# Every font embedded (no substitution by the viewer), and one of them carries the text.
pdffonts kk.pdf | awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' \
  && ok "every font is embedded" || fail "a font is not embedded: $(pdffonts kk.pdf)"
pdffonts kk.pdf | grep -qE "DejaVuSans|NotoSans" || fail "no DejaVu or Noto font: $(pdffonts kk.pdf)"

# ---- 4. each language alone ---------------------------------------------------------------
for lang in kk ru en; do
  sed "s/\"kk\", \"ru\"/\"$lang\"/" "$examples/consent.json" > "$lang.json"
  "$kelisim" new "$lang.json" -o "$lang-only.xml" || { fail "new $lang"; continue; }
  "$kelisim" render "$lang-only.xml" -o "$lang-only.pdf" || fail "render $lang PDF"
  "$kelisim" render "$lang-only.xml" -o "$lang-only.html" || fail "render $lang HTML"
  [ "$(pages_of "$lang-only.pdf")" -ge 1 ] || fail "$lang: no page"
  grep -qF "<article lang=\"$lang\">" "$lang-only.html" || fail "$lang: no article lang=$lang"
  pdftotext "$lang-only.pdf" - | grep -qF "$(id_of "$lang-only.xml")" || fail "$lang: no id"
done
grep -qF "Consent to the collection" en-only.html || fail "en: no English title"
ok "kk, ru and en each render alone"

# ---- 5. HTML: well-formed, self-contained, escaped ----------------------------------------
"$kelisim" render signed.xml -o signed.html --trust "$pki/root.crt" || fail "render HTML"
xmllint --noout signed.html || fail "the HTML is not well-formed (as XML)"
# libxml2's HTML parser knows HTML 4 only: HTML5 elements are "invalid", nothing else may be.
errs=$(xmllint --html --noout signed.html 2>&1 | grep -a 'error' | grep -av 'Tag [a-z0-9]* invalid$')
[ -z "$errs" ] || fail "HTML parser errors: $errs"
if grep -aEio '(src|href|action|poster|data)[[:space:]]*=' signed.html | head -1 | grep -q .; then
  fail "the HTML refers to something: $(grep -aEio '(src|href)=[^ >]*' signed.html | head -3)"
fi
grep -aqiE '<script|url\(|@import|<link|<iframe|<object|<embed' signed.html \
  && fail "the HTML has a script or an external reference"
grep -aq '<svg xmlns="http://www.w3.org/2000/svg"' signed.html || fail "no inline SVG QR code"
grep -aqF "$payload" signed.html || fail "the HTML lacks the payload"
grep -aq 'name="viewport"' signed.html || fail "no viewport meta"
grep -aq '@media (max-width:700px)' signed.html || fail "no phone layout"
ok "the HTML is well-formed and self-contained"

sed 's/"name": "Серікбаев Арман Қайратұлы"/"name": "Ann <img src=x onerror=alert(1)> \\"O'"'"'Hara\\" \& <b>Co<\/b>"/' \
  "$examples/consent.json" > hostile.json
"$kelisim" new hostile.json -o hostile.xml || fail "new hostile.xml"
"$kelisim" render hostile.xml -o hostile.html || fail "render hostile.html"
grep -aq '<img\|<b>Co' hostile.html && fail "the hostile name reached the HTML as markup"
grep -aqF 'Ann &lt;img src=x onerror=alert(1)&gt; &quot;O&#39;Hara&quot; &amp; &lt;b&gt;Co&lt;/b&gt;' hostile.html \
  && ok "a hostile name is escaped" || fail "the hostile name is not escaped as expected"
xmllint --noout hostile.html || fail "hostile.html is not well-formed"
"$kelisim" render hostile.xml -o hostile.pdf || fail "render hostile.pdf"
pdftotext hostile.pdf - | grep -qF "Ann <img src=x onerror=alert(1)> \"O'Hara\" & <b>Co</b>" \
  && ok "the PDF shows the hostile name as text" || fail "the PDF does not show the name as written"

# ---- 6. failures write nothing --------------------------------------------------------------
echo precious > keep.pdf
printf '<ConsentDocument xmlns="urn:kelisim:consent:1"/>' > bad.xml
"$kelisim" render bad.xml -o keep.pdf 2>/dev/null; rc=$?
[ "$rc" = 2 ] || fail "an invalid document gives exit $rc, expected 2"
[ "$(cat keep.pdf)" = precious ] || fail "a refused document replaced the output file"
"$kelisim" render signed.xml -o keep.pdf --trust /nonexistent/root.crt 2>/dev/null; rc=$?
[ "$rc" = 1 ] || fail "unreadable trust anchors give exit $rc, expected 1"
[ "$(cat keep.pdf)" = precious ] || fail "a failed rendering replaced the output file"
ls -a | grep -q '^\.keep\.pdf\.' && fail "a temporary file was left behind"
ok "failures leave the output untouched"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all render checks passed"
