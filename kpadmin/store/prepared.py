"""Statements for the per-charge hot paths: built once from the schema, compiled once per dialect,
run on the driver's own cursor.

Building a Core statement, finding it in SQLAlchemy's compiled cache and wrapping its rows costs
tens of microseconds per call, on every one of the journal's group reads and writes.
`Store._many` runs one with the driver's executemany (a group of outcomes, a batch's intents: on
PostgreSQL one pipelined round trip instead of one per row).

A `Prepared` statement is still dialect-neutral Core (the same `Table` objects,
named bind parameters), but it is compiled once for the store's dialect and then executed with the
values passed through the columns' own bind processors (`schema.Instant`, `schema.Day`): the SQL
and the stored formats are exactly those of the plain Core path, without its per-call cost.
Rows come back as the driver's tuples (stored form: convert with `schema` helpers). An
``expanding`` bind parameter (``column.in_(bindparam("ids", expanding=True))``) takes a non-empty
list: its placeholder becomes one per value at each execution, the rest of the text stays.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ClauseElement, Dialect
from sqlalchemy.sql.compiler import SQLCompiler


@dataclass(frozen=True, slots=True)
class Compiled:
    sql: str
    #: Parameter names in order (positional paramstyles: SQLite's qmark); None for named ones.
    order: tuple[str, ...] | None
    processors: Mapping[str, Callable[[Any], Any]]
    #: The values the statement itself carries (``state = 'paid'``, ``LIMIT 1``).
    fixed: Mapping[str, Any]
    #: Names of the expanding (list) parameters.
    expanding: frozenset[str] = frozenset()
    paramstyle: str = "qmark"

    def statement(self, given: Mapping[str, Any]) -> tuple[str, Any]:
        """The SQL text and the driver's arguments for these values."""
        if not self.expanding:
            return self.sql, self.arguments(given)
        sql, values, processors = self.sql, dict(given), dict(self.processors)
        fixed = {k: v for k, v in self.fixed.items() if k not in self.expanding}
        order = None if self.order is None else list(self.order)
        for name in self.expanding:
            # A list the caller gives (`bindparam(..., expanding=True)`) or the statement's own
            # (``state IN ('planned', 'sent', 'unknown')``).
            items = list(values.pop(name) if name in values else self.fixed[name])
            if not items:
                raise ValueError(f"an empty list for {name!r}")
            names = [f"{name}_{i}" for i in range(1, len(items) + 1)]
            values.update(zip(names, items, strict=True))
            if name in processors:
                processors.update(dict.fromkeys(names, processors[name]))
            if order is None:  # named paramstyle: %(ids_1)s, %(ids_2)s, …
                marks = ", ".join(f"%({n})s" for n in names)
            else:  # qmark (the same list may be used in several places)
                marks = ", ".join("?" * len(items))
                while name in order:
                    at = order.index(name)
                    order[at : at + 1] = names
            sql = sql.replace(f"__[POSTCOMPILE_{name}]", marks)
        expanded = Compiled(sql, None if order is None else tuple(order), processors, fixed)
        return sql, expanded.arguments(values)

    def arguments(self, given: Mapping[str, Any]) -> Any:
        processors = self.processors
        values = {**self.fixed, **given} if self.fixed else given
        if self.order is None:
            return {
                name: (processors[name](value) if name in processors else value)
                for name, value in values.items()
            }
        return tuple(
            processors[name](values[name]) if name in processors else values[name]
            for name in self.order
        )


class Prepared:
    """One statement (`build(dialect_name)` returns Core with named `bindparam`s); see the module
    docstring."""

    def __init__(self, build: Callable[[str], ClauseElement]) -> None:
        self._build = build
        self._compiled: dict[str, Compiled] = {}

    def compiled(self, dialect: Dialect) -> Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = _compile(self._build(dialect.name), dialect)
        return found


def _compile(statement: ClauseElement, dialect: Dialect) -> Compiled:
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect))
    processors: dict[str, Callable[[Any], Any]] = {}
    fixed: dict[str, Any] = {}
    for bind, name in compiled.bind_names.items():
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            processors[name] = processor
        if not bind.required:
            fixed[name] = bind.effective_value
    order = tuple(compiled.positiontup or ()) if compiled.positional else None
    expanding = frozenset(compiled.bind_names[b] for b in compiled.post_compile_params)
    if order is not None and dialect.paramstyle != "qmark":
        raise NotImplementedError(f"positional paramstyle {dialect.paramstyle!r}")
    return Compiled(str(compiled), order, processors, fixed, expanding, dialect.paramstyle)
