"""The frozen executables' entry point: the same `kpadmin.cli:main` the pip-installed scripts run.

Both executables of the PyInstaller build (`kpadmin`, windowed; `kpadmin-cli`, console) start here.
`build.spec` collects every `kpadmin` submodule, since the CLI imports its subcommands by name.
"""

import multiprocessing

from kpadmin.cli import main

if __name__ == "__main__":
    # A frozen program that ever spawns a process must call this first (a no-op otherwise).
    multiprocessing.freeze_support()
    raise SystemExit(main())
