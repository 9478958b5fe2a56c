"""Statements for the per-charge hot paths: built once from the schema, compiled once per dialect,
run on the driver's own cursor.

Building a Core statement, finding it in SQLAlchemy's compiled cache and wrapping its rows costs
tens of microseconds per call; the journal writes six statements per charge result, the intents
one per charge. A `Prepared` statement is still dialect-neutral Core (the same `Table` objects,
named bind parameters), but it is compiled once for the store's dialect and then executed with the
values passed through the columns' own bind processors (`schema.Instant`, `schema.Day`): the SQL
and the stored formats are exactly those of the plain Core path, without its per-call cost.
Rows come back as the driver's tuples (stored form: convert with `schema` helpers).
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
    """One statement (`build()` returns Core with named `bindparam`s); see the module docstring."""

    def __init__(self, build: Callable[[], ClauseElement]) -> None:
        self._build = build
        self._compiled: dict[str, Compiled] = {}

    def compiled(self, dialect: Dialect) -> Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = _compile(self._build(), dialect)
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
    return Compiled(str(compiled), order, processors, fixed)
