"""The lookups: who the customer is, who owns and who leads, computed by SPARQL over a Store.

Every answer comes from a query in ``queries/lookup/`` run with engine-bound parameters; the CLI,
the API and the web pages only format what these functions return (:mod:`crmkg.lookup.answers`).
The single-subject lookups take an optional ``trace`` list that collects the SPARQL they ran, for
``explain=true``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, MutableMapping
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from crmkg import resources
from crmkg.errors import NotFound, UsageError
from crmkg.lookup.answers import (
    CAPACITIES,
    OWNER_ROLE,
    ROLES,
    Accountable,
    AgentResponsibility,
    Handover,
    HistoryEntry,
    Party,
    PartyRelationship,
    RelationshipAnswer,
    Resource,
    Responsibility,
    Row,
    TracedQuery,
    date_of,
    local_name,
    owners_and_leads,
    party_of,
    responsibility_of,
    role_name,
)
from crmkg.store import Store, Term
from crmkg.store.terms import XSD, literal, named_node


@cache
def _query_text(name: str, data_dir: Path | None = None) -> str:
    return (resources.data_path("queries", data_dir) / "lookup" / f"{name}.rq").read_text("utf-8")


def lookup_query_text(name: str) -> str:
    """The text of ``queries/lookup/<name>.rq`` (what ``explain=true`` shows)."""
    return _query_text(name)


def _traced(store: Store, name: str, trace: list[TracedQuery] | None, **bindings: Term) -> list[Row]:
    if trace is not None:
        trace.append(TracedQuery(name, _query_text(name), {k: str(v) for k, v in bindings.items()}))
    return store.select(_query_text(name), bindings=bindings).dicts()


@lru_cache(maxsize=1024)
def _date_term(day: dt.date) -> ox.Literal:
    return literal(day.isoformat(), XSD + "date")


@lru_cache(maxsize=64)
def _lang_term(lang: str) -> ox.Literal:
    return literal(lang)


#: assignee IRI → (the persons accountable behind it, the reason when there is none)
_AccountableTable = dict[str, tuple[list[Accountable], str | None]]


#: (assignee IRI, date, language) → the accountable query's rows for that assignee
AccountableMemo = MutableMapping[tuple[str, dt.date, str], list[Row]]


def _accountable_table(
    store: Store,
    as_of: dt.date,
    lang_term: ox.Literal,
    trace: list[TracedQuery] | None,
    relationship: ox.NamedNode | None = None,
    assignees: Iterable[str] = (),
    memo: AccountableMemo | None = None,
) -> _AccountableTable:
    """Who is accountable behind every current owner/lead assignee (of one relationship, or all).

    With ``relationship``, one query per assignee in ``assignees`` (those already read for it), each
    with the assignee bound: Oxigraph evaluates the query's OPTIONAL on its own side first, so an
    unbound assignee makes every lookup read all the store's persons, tenures and holdings (about
    60 ms at 1M triples against under 1 ms bound).

    ``memo`` keeps each assignee's rows for the next relationship it owns or leads: given that the
    assignee is current for the relationship (which the caller has read), no column of a row depends
    on which relationship it is. Only for a store that cannot change while the memo lives.
    """
    bindings: dict[str, Term] = {"asOf": _date_term(as_of), "lang": lang_term}
    if relationship is None:
        rows = _traced(store, "accountable", trace, **bindings)
    else:
        bindings["relationship"] = relationship
        rows = []
        for iri in sorted(set(assignees)):
            key = (iri, as_of, lang_term.value)
            known = None if memo is None or trace is not None else memo.get(key)
            if known is None:
                known = _traced(store, "accountable", trace, **bindings, assignee=named_node(iri))
                if memo is not None:
                    memo[key] = known
            rows.extend(known)
    table: _AccountableTable = {}
    for row in rows:
        people, _ = table.setdefault(row["assignee"].value, ([], None))
        if "person" in row:
            person = party_of(row["person"], row.get("personLabel"))
            if all(a.person.iri != person.iri for a in people):  # several labels give several rows
                people.append(
                    Accountable(person, row["basis"].value, date_of(row.get("since")), date_of(row.get("until")))
                )
        elif "reason" in row:
            table[row["assignee"].value] = (people, row["reason"].value)
    return table


def _assignees(*groups: list[Responsibility]) -> list[str]:
    return [resp.assignee.iri for group in groups for resp in group]


def _with_accountable(items: list[Responsibility], table: _AccountableTable) -> list[Responsibility]:
    """The responsibilities with the persons accountable behind their assignees filled in."""
    result = []
    for resp in items:
        people, reason = table.get(resp.assignee.iri, ([], None))
        ordered = tuple(sorted(people, key=lambda a: (a.person.label.casefold(), a.person.iri)))
        result.append(replace(resp, accountable=ordered, accountable_reason=None if ordered else reason))
    return result


def ownership_table(store: Store, as_of: dt.date, *, lang: str = "fi") -> list[RelationshipAnswer]:
    """Every customer relationship with its parties by capacity and its owners and leads on ``as_of``.

    Sorted by the relationship's label.
    """
    lang_term = _lang_term(lang)
    answers: dict[str, RelationshipAnswer] = {}
    for row in _traced(store, "relationships", None, lang=lang_term):
        iri = row["relationship"].value
        if iri in answers:
            continue  # several classes or labels: the first row is enough
        provider = row.get("provider")
        answers[iri] = RelationshipAnswer(
            relationship=party_of(iri, row.get("relationshipLabel")),
            provider=party_of(provider, row.get("providerLabel")) if provider else None,
            start=date_of(row.get("start")),
            end=date_of(row.get("end")),
            parties={str(c): [] for c in CAPACITIES},
        )
    for row in _traced(store, "relationship-parties", None, lang=lang_term):
        answer = answers.get(row["relationship"].value)
        if answer is None:
            continue
        party = party_of(row["party"], row.get("partyLabel"))
        bucket = answer.parties.setdefault(row["capacity"].value, [])
        if all(p.iri != party.iri for p in bucket):  # several labels give several rows
            bucket.append(party)

    by_rel: dict[str, list[tuple[str, Responsibility]]] = defaultdict(list)
    for row in _traced(store, "current-responsibilities", None, asOf=_date_term(as_of), lang=lang_term):
        resp = responsibility_of(row, as_of)
        held = by_rel[row["relationship"].value]
        if all(r.assignment != resp.assignment for _, r in held):
            held.append((row["role"].value, resp))  # one per assignment
    accountable = _accountable_table(store, as_of, lang_term, None)
    for iri, items in by_rel.items():
        answer = answers.get(iri)
        if answer is None:
            continue  # an assignment for something that is not a customer relationship
        for role, resp in sorted(items, key=lambda x: (x[1].since, x[1].assignee.iri)):
            (answer.owners if role == OWNER_ROLE else answer.leads).extend(_with_accountable([resp], accountable))
    return sorted(answers.values(), key=lambda a: (a.relationship.label.casefold(), a.relationship.iri))


def describe_resource(store: Store, iri: str, *, lang: str = "fi", trace: list[TracedQuery] | None = None) -> Resource:
    """The label and types of ``iri``; raises :class:`NotFound` if no triple mentions it."""
    rows = _traced(store, "resource-types", trace, resource=named_node(iri), lang=_lang_term(lang))
    if not rows:
        raise NotFound(key="error.iri_not_in_data", iri=iri)
    label = next((r["label"].value for r in rows if "label" in r), local_name(iri))
    types = tuple(sorted({r["type"].value for r in rows if "type" in r}))
    return Resource(iri, label, types)


def relationship_answer(
    store: Store,
    iri: str,
    as_of: dt.date,
    *,
    lang: str = "fi",
    trace: list[TracedQuery] | None = None,
) -> RelationshipAnswer:
    """One customer relationship: parties by capacity, owners and leads current on ``as_of``.

    Raises :class:`NotFound` if ``iri`` is not a customer relationship in the data.
    """
    rel = named_node(iri)
    lang_term = _lang_term(lang)
    rows = _traced(store, "relationships", trace, relationship=rel, lang=lang_term)
    if not rows:
        raise NotFound(key="error.not_a_relationship", iri=iri)
    first = rows[0]
    provider = first.get("provider")
    answer = RelationshipAnswer(
        relationship=party_of(iri, first.get("relationshipLabel")),
        provider=party_of(provider, first.get("providerLabel")) if provider else None,
        start=date_of(first.get("start")),
        end=date_of(first.get("end")),
        parties={str(c): [] for c in CAPACITIES},
    )
    for row in _traced(store, "relationship-parties", trace, relationship=rel, lang=lang_term):
        party = party_of(row["party"], row.get("partyLabel"))
        bucket = answer.parties.setdefault(row["capacity"].value, [])
        if all(p.iri != party.iri for p in bucket):  # several labels give several rows
            bucket.append(party)
    owners, leads = _current(store, rel, as_of, lang_term, trace)
    answer.owners.extend(owners)
    answer.leads.extend(leads)
    return answer


def _current(
    store: Store, rel: ox.NamedNode, as_of: dt.date, lang_term: ox.Literal, trace: list[TracedQuery] | None
) -> tuple[list[Responsibility], list[Responsibility]]:
    rows = _traced(
        store, "relationship-responsibilities", trace, relationship=rel, asOf=_date_term(as_of), lang=lang_term
    )
    owners, leads = owners_and_leads(rows, as_of)
    accountable = _accountable_table(store, as_of, lang_term, trace, rel, _assignees(owners, leads))
    return _with_accountable(owners, accountable), _with_accountable(leads, accountable)


def current_responsibilities(
    store: Store,
    iri: str,
    as_of: dt.date,
    *,
    lang: str = "fi",
    trace: list[TracedQuery] | None = None,
    memo: AccountableMemo | None = None,
) -> tuple[Party, list[Responsibility], list[Responsibility]]:
    """The relationship, its owners and its leads on ``as_of`` — one small query, for hot paths.

    Raises :class:`NotFound` if ``iri`` is not a customer relationship in the data. ``memo``: see
    :func:`_accountable_table` (a read-only store's lookup worker keeps one).
    """
    rows = _traced(
        store,
        "relationship-current",
        trace,
        relationship=named_node(iri),
        asOf=_date_term(as_of),
        lang=_lang_term(lang),
    )
    if not rows:
        raise NotFound(key="error.not_a_relationship", iri=iri)
    owners, leads = owners_and_leads(rows, as_of)
    assignees = _assignees(owners, leads)
    accountable = _accountable_table(store, as_of, _lang_term(lang), trace, named_node(iri), assignees, memo)
    return (
        party_of(iri, rows[0].get("relationshipLabel")),
        _with_accountable(owners, accountable),
        _with_accountable(leads, accountable),
    )


def responsibility_history(
    store: Store,
    iri: str,
    *,
    lang: str = "fi",
    start: dt.date | None = None,
    end: dt.date | None = None,
    trace: list[TracedQuery] | None = None,
) -> tuple[list[HistoryEntry], list[Handover]]:
    """Every owner/lead assignment of a relationship and the handovers between them.

    ``start``/``end`` keep the assignments valid at some day of that inclusive period and the
    handovers that happened in it. Raises :class:`NotFound` for an unknown relationship.
    """
    relationship_answer_exists(store, iri, lang=lang, trace=trace)
    rows = _traced(store, "responsibility-history", trace, relationship=named_node(iri), lang=_lang_term(lang))
    entries = [
        HistoryEntry(
            role=role_name(r["role"].value),
            responsibility=responsibility_of(r, dt.date.min),
            assigned_by=r["assignedBy"].value if "assignedBy" in r else None,
        )
        for r in rows
    ]
    entries.sort(key=lambda e: (e.role != "owner", e.responsibility.since, e.responsibility.assignee.iri))
    reasons = {r["assignment"].value: party_of(r["reason"], r.get("reasonLabel")) for r in rows if "reason" in r}
    handovers: list[Handover] = []
    for role in ("owner", "lead"):
        previous: Party | None = None
        for entry in (e for e in entries if e.role == role):
            resp = entry.responsibility
            if previous is None or previous != resp.assignee:
                reason = reasons.get(resp.assignment)
                handovers.append(Handover(role, resp.since, previous, resp.assignee, resp.assignment, reason))
            previous = resp.assignee

    def overlaps(e: HistoryEntry) -> bool:
        r = e.responsibility
        return (end is None or r.since <= end) and (start is None or r.until is None or r.until >= start)

    def within(h: Handover) -> bool:
        return (start is None or h.date >= start) and (end is None or h.date <= end)

    return [e for e in entries if overlaps(e)], [h for h in handovers if within(h)]


def relationship_answer_exists(
    store: Store, iri: str, *, lang: str = "fi", trace: list[TracedQuery] | None = None
) -> None:
    """Raise :class:`NotFound` unless ``iri`` is a customer relationship in the data."""
    rows = _traced(store, "relationships", trace, relationship=named_node(iri), lang=_lang_term(lang))
    if not rows:
        raise NotFound(key="error.not_a_relationship", iri=iri)


def agent_relationships(
    store: Store,
    iri: str,
    as_of: dt.date,
    *,
    lang: str = "fi",
    role: str | None = None,
    trace: list[TracedQuery] | None = None,
) -> list[AgentResponsibility]:
    """The relationships a person, post or unit owns or leads on ``as_of`` (``role``: owner/lead).

    Raises :class:`NotFound` if ``iri`` does not occur in the data.
    """
    if role is not None and role not in ROLES:
        raise UsageError(key="error.role", roles=str(sorted(ROLES)), role=role)
    describe_resource(store, iri, lang=lang, trace=trace)
    rows = _traced(
        store, "agent-responsibilities", trace, agent=named_node(iri), asOf=_date_term(as_of), lang=_lang_term(lang)
    )
    found: list[AgentResponsibility] = []
    for r in rows:
        name = role_name(r["role"].value)
        if role is not None and name != role:
            continue
        resp = Responsibility(
            assignee=party_of(r["assignee"], None),
            since=date_of(r["since"]) or as_of,
            until=date_of(r.get("until")),
            assignment=r["assignment"].value,
        )
        via = party_of(r["via"], None) if "via" in r else None
        relationship = party_of(r["relationship"], r.get("relationshipLabel"))
        found.append(AgentResponsibility(relationship, name, resp, via))
    return sorted(found, key=lambda a: (a.relationship.label.casefold(), a.role, a.responsibility.since))


def party_relationships(
    store: Store, iri: str, *, lang: str = "fi", trace: list[TracedQuery] | None = None
) -> list[PartyRelationship]:
    """The customer relationships a party takes part in, with its capacities in each.

    Raises :class:`NotFound` if ``iri`` does not occur in the data.
    """
    describe_resource(store, iri, lang=lang, trace=trace)
    rows = _traced(store, "party-relationships", trace, party=named_node(iri), lang=_lang_term(lang))
    grouped: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = r["relationship"].value
        item = grouped.setdefault(key, {"row": r, "caps": set(), "props": set()})
        if "capacity" in r:
            item["caps"].add(r["capacity"].value)
        item["props"].add(r["capacityProperty"].value)
    result = []
    for key, item in grouped.items():
        r = item["row"]
        provider = r.get("provider")
        result.append(
            PartyRelationship(
                relationship=party_of(key, r.get("relationshipLabel")),
                provider=party_of(provider, r.get("providerLabel")) if provider else None,
                start=date_of(r.get("start")),
                end=date_of(r.get("end")),
                capacities=tuple(sorted(item["caps"])),
                capacity_properties=tuple(sorted(item["props"])),
            )
        )
    return sorted(result, key=lambda p: (p.relationship.label.casefold(), p.relationship.iri))
