"""Domain answers computed by SPARQL over a Store: who the customer is, who owns and who leads.

Every answer here comes from a query in ``queries/lookup/`` run with engine-bound parameters; the
CLI and the API only format what these functions return.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from crmkg import resources
from crmkg.errors import NotFound, StoreError, UsageError
from crmkg.namespaces import AKJ
from crmkg.store import Store, Term
from crmkg.store.terms import XSD, from_ox, literal, named_node

CAPACITIES = (AKJ.UserRole, AKJ.NegotiatingPartnerRole, AKJ.PayerRole)


@dataclass(frozen=True)
class Party:
    """An agent (or post) with the label it is shown by."""

    iri: str
    label: str


@dataclass(frozen=True)
class Responsibility:
    """A current owner or lead: who, since when, until when, and the assignment it comes from."""

    assignee: Party
    since: dt.date
    until: dt.date | None
    assignment: str
    primary: bool | None = None


@dataclass
class RelationshipAnswer:
    """Whose is the relationship: its customer parties by capacity, its owners and leads."""

    relationship: Party
    provider: Party | None
    start: dt.date | None
    end: dt.date | None
    parties: dict[str, list[Party]] = field(default_factory=dict)
    owners: list[Responsibility] = field(default_factory=list)
    leads: list[Responsibility] = field(default_factory=list)

    def active_on(self, day: dt.date) -> bool:
        """Active on ``day``: started on or before it and not ended before it (inclusive dates)."""
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)


@cache
def _query_text(name: str, data_dir: Path | None = None) -> str:
    return (resources.data_path("queries", data_dir) / "lookup" / f"{name}.rq").read_text("utf-8")


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


Row = dict[str, Term]
_XSD_DATE = XSD + "date"
_XSD_BOOLEAN = XSD + "boolean"


def _party(iri: str | Term, label: Term | None) -> Party:
    text = iri if isinstance(iri, str) else iri.value
    return Party(text, label.value if label is not None else local_name(text))


def _date(term: Term | None) -> dt.date | None:
    """An ``xsd:date`` as a date (also a dateTime or another form rdflib reads as one)."""
    if term is None:
        return None
    text = term.value
    if isinstance(term, ox.Literal) and len(text) == 10 and term.datatype.value == _XSD_DATE:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass  # not a calendar date: rdflib decides, below
    value = from_ox(term).toPython()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise StoreError(f"not an xsd:date: {term}") from exc


def _flag(term: Term | None) -> bool | None:
    """An ``xsd:boolean`` (or what rdflib reads as true or false); ``None`` when unbound."""
    if not isinstance(term, ox.Literal):
        return None
    if term.datatype.value == _XSD_BOOLEAN and term.value in ("true", "false"):
        return term.value == "true"
    return bool(from_ox(term).toPython())


def _select(store: Store, name: str, **bindings: Term) -> list[Row]:
    return store.select(_query_text(name), bindings=bindings).dicts()


def ownership_table(store: Store, as_of: dt.date, *, lang: str = "fi") -> list[RelationshipAnswer]:
    """Every customer relationship with its parties by capacity and its owners and leads on ``as_of``.

    Sorted by the relationship's label.
    """
    lang_term = _lang_term(lang)
    answers: dict[str, RelationshipAnswer] = {}
    for row in _select(store, "relationships", lang=lang_term):
        iri = row["relationship"].value
        if iri in answers:
            continue  # several classes or labels: the first row is enough
        provider = row.get("provider")
        answers[iri] = RelationshipAnswer(
            relationship=_party(iri, row.get("relationshipLabel")),
            provider=_party(provider, row.get("providerLabel")) if provider else None,
            start=_date(row.get("start")),
            end=_date(row.get("end")),
            parties={str(c): [] for c in CAPACITIES},
        )
    for row in _select(store, "relationship-parties", lang=lang_term):
        answer = answers.get(row["relationship"].value)
        if answer is None:
            continue
        party = _party(row["party"], row.get("partyLabel"))
        bucket = answer.parties.setdefault(row["capacity"].value, [])
        if all(p.iri != party.iri for p in bucket):  # several labels give several rows
            bucket.append(party)

    by_rel: dict[str, list[tuple[str, Responsibility]]] = defaultdict(list)
    for row in _select(store, "current-responsibilities", asOf=_date_term(as_of), lang=lang_term):
        resp = _responsibility(row, as_of)
        held = by_rel[row["relationship"].value]
        if all(r.assignment != resp.assignment for _, r in held):
            held.append((row["role"].value, resp))  # one per assignment
    for iri, items in by_rel.items():
        answer = answers.get(iri)
        if answer is None:
            continue  # an assignment for something that is not a customer relationship
        for role, resp in sorted(items, key=lambda x: (x[1].since, x[1].assignee.iri)):
            (answer.owners if role == str(AKJ.OwnerRole) else answer.leads).append(resp)
    return sorted(answers.values(), key=lambda a: (a.relationship.label.casefold(), a.relationship.iri))


__all__ = [
    "CAPACITIES",
    "Party",
    "RelationshipAnswer",
    "Responsibility",
    "local_name",
    "ownership_table",
]


# ---------------------------------------------------------------------------------------------
# Single-subject lookups (used by the HTTP API and the CLI): one relationship, one agent, one party.
# Each takes an optional ``trace`` list that collects the SPARQL it ran, for ``explain=true``.
# ---------------------------------------------------------------------------------------------

ROLES = {"owner": AKJ.OwnerRole, "lead": AKJ.LeadRole}
_OWNER_ROLE = str(AKJ.OwnerRole)


@dataclass(frozen=True)
class TracedQuery:
    """One query a lookup ran: its name in ``queries/lookup/``, its text and the bound parameters."""

    name: str
    sparql: str
    bindings: dict[str, str]


@dataclass(frozen=True)
class Resource:
    """An IRI that occurs in the data, with its label and rdf:types."""

    iri: str
    label: str
    types: tuple[str, ...]


@dataclass(frozen=True)
class HistoryEntry:
    """One owner or lead assignment of a relationship, whenever it was valid."""

    role: str
    responsibility: Responsibility
    assigned_by: str | None


@dataclass(frozen=True)
class Handover:
    """A change of owner or lead: on ``date`` ``to`` took over from ``previous`` (None: first holder)."""

    role: str
    date: dt.date
    previous: Party | None
    to: Party
    assignment: str


@dataclass(frozen=True)
class AgentResponsibility:
    """A relationship an agent owns or leads, directly or ``via`` a post they hold."""

    relationship: Party
    role: str
    responsibility: Responsibility
    via: Party | None


@dataclass(frozen=True)
class PartyRelationship:
    """A relationship a party takes part in, and in which capacities."""

    relationship: Party
    provider: Party | None
    start: dt.date | None
    end: dt.date | None
    capacities: tuple[str, ...]
    capacity_properties: tuple[str, ...]


def lookup_query_text(name: str) -> str:
    """The text of ``queries/lookup/<name>.rq`` (what ``explain=true`` shows)."""
    return _query_text(name)


def _traced(store: Store, name: str, trace: list[TracedQuery] | None, **bindings: Term) -> list[Row]:
    if trace is not None:
        trace.append(TracedQuery(name, _query_text(name), {k: str(v) for k, v in bindings.items()}))
    return _select(store, name, **bindings)


@lru_cache(maxsize=1024)
def _date_term(day: dt.date) -> ox.Literal:
    return literal(day.isoformat(), _XSD_DATE)


@lru_cache(maxsize=64)
def _lang_term(lang: str) -> ox.Literal:
    return literal(lang)


def _responsibility(row: Row, fallback: dt.date) -> Responsibility:
    return Responsibility(
        assignee=_party(row["assignee"], row.get("assigneeLabel")),
        since=_date(row["since"]) or fallback,
        until=_date(row.get("until")),
        assignment=row["assignment"].value,
        primary=_flag(row.get("primary")),
    )


def role_name(role_iri: str) -> str:
    """``owner`` or ``lead`` for the role individual's IRI (its local name otherwise)."""
    for name, iri in ROLES.items():
        if str(iri) == role_iri:
            return name
    return local_name(role_iri)


