"""The data shapes on the example organisation (read-only here; the examples have their own owner).

``examples/esimerkki/`` must conform at Violation level on the reference date; the findings on
``examples/esimerkki-broken/data/`` must be exactly the rows of its ``expected-findings.csv``.
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


def test_example_organisation_has_no_violation(validate: Callable[..., Any], base_graph: Graph) -> None:
    results = validate(_load(EXAMPLES / "esimerkki", base_graph), AS_OF)
    violations = sorted(f"{r.shape_id} {r.focus}" for r in results if r.severity == SH.Violation)
    assert not violations, "\n".join(violations)
    assert results, "the example organisation is meant to show some Warnings and Infos"


def test_broken_example_gives_exactly_the_documented_findings(validate: Callable[..., Any], base_graph: Graph) -> None:
    folder = EXAMPLES / "esimerkki-broken"
    with (folder / "expected-findings.csv").open(encoding="utf-8", newline="") as handle:
        expected = {
            (row["shape_id"], row["severity"], row["focus_node"], row["path"], row["constraint_component"])
            for row in csv.DictReader(handle)
        }
    results = validate(_load(folder / "data", base_graph), AS_OF)
    got = {(r.shape_id, str(r.severity), str(r.focus), r.path, str(r.component)) for r in results}
    assert got == expected, f"missing {sorted(expected - got)}\nunexpected {sorted(got - expected)}"
