"""The person accountable behind every owner (issue 12 §4) on the example organisation.

The lookup's ``accountable`` / ``accountable_reason`` for the owners must say what CQ43 says: its
golden rows on 2026-10-01 (``tests/catalogue/expected/cq-043.srj``, checked against the example
README) and, on other dates, the rows CQ43 itself returns — compared as sets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from crmkg import lookup
from crmkg.catalogue import Catalogue
from crmkg.lookup.queries import AccountableMemo
from crmkg.store import Store, open_store

from ..catalogue.conftest import AS_OF, EXPECTED, example_quads, multiset, read_srj

Row = frozenset[tuple[str, str]]


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    opened = open_store()
    opened.add_quads(example_quads())
    yield opened
    opened.close()


def _lookup_rows(store: Store, day: dt.date) -> set[Row]:
    """The owners' accountable persons as CQ43's bindings (N-Triples terms)."""
    rows: set[Row] = set()
    for answer in lookup.ownership_table(store, day):
        if not answer.active_on(day):
            continue
        for owner in answer.owners:
            base = {("relationship", f"<{answer.relationship.iri}>"), ("owner", f"<{owner.assignee.iri}>")}
            for who in owner.accountable:
                rows.add(frozenset(base | {("person", f"<{who.person.iri}>"), ("basis", f'"{who.basis}"')}))
            if owner.accountable_reason is not None:
                rows.add(frozenset(base | {("reason", f'"{owner.accountable_reason}"')}))
    return rows


def test_the_accountable_person_is_cq43s_on_the_golden_date(store: Store) -> None:
    assert _lookup_rows(store, AS_OF) == set(read_srj(EXPECTED / "cq-043.srj"))


@pytest.mark.parametrize("day", [dt.date(2025, 8, 1), dt.date(2026, 3, 1), dt.date(2026, 8, 31)])
def test_the_accountable_person_follows_tenures_like_cq43(store: Store, day: dt.date) -> None:
    catalogue = Catalogue()
    spec = catalogue.get("cq-043")
    cq43 = set(multiset(store.query(spec.text, bindings=catalogue.bind(spec, {"asOf": day.isoformat()}))))
    assert _lookup_rows(store, day) == cq43


def test_a_vacant_owning_post_has_no_one_and_says_why(store: Store) -> None:
    rel = "https://example.org/esimerkki/rel-jarvilinnan-vesi-kiinteistohuolto"
    answer = lookup.relationship_answer(store, rel, AS_OF)
    (owner,) = answer.owners
    assert owner.accountable == ()
    assert owner.accountable_reason == "vacant-post"


def test_a_post_owner_names_its_holder_and_tenure(store: Store) -> None:
    rel = "https://example.org/esimerkki/rel-tunturihotellit-siivous"
    _, owners, _ = lookup.current_responsibilities(store, rel, AS_OF)
    (owner,) = owners
    (holder,) = owner.accountable
    assert (holder.person.iri, holder.basis) == ("https://example.org/esimerkki/sari-laine", "post-holder")
    assert holder.since == dt.date(2022, 3, 1)
    assert holder.until is None


def test_a_person_answers_through_the_posts_held_that_day(store: Store) -> None:
    person, post = (
        "https://example.org/esimerkki/sari-laine",
        "https://example.org/esimerkki/post-palvelut-myyntijohtaja",
    )
    # CQ39's golden: the post and its holder each own 8 relationships on the golden date
    now = lookup.agent_relationships(store, person, AS_OF, role="owner")
    assert len({a.relationship.iri for a in now if a.via is not None and a.via.iri == post}) == 8
    # her tenure of the post starts on 2022-03-01: before it, nothing comes through the post
    before = lookup.agent_relationships(store, person, dt.date(2022, 2, 28), role="owner")
    assert all(a.via is None or a.via.iri != post for a in before)


def test_a_memo_shared_by_every_lookup_gives_the_same_answers(store: Store) -> None:
    """The lookup workers keep who is accountable behind each assignee for its next relationship:
    shared across relationships, dates and languages, the answers are those made without it."""
    memo: AccountableMemo = {}
    days = [dt.date(2025, 8, 1), AS_OF, dt.date(2026, 3, 1), dt.date(2026, 8, 31)]
    relationships = [answer.relationship.iri for answer in lookup.ownership_table(store, AS_OF)]
    asked = 0
    for day in days:
        for lang in ("fi", "en"):
            for iri in relationships:
                fresh = lookup.current_responsibilities(store, iri, day, lang=lang)
                remembered = lookup.current_responsibilities(store, iri, day, lang=lang, memo=memo)
                assert remembered == fresh, (iri, day, lang)
                asked += len({r.assignee.iri for r in (*fresh[1], *fresh[2])})
    assert 0 < len(memo) < asked  # assignees shared between relationships were answered from it
