"""Deriving a served folder's graph on a new day (:mod:`crmkg.derived_record`): with the data as it
was, only the rules that take the day run again, and the graph is the one deriving everything gives.

Compared as graphs (the OWL-Time intervals the membership rule writes are blank nodes) with the
derived graph of an in-memory store holding the same files, derived from scratch for that day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from rdflib.compare import to_isomorphic

from crmkg import derived, derived_record, resources, rules
from crmkg.loading import load
from crmkg.namespaces import INFERRED_GRAPH
from crmkg.store import Store, open_store
from crmkg.store.terms import to_rdflib_graph
from crmkg.validation.run import ontology_paths

FILES = [*ontology_paths(), resources.example_dir("esimerkki")]
DAY_ONE, DAY_TWO = dt.date(2024, 1, 1), dt.date(2026, 10, 1)
GRAPH_QUERY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}"


def _graph(store: Store) -> object:
    return to_isomorphic(to_rdflib_graph(store.query(GRAPH_QUERY).triples))  # type: ignore[union-attr]


def _from_scratch(day: dt.date) -> object:
    store = open_store()
    load(store, FILES)
    derived.refresh(store, day)
    return _graph(store)


def _folder_graph(root: Path) -> object:
    reader = open_store(root, read_only=True)
    try:
        assert derived.derived_day(reader) == DAY_TWO
        return _graph(reader)
    finally:
        reader.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    writer = open_store(root)
    load(writer, FILES)
    writer.close()
    return root


@pytest.fixture
def rules_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the rules each derivation ran, in order."""
    ran: list[str] = []
    real = rules.infer

    def spy(store: Store, *args: Any, **kwargs: Any) -> rules.Inference:
        ran.extend(kwargs["rules"])
        return real(store, *args, **kwargs)

    monkeypatch.setattr(rules, "infer", spy)
    return ran


def test_the_next_day_runs_the_dated_rules_only_and_equals_deriving_everything(
    folder: Path, rules_run: list[str]
) -> None:
    first = derived_record.refresh_folder(folder, DAY_ONE)
    every_rule = sorted(rules_run)
    dated = sorted(spec.id for spec in rules.rule_specs(rules.Catalogue()) if rules.dated(spec))
    assert dated
    assert set(dated) < set(every_rule)
    rules_run.clear()
    second = derived_record.refresh_folder(folder, DAY_TWO)
    assert sorted(rules_run) == dated
    expected = _from_scratch(DAY_TWO)
    assert _folder_graph(folder) == expected
    assert _from_scratch(DAY_ONE) != expected  # the day matters to the answer
    assert first > 0
    assert second > 0


def test_changed_data_derives_everything(folder: Path, rules_run: list[str]) -> None:
    derived_record.refresh_folder(folder, DAY_ONE)
    every_rule = sorted(rules_run)
    writer = open_store(folder)  # a write that derives nothing: a new generation
    writer.update("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    writer.update("DELETE DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    writer.close()
    rules_run.clear()
    derived_record.refresh_folder(folder, DAY_TWO)
    assert sorted(rules_run) == every_rule
    assert _folder_graph(folder) == _from_scratch(DAY_TWO)


@pytest.mark.parametrize("damage", ["rules", "body", "missing"])
def test_a_record_that_does_not_fit_derives_everything(folder: Path, rules_run: list[str], damage: str) -> None:
    derived_record.refresh_folder(folder, DAY_ONE)
    every_rule = sorted(rules_run)
    record = folder / derived_record.RECORD
    text = record.read_text("utf-8")
    if damage == "rules":
        head, _, body = text.partition("\n")
        record.write_text(head[:-8] + "00000000\n" + body, "utf-8")
    elif damage == "body":
        record.write_text(text + "<urn:x:a> <urn:x:b> .\n", "utf-8")
    else:
        record.unlink()
    rules_run.clear()
    derived_record.refresh_folder(folder, DAY_TWO)
    assert sorted(rules_run) == every_rule
    assert _folder_graph(folder) == _from_scratch(DAY_TWO)
