"""The layering the code is held to (docs/architecture.md, "Arrows go one way"), read from the
source with `ast`:

* `kpadmin.iamport` (the V1 client and its adapter) is imported only by `kpadmin/iamport`,
  `kpadmin/runtime.py` (the composition root) and `kpadmin/sandbox`;
* the GUI imports neither `kpadmin.store` nor `kpadmin.iamport` (it reads through
  `kpadmin.billing.records` and asks billing to write);
* SQL runs only in `kpadmin/store`: no ``.execute(`` call anywhere else, but for the i'mport
  simulator's own database (`kpadmin/sandbox/state.py`, the i'mport side, not kpadmin's);
* billing, the commands and the GUI name no V1 client or V1 error, and define nothing — no
  field, parameter, function, class or variable — under V1's names (``imp_uid``,
  ``merchant_uid``, ``customer_uid``): they speak the gateway port's ``payment_id``,
  ``order_id``, ``key_id``. Reading a store row's column of that name (``charge.merchant_uid``),
  passing one to a store type, and the CSV file's own columns (`csvio`'s row types) are allowed,
  as are strings (wire and file formats, texts staff read next to the PortOne console).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kpadmin"
MAY_IMPORT_IAMPORT = ("kpadmin/iamport/", "kpadmin/sandbox/", "kpadmin/runtime.py")
PORT_USERS = ("kpadmin/billing/", "kpadmin/commands/", "kpadmin/gui/")
V1_WORDS = ("imp_uid", "merchant_uid", "customer_uid")
V1_CLASSES = frozenset(
    {
        "IamportClient",
        "IamportError",
        "AuthenticationFailed",
        "TransportError",
        "RequestNotSent",
        "ApiError",
        "RequestRejected",
        "InvalidResponse",
        "PaymentNotFinal",
        "PaymentDeclined",
        "Customer",
        "CustomersResult",
        "PaymentPage",
    }
)
#: Where V1's words are a file's own format: the CSV import's row types carry the columns of the
#: merchant's file, and the GUI's table rows mirror the subscribers table's columns.
FORMAT_MODULES = ("kpadmin/billing/csvio/parse.py", "kpadmin/gui/rows.py")


def modules(prefixes: tuple[str, ...]) -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(prefixes):
            yield rel, ast.parse(path.read_text(encoding="utf-8"), filename=rel)


def imported_modules(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_only_the_adapter_the_composition_root_and_the_sandbox_import_iamport() -> None:
    offenders = [
        rel
        for rel, tree in modules(("kpadmin/",))
        if not rel.startswith(MAY_IMPORT_IAMPORT)
        and any(name.startswith("kpadmin.iamport") for name in imported_modules(tree))
    ]
    assert offenders == []


def test_the_gui_imports_neither_the_store_nor_iamport() -> None:
    offenders = [
        f"{rel}: {name}"
        for rel, tree in modules(("kpadmin/gui/",))
        for name in imported_modules(tree)
        if name.startswith(("kpadmin.store", "kpadmin.iamport"))
    ]
    assert offenders == []


#: The simulator's own SQLite database (i'mport's side of the wire), not kpadmin's.
MAY_EXECUTE = ("kpadmin/store/", "kpadmin/sandbox/state.py")


def execute_calls(tree: ast.Module) -> Iterator[int]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("execute", "executemany", "executescript")
        ):
            yield node.lineno


def test_sql_runs_only_in_the_store() -> None:
    offenders = [
        f"{rel}:{line}"
        for rel, tree in modules(("kpadmin/",))
        if not rel.startswith(MAY_EXECUTE)
        for line in execute_calls(tree)
    ]
    assert offenders == []


def _v1_word(name: str) -> bool:
    return any(word in name for word in V1_WORDS)


def defined_names(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Names this module defines: classes, functions, parameters, assignment targets, class-level
    annotated fields. (Attribute reads and keyword arguments in calls are uses, not definitions.)"""
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.lineno, node.name
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                yield arg.lineno, arg.arg
        elif isinstance(node, ast.AnnAssign | ast.Assign | ast.AugAssign | ast.For):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        yield sub.lineno, sub.id
                    elif (
                        isinstance(sub, ast.Attribute)
                        and isinstance(sub.value, ast.Name)
                        and sub.value.id == "self"  # an instance attribute this class defines
                    ):
                        yield sub.lineno, sub.attr


@pytest.mark.parametrize("prefix", PORT_USERS)
def test_billing_commands_and_gui_define_nothing_under_v1_names(prefix: str) -> None:
    offenders = [
        f"{rel}:{line} {name}"
        for rel, tree in modules((prefix,))
        if rel not in FORMAT_MODULES
        for line, name in defined_names(tree)
        if _v1_word(name)
    ]
    assert offenders == []


@pytest.mark.parametrize("prefix", PORT_USERS)
def test_billing_commands_and_gui_name_no_v1_client_or_error(prefix: str) -> None:
    offenders = [
        f"{rel}:{node.lineno} {node.id}"
        for rel, tree in modules((prefix,))
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id in V1_CLASSES
    ]
    offenders += [
        f"{rel}:{node.lineno} .{node.attr}"
        for rel, tree in modules((prefix,))
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in V1_CLASSES - {"Customer"}
    ]
    assert offenders == []


def test_the_checks_would_see_an_offender() -> None:
    """The scanners themselves find what they look for (a test that cannot fail is a defect)."""
    sample = ast.parse(
        "from kpadmin.iamport.client import IamportClient\n"
        "class A:\n    merchant_uid: str\n"
        "def f(customer_uid): x = IamportClient\n"
    )
    assert "kpadmin.iamport.client" in set(imported_modules(sample))
    assert list(execute_calls(ast.parse("conn.execute('SELECT 1')\n"))) == [1]
    from_store = ast.parse("from kpadmin import store\nimport kpadmin.store.models\n")
    assert {"kpadmin.store", "kpadmin.store.models"} <= set(imported_modules(from_store))
    names = {name for _, name in defined_names(sample)}
    assert {"merchant_uid", "customer_uid"} <= names
    assert any(isinstance(n, ast.Name) and n.id == "IamportClient" for n in ast.walk(sample))
