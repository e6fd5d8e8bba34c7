#!/usr/bin/env bash
# Renders the app icons in icons/ from icons/logo.svg (Debian: librsvg2-bin, imagemagick).
set -euo pipefail
cd "$(dirname "$0")/../icons"
rsvg-convert -w 32 -h 32 logo.svg -o 32x32.png
rsvg-convert -w 128 -h 128 logo.svg -o 128x128.png
rsvg-convert -w 256 -h 256 logo.svg -o 128x128@2x.png
rsvg-convert -w 512 -h 512 logo.svg -o icon.png
tmp=$(mktemp -d)
for s in 16 48 64; do rsvg-convert -w "$s" -h "$s" logo.svg -o "$tmp/$s.png"; done
convert-im6.q16 "$tmp/16.png" 32x32.png "$tmp/48.png" "$tmp/64.png" 128x128@2x.png icon.ico \
  2>/dev/null || convert "$tmp/16.png" 32x32.png "$tmp/48.png" "$tmp/64.png" 128x128@2x.png icon.ico
rm -rf "$tmp"
