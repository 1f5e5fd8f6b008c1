#!/usr/bin/env bash
# Installs the Debian 12 packages kelisim needs to build, test and run, if any is missing.
# Sourced or run by scripts/run-demo and scripts/run-tests; needs root only when something
# has to be installed.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  openssl libssl-dev
  libxml2-dev libxml2-utils libxslt1-dev xsltproc
  libxmlsec1-dev libxmlsec1-openssl xmlsec1
  libjansson-dev
  check libsubunit-dev
  # fuzzing: clang with its libFuzzer runtime
  clang libclang-rt-14-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql
  # evidence: the ASiC-E bundle is a ZIP written and read with libzip; unzip for its tests
  libzip-dev unzip
  libqrencode-dev libpng-dev libzbar-dev libcairo2-dev fonts-dejavu-core
  # render: pango for the PDF text (DejaVu has every Kazakh letter); poppler and zbar
  # read the rendered pages back in tests/render/check-render.sh
  libpango1.0-dev libfontconfig-dev poppler-utils zbar-tools
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "kelisim: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "kelisim: these packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
