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
sed -e "s|@EXEC@|\"$exe\"|" -e "s|@ICON@|photoseek|" "$repo/packaging/photoseek.desktop.in" \
    > "$data/applications/photoseek.desktop"
echo "installed $data/applications/photoseek.desktop"
