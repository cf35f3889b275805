"""Salesforce CLI JSON: ``sf data query --json`` output imports like the CSVs; tree exports are refused.

``sf data query --query "SELECT Id, Name, OwnerId, … FROM Account" --json`` writes
``{"status": 0, "result": {"records": [{"attributes": {"type": "Account", "url": …}, "Id": …}],
"totalSize": …, "done": true}}``: each record names its object in ``attributes.type``, so any
number of such files (one per object, or one per query) are grouped by object. Parent fields
(``"Owner": {"Name": …}``) become ``Owner.Name`` columns; child subqueries are ignored.

``sf data export tree`` files (``Accounts.json``, ``data-plan.json``) carry reference ids
(``AccountRef1``, ``@AccountRef1``) instead of record ids, so nothing in them can be tied to the
users, history or team rows of the org: they are refused with a message that says what works.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from crmkg.ingest.findings import FindingLog
from crmkg.ingest.salesforce.objects import SPECS
from crmkg.ingest.tables import Table, rows_from_records


def _records(data: Any) -> list[Any] | None:
    """The record list of a query result, however it is wrapped; None if this is not one."""
    if isinstance(data, dict) and isinstance(data.get("result"), dict):
        data = data["result"]
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        return list(data["records"])
    if isinstance(data, list) and all(isinstance(r, dict) and "attributes" in r for r in data):
        return data
    return None


def _flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key, value in record.items():
        if key == "attributes":
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            if "records" not in value:  # a parent relationship, not a child subquery
                out.update(_flatten(value, f"{name}."))
        elif isinstance(value, list):
            continue
        else:
            out[name] = None if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    return out


def read_json_files(paths: list[Path], log: FindingLog) -> dict[str, Table]:
    """Tables by object from ``sf data query --json`` files; tree exports and other JSON are
    refused with a fatal finding."""
    grouped: dict[str, tuple[Path, list[dict[str, str | None]]]] = {}
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            log.add("unreadable-file", path, reason=str(exc))
            continue
        except json.JSONDecodeError as exc:
            log.add("bad-json", path, exc.lineno, reason=exc.msg)
            continue
        if _is_plan(data) or _is_tree(data):
            log.add("sfdx-tree", path)
            continue
        if isinstance(data, dict) and data.get("status") not in (None, 0) and "result" not in data:
            log.add("sfdx-error", path, reason=str(data.get("message") or data.get("name") or data.get("status")))
            continue
        records = _records(data)
        if records is None:
            log.add("unknown-json", path)
            continue
        for record in records:
            obj = str(record.get("attributes", {}).get("type", "")) if isinstance(record, dict) else ""
            if obj in SPECS:
                grouped.setdefault(obj, (path, []))[1].append(_flatten(record))
    tables: dict[str, Table] = {}
    for obj, (path, rows) in grouped.items():
        table = rows_from_records(path, rows, SPECS[obj], log)
        if table is not None:
            tables[obj] = table
    return tables


def _is_plan(data: Any) -> bool:
    """A tree export's plan: ``[{"sobject": "Account", "files": ["Account.json"], …}]``."""
    return isinstance(data, list) and bool(data) and all(isinstance(p, dict) and "sobject" in p for p in data)


def _is_tree(data: Any) -> bool:
    records = data.get("records") if isinstance(data, dict) else None
    return isinstance(records, list) and any(
        isinstance(r, dict) and isinstance(r.get("attributes"), dict) and "referenceId" in r["attributes"]
        for r in records
    )
