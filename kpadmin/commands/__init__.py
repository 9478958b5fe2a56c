"""The headless subcommands (config, import, export, charge-due, reconcile).

Each module exposes ``configure(parser)`` and ``run(args) -> int`` for `kpadmin.cli`, gets its
settings, paths and payment gateway from `kpadmin.runtime`, and never imports Qt.
"""
