"""Read a Salesforce data export folder into checked, id-normalised records.

Each object's CSV is optional: an absent file is a note, and references to an absent object are
kept unchecked. References into a file that is present must resolve; a dangling id, a malformed
id or date is an error finding naming file, line and column, and the reference is dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crmkg.ingest.csvfile import Row, read_rows
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.handovers import OwnerChange
from crmkg.ingest.sfid import InvalidSalesforceId, to_id18

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_OWNER_FIELDS = {"owner", "ownerassignment"}
_OWNER_PREFIXES = ("005",)  # users; queues (00G) cannot own accounts' leads


@dataclass(slots=True)
class Account:
    id: str
    line: int
    name: str
    parent: str | None
    owner: str | None
    type: str
    created: dt.date | None


@dataclass(slots=True)
class User:
    id: str
    line: int
    name: str
    email: str
    employee_number: str
    role: str | None
    manager: str | None
    department: str
    active: bool


@dataclass(slots=True)
class UserRole:
    id: str
    line: int
    name: str
    parent: str | None


@dataclass(slots=True)
class Contact:
    id: str
    line: int
    name: str
    account: str | None


@dataclass(slots=True)
class TeamMember:
    id: str
    line: int
    account: str
    user: str
    role: str
    created: dt.date | None


@dataclass(slots=True)
class ContactRoles:
    object: str  # AccountContactRelation or AccountContactRole
    id: str
    line: int
    account: str
    contact: str
    roles: tuple[str, ...]


@dataclass
class SalesforceExport:
    folder: Path
    present: set[str] = field(default_factory=set)
    accounts: dict[str, Account] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    roles: dict[str, UserRole] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    team: list[TeamMember] = field(default_factory=list)
    contact_roles: list[ContactRoles] = field(default_factory=list)
    owner_changes: dict[str, list[OwnerChange]] = field(default_factory=lambda: defaultdict(list))
    newest_mtime: float = 0.0


OBJECTS = (
    "UserRole",
    "User",
    "Account",
    "Contact",
    "AccountTeamMember",
    "AccountContactRelation",
    "AccountContactRole",
    "AccountHistory",
)


class _Cells:
    """Parses the cells of one row, logging problems with file, line and column."""

    def __init__(self, log: FindingLog, file: str, line: int, values: dict[str, str]) -> None:
        self.log, self.file, self.line, self.values = log, file, line, values

    def text(self, column: str) -> str:
        return self.values.get(column, "")

    def id(self, column: str) -> str | None:
        raw = self.values.get(column, "")
        if not raw:
            return None
        try:
            return to_id18(raw)
        except InvalidSalesforceId as exc:
            self.log.add("bad-id", self.file, self.line, column, value=raw, reason=str(exc))
            return None

    def date(self, column: str) -> dt.date | None:
        raw = self.values.get(column, "")
        if not raw:
            return None
        match = _DATE.fullmatch(raw)
        try:
            if match is None:
                raise ValueError
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            self.log.add("bad-date", self.file, self.line, column, value=raw, expected="YYYY-MM-DD (ISO 8601)")
            return None

    def flag(self, column: str, default: bool) -> bool:
        raw = self.values.get(column, "").casefold()
        if raw in ("true", "1", "yes"):
            return True
        if raw in ("false", "0", "no"):
            return False
        if raw:
            self.log.add("bad-value", self.file, self.line, column, value=raw, kind_fi="totuusarvo", kind_en="boolean")
        return default

    def name(self) -> str:
        full = self.values.get("Name", "")
        return full or " ".join(p for p in (self.text("FirstName"), self.text("LastName")) if p)


def find_files(folder: Path) -> dict[str, Path]:
    """The export's CSV files by object name (file names compared case-insensitively)."""
    by_name = {p.stem.casefold(): p for p in folder.glob("*") if p.suffix.casefold() == ".csv"}
    return {obj: by_name[obj.casefold()] for obj in OBJECTS if obj.casefold() in by_name}


