#!/bin/sh
# Checks the twelve kelisim templates (templates/TYPE/LANG.xsl).
#
# Needs only xsltproc and xmllint (plus sed, grep, cmp, mktemp). Builds its input
# documents from tests/fixtures/content-consent.xml with sed in a temporary directory,
# renders each template against the inputs of its type, and checks that:
#   - the stylesheet file is UTF-8 with LF line endings and a final newline, carries a
#     kt:template element with the right name/version/type/lang, declares the required
#     xsl:output and xsl:strip-space, and uses none of the forbidden constructs;
#   - xsltproc succeeds and the result is exactly one urn:kelisim:consent:1 Text element
#     with the right xml:lang, whose children are a first Title and then only
#     Heading/Para/Item elements holding plain text;
#   - a ConsentDocument built around it validates against schemas/kelisim-consent-1.xsd;
#   - the text names the operator, the processor (name, BIN, address), every action in
#     Terms/Actions, the storage location and country, the recipients, the issue time and,
#     for a withdrawal, the withdrawn document's id;
#   - there are no rendering artefacts (NaN, double spaces, a blank before a comma or
#     full stop, empty brackets) and that rendering twice gives identical bytes;
#   - the helper section is identical in the four stylesheets of each language.
# Prints one line per failed check and a closing "N passed, N failed" line; exits
# non-zero if anything failed. Set KEEP=1 to keep the temporary directory.

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
fixture="$root/tests/fixtures/content-consent.xml"
schema="$root/schemas/kelisim-consent-1.xsd"
NS='urn:kelisim:consent:1'

for tool in xsltproc xmllint; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check-templates: $tool is not installed" >&2
    exit 2
  fi
done
for f in "$fixture" "$schema"; do
  if [ ! -f "$f" ]; then
    echo "check-templates: missing $f" >&2
    exit 2
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/kelisim-templates.XXXXXX") || exit 2
if [ "${KEEP:-0}" = 1 ]; then
  echo "check-templates: keeping $work"
else
  trap 'rm -rf "$work"' EXIT
  trap 'exit 1' HUP INT TERM
fi

passed=0
failed=0
# One check per call: ok "description" or fail "description".
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# xpath FILE EXPR: the string value of EXPR (empty when nothing matches).
xpath() { xmllint --xpath "$2" "$1" 2>/dev/null || true; }

# --- inputs ------------------------------------------------------------------

in="$work/in"
mkdir -p "$in"

# The fixture as it is: representative, Period From/Until, CrossBorder allowed with two
# recipients (DE, NL), ThirdParties false, storage in KZ, SMS code, clerk.
cp "$fixture" "$in/full.xml"

# No representative or phone, until the purpose is achieved (no From), no cross-border
# transfer, third parties and public sources allowed, three languages, EDS, no clerk.
sed -e '/<Representative>/,/<\/Representative>/d' \
    -e '/<Phone>/d' \
    -e '/<From>/d' \
    -e 's#<Until>[^<]*</Until>#<UntilPurposeAchieved/>#' \
    -e 's#<CrossBorder Allowed="true">#<CrossBorder Allowed="false">#' \
    -e '/<Recipient /d' \
    -e 's#<ThirdParties>false#<ThirdParties>true#' \
    -e 's#<PublicSources>false#<PublicSources>true#' \
    -e 's#<Languages>kk ru</Languages>#<Languages>kk ru en</Languages>#' \
    -e 's#<Method>sms-otp</Method>#<Method>eds</Method>#' \
    -e '/<Clerk>/d' \
    "$fixture" > "$in/plain.xml"

# No processor, storage abroad, a recipient in a country without a name in the templates
# (JP: the code itself is printed), no jurisdiction, one language, web capture, no email.
sed -e '/<Processor>/,/<\/Processor>/d' \
    -e 's#Country="NL"#Country="JP"#' \
    -e '/<Email>/d' \
    -e 's#<Storage Country="KZ">#<Storage Country="DE">#' \
    -e 's#<Location>[^<]*</Location>#<Location>Frankfurt am Main, data centre FRA-3</Location>#' \
    -e '/<Jurisdiction>/d' \
    -e 's#<Languages>kk ru</Languages>#<Languages>kk</Languages>#' \
    -e 's#<Method>sms-otp</Method>#<Method>web</Method>#' \
    "$fixture" > "$in/noproc.xml"

