"""`kpadmin import` given files no subscriber list looks like: a header of 100,000 columns, a
file larger than the limit. One calm message naming the line or the limit, exit 2, nothing
imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpadmin.billing.csvio import MAX_COLUMNS, MAX_FILE_BYTES
from tests.commands.memory_keyring import memory_keyring
from tests.commands.test_import_export import Setup, setup
from tests.fixtures.sandbox import RunningSandbox

__all__ = ["memory_keyring", "setup"]


def test_a_100000_column_header_is_refused_with_one_line(
    setup: Setup, sandbox: RunningSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    header = ",".join(f"col{i}" for i in range(100_000))
    path = setup.write("wide.csv", f"{header}\ncu_1,A,010-1111-1111,100\n")
    assert setup.run("import", str(path)) == 2
    err = capsys.readouterr().err
    assert (
        f"line 1: the header has 100,000 columns; a subscriber file has at most {MAX_COLUMNS}"
        in err
    )
    assert "Nothing was imported" in err and "col99999" not in err and len(err) < 500
    assert setup.subscribers() == []


def test_a_file_over_the_size_limit_is_refused_unread(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.write(b"customer_uid,name,phone,amount\n")
        handle.truncate(MAX_FILE_BYTES * 3)  # sparse
    assert setup.run("import", str(path)) == 2
    err = capsys.readouterr().err
    assert "larger than 50 MB" in err and "Nothing was imported" in err
    assert setup.subscribers() == []