def describe_resource(store: Store, iri: str, *, lang: str = "fi", trace: list[TracedQuery] | None = None) -> Resource:
    """The label and types of ``iri``; raises :class:`NotFound` if no triple mentions it."""
    rows = _traced(store, "resource-types", trace, resource=named_node(iri), lang=_lang_term(lang))
    if not rows:
        raise NotFound(f"{iri} does not occur in the data")
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
        raise NotFound(f"{iri} is not a customer relationship in the data")
    first = rows[0]
    provider = first.get("provider")
    answer = RelationshipAnswer(
        relationship=_party(iri, first.get("relationshipLabel")),
        provider=_party(provider, first.get("providerLabel")) if provider else None,
        start=_date(first.get("start")),
        end=_date(first.get("end")),
        parties={str(c): [] for c in CAPACITIES},
    )
    for row in _traced(store, "relationship-parties", trace, relationship=rel, lang=lang_term):
        party = _party(row["party"], row.get("partyLabel"))
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
    return _owners_and_leads(rows, as_of)


def _owners_and_leads(rows: list[Row], as_of: dt.date) -> tuple[list[Responsibility], list[Responsibility]]:
    """The rows' owners and leads, each sorted by since and assignee (rows without an assignment skipped)."""
    items = sorted(
        ((r["role"].value, _responsibility(r, as_of)) for r in rows if "assignment" in r),
        key=lambda x: (x[1].since, x[1].assignee.iri),
    )
    owners = [resp for role, resp in items if role == _OWNER_ROLE]
    leads = [resp for role, resp in items if role != _OWNER_ROLE]
    return owners, leads