# Transfer notice with only the data, actions and storage (abroad) in Terms (no purposes).
sed -e '/<Representative>/,/<\/Representative>/d' \
    -e 's#<Storage Country="KZ">#<Storage Country="FI">#' \
    -e 's#<Location>[^<]*</Location>#<Location>Helsinki, data centre HEL-1</Location>#' \
    -e '/<Purposes>/,/<\/Purposes>/d' \
    -e '/<ThirdParties>/d' \
    -e '/<CrossBorder /,/<\/CrossBorder>/d' \
    -e '/<PublicSources>/d' \
    -e '/<Period>/,/<\/Period>/d' \
    -e '/<WithdrawalMethod>/d' \
    -e '/<Jurisdiction>/d' \
    -e 's#<DocumentType>consent</DocumentType>#<DocumentType>transfer-notice</DocumentType>#' \
    "$fixture" > "$in/notice.xml"

# Withdrawals: RefersTo in the header, no Terms; with and without processor and
# representative; one that keeps Terms.
refers='019ab4c2-8e10-7a3c-9f21-5d6e7f8a9b0c'
wd_id='019ab4d0-1234-7abc-8def-0123456789ab'
to_withdrawal() {
  sed -e 's#<DocumentType>consent</DocumentType>#<DocumentType>withdrawal</DocumentType>#' \
      -e "s#<DocumentId>[^<]*</DocumentId>#<DocumentId>$wd_id</DocumentId>#" \
      -e "s#\\(<Template Lang=\"ru\"[^>]*/>\\)#\\1<RefersTo>$refers</RefersTo>#" \
      -e 's#<Method>sms-otp</Method>#<Method>in-person</Method>#' \
      -e 's#<Channel>[^<]*</Channel>#<Channel>Алматы қ., Абай даңғылы 10, клиенттерге қызмет көрсету бөлімі</Channel>#' \
      -e 's#<Clerk>[^<]*</Clerk>#<Clerk>Нұрланова Айгерім</Clerk>#' \
      -e '/<Evidence>/,/<\/Evidence>/d' \
      "$@"
}
to_withdrawal -e '/<Processor>/,/<\/Processor>/d' \
              -e '/<Representative>/,/<\/Representative>/d' \
              -e '/<Terms>/,/<\/Terms>/d' "$fixture" > "$in/wd.xml"
to_withdrawal -e '/<Terms>/,/<\/Terms>/d' "$fixture" > "$in/wd-proc.xml"
to_withdrawal "$fixture" > "$in/wd-terms.xml"

# An evidence statement (DPA clause 4.8): no subject, terms or capture; a Statement with the
# processor's request, one subject with a consent and a notice, and one with both gaps.
sed -e '/<Subject>/,/<\/Subject>/d' \
    -e '/<Terms>/,/<\/Terms>/d' \
    -e '/<Capture>/,/<\/Capture>/d' \
    -e 's#<DocumentType>consent</DocumentType>#<DocumentType>evidence-statement</DocumentType>#' \
    -e 's#</Content>#<Statement><Request><Reference>Bitrix24 2026/114</Reference><Received>2026-11-20</Received><Due>2026-11-25</Due></Request><Scope Kind="request"/><Part Number="1" Of="1"/><Manifest SHA256="5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"/><Entry><IIN>900101300007</IIN><FullName>Серікбаев Арман Қайратұлы</FullName><LawfulBasis DocumentId="019ab4c2-8e10-7a3c-9f21-5d6e7f8a9b0c" Date="2026-11-18"/><TransferNotice DocumentId="019ab4c2-9e10-7a3c-9f21-5d6e7f8a9b0c" Date="2026-11-18"/><Status>ConsentGiven</Status></Entry><Entry><IIN>900101300027</IIN><Gap>no-consent-in-force</Gap><Gap>no-transfer-notice</Gap><Status>ConsentUnknown</Status></Entry></Statement>\n</Content>#' \
    "$fixture" > "$in/statement.xml"

