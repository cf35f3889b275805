"""Findings of an import: bad input and data-quality notes, each with file, row and column.

Severity ``error`` is bad input (malformed CSV, missing required column, dangling id, bad date):
``--strict`` fails on it. ``warning`` is data that imports but looks wrong (an owner history that
disagrees with the current owner). ``info`` is a note (a file that is absent, a picklist value
that no mapping table names).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem or note. ``row`` is the 1-based physical line of the CSV record."""

    file: str
    row: int | None
    column: str | None
    message: str
    severity: Severity = Severity.ERROR
    code: str = "ingest"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f":{self.column}"
        return f"{where}: {self.severity.value}: {self.message}"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


class FindingLog:
    """Collects findings while an import runs."""

    def __init__(self) -> None:
        self._items: list[Finding] = []

    def add(
        self,
        file: str,
        row: int | None,
        column: str | None,
        message: str,
        severity: Severity = Severity.ERROR,
        code: str = "ingest",
    ) -> None:
        self._items.append(Finding(file, row, column, message, severity, code))

    def extend(self, findings: Iterable[Finding]) -> None:
        self._items.extend(findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def freeze(self) -> tuple[Finding, ...]:
        return tuple(self._items)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def findings_json(findings: Iterable[Finding]) -> str:
    """The ``--findings FILE`` document: ``{"findings": [...], "counts": {...}}``."""
    items = list(findings)
    counts = {s.value: sum(1 for f in items if f.severity is s) for s in Severity}
    return json.dumps({"findings": [f.to_json() for f in items], "counts": counts}, indent=2, ensure_ascii=False) + "\n"
