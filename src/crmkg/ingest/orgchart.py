"""Import a simple HR org-chart CSV: units, posts, people, memberships and unit functions.

The format (one row per person per post period; a row without ``person_id`` only defines a unit):

=================  ========  =====================================================
column             required  meaning
=================  ========  =====================================================
person_id          key*      HR person id (stable; the person's IRI is minted from it)
person_name        yes*      display name (*: required when ``person_id`` is given)
unit_id            yes       HR unit id
unit_name          yes       unit name
parent_unit_id     no        the parent unit's id; empty = directly under the provider
post_title         no        the post's title within the unit
post_id            no        an HR position id (default: the title names the post)
function           no        marketing, sales, sales management, customer service, finance,
                             product, business management, group management (fi or en)
email              no        e-mail address (links Salesforce users to this person)
employee_number    no        employee number (links Salesforce users to this person)
start_date         no        YYYY-MM-DD (or the config's ``date_format``), first day in the post
end_date           no        the last day (inclusive); empty = current
=================  ========  =====================================================

A missing ``person_id`` column is an error (no person would be imported). A person id that
comes back with another name, e-mail or employee number is an error naming both rows (the first
row wins); so is the same person, unit, post and start twice. A unit hierarchy that loops back
on itself — of any length — is reported and cut.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from crmkg.errors import IngestError
from crmkg.ingest.config import ImportConfig
from crmkg.ingest.cycles import break_cycles
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.gcpause import gc_paused
from crmkg.ingest.iris import OrgChartIris, slug
from crmkg.ingest.result import ImportResult
from crmkg.ingest.rml import packaged_mapping
from crmkg.ingest.staging import RowsFn, staged_tables
from crmkg.ingest.tables import Column, Columns, read_csv
from crmkg.ingest.values import DateFormat

COLUMNS = Columns(
    (
        Column("unit_id", ("unit id",), required=True),
        Column("unit_name", ("unit name",), required=True),
        Column("person_id", ("person id", "employee id"), key=True),
        Column("person_name", ("person name", "name")),
        Column("parent_unit_id", ("parent unit id", "parent unit")),
        Column("post_title", ("post title", "title", "job title")),
        Column("post_id", ("post id", "position id")),
        Column(
            "function",
        ),
        Column("email", ("e-mail", "email address")),
        Column("employee_number", ("employee number",)),
        Column("start_date", ("start date", "start")),
        Column("end_date", ("end date", "end")),
    )
)
SYSTEM = "orgchart"


@dataclass
class _Row:
    line: int
    person: str
    name: str
    unit: str
    post_key: str
    title: str
    email: str
    employee_number: str
    start: dt.date | None
    end: dt.date | None


@dataclass
class _Unit:
    line: int
    name: str
    parent: str
    function: str | None
    lines: list[int] = field(default_factory=list)


@dataclass
class OrgChart:
    path: Path
    rows: list[_Row] = field(default_factory=list)
    units: dict[str, _Unit] = field(default_factory=dict)
    read: bool = False


@dataclass
class PeopleIndex:
    """HR person IRIs by e-mail (case-insensitive) and by employee number."""

    by_email: dict[str, str] = field(default_factory=dict)
    by_number: dict[str, str] = field(default_factory=dict)

    def match(self, email: str, employee_number: str) -> str | None:
        return (self.by_number.get(employee_number.strip()) if employee_number.strip() else None) or (
            self.by_email.get(email.strip().casefold()) if email.strip() else None
        )


def _date(text: str, path: Path, line: int, column: str, dates: DateFormat, log: FindingLog) -> dt.date | None:
    if not text:
        return None
    day = dates.parse(text)
    if day is None:
        log.add("bad-date", path, line, column, value=text, expected=dates.expected)
    return day


def read_orgchart(path: Path, config: ImportConfig, log: FindingLog) -> OrgChart:
    if not path.is_file():
        raise IngestError(key="error.import_no_orgchart", path=path)
    chart = OrgChart(path)
    options = config.orgchart.read
    table = read_csv(path, COLUMNS, log, encoding=options.encoding, delimiter=options.delimiter)
    if table is None:
        return chart
    chart.read = True
    people: dict[str, tuple[int, tuple[str, str, str]]] = {}
    periods: dict[tuple[str, str, str, dt.date | None], int] = {}
    for line, v in table.rows:
        assert line is not None
        unit = v.get("unit_id", "")
        if not unit:
            skipped = {"consequence_fi": "; rivi ohitettiin", "consequence_en": "; row skipped"}
            log.add("missing-value", path, line, "unit_id", extra=skipped)
            continue
        _unit(chart, v, unit, line, config, log)
        person = v.get("person_id", "")
        if not person:
            continue
        if not v.get("person_name"):
            log.add("missing-value", path, line, "person_name", consequence_fi="", consequence_en="")
        identity = (v.get("person_name", ""), v.get("email", "").casefold(), v.get("employee_number", ""))
        first = people.setdefault(person, (line, identity))
        if first[1] != identity:
            log.add("duplicate-person", path, line, "person_id", value=person, first=first[0])
            continue
        start = _date(v.get("start_date", ""), path, line, "start_date", options.date_format, log)
        end = _date(v.get("end_date", ""), path, line, "end_date", options.date_format, log)
        if start and end and end < start:
            log.add("end-before-start", path, line, "end_date", value=str(end), start=start)
            end = None
        title = v.get("post_title", "")
        post_key = v.get("post_id", "") or (slug(title) if title else "")
        key = (person, unit, post_key, start)
        if key in periods:
            log.add("duplicate-period", path, line, "person_id", value=person, first=periods[key])
            continue
        periods[key] = line
        chart.rows.append(
            _Row(
                line,
                person,
                v.get("person_name", ""),
                unit,
                post_key,
                title,
                v.get("email", ""),
                v.get("employee_number", ""),
                start,
                end,
            )
        )
    _check_parents(chart, log)
    return chart


def _unit(chart: OrgChart, v: dict[str, str], unit: str, line: int, config: ImportConfig, log: FindingLog) -> None:
    function: str | None = None
    if v.get("function"):
        function, known = config.orgchart.functions.lookup(v["function"])
        if not known:
            log.add("unknown-function", chart.path, line, "function", value=v["function"])
    parent = v.get("parent_unit_id", "")
    known_unit = chart.units.get(unit)
    if known_unit is None:
        chart.units[unit] = _Unit(line, v.get("unit_name", ""), parent, function, [line])
        return
    known_unit.lines.append(line)
    if (known_unit.name, known_unit.parent) != (v.get("unit_name", ""), parent) or (
        function and known_unit.function and function != known_unit.function
    ):
        log.add("unit-conflict", chart.path, line, "unit_name", unit=unit, first=known_unit.line)
    known_unit.function = known_unit.function or function


def _check_parents(chart: OrgChart, log: FindingLog) -> None:
    for uid, u in chart.units.items():
        if u.parent == uid:
            log.add("self-parent", chart.path, u.line, "parent_unit_id", value=uid)
            u.parent = ""
        elif u.parent and u.parent not in chart.units:
            log.add("dangling-parent-unit", chart.path, u.line, "parent_unit_id", value=u.parent)
            u.parent = ""
    parents: dict[str, str | None] = {uid: u.parent or None for uid, u in chart.units.items()}
    for cycle in break_cycles(parents, lambda k: chart.units[k].line):
        first = chart.units[cycle[0]]
        first.parent = ""
        log.add(
            "cycle",
            chart.path,
            first.line,
            "parent_unit_id",
            value=cycle[0],
            length=len(cycle),
            members=" → ".join([*cycle, cycle[0]]) if len(cycle) <= 6 else " → ".join([*cycle[:5], "…"]),
        )


def read_people_index(path: Path, config: ImportConfig, log: FindingLog) -> PeopleIndex:
    """E-mail / employee-number index of the people in an org chart (for the CRM link)."""
    ids = OrgChartIris(config.orgchart.base)
    index = PeopleIndex()
    for row in read_orgchart(path, config, log).rows:
        if row.email:
            index.by_email.setdefault(row.email.casefold(), ids.person(row.person))
        if row.employee_number:
            index.by_number.setdefault(row.employee_number, ids.person(row.person))
    return index


@gc_paused
def import_orgchart(path: Path, config: ImportConfig | None = None) -> ImportResult:
    """Read an HR org-chart CSV (format above) into an import result."""
    config = config or ImportConfig()
    log = FindingLog(config.orgchart.base)
    chart = read_orgchart(path, config, log)
    export_date = config.orgchart.export_date or dt.date.fromtimestamp(path.stat().st_mtime)
    staging = _OrgStaging(chart, config, export_date)
    summary = {
        "rowsRead": len({u.line for u in chart.units.values()} | {r.line for r in chart.rows}),
        "units": len(chart.units),
        "people": len({r.person for r in chart.rows}),
        "memberships": len(chart.rows),
        "tenures": sum(1 for r in chart.rows if r.post_key),
    }
    if chart.read and not chart.units and not log.fatal:
        log.add("nothing-read", path)
    ids = staging.ids
    tables = staged_tables(
        ids.export(export_date),
        SYSTEM,
        export_date,
        f"HR org chart {path.name} {export_date.isoformat()}",
        config.provider,
        staging.rows(),
    )
    return ImportResult.from_log(SYSTEM, log, tables, packaged_mapping(), inputs=[path], summary=summary)


class _OrgStaging:
    def __init__(self, chart: OrgChart, config: ImportConfig, export_date: dt.date) -> None:
        self.chart, self.config, self.date = chart, config, export_date
        self.ids = OrgChartIris(config.orgchart.base)
        self.export_iri = self.ids.export(export_date)

    def _record(self, line: int) -> str:
        return self.ids.record(f"{self.chart.path.stem}-{line}")

    def rows(self) -> dict[str, RowsFn]:
        return {
            "records.csv": self._record_rows,
            "units.csv": self._unit_rows,
            "posts.csv": self._post_rows,
            "people.csv": self._people_rows,
            "person_links.csv": self._link_rows,
            "memberships.csv": self._membership_rows,
            "tenures.csv": self._tenure_rows,
            "derivations.csv": self._derivation_rows,
        }

    def _record_rows(self) -> list[dict[str, str]]:
        lines = sorted(
            {line for u in self.chart.units.values() for line in u.lines} | {r.line for r in self.chart.rows}
        )
        return [
            {
                "record": self._record(line),
                "sobject": "OrgChartRow",
                "id": f"{self.chart.path.name}:{line}",
                "export": self.export_iri,
            }
            for line in lines
        ]

    def _unit_rows(self) -> list[dict[str, str]]:
        return [
            {
                "unit": self.ids.unit(uid),
                "name": u.name,
                "parent": self.ids.unit(u.parent) if u.parent else self.config.provider.iri,
                "function": u.function or "",
                "record": self._record(u.line),
            }
            for uid, u in self.chart.units.items()
        ]

    def _post_rows(self) -> list[dict[str, str]]:
        seen: dict[str, dict[str, str]] = {}
        for r in self.chart.rows:
            if r.post_key:
                post = self.ids.post(r.unit, r.post_key)
                seen.setdefault(
                    post, {"post": post, "name": r.title, "in": self.ids.unit(r.unit), "record": self._record(r.line)}
                )
        return list(seen.values())

    def _people_rows(self) -> list[dict[str, str]]:
        seen: dict[str, dict[str, str]] = {}
        for r in self.chart.rows:
            seen.setdefault(
                r.person, {"person": self.ids.person(r.person), "name": r.name, "record": self._record(r.line)}
            )
        return list(seen.values())

    def _link_rows(self) -> list[dict[str, str]]:
        # org:holds / org:memberOf carry no dates, so only open-ended (current) rows give them;
        # the dated history is in the memberships.
        return [
            {
                "person": self.ids.person(r.person),
                "unit": self.ids.unit(r.unit),
                "post": self.ids.post(r.unit, r.post_key) if r.post_key else "",
            }
            for r in self.chart.rows
            if r.end is None
        ]

    def _membership_rows(self) -> list[dict[str, str]]:
        out = []
        for r in self.chart.rows:
            start = r.start.isoformat() if r.start else ""
            out.append(
                {
                    "membership": self.ids.membership(r.person, r.unit, start or f"line{r.line}"),
                    "person": self.ids.person(r.person),
                    "unit": self.ids.unit(r.unit),
                    "start": start,
                    "end": r.end.isoformat() if r.end else "",
                    "record": self._record(r.line),
                }
            )
        return out

    def _tenure_rows(self) -> list[dict[str, str]]:
        # a row with a post is also a tenure of it, dated like the membership (issue 12 §5)
        out = []
        for r in self.chart.rows:
            if not r.post_key:
                continue
            post = self.ids.post(r.unit, r.post_key)
            start = r.start.isoformat() if r.start else ""
            out.append(
                {
                    "tenure": self.ids.tenure(r.person, post, start or f"line{r.line}"),
                    "person": self.ids.person(r.person),
                    "post": post,
                    "start": start,
                    "end": r.end.isoformat() if r.end else "",
                    "record": self._record(r.line),
                }
            )
        return out

    def _derivation_rows(self) -> list[dict[str, str]]:
        out = []
        first_person: dict[str, int] = {}
        for r in self.chart.rows:
            if first_person.setdefault(r.person, r.line) != r.line:
                out.append({"node": self.ids.person(r.person), "record": self._record(r.line)})
        for uid, u in self.chart.units.items():
            out.extend({"node": self.ids.unit(uid), "record": self._record(line)} for line in u.lines[1:])
        return out
