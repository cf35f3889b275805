"""Domain answers computed by SPARQL over a Store: who the customer is, who owns and who leads.

Every answer here comes from a query in ``queries/lookup/`` run with engine-bound parameters; the
CLI and the API only format what these functions return.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import XSD

from crmkg import resources
from crmkg.errors import StoreError
from crmkg.namespaces import AKJ
from crmkg.store.base import SelectResult, Store

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
        if party not in bucket:
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
        by_rel[str(row["relationship"])].append((str(row["role"]), resp))
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