def read_export(folder: Path, log: FindingLog) -> SalesforceExport:
    files = find_files(folder)
    export = SalesforceExport(folder, present=set(files))
    for obj in OBJECTS:
        if obj not in files and obj not in ("AccountContactRelation", "AccountContactRole"):
            log.add("absent-file", f"{obj}.csv")
    if "AccountContactRelation" not in files and "AccountContactRole" not in files:
        log.add("absent-contact-roles", "AccountContactRelation.csv")
    for path in files.values():
        export.newest_mtime = max(export.newest_mtime, path.stat().st_mtime)

    def rows(obj: str, required: tuple[str, ...], optional: tuple[str, ...]) -> list[_Cells]:
        if obj not in files:
            return []
        name = files[obj].name
        return [_Cells(log, name, line, values) for line, values in _rows(files[obj], log, required, optional)]

    for c in rows("UserRole", ("Id", "Name"), ("ParentRoleId",)):
        if (rid := c.id("Id")) is not None:
            export.roles[rid] = UserRole(rid, c.line, c.text("Name"), c.id("ParentRoleId"))
    for c in rows(
        "User",
        ("Id",),
        (
            "Name",
            "FirstName",
            "LastName",
            "Email",
            "EmployeeNumber",
            "UserRoleId",
            "ManagerId",
            "Department",
            "IsActive",
        ),
    ):
        if (uid := c.id("Id")) is not None:
            export.users[uid] = User(
                uid,
                c.line,
                c.name(),
                c.text("Email"),
                c.text("EmployeeNumber"),
                c.id("UserRoleId"),
                c.id("ManagerId"),
                c.text("Department"),
                c.flag("IsActive", True),
            )
    for c in rows("Account", ("Id", "Name"), ("ParentId", "OwnerId", "Type", "CreatedDate")):
        if (aid := c.id("Id")) is not None:
            export.accounts[aid] = Account(
                aid, c.line, c.text("Name"), c.id("ParentId"), c.id("OwnerId"), c.text("Type"), c.date("CreatedDate")
            )
    for c in rows("Contact", ("Id",), ("Name", "FirstName", "LastName", "AccountId")):
        if (cid := c.id("Id")) is not None:
            export.contacts[cid] = Contact(cid, c.line, c.name(), c.id("AccountId"))
    for c in rows("AccountTeamMember", ("Id", "AccountId", "UserId", "TeamMemberRole"), ("CreatedDate",)):
        tid, acc, user = c.id("Id"), c.id("AccountId"), c.id("UserId")
        if tid and acc and user:
            export.team.append(TeamMember(tid, c.line, acc, user, c.text("TeamMemberRole"), c.date("CreatedDate")))
    for obj, column in (("AccountContactRelation", "Roles"), ("AccountContactRole", "Role")):
        for c in rows(obj, ("Id", "AccountId", "ContactId", column), ()):
            rid, acc, con = c.id("Id"), c.id("AccountId"), c.id("ContactId")
            roles = tuple(r.strip() for r in c.text(column).split(";") if r.strip())
            if rid and acc and con:
                export.contact_roles.append(ContactRoles(obj, rid, c.line, acc, con, roles))
    for c in rows("AccountHistory", ("AccountId", "Field", "OldValue", "NewValue", "CreatedDate"), ("Id",)):
        _owner_change(export, c)
    _check_references(export, files, log)
    return export


def _rows(path: Path, log: FindingLog, required: tuple[str, ...], optional: tuple[str, ...]) -> list[Row]:
    return list(read_rows(path, log, required, optional))


def _owner_change(export: SalesforceExport, c: _Cells) -> None:
    if c.text("Field").casefold() not in _OWNER_FIELDS:
        return
    new = c.text("NewValue")
    # Salesforce writes each owner change twice: once with user names, once with ids.
    if not new.startswith(_OWNER_PREFIXES) or len(new) not in (15, 18):
        return
    account, new_id, when = c.id("AccountId"), c.id("NewValue"), c.date("CreatedDate")
    old_id = c.id("OldValue") if c.text("OldValue").startswith(_OWNER_PREFIXES) else None
    record = c.id("Id") if c.text("Id") else f"line{c.line}"
    if account and new_id and when and record:
        export.owner_changes[account].append(OwnerChange(record, c.line, c.text("CreatedDate"), when, old_id, new_id))


def _check_references(export: SalesforceExport, files: dict[str, Path], log: FindingLog) -> None:
    """Drop references into a present file that name no record in it, with an error each."""

    def resolves(obj: str, table: Mapping[str, object], ref: str | None, file: str, line: int, column: str) -> bool:
        if ref is None or obj not in files or ref in table:
            return True
        log.add("dangling-id", file, line, column, value=ref, target=obj, target_file=files[obj].name)
        return False

    def name(obj: str) -> str:
        return files[obj].name if obj in files else f"{obj}.csv"

    users, accounts, roles = export.users, export.accounts, export.roles
    for role in export.roles.values():
        if not resolves("UserRole", roles, role.parent, name("UserRole"), role.line, "ParentRoleId"):
            role.parent = None
    for user in export.users.values():
        if not resolves("UserRole", roles, user.role, name("User"), user.line, "UserRoleId"):
            user.role = None
        if not resolves("User", users, user.manager, name("User"), user.line, "ManagerId"):
            user.manager = None
    for acc in export.accounts.values():
        if not resolves("Account", accounts, acc.parent, name("Account"), acc.line, "ParentId"):
            acc.parent = None
        if not resolves("User", users, acc.owner, name("Account"), acc.line, "OwnerId"):
            acc.owner = None
    for con in export.contacts.values():
        if not resolves("Account", accounts, con.account, name("Contact"), con.line, "AccountId"):
            con.account = None
    export.team = [
        t
        for t in export.team
        if resolves("Account", accounts, t.account, name("AccountTeamMember"), t.line, "AccountId")
        and resolves("User", users, t.user, name("AccountTeamMember"), t.line, "UserId")
    ]
    contacts = export.contacts
    export.contact_roles = [
        r
        for r in export.contact_roles
        if resolves("Account", accounts, r.account, name(r.object), r.line, "AccountId")
        and resolves("Contact", contacts, r.contact, name(r.object), r.line, "ContactId")
    ]
    for account in list(export.owner_changes):
        changes = export.owner_changes[account]
        file = name("AccountHistory")
        if not resolves("Account", accounts, account, file, changes[0].line, "AccountId"):
            for change in changes[1:]:
                resolves("Account", accounts, account, file, change.line, "AccountId")
            del export.owner_changes[account]
            continue
        export.owner_changes[account] = [
            ch
            for ch in changes
            if resolves("User", users, ch.new, file, ch.line, "NewValue")
            and resolves("User", users, ch.old, file, ch.line, "OldValue")
        ]
