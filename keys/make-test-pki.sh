#!/usr/bin/env bash
#
# make-test-pki.sh - build a throw-away TEST PKI for the kelisim test suite.
#
# Usage: keys/make-test-pki.sh [OUTPUT_DIR] [--force]
#
#   OUTPUT_DIR  where to write the files (default: ./test-pki)
#   --force     wipe OUTPUT_DIR first if it already holds an earlier test PKI
#
# Environment:
#   KELISIM_TEST_PASS  passphrase for the encrypted keys and PKCS#12 files
#                      (default: kelisim-test). It is written to
#                      OUTPUT_DIR/passphrase.txt and handed to openssl only
#                      through "file:", so it never shows up in argv / ps.
#
# Everything made here is TEST MATERIAL ONLY: the keys are disposable and must
# never be committed, trusted or used for real documents. Needs the openssl
# command-line tool of OpenSSL 3.x (written against 3.0 on Debian 12).
#
set -euo pipefail

# ---------------------------------------------------------------------------
# Identities used in the certificates (change here if needed).
# All three pass the IIN/BIN check-digit rule; the BIN and the subject IIN
# are the ones used in schemas/examples/ and tests/fixtures/.
OPERATOR_BIN="990340000004"          # operator's business ID (BIN)
SUBJECT_IIN="900101300007"           # data subject's individual ID (IIN)
CLERK_IIN="850505400018"             # clerk's IIN
OPERATOR_ORG="Test Operator LLP"

DEFAULT_PASS="kelisim-test"

ROOT_DAYS=3650                       # 10 years
INTERMEDIATE_DAYS=1825               # 5 years
EE_DAYS=730                          # 2 years
EXPIRED_START="20200101000000Z"      # validity window of the "expired" cert
EXPIRED_END="20210101000000Z"

MARKER=".kelisim-test-pki"           # lets --force recognise our own output
# ---------------------------------------------------------------------------

prog=${0##*/}

usage() {
    cat <<EOF
Usage: $prog [OUTPUT_DIR] [--force]

Creates a throw-away test PKI (root CA, intermediate CA, end-entity keys,
certificates and PKCS#12 files) in OUTPUT_DIR (default: ./test-pki).

  --force     replace OUTPUT_DIR if it holds an earlier output of this script
  -h, --help  show this help

The passphrase is taken from \$KELISIM_TEST_PASS (default: $DEFAULT_PASS)
and saved in OUTPUT_DIR/passphrase.txt (mode 0600).
EOF
}

die() {
    printf '%s: error: %s\n' "$prog" "$*" >&2
    exit 1
}

# ---- arguments -------------------------------------------------------------
OUT=""
FORCE=0
for arg in "$@"; do
    case $arg in
        --force|-f) FORCE=1 ;;
        -h|--help)  usage; exit 0 ;;
        -*)         usage >&2; die "unknown option: $arg" ;;
        *)
            [ -z "$OUT" ] || die "only one output directory may be given"
            OUT=$arg
            ;;
    esac
done
OUT=${OUT:-./test-pki}

# ---- preconditions ---------------------------------------------------------
PASS=${KELISIM_TEST_PASS:-$DEFAULT_PASS}
# Keep it out of the environment of the openssl processes as well.
unset KELISIM_TEST_PASS
case $PASS in
    *"
"*) die "KELISIM_TEST_PASS must not contain a newline" ;;
esac
[ "${#PASS}" -ge 4 ] || die "KELISIM_TEST_PASS must be at least 4 characters"

command -v openssl >/dev/null 2>&1 || die "openssl not found in PATH"
case $(openssl version) in
    "OpenSSL 3."*) ;;
    *) die "OpenSSL 3.x is required (found: $(openssl version))" ;;
esac

if [ -e "$OUT" ] && [ ! -d "$OUT" ]; then
    die "$OUT exists and is not a directory"
