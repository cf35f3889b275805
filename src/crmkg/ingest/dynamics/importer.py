"""``import_dynamics``: a Dynamics 365 / Dataverse export → an import result.

Tables: account (required), contact, systemuser, team, teammembership, businessunit, connection,
connectionrole.
Ownership: ``ownerid`` is a user **or** a team (``owneridtype``, the Web API's lookuplogicalname,
or which table knows the id): a user leads (configurable), a team owns; with ``owner =
"business-unit"`` the owning business unit owns the accounts no team owns; ``teammembership``
makes users members of their teams. Inactive accounts (``statecode`` 1) are skipped with a note;
application users (names starting ``# ``) never lead; GUIDs with or without braces, in any case,
are the same id; ``connection`` rows between an account and a user play the part of account-team
roles, between an account and a contact of contact roles.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from crmkg.errors import IngestError, Phrase
from crmkg.ingest.config import ImportConfig
from crmkg.ingest.crm_model import LEAD, OWNER, ContactRecord, CrmIris, CrmModel, CrmRun, Org, Person, Unit, finish
from crmkg.ingest.cycles import break_cycles
from crmkg.ingest.dynamics.config import DynamicsConfig
from crmkg.ingest.dynamics.sources import SPECS, export_files, guid, read_table
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.gcpause import gc_paused
from crmkg.ingest.result import ImportResult
from crmkg.ingest.staging import Assignment
from crmkg.ingest.tables import Table, unique_rows
from crmkg.ingest.values import flag

SYSTEM = "dynamics"
_ROW_SKIPPED = {"consequence_fi": "; rivi ohitettiin", "consequence_en": "; row skipped"}


@gc_paused
def import_dynamics(source: Path | Sequence[Path], config: ImportConfig | None = None) -> ImportResult:
    config = config or ImportConfig()
    d = config.dynamics
    files = export_files(source)
    if "account" not in files:
        raise IngestError(key="error.import_no_files", path=source, expected=Phrase("import_expected.dynamics_found"))
    log = FindingLog(d.base)
    newest = max(p.stat().st_mtime for p in files.values())
    export_date = d.export_date or dt.date.fromtimestamp(newest)
    tables = {name: read_table(path, name, log, d.read.encoding, d.read.delimiter) for name, path in files.items()}
    for name in ("systemuser", "team", "businessunit"):
        if name not in files:
            log.add("absent-file", next(iter(files.values())).parent / f"{name}.csv")
    reader = _Reader(CrmIris(d.base), d, export_date, log)
    reader.read(tables)
    run = CrmRun(
        SYSTEM,
        "Dynamics 365 export",
        files["account"] if tables.get("account") is not None else None,
        reader.accounts_read,
        reader.skipped,
        files.values(),
        (f'owners: a user owner leads, a team owner owns (owner = "{d.owner}")',),
    )
    return finish(run, reader.model, log, reader.ids, config.provider, export_date, d.account_party_property)


class _Reader:
    def __init__(self, ids: CrmIris, d: DynamicsConfig, export_date: dt.date, log: FindingLog) -> None:
        self.ids, self.d, self.export_date, self.log = ids, d, export_date, log
        self.model = CrmModel()
        self.users: dict[str, Person] = {}
        self.app_users: set[str] = set()
        self.disabled: set[str] = set()
        self.teams: dict[str, Unit] = {}
        self.units: dict[str, Unit] = {}
        self.names: dict[str, Counter[str]] = {}
        self.by_name: dict[str, tuple[str, str]] = {}  # folded name → (kind, guid); unique names only
        self.accounts: dict[str, Org] = {}
        self.account_by_name: dict[str, str | None] = {}  # None: the name is not unique
        self.accounts_read = 0
        self.skipped = {"skippedInactive": 0, "skippedNotCustomer": 0, "skippedDuplicate": 0}

    def _rows(self, table: Table | None, name: str) -> list[tuple[str, int | None, dict[str, str]]]:
        if table is None:
            return []
        id_col = SPECS[name].columns[0].name
        for _line, values in table.rows if isinstance(table.rows, list) else []:
            values["Id"] = values.get(id_col, "")
        rows = []
        for rid, line, values in unique_rows(table, self.log, key=guid, obj=name):
            rows.append((rid, line, values))
        return rows

    def read(self, tables: dict[str, Table | None]) -> None:
        for name in tables:
            table = tables[name]
            if table is not None:
                table.rows = list(table.rows)
        bu_table = tables.get("businessunit")
        self._business_units(
            self._rows(bu_table, "businessunit"), bu_table.path if bu_table else Path("businessunit.csv")
        )
        for tid, _line, v in self._rows(tables.get("team"), "team"):
            unit = Unit(
                self.ids.node("team", tid),
                v.get("name", "") or tid,
                self.model.record(self.ids, "team", tid),
                self.units[bu].iri if (bu := guid(v.get("businessunitid", ""))) in self.units else None,
            )
            self.teams[tid] = self.model.units[unit.iri] = unit
            self._name(v.get("name", ""), "team", tid)
        for uid, _line, v in self._rows(tables.get("systemuser"), "systemuser"):
            name = v.get("fullname", "") or uid
            person = Person(self.ids.node("user", uid), name, self.model.record(self.ids, "systemuser", uid))
            if (bu := guid(v.get("businessunitid", ""))) in self.units:
                person.units.append(self.units[bu].iri)
            if name.startswith("# ") or v.get("applicationid"):
                person.staff = False
                self.app_users.add(uid)
            if flag(v.get("isdisabled", "")) or v.get("isdisabled", "").casefold() == "disabled":
                self.disabled.add(uid)
            self.users[uid] = self.model.people[person.iri] = person
            self._name(name, "user", uid)
        self._team_members(tables.get("teammembership"), tables.get("systemuser"), tables.get("team"))
        roles = {rid: v.get("name", "") for rid, _l, v in self._rows(tables.get("connectionrole"), "connectionrole")}
        account_table = tables.get("account")
        self._accounts(account_table)
        self._contacts(tables.get("contact"))
        self._connections(tables.get("connection"), roles)

    def _team_members(self, table: Table | None, users: Table | None, teams: Table | None) -> None:
        """Users are current members of the teams ``teammembership`` puts them in (a team that owns
        accounts is their owning unit; its members are that unit's people). A row naming a user
        or team that the export's tables do not hold is an error; application users are no staff."""
        if table is None:
            return
        for line, v in table.rows:
            ends = []
            for column, kind, known, read in (
                ("systemuserid", "systemuser", self.users, users),
                ("teamid", "team", self.teams, teams),
            ):
                raw = v.get(column, "")
                key = guid(raw)
                if key is None and raw:
                    self.log.add("bad-value", table.path, line, column, value=raw, kind_fi="GUID", kind_en="GUID")
                elif key is None:
                    self.log.add("missing-value", table.path, line, column, extra=_ROW_SKIPPED)
                elif key not in known and read is not None:
                    self.log.add(
                        "dangling-id", table.path, line, column, value=key, target=kind, target_file=read.path.name
                    )
                    key = None
                ends.append(key)
            uid, tid = ends
            if uid in self.users and tid in self.teams:
                person, team = self.users[uid], self.teams[tid].iri
                if team not in person.units:
                    person.units.append(team)

    def _name(self, name: str, kind: str, key: str) -> None:
        folded = name.strip().casefold()
        if not folded:
            return
        counts = self.names.setdefault(folded, Counter())
        counts[kind] += 1
        if sum(counts.values()) == 1:
            self.by_name[folded] = (kind, key)
        else:
            self.by_name.pop(folded, None)

    def _business_units(self, rows: list[tuple[str, int | None, dict[str, str]]], path: Path) -> None:
        parents: dict[str, str | None] = {}
        for bid, _line, v in rows:
            self.units[bid] = Unit(
                self.ids.node("businessunit", bid),
                v.get("name", "") or bid,
                self.model.record(self.ids, "businessunit", bid),
            )
            parents[bid] = guid(v.get("parentbusinessunitid", ""))
        for bid, parent in parents.items():
            if parent in self.units:
                self.units[bid].parent = self.units[parent].iri
        loops: dict[str, str | None] = {k: p if p in self.units else None for k, p in parents.items()}
        for cycle in break_cycles(loops, lambda k: k):
            self.units[cycle[0]].parent = None
            self.log.add(
                "cycle",
                path,
                None,
                "parentbusinessunitid",
                value=cycle[0],
                length=len(cycle),
                members=" → ".join([*cycle, cycle[0]]),
            )
        self.model.units.update({u.iri: u for u in self.units.values()})

    def _owner(self, v: dict[str, str]) -> tuple[str, str] | None:
        """(``user``|``team``, guid) of ``ownerid``: by GUID and its type, or by unique name."""
        raw = v.get("ownerid", "")
        key = guid(raw)
        kind = (v.get("ownerid@type") or v.get("owneridtype") or "").casefold()
        if key is None:
            return self.by_name.get(raw.strip().casefold()) if raw.strip() else None
        if kind in ("team", "9") or (not kind and key in self.teams):
            return ("team", key)
        return ("user", key)

    def _accounts(self, table: Table | None) -> None:
        if table is None:
            return
        types = self.d.relationship_types
        seen_types: Counter[str] = Counter()
        before = self.log.count("duplicate-id")
        rows = self._rows(table, "account")
        self.skipped["skippedDuplicate"] = self.log.count("duplicate-id") - before
        self.accounts_read = len(rows) + self.skipped["skippedDuplicate"]
        for aid, line, v in rows:
            state = (v.get("statecode@label") or v.get("statecode", "")).casefold()
            if state in ("1", "inactive", "passiivinen", "ei aktiivinen"):
                self.skipped["skippedInactive"] += 1
                continue
            record = self.model.record(self.ids, "account", aid)
            org = Org(self.ids.node("account", aid), v.get("name", ""), record)
            self.accounts[aid] = org
            folded = org.name.strip().casefold()
            self.account_by_name[folded] = None if folded in self.account_by_name else aid
            self.model.orgs.append(org)
            kind = v.get("customertypecode@label") or v.get("customertypecode", "")
            seen_types[kind] += 1
            cls, _known = types.lookup(kind)
            if cls is None:
                self.skipped["skippedNotCustomer"] += 1
                continue
            org.relationship, org.rel_class = self.ids.node("relationship", aid), cls
            org.start = self._date(v.get("createdon", ""), table.path, line, "createdon")
            self._ownership(org, aid, v, table.path, line)
        for aid, _line, v in rows:
            parent = guid(v.get("parentaccountid", ""))
            if aid in self.accounts and parent in self.accounts:
                self.accounts[aid].parent = self.accounts[parent].iri
        if self.skipped["skippedInactive"]:
            self.log.add("inactive-accounts", table.path, None, "statecode", rows=self.skipped["skippedInactive"])
        for kind, count in sorted(seen_types.items()):
            cls, known = types.lookup(kind)
            if kind and not known:
                self.log.add(
                    "unmapped-value",
                    table.path,
                    None,
                    "customertypecode",
                    value=kind,
                    rows=count,
                    target=f"<{cls}>" if cls else "—",
                )
            elif kind and cls is None:
                self.log.add(
                    "not-customer",
                    table.path,
                    None,
                    "customertypecode",
                    value=kind,
                    rows=count,
                    table="relationship_types",
                )

    def _ownership(self, org: Org, aid: str, v: dict[str, str], path: Path, line: int | None) -> None:
        assert org.relationship is not None
        start = org.start or self.export_date
        owner = self._owner(v)
        team_owned = False
        if owner is not None and owner[0] == "team":
            unit = self.teams.get(owner[1])
            if unit is None:
                unit = self.model.units.setdefault(
                    self.ids.node("team", owner[1]), Unit(self.ids.node("team", owner[1]), owner[1], org.record)
                )
                self.log.add("unknown-owner", path, line, "ownerid", value=owner[1], kind="team")
            team_owned = self.d.owner in ("team", "business-unit")
            if team_owned:
                self.model.assignments.append(
                    Assignment(
                        self.ids.node("assignment", f"{aid}-owner-team"),
                        org.relationship,
                        unit.iri,
                        OWNER,
                        start,
                        None,
                        False,
                        (org.record,),
                    )
                )
        elif owner is not None:
            uid = owner[1]
            if uid in self.app_users:
                self.log.add("application-user-owner", path, line, "ownerid", value=uid)
            else:
                person = self.users.get(uid)
                if person is None:
                    person = self.model.people.setdefault(
                        self.ids.node("user", uid), Person(self.ids.node("user", uid), uid, org.record)
                    )
                    self.log.add("unknown-owner", path, line, "ownerid", value=uid, kind="systemuser")
                if uid in self.disabled:
                    self.log.add("inactive-owner", path, line, "ownerid", value=uid, name=person.name)
                self.model.assignments.append(
                    Assignment(
                        self.ids.node("assignment", f"{aid}-owner-{start}"),
                        org.relationship,
                        person.iri,
                        self.d.owner_role,
                        start,
                        None,
                        self.d.owner_role == LEAD,
                        (org.record,),
                    )
                )
        bu = guid(v.get("owningbusinessunit", ""))
        if self.d.owner == "business-unit" and not team_owned and bu in self.units:
            self.model.assignments.append(
                Assignment(
                    self.ids.node("assignment", f"{aid}-owner-unit"),
                    org.relationship,
                    self.units[bu].iri,
                    OWNER,
                    start,
                    None,
                    False,
                    (org.record,),
                )
            )

    def _date(self, raw: str, path: Path, line: int | None, column: str) -> dt.date | None:
        if not raw:
            return None
        day = self.d.read.date_format.parse(raw)
        if day is None:
            self.log.add("bad-date", path, line, column, value=raw, expected=self.d.read.date_format.expected)
        return day

    def _contacts(self, table: Table | None) -> None:
        for cid, _line, v in self._rows(table, "contact"):
            if (v.get("statecode", "")).casefold() in ("1", "inactive"):
                continue
            parent = guid(v.get("parentcustomerid", ""))
            if parent is None and v.get("parentcustomerid"):  # a display-name export names the account
                parent = self.account_by_name.get(v["parentcustomerid"].strip().casefold())
            name = v.get("fullname") or " ".join(x for x in (v.get("firstname", ""), v.get("lastname", "")) if x)
            org = self.accounts.get(parent or "")
            self.model.contacts.append(
                ContactRecord(
                    self.ids.node("contact", cid),
                    name or cid,
                    self.model.record(self.ids, "contact", cid),
                    org.iri if org else None,
                )
            )

    def _connections(self, table: Table | None, roles: dict[str, str]) -> None:
        contacts = {c.iri for c in self.model.contacts}
        for cid, line, v in self._rows(table, "connection"):
            if (v.get("statecode", "")).casefold() in ("1", "inactive"):
                continue
            ends = [
                (
                    guid(v.get(f"record{n}id", "")),
                    v.get(f"record{n}id@type", "").casefold(),
                    v.get(f"record{n}roleid@label")
                    or roles.get(guid(v.get(f"record{n}roleid", "")) or "", "")
                    or v.get(f"record{n}roleid", ""),
                )
                for n in (1, 2)
            ]
            account = next((e for e in ends if e[0] in self.accounts), None)
            other = next((e for e in ends if e is not account), None)
            if account is None or account[0] is None or other is None or other[0] is None:
                continue
            org = self.accounts[account[0]]
            if org.relationship is None:
                continue
            record = self.model.record(self.ids, "connection", cid)
            start = self._date(v.get("effectivestart", ""), table.path if table else Path(), line, "effectivestart")
            end = self._date(v.get("effectiveend", ""), table.path if table else Path(), line, "effectiveend")
            key, role_name = other[0], other[2]
            if key in self.users and key not in self.app_users:
                role, _known = self.d.connection_roles.lookup(role_name)
                if role is not None:
                    self.model.assignments.append(
                        Assignment(
                            self.ids.node("assignment", cid),
                            org.relationship,
                            self.users[key].iri,
                            role,
                            start or org.start or self.export_date,
                            end,
                            False,
                            (record,),
                        )
                    )
            elif self.ids.node("contact", key) in contacts:
                prop, _known = self.d.contact_roles.lookup(role_name)
                if prop is not None:
                    self.model.capacities.append((org.relationship, prop, self.ids.node("contact", key)))
