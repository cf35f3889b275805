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
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from crmkg import resources
from crmkg.errors import NotFound, StoreError, UsageError
from crmkg.namespaces import AKJ
from crmkg.store.base import SelectResult, Store
from crmkg.store.oxigraph import OxigraphStore
from crmkg.store.terms import from_ox

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


def _party(iri: object, label: object) -> Party:
    text = str(label) if label is not None else local_name(str(iri))
    return Party(str(iri), text)


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, Literal) and isinstance(value.value, dt.date):
        return value.value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise StoreError(f"not an xsd:date: {value!r}") from exc


def _select(store: Store, name: str, **bindings: object) -> SelectResult:
    result = store.query(_query_text(name), bindings=bindings)  # type: ignore[arg-type]
    if not isinstance(result, SelectResult):
        raise StoreError(f"lookup query {name} did not return rows")
    return result


def ownership_table(store: Store, as_of: dt.date, *, lang: str = "fi") -> list[RelationshipAnswer]:
    """Every customer relationship with its parties by capacity and its owners and leads on ``as_of``.

    Sorted by the relationship's label.
    """
    lang_term = Literal(lang)
    answers: dict[str, RelationshipAnswer] = {}
    for row in _select(store, "relationships", lang=lang_term).dicts():
        iri = str(row["relationship"])
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
    for row in _select(store, "relationship-parties", lang=lang_term).dicts():
        answer = answers.get(str(row["relationship"]))
        if answer is None:
            continue
        party = _party(row["party"], row.get("partyLabel"))
        bucket = answer.parties.setdefault(str(row["capacity"]), [])
        if all(p.iri != party.iri for p in bucket):  # several labels give several rows
            bucket.append(party)

    as_of_term = Literal(as_of.isoformat(), datatype=XSD.date)
    by_rel: dict[str, list[tuple[str, Responsibility]]] = defaultdict(list)
    for row in _select(store, "current-responsibilities", asOf=as_of_term, lang=lang_term).dicts():
        primary = row.get("primary")
        resp = Responsibility(
            assignee=_party(row["assignee"], row.get("assigneeLabel")),
            since=_date(row["since"]) or as_of,
            until=_date(row.get("until")),
            assignment=str(row["assignment"]),
            primary=bool(primary.toPython()) if isinstance(primary, Literal) else None,
        )
        if all(r.assignment != resp.assignment for _, r in by_rel[str(row["relationship"])]):
            by_rel[str(row["relationship"])].append((str(row["role"]), resp))  # one per assignment
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


def _traced(store: Store, name: str, trace: list[TracedQuery] | None, **bindings: object) -> list[dict[str, Any]]:
    if trace is not None:
        trace.append(_trace_entry(name, bindings))
    return _select(store, name, **bindings).dicts()


def _trace_entry(name: str, bindings: dict[str, object]) -> TracedQuery:
    return TracedQuery(name, _query_text(name), {k: _n3(v) for k, v in bindings.items()})


def _n3(term: object) -> str:
    n3 = getattr(term, "n3", None)
    return str(n3()) if callable(n3) else str(term)


@lru_cache(maxsize=1024)
def _date_term(day: dt.date) -> Literal:
    # Cached: building an rdflib date literal parses its lexical form, and lookups repeat dates.
    return Literal(day.isoformat(), datatype=XSD.date)


@lru_cache(maxsize=64)
def _lang_term(lang: str) -> Literal:
    return Literal(lang)


def _responsibility(row: dict[str, Any], fallback: dt.date) -> Responsibility:
    primary = row.get("primary")
    return Responsibility(
        assignee=_party(row["assignee"], row.get("assigneeLabel")),
        since=_date(row["since"]) or fallback,
        until=_date(row.get("until")),
        assignment=str(row["assignment"]),
        primary=bool(primary.toPython()) if isinstance(primary, Literal) else None,
    )


def role_name(role_iri: str) -> str:
    """``owner`` or ``lead`` for the role individual's IRI (its local name otherwise)."""
    for name, iri in ROLES.items():
        if str(iri) == role_iri:
            return name
    return local_name(role_iri)


def describe_resource(store: Store, iri: str, *, lang: str = "fi", trace: list[TracedQuery] | None = None) -> Resource:
    """The label and types of ``iri``; raises :class:`NotFound` if no triple mentions it."""
    rows = _traced(store, "resource-types", trace, resource=URIRef(iri), lang=Literal(lang))
    if not rows:
        raise NotFound(f"{iri} does not occur in the data")
    label = next((str(r["label"]) for r in rows if "label" in r), local_name(iri))
    types = tuple(sorted({str(r["type"]) for r in rows if "type" in r}))
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
    rel = URIRef(iri)
    lang_term = Literal(lang)
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
        bucket = answer.parties.setdefault(str(row["capacity"]), [])
        if all(p.iri != party.iri for p in bucket):  # several labels give several rows
            bucket.append(party)
    owners, leads = _current(store, rel, as_of, lang_term, trace)
    answer.owners.extend(owners)
    answer.leads.extend(leads)
    return answer