fi
if [ -d "$OUT" ] && [ -n "$(ls -A "$OUT")" ]; then
    if [ "$FORCE" -ne 1 ]; then
        die "$OUT is not empty; use --force to replace it"
    fi
    # Safety net: only ever wipe a directory this script made itself.
    if [ ! -f "$OUT/$MARKER" ]; then
        die "$OUT is not empty and was not made by $prog (no $MARKER); remove it by hand"
    fi
    rm -rf -- "$OUT"
fi

# Everything is created private; public files are opened up at the end.
umask 077
mkdir -p -- "$OUT"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kelisim-pki.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT

PASSFILE="$OUT/passphrase.txt"
# printf is a shell builtin: the passphrase does not reach any argv.
printf '%s' "$PASS" >"$PASSFILE"
unset PASS
chmod 600 "$PASSFILE"

printf 'kelisim test PKI made by keys/%s - TEST MATERIAL ONLY, never trust or commit.\n' \
    "$prog" >"$OUT/$MARKER"

# ---- helpers ---------------------------------------------------------------

# Run a command quietly; show its output only if it fails.
run() {
    if ! "$@" >"$WORK/log" 2>&1; then
        cat "$WORK/log" >&2
        die "command failed: $1 $2"
    fi
}

# A fresh random 128-bit serial number.
new_serial() {
    printf '0x%s' "$(openssl rand -hex 16)"
}

# genkey NAME ALG   (ALG: P-256, P-384, RSA-1024, RSA-2048, RSA-3072)
# Writes NAME.key as unencrypted PKCS#8 PEM.
genkey() {
    local name=$1 alg=$2
    case $alg in
        P-256|P-384)
            run openssl genpkey -algorithm EC \
                -pkeyopt "ec_paramgen_curve:$alg" \
                -pkeyopt ec_param_enc:named_curve \
                -out "$OUT/$name.key"
            ;;
        RSA-*)
            run openssl genpkey -algorithm RSA \
                -pkeyopt "rsa_keygen_bits:${alg#RSA-}" \
                -out "$OUT/$name.key"
            ;;
        *) die "internal: unknown key algorithm $alg" ;;
    esac
    chmod 600 "$OUT/$name.key"
}

# csr NAME SUBJECT
csr() {
    run openssl req -new -config "$CNF" -key "$OUT/$1.key" -subj "$2" \
        -out "$WORK/$1.csr"
}

# sign NAME ISSUER DAYS DIGEST EXT_SECTION
# Issues NAME.crt from WORK/NAME.csr, signed by ISSUER.crt/ISSUER.key.
sign() {
    local name=$1 issuer=$2 days=$3 md=$4 ext=$5
    run openssl x509 -req -in "$WORK/$name.csr" \
        -CA "$OUT/$issuer.crt" -CAkey "$OUT/$issuer.key" \
        -set_serial "$(new_serial)" -days "$days" "-$md" \
        -extfile "$CNF" -extensions "$ext" \
        -out "$OUT/$name.crt"
}

# package NAME CHAINFILE
# Writes NAME.enc.key (encrypted PKCS#8) and NAME.p12 (key + cert + chain).
package() {
    local name=$1 chain=$2
    run openssl pkcs8 -topk8 -in "$OUT/$name.key" \
        -v2 aes-256-cbc -v2prf hmacWithSHA256 \
        -passout "file:$PASSFILE" -out "$OUT/$name.enc.key"
    chmod 600 "$OUT/$name.enc.key"
    run openssl pkcs12 -export -name "$name" \
        -inkey "$OUT/$name.key" -in "$OUT/$name.crt" -certfile "$chain" \
        -keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256 \
        -passout "file:$PASSFILE" -out "$OUT/$name.p12"
    chmod 600 "$OUT/$name.p12"
}

# end_entity NAME ALG SUBJECT
# A normal end-entity certificate under the intermediate CA.
end_entity() {
    genkey "$1" "$2"
    csr "$1" "$3"
    sign "$1" intermediate "$EE_DAYS" sha256 ee_ext
    package "$1" "$OUT/chain.pem"
}

