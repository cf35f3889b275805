"""The normalised CRM model that the HubSpot and Dynamics 365 readers fill, and its staging.

Both CRMs come down to the same things once their vendor rules have been applied: customer
organisations (with a relationship class or none), the people who own and lead them (users or
owners, staff of the provider), the units that own them (teams, business units), contacts and
their organisation, and extra assignments (Dynamics connections). This module turns that model
into rows of the shared staged tables (:mod:`crmkg.ingest.staging`); what is vendor-specific —
reading, ids, which stage or state counts — stays in each reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crmkg.ingest.config_base import AKJ, Provider
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.iris import segment, slug
from crmkg.ingest.result import ImportResult
from crmkg.ingest.rml import RowData, packaged_mapping
from crmkg.ingest.staging import (
    ORGANIZATION,
    Assignment,
    RowsFn,
    assignment_derivations,
    assignment_rows,
    staged_tables,
)

LEAD, OWNER = AKJ + "LeadRole", AKJ + "OwnerRole"


class CrmIris:
    """IRIs under ``base``: ``<object>/<id>`` for records, ``record/<object>/<id>`` for provenance."""

    def __init__(self, base: str) -> None:
        self.base = base

    def node(self, kind: str, key: str) -> str:
        return f"{self.base}{kind}/{segment(key)}"

    def record(self, obj: str, key: str) -> str:
        return f"{self.base}record/{obj}/{segment(key)}"

    def export(self, day: dt.date) -> str:
        return f"{self.base}export/{day.isoformat()}"

    def unit_by_name(self, kind: str, name: str) -> str:
        return f"{self.base}{kind}/{slug(name)}"


@dataclass(slots=True)
class Org:
    """A customer organisation and what its vendor rules decided about it."""

    iri: str
    name: str
    record: str
    parent: str | None = None
    relationship: str | None = None  # the relationship's IRI, or None: a party only
    rel_class: str | None = None
    start: dt.date | None = None  # when the relationship (and its first owner) began


@dataclass(slots=True)
class Person:
    iri: str
    name: str
    record: str
    units: list[str] = field(default_factory=list)  # unit IRIs the person is a current member of
    staff: bool = True


@dataclass(slots=True)
class Unit:
    iri: str
    name: str
    record: str
    parent: str | None = None  # None: directly under the provider


@dataclass(slots=True)
class ContactRecord:
    iri: str
    name: str
    record: str
    org: str | None


@dataclass
class CrmModel:
    """Everything one CRM export says, normalised; ``records`` are the source rows used."""

    orgs: list[Org] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    contacts: list[ContactRecord] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    capacities: list[tuple[str, str, str]] = field(default_factory=list)
    records: dict[str, tuple[str, str]] = field(default_factory=dict)  # record IRI → (object, id)

    def record(self, ids: CrmIris, obj: str, key: str) -> str:
        iri = ids.record(obj, key)
        self.records.setdefault(iri, (obj, key))
        return iri

    def summary(self) -> dict[str, int]:
        current: dict[str, set[str]] = {}
        for a in self.assignments:
            if a.end is None:
                current.setdefault(a.role, set()).add(a.relationship)
        return {
            "relationships": sum(1 for o in self.orgs if o.relationship),
            "withOwner": len(current.get(OWNER, set())),
            "withLead": len(current.get(LEAD, set())),
        }


class CrmStaging:
    """Rows of the shared staged tables from a :class:`CrmModel`."""

    def __init__(self, model: CrmModel, ids: CrmIris, provider: Provider, export_iri: str, party_property: str) -> None:
        self.model, self.ids, self.provider, self.export_iri = model, ids, provider, export_iri
        self.party_property = party_property

    def rows(self) -> dict[str, RowsFn]:
        return {
            "records.csv": self._records,
            "units.csv": self._units,
            "people.csv": self._people,
            "person_links.csv": self._links,
            "parties.csv": self._parties,
            "relationships.csv": self._relationships,
            "assignments.csv": lambda: assignment_rows(self.model.assignments),
            "contacts.csv": self._contacts,
            "capacities.csv": self._capacities,
            "derivations.csv": lambda: assignment_derivations(self.model.assignments),
        }

    def _records(self) -> Iterator[RowData]:
        for iri, (obj, key) in self.model.records.items():
            yield {"record": iri, "sobject": obj, "id": key, "export": self.export_iri}

    def _units(self) -> Iterator[RowData]:
        for unit in self.model.units.values():
            yield {
                "unit": unit.iri,
                "name": unit.name,
                "parent": unit.parent or self.provider.iri,
                "record": unit.record,
            }

    def _people(self) -> Iterator[RowData]:
        for p in self.model.people.values():
            if p.staff:
                yield {"person": p.iri, "name": p.name, "record": p.record}

    def _links(self) -> Iterator[RowData]:
        for p in self.model.people.values():
            if p.staff:
                yield {"person": p.iri, "unit": self.provider.iri}
                for unit in p.units:
                    yield {"person": p.iri, "unit": unit}

    def _parties(self) -> Iterator[RowData]:
        for org in self.model.orgs:
            yield {
                "party": org.iri,
                "class": ORGANIZATION,
                "name": org.name,
                "parent": org.parent or "",
                "record": org.record,
            }

    def _relationships(self) -> Iterator[RowData]:
        for org in self.model.orgs:
            if org.relationship and org.rel_class:
                yield {
                    "relationship": org.relationship,
                    "class": org.rel_class,
                    "name": org.name,
                    "provider": self.provider.iri,
                    "party_property": self.party_property,
                    "party": org.iri,
                    "record": org.record,
                }

    def _contacts(self) -> Iterator[RowData]:
        for c in self.model.contacts:
            yield {"person": c.iri, "name": c.name, "party": c.org or "", "record": c.record}

    def _capacities(self) -> Iterator[RowData]:
        for rel, prop, party in self.model.capacities:
            yield {"relationship": rel, "property": prop, "party": party}


@dataclass(frozen=True)
class CrmRun:
    """What one CRM import read: the system, its files and the counts its reader kept."""

    system: str
    label: str  # "HubSpot export", "Dynamics 365 export"
    accounts_file: Path | None  # the account/company file, if it could be read
    accounts_read: int
    skipped: Mapping[str, int]
    inputs: Iterable[Path]
    notes: tuple[str, ...]


def finish(
    run: CrmRun, model: CrmModel, log: FindingLog, ids: CrmIris, provider: Provider, day: dt.date, party_property: str
) -> ImportResult:
    """The import result of a CRM model: the summary, the "no relationship" failure, the staged tables."""
    summary = {"accountsRead": run.accounts_read, **model.summary(), **run.skipped}
    if run.accounts_file is not None and summary["relationships"] == 0 and not log.fatal:
        log.add("no-relationships", run.accounts_file, accounts=run.accounts_read)
    staging = CrmStaging(model, ids, provider, ids.export(day), party_property)
    tables = staged_tables(ids.export(day), run.system, day, f"{run.label} {day}", provider, staging.rows())
    return ImportResult.from_log(
        run.system,
        log,
        tables,
        packaged_mapping("crm"),
        inputs=sorted(map(str, run.inputs)),
        summary=summary,
        notes=run.notes,
    )
