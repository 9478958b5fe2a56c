#!/usr/bin/env bash
# Turn dist/kpadmin.app (from `pyinstaller build.spec` on macOS) into dist/kpadmin-<version>.dmg:
# a compressed disk image holding the app and an /Applications link to drag it onto.
#
#   pyinstaller --noconfirm build.spec && bash packaging/macos/make_dmg.sh
#
# macOS only (hdiutil); run by .github/workflows/package.yml on macos-latest. The app is ad-hoc
# signed by PyInstaller; Developer ID signing and notarization need an Apple account (not set up).
set -euo pipefail
cd "$(dirname "$0")/../.."

APP=dist/kpadmin.app
if [[ ! -d "$APP" ]]; then
    echo "no $APP: run 'pyinstaller --noconfirm build.spec' on macOS first" >&2
    exit 1
fi
VERSION=$(/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$APP/Contents/Info.plist")
OUT="dist/kpadmin-$VERSION.dmg"

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
# ditto keeps the frameworks' symlinks and the signatures intact (cp -R may not).
ditto "$APP" "$STAGE/kpadmin.app"
ln -s /Applications "$STAGE/Applications"

rm -f "$OUT"
hdiutil create -volname "kpadmin $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$OUT"
hdiutil verify "$OUT"
echo "$OUT"
