"""The derived graph of a served store (issue 14 §6, :mod:`crmkg.derived`) and ``crmkg infer
--write`` saying what it wrote, or why nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest

from crmkg import derived, resources
from crmkg.cli import main
from crmkg.loading import load
from crmkg.namespaces import AKJ, INFERRED_GRAPH
from crmkg.store import open_store

EXAMPLE = resources.example_dir("esimerkki")
HAS_OWNER = ox.NamedNode(str(AKJ) + "hasOwner")
GRAPH = ox.NamedNode(INFERRED_GRAPH)


def _owner_quads(store: object) -> set[ox.Quad]:
    return set(store.quads_for_pattern(None, HAS_OWNER, None))  # type: ignore[attr-defined]


def test_refresh_replaces_the_graph_and_says_its_day() -> None:
    store = open_store()
    load(store, [*resources.ontology_files(), EXAMPLE])
    assert derived.derived_day(store) is None
    early = derived.refresh(store, dt.date(2024, 1, 1))
    owners_early = _owner_quads(store)
    assert early > 0
    assert owners_early
    assert all(q.graph_name == GRAPH for q in owners_early)
    assert derived.derived_day(store) == dt.date(2024, 1, 1)
    late = derived.refresh(store, dt.date(2026, 10, 1))
    assert derived.derived_day(store) == dt.date(2026, 10, 1)
    owners_late = _owner_quads(store)
    assert owners_late != owners_early  # replaced, not added to
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:crmkg:graph:inferred> { ?s ?p ?o } }"
    assert int(store.query(count).rows[0][0].value) == late + 1  # type: ignore[union-attr]  # + the day


def test_refresh_adds_nothing_the_data_states() -> None:
    store = open_store()
    load(store, [*resources.ontology_files(), EXAMPLE])
    derived.refresh(store, dt.date(2026, 10, 1))
    owner = next(iter(_owner_quads(store)))
    stated = ox.Quad(owner.subject, owner.predicate, owner.object, ox.DefaultGraph())
    store.add_quads([stated])
    derived.refresh(store, dt.date(2026, 10, 1))
    assert {q.graph_name for q in store.quads_for_pattern(owner.subject, HAS_OWNER, owner.object)} == {
        ox.DefaultGraph()
    }


def test_load_derives_again_only_into_a_store_that_keeps_the_graph(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain, served = tmp_path / "plain", tmp_path / "served"
    for folder in (plain, served):
        assert main(["load", *map(str, resources.ontology_files()), "--store", str(folder)]) == 0
    writer = open_store(served)
    derived.refresh(writer, dt.date(2020, 1, 1))
    writer.close()
    capsys.readouterr()
    for folder in (plain, served):
        assert main(["load", str(EXAMPLE), "--store", str(folder)]) == 0
    err = capsys.readouterr().err
    assert err.count("derived again") == 1
    for folder, expect in ((plain, None), (served, dt.date.today())):
        reader = open_store(folder, read_only=True)
        try:
            assert derived.derived_day(reader) == expect
            assert bool(_owner_quads(reader)) is (expect is not None)
        finally:
            reader.close()


def test_infer_write_says_what_it_wrote_and_why_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "kg"
    args = ["infer", "--as-of", "2026-10-01", "--store", str(folder), "--write", "--format", "ntriples"]
    assert main([*args, "--data", str(EXAMPLE)]) == 0
    first = capsys.readouterr().err
    assert "wrote " in first
    assert "wrote 0 " not in first
    assert main(args) == 0
    again = capsys.readouterr().err
    assert "nothing written: all " in again
    assert "already in the store" in again


def test_import_into_a_served_store_derives_again(tmp_path: Path) -> None:
    salesforce = resources.example_dir("salesforce-export")
    folder = tmp_path / "kg"
    assert main(["load", *map(str, resources.ontology_files()), "--store", str(folder)]) == 0
    writer = open_store(folder)
    derived.refresh(writer, dt.date(2020, 1, 1))
    writer.close()
    config = str(salesforce / "crmkg-import.toml")
    assert main(["import", "salesforce", str(salesforce), "--config", config, "--store", str(folder)]) in (0, 1)
    reader = open_store(folder, read_only=True)
    try:
        assert derived.derived_day(reader) == dt.date.today()
        assert _owner_quads(reader)  # the imported assignments' current owners
    finally:
        reader.close()
