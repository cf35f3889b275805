"""``crmkg lookup owner|leads|relationship|history`` for one relationship."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph

from crmkg import resources
from crmkg.cli import main
from crmkg.namespaces import AKJ, EX

EXAMPLE = resources.example_dir("esimerkki")
REL = "ex:rel-kauppakulma-kiinteistohuolto"


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["lookup", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def _assignments(role: str) -> dict[str, tuple[str, str, str | None]]:
    """assignment → (assignee, start, end) for the relationship's assignments in ``role``, by hand."""
    graph = Graph().parse(EXAMPLE / "assignments.ttl")
    rel = EX["rel-kauppakulma-kiinteistohuolto"]
    found = {}
    for a in graph.subjects(AKJ.assignmentFor, rel):
        if graph.value(a, AKJ.responsibilityRole) == AKJ[role]:
            end = graph.value(a, AKJ.endDate)
            found[str(a)] = (str(graph.value(a, AKJ.assignee)), str(graph.value(a, AKJ.startDate)), end and str(end))
    return found


@pytest.mark.parametrize("day", ["2024-06-01", "2025-08-31", "2025-09-01", "2026-10-01"])
def test_leads_as_of_a_date_follow_the_handover(capsys: pytest.CaptureFixture[str], day: str) -> None:
    leads = _assignments("LeadRole")
    assert len(leads) >= 2, "the example must hand this relationship over"
    expected = {
        (who, start)
        for who, start, end in leads.values()
        if start <= day and (end is None or end >= day)  # ISO dates compare as text
    }
    got = _json(capsys, "leads", REL, "--as-of", day)
    assert {(r["assignee"], r["since"]) for r in got["leads"]} == expected  # type: ignore[index,union-attr]
    assert len(expected) == 1


def test_owner_and_history(capsys: pytest.CaptureFixture[str]) -> None:
    owner = _json(capsys, "owner", REL, "--as-of", "2026-10-01")
    owners = _assignments("OwnerRole")
    assert {o["assignment"] for o in owner["owners"]} == set(owners)  # type: ignore[index,union-attr]
    history = _json(capsys, "history", REL)
    lead_handovers = [h for h in history["handovers"] if h["role"] == "lead"]  # type: ignore[union-attr]
    leads = sorted(_assignments("LeadRole").values(), key=lambda t: t[1])
    assert [(h["to"], h["date"]) for h in lead_handovers] == [(who, start) for who, start, _ in leads]
    assert lead_handovers[0]["from"] is None
    assert lead_handovers[1]["from"] == leads[0][0]


def test_unknown_relationship_and_bad_curie_are_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "owner", "ex:no-such-relationship"]) == 2
    assert "not a customer relationship" in capsys.readouterr().err
    assert main(["lookup", "owner", "nope"]) == 2
    assert "not an IRI or CURIE" in capsys.readouterr().err


@pytest.mark.parametrize(("lang", "vacant"), [("fi", "tehtävä vapaana"), ("en", "post vacant")])
def test_an_owning_post_is_shown_with_the_person_behind_it(
    capsys: pytest.CaptureFixture[str], lang: str, vacant: str
) -> None:
    # Sari Laine holds "Myyntijohtaja, palvelut" from 2022-03-01 (organisation-history.ttl)
    assert main(["lookup", "owner", REL, "--as-of", "2026-10-01", "--lang", lang]) == 0
    assert "(Sari Laine)" in capsys.readouterr().out
    # the public-sector account director's post created on 2026-09-01 has no holder yet
    args = ["lookup", "owner", "ex:rel-jarvilinnan-vesi-kiinteistohuolto", "--as-of", "2026-10-01", "--lang", lang]
    assert main(args) == 0
    assert f"({vacant})" in capsys.readouterr().out
    owners = _json(capsys, "owner", REL, "--as-of", "2026-10-01")["owners"]
    assert [(a["person"], a["basis"], a["since"]) for a in owners[0]["accountable"]] == [  # type: ignore[index]
        (str(EX["sari-laine"]), "post-holder", "2022-03-01")
    ]


@pytest.mark.parametrize("rel", ["rel-pohjolan-logistiikka-siivous", "rel-pohjolan-logistiikka-it"])
def test_history_gives_each_handovers_recorded_reason(capsys: pytest.CaptureFixture[str], rel: str) -> None:
    graph = Graph().parse(EXAMPLE / "assignments.ttl")
    recorded = {
        str(a): str(graph.value(a, AKJ.handoverReason))
        for a in graph.subjects(AKJ.assignmentFor, EX[rel])
        if graph.value(a, AKJ.handoverReason) is not None
    }
    assert recorded, "the example records a reason for this relationship's handover"
    handovers = _json(capsys, "history", f"ex:{rel}")["handovers"]
    given = {h["assignment"]: h["reason"] for h in handovers if h["from"] is not None}  # type: ignore[union-attr]
    assert {a: r for a, r in given.items() if r is not None} == recorded
    assert main(["lookup", "history", f"ex:{rel}", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    if str(AKJ.PersonLeftReason) in recorded.values():
        assert "(person left)" in text