def _current(
    store: Store, rel: URIRef, as_of: dt.date, lang_term: Literal, trace: list[TracedQuery] | None
) -> tuple[list[Responsibility], list[Responsibility]]:
    rows = _traced(
        store, "relationship-responsibilities", trace, relationship=rel, asOf=_date_term(as_of), lang=lang_term
    )
    items = sorted(
        ((str(r["role"]), _responsibility(r, as_of)) for r in rows),
        key=lambda x: (x[1].since, x[1].assignee.iri),
    )
    owners = [resp for role, resp in items if role == str(AKJ.OwnerRole)]
    leads = [resp for role, resp in items if role != str(AKJ.OwnerRole)]
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
    bindings: dict[str, object] = {"relationship": URIRef(iri), "asOf": _date_term(as_of), "lang": _lang_term(lang)}
    if isinstance(store, OxigraphStore):
        # The hot path: read pyoxigraph's terms directly instead of converting every row to rdflib.
        if trace is not None:
            trace.append(_trace_entry("relationship-current", bindings))
        native = _native_rows(store, "relationship-current", bindings)
        if not native:
            raise NotFound(f"{iri} is not a customer relationship in the data")
        label = native[0].get("relationshipLabel")
        rel_party = _party(iri, label.value if isinstance(label, ox.Literal) else None)
        items = sorted(
            ((_ox_text(r["role"]), _native_responsibility(r, as_of)) for r in native if "assignment" in r),
            key=lambda x: (x[1].since, x[1].assignee.iri),
        )
    else:
        rows = _traced(store, "relationship-current", trace, **bindings)
        if not rows:
            raise NotFound(f"{iri} is not a customer relationship in the data")
        rel_party = _party(iri, rows[0].get("relationshipLabel"))
        items = sorted(
            ((str(r["role"]), _responsibility(r, as_of)) for r in rows if "assignment" in r),
            key=lambda x: (x[1].since, x[1].assignee.iri),
        )
    owners = [resp for role, resp in items if role == str(AKJ.OwnerRole)]
    leads = [resp for role, resp in items if role != str(AKJ.OwnerRole)]
    return rel_party, owners, leads


_OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
_XSD_DATE = str(XSD.date)
_XSD_BOOLEAN = str(XSD.boolean)


def _native_rows(store: OxigraphStore, name: str, bindings: dict[str, object]) -> list[dict[str, _OxTerm]]:
    """The rows of a lookup query as pyoxigraph terms (bound variables only); same binding as ``_select``."""
    result = store.native_query(_query_text(name), bindings=bindings)  # type: ignore[arg-type]
    if not isinstance(result, ox.QuerySolutions):
        raise StoreError(f"lookup query {name} did not return rows")
    names = [v.value for v in result.variables]
    try:
        return [{n: t for n, t in zip(names, solution, strict=True) if t is not None} for solution in result]
    except OSError as exc:  # evaluation errors surface while iterating
        raise StoreError(f"query failed: {exc}") from exc


def _ox_text(term: _OxTerm) -> str:
    return term.value


def _native_date(term: _OxTerm | None) -> dt.date | None:
    """As :func:`_date` would read the rdflib form of ``term``; the common case without rdflib."""
    if isinstance(term, ox.Literal) and term.datatype.value == _XSD_DATE and len(term.value) == 10:
        try:
            return dt.date.fromisoformat(term.value)
        except ValueError:
            pass  # rdflib decides, as on the generic path
    return _date(None if term is None else from_ox(term))


def _native_responsibility(row: dict[str, _OxTerm], fallback: dt.date) -> Responsibility:
    """As :func:`_responsibility`, from pyoxigraph terms."""
    primary = row.get("primary")
    flag: bool | None = None
    if isinstance(primary, ox.Literal):
        if primary.datatype.value == _XSD_BOOLEAN and primary.value in ("true", "false"):
            flag = primary.value == "true"
        else:
            flag = bool(from_ox(primary).toPython())
    label = row.get("assigneeLabel")
    return Responsibility(
        assignee=_party(row["assignee"].value, label.value if label is not None else None),
        since=_native_date(row["since"]) or fallback,
        until=_native_date(row.get("until")),
        assignment=row["assignment"].value,
        primary=flag,
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
    rows = _traced(store, "responsibility-history", trace, relationship=URIRef(iri), lang=Literal(lang))
    entries = [
        HistoryEntry(
            role=role_name(str(r["role"])),
            responsibility=_responsibility(r, dt.date.min),
            assigned_by=str(r["assignedBy"]) if "assignedBy" in r else None,
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
    rows = _traced(store, "relationships", trace, relationship=URIRef(iri), lang=Literal(lang))
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
        store, "agent-responsibilities", trace, agent=URIRef(iri), asOf=_date_term(as_of), lang=Literal(lang)
    )
    found: list[AgentResponsibility] = []
    for r in rows:
        name = role_name(str(r["role"]))
        if role is not None and name != role:
            continue
        resp = Responsibility(
            assignee=_party(r["assignee"], None),
            since=_date(r["since"]) or as_of,
            until=_date(r.get("until")),
            assignment=str(r["assignment"]),
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
    rows = _traced(store, "party-relationships", trace, party=URIRef(iri), lang=Literal(lang))
    grouped: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = str(r["relationship"])
        item = grouped.setdefault(key, {"row": r, "caps": set(), "props": set()})
        if "capacity" in r:
            item["caps"].add(str(r["capacity"]))
        item["props"].add(str(r["capacityProperty"]))
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
