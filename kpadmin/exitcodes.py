"""The exit codes of every `kpadmin` command, in one place (the README's reliability section lists
them too), so a scheduler or a script can tell "look at the money" from "fix the machine".

0 is success; 1 says a money outcome needs a person; 2 is a usage error; 3 and up name the part of
the environment that stopped the command. Ctrl+C and SIGTERM end with the shell's conventions.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    #: The command ran, but a money outcome needs a person: a decline, a rejection, an outcome
    #: still unknown, or a paid amount that differs from what was meant.
    ATTENTION = 1
    #: Bad arguments or a refused value (argparse uses 2 too).
    USAGE = 2
    #: settings.json unreadable or invalid.
    SETTINGS = 3
    #: The database is missing, damaged, or from a newer kpadmin.
    DATABASE = 4
    #: The disk is full or not writable: nothing more was sent; in-flight charges are looked up
    #: on the next run.
    DISK = 5
    #: i'mport could not be reached or refused the credentials.
    GATEWAY = 6
    #: The REST key/secret are missing or the OS keyring cannot be used.
    SECRETS = 7
    #: Another batch is running on this database.
    BUSY = 8
    #: The operating system's scheduler refused the change (`kpadmin schedule`).
    SCHEDULER = 9
    #: Stopped by Ctrl+C (128 + SIGINT).
    INTERRUPTED = 130
    #: Stopped by SIGTERM (128 + SIGTERM).
    TERMINATED = 143
