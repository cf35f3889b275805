"""Unit tests of crmkg.lookup over a small in-memory store (data/mini.ttl), on both local backends.

The expected answers follow from the fixture's comments: who owns and leads when, by which label,
what a person answers for through a post, and what is not a customer relationship.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmkg import lookup
from crmkg.errors import NotFound, UsageError
from crmkg.formats import RdfFormat
from crmkg.lookup import Accountable, Party, Responsibility
from crmkg.store import Store, open_store

EX = "https://example.org/mini/"
AKJ = "https://w3id.org/crmkg/akj#"
DATA = Path(__file__).parent / "data" / "mini.ttl"
AFTER_HANDOVER = dt.date(2026, 1, 15)
BEFORE_HANDOVER = dt.date(2025, 3, 1)


def ex(name: str) -> str:
    return EX + name


@pytest.fixture(scope="module", params=["oxigraph", "memory"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    opened = open_store(backend=request.param)
    opened.load(DATA.read_bytes(), RdfFormat.TURTLE, source=str(DATA))
    yield opened
    opened.close()


#: the post's holder (an undated org:holds: held throughout) is the person accountable behind it
POST_OWNER = Responsibility(
    Party(ex("post-sales-lead"), "Head of sales"),
    dt.date(2025, 7, 1),
    None,
    ex("asg-a-owner-2"),
    accountable=(Accountable(Party(ex("bertil"), "Bertil Berg"), "post-holder"),),
)
FIRST_OWNER = Responsibility(
    Party(ex("anna"), "Anna Aalto"), dt.date(2024, 1, 1), dt.date(2025, 6, 30), ex("asg-a-owner-1")
)
LEAD_FI = Responsibility(Party(ex("cecilia"), "Cecilia Carlsson"), dt.date(2024, 1, 1), None, ex("asg-a-lead"), True)


def test_ownership_table_lists_every_relationship_by_label(store: Store) -> None:
    table = lookup.ownership_table(store, AFTER_HANDOVER, lang="en")
    assert [a.relationship for a in table] == [
        Party(ex("rel-a"), "Relationship A"),
        Party(ex("rel-b"), "Relationship B"),  # the untagged label stands in for English
    ]
    a, b = table
    assert a.provider == Party(ex("provider"), "Service company")
    assert (a.start, a.end) == (dt.date(2024, 1, 1), None)
    assert a.parties == {
        AKJ + "UserRole": [Party(ex("customer-1"), "customer-1")],  # no English label: the local name
        AKJ + "NegotiatingPartnerRole": [],
        AKJ + "PayerRole": [Party(ex("customer-2"), "Customer Two")],
    }
    assert a.owners == [POST_OWNER]
    assert a.leads == [
        Responsibility(Party(ex("cecilia"), "cecilia"), dt.date(2024, 1, 1), None, ex("asg-a-lead"), True)
    ]
    assert b.owners == []  # its owner assignment ended with it
    assert not b.active_on(AFTER_HANDOVER)
    assert b.active_on(dt.date(2025, 12, 31))


def test_the_owner_changes_at_the_handover(store: Store) -> None:
    rel, owners, leads = lookup.current_responsibilities(store, ex("rel-a"), BEFORE_HANDOVER, lang="fi")
    assert rel == Party(ex("rel-a"), "Asiakkuus A")
    assert owners == [FIRST_OWNER]
    assert leads == [LEAD_FI]
    _, owners_after, _ = lookup.current_responsibilities(store, ex("rel-a"), AFTER_HANDOVER, lang="en")
    assert owners_after == [POST_OWNER]


def test_a_relationship_without_a_current_owner_still_answers(store: Store) -> None:
    rel, owners, leads = lookup.current_responsibilities(store, ex("rel-b"), AFTER_HANDOVER, lang="fi")
    assert rel == Party(ex("rel-b"), "Asiakkuus B")
    assert (owners, leads) == ([], [])


@pytest.mark.parametrize("iri", [ex("something-else"), ex("anna"), ex("nowhere")])
def test_what_is_not_a_relationship_is_not_found(store: Store, iri: str) -> None:
    with pytest.raises(NotFound):
        lookup.current_responsibilities(store, iri, AFTER_HANDOVER)
    with pytest.raises(NotFound):
        lookup.relationship_answer(store, iri, AFTER_HANDOVER)


def test_relationship_answer_and_its_trace(store: Store) -> None:
    trace: list[lookup.TracedQuery] = []
    answer = lookup.relationship_answer(store, ex("rel-b"), dt.date(2025, 6, 1), lang="fi", trace=trace)
    assert answer.parties[AKJ + "UserRole"] == [Party(ex("customer-1"), "Asiakas Yksi")]
    assert answer.parties[AKJ + "NegotiatingPartnerRole"] == [Party(ex("customer-1"), "Asiakas Yksi")]
    assert answer.owners == [
        Responsibility(Party(ex("anna"), "Anna Aalto"), dt.date(2023, 1, 1), dt.date(2025, 12, 31), ex("asg-b-owner"))
    ]
    assert [t.name for t in trace] == [
        "relationships",
        "relationship-parties",
        "relationship-responsibilities",
        "accountable",
    ]
    assert trace[0].bindings == {"relationship": f"<{ex('rel-b')}>", "lang": '"fi"'}
    assert trace[2].bindings["asOf"] == '"2025-06-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert trace[0].sparql == lookup.lookup_query_text("relationships")


def test_history_and_handovers(store: Store) -> None:
    entries, handovers = lookup.responsibility_history(store, ex("rel-a"), lang="fi")
    assert [(e.role, e.responsibility.assignment, e.assigned_by) for e in entries] == [
        ("owner", ex("asg-a-owner-1"), ex("board")),
        ("owner", ex("asg-a-owner-2"), None),
        ("lead", ex("asg-a-lead"), None),
    ]
    assert [(h.role, h.date, h.previous, h.to) for h in handovers] == [
        ("owner", dt.date(2024, 1, 1), None, Party(ex("anna"), "Anna Aalto")),
        ("owner", dt.date(2025, 7, 1), Party(ex("anna"), "Anna Aalto"), Party(ex("post-sales-lead"), "Myyntijohtaja")),
        ("lead", dt.date(2024, 1, 1), None, Party(ex("cecilia"), "Cecilia Carlsson")),
    ]
    _, within = lookup.responsibility_history(store, ex("rel-a"), start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assert [h.date for h in within] == [dt.date(2025, 7, 1)]


def test_a_person_answers_for_what_their_post_owns(store: Store) -> None:
    found = lookup.agent_relationships(store, ex("bertil"), AFTER_HANDOVER, lang="en")
    assert [(a.relationship, a.role, a.via) for a in found] == [
        (Party(ex("rel-a"), "Relationship A"), "owner", Party(ex("post-sales-lead"), "post-sales-lead"))
    ]
    assert lookup.agent_relationships(store, ex("bertil"), BEFORE_HANDOVER) == []
    assert [a.role for a in lookup.agent_relationships(store, ex("cecilia"), AFTER_HANDOVER, role="lead")] == ["lead"]
    assert lookup.agent_relationships(store, ex("cecilia"), AFTER_HANDOVER, role="owner") == []
    with pytest.raises(UsageError):
        lookup.agent_relationships(store, ex("cecilia"), AFTER_HANDOVER, role="payer")
    with pytest.raises(NotFound):
        lookup.agent_relationships(store, ex("nobody"), AFTER_HANDOVER)


def test_a_party_and_its_capacities(store: Store) -> None:
    found = lookup.party_relationships(store, ex("customer-1"), lang="fi")
    assert [(p.relationship.iri, p.capacities) for p in found] == [
        (ex("rel-a"), (AKJ + "UserRole",)),
        (ex("rel-b"), (AKJ + "NegotiatingPartnerRole", AKJ + "UserRole")),
    ]
    assert found[0].relationship == Party(ex("rel-a"), "Asiakkuus A")
    assert found[0].provider == Party(ex("provider"), "Palveluyhtiö")
    assert found[1].end == dt.date(2025, 12, 31)


def test_describe_resource(store: Store) -> None:
    assert lookup.describe_resource(store, ex("rel-a"), lang="en") == lookup.Resource(
        ex("rel-a"), "Relationship A", (AKJ + "CustomerRelationship",)
    )
    assert lookup.describe_resource(store, ex("board")).label == "Hallitus"  # foaf:name, no label
    with pytest.raises(NotFound):
        lookup.describe_resource(store, ex("nowhere"))


def test_a_malformed_iri_is_a_usage_error(store: Store) -> None:
    with pytest.raises(UsageError, match="not a valid IRI"):
        lookup.current_responsibilities(store, "not an iri", AFTER_HANDOVER)


def test_role_and_local_names() -> None:
    assert lookup.role_name(AKJ + "OwnerRole") == "owner"
    assert lookup.role_name(AKJ + "LeadRole") == "lead"
    assert lookup.role_name(AKJ + "SponsorRole") == "SponsorRole"
    assert lookup.local_name("https://example.org/a/b#c") == "c"
