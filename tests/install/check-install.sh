#!/usr/bin/env bash
# Installs the built project into a temporary prefix and builds two consumers against it:
# one with pkg-config, one with CMake's find_package. Each must make a document. Also
# compiles every public header on its own with -pedantic -Werror.
# Usage: check-install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(realpath "$1"); src=$(realpath "$2")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(dirname "$(find "$prefix" -name 'libkelisim.so' | head -n1)")
export PKG_CONFIG_PATH="$libdir/pkgconfig"
export LD_LIBRARY_PATH="$libdir"

# Every public header compiles alone, strictly.
for h in "$prefix"/include/kelisim.h "$prefix"/include/kelisim/*.h; do
  rel=${h#"$prefix"/include/}
  printf '#include <%s>\n' "$rel" > "$tmp/header.c"
  cc -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$prefix/include" "$tmp/header.c" \
    || { echo "header $rel does not compile alone"; exit 1; }
done

# pkg-config consumer.
cc -std=c11 -Wall -Werror -o "$tmp/consumer-pc" "$src/tests/install/consumer.c" \
  $(pkg-config --cflags --libs kelisim)
"$tmp/consumer-pc" < "$src/schemas/examples/consent.json" | grep -q '^consent '

# CMake consumer.
cmake -S "$src/tests/install" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/cmake-build" >/dev/null
"$tmp/cmake-build/consumer" < "$src/schemas/examples/withdrawal.json" | grep -q '^withdrawal '

echo "install: headers, pkg-config and CMake consumers all work"
