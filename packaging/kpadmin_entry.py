"""The frozen executables' entry point: the same `kpadmin.cli:main` the pip-installed scripts run.

Both executables of the PyInstaller build (`kpadmin`, windowed; `kpadmin-cli`, console) start here.
`build.spec` collects every `kpadmin` submodule, since the CLI imports its subcommands by name.
"""

import multiprocessing
import os
import sys

from kpadmin.cli import main


def _give_windowed_app_streams() -> None:
    """A windowed Windows executable starts with sys.stdout/sys.stderr set to None, and any print
    (a crash report, `--version`, a library's warning) would then raise. Send them to devnull; the
    app's own log file is where diagnostics go."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    # A frozen program that ever spawns a process must call this first (a no-op otherwise).
    multiprocessing.freeze_support()
    _give_windowed_app_streams()
    raise SystemExit(main())
