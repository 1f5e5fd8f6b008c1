#!/usr/bin/env bash
# The libraries only some commands need (cairo, pango, zbar, libpq: dynload.h) are not
# linked into libkelisim.so and are not mapped when the tool starts, so `kelisim sign` and
# `verify` do not pay for them. (Rendering, scanning and PostgreSQL loading them on first
# use is covered by the render, QR and store tests.)
#   check-startup-libs.sh KELISIM_BINARY LIBKELISIM_SO
set -euo pipefail
tool=${1:?kelisim binary}; lib=${2:?libkelisim.so}
optional='libcairo|libpango|libpangocairo|libzbar|libpq|libgobject|libglib|libfontconfig'
status=0

needed=$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
if grep -E "^($optional)" <<<"$needed"; then
  echo "FAIL: $lib links the libraries above; they must be loaded on first use" >&2
  status=1
fi
mapped=$(LD_DEBUG=files "$tool" --version 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\).*/\1/p' | sort -u)
if grep -E "^($optional)" <<<"$mapped"; then
  echo "FAIL: 'kelisim --version' maps the libraries above at start-up" >&2
  status=1
fi
count=$(grep -c . <<<"$mapped" || true)
[ "$status" = 0 ] && echo "ok: $count libraries mapped at start-up, none of the optional ones"
exit "$status"
