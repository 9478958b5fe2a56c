#!/bin/sh
# Refresh the Korean translation of the GUI and compile it.
#
#   scripts/update_translations.sh
#
# 1. pyside6-lupdate collects every self.tr("…") / tr("…") / QCoreApplication.translate(…) string
#    from kpadmin/gui (the sign-up and charging packages included) into
#    resources/translations/kpadmin_ko.ts, keeping translations that already exist.
# 2. Translate the new entries (type="unfinished") with Qt Linguist (.venv/bin/pyside6-linguist)
#    or a text editor.
# 3. pyside6-lrelease compiles the .ts to the .qm the app loads (kpadmin/gui/i18n.py).
#
# Locations are kept (file and line) so a reviewer, and tests/gui/test_crash_and_i18n.py, can tell
# whose strings are still untranslated.
set -eu
cd "$(dirname "$0")/.."
BIN="${VENV:-.venv}/bin"
TS=resources/translations/kpadmin_ko.ts
QM=resources/translations/kpadmin_ko.qm
# shellcheck disable=SC2046 # word splitting of the file list is intended
"$BIN/pyside6-lupdate" $(find kpadmin/gui -name '*.py' | sort) -locations absolute -ts "$TS"
"$BIN/pyside6-lrelease" "$TS" -qm "$QM"
unfinished=$(grep -c 'type="unfinished"' "$TS" || true)
echo "$TS: $unfinished unfinished translation(s)"
