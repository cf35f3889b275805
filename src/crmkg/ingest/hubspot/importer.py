"""``import_hubspot``: HubSpot's companies and contacts exports (and its owners) → an import result.

HubSpot's CRM export writes one CSV per object (``hubspot-crm-exports-all-companies-2026-02-25.csv``)
with display-label headers (``Record ID``, ``Company name``, ``Company owner``), every value
quoted, datetimes as ``2026-02-25 22:36`` in the portal's time zone; exports that include the
internal property names use ``hs_object_id``, ``hubspot_owner_id``…; both are matched. Owners come
from the API's ``/crm/v3/owners`` JSON (``{"results": [{"id", "email", "firstName", "lastName",
"teams"}]}``) or a CSV with id, name, e-mail and team.

Ownership: the company owner (a name, an e-mail or an owner id) → the lead, from ``Owner assigned
date`` (else the company's ``Create Date``); ``HubSpot Team`` → an organisational unit that owns
the relationship when ``owner = "team"``; lifecycle stage ``customer``/``evangelist`` → a
customer relationship, earlier stages → a party only; ``Associated Company IDs (Primary)`` → the
contact's organisation. Owners are provider staff, members of their teams.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from crmkg.errors import IngestError, Phrase
from crmkg.ingest.config import ImportConfig
from crmkg.ingest.crm_model import LEAD, OWNER, ContactRecord, CrmIris, CrmModel, CrmRun, Org, Person, Unit, finish
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.gcpause import gc_paused
from crmkg.ingest.hubspot.config import HubSpotConfig
from crmkg.ingest.result import ImportResult
from crmkg.ingest.staging import Assignment
from crmkg.ingest.tables import Column, Columns, Table, read_csv, rows_from_records, unique_rows
from crmkg.ingest.values import DateFormat

SYSTEM = "hubspot"
COMPANIES = Columns(
    (
        Column("Id", ("Record ID", "hs_object_id", "Company ID", "Company Record ID"), required=True),
        Column("Name", ("Company name", "name")),
        Column("Owner", ("Company owner", "hubspot_owner_id", "HubSpot owner"), key=True),
        Column("Team", ("HubSpot Team", "hubspot_team_id")),
        Column("OwnerAssigned", ("Owner assigned date", "hubspot_owner_assigneddate")),
        Column("Created", ("Create Date", "createdate", "Created date")),
        Column("Stage", ("Lifecycle Stage", "lifecyclestage"), key=True),
        Column("Parent", ("Parent Company ID", "hs_parent_company_id", "Parent Company")),
    )
)
CONTACTS = Columns(
    (
        Column("Id", ("Record ID", "hs_object_id", "Contact ID"), required=True),
        Column("FirstName", ("First Name", "firstname")),
        Column("LastName", ("Last Name", "lastname")),
        Column("Email", ("Email", "email", "Email address")),
        Column(
            "Company",
            (
                "Associated Company IDs (Primary)",
                "Associated Company ID (Primary)",
                "associatedcompanyid",
                "Primary Associated Company ID",
            ),
            key=True,
        ),
    )
)
OWNERS = Columns(
    (
        Column("Id", ("Owner ID", "id", "hubspot_owner_id"), required=True),
        Column("Name", ("Owner name", "Full name")),
        Column("FirstName", ("First Name", "firstName")),
        Column("LastName", ("Last Name", "lastName")),
        Column("Email", ("E-mail", "email")),
        Column("Team", ("Teams", "team", "Primary team")),
    )
)
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _numeric(text: str) -> str | None:
    value = text.strip()
    return value if value.isdigit() else None


def _kind(path: Path) -> str | None:
    name = path.name.casefold()
    for kind in ("compan", "contact", "owner"):
        if kind in name:
            return kind
    return None


@gc_paused
def import_hubspot(source: Path | Sequence[Path], config: ImportConfig | None = None) -> ImportResult:
    """Read HubSpot export files (a folder, or the files themselves) into an import result."""
    config = config or ImportConfig()
    hs = config.hubspot
    paths = _paths(source)
    files = {kind: p for p in paths if (kind := _kind(p)) is not None}
    if "compan" not in files:
        raise IngestError(key="error.import_no_files", path=source, expected=Phrase("import_expected.hubspot_found"))
    log = FindingLog(hs.base)
    unused = sorted(p.name for p in paths if p not in files.values())
    if unused:
        log.add("unused-files", paths[0].parent, value=", ".join(unused), files=len(unused), known=0)
    ids = CrmIris(hs.base)
    dated = [m[1] for p in files.values() if (m := _DATE_IN_NAME.search(p.name))]
    newest = max((p.stat().st_mtime for p in files.values()), default=0.0)
    export_date = hs.export_date or (dt.date.fromisoformat(max(dated)) if dated else dt.date.fromtimestamp(newest))
    owners = _read_owners(files.get("owner"), ids, hs, log)
    if "owner" not in files:
        log.add("absent-file", paths[0].parent / "owners.json")
    reader = _Reader(ids, hs, export_date, owners, "owner" in files, log)
    companies = read_csv(files["compan"], COMPANIES, log, encoding=hs.read.encoding, delimiter=hs.read.delimiter)
    if companies is not None:
        reader.companies(companies)
    if "contact" in files:
        contacts = read_csv(files["contact"], CONTACTS, log, encoding=hs.read.encoding, delimiter=hs.read.delimiter)
        if contacts is not None:
            reader.contacts(contacts)
    else:
        log.add("absent-file", paths[0].parent / "contacts.csv")
    reader.report_missing()
    owns = "the HubSpot Team owns" if hs.owner == "team" else "no owner is derived"
    run = CrmRun(
        SYSTEM,
        "HubSpot export",
        files["compan"] if companies is not None else None,
        reader.read,
        reader.skipped,
        files.values(),
        (f'owners: the company owner leads; {owns} (owner = "{hs.owner}")',),
    )
    return finish(run, reader.model, log, ids, config.provider, export_date, hs.account_party_property)


def _paths(source: Path | Sequence[Path]) -> list[Path]:
    items = [source] if isinstance(source, Path) else list(source)
    out: list[Path] = []
    for item in items:
        if not item.exists():
            raise IngestError(key="error.import_no_source", path=item, expected=Phrase("import_expected.hubspot_files"))
        out.extend(
            sorted(p for p in item.iterdir() if p.is_file() and p.suffix.casefold() in (".csv", ".json"))
            if item.is_dir()
            else [item]
        )
    return out


class _Owners:
    """Owners by id, e-mail and unique name."""

    def __init__(self) -> None:
        self.by_id: dict[str, Person] = {}
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[str, Person | None] = {}  # None: the name is not unique

    def add(self, owner_id: str, person: Person, email: str) -> None:
        self.by_id[owner_id] = person
        if email:
            self.by_email[email.casefold()] = person
        key = person.name.casefold()
        self.by_name[key] = None if key in self.by_name else person

    def find(self, ref: str) -> Person | None:
        value = ref.strip()
        if value in self.by_id:
            return self.by_id[value]
        if "@" in value:
            return self.by_email.get(value.casefold())
        return self.by_name.get(value.casefold())


def _read_owners(path: Path | None, ids: CrmIris, hs: HubSpotConfig, log: FindingLog) -> tuple[_Owners, CrmModel]:
    owners, model = _Owners(), CrmModel()
    if path is None:
        return owners, model
    if path.suffix.casefold() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            log.add("unreadable-file", path, reason=str(exc))
            return owners, model
        except json.JSONDecodeError as exc:
            log.add("bad-json", path, exc.lineno, reason=exc.msg)
            return owners, model
        results = data.get("results") if isinstance(data, dict) else data
        if not isinstance(results, list):
            log.add("unknown-owners-json", path)
            return owners, model
        records = [
            {
                "id": str(r.get("id", "")),
                "firstName": r.get("firstName") or "",
                "lastName": r.get("lastName") or "",
                "email": r.get("email") or "",
                "teams": ";".join(t.get("name", "") for t in r.get("teams") or [] if isinstance(t, dict)),
            }
            for r in results
            if isinstance(r, dict)
        ]
        table = rows_from_records(path, records, OWNERS, log)
    else:
        table = read_csv(path, OWNERS, log, encoding=hs.read.encoding, delimiter=hs.read.delimiter)
    if table is None:
        return owners, model
    for oid, _line, v in unique_rows(table, log, obj="owner"):
        name = v.get("Name") or " ".join(x for x in (v.get("FirstName", ""), v.get("LastName", "")) if x) or oid
        person = Person(ids.node("owner", oid), name, model.record(ids, "owner", oid))
        for team in filter(None, (t.strip() for t in v.get("Team", "").split(";"))):
            unit = _team(model, ids, team, person.record)
            person.units.append(unit.iri)
        model.people[person.iri] = person
        owners.add(oid, person, v.get("Email", ""))
    return owners, model


def _team(model: CrmModel, ids: CrmIris, name: str, record: str) -> Unit:
    iri = ids.unit_by_name("team", name)
    return model.units.setdefault(iri, Unit(iri, name, record))


class _Reader:
    def __init__(
        self,
        ids: CrmIris,
        hs: HubSpotConfig,
        export_date: dt.date,
        owners: tuple[_Owners, CrmModel],
        have_owners: bool,
        log: FindingLog,
    ) -> None:
        self.ids, self.hs, self.log = ids, hs, log
        self.dates: DateFormat = hs.read.date_format
        self.export_date = export_date
        self.owners, self.model = owners
        self.have_owners = have_owners
        self.read = 0
        self.skipped: dict[str, int] = {"skippedNotCustomer": 0, "skippedDuplicate": 0}
        self.company_ids: set[str] = set()
        self.missing: Counter[str] = Counter()
        self.missing_at: tuple[Path, int | None] | None = None

    def _date(self, v: dict[str, str], column: str, path: Path, line: int | None) -> dt.date | None:
        raw = v.get(column, "")
        if not raw:
            return None
        day = self.dates.parse(raw)
        if day is None:
            self.log.add("bad-date", path, line, column, value=raw, expected=self.dates.expected)
        return day

    def _owner(self, ref: str, path: Path, line: int | None, record: str) -> Person:
        person = self.owners.find(ref)
        if person is not None:
            return person
        key = _numeric(ref) or ref.strip()
        iri = self.ids.node("owner", key) if _numeric(ref) else self.ids.unit_by_name("owner", key)
        self.missing[key] += 1
        self.missing_at = self.missing_at or (path, line)
        return self.model.people.setdefault(iri, Person(iri, key, record))

    def companies(self, table: Table) -> None:
        stages = self.hs.lifecycle_stages
        values: Counter[str] = Counter()
        before = self.log.count("duplicate-id")
        rows = list(unique_rows(table, self.log, key=_numeric, obj="company"))
        self.skipped["skippedDuplicate"] = self.log.count("duplicate-id") - before
        self.read = len(rows) + self.skipped["skippedDuplicate"]
        self.company_ids = {cid for cid, _, _ in rows}
        for cid, line, v in rows:
            stage = v.get("Stage", "")
            values[stage] += 1
            cls, _known = stages.lookup(stage)
            record = self.model.record(self.ids, "company", cid)
            parent = _numeric(v.get("Parent", ""))
            org = Org(
                self.ids.node("company", cid),
                v.get("Name", ""),
                record,
                parent=self.ids.node("company", parent) if parent in self.company_ids else None,
            )
            self.model.orgs.append(org)
            if cls is None:
                self.skipped["skippedNotCustomer"] += 1
                continue
            org.relationship, org.rel_class = self.ids.node("relationship", cid), cls
            created = self._date(v, "Created", table.path, line)
            assigned = self._date(v, "OwnerAssigned", table.path, line)
            team = v.get("Team", "").strip()
            if v.get("Owner"):
                person = self._owner(v["Owner"], table.path, line, record)
                start = assigned or created or self.export_date
                self.model.assignments.append(
                    Assignment(
                        self.ids.node("assignment", f"{cid}-owner-{start.isoformat()}"),
                        org.relationship,
                        person.iri,
                        self.hs.owner_role,
                        start,
                        None,
                        self.hs.owner_role == LEAD,
                        (record,),
                    )
                )
            if team and self.hs.owner == "team":
                unit = _team(self.model, self.ids, team, record)
                self.model.assignments.append(
                    Assignment(
                        self.ids.node("assignment", f"{cid}-team"),
                        org.relationship,
                        unit.iri,
                        OWNER,
                        created or assigned or self.export_date,
                        None,
                        False,
                        (record,),
                    )
                )
        for stage, count in sorted(values.items()):
            cls, known = stages.lookup(stage)
            if not stage:
                self.log.add("empty-value", table.path, None, "Stage", value="", rows=count, target="—")
            elif not known:
                self.log.add("unmapped-value", table.path, None, "Stage", value=stage, rows=count, target="—")
            elif cls is None:
                self.log.add("not-customer-stage", table.path, None, "Stage", value=stage, rows=count)

    def contacts(self, table: Table) -> None:
        for cid, line, v in unique_rows(table, self.log, key=_numeric, obj="contact"):
            company = _numeric(v.get("Company", "").split(";")[0])
            if company is not None and company not in self.company_ids:
                self.log.add(
                    "dangling-id",
                    table.path,
                    line,
                    "Company",
                    value=company,
                    target="company",
                    target_file="the companies export",
                )
                company = None
            name = " ".join(x for x in (v.get("FirstName", ""), v.get("LastName", "")) if x) or v.get("Email", "")
            self.model.contacts.append(
                ContactRecord(
                    self.ids.node("contact", cid),
                    name,
                    self.model.record(self.ids, "contact", cid),
                    self.ids.node("company", company) if company else None,
                )
            )

    def report_missing(self) -> None:
        if not self.missing or self.missing_at is None:
            return
        path, line = self.missing_at
        examples = ", ".join(list(self.missing)[:3]) + (", …" if len(self.missing) > 3 else "")
        self.log.add(
            "users-missing" if self.have_owners else "owners-not-exported",
            path,
            line,
            "Owner",
            users=len(self.missing),
            references=self.missing.total(),
            examples=examples,
        )
