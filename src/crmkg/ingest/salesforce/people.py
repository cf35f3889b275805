"""Who the Salesforce users are: provider staff, other users, and users missing from the export.

* Staff are users whose ``UserType`` is one of ``staff_user_types`` (default ``Standard``) or who
  have no ``UserType`` column: they are ``org:memberOf`` the provider even without a role or
  department, and they may lead and own relationships.
* Partner, portal, community, guest and system users (``PowerPartner``, ``CspLitePortal``,
  ``Guest``, ``AutomatedProcess``…) never become leads, owners or provider members: a reference
  to one gives a warning and no assignment.
* A user id that names no row of User.csv (or when there is no User.csv — common) becomes a
  ``foaf:Person`` placeholder labelled with the id, counted as staff, with one grouped warning
  per column, so the output still validates and lookups print something.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from crmkg.ingest.findings import FindingLog
from crmkg.ingest.iris import SalesforceIris
from crmkg.ingest.orgchart import PeopleIndex
from crmkg.ingest.salesforce.read import SalesforceExport, User


@dataclass
class _Missing:
    """References to users not in the export, per referencing column."""

    file: Path
    column: str
    first_line: int | None
    users: dict[str, int] = field(default_factory=dict)  # user id → references


class People:
    """Person IRIs for user ids, who counts as staff, and the placeholders made on the way."""

    def __init__(
        self,
        export: SalesforceExport,
        ids: SalesforceIris,
        hr: PeopleIndex,
        staff_types: tuple[str, ...],
        log: FindingLog,
    ) -> None:
        self.export, self.ids, self.log = export, ids, log
        self.staff_types = {t.casefold() for t in staff_types}
        self.iri: dict[str, str] = {
            uid: hr.match(u.email, u.employee_number) or ids.user(uid) for uid, u in export.users.items()
        }
        #: placeholder user id → the record of the row that first referred to it (its provenance)
        self.placeholders: dict[str, str] = {}
        self._missing: dict[tuple[str, str], _Missing] = {}
        self._not_staff: dict[tuple[str, str, str], list[int | None]] = defaultdict(list)

    def user(self, uid: str) -> User | None:
        return self.export.users.get(uid)

    def is_staff(self, uid: str) -> bool:
        user = self.export.users.get(uid)
        return user is None or not user.user_type or user.user_type.casefold() in self.staff_types

    def person(self, uid: str, file: Path, line: int | None, column: str, record: str) -> str | None:
        """The person IRI a reference in ``file:line:column`` stands for, or None (non-staff,
        with a warning). A user missing from the export becomes a placeholder."""
        if uid not in self.export.users:
            self._note_missing(uid, file, line, column, record)
            return self.ids.user(uid)
        if not self.is_staff(uid):
            self._not_staff[(uid, str(file), column)].append(line)
            return None
        return self.iri[uid]

    def _note_missing(self, uid: str, file: Path, line: int | None, column: str, record: str) -> None:
        self.placeholders.setdefault(uid, record)
        group = self._missing.setdefault((str(file), column), _Missing(file, column, line))
        group.users[uid] = group.users.get(uid, 0) + 1

    def report(self) -> None:
        """Log the grouped warnings: users missing from the export, references to non-staff users."""
        has_users = "User" in self.export.read
        for group in self._missing.values():
            examples = ", ".join(list(group.users)[:3]) + (", …" if len(group.users) > 3 else "")
            self.log.add(
                "users-missing" if has_users else "users-not-exported",
                group.file,
                group.first_line,
                group.column,
                users=len(group.users),
                references=sum(group.users.values()),
                examples=examples,
            )
        for (uid, file, column), lines in self._not_staff.items():
            user = self.export.users[uid]
            self.log.add(
                "not-staff",
                file,
                lines[0],
                column,
                value=uid,
                user_type=user.user_type,
                references=len(lines),
            )
