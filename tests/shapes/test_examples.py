"""The data shapes on the example organisation (read-only here; the examples have their own owner).

The findings on ``examples/esimerkki/`` and on ``examples/esimerkki-broken/data/`` on the reference date
must be exactly the rows of their ``expected-findings.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import SH

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AS_OF = dt.date(2026, 10, 1)


def _load(folder: Path, base: Graph) -> Graph:
    files = sorted(folder.rglob("*.ttl"))
    assert files, f"no Turtle under {folder}"
    graph = Graph()
    graph += base
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def test_example_organisation_gives_exactly_the_documented_findings(
    validate: Callable[..., Any], base_graph: Graph
) -> None:
    folder = EXAMPLES / "esimerkki"
    results = validate(_load(folder, base_graph), AS_OF)
    got = {(r.shape_id, str(r.severity), str(r.focus), r.path, str(r.component)) for r in results}
    assert got == _expected(folder / "expected-findings.csv")
    violations = sorted(f"{r.shape_id} {r.focus}" for r in results if r.severity == SH.Violation)
    assert violations == ["S28a https://example.org/esimerkki/asg-kiertotalous-metsapuu-lead-1"]


def _expected(path: Path) -> set[tuple[str, ...]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (row["shape_id"], row["severity"], row["focus_node"], row["path"], row["constraint_component"])
            for row in csv.DictReader(handle)
        }


def test_broken_example_gives_exactly_the_documented_findings(validate: Callable[..., Any], base_graph: Graph) -> None:
    folder = EXAMPLES / "esimerkki-broken"
    expected = _expected(folder / "expected-findings.csv")
    results = validate(_load(folder / "data", base_graph), AS_OF)
    got = {(r.shape_id, str(r.severity), str(r.focus), r.path, str(r.component)) for r in results}
    assert got == expected, f"missing {sorted(expected - got)}\nunexpected {sorted(got - expected)}"
