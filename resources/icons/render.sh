#!/usr/bin/env bash
# Renders the icon set from uk.nhs.navigator.svg: PNGs in the freedesktop hicolor layout
# (16-512 px), navigator.ico (Windows) and navigator.icns (macOS). Run it after editing the SVG
# and commit what it writes. Needs librsvg2-bin (rsvg-convert), imagemagick and icnsutils (apt).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ID=uk.nhs.navigator
SIZES=(16 24 32 48 64 128 256 512)
mkdir -p hicolor/scalable/apps
cp "$ID.svg" "hicolor/scalable/apps/$ID.svg"
for size in "${SIZES[@]}"; do
  mkdir -p "hicolor/${size}x${size}/apps"
  rsvg-convert -w "$size" -h "$size" "$ID.svg" -o "hicolor/${size}x${size}/apps/$ID.png"
done
# Windows: one .ico holding every size up to 256 (the largest an .ico entry can be).
convert $(for s in 16 24 32 48 64 128 256; do echo "hicolor/${s}x${s}/apps/$ID.png"; done) navigator.ico
# macOS: png2icns picks the sizes the format knows (16, 32, 48, 128, 256, 512).
png2icns navigator.icns $(for s in 16 32 48 128 256 512; do echo "hicolor/${s}x${s}/apps/$ID.png"; done) >/dev/null
