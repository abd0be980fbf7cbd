#!/usr/bin/env sh
# Install the PhotoSeek bundle for this user only (no root): run from the unpacked tarball.
#
#   ./install.sh              copy the app to ~/.local/opt/photoseek, put `photoseek` on the
#                             PATH (~/.local/bin) and PhotoSeek in the application menu
#   ./install.sh --uninstall  remove what the above added (your photos and library stay)
#
# PREFIX (default ~/.local) and XDG_DATA_HOME (default ~/.local/share) move the places.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
data=${XDG_DATA_HOME:-$HOME/.local/share}
app=$prefix/opt/photoseek
link=$prefix/bin/photoseek
entry=$data/applications/photoseek.desktop

refresh_menus() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database "$data/applications" >/dev/null 2>&1 || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$data/icons/hicolor" >/dev/null 2>&1 || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$app"
    [ -L "$link" ] && rm -f "$link"
    rm -f "$entry" "$data/icons/hicolor/scalable/apps/photoseek.svg"
    rm -f "$data"/icons/hicolor/*x*/apps/photoseek.png
    refresh_menus
    echo "PhotoSeek removed (its data folder, with your library, is kept)."
    exit 0
fi

if [ ! -x "$here/photoseek" ]; then
    echo "run install.sh from the unpacked PhotoSeek folder" >&2
    exit 1
fi
# A fresh copy each time: files of an older version must not linger beside the new ones.
rm -rf "$app.new"
mkdir -p "$app.new" "$prefix/bin"
cp -a "$here/." "$app.new/"
rm -rf "$app"
mv "$app.new" "$app"
ln -sfn "$app/photoseek" "$link"

mkdir -p "$data/applications" "$data/icons/hicolor/scalable/apps"
cp "$here/share/icons/photoseek.svg" "$data/icons/hicolor/scalable/apps/photoseek.svg"
for png in "$here"/share/icons/photoseek-*.png; do
    [ -f "$png" ] || continue
    size=${png##*-}; size=${size%.png}
    mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$data/icons/hicolor/${size}x${size}/apps/photoseek.png"
done
sed -e "s|@EXEC@|\"$app/photoseek\"|" "$here/photoseek.desktop" > "$entry"
refresh_menus
echo "installed $app; menu entry $entry; command $link"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "note: $prefix/bin is not on your PATH; add it to run 'photoseek' from a terminal" ;;
esac
