"""Import a Salesforce data export: read and check (Python), stage, map to akj RDF (RML).

Python does what RML cannot: 15 → 18-character id normalisation, findings with file/line/column,
dangling-reference checks, the picklist tables of the config file, owner periods rebuilt from
AccountHistory, and linking users to HR people. The staged tables it produces are flat rows of
IRIs and values; ``mappings/common.rml.ttl`` and ``mappings/salesforce.rml.ttl`` say which
statements each row becomes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from crmkg.errors import IngestError
from crmkg.ingest.config import AKJ, ImportConfig, PicklistMap
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.handovers import owner_periods
from crmkg.ingest.iris import SalesforceIris
from crmkg.ingest.orgchart import PeopleIndex, read_people_index
from crmkg.ingest.result import ImportResult, StagedTable, source_tables
from crmkg.ingest.rml import RowData, packaged_mapping
from crmkg.ingest.salesforce_read import SalesforceExport, find_files, read_export

SYSTEM = "Salesforce"


def import_salesforce(export_dir: Path, config: ImportConfig | None = None) -> ImportResult:
    """Read ``export_dir`` (the CSV files of a Salesforce data export) into an import result.

    Raises :class:`IngestError` if the folder is missing or holds none of the expected files;
    every other problem is a finding in the result.
    """
    config = config or ImportConfig()
    if not export_dir.is_dir():
        raise IngestError(f"{export_dir}: not a folder (expected a Salesforce export folder)")
    log = FindingLog(config.salesforce.base)
    export = read_export(export_dir, log)
    if not export.present:
        raise IngestError(
            f"{export_dir}: no Salesforce export files found (Account.csv, "
            "User.csv, UserRole.csv, Contact.csv, AccountTeamMember.csv, …)"
        )
    export_date = config.salesforce.export_date or dt.date.fromtimestamp(export.newest_mtime)
    people = read_people_index(config.salesforce.orgchart, config, log) if config.salesforce.orgchart else PeopleIndex()
    staged = _Staging(export, config, export_date, people, log)
    inputs = sorted(str(p) for p in find_files(export_dir).values())
    return ImportResult.from_log(
        "salesforce", log, staged.tables(), packaged_mapping("salesforce"), inputs=inputs, summary=staged.summary()
    )


@dataclass(frozen=True)
class _Assignment:
    iri: str
    relationship: str
    assignee: str
    role: str
    start: dt.date
    end: dt.date | None
    primary: bool
    records: tuple[str, ...]


class _Staging:
    """Turns the checked export into staged tables; findings about meaning are logged here."""

    def __init__(
        self, export: SalesforceExport, config: ImportConfig, export_date: dt.date, people: PeopleIndex, log: FindingLog
    ) -> None:
        self.export, self.config, self.log = export, config, log
        self.sf = config.salesforce
        self.export_date = export_date
        self.ids = SalesforceIris(self.sf.base)
        self.export_iri = self.ids.export(export_date)
        self.person = {
            uid: people.match(u.email, u.employee_number) or self.ids.user(uid) for uid, u in export.users.items()
        }
        self.rel_class = self._relationship_classes()
        self.assignments = self._owner_assignments() + self._team_assignments()
        self.capacities = self._capacities()

    # -- eager parts: they log findings ---------------------------------------------------------

    def _lookup_all(self, table: PicklistMap, values: Iterable[str], file: str, column: str) -> dict[str, str | None]:
        counts = Counter(values)
        out: dict[str, str | None] = {}
        for value, count in sorted(counts.items()):
            iri, known = table.lookup(value)
            out[value] = iri
            if not known and value:
                target = f"<{iri}>" if iri else "nothing (dropped)"
                self.log.add("unmapped-value", file, None, column, value=value, rows=count, target=target)
        return out

    def _relationship_classes(self) -> dict[str, str | None]:
        by_type = self._lookup_all(
            self.sf.account_types, (a.type for a in self.export.accounts.values()), "Account.csv", "Type"
        )
        return {aid: by_type[a.type] for aid, a in self.export.accounts.items()}

    def _user_iri(self, uid: str) -> str:
        return self.person.get(uid) or self.ids.user(uid)

    def _owner_assignments(self) -> list[_Assignment]:
        out: list[_Assignment] = []
        primary = self.sf.owner_role == AKJ + "LeadRole"
        for aid, acc in self.export.accounts.items():
            if self.rel_class[aid] is None:
                continue
            changes = self.export.owner_changes.get(aid, [])
            periods, notes = owner_periods(acc.owner, acc.created, changes, self.export_date)
            for note in notes:
                self.log.add(note.code, "AccountHistory.csv", note.line, account=aid, extra=note.params)
            account_record = self.ids.record("Account", aid)
            for period in periods:
                records = [
                    self.ids.record("AccountHistory", c.record_id)
                    for c in (period.started_by, period.ended_by)
                    if c is not None
                ]
                if period.end is None or period.started_by is None:
                    records.insert(0, account_record)
                out.append(
                    _Assignment(
                        self.ids.owner_assignment(aid, period.start),
                        self.ids.relationship(aid),
                        self._user_iri(period.owner),
                        self.sf.owner_role,
                        period.start,
                        period.end,
                        primary,
                        tuple(records),
                    )
                )
            if acc.owner and acc.owner in self.export.users and not self.export.users[acc.owner].active:
                self.log.add("inactive-owner", "Account.csv", acc.line, "OwnerId", value=acc.owner, account=aid)
        return out

    def _team_assignments(self) -> list[_Assignment]:
        roles = self._lookup_all(
            self.sf.team_roles, (t.role for t in self.export.team), "AccountTeamMember.csv", "TeamMemberRole"
        )
        out = []
        for member in self.export.team:
            role = roles[member.role]
            if role is None or self.rel_class.get(member.account) is None:
                continue
            account = self.export.accounts.get(member.account)
            if account is not None and role == self.sf.owner_role and member.user == account.owner:
                # The record owner is already this role's holder (from OwnerId): one assignment, not two.
                self.log.add(
                    "merged-with-owner",
                    "AccountTeamMember.csv",
                    member.line,
                    "TeamMemberRole",
                    user=member.user,
                    account=member.account,
                    role=member.role,
                )
                continue
            start = member.created or (account.created if account else None) or self.export_date
            out.append(
                _Assignment(
                    self.ids.team_assignment(member.id),
                    self.ids.relationship(member.account),
                    self._user_iri(member.user),
                    role,
                    start,
                    None,
                    False,
                    (self.ids.record("AccountTeamMember", member.id),),
                )
            )
        return out

    def _capacities(self) -> list[tuple[str, str, str]]:
        links = self.export.contact_roles
        file = (
            "AccountContactRelation.csv"
            if links and links[0].object == "AccountContactRelation"
            else "AccountContactRole.csv"
        )
        column = "Roles" if file.startswith("AccountContactRelation") else "Role"
        props = self._lookup_all(self.sf.contact_roles, (role for link in links for role in link.roles), file, column)
        seen: dict[tuple[str, str, str], None] = {}
        for link in links:
            if self.rel_class.get(link.account) is None:
                continue
            for role in link.roles:
                prop = props[role]
                if prop is not None:
                    seen[(self.ids.relationship(link.account), prop, self.ids.contact(link.contact))] = None
        return list(seen)

    def summary(self) -> dict[str, int]:
        relationships = [aid for aid, cls in self.rel_class.items() if cls is not None]
        by_role: dict[str, set[str]] = {}
        for a in self.assignments:
            if a.end is None:
                by_role.setdefault(a.role, set()).add(a.relationship)
        return {
            "accountsRead": len(self.export.accounts),
            "relationships": len(relationships),
            "skippedNotCustomer": len(self.rel_class) - len(relationships),
            "withOwner": len(by_role.get(AKJ + "OwnerRole", set())),
            "withLead": len(by_role.get(AKJ + "LeadRole", set())),
        }

    # -- lazy parts: rows are produced again on every pass --------------------------------------

    def tables(self) -> tuple[StagedTable, ...]:
        return (
            *source_tables(
                self.export_iri,
                SYSTEM,
                self.export_date,
                f"{SYSTEM} export {self.export_date.isoformat()}",
                self.config.provider,
            ),
            ("records.csv", ("record", "sobject", "id", "export"), self._record_rows),
            ("units.csv", ("unit", "name", "parent", "function", "record"), self._unit_rows),
            ("posts.csv", ("post", "name", "in", "reports_to", "record"), self._post_rows),
            ("people.csv", ("person", "name", "record"), self._people_rows),
            ("person_links.csv", ("person", "post", "unit", "manager"), self._person_link_rows),
            ("parties.csv", ("party", "name", "parent", "record"), self._party_rows),
            (
                "relationships.csv",
                ("relationship", "class", "name", "provider", "party_property", "party", "record"),
                self._relationship_rows,
            ),
            (
                "assignments.csv",
                ("assignment", "relationship", "assignee", "role", "start", "end", "primary", "record"),
                self._assignment_rows,
            ),
            ("contacts.csv", ("person", "name", "party", "record"), self._contact_rows),
            ("capacities.csv", ("relationship", "property", "party"), self._capacity_rows),
            ("derivations.csv", ("node", "record"), self._derivation_rows),
        )

    def _record_rows(self) -> Iterator[RowData]:
        ex = self.export
        groups: list[tuple[str, Iterable[str]]] = [
            ("UserRole", ex.roles),
            ("User", ex.users),
            ("Account", ex.accounts),
            ("Contact", ex.contacts),
            ("AccountTeamMember", (t.id for t in ex.team)),
            ("AccountHistory", (c.record_id for cs in ex.owner_changes.values() for c in cs)),
        ]
        for obj, ids in groups:
            for rid in ids:
                yield {"record": self.ids.record(obj, rid), "sobject": obj, "id": rid, "export": self.export_iri}

    def _departments(self) -> dict[str, list[str]]:
        by_name: dict[str, list[str]] = {}
        for uid, user in self.export.users.items():
            if user.department:
                by_name.setdefault(user.department, []).append(uid)
        return by_name

    def _unit_rows(self) -> Iterator[RowData]:
        for name, uids in sorted(self._departments().items()):
            yield {
                "unit": self.ids.department(name),
                "name": name,
                "parent": self.config.provider.iri,
                "record": self.ids.record("User", uids[0]),
            }

    def _post_rows(self) -> Iterator[RowData]:
        for rid, role in self.export.roles.items():
            yield {
                "post": self.ids.post(rid),
                "name": role.name,
                "in": self.config.provider.iri,
                "reports_to": self.ids.post(role.parent) if role.parent else "",
                "record": self.ids.record("UserRole", rid),
            }

    def _people_rows(self) -> Iterator[RowData]:
        for uid, user in self.export.users.items():
            yield {"person": self.person[uid], "name": user.name, "record": self.ids.record("User", uid)}

    def _person_link_rows(self) -> Iterator[RowData]:
        for uid, user in self.export.users.items():
            yield {
                "person": self.person[uid],
                "post": self.ids.post(user.role) if user.role else "",
                "unit": self.ids.department(user.department) if user.department else "",
                "manager": self._user_iri(user.manager) if user.manager else "",
            }

    def _party_rows(self) -> Iterator[RowData]:
        for aid, acc in self.export.accounts.items():
            yield {
                "party": self.ids.account(aid),
                "name": acc.name,
                "parent": self.ids.account(acc.parent) if acc.parent else "",
                "record": self.ids.record("Account", aid),
            }

    def _relationship_rows(self) -> Iterator[RowData]:
        provider = self.config.provider.iri
        for aid, acc in self.export.accounts.items():
            cls = self.rel_class[aid]
            if cls is not None:
                yield {
                    "relationship": self.ids.relationship(aid),
                    "class": cls,
                    "name": acc.name,
                    "provider": provider,
                    "party_property": self.sf.account_party_property,
                    "party": self.ids.account(aid),
                    "record": self.ids.record("Account", aid),
                }

    def _assignment_rows(self) -> Iterator[RowData]:
        for a in self.assignments:
            yield {
                "assignment": a.iri,
                "relationship": a.relationship,
                "assignee": a.assignee,
                "role": a.role,
                "start": a.start.isoformat(),
                "end": a.end.isoformat() if a.end else "",
                "primary": "true" if a.primary else "",
                "record": a.records[0],
            }

    def _contact_rows(self) -> Iterator[RowData]:
        for cid, con in self.export.contacts.items():
            yield {
                "person": self.ids.contact(cid),
                "name": con.name,
                "party": self.ids.account(con.account) if con.account else "",
                "record": self.ids.record("Contact", cid),
            }

    def _capacity_rows(self) -> Iterator[RowData]:
        for rel, prop, party in self.capacities:
            yield {"relationship": rel, "property": prop, "party": party}

    def _derivation_rows(self) -> Iterator[RowData]:
        for a in self.assignments:
            for record in a.records[1:]:
                yield {"node": a.iri, "record": record}
        for name, uids in sorted(self._departments().items()):
            for uid in uids[1:]:
                yield {"node": self.ids.department(name), "record": self.ids.record("User", uid)}
