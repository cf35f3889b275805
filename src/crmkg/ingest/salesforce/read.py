"""Read a Salesforce export into checked, id-normalised records.

Each object's file is optional except Account: an absent file is a note, and references to an
absent object are kept unchecked (the stage step makes placeholders for users). Per row: deleted
rows (``IsDeleted``) are skipped and counted; a row whose id belongs to another object (a territory
row in UserRole.csv) is reported and skipped; a second row with the same id is an error naming
both rows, and the first one wins. References into a file that is present must resolve.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crmkg.ingest.config_base import ReadOptions
from crmkg.ingest.cycles import break_cycles
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.handovers import OwnerChange
from crmkg.ingest.salesforce.cells import Cells
from crmkg.ingest.salesforce.objects import OBJECT_OF_PREFIX, PREFIX, QUEUE_PREFIX, SPECS
from crmkg.ingest.tables import Table, read_csv

_OWNER_FIELDS = {"owner", "ownerassignment"}


@dataclass(slots=True)
class Account:
    id: str
    line: int | None
    name: str
    parent: str | None
    owner: str | None
    owner_name: str
    type: str
    created: dt.date | None
    person: bool
    person_contact: str | None


@dataclass(slots=True)
class User:
    id: str
    line: int | None
    name: str
    email: str
    employee_number: str
    role: str | None
    manager: str | None
    department: str
    active: bool
    user_type: str


@dataclass(slots=True)
class UserRole:
    id: str
    line: int | None
    name: str
    parent: str | None
    portal: bool


@dataclass(slots=True)
class Contact:
    id: str
    line: int | None
    name: str
    account: str | None
    person_account: bool


@dataclass(slots=True)
class TeamMember:
    id: str
    line: int | None
    account: str
    user: str
    role: str
    created: dt.date | None
    created_by: str | None


@dataclass(slots=True)
class ContactRoles:
    object: str  # AccountContactRelation or AccountContactRole
    id: str
    line: int | None
    account: str
    contact: str
    roles: tuple[str, ...]


@dataclass
class SalesforceExport:
    """The records of one export, with the counts the summary reports."""

    files: dict[str, Path] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    roles: dict[str, UserRole] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    team: list[TeamMember] = field(default_factory=list)
    contact_roles: list[ContactRoles] = field(default_factory=list)
    owner_changes: dict[str, list[OwnerChange]] = field(default_factory=lambda: defaultdict(list))
    deleted: Counter[str] = field(default_factory=Counter)
    other_object: Counter[str] = field(default_factory=Counter)
    duplicates: Counter[str] = field(default_factory=Counter)
    read: set[str] = field(default_factory=set)  # objects whose file could be read

    def file(self, obj: str) -> Path:
        found = self.files.get(obj)  # (no Path built per call: this runs for every reference)
        return found if found is not None else Path(f"{obj}.csv")


def read_export(
    files: Mapping[str, Path], tables: Mapping[str, Table], options: ReadOptions, log: FindingLog
) -> SalesforceExport:
    """Read the objects' tables (``tables`` holds ones already read, e.g. from JSON; the other
    ``files`` are read as CSV here)."""
    export = SalesforceExport(files=dict(files))
    reader = _Reader(export, files, tables, options, log)
    for c in reader.rows("UserRole"):
        rid = c.values["Id"]
        portal = c.text("PortalType").casefold() not in ("", "none")
        export.roles[rid] = UserRole(rid, c.line, c.text("Name"), c.id("ParentRoleId", "UserRole"), portal)
    for c in reader.rows("User"):
        uid = c.values["Id"]
        export.users[uid] = User(
            uid,
            c.line,
            c.name(),
            c.text("Email"),
            c.text("EmployeeNumber"),
            c.id("UserRoleId", "UserRole"),
            c.id("ManagerId", "User"),
            c.text("Department"),
            c.flag("IsActive", True),
            c.text("UserType"),
        )
    for c in reader.rows("Account"):
        aid = c.values["Id"]
        owner = c.raw_id("OwnerId")
        if owner is not None and not owner.startswith((PREFIX["User"], QUEUE_PREFIX)):
            c.log.add(
                "wrong-object-id",
                c.file,
                c.line,
                "OwnerId",
                value=owner,
                expected="User",
                prefix="005",
                actual=OBJECT_OF_PREFIX.get(owner[:3], owner[:3]),
            )
            owner = None
        export.accounts[aid] = Account(
            aid,
            c.line,
            c.name(),
            c.id("ParentId", "Account"),
            owner,
            c.text("OwnerName"),
            c.text("Type"),
            c.date("CreatedDate"),
            c.flag("IsPersonAccount", False),
            c.id("PersonContactId", "Contact"),
        )
    for c in reader.rows("Contact"):
        cid = c.values["Id"]
        export.contacts[cid] = Contact(
            cid, c.line, c.name(), c.id("AccountId", "Account"), c.flag("IsPersonAccount", False)
        )
    for c in reader.rows("AccountTeamMember"):
        acc, user = c.id("AccountId", "Account"), c.id("UserId", "User")
        if acc and user:
            export.team.append(
                TeamMember(
                    c.values["Id"],
                    c.line,
                    acc,
                    user,
                    c.text("TeamMemberRole"),
                    c.date("CreatedDate"),
                    c.id("CreatedById", "User"),
                )
            )
    for obj, column in (("AccountContactRelation", "Roles"), ("AccountContactRole", "Role")):
        for c in reader.rows(obj):
            acc, con = c.id("AccountId", "Account"), c.id("ContactId", "Contact")
            roles = tuple(r.strip() for r in c.text(column).split(";") if r.strip())
            if acc and con:
                export.contact_roles.append(ContactRoles(obj, c.values["Id"], c.line, acc, con, roles))
    for c in reader.rows("AccountHistory", id_required=False):
        _owner_change(export, c)
    _check_references(export, log)
    _break_hierarchy_cycles(export, log)
    return export


class _Reader:
    """Yields the checked rows of one object: not deleted, of that object, not a duplicate."""

    def __init__(
        self,
        export: SalesforceExport,
        files: Mapping[str, Path],
        tables: Mapping[str, Table],
        options: ReadOptions,
        log: FindingLog,
    ) -> None:
        self.export, self.files, self.tables, self.options, self.log = export, files, tables, options, log

    def _table(self, obj: str) -> Table | None:
        if obj in self.tables:
            return self.tables[obj]
        if obj not in self.files:
            return None
        return read_csv(
            self.files[obj], SPECS[obj], self.log, encoding=self.options.encoding, delimiter=self.options.delimiter
        )

    def rows(self, obj: str, *, id_required: bool = True) -> Iterator[Cells]:
        table = self._table(obj)
        if table is None:
            return
        self.export.read.add(obj)
        path, log = table.path, self.log
        seen: dict[str, int | None] = {}
        has_deleted = table.has("IsDeleted")
        for number, (line, values) in enumerate(table.rows, start=1):
            c = Cells(log, path, line, values, self.options.date_format)
            if has_deleted and c.flag("IsDeleted", False):
                self.export.deleted[obj] += 1
                continue
            rid = c.raw_id("Id")
            if rid is None:
                if id_required:
                    if not values.get("Id"):
                        log.add("missing-id", path, line, "Id", object=obj)
                    continue
                values["Id"] = f"row{line if line is not None else number}"
                yield c
                continue
            if not rid.startswith(PREFIX[obj]):
                self.export.other_object[obj] += 1
                log.add(
                    "other-object-row",
                    path,
                    line,
                    "Id",
                    value=rid[:3],
                    object=obj,
                    prefix=PREFIX[obj],
                    actual=OBJECT_OF_PREFIX.get(rid[:3], "?"),
                )
                continue
            if rid in seen:
                self.export.duplicates[obj] += 1
                first = seen[rid]
                log.add("duplicate-id", path, line, "Id", value=rid, first="?" if first is None else first)
                continue
            seen[rid] = line if line is not None else number
            values["Id"] = rid
            yield c


def _owner_change(export: SalesforceExport, c: Cells) -> None:
    if c.text("Field").casefold().replace(" ", "") not in _OWNER_FIELDS:
        return
    new = c.text("NewValue")
    # Salesforce writes each owner change twice: once with user names, once with ids.
    if not new.startswith((PREFIX["User"], QUEUE_PREFIX)) or len(new) not in (15, 18):
        return
    account, new_id, when = c.id("AccountId", "Account"), c.raw_id("NewValue"), c.date("CreatedDate")
    old_text = c.text("OldValue")
    old_id = c.raw_id("OldValue") if old_text.startswith((PREFIX["User"], QUEUE_PREFIX)) else None
    if account and new_id and when:
        export.owner_changes[account].append(
            OwnerChange(
                c.values["Id"], c.line or 0, c.text("CreatedDate"), when, old_id, new_id, c.id("CreatedById", "User")
            )
        )


def _check_references(export: SalesforceExport, log: FindingLog) -> None:
    """Drop references into a present file that name no record in it, with an error each."""

    def resolves(
        obj: str, table: Mapping[str, object], ref: str | None, file: Path, line: int | None, col: str
    ) -> bool:
        if ref is None or obj not in export.read or ref in table:
            return True
        log.add("dangling-id", file, line, col, value=ref, target=obj, target_file=export.file(obj).name)
        return False

    users, accounts, roles, contacts = export.users, export.accounts, export.roles, export.contacts
    for role in roles.values():
        if not resolves("UserRole", roles, role.parent, export.file("UserRole"), role.line, "ParentRoleId"):
            role.parent = None
    for user in users.values():
        if not resolves("UserRole", roles, user.role, export.file("User"), user.line, "UserRoleId"):
            user.role = None
    for acc in accounts.values():
        if not resolves("Account", accounts, acc.parent, export.file("Account"), acc.line, "ParentId"):
            acc.parent = None
        if not resolves("Contact", contacts, acc.person_contact, export.file("Account"), acc.line, "PersonContactId"):
            acc.person_contact = None
    for con in contacts.values():
        if not resolves("Account", accounts, con.account, export.file("Contact"), con.line, "AccountId"):
            con.account = None
    export.team = [
        t
        for t in export.team
        if resolves("Account", accounts, t.account, export.file("AccountTeamMember"), t.line, "AccountId")
    ]
    export.contact_roles = [
        r
        for r in export.contact_roles
        if resolves("Account", accounts, r.account, export.file(r.object), r.line, "AccountId")
        and resolves("Contact", contacts, r.contact, export.file(r.object), r.line, "ContactId")
    ]
    history = export.file("AccountHistory")
    for account in list(export.owner_changes):
        changes = export.owner_changes[account]
        ok = [resolves("Account", accounts, account, history, ch.line, "AccountId") for ch in changes]  # log each row
        if not all(ok):
            del export.owner_changes[account]


def _break_hierarchy_cycles(export: SalesforceExport, log: FindingLog) -> None:
    """A role, account or manager chain that loops back on itself is reported and cut."""
    hierarchies = (
        ("UserRole", "ParentRoleId", export.roles, "parent"),
        ("Account", "ParentId", export.accounts, "parent"),
        ("User", "ManagerId", export.users, "manager"),
    )
    for obj, column, records, attr in hierarchies:
        parents: dict[str, str | None] = {k: getattr(r, attr) for k, r in records.items()}
        for cycle in break_cycles(parents, lambda k, rs=records: rs[k].line or 0):  # type: ignore[misc]
            first = records[cycle[0]]
            setattr(first, attr, None)
            log.add(
                "cycle",
                export.file(obj),
                first.line,
                column,
                value=cycle[0],
                length=len(cycle),
                members=" → ".join([*cycle, cycle[0]]) if len(cycle) <= 6 else " → ".join([*cycle[:5], "…"]),
            )
