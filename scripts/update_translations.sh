#!/bin/sh
# Refresh the translation catalogues from the code and compile them: one catalogue per language,
# resources/translations/kpadmin_<lang>.ts -> .qm, for the whole app.
#
#   scripts/update_translations.sh
#
# 1. pyside6-lupdate collects every self.tr("…") / tr("…") / QCoreApplication.translate(…) string
#    of kpadmin/gui, and the core's message templates and audit labels (kpadmin/billing/
#    messages.py, marked with QT_TRANSLATE_NOOP), into each .ts, keeping the translations that
#    exist and dropping strings the code no longer has (-no-obsolete). No source locations are
#    written (-locations none), so the file changes only when the strings do.
# 2. New strings arrive as type="unfinished": translate them with Qt Linguist
#    (.venv/bin/pyside6-linguist resources/translations/kpadmin_ko.ts) or a text editor. Keep
#    the {name} placeholders of the source (the app's one placeholder style).
# 3. pyside6-lrelease compiles each .ts to the .qm the app loads (kpadmin/gui/i18n.py).
#
# Exits 1 while any string is unfinished (the .qm is compiled anyway; tests/gui/
# test_translations.py fails on the same condition).
set -eu
cd "$(dirname "$0")/.."
BIN="${VENV:-.venv}/bin"
# shellcheck disable=SC2046 # word splitting of the file list is intended
SOURCES=$(find kpadmin/gui -name '*.py' | sort; echo kpadmin/billing/messages.py)
status=0
for TS in resources/translations/kpadmin_*.ts; do
    QM="${TS%.ts}.qm"
    # shellcheck disable=SC2086
    "$BIN/pyside6-lupdate" $SOURCES -locations none -no-obsolete -ts "$TS"
    "$BIN/pyside6-lrelease" -silent "$TS" -qm "$QM"
    unfinished=$(grep -c 'type="unfinished"' "$TS" || true)
    echo "$TS: $unfinished unfinished translation(s)"
    if [ "$unfinished" -gt 0 ]; then
        status=1
    fi
done
exit $status