# ---- OpenSSL configuration (extensions, and a minimal "ca" for backdating) --
CNF="$WORK/openssl.cnf"
mkdir "$WORK/ca" "$WORK/ca/newcerts"
: >"$WORK/ca/index.txt"
openssl rand -hex 16 >"$WORK/ca/serial"

cat >"$CNF" <<EOF
[ req ]
distinguished_name = req_dn
string_mask        = utf8only
utf8               = yes

[ req_dn ]

[ root_ext ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ intermediate_ext ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ ee_ext ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, nonRepudiation
extendedKeyUsage       = emailProtection
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ backdate_ca ]
database        = $WORK/ca/index.txt
new_certs_dir   = $WORK/ca/newcerts
serial          = $WORK/ca/serial
default_md      = sha256
policy          = policy_any
unique_subject  = no
email_in_dn     = no
copy_extensions = none

[ policy_any ]
countryName            = optional
organizationName       = optional
organizationalUnitName = optional
serialNumber           = optional
commonName             = supplied
EOF

# ---- root CA (ECDSA P-384) -------------------------------------------------
genkey root P-384
run openssl req -new -x509 -config "$CNF" -key "$OUT/root.key" \
    -subj "/C=KZ/O=Kelisim Test PKI/CN=Kelisim TEST Root CA" \
    -set_serial "$(new_serial)" -days "$ROOT_DAYS" -sha384 \
    -extensions root_ext -out "$OUT/root.crt"

# ---- intermediate CA (ECDSA P-256, pathlen:0) ------------------------------
genkey intermediate P-256
csr intermediate "/C=KZ/O=Kelisim Test PKI/CN=Kelisim TEST Intermediate CA"
sign intermediate root "$INTERMEDIATE_DAYS" sha384 intermediate_ext

cat "$OUT/intermediate.crt" "$OUT/root.crt" >"$OUT/chain.pem"
cat "$OUT/root.crt" "$OUT/intermediate.crt" >"$OUT/ca-bundle.pem"

# ---- end entities under the intermediate -----------------------------------
end_entity operator P-256 \
    "/C=KZ/O=$OPERATOR_ORG/OU=BIN $OPERATOR_BIN/CN=$OPERATOR_ORG seal"
end_entity clerk RSA-3072 \
    "/C=KZ/O=$OPERATOR_ORG/CN=Aigerim Clerk/serialNumber=IIN$CLERK_IIN"
end_entity subject P-256 \
    "/C=KZ/CN=Test Subject/serialNumber=IIN$SUBJECT_IIN"
end_entity operator-p384 P-384 \
    "/C=KZ/O=$OPERATOR_ORG/OU=BIN $OPERATOR_BIN/CN=$OPERATOR_ORG seal P-384"
end_entity clerk-rsa2048 RSA-2048 \
    "/C=KZ/O=$OPERATOR_ORG/CN=Test Clerk RSA-2048"
# A CA may certify a 1024-bit key. Verifiers refuse it only at security
# level 2 or higher, and that refusal is what the tests need.
end_entity weak-rsa1024 RSA-1024 \
    "/C=KZ/O=$OPERATOR_ORG/CN=Test Weak RSA-1024"

# "expired": OpenSSL 3.0's "x509 -req" cannot set explicit dates, "ca" can.
genkey expired P-256
csr expired "/C=KZ/O=$OPERATOR_ORG/CN=Test Expired Signer"
run openssl ca -batch -config "$CNF" -name backdate_ca \
    -cert "$OUT/intermediate.crt" -keyfile "$OUT/intermediate.key" \
    -in "$WORK/expired.csr" -startdate "$EXPIRED_START" -enddate "$EXPIRED_END" \
    -extfile "$CNF" -extensions ee_ext -md sha256 -preserveDN -notext \
    -out "$OUT/expired.crt"
package expired "$OUT/chain.pem"

