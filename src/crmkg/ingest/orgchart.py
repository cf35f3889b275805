"""Import a simple HR org-chart CSV: units, posts, people, memberships and unit functions.

The format (one row per person per post period; a row without ``person_id`` only defines a unit):

=================  ========  =====================================================
column             required  meaning
=================  ========  =====================================================
person_id          yes*      HR person id (stable; the person's IRI is minted from it)
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
start_date         no        YYYY-MM-DD, first day in the post
end_date           no        YYYY-MM-DD, last day (inclusive); empty = current
=================  ========  =====================================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from crmkg.errors import IngestError
from crmkg.ingest.config import ImportConfig
from crmkg.ingest.csvfile import read_rows
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.iris import OrgChartIris, slug
from crmkg.ingest.result import ImportResult, StagedTable, source_tables
from crmkg.ingest.rml import RowData, packaged_mapping

REQUIRED = ("unit_id", "unit_name")
OPTIONAL = (
    "person_id",
    "person_name",
    "parent_unit_id",
    "post_title",
    "post_id",
    "function",
    "email",
    "employee_number",
    "start_date",
    "end_date",
)
SYSTEM = "HR org chart"


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
    file: str
    rows: list[_Row] = field(default_factory=list)
    units: dict[str, _Unit] = field(default_factory=dict)


@dataclass
class PeopleIndex:
    """HR person IRIs by e-mail (case-insensitive) and by employee number."""

    by_email: dict[str, str] = field(default_factory=dict)
    by_number: dict[str, str] = field(default_factory=dict)

    def match(self, email: str, employee_number: str) -> str | None:
        return (self.by_number.get(employee_number.strip()) if employee_number.strip() else None) or (
            self.by_email.get(email.strip().casefold()) if email.strip() else None
        )


def _date(text: str, file: str, line: int, column: str, log: FindingLog) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _bad()
    except ValueError:
        log.add("bad-date", file, line, column, value=text, expected="YYYY-MM-DD")
        return None


def _bad() -> dt.date:
    raise ValueError


def read_orgchart(path: Path, config: ImportConfig, log: FindingLog) -> OrgChart:
    if not path.is_file():
        raise IngestError(f"{path}: no such org chart file")
    chart = OrgChart(path.name)
    functions = config.orgchart.functions
    for line, v in read_rows(path, log, REQUIRED, OPTIONAL):
        unit = v["unit_id"]
        if not unit:
            log.add(
                "missing-value",
                chart.file,
                line,
                "unit_id",
                consequence_fi="; rivi ohitettiin",
                consequence_en="; row skipped",
            )
            continue
        function: str | None = None
        if v.get("function"):
            function, known = functions.lookup(v["function"])
            if not known:
                log.add("unknown-function", chart.file, line, "function", value=v["function"])
        parent = v.get("parent_unit_id", "")
        known_unit = chart.units.get(unit)
        if known_unit is None:
            chart.units[unit] = _Unit(line, v["unit_name"], parent, function, [line])
        else:
            known_unit.lines.append(line)
            if (known_unit.name, known_unit.parent) != (v["unit_name"], parent) or (
                function and known_unit.function and function != known_unit.function
            ):
                log.add("unit-conflict", chart.file, line, "unit_name", unit=unit, first=known_unit.line)
            known_unit.function = known_unit.function or function
        person = v.get("person_id", "")
        if not person:
            continue
        if not v.get("person_name"):
            log.add("missing-value", chart.file, line, "person_name", consequence_fi="", consequence_en="")
        start = _date(v.get("start_date", ""), chart.file, line, "start_date", log)
        end = _date(v.get("end_date", ""), chart.file, line, "end_date", log)
        if start and end and end < start:
            log.add("end-before-start", chart.file, line, "end_date", value=str(end), start=start)
            end = None
        title = v.get("post_title", "")
        chart.rows.append(
            _Row(
                line,
                person,
                v.get("person_name", ""),
                unit,
                v.get("post_id", "") or (slug(title) if title else ""),
                title,
                v.get("email", ""),
                v.get("employee_number", ""),
                start,
                end,
            )
        )
    for uid, u in chart.units.items():
        if u.parent and u.parent not in chart.units:
            log.add("dangling-parent-unit", chart.file, u.line, "parent_unit_id", value=u.parent)
            u.parent = ""
        elif u.parent == uid:
            log.add("self-parent", chart.file, u.line, "parent_unit_id", value=uid)
            u.parent = ""
    return chart


def read_people_index(path: Path, config: ImportConfig, log: FindingLog) -> PeopleIndex:
    """E-mail / employee-number index of the people in an org chart (for the Salesforce link)."""
    ids = OrgChartIris(config.orgchart.base)
    index = PeopleIndex()
    for row in read_orgchart(path, config, log).rows:
        if row.email:
            index.by_email.setdefault(row.email.casefold(), ids.person(row.person))
        if row.employee_number:
            index.by_number.setdefault(row.employee_number, ids.person(row.person))
    return index


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
    }
    return ImportResult.from_log(
        "orgchart", log, staging.tables(), packaged_mapping("orgchart"), inputs=[path], summary=summary
    )


class _OrgStaging:
    def __init__(self, chart: OrgChart, config: ImportConfig, export_date: dt.date) -> None:
        self.chart, self.config, self.date = chart, config, export_date
        self.ids = OrgChartIris(config.orgchart.base)
        self.export_iri = self.ids.export(export_date)

    def _record(self, line: int) -> str:
        return self.ids.record(f"{Path(self.chart.file).stem}-{line}")

    def tables(self) -> tuple[StagedTable, ...]:
        return (
            *source_tables(
                self.export_iri,
                SYSTEM,
                self.date,
                f"{SYSTEM} {self.chart.file} {self.date.isoformat()}",
                self.config.provider,
            ),
            ("records.csv", ("record", "sobject", "id", "export"), self._record_rows),
            ("units.csv", ("unit", "name", "parent", "function", "record"), self._unit_rows),
            ("posts.csv", ("post", "name", "in", "reports_to", "record"), self._post_rows),
            ("people.csv", ("person", "name", "record"), self._people_rows),
            ("person_links.csv", ("person", "post", "unit", "manager"), self._link_rows),
            ("memberships.csv", ("membership", "person", "unit", "start", "end", "record"), self._membership_rows),
            ("derivations.csv", ("node", "record"), self._derivation_rows),
        )

    def _record_rows(self) -> Iterator[RowData]:
        lines = sorted(
            {line for u in self.chart.units.values() for line in u.lines} | {r.line for r in self.chart.rows}
        )
        for line in lines:
            yield {
                "record": self._record(line),
                "sobject": "OrgChartRow",
                "id": f"{self.chart.file}:{line}",
                "export": self.export_iri,
            }

    def _unit_rows(self) -> Iterator[RowData]:
        for uid, u in self.chart.units.items():
            yield {
                "unit": self.ids.unit(uid),
                "name": u.name,
                "parent": self.ids.unit(u.parent) if u.parent else self.config.provider.iri,
                "function": u.function or "",
                "record": self._record(u.line),
            }

    def _post_rows(self) -> Iterator[RowData]:
        seen: set[str] = set()
        for r in self.chart.rows:
            if r.post_key:
                post = self.ids.post(r.unit, r.post_key)
                if post not in seen:
                    seen.add(post)
                    yield {"post": post, "name": r.title, "in": self.ids.unit(r.unit), "record": self._record(r.line)}

    def _people_rows(self) -> Iterator[RowData]:
        seen: set[str] = set()
        for r in self.chart.rows:
            if r.person not in seen:
                seen.add(r.person)
                yield {"person": self.ids.person(r.person), "name": r.name, "record": self._record(r.line)}

    def _link_rows(self) -> Iterator[RowData]:
        # org:holds / org:memberOf carry no dates, so only open-ended (current) rows give them;
        # the dated history is in the memberships.
        for r in self.chart.rows:
            if r.end is None:
                yield {
                    "person": self.ids.person(r.person),
                    "unit": self.ids.unit(r.unit),
                    "post": self.ids.post(r.unit, r.post_key) if r.post_key else "",
                }

    def _membership_rows(self) -> Iterator[RowData]:
        for r in self.chart.rows:
            start = r.start.isoformat() if r.start else ""
            yield {
                "membership": self.ids.membership(r.person, r.unit, start or f"line{r.line}"),
                "person": self.ids.person(r.person),
                "unit": self.ids.unit(r.unit),
                "start": start,
                "end": r.end.isoformat() if r.end else "",
                "record": self._record(r.line),
            }

    def _derivation_rows(self) -> Iterator[RowData]:
        first_person: dict[str, int] = {}
        for r in self.chart.rows:
            if first_person.setdefault(r.person, r.line) != r.line:
                yield {"node": self.ids.person(r.person), "record": self._record(r.line)}
        for uid, u in self.chart.units.items():
            for line in u.lines[1:]:
                yield {"node": self.ids.unit(uid), "record": self._record(line)}
