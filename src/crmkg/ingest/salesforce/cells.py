"""One Salesforce row's cells, parsed: ids (15/18 characters, null ids, key prefixes), dates, flags.

Every problem is a finding naming the file, row and column; the value is then treated as absent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from crmkg.ingest.findings import FindingLog
from crmkg.ingest.salesforce.objects import OBJECT_OF_PREFIX, PREFIX
from crmkg.ingest.sfid import InvalidSalesforceId, to_id18
from crmkg.ingest.values import DateFormat, flag

#: Salesforce's empty reference in Data Export files: "no value", not a dangling id.
NULL_IDS = frozenset({"000000000000000", "000000000000000AAA"})


def is_null_id(text: str) -> bool:
    return text.strip().upper() in NULL_IDS


class Cells:
    """Parses the cells of one row, logging problems with file, row and column."""

    __slots__ = ("dates", "file", "line", "log", "values")

    def __init__(self, log: FindingLog, file: Path, line: int | None, values: dict[str, str], dates: DateFormat):
        self.log, self.file, self.line, self.values, self.dates = log, file, line, values, dates

    def text(self, column: str) -> str:
        return self.values.get(column, "")

    def raw_id(self, column: str) -> str | None:
        """The id in ``column`` in 18-character form, whatever object it names; None if empty,
        null or malformed (malformed: logged)."""
        raw = self.values.get(column, "")
        if not raw or (raw.startswith("000") and is_null_id(raw)):
            return None
        try:
            return to_id18(raw)
        except InvalidSalesforceId:
            code = "bad-id-suffix" if len(raw.strip()) == 18 and raw.strip()[:15].isalnum() else "bad-id"
            self.log.add(code, self.file, self.line, column, value=raw)
            return None

    def id(self, column: str, obj: str) -> str | None:
        """A reference to an ``obj`` record; an id of another object is logged and dropped."""
        value = self.raw_id(column)
        if value is None or value.startswith(PREFIX[obj]):
            return value
        self.log.add(
            "wrong-object-id",
            self.file,
            self.line,
            column,
            value=value,
            expected=obj,
            prefix=PREFIX[obj],
            actual=OBJECT_OF_PREFIX.get(value[:3], value[:3]),
        )
        return None

    def date(self, column: str) -> dt.date | None:
        raw = self.values.get(column, "")
        if not raw:
            return None
        day = self.dates.parse(raw)
        if day is None:
            self.log.add("bad-date", self.file, self.line, column, value=raw, expected=self.dates.expected)
        return day

    def flag(self, column: str, default: bool) -> bool:
        raw = self.values.get(column, "")
        value = flag(raw)
        if value is None:
            if raw:
                self.log.add(
                    "bad-value", self.file, self.line, column, value=raw, kind_fi="totuusarvo", kind_en="boolean"
                )
            return default
        return value

    def name(self) -> str:
        full = self.values.get("Name", "")
        return full or " ".join(p for p in (self.text("FirstName"), self.text("LastName")) if p)
