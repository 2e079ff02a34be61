#!/bin/sh
# Install this Claimdesk bundle on Linux: the program, its menu entry, icon,
# AppStream metadata and the .claimdesk file type.
#
#   ./install.sh              for you alone: ~/.local/opt/claimdesk, ~/.local/share, ~/.local/bin
#   sudo ./install.sh --system   for everyone: /opt/claimdesk, /usr/local/share, /usr/local/bin
#   ./install.sh --uninstall  (with --system too, if it was installed that way)
#
# Run it from the unpacked bundle folder (the one holding `claimdesk` and `share/`).
# Nothing else is needed: Python and the language model are inside the bundle.
set -eu

APP_ID=org.claimdesk.Claimdesk
HERE=$(cd "$(dirname "$0")" && pwd)
MODE=user
ACTION=install
for arg in "$@"; do
    case "$arg" in
        --system) MODE=system ;;
        --uninstall) ACTION=uninstall ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

if [ "$MODE" = system ]; then
    OPT=/opt/claimdesk
    DATA=/usr/local/share
    BIN=/usr/local/bin
else
    OPT="${HOME}/.local/opt/claimdesk"
    DATA="${XDG_DATA_HOME:-${HOME}/.local/share}"
    BIN="${HOME}/.local/bin"
fi

DESKTOP="$DATA/applications/$APP_ID.desktop"
METAINFO="$DATA/metainfo/$APP_ID.metainfo.xml"
MIME="$DATA/mime/packages/$APP_ID.xml"
ICON_SVG="$DATA/icons/hicolor/scalable/apps/$APP_ID.svg"
ICON_PNG="$DATA/icons/hicolor/256x256/apps/$APP_ID.png"

refresh() {
    # Each tool is optional: a desktop without it simply picks the files up later.
    if command -v update-mime-database >/dev/null 2>&1; then
        update-mime-database "$DATA/mime" >/dev/null 2>&1 || true
    fi
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$DATA/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t -f "$DATA/icons/hicolor" 2>/dev/null || true
    fi
}

if [ "$ACTION" = uninstall ]; then
    rm -f "$DESKTOP" "$METAINFO" "$MIME" "$ICON_SVG" "$ICON_PNG"
    if [ -L "$BIN/claimdesk" ] && [ "$(readlink "$BIN/claimdesk")" = "$OPT/claimdesk" ]; then
        rm -f "$BIN/claimdesk"
    fi
    rm -rf "$OPT"
    refresh
    echo "Claimdesk removed (your projects are kept)."
    exit 0
fi

if [ ! -x "$HERE/claimdesk" ] || [ ! -d "$HERE/share/applications" ]; then
    echo "install.sh: run me from the unpacked Claimdesk folder" >&2
    exit 1
fi

# The program: copied to a fixed place, so the download folder can be deleted.
if [ "$HERE" != "$OPT" ]; then
    mkdir -p "$(dirname "$OPT")"
    rm -rf "$OPT.new"
    cp -a "$HERE" "$OPT.new"
    rm -rf "$OPT"
    mv "$OPT.new" "$OPT"
fi
mkdir -p "$BIN"
ln -sfn "$OPT/claimdesk" "$BIN/claimdesk"

# The menu entry starts the program by its full path: ~/.local/bin is not always on a desktop's PATH.
mkdir -p "$(dirname "$DESKTOP")" "$(dirname "$METAINFO")" "$(dirname "$MIME")" \
         "$(dirname "$ICON_SVG")" "$(dirname "$ICON_PNG")"
sed "s|^Exec=claimdesk |Exec=\"$OPT/claimdesk\" |" "$HERE/share/applications/$APP_ID.desktop" > "$DESKTOP"
chmod 644 "$DESKTOP"
cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$METAINFO"
cp "$HERE/share/mime/packages/$APP_ID.xml" "$MIME"
cp "$HERE/share/icons/claimdesk.svg" "$ICON_SVG"
cp "$HERE/share/icons/claimdesk.png" "$ICON_PNG"
refresh

echo "Claimdesk installed in $OPT."
echo "Start it from the applications menu, by opening a .claimdesk file, or with: $BIN/claimdesk"
