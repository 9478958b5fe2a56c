"""The sign-up dialog and its embedded Kakao Pay window.

    from kpadmin.gui.signup import SignupDialog
    dialog = SignupDialog(parent, backend)           # backend: kpadmin.gui.backend.Backend
    dialog.signed_up.connect(on_subscriber)          # the new kpadmin.billing.records.Subscriber
    dialog.open()

Importing this package does not load QtWebEngine: `dialog.py` imports the web view modules
(`webview`, `page`, `profile`, `bridge`) only when the Kakao Pay window opens. `navigation` (the
allow-list) and `checkout_page` need only QtCore. The Qt-free rules (ids, validation, callback
checks, verification, saving) are in `kpadmin.billing.signup`.
"""

from kpadmin.gui.signup.dialog import SignupDialog

__all__ = ["SignupDialog"]
