"""What a Salesforce export means, as rows of the shared staged tables (:mod:`crmkg.ingest.staging`).

Decided here, as data from the config's tables: which accounts are customer relationships
(``Account.Type``), who leads (``OwnerId``, with owner periods rebuilt from AccountHistory, the
old assignment ending the day before the change), who owns (account team roles, or an owner
derived from the ``OwnerId`` user: its role's post, its manager, or its role's parent post),
which contacts are the customer's users, negotiating partners and payers, and which people are
provider staff. Person Accounts are people, not organisations, and their person contact is the
same party.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator

from crmkg.ingest.config_base import AKJ, PicklistMap, Provider
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.handovers import owner_periods
from crmkg.ingest.iris import SalesforceIris
from crmkg.ingest.rml import RowData
from crmkg.ingest.salesforce.config import SalesforceConfig
from crmkg.ingest.salesforce.derive import derive_owners
from crmkg.ingest.salesforce.people import People
from crmkg.ingest.salesforce.read import SalesforceExport
from crmkg.ingest.staging import ORGANIZATION, PERSON, Assignment, RowsFn, assignment_derivations, assignment_rows

LEAD, OWNER = AKJ + "LeadRole", AKJ + "OwnerRole"
INVOLVES = AKJ + "involvesCustomerParty"


class SalesforceStaging:
    """Turns the checked export into staged rows; findings about meaning are logged here."""

    def __init__(
        self,
        export: SalesforceExport,
        config: SalesforceConfig,
        provider: Provider,
        export_date: dt.date,
        people: People,
        log: FindingLog,
    ) -> None:
        self.export, self.sf, self.provider, self.log = export, config, provider, log
        self.export_date = export_date
        self.ids = SalesforceIris(config.base)
        self.people = people
        self.account_file = export.file("Account")
        self.person_contacts = self._person_contacts()
        self.rel_class = self._relationship_classes()
        self.leads = self._owner_assignments()
        team = self._team_assignments()
        derived = derive_owners(export, config, self.ids, people, [*self.leads, *team], log)
        self.assignments = self.leads + team + derived
        self.capacities = self._capacities()
        people.report()

    # -- which accounts are customer relationships --------------------------------------------

    def _relationship_classes(self) -> dict[str, str | None]:
        by_type = self._lookup_all(self.sf.account_types, (a.type for a in self.export.accounts.values()), "Type")
        return {aid: by_type[a.type] for aid, a in self.export.accounts.items()}

    def _lookup_all(
        self, table: PicklistMap, values: Iterable[str], column: str, *, file: str = ""
    ) -> dict[str, str | None]:
        """Each distinct value's target, with one note per value the table does not name or drops."""
        where = file or self.account_file
        out: dict[str, str | None] = {}
        for value, count in sorted(Counter(values).items()):
            iri, known = table.lookup(value)
            out[value] = iri
            target = f"<{iri}>" if iri else "—"
            if not known:
                code = "empty-value" if not value else "unmapped-value"
                self.log.add(code, where, None, column, value=value, rows=count, target=target)
            elif iri is None and column == "Type":
                self.log.add("not-customer", where, None, column, value=value, rows=count, table="account_types")
        return out

    # -- leads (and owners) from OwnerId and its history --------------------------------------

    def _owner_assignments(self) -> list[Assignment]:
        out: list[Assignment] = []
        primary = self.sf.owner_role == LEAD
        by_name = self._users_by_name()
        named = Counter[bool]()
        for aid, acc in self.export.accounts.items():
            if self.rel_class[aid] is None:
                continue
            account_record = self.ids.record("Account", aid)
            owner = acc.owner
            if owner is None and acc.owner_name:
                owner = by_name.get(acc.owner_name.casefold())
                named[owner is not None] += 1
            if owner is not None and owner.startswith("00G"):
                self.log.add("queue-owner", self.account_file, acc.line, "OwnerId", value=owner)
                continue
            changes = self.export.owner_changes.get(aid, [])
            periods, notes = owner_periods(owner, acc.created, changes, self.export_date)
            for note in notes:
                self.log.add(note.code, self.export.file("AccountHistory"), note.line, account=aid, extra=note.params)
            for period in periods:
                started, ended = period.started_by, period.ended_by
                records = [self.ids.record("AccountHistory", c.record_id) for c in (started, ended) if c is not None]
                if period.end is None or started is None:
                    records.insert(0, account_record)
                file, line, column = (
                    (self.export.file("AccountHistory"), started.line, "NewValue")
                    if started is not None
                    else (self.account_file, acc.line, "OwnerId")
                )
                assignee = self.people.person(period.owner, file, line, column, records[0])
                if assignee is None:
                    continue
                assigner = started.by if started is not None and started.by else None
                by = self.people.person(assigner, file, line, "CreatedById", records[0]) if assigner else None
                out.append(
                    Assignment(
                        self.ids.owner_assignment(aid, period.start),
                        self.ids.relationship(aid),
                        assignee,
                        self.sf.owner_role,
                        period.start,
                        period.end,
                        primary,
                        tuple(records),
                        by or "",
                    )
                )
            user = self.export.users.get(owner or "")
            if user is not None and not user.active:
                self.log.add("inactive-owner", self.account_file, acc.line, "OwnerId", value=owner, name=user.name)
        if named:
            self.log.add(
                "owners-by-name", self.account_file, None, "OwnerName", rows=named.total(), unmatched=named[False]
            )
        return out

    def _users_by_name(self) -> dict[str, str]:
        """Owners given by name only (report exports without an owner id): unique names only."""
        counts = Counter(u.name.casefold() for u in self.export.users.values())
        return {u.name.casefold(): uid for uid, u in self.export.users.items() if counts[u.name.casefold()] == 1}

    # -- account teams -------------------------------------------------------------------------

    def _team_assignments(self) -> list[Assignment]:
        file = self.export.file("AccountTeamMember")
        roles = self._lookup_all(
            self.sf.team_roles, (t.role for t in self.export.team), "TeamMemberRole", file=str(file)
        )
        out = []
        for member in self.export.team:
            role = roles[member.role]
            if role is None or self.rel_class.get(member.account) is None:
                continue
            account = self.export.accounts[member.account]
            if role == self.sf.owner_role and member.user == account.owner:
                # The record owner is already this role's holder (from OwnerId): one assignment, not two.
                self.log.add(
                    "merged-with-owner",
                    file,
                    member.line,
                    "TeamMemberRole",
                    user=member.user,
                    account=member.account,
                    role=member.role,
                )
                continue
            record = self.ids.record("AccountTeamMember", member.id)
            assignee = self.people.person(member.user, file, member.line, "UserId", record)
            if assignee is None:
                continue
            by = (
                self.people.person(member.created_by, file, member.line, "CreatedById", record)
                if member.created_by
                else None
            )
            out.append(
                Assignment(
                    self.ids.team_assignment(member.id),
                    self.ids.relationship(member.account),
                    assignee,
                    role,
                    member.created or account.created or self.export_date,
                    None,
                    False,
                    (record,),
                    by or "",
                )
            )
        return out

    # -- customer capacities --------------------------------------------------------------------

    def _person_contacts(self) -> dict[str, str]:
        """Contact id → the Person Account it is the person of (that contact is not a second party)."""
        return {
            acc.person_contact: aid for aid, acc in self.export.accounts.items() if acc.person and acc.person_contact
        }

    def _capacities(self) -> list[tuple[str, str, str]]:
        links = self.export.contact_roles
        if not links:
            return []
        obj = links[0].object
        column = "Roles" if obj == "AccountContactRelation" else "Role"
        file = str(self.export.file(obj))
        props = self._lookup_all(self.sf.contact_roles, (r for link in links for r in link.roles), column, file=file)
        seen: dict[tuple[str, str, str], None] = {}
        for link in links:
            if self.rel_class.get(link.account) is None:
                continue
            party = self._contact_party(link.contact)
            rel = self.ids.relationship(link.account)
            for role in link.roles or ("",):
                prop = props[role] if role else INVOLVES
                if prop is not None:
                    seen[(rel, prop, party)] = None
        return list(seen)

    def _contact_party(self, cid: str) -> str:
        account = self.person_contacts.get(cid)
        return self.ids.account(account) if account else self.ids.contact(cid)

    # -- the summary ---------------------------------------------------------------------------

    def summary(self) -> dict[str, int]:
        relationships = sum(1 for cls in self.rel_class.values() if cls is not None)
        current: dict[str, set[str]] = {}
        for a in self.assignments:
            if a.end is None:
                current.setdefault(a.role, set()).add(a.relationship)
        ex = self.export
        types = Counter(self.export.accounts[aid].type.casefold() for aid, c in self.rel_class.items() if c is None)
        skipped = {
            "skippedDeleted": ex.deleted["Account"],
            "skippedOtherObject": ex.other_object["Account"],
            "skippedDuplicate": ex.duplicates["Account"],
        }
        return {
            "accountsRead": len(ex.accounts) + sum(skipped.values()),
            "relationships": relationships,
            "skippedNotCustomer": sum(n for t, n in types.items() if t != "prospect"),
            "skippedProspect": types.get("prospect", 0),
            **skipped,
            "withOwner": len(current.get(OWNER, set())),
            "withLead": len(current.get(LEAD, set())),
            "inactiveUsersEnded": sum(1 for _ in self._inactive_staff()),
        }

    # -- the staged rows (lazy: produced again on every pass) ------------------------------------

    def rows(self) -> dict[str, RowsFn]:
        return {
            "records.csv": self._record_rows,
            "units.csv": self._unit_rows,
            "posts.csv": self._post_rows,
            "people.csv": self._people_rows,
            "person_links.csv": self._person_link_rows,
            "memberships.csv": self._inactive_membership_rows,
            "tenures.csv": self._inactive_tenure_rows,
            "parties.csv": self._party_rows,
            "relationships.csv": self._relationship_rows,
            "assignments.csv": lambda: assignment_rows(self.assignments),
            "contacts.csv": self._contact_rows,
            "capacities.csv": self._capacity_rows,
            "derivations.csv": self._derivation_rows,
        }

    def _record_rows(self) -> Iterator[RowData]:
        ex = self.export
        groups: list[tuple[str, Iterable[str]]] = [
            ("UserRole", (r for r, role in ex.roles.items() if not role.portal)),
            ("User", ex.users),
            ("Account", ex.accounts),
            ("Contact", ex.contacts),
            ("AccountTeamMember", (t.id for t in ex.team)),
            ("AccountHistory", (c.record_id for cs in ex.owner_changes.values() for c in cs)),
        ]
        export_iri = self.ids.export(self.export_date)
        for obj, ids in groups:
            for rid in ids:
                yield {"record": self.ids.record(obj, rid), "sobject": obj, "id": rid, "export": export_iri}

    def _departments(self) -> dict[str, list[str]]:
        by_name: dict[str, list[str]] = {}
        for uid, user in self.export.users.items():
            if user.department and self.people.is_staff(uid):
                by_name.setdefault(user.department, []).append(uid)
        return by_name

    def _unit_rows(self) -> Iterator[RowData]:
        for name, uids in sorted(self._departments().items()):
            yield {
                "unit": self.ids.department(name),
                "name": name,
                "parent": self.provider.iri,
                "record": self.ids.record("User", uids[0]),
            }

    def _post_rows(self) -> Iterator[RowData]:
        roles = self.export.roles
        for rid, role in roles.items():
            if role.portal:
                continue
            parent = roles.get(role.parent or "")
            yield {
                "post": self.ids.post(rid),
                "name": role.name,
                "in": self.provider.iri,
                "reports_to": self.ids.post(parent.id) if parent and not parent.portal else "",
                "record": self.ids.record("UserRole", rid),
            }

    def _staff(self) -> Iterator[str]:
        return (uid for uid in self.export.users if self.people.is_staff(uid))

    def _people_rows(self) -> Iterator[RowData]:
        for uid in self._staff():
            user = self.export.users[uid]
            yield {"person": self.people.iri[uid], "name": user.name or uid, "record": self.ids.record("User", uid)}
        for uid, record in self.people.placeholders.items():
            yield {"person": self.ids.user(uid), "name": uid, "record": record}

    def _inactive_staff(self) -> Iterator[str]:
        return (uid for uid in self._staff() if not self.export.users[uid].active)

    def _last_day(self) -> str:
        # an inactive user had left by the export: their last day is the day before it at the latest
        return (self.export_date - dt.timedelta(days=1)).isoformat()

    def _inactive_membership_rows(self) -> Iterator[RowData]:
        """Inactive users (IsActive false) are members of the provider up to the export, not throughout,
        so the leaver checks (S28, CQ37) see the accounts they still own or lead (issue 12 §5)."""
        for uid in self._inactive_staff():
            yield {
                "membership": self.ids.employment(uid),
                "person": self.people.iri[uid],
                "unit": self.provider.iri,
                "start": "",
                "end": self._last_day(),
                "record": self.ids.record("User", uid),
            }

    def _inactive_tenure_rows(self) -> Iterator[RowData]:
        for uid in self._inactive_staff():
            role = self.export.roles.get(self.export.users[uid].role or "")
            if role is not None and not role.portal:
                yield {
                    "tenure": self.ids.role_tenure(uid),
                    "person": self.people.iri[uid],
                    "post": self.ids.post(role.id),
                    "start": "",
                    "end": self._last_day(),
                    "record": self.ids.record("User", uid),
                }

    def _person_link_rows(self) -> Iterator[RowData]:
        provider = self.provider.iri
        for uid in self._staff():
            user = self.export.users[uid]
            if not user.active:
                continue  # no undated (held throughout) links: their dated records say until when
            role = self.export.roles.get(user.role or "")
            manager = user.manager if user.manager and self.people.is_staff(user.manager) else None
            yield {
                "person": self.people.iri[uid],
                "post": self.ids.post(role.id) if role and not role.portal else "",
                "unit": self.ids.department(user.department) if user.department else provider,
                "manager": (self.people.iri.get(manager) or self.ids.user(manager)) if manager else "",
            }
            if user.department:  # staff are members of the provider even through a department
                yield {"person": self.people.iri[uid], "unit": provider}
        for uid in self.people.placeholders:
            yield {"person": self.ids.user(uid), "unit": provider}

    def _party_rows(self) -> Iterator[RowData]:
        for aid, acc in self.export.accounts.items():
            yield {
                "party": self.ids.account(aid),
                "class": PERSON if acc.person else ORGANIZATION,
                "name": acc.name,
                "parent": self.ids.account(acc.parent) if acc.parent else "",
                "record": self.ids.record("Account", aid),
            }

    def _relationship_rows(self) -> Iterator[RowData]:
        provider = self.provider.iri
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

    def _contact_rows(self) -> Iterator[RowData]:
        for cid, con in self.export.contacts.items():
            if cid in self.person_contacts:
                continue
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
        yield from assignment_derivations(self.assignments)
        for name, uids in sorted(self._departments().items()):
            for uid in uids[1:]:
                yield {"node": self.ids.department(name), "record": self.ids.record("User", uid)}
        for aid, acc in self.export.accounts.items():
            if acc.person and acc.person_contact:
                yield {"node": self.ids.account(aid), "record": self.ids.record("Contact", acc.person_contact)}
