"""Write or read a findings table: one row per result (shape id, severity, focus, path, component, value)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from crmkg.validation.report import ValidationReport

Row = tuple[str, str, str, str, str, str]
COLUMNS = ("shape_id", "severity", "focus_node", "path", "constraint_component", "value")


def rows(report: ValidationReport) -> Counter[Row]:
    out: Counter[Row] = Counter()
    for r in report.results:
        path = "" if r.path is None else r.path.n3()
        if path.startswith("<") and path.endswith(">") and path.count("<") == 1:
            path = path[1:-1]  # a plain predicate is written as its IRI
        value = "" if r.value is None else str(r.value)
        out[(r.shape_id or "", str(r.severity.iri), str(r.focus_node), path, str(r.constraint_component), value)] += 1
    return out


def read(path: Path) -> Counter[Row]:
    with path.open(encoding="utf-8", newline="") as f:
        return Counter(tuple(r[c] for c in COLUMNS) for r in csv.DictReader(f))  # type: ignore[misc]


def write(path: Path, found: Counter[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for row in sorted(found.elements()):
            out.writerow(row)
