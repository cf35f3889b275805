"""Labels without a language tag are the fallback in every lookup (issue 14 §7): importers write
them so, and ``/owner``, ``/leads`` and the other answers showed record ids instead."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmkg import lookup
from crmkg.formats import RdfFormat
from crmkg.lookup import Party
from crmkg.store import Store, open_store

EX = "https://example.org/crm/"
DATA = Path(__file__).parent / "data" / "untagged.ttl"
DAY = dt.date(2025, 6, 1)
REL = EX + "0060000000RELAAAA1"


@pytest.fixture(scope="module", params=["oxigraph", "memory"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    opened = open_store(backend=request.param)
    opened.load(DATA.read_bytes(), RdfFormat.TURTLE, source=str(DATA))
    yield opened
    opened.close()


def _labels(parties: list[Party | None]) -> set[str]:
    return {p.label for p in parties if p is not None}


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_answer_shows_the_untagged_labels(store: Store, lang: str) -> None:
    answer = lookup.relationship_answer(store, REL, DAY, lang=lang)
    assert answer.relationship.label == "Relationship One"
    assert _labels([answer.provider]) == {"Provider Company"}
    assert _labels([r.assignee for r in answer.owners]) == {"Account Director"}
    assert _labels([r.assignee for r in answer.leads]) == {"Lead Person"}
    assert _labels([a.person for r in answer.owners for a in r.accountable]) == {"Owner Person"}

    _rel, owners, leads = lookup.current_responsibilities(store, REL, DAY, lang=lang)
    assert _labels([r.assignee for r in owners + leads]) == {"Account Director", "Lead Person"}

    entries, handovers = lookup.responsibility_history(store, REL, lang=lang)
    assert _labels([e.responsibility.assignee for e in entries]) == {"Owner Person", "Account Director", "Lead Person"}
    assert _labels([h.to for h in handovers] + [h.previous for h in handovers]) >= {"Owner Person", "Account Director"}

    table = lookup.ownership_table(store, DAY, lang=lang)
    assert [a.relationship.label for a in table] == ["Relationship One"]

    agent = lookup.agent_relationships(store, EX + "0050000000USERAAA2", DAY, lang=lang)
    assert [a.relationship.label for a in agent] == ["Relationship One"]

    party = lookup.party_relationships(store, EX + "0010000000CUSTOMR1", lang=lang)
    assert [p.relationship.label for p in party] == ["Relationship One"]
    assert _labels([p.provider for p in party]) == {"Provider Company"}

    assert lookup.describe_resource(store, EX + "0050000000POSTAAA1", lang=lang).label == "Account Director"
