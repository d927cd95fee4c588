#!/usr/bin/env bash
# Debian packages the readout needs beyond PyPI: fonts with CJK glyphs (WeasyPrint
# draws 日本 with them) and poppler-utils (pdftoppm, to look at rendered pages).
# Pango, which WeasyPrint uses, ships with the base image; it is listed too.
set -u
need=()
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "dejavu" || need+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "note: missing system packages: ${need[*]} (install them with your package manager; continuing)" >&2
  exit 0
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
(apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}") >/dev/null 2>&1 \
  || echo "note: could not install ${need[*]}; non-Latin text may render as boxes" >&2
exit 0
