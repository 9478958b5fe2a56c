"""Sign-up GUI tests: PySide's lost references to True/None must not kill the run (the e2e tests
emit and runJavaScript a lot; see kpadmin.gui.pyside_fixes)."""

from kpadmin.gui.pyside_fixes import make_singletons_immortal

make_singletons_immortal()