# ---- a separate, untrusted hierarchy ---------------------------------------
genkey untrusted-root P-256
run openssl req -new -x509 -config "$CNF" -key "$OUT/untrusted-root.key" \
    -subj "/C=KZ/O=Kelisim Untrusted Test PKI/CN=Kelisim UNTRUSTED Test Root CA" \
    -set_serial "$(new_serial)" -days "$ROOT_DAYS" -sha256 \
    -extensions root_ext -out "$OUT/untrusted-root.crt"

genkey untrusted P-256
csr untrusted "/C=KZ/O=Untrusted Test Org/CN=Test Untrusted Signer"
sign untrusted untrusted-root "$EE_DAYS" sha256 ee_ext
package untrusted "$OUT/untrusted-root.crt"

# ---- permissions -----------------------------------------------------------
chmod 644 "$OUT"/*.crt "$OUT"/*.pem "$OUT/$MARKER"
chmod 600 "$OUT"/*.key "$OUT"/*.p12 "$PASSFILE"
chmod 755 "$OUT"

# ---- self-check ------------------------------------------------------------
fail=0
check_fail() {
    printf '%s: check FAILED: %s\n' "$prog" "$*" >&2
    fail=1
}

# verify CERT TRUST_ANCHOR UNTRUSTED|"" [extra openssl verify options...]
verify() {
    local cert=$1 anchor=$2 untrusted=$3
    shift 3
    set -- -x509_strict -purpose smimesign -CAfile "$anchor" \
        ${untrusted:+-untrusted "$untrusted"} "$@" "$cert"
    openssl verify "$@" >"$WORK/verify.log" 2>&1
}

for name in operator clerk subject operator-p384 clerk-rsa2048 weak-rsa1024; do
    verify "$OUT/$name.crt" "$OUT/root.crt" "$OUT/intermediate.crt" ||
        check_fail "$name.crt does not chain to root.crt: $(cat "$WORK/verify.log")"
done

# expired.crt must fail, and only because it has expired (error 10).
if verify "$OUT/expired.crt" "$OUT/root.crt" "$OUT/intermediate.crt"; then
    check_fail "expired.crt unexpectedly verifies"
elif ! grep -q 'error 10 at 0 depth' "$WORK/verify.log"; then
    check_fail "expired.crt failed for another reason: $(cat "$WORK/verify.log")"
fi

# weak-rsa1024 must be refused once a security level is enforced.
if verify "$OUT/weak-rsa1024.crt" "$OUT/root.crt" "$OUT/intermediate.crt" \
        -auth_level 2; then
    check_fail "weak-rsa1024.crt is accepted at auth_level 2"
fi

# untrusted.crt chains to its own root but not to the test root.
verify "$OUT/untrusted.crt" "$OUT/untrusted-root.crt" "" ||
    check_fail "untrusted.crt does not chain to untrusted-root.crt"
if verify "$OUT/untrusted.crt" "$OUT/root.crt" "$OUT/intermediate.crt"; then
    check_fail "untrusted.crt unexpectedly chains to root.crt"
fi

# Every PKCS#12 file must open with the passphrase file.
for name in operator clerk subject operator-p384 clerk-rsa2048 weak-rsa1024 \
            expired untrusted; do
    openssl pkcs12 -in "$OUT/$name.p12" -passin "file:$PASSFILE" \
        -noout >/dev/null 2>&1 ||
        check_fail "$name.p12 does not open with passphrase.txt"
done

# All serial numbers must differ.
dups=$(for c in "$OUT"/*.crt; do openssl x509 -in "$c" -noout -serial; done |
       sort | uniq -d)
[ -z "$dups" ] || check_fail "duplicate serial numbers: $dups"

[ "$fail" -eq 0 ] || die "self-check failed; the test PKI in $OUT is not usable"

# ---- summary -----------------------------------------------------------------
printf 'Test PKI written to %s (TEST ONLY - never commit or trust these keys):\n' "$OUT"
(cd "$OUT" && ls -l)
printf 'Self-check passed: chains verify, expired.crt is expired, untrusted.crt is outside the test root, all .p12 files open.\n'
