"""The RDF each importer makes of the examples and the format fixtures, compared as graphs with the
graphs recorded in ``expected/graphs/`` (N-Triples). Work on the importers' speed or structure must
leave these graphs unchanged; a deliberate change of the output rewrites the file it changes:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/ingest/test_output_graphs.py

and the diff of that file is then reviewed like code.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from crmkg.ingest import ImportConfig, ImportResult, import_dynamics, import_hubspot, import_orgchart, import_salesforce
from crmkg.ingest import load_config as load_import_config
from crmkg.ingest.config_base import ReadOptions
from crmkg.ingest.salesforce.config import SalesforceConfig
from crmkg.ingest.values import DateFormat

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
GRAPHS = Path(__file__).parent / "expected" / "graphs"
DAY = dt.date(2026, 3, 2)  # the fixtures' export date (otherwise the files' modification time)


def _example(importer: Callable[..., ImportResult], folder: str, source: str = "") -> Callable[[], ImportResult]:
    base = ROOT / "examples" / folder
    return lambda: importer(base / source if source else base, load_import_config(base / "crmkg-import.toml"))


def _fixture(name: str, date_format: str = "") -> Callable[[], ImportResult]:
    read = ReadOptions(date_format=DateFormat(date_format)) if date_format else ReadOptions()
    config = ImportConfig(salesforce=SalesforceConfig(export_date=DAY, read=read))
    return lambda: import_salesforce(FIXTURES / name, config)


CASES: dict[str, Callable[[], ImportResult]] = {
    "salesforce-example": _example(import_salesforce, "salesforce-export"),
    "orgchart-example": lambda: import_orgchart(
        ROOT / "examples" / "orgchart" / "orgchart.csv",
        load_import_config(ROOT / "examples" / "salesforce-export" / "crmkg-import.toml"),
    ),
    "hubspot-example": _example(import_hubspot, "hubspot-export"),
    "dynamics-example": _example(import_dynamics, "dynamics-export"),
    "sf-data-export": _fixture("sf-data-export"),
    "sf-data-loader": _fixture("sf-data-loader"),
    "sf-report-utf8-bom": _fixture("sf-report-utf8-bom", "M/D/YYYY"),
    "sf-sfdx-query": _fixture("sf-sfdx-query"),
}


def _triples(ntriples: str) -> set[ox.Triple]:
    return set(ox.parse(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("name", sorted(CASES))
def test_import_makes_the_recorded_graph(name: str) -> None:
    made = "".join(CASES[name]().ntriples())
    expected_file = GRAPHS / f"{name}.nt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        expected_file.write_text("".join(sorted(set(made.splitlines(keepends=True)))), encoding="utf-8")
    got, want = _triples(made), _triples(expected_file.read_text(encoding="utf-8"))
    assert want, f"{expected_file} is empty"
    assert not want - got, f"missing: {sorted(map(str, want - got))[:5]}"
    assert not got - want, f"not expected: {sorted(map(str, got - want))[:5]}"
