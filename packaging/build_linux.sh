#!/usr/bin/env bash
# Build the Linux release: dist/vdm-boxoffice-<version>-linux-<arch>.tar.gz
#
#   packaging/build_linux.sh            # uses .venv/bin/python when present, else python3
#   PYTHON=/path/to/python packaging/build_linux.sh [--clean]
#
# Steps: compile the translations (.mo), run PyInstaller with packaging/boxoffice.spec (one-folder
# bundle in dist/vdm-boxoffice, work files in build/pyinstaller), add the .desktop file, the icon
# and install.sh (menu entry for the current user), then pack the folder as
# vdm-boxoffice-<version>/ in the tar.gz. The last line printed is the archive's path.
# Needs the `package` extra: pip install -c packaging/constraints.txt -e '.[package]'. --clean: drop PyInstaller's cache first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
clean=()
[[ "${1:-}" == "--clean" ]] && clean=(--clean)

VERSION=$("$PYTHON" -c 'import boxoffice; print(boxoffice.__version__)')
ARCH=$(uname -m)
NAME="vdm-boxoffice-${VERSION}-linux-${ARCH}"
started=$(date +%s)

echo "== translations"
"$PYTHON" resources/translations/build.py --compile

echo "== pyinstaller"
"$PYTHON" -m PyInstaller --noconfirm "${clean[@]}" --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/boxoffice.spec

BUNDLE=dist/vdm-boxoffice
echo "== desktop integration"
install -m 0644 packaging/linux/vdm-boxoffice.desktop "$BUNDLE/vdm-boxoffice.desktop"
install -m 0644 resources/icons/boxoffice-256.png "$BUNDLE/vdm-boxoffice.png"
install -m 0755 packaging/linux/install.sh "$BUNDLE/install.sh"

echo "== archive"
ARCHIVE="dist/${NAME}.tar.gz"
rm -f "$ARCHIVE"
# Top-level folder vdm-boxoffice-<version>/ so unpacking never spills files.
tar -C dist --transform "s|^vdm-boxoffice|vdm-boxoffice-${VERSION}|" -czf "$ARCHIVE" vdm-boxoffice
size=$(du -sm "$BUNDLE" | cut -f1)
echo "bundle ${size} MB, archive $(du -m "$ARCHIVE" | cut -f1) MB, $(( $(date +%s) - started )) s"
echo "$ROOT/$ARCHIVE"