# A Content without Text is not schema-valid on its own; the inputs are validated as part
# of the wrapped documents below. Here: well-formed, and every sed edit took effect.
for f in "$in"/*.xml; do
  if xmllint --noout "$f" 2>/dev/null; then ok; else fail "generated input $(basename "$f") is not well-formed"; fi
  if [ "$f" = "$in/full.xml" ] || ! cmp -s "$f" "$fixture"; then ok; else
    fail "generated input $(basename "$f") equals the fixture; is the fixture still as expected?"; fi
done
expect_input() { # NAME XPATH-EXPR DESCRIPTION
  if [ "$(xpath "$in/$1.xml" "boolean($2)")" = true ]; then ok; else
    fail "generated input $1.xml: $3; is the fixture still as expected?"; fi
}

# --- expected wording ----------------------------------------------------------

action_text() { # LANG CODE
  case "$1:$2" in
    kk:collect) echo 'Жинау (жинақтау)' ;;
    kk:store) echo 'Сақтау' ;;
    kk:provide) echo 'Оператор тиісті функцияны таңдаған кезде беру (ұсыну, қолжетімділік беру)' ;;
    kk:delete) echo 'Жою (өшіру)' ;;
    ru:collect) echo 'Сбор (накопление)' ;;
    ru:store) echo 'Хранение' ;;
    ru:provide) echo 'Передача (предоставление, доступ) при выборе Оператором соответствующей функции' ;;
    ru:delete) echo 'Удаление (уничтожение)' ;;
    en:collect) echo 'Collection (accumulation)' ;;
    en:store) echo 'Storage' ;;
    en:provide) echo 'Provision (transfer, access) when the Operator selects the relevant function' ;;
    en:delete) echo 'Deletion (destruction)' ;;
  esac
}

country_text() { # LANG CODE (only the codes the inputs use)
  case "$1:$2" in
    kk:KZ) echo 'Қазақстан Республикасы' ;;
    kk:DE) echo 'Германия' ;;
    kk:NL) echo 'Нидерланд' ;;
    kk:FI) echo 'Финляндия' ;;
    ru:KZ) echo 'Республика Казахстан' ;;
    ru:DE) echo 'Германия' ;;
    ru:NL) echo 'Нидерланды' ;;
    ru:FI) echo 'Финляндия' ;;
    en:KZ) echo 'the Republic of Kazakhstan' ;;
    en:DE) echo 'Germany' ;;
    en:NL) echo 'the Netherlands' ;;
    en:FI) echo 'Finland' ;;
    *) echo "$2" ;;
  esac
}

issued_text() { # LANG (all inputs are issued at 2026-11-25T09:15:00Z)
  case "$1" in
    kk) echo '2026 жылғы 25 қараша, 09:15 (UTC)' ;;
    ru) echo '25 ноября 2026 г., 09:15 (UTC)' ;;
    en) echo '25 November 2026, 09:15 UTC' ;;
  esac
}

# contains FILE TEXT WHAT: TEXT occurs in FILE.
contains() {
  if grep -qF -- "$2" "$1"; then ok; else fail "$3: missing \"$2\""; fi
}

# E(expr) for an element path in the consent namespace, e.g. E Processor/Name.
E() {
  printf '/*'
  old_ifs=$IFS; IFS=/
  for step in $1; do printf "/*[local-name()='%s']" "$step"; done
  IFS=$old_ifs
}

expect_input full "count($(E Subject/Representative))=1 and count($(E Terms/CrossBorder)/*)=2 and count($(E Processor))=1" "representative, two recipients and a processor expected"
expect_input plain "count($(E Subject/Representative))=0 and count($(E Terms/Period/UntilPurposeAchieved))=1 and count($(E Terms/Period/From))=0 and $(E Terms/CrossBorder)/@Allowed='false' and $(E Terms/ThirdParties)='true' and $(E Header/Languages)='kk ru en'" "variant edits missing"
expect_input noproc "count($(E Processor))=0 and $(E Terms/Storage)/@Country='DE' and count($(E Terms/Jurisdiction))=0 and $(E Terms/CrossBorder)/*[2]/@Country='JP'" "variant edits missing"
expect_input notice "$(E Terms/Storage)/@Country='FI' and count($(E Terms/Purposes))=0 and count($(E Terms/Actions/Action))=4 and count($(E Terms/Storage))=1" "variant edits missing"
expect_input wd "count($(E Header/RefersTo))=1 and count($(E Terms))=0 and count($(E Processor))=0" "variant edits missing"
expect_input wd-proc "count($(E Header/RefersTo))=1 and count($(E Terms))=0 and count($(E Processor))=1 and count($(E Subject/Representative))=1" "variant edits missing"
expect_input statement "count($(E Subject))=0 and count($(E Terms))=0 and count($(E Capture))=0 and count($(E Statement/Entry))=2" "variant edits missing"
expect_input wd-terms "count($(E Header/RefersTo))=1 and count($(E Terms))=1" "variant edits missing"

# --- the stylesheet files ------------------------------------------------------------

check_file() { # TYPE LANG
  xsl="$here/$1/$2.xsl"
  what="$1/$2.xsl"
  if [ ! -f "$xsl" ]; then fail "$what: missing"; return 1; fi
  if xmllint --noout "$xsl" 2>/dev/null; then ok; else fail "$what: not well-formed XML"; return 1; fi
  if head -n 1 "$xsl" | grep -q '^<?xml version="1.0" encoding="UTF-8"?>$'; then ok; else
    fail "$what: first line must be the UTF-8 XML declaration"; fi
  if grep -q "$(printf '\r')" "$xsl"; then fail "$what: has CR characters (LF line endings only)"; else ok; fi
  if [ "$(tail -c 1 "$xsl" | od -An -c | tr -d ' ')" = '\n' ]; then ok; else fail "$what: no final newline"; fi
  meta="/*/*[local-name()='template' and namespace-uri()='urn:kelisim:template:1']"
  if [ "$(xpath "$xsl" "count($meta)")" = 1 ]; then ok; else fail "$what: needs exactly one top-level kt:template"; fi
  for pair in "name=$1.$2" "version=1" "type=$1" "lang=$2"; do
    attr=${pair%%=*}; want=${pair#*=}
    got=$(xpath "$xsl" "string($meta/@$attr)")
    if [ "$got" = "$want" ]; then ok; else fail "$what: kt:template/@$attr is \"$got\", want \"$want\""; fi
  done
  xs="namespace-uri()='http://www.w3.org/1999/XSL/Transform'"
  if [ "$(xpath "$xsl" "boolean(/*[$xs and @version='1.0'])")" = true ]; then ok; else
    fail "$what: root must be xsl:stylesheet version=\"1.0\""; fi
  if [ "$(xpath "$xsl" "boolean(/*/*[$xs and local-name()='output' and @method='xml' and @encoding='UTF-8' and @indent='no'])")" = true ]; then ok; else
    fail "$what: needs <xsl:output method=\"xml\" encoding=\"UTF-8\" indent=\"no\"/>"; fi
  if [ "$(xpath "$xsl" "boolean(/*/*[$xs and local-name()='strip-space' and @elements='*'])")" = true ]; then ok; else
    fail "$what: needs <xsl:strip-space elements=\"*\"/>"; fi
  if [ "$(xpath "$xsl" "count(//*[$xs and (local-name()='include' or local-name()='import' or local-name()='message' or local-name()='fallback')])")" = 0 ]; then ok; else
    fail "$what: uses xsl:include, xsl:import, xsl:message or xsl:fallback"; fi
  if [ "$(xpath "$xsl" "count(//@disable-output-escaping | //@extension-element-prefixes | //@*[local-name()='extension-element-prefixes'])")" = 0 ]; then ok; else
    fail "$what: uses disable-output-escaping or extension elements"; fi
  if grep -qE 'document\(|<!DOCTYPE|<!ENTITY|exslt|saxon|xalan|msxsl|current-date|generate-id|system-property' "$xsl"; then
    fail "$what: uses a forbidden or non-deterministic construct"
  else ok; fi
  ns_count=$(grep -c 'xmlns' "$xsl")
  if [ "$ns_count" = 4 ]; then ok; else
    fail "$what: declares $ns_count namespaces; only xsl, the default, c and kt are expected"; fi
}

# --- rendering -------------------------------------------------------------------

check_render() { # TYPE LANG INPUT-NAME
  type=$1; lang=$2; name=$3
  xsl="$here/$type/$lang.xsl"
  input="$in/$name.xml"
  out="$work/out/$type.$lang.$name.xml"
  what="$type/$lang.xsl on $name"
  mkdir -p "$work/out"

  if xsltproc --nonet "$xsl" "$input" > "$out" 2> "$out.err" && [ -s "$out" ]; then ok; else
    fail "$what: xsltproc failed: $(head -c 300 "$out.err")"; return; fi
  if [ ! -s "$out.err" ]; then ok; else fail "$what: xsltproc wrote to stderr: $(head -c 300 "$out.err")"; fi
  if xsltproc --nonet "$xsl" "$input" 2>/dev/null | cmp -s - "$out"; then ok; else
    fail "$what: two renderings differ"; fi

  # Exactly one Text element in the namespace, right language, plain-text children.
  checks="
count(/node())=1
local-name(/*)='Text'
namespace-uri(/*)='$NS'
string(/*/@xml:lang)='$lang'
count(/*/@*)=1
count(/*/node()[not(self::*)])=0
count(/*/*[namespace-uri()!='$NS' or not(local-name()='Title' or local-name()='Heading' or local-name()='Para' or local-name()='Item')])=0
local-name(/*/*[1])='Title'
count(/*/*[local-name()='Title'])=1
count(/*/*)>1
count(/*/*/*)=0
count(/*/*/@*)=0
count(/*/*/comment()|/*/*/processing-instruction())=0
count(/*/*[normalize-space(.)=''])=0
count(/*/*[local-name()='Title' or local-name()='Heading'][string(.)!=normalize-space(.)])=0"
  echo "$checks" | while IFS= read -r c; do
    [ -n "$c" ] || continue
    if [ "$(xpath "$out" "boolean($c)")" = true ]; then echo ok; else echo "FAIL: $what: output fails $c"; fi
  done > "$out.shape"
  while IFS= read -r line; do
    if [ "$line" = ok ]; then ok; else failed=$((failed + 1)); echo "$line"; fi
  done < "$out.shape"

  # Wrap the Text into a full document and validate it against the schema.
  doc="$work/out/$type.$lang.$name.doc.xml"
  docid=$(xpath "$input" "string($(E Header/DocumentId))")
  doctype=$(xpath "$input" "string($(E Header/DocumentType))")
  {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n'
    printf '<ConsentDocument xmlns="%s" Id="%s" Type="%s">\n' "$NS" "$docid" "$doctype"
    sed -e '1{/^<?xml/d;}' -e '/<\/Content>/,$d' "$input"
    sed -e '1{/^<?xml/d;}' "$out"
    printf '</Content>\n<Verification Id="v1"/>\n<Signatures/>\n</ConsentDocument>\n'
  } > "$doc"
  if xmllint --noout --schema "$schema" "$doc" 2> "$doc.err"; then ok; else
    fail "$what: wrapped document is not schema-valid: $(grep -v 'validate$' "$doc.err" | head -1)"; fi

  # What the text must name.
  text="$work/out/$type.$lang.$name.txt"
  xpath "$out" "string(/*)" > "$text"
  contains "$text" "$(xpath "$input" "normalize-space($(E Operator/Name))")" "$what: operator name"
  contains "$text" "$(xpath "$input" "string($(E Operator/BIN))")" "$what: operator BIN"
  contains "$text" "$(issued_text "$lang")" "$what: issue time"
  contains "$text" "$(xpath "$input" "string($(E Header/DocumentId))")" "$what: document id"
  if [ "$(xpath "$input" "count($(E Processor))")" = 1 ]; then
    for part in Name BIN Address; do
      contains "$text" "$(xpath "$input" "normalize-space($(E Processor/$part))")" "$what: processor $part"
    done
  fi
  n=$(xpath "$input" "count($(E Terms/Actions/Action))")
  i=1
  while [ "$i" -le "${n:-0}" ]; do
    code=$(xpath "$input" "normalize-space($(E Terms/Actions/Action)[$i])")
    contains "$text" "$(action_text "$lang" "$code")" "$what: action $code"
    i=$((i + 1))
  done
  if [ "$(xpath "$input" "count($(E Terms/Storage))")" = 1 ]; then
    contains "$text" "$(xpath "$input" "normalize-space($(E Terms/Storage/Location))")" "$what: storage location"
    contains "$text" "$(country_text "$lang" "$(xpath "$input" "string($(E Terms/Storage)/@Country)")")" "$what: storage country"
  fi
  n=$(xpath "$input" "count($(E Terms/DataCategories/Data))")
  i=1
  while [ "$i" -le "${n:-0}" ]; do
    contains "$text" "$(xpath "$input" "normalize-space($(E Terms/DataCategories/Data)[$i])")" "$what: data item $i"
    i=$((i + 1))
  done
  if [ "$type" = consent ] || [ "$type" = cross-border-consent ]; then
    n=$(xpath "$input" "count($(E Terms/CrossBorder)[@Allowed='true']/*[local-name()='Recipient'])")
    i=1
    while [ "$i" -le "${n:-0}" ]; do
      r="$(E Terms/CrossBorder)/*[local-name()='Recipient'][$i]"
      rname=$(xpath "$input" "normalize-space($r/*[local-name()='Name'])")
      rcountry=$(country_text "$lang" "$(xpath "$input" "string($r/@Country)")")
      contains "$text" "$rname — $rcountry" "$what: recipient $i"
      i=$((i + 1))
    done
    n=$(xpath "$input" "count($(E Terms/Purposes/Purpose))")
    i=1
    while [ "$i" -le "${n:-0}" ]; do
      contains "$text" "$(xpath "$input" "normalize-space($(E Terms/Purposes/Purpose)[$i])")" "$what: purpose $i"
      i=$((i + 1))
    done
  fi
  if [ "$type" = withdrawal ]; then
    contains "$text" "$(xpath "$input" "string($(E Header/RefersTo))")" "$what: withdrawn document id"
  fi
  if [ "$type" = evidence-statement ]; then
    contains "$text" "$(xpath "$input" "normalize-space($(E Statement/Request/Reference))")" "$what: request reference"
    contains "$text" "019ab4c2-8e10-7a3c-9f21-5d6e7f8a9b0c" "$what: lawful basis document"
    contains "$text" "019ab4c2-9e10-7a3c-9f21-5d6e7f8a9b0c" "$what: transfer notice document"
    contains "$text" "900101300027" "$what: subject with gaps"
    contains "$text" "4.8" "$what: clause 4.8"
  fi
  if [ "$(xpath "$input" "count($(E Subject/Representative))")" = 1 ]; then
    contains "$text" "$(xpath "$input" "normalize-space($(E Subject/Representative/FullName))")" "$what: representative"
    contains "$text" "$(xpath "$input" "normalize-space($(E Subject/Representative/Basis))")" "$what: representative's basis"
  fi
  contains "$text" "$(xpath "$input" "normalize-space($(E Subject/FullName))")" "$what: subject name"
  contains "$text" "$(xpath "$input" "string($(E Subject/IIN))")" "$what: subject IIN"

  # Rendering artefacts.
  if grep -qE 'NaN|  | [.,;:]|\(\)|\( | \)|\.\.' "$out"; then
    fail "$what: rendering artefact: $(grep -oE '.{0,30}(NaN|  | [.,;:]|\(\)|\( | \)|\.\.).{0,30}' "$out" | head -1)"
  else ok; fi
}

for type in consent transfer-notice cross-border-consent withdrawal evidence-statement; do
  case "$type" in
    evidence-statement) inputs='statement' ;;
    consent|cross-border-consent) inputs='full plain noproc' ;;
    transfer-notice) inputs='full plain noproc notice' ;;
    withdrawal) inputs='wd wd-proc wd-terms' ;;
  esac
  for lang in kk ru en; do
    if check_file "$type" "$lang"; then
      for name in $inputs; do
        check_render "$type" "$lang" "$name"
      done
    fi
  done
done

# The helper section (from the "==== ... helpers" banner to the end) must be the same in
# the four stylesheets of one language, so that a fix reaches every document type.
for lang in kk ru en; do
  first=''
  for type in consent transfer-notice cross-border-consent withdrawal evidence-statement; do
    xsl="$here/$type/$lang.xsl"
    [ -f "$xsl" ] || continue
    sed -n '/<!-- =====/,$p' "$xsl" > "$work/helpers.$type.$lang"
    if [ ! -s "$work/helpers.$type.$lang" ]; then fail "$type/$lang.xsl: no helper section banner"; continue; fi
    if [ -z "$first" ]; then first=$type; ok; continue; fi
    if cmp -s "$work/helpers.$first.$lang" "$work/helpers.$type.$lang"; then ok; else
      fail "$type/$lang.xsl: helper section differs from $first/$lang.xsl"; fi
  done
done

echo "templates: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