def current_responsibilities(
    store: Store,
    iri: str,
    as_of: dt.date,
    *,
    lang: str = "fi",
    trace: list[TracedQuery] | None = None,
) -> tuple[Party, list[Responsibility], list[Responsibility]]:
    """The relationship, its owners and its leads on ``as_of`` — one small query, for hot paths.

    Raises :class:`NotFound` if ``iri`` is not a customer relationship in the data.
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
        raise NotFound(f"{iri} is not a customer relationship in the data")
    owners, leads = _owners_and_leads(rows, as_of)
    return _party(iri, rows[0].get("relationshipLabel")), owners, leads


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
            responsibility=_responsibility(r, dt.date.min),
            assigned_by=r["assignedBy"].value if "assignedBy" in r else None,
        )
        for r in rows
    ]
    entries.sort(key=lambda e: (e.role != "owner", e.responsibility.since, e.responsibility.assignee.iri))
    handovers: list[Handover] = []
    for role in ("owner", "lead"):
        previous: Party | None = None
        for entry in (e for e in entries if e.role == role):
            resp = entry.responsibility
            if previous is None or previous != resp.assignee:
                handovers.append(Handover(role, resp.since, previous, resp.assignee, resp.assignment))
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
        raise NotFound(f"{iri} is not a customer relationship in the data")


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
        raise UsageError(f"role must be one of {sorted(ROLES)}, not {role!r}")
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
            assignee=_party(r["assignee"], None),
            since=_date(r["since"]) or as_of,
            until=_date(r.get("until")),
            assignment=r["assignment"].value,
        )
        via = _party(r["via"], None) if "via" in r else None
        relationship = _party(r["relationship"], r.get("relationshipLabel"))
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
                relationship=_party(key, r.get("relationshipLabel")),
                provider=_party(provider, r.get("providerLabel")) if provider else None,
                start=_date(r.get("start")),
                end=_date(r.get("end")),
                capacities=tuple(sorted(item["caps"])),
                capacity_properties=tuple(sorted(item["props"])),
            )
        )
    return sorted(result, key=lambda p: (p.relationship.label.casefold(), p.relationship.iri))


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")


def expand_identifier(text: str, prefixes: dict[str, str] | None = None) -> str:
    """An absolute IRI for an IRI, a ``<IRI>``, or a CURIE such as ``ex:rel-1``.

    Raises :class:`UsageError` for anything else (an unknown prefix, a bare name, spaces).
    """
    from crmkg.namespaces import PREFIXES

    table = PREFIXES if prefixes is None else prefixes
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if not value or any(c in value for c in ' <>"{}|\\^`') or any(ord(c) < 0x21 for c in value):
        raise UsageError(f"not an IRI or CURIE: {text!r}")
    scheme, sep, rest = value.partition(":")
    if not sep:
        raise UsageError(f"not an IRI or CURIE (no prefix or scheme): {text!r}")
    if scheme in table:
        return table[scheme] + rest
    if not _SCHEME.match(scheme):
        raise UsageError(f"not an IRI or CURIE: {text!r} (known prefixes: {', '.join(sorted(table))})")
    return value  # an unknown prefix is an IRI scheme (RFC 3987): "zz:x" is an absolute IRI


__all__ += [  # extended by the single-subject lookups above
    "AgentResponsibility",
    "Handover",
    "HistoryEntry",
    "PartyRelationship",
    "Resource",
    "TracedQuery",
    "agent_relationships",
    "current_responsibilities",
    "describe_resource",
    "expand_identifier",
    "lookup_query_text",
    "party_relationships",
    "relationship_answer",
    "responsibility_history",
    "role_name",
]
