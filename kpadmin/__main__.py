"""`python -m kpadmin`: the same entry point as the `kpadmin` command."""

from kpadmin.cli import main

raise SystemExit(main())
