"""The answers of the lookups, and how a query's row becomes one.

Each answer is a small frozen dataclass of plain Python values (IRIs as strings, dates as dates),
so the CLI, the API and the web pages format them without knowing RDF. A new piece of an answer
is a field here and a line where the row is read (:func:`responsibility_of` and its neighbours).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyoxigraph as ox

from crmkg.errors import StoreError
from crmkg.i18n import message
from crmkg.namespaces import AKJ
from crmkg.store import Term
from crmkg.store.terms import XSD, from_ox

#: The capacities a customer party takes part in a relationship in (akj:UserRole, …), as IRIs.
CAPACITIES = (AKJ.UserRole, AKJ.NegotiatingPartnerRole, AKJ.PayerRole)
#: The responsibility roles by the names the API and CLI use.
ROLES = {"owner": AKJ.OwnerRole, "lead": AKJ.LeadRole}
OWNER_ROLE = str(AKJ.OwnerRole)

#: One solution of a lookup query: its bound variables.
Row = dict[str, Term]
_XSD_DATE = XSD + "date"
_XSD_BOOLEAN = XSD + "boolean"


@dataclass(frozen=True)
class Party:
    """An agent (or post) with the label it is shown by."""

    iri: str
    label: str


@dataclass(frozen=True)
class Accountable:
    """The person accountable behind an assignee on a date, and on what basis.

    ``basis`` is ``person-owner`` (the assignee is the person), ``post-holder`` (holds the post:
    ``since``/``until`` are the tenure's, both None for an undated org:holds) or ``unit-head``.
    """

    person: Party
    basis: str
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class Responsibility:
    """A current owner or lead: who, since when, until when, and the assignment it comes from.

    ``accountable`` names the person(s) behind the assignee on the as-of date (a post's holders, a
    unit's head); when there is none, ``accountable_reason`` says why (``vacant-post``, ``no-head``).
    """

    assignee: Party
    since: dt.date
    until: dt.date | None
    assignment: str
    primary: bool | None = None
    accountable: tuple[Accountable, ...] = ()
    accountable_reason: str | None = None


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
    """A change of owner or lead: on ``date`` ``to`` took over from ``previous`` (None: first holder),
    for ``reason`` (a concept of akj:HandoverReasonScheme recorded on the new assignment) if given."""

    role: str
    date: dt.date
    previous: Party | None
    to: Party
    assignment: str
    reason: Party | None = None


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


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def role_name(role_iri: str) -> str:
    """``owner`` or ``lead`` for the role individual's IRI (its local name otherwise)."""
    for name, iri in ROLES.items():
        if str(iri) == role_iri:
            return name
    return local_name(role_iri)


def role_label(role: str, lang: str) -> str:
    """``owner``/``lead`` as a reader of ``lang`` calls them (any other role by its own name)."""
    return message(f"role.{role}", lang) if role in ROLES else role


# ----------------------------------------------------------------------------- rows to answers


def party_of(iri: str | Term, label: Term | None) -> Party:
    """A party shown by its label, or by its IRI's local name when it has none."""
    text = iri if isinstance(iri, str) else iri.value
    return Party(text, label.value if label is not None else local_name(text))


def date_of(term: Term | None) -> dt.date | None:
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
        raise StoreError(key="error.not_xsd_date", term=term) from exc


def flag_of(term: Term | None) -> bool | None:
    """An ``xsd:boolean`` (or what rdflib reads as true or false); ``None`` when unbound."""
    if not isinstance(term, ox.Literal):
        return None
    if term.datatype.value == _XSD_BOOLEAN and term.value in ("true", "false"):
        return term.value == "true"
    return bool(from_ox(term).toPython())


def responsibility_of(row: Row, fallback: dt.date) -> Responsibility:
    """The responsibility a row of ``?assignee ?assigneeLabel ?since ?until ?assignment ?primary``
    tells; ``fallback`` stands in for a missing start date."""
    return Responsibility(
        assignee=party_of(row["assignee"], row.get("assigneeLabel")),
        since=date_of(row["since"]) or fallback,
        until=date_of(row.get("until")),
        assignment=row["assignment"].value,
        primary=flag_of(row.get("primary")),
    )


def owners_and_leads(rows: list[Row], as_of: dt.date) -> tuple[list[Responsibility], list[Responsibility]]:
    """The rows' owners and leads, each sorted by since and assignee (rows without an assignment skipped)."""
    items = sorted(
        ((r["role"].value, responsibility_of(r, as_of)) for r in rows if "assignment" in r),
        key=lambda x: (x[1].since, x[1].assignee.iri),
    )
    owners = [resp for role, resp in items if role == OWNER_ROLE]
    leads = [resp for role, resp in items if role != OWNER_ROLE]
    return owners, leads
