"""The main job: ``crmkg lookup ownership`` on the example organisation.

Two independent checks of the SPARQL answer: an expected-results file (compared as a set of rows)
and a plain-Python walk over the same triples with rdflib, sharing no code with the lookup queries.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from crmkg import resources
from crmkg.cli import main
from crmkg.namespaces import AKJ

EXPECTED = Path(__file__).parent / "expected"
EXAMPLE = resources.example_dir("esimerkki")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["lookup", "ownership", "--data", str(EXAMPLE), *args])
    out = capsys.readouterr().out
    assert code == 0
    return out


def _rows(text: str) -> set[tuple[str, ...]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    assert header == ["relationship", "role", "party", "since"]
    return {tuple(row) for row in reader}


@pytest.mark.parametrize("day", ["2026-10-01", "2025-06-30"])
def test_ownership_table_matches_the_expected_file(capsys: pytest.CaptureFixture[str], day: str) -> None:
    got = _rows(_run(capsys, "--as-of", day, "--format", "csv"))
    expected = _rows((EXPECTED / f"ownership-{day}.csv").read_text("utf-8"))
    assert got == expected


def _current(graph: Graph, role: URIRef, day: dt.date) -> set[tuple[str, str, str]]:
    """(relationship, assignee, since) of assignments in ``role`` current on ``day``, by hand."""
    found = set()
    for assignment in graph.subjects(AKJ.responsibilityRole, role):
        start = graph.value(assignment, AKJ.startDate)
        end = graph.value(assignment, AKJ.endDate)
        if start is None or start.toPython() > day:
            continue
        if end is not None and end.toPython() < day:
            continue
        rel = graph.value(assignment, AKJ.assignmentFor)
        who = graph.value(assignment, AKJ.assignee)
        found.add((str(rel), str(who), str(start)))
    return found


@pytest.mark.parametrize("day", [dt.date(2026, 10, 1), dt.date(2025, 6, 30), dt.date(2024, 1, 15)])
def test_owners_and_leads_agree_with_a_plain_python_walk(capsys: pytest.CaptureFixture[str], day: dt.date) -> None:
    graph = Graph()
    for path in sorted(EXAMPLE.glob("*.ttl")):
        graph.parse(path)
    answers = json.loads(_run(capsys, "--as-of", day.isoformat(), "--format", "json"))
    relationships = {a["relationship"] for a in answers}
    hand_owners = {t for t in _current(graph, AKJ.OwnerRole, day) if t[0] in relationships}
    hand_leads = {t for t in _current(graph, AKJ.LeadRole, day) if t[0] in relationships}
    got_owners = {(a["relationship"], o["assignee"], o["since"]) for a in answers for o in a["owners"]}
    got_leads = {(a["relationship"], o["assignee"], o["since"]) for a in answers for o in a["leads"]}
    assert got_owners == hand_owners
    assert got_leads == hand_leads
    capacities = {
        AKJ.hasUser: AKJ.UserRole,
        AKJ.hasNegotiatingPartner: AKJ.NegotiatingPartnerRole,
        AKJ.hasPayer: AKJ.PayerRole,
    }
    hand_parties = {
        (str(rel), str(capacities[prop]), str(party))
        for prop in capacities
        for rel, party in graph.subject_objects(prop)
        if str(rel) in relationships
    }
    got_parties = {(a["relationship"], cap, p) for a in answers for cap, ps in a["parties"].items() for p in ps}
    assert got_parties == hand_parties
    # every customer relationship of the data is in the table, and nothing else
    typed = {str(s) for s in graph.subjects(RDF.type, None) if str(s) in relationships}
    assert typed == relationships
    assert len(relationships) >= 25


def test_the_text_table_answers_whose_the_relationship_is(capsys: pytest.CaptureFixture[str]) -> None:
    fi = _run(capsys, "--as-of", "2026-10-01", "--lang", "fi")
    assert fi.startswith("Kenen on asiakkuus? Tilanne 2026-10-01")
    for heading in ("käyttäjä", "neuvottelukumppani", "maksaja", "omistaja", "asiakkuusvastaava"):
        assert f"  {heading} " in fi
    en = _run(capsys, "--as-of", "2026-10-01", "--lang", "en")
    assert en.startswith("Whose is the customer relationship? As of 2026-10-01")
    assert "negotiating partner" in en
    # a relationship with nobody in a capacity or without a lead says so instead of leaving a gap
    assert "— ei ketään —" in fi
    assert "— nobody —" in en


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["lookup", "ownership", "--as-of", "1.10.2026"])
    assert info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_a_syntax_error_in_the_data_is_exit_2_with_the_location(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b .\n")
    code = main(["lookup", "ownership", "--data", str(bad)])
    assert code == 2
    assert f"{bad}:2:" in capsys.readouterr().err
