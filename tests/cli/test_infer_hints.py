"""``crmkg infer`` says why no owner/lead shortcut was derived (issue 14 §6): an architect's first
query, ``?r akj:hasOwner ?o``, finds nothing until the shortcuts exist."""

from __future__ import annotations

import pytest
from rdflib import Graph

from crmkg import resources
from crmkg.cli import main
from crmkg.namespaces import AKJ

EXAMPLE = resources.example_dir("esimerkki")


def _assignments() -> int:
    graph = Graph()
    for path in EXAMPLE.glob("*.ttl"):
        graph.parse(path)
    return len(set(graph.subjects(AKJ.assignmentFor, None)))


def test_no_assignment_current_on_the_day(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["infer", "--as-of", "1999-01-01", "--rule", "rule-001-owner-lead-shortcuts"]) == 0
    err = capsys.readouterr().err
    assert f"none of the data's {_assignments()} responsibility assignments is current on 1999-01-01" in err
    monkeypatch.setenv("CRMKG_LANG", "fi")
    assert main(["infer", "--as-of", "1999-01-01", "--rule", "rule-001-owner-lead-shortcuts"]) == 0
    assert "ei ole voimassa 1999-01-01" in capsys.readouterr().err


def test_no_assignments_at_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["infer", "--data", str(EXAMPLE / "people.ttl"), "--rule", "rule-001-owner-lead-shortcuts"]) == 0
    assert "the data has no responsibility assignments" in capsys.readouterr().err


def test_silent_when_shortcuts_were_derived(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["infer", "--as-of", "2026-10-01", "--rule", "rule-001-owner-lead-shortcuts"]) == 0
    out, err = capsys.readouterr()
    assert "hasOwner" in out
    assert "no owner or lead shortcuts" not in err
