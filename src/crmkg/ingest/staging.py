"""The one staged-table model every importer fills and the RML mappings read.

Each importer turns its export into rows of these tables — flat rows of IRIs and values, the
vendor's meaning already decided (which account is a customer, who leads, since when) — and
``mappings/common.rml.ttl`` + ``mappings/crm.rml.ttl`` say which statements each row becomes.
A CRM importer supplies row functions for the tables it knows; the others stay empty. Rows are
produced lazily, afresh on every pass, so a 100,000-account export streams.

============== ==================================================================================
table          columns (every node carries ``record``: the source record it is derived from)
============== ==================================================================================
export         the export: system, date, label
provider       the importing organisation
records        one per source row used: record IRI, object type, record id, export
units          organisational units (departments, teams, business units, HR units)
posts          posts (roles in the provider's hierarchy)
people         people (staff, placeholders for users missing from the export)
person_links   a person's current post, unit and line manager
memberships    dated unit memberships (org:Membership)
tenures        dated post tenures (akj:PostTenure): who held which post when
parties        customer parties: class (org:Organization or foaf:Person), name, parent
relationships  customer relationships: class, provider, how the party takes part
assignments    responsibility assignments: role, assignee, start, end, primary, assigner
contacts       customer-side people, members of their party
capacities     a party's capacity in a relationship (user, negotiating partner, payer…)
derivations    further source records a node is derived from
============== ==================================================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from crmkg.ingest.config_base import FOAF, ORG, Provider
from crmkg.ingest.rml import RowData

#: A staged table: its name (the ``rml:source`` of the triples maps that read it), its columns
#: and a function that produces its rows afresh.
StagedTable = tuple[str, tuple[str, ...], Callable[[], Iterable[RowData]]]
RowsFn = Callable[[], Iterable[RowData]]

ORGANIZATION = ORG + "Organization"
PERSON = FOAF + "Person"

TABLES: Mapping[str, tuple[str, ...]] = {
    "export.csv": ("export", "label", "system", "date"),
    "provider.csv": ("provider", "name", "record"),
    "records.csv": ("record", "sobject", "id", "export"),
    "units.csv": ("unit", "name", "parent", "function", "record"),
    "posts.csv": ("post", "name", "in", "reports_to", "record"),
    "people.csv": ("person", "name", "record"),
    "person_links.csv": ("person", "post", "unit", "manager"),
    "memberships.csv": ("membership", "person", "unit", "start", "end", "record"),
    "tenures.csv": ("tenure", "person", "post", "start", "end", "record"),
    "parties.csv": ("party", "class", "name", "parent", "record"),
    "relationships.csv": ("relationship", "class", "name", "provider", "party_property", "party", "record"),
    "assignments.csv": (
        "assignment",
        "relationship",
        "assignee",
        "role",
        "start",
        "end",
        "primary",
        "assigner",
        "record",
    ),
    "contacts.csv": ("person", "name", "party", "record"),
    "capacities.csv": ("relationship", "property", "party"),
    "derivations.csv": ("node", "record"),
}


@dataclass(frozen=True, slots=True)
class Assignment:
    """A responsibility assignment, kept whole: summaries count them and derivations follow them."""

    iri: str
    relationship: str
    assignee: str
    role: str
    start: dt.date
    end: dt.date | None
    primary: bool
    records: tuple[str, ...]
    assigner: str = ""  # who made the assignment (the user who changed the owner), if known

    def row(self) -> RowData:
        return {
            "assignment": self.iri,
            "relationship": self.relationship,
            "assignee": self.assignee,
            "role": self.role,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else "",
            "primary": "true" if self.primary else "",
            "assigner": self.assigner,
            "record": self.records[0],
        }


def assignment_rows(assignments: Iterable[Assignment]) -> Iterator[RowData]:
    for a in assignments:
        yield a.row()


def assignment_derivations(assignments: Iterable[Assignment]) -> Iterator[RowData]:
    for a in assignments:
        for record in a.records[1:]:
            yield {"node": a.iri, "record": record}


def staged_tables(
    export_iri: str, system: str, day: dt.date, label: str, provider: Provider, rows: Mapping[str, RowsFn]
) -> tuple[StagedTable, ...]:
    """Every table of :data:`TABLES` in order: the export and provider rows, then ``rows``'
    functions (a table without one is empty)."""
    unknown = set(rows) - set(TABLES)
    if unknown:
        raise ValueError(f"not staged tables: {sorted(unknown)}")
    export_row: RowData = {"export": export_iri, "system": system, "date": day.isoformat(), "label": label}
    provider_row: RowData = {"provider": provider.iri, "name": provider.name or "", "record": export_iri}
    fixed: dict[str, RowsFn] = {"export.csv": lambda: [export_row], "provider.csv": lambda: [provider_row]}
    return tuple((name, columns, fixed.get(name) or rows.get(name) or _empty) for name, columns in TABLES.items())


def _empty() -> Iterable[RowData]:
    return ()
