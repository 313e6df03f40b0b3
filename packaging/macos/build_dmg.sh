#!/usr/bin/env bash
# Make the macOS disk image from the app PyInstaller built: dist/vdm-boxoffice-<version>-macos-<arch>.dmg
#
#   python resources/translations/build.py --compile
#   python -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller packaging/boxoffice.spec
#   packaging/macos/build_dmg.sh
#
# Signing and notarization run only when their credentials are in the environment; otherwise they
# are skipped with a message (the dmg then opens with "unidentified developer": right-click → Open).
#   MACOS_SIGN_IDENTITY   codesign identity, e.g. "Developer ID Application: Name (TEAMID)"; must be
#                         in a keychain this shell can use (the release workflow imports it)
#   notarytool credentials, either
#     MACOS_NOTARY_PROFILE                       a profile saved with `xcrun notarytool store-credentials`
#   or MACOS_NOTARY_APPLE_ID + MACOS_NOTARY_TEAM_ID + MACOS_NOTARY_PASSWORD (app-specific password)
# Notarization needs a signed app, so it is skipped when MACOS_SIGN_IDENTITY is not set.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
APP="dist/VdM Box Office.app"
VERSION=$("$PYTHON" -c 'import boxoffice; print(boxoffice.__version__)')
ARCH=$(uname -m)
DMG="dist/vdm-boxoffice-${VERSION}-macos-${ARCH}.dmg"
ENTITLEMENTS="packaging/macos/entitlements.plist"

[[ -d "$APP" ]] || { echo "error: $APP not found; run PyInstaller with packaging/boxoffice.spec first" >&2; exit 1; }
plist_version=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$APP/Contents/Info.plist")
[[ "$plist_version" == "$VERSION" ]] || { echo "error: app is $plist_version, source is $VERSION" >&2; exit 1; }

# --- sign -----------------------------------------------------------------------------------------
signed=no
if [[ -n "${MACOS_SIGN_IDENTITY:-}" ]]; then
    echo "== signing with: $MACOS_SIGN_IDENTITY"
    # Inside out: every Mach-O file first, then the bundle, with the hardened runtime.
    find "$APP/Contents" -type f \( -name "*.dylib" -o -name "*.so" -o -perm -u+x \) -print0 |
        while IFS= read -r -d '' f; do
            if file "$f" | grep -q "Mach-O"; then
                codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" \
                    --sign "$MACOS_SIGN_IDENTITY" "$f"
            fi
        done
    codesign --force --timestamp --options runtime --entitlements "$ENTITLEMENTS" \
        --sign "$MACOS_SIGN_IDENTITY" "$APP"
    codesign --verify --deep --strict --verbose=2 "$APP"
    signed=yes
else
    echo "== not signing: MACOS_SIGN_IDENTITY is not set"
fi

# --- disk image -----------------------------------------------------------------------------------
echo "== disk image"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$APP" "$stage/"
ln -s /Applications "$stage/Applications"   # drag the app onto this to install
rm -f "$DMG"
hdiutil create -volname "VdM Box Office ${VERSION}" -srcfolder "$stage" -fs HFS+ \
    -format UDZO -imagekey zlib-level=9 -ov "$DMG"
if [[ "$signed" == yes ]]; then
    codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$DMG"
fi

# --- notarize -------------------------------------------------------------------------------------
notary=()
if [[ -n "${MACOS_NOTARY_PROFILE:-}" ]]; then
    notary=(--keychain-profile "$MACOS_NOTARY_PROFILE")
elif [[ -n "${MACOS_NOTARY_APPLE_ID:-}" && -n "${MACOS_NOTARY_TEAM_ID:-}" && -n "${MACOS_NOTARY_PASSWORD:-}" ]]; then
    notary=(--apple-id "$MACOS_NOTARY_APPLE_ID" --team-id "$MACOS_NOTARY_TEAM_ID"
            --password "$MACOS_NOTARY_PASSWORD")
fi
if [[ "$signed" == yes && ${#notary[@]} -gt 0 ]]; then
    echo "== notarizing (this waits for Apple)"
    xcrun notarytool submit "$DMG" "${notary[@]}" --wait
    xcrun stapler staple "$DMG"
    xcrun stapler validate "$DMG"
elif [[ "$signed" == yes ]]; then
    echo "== not notarizing: no notarytool credentials (MACOS_NOTARY_PROFILE or MACOS_NOTARY_APPLE_ID/_TEAM_ID/_PASSWORD)"
else
    echo "== not notarizing: the app is not signed"
fi

echo "$DMG"
