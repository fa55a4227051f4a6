"""SQL triggers that keep years within an agreement's period, for SQLite and PostgreSQL.

A CHECK constraint cannot look at another table, and the period lives on the agreement, so
migrations install these triggers instead. Each rule has two halves: rows of `table` must
satisfy it on insert and update, and an agreement may not change its period away from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodRule:
    """A rule: `violated` is SQL on a row (NEW) of `table`; `orphaned` on an agreement (NEW)."""

    name: str
    table: str
    violated: str
    orphaned: str

    @property
    def message(self) -> str:
        return f"{self.name}: year outside the agreement period"

    def sqlite(self) -> list[str]:
        abort = f"BEGIN SELECT RAISE(ABORT, '{self.message}'); END"
        return [
            f"CREATE TRIGGER {self.name}_insert BEFORE INSERT ON {self.table} "
            f"WHEN {self.violated} {abort}",
            f"CREATE TRIGGER {self.name}_update BEFORE UPDATE ON {self.table} "
            f"WHEN {self.violated} {abort}",
            f"CREATE TRIGGER {self.name}_period BEFORE UPDATE ON measures_agreement "
            f"WHEN {self.orphaned} {abort}",
        ]

    def sqlite_reverse(self) -> list[str]:
        return [f"DROP TRIGGER {self.name}_{suffix}" for suffix in ("insert", "update", "period")]

    def postgresql(self) -> list[str]:
        return [
            *self._pg_function(f"{self.name}_check", self.violated),
            f"CREATE TRIGGER {self.name} BEFORE INSERT OR UPDATE ON {self.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {self.name}_check()",
            *self._pg_function(f"{self.name}_period", self.orphaned),
            f"CREATE TRIGGER {self.name}_period BEFORE UPDATE ON measures_agreement "
            f"FOR EACH ROW EXECUTE FUNCTION {self.name}_period()",
        ]

    def postgresql_reverse(self) -> list[str]:
        return [
            f"DROP TRIGGER {self.name} ON {self.table}",
            f"DROP FUNCTION {self.name}_check()",
            f"DROP TRIGGER {self.name}_period ON measures_agreement",
            f"DROP FUNCTION {self.name}_period()",
        ]

    def _pg_function(self, name: str, condition: str) -> list[str]:
        return [
            f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
            f"IF {condition} THEN RAISE EXCEPTION '{self.message}' "
            "USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
        ]


def install(rule: PeriodRule) -> Callable:
    """A RunPython function that installs the rule's triggers on the database in use."""
    return _runner({"sqlite": rule.sqlite, "postgresql": rule.postgresql})


def uninstall(rule: PeriodRule) -> Callable:
    return _runner({"sqlite": rule.sqlite_reverse, "postgresql": rule.postgresql_reverse})


def _runner(statements: dict[str, Callable[[], list[str]]]) -> Callable:
    def run(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise NotImplementedError(f"No period triggers for {vendor}; use SQLite or PostgreSQL.")
        for statement in statements[vendor]():
            schema_editor.execute(statement)

    return run
