"""Dynamics 365 / Dataverse files → tables: CSV, Web API JSON and Excel exports.

* **CSV** with logical names (``accountid``, ``ownerid``) or display names (``Account Name``,
  ``Owner``); Excel's "export to Excel" writes the record id in a hidden ``(Do Not Modify)`` column.
* **Web API JSON**: ``{"@odata.context": "…$metadata#accounts(…)", "value": [{…}]}``; lookups are
  ``_ownerid_value`` with the annotations ``…@Microsoft.Dynamics.CRM.lookuplogicalname`` (which
  table: ``systemuser`` or ``team``) and ``…@OData.Community.Display.V1.FormattedValue`` (the label).
  They are read as columns ``ownerid``, ``ownerid@type`` and ``ownerid@label``.
* **.xlsx**: read with openpyxl when the ``xlsx`` extra is installed; otherwise a clear error.

A file's table is told by its name (``account.csv``, ``accounts.json``, ``Business Units.xlsx``)
or, for JSON, by its ``@odata.context``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from crmkg.errors import IngestError, Phrase
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.tables import Column, Columns, Table, read_csv, rows_from_records

_GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?")
_LOOKUP = re.compile(r"^_(?P<name>.+)_value(?P<annotation>@.+)?$")
_ANNOTATIONS = {
    "@Microsoft.Dynamics.CRM.lookuplogicalname": "@type",
    "@OData.Community.Display.V1.FormattedValue": "@label",
}
DNM = "(Do Not Modify) "


def _c(name: str, *aliases: str, required: bool = False, key: bool = False) -> Column:
    return Column(name, aliases, required=required, key=key)


def _lookup(name: str, *aliases: str, key: bool = False) -> tuple[Column, ...]:
    return (_c(name, *aliases, key=key), _c(f"{name}@type"), _c(f"{name}@label"))


SPECS: dict[str, Columns] = {
    "account": Columns(
        (
            _c("accountid", "Account", DNM + "Account", "Account ID", required=True),
            _c("name", "Account Name"),
            *_lookup("parentaccountid", "Parent Account"),
            *_lookup("ownerid", "Owner", key=True),
            _c("owneridtype", "Owner Type"),
            *_lookup("owningbusinessunit", "Owning Business Unit"),
            _c("statecode", "Status"),
            _c("statecode@label"),
            _c("customertypecode", "Relationship Type"),
            _c("customertypecode@label"),
            _c("createdon", "Created On"),
        )
    ),
    "contact": Columns(
        (
            _c("contactid", "Contact", DNM + "Contact", "Contact ID", required=True),
            _c("fullname", "Full Name"),
            _c("firstname", "First Name"),
            _c("lastname", "Last Name"),
            *_lookup("parentcustomerid", "Company Name", "Account Name", key=True),
            _c("statecode", "Status"),
        )
    ),
    "systemuser": Columns(
        (
            _c("systemuserid", "User", DNM + "User", "User ID", required=True),
            _c("fullname", "Full Name"),
            _c("internalemailaddress", "Primary Email"),
            *_lookup("businessunitid", "Business Unit"),
            *_lookup("parentsystemuserid", "Manager"),
            _c("isdisabled", "Status", "User Status"),
            _c("applicationid", "Application ID"),
        )
    ),
    "team": Columns(
        (
            _c("teamid", "Team", DNM + "Team", "Team ID", required=True),
            _c("name", "Team Name"),
            *_lookup("businessunitid", "Business Unit"),
        )
    ),
    "businessunit": Columns(
        (
            _c("businessunitid", "Business Unit", DNM + "Business Unit", "Business Unit ID", required=True),
            _c("name", "Name"),
            *_lookup("parentbusinessunitid", "Parent Business", "Parent Business Unit"),
        )
    ),
    "connection": Columns(
        (
            _c("connectionid", "Connection", DNM + "Connection", required=True),
            *_lookup("record1id", "Connected From"),
            *_lookup("record1roleid", "Role (From)", "As this Role (From)"),
            *_lookup("record2id", "Connected To"),
            *_lookup("record2roleid", "Role (To)", "As this Role"),
            _c("effectivestart", "Starting"),
            _c("effectiveend", "Ending"),
            _c("statecode", "Status"),
            _c("createdon", "Created On"),
        )
    ),
    # Users' membership in teams (an intersect table: Web API ``teammemberships``, or a query
    # export); its own id is often left out, the (team, user) pair identifies a row.
    "teammembership": Columns(
        (
            _c("teammembershipid", "Team Membership", DNM + "Team Membership", "Team Membership ID"),
            _c("systemuserid", "User", "System User", "User ID", key=True),
            _c("teamid", "Team", "Team ID", key=True),
        )
    ),
    "connectionrole": Columns(
        (
            _c("connectionroleid", "Connection Role", DNM + "Connection Role", required=True),
            _c("name", "Name"),
        )
    ),
}
#: File-name stems (singular, plural, display) → table.
NAMES = {
    **{t: t for t in SPECS},
    "accounts": "account",
    "contacts": "contact",
    "systemusers": "systemuser",
    "users": "systemuser",
    "user": "systemuser",
    "teams": "team",
    "businessunits": "businessunit",
    "business units": "businessunit",
    "business unit": "businessunit",
    "connections": "connection",
    "connectionroles": "connectionrole",
    "teammemberships": "teammembership",
    "team membership": "teammembership",
    "team memberships": "teammembership",
    "connection roles": "connectionrole",
}


def table_of(path: Path) -> str | None:
    return NAMES.get(path.stem.casefold().replace("_", " ").strip()) or NAMES.get(path.stem.casefold().replace(" ", ""))


def flatten(record: dict[str, Any]) -> dict[str, str | None]:
    """A Web API record with its lookups and annotations as plain columns."""
    out: dict[str, str | None] = {}
    for key, value in record.items():
        if key.startswith("@odata"):
            continue
        field, _, annotation = key.partition("@")
        match = _LOOKUP.match(field)
        name = match["name"] if match else field
        suffix = _ANNOTATIONS.get(f"@{annotation}") if annotation else ""
        if suffix is None:
            continue
        text = None if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        out[name + suffix] = text
    return out


def read_table(path: Path, table: str, log: FindingLog, encoding: str | None, delimiter: str | None) -> Table | None:
    suffix = path.suffix.casefold()
    if suffix == ".csv":
        return read_csv(path, SPECS[table], log, encoding=encoding, delimiter=delimiter)
    if suffix == ".json":
        records = _json_records(path, log)
        return None if records is None else rows_from_records(path, records, SPECS[table], log)
    records = _xlsx_records(path, log)
    return None if records is None else rows_from_records(path, records, SPECS[table], log)


def json_table(path: Path) -> str | None:
    """The table a Web API JSON file holds, from its name or its ``@odata.context``."""
    named = table_of(path)
    if named:
        return named
    try:
        context = json.loads(path.read_text(encoding="utf-8-sig")).get("@odata.context", "")
    except (OSError, ValueError, AttributeError):
        return None
    match = re.search(r"\$metadata#(\w+)", str(context))
    return NAMES.get(match[1].casefold()) if match else None


def _json_records(path: Path, log: FindingLog) -> list[dict[str, str | None]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        log.add("unreadable-file", path, reason=str(exc))
        return None
    except json.JSONDecodeError as exc:
        log.add("bad-json", path, exc.lineno, reason=exc.msg)
        return None
    values = data.get("value") if isinstance(data, dict) else None
    if not isinstance(values, list):
        log.add("unknown-webapi-json", path)
        return None
    return [flatten(v) for v in values if isinstance(v, dict)]


def _xlsx_records(path: Path, log: FindingLog) -> list[dict[str, str | None]] | None:
    try:
        import openpyxl  # an optional extra: pip install 'crmkg[xlsx]'
    except ImportError:
        log.add("xlsx-needs-extra", path)
        return None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file; all mean "unreadable"
        log.add("unreadable-file", path, reason=f"{type(exc).__name__}: {exc}")
        return None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows, ())]
        return [
            {h: None if v is None else str(v) for h, v in zip(header, row, strict=False) if h}
            for row in rows
            if any(v is not None for v in row)
        ]
    finally:
        book.close()


@lru_cache(maxsize=1 << 18)  # the same owners, units and accounts are named on many rows
def guid(text: str) -> str | None:
    """``{6F1D…}`` / ``6f1d…`` → ``6f1d…`` (lower case, no braces); None if not a GUID."""
    match = _GUID.fullmatch(text.strip())
    return match[1].lower() if match else None


def export_files(source: Path | Sequence[Path]) -> dict[str, Path]:
    """The export's files by table (the first file found for each)."""
    items = [source] if isinstance(source, Path) else list(source)
    out: dict[str, Path] = {}
    for item in items:
        if not item.exists():
            raise IngestError(
                key="error.import_no_source", path=item, expected=Phrase("import_expected.dynamics_files")
            )
        candidates = sorted(item.iterdir()) if item.is_dir() else [item]
        for path in candidates:
            if not path.is_file() or path.suffix.casefold() not in (".csv", ".json", ".xlsx"):
                continue
            name = json_table(path) if path.suffix.casefold() == ".json" else table_of(path)
            if name is not None:
                out.setdefault(name, path)
    return out
