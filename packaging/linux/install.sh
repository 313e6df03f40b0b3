#!/bin/sh
# Add VdM Box Office to this user's application menu (no root needed), or remove it again.
#
#   ./install.sh              menu entry + icon for the folder this script is in
#   ./install.sh --uninstall  remove the menu entry and icon (then delete this folder yourself)
#
# The program runs from wherever this folder was unpacked (e.g. ~/.local/opt/vdm-boxoffice).
# Settings, the offline cache and logs live in ~/.config/vdm-boxoffice, ~/.local/share/vdm-boxoffice
# and ~/.cache/vdm-boxoffice (platformdirs); API keys in the desktop keyring. Neither the install
# nor the uninstall touches them, so an upgrade (unpack the new version, run ./install.sh again)
# keeps every venue profile.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$apps/vdm-boxoffice.desktop" "$icons/vdm-boxoffice.png"
    echo "Removed the menu entry. Your settings are kept; delete $here to remove the program."
    exit 0
fi
mkdir -p "$apps" "$icons"
cp "$here/vdm-boxoffice.png" "$icons/vdm-boxoffice.png"
sed "s|^Exec=.*|Exec=\"$here/vdm-boxoffice\"|" "$here/vdm-boxoffice.desktop" > "$apps/vdm-boxoffice.desktop"
chmod 0644 "$apps/vdm-boxoffice.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$apps" || true
echo "VdM Box Office is in your application menu (runs from $here)."
