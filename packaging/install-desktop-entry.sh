#!/usr/bin/env sh
# Add PhotoSeek to the desktop's application menu (Linux, freedesktop.org), for this user only.
# Run after `make run` has created .venv: it points the menu entry at .venv/bin/photoseek.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
exe="$repo/.venv/bin/photoseek"
[ -x "$exe" ] || { echo "no $exe yet: run 'make run' once first" >&2; exit 1; }
data="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$data/applications" "$data/icons/hicolor/scalable/apps"
cp "$repo/resources/photoseek.svg" "$data/icons/hicolor/scalable/apps/photoseek.svg"
# Rendered sizes too (scripts/render_icons.py): menus and docs that draw no SVG pick these.
for png in "$repo"/resources/icons/photoseek-*.png; do
    [ -f "$png" ] || continue
    size=${png##*-}; size=${size%.png}
    mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$data/icons/hicolor/${size}x${size}/apps/photoseek.png"
done
sed -e "s|@EXEC@|\"$exe\"|" -e "s|@ICON@|photoseek|" "$repo/packaging/photoseek.desktop.in" \
    > "$data/applications/photoseek.desktop"
# "Open with PhotoSeek" for the image and video types the entry declares (where the tool exists).
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$data/applications" >/dev/null 2>&1 || true
fi
echo "installed $data/applications/photoseek.desktop"
