#!/usr/bin/env bash
# Installs what blueprint-dsl needs from the operating system when it is missing:
# Graphviz (the `dot` binary) for SVG, PNG and PDF, a font with Arial's metrics for
# the drawing's text, and Chromium for the browser tests. Uses Debian's packages when
# running as root; otherwise says what to install.
set -euo pipefail

want=()
# The drawing names Arial. Where fontconfig finds neither it nor its metric twin
# Liberation Sans 2 (whose widths the drawing's table holds; the older Liberation draws
# some bold letters wider), Graphviz measures and draws another font: the SVG still fits
# its text, but differs from the ones committed, and the browser tests measure the wrong font.
if ! command -v dot >/dev/null 2>&1; then
  want+=(graphviz)
  # Without fontconfig yet, Graphviz brings it, and with it a font of its own choosing
  # (DejaVu) unless one that fits comes in the same install.
  command -v fc-match >/dev/null 2>&1 || want+=(fonts-liberation2)
fi
if command -v fc-match >/dev/null 2>&1 &&
   ! fc-match -f '%{family}|%{file}\n' Arial | grep -qiE '^arial|liberation2'; then
  want+=(fonts-liberation2)
fi
# The browser tests draw Thai and Devanagari, whose widths the glyph table holds as the
# fonts made for them draw them, and emoji; without a font for them, the browser draws a
# box for each letter.
script_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list ":lang=$1" family)" ]; }
case "${1:-}" in
  --browser)
    command -v chromium >/dev/null 2>&1 || want+=(chromium)
    script_font th || want+=(fonts-tlwg-loma-ttf)
    script_font hi || want+=(fonts-lohit-deva)
    script_font und-zsye || want+=(fonts-noto-color-emoji)
    ;;
  --plantuml) command -v plantuml >/dev/null 2>&1 || want+=(plantuml) ;;
esac
[ ${#want[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing ${want[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
else
  echo "setup: please install ${want[*]} (e.g. sudo apt-get install ${want[*]})" >&2
  exit 1
fi
