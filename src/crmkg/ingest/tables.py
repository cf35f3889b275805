"""Read one export table (CSV, and the rows JSON and XLSX readers produce) into checked rows.

A :class:`Columns` spec names the columns an importer uses: each by its canonical name plus
the other headers real exports use for it (API names in any case, labels such as ``Account
Name``, report headers such as ``Account: Account Name``). The header is matched against it;
a required column that is still missing makes the file unusable (a fatal finding that shows
what the header looks like). The CSV separator is detected from the header (``,``, ``;`` as
Excel writes it in a Finnish locale, tab, ``|``), or taken from ``--delimiter``. A row with the
wrong number of fields is logged and skipped; a file that stops parsing (an unterminated
quote) is logged at the line where it broke and the rows before it are kept.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crmkg import progress
from crmkg.ingest.findings import FindingLog
from crmkg.ingest.textfile import read_text

DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SPACES = re.compile(r"[\s_]+")


def header_key(text: str) -> str:
    """How headers are compared: case, accents, spaces and underscores folded (``"Account ID"`` →
    ``"account id"``, ``"ACCOUNTID"`` → ``"accountid"``)."""
    folded = unicodedata.normalize("NFKC", text).strip().strip('"').strip("\ufeff").casefold()
    return _SPACES.sub(" ", folded)


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its canonical name, the other headers it goes by, whether the
    file is unusable without it (``required``) or the import loses something important
    (``key``: a missing key column is an error, not fatal)."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    key: bool = False
    #: Columns that stand in for a missing key column (an owner's name for its id).
    instead: tuple[str, ...] = ()

    def header_keys(self) -> set[str]:
        names = {header_key(self.name), *(header_key(a) for a in self.aliases)}
        return names | {n.replace(" ", "") for n in names}


@dataclass(frozen=True)
class Columns:
    """The columns of one object's file, matched by :func:`header_key`."""

    columns: tuple[Column, ...]
    #: Header prefixes of report exports (``Account: Account Name``) that may be dropped.
    prefixes: tuple[str, ...] = ()

    def lookup(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for col in self.columns:
            for key in col.header_keys():
                out.setdefault(key, col.name)
        return out

    def match(self, header: Sequence[str]) -> dict[str, int]:
        """Canonical name → field index for the columns of ``header`` this spec knows (the first
        of duplicate headers wins)."""
        lookup = self.lookup()
        found: dict[str, int] = {}
        for i, raw in enumerate(header):
            for key in self._candidates(raw):
                name = lookup.get(key) or lookup.get(key.replace(" ", ""))
                if name is not None:
                    found.setdefault(name, i)
                    break
        return found

    def _candidates(self, raw: str) -> list[str]:
        key = header_key(raw)
        out = [key]
        for prefix in self.prefixes:
            p = header_key(prefix) + ":"
            if key.startswith(p):
                out.append(key[len(p) :].strip())
        return out

    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


#: A data row: where it is (1-based line of a CSV record, or None), and the values by canonical name.
Row = tuple[int | None, dict[str, str]]


@dataclass
class Table:
    """What reading a file gave: its rows (values by canonical name), the columns found."""

    path: Path
    found: set[str] = field(default_factory=set)
    rows: list[Row] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","

    @property
    def file(self) -> str:
        return str(self.path)

    def has(self, column: str) -> bool:
        return column in self.found


def read_csv(
    path: Path,
    spec: Columns,
    log: FindingLog,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Table | None:
    """Read ``path`` against ``spec``; ``None`` (with a fatal finding) when it cannot be used."""
    decoded = read_text(path, log, encoding)
    if decoded is None:
        return None
    text = decoded.text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.strip():
        log.add("empty-file", path, 1)
        return None
    sep = delimiter or _sniff(first, spec)
    if sep is None:
        log.add("unknown-separator", path, 1, value=_shorten(first), expected=_expected(spec))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        log.add("unreadable-file", path, 1, reason=str(exc))
        return None
    index = spec.match(header)
    counted = Counter(h.strip() for h in header if h.strip())
    for name, times in counted.items():
        if times > 1:
            log.add("duplicate-header", path, 1, value=name, times=times)
    missing = [c for c in spec.required() if c.name not in index]
    if missing:
        for col in missing:
            log.add(
                "missing-column",
                path,
                1,
                col.name,
                header=_shorten(first),
                separator=_DELIMITER_NAMES[sep],
                expected=_expected(spec),
            )
        return None
    for col in spec.columns:
        if col.key and col.name not in index and not any(alt in index for alt in col.instead):
            log.add("missing-key-column", path, 1, col.name, header=_shorten(first))
    table = Table(path, set(index), encoding=decoded.encoding, delimiter=sep)
    with progress.task(str(path), text.count("\n"), "rows") as advance:
        table.rows = list(_rows(reader, path, index, len(header), log, advance))
    return table


def _rows(
    reader: Iterator[list[str]],
    path: Path,
    index: Mapping[str, int],
    width: int,
    log: FindingLog,
    advance: progress.Advance | None = None,
) -> Iterator[Row]:
    line_num = getattr(reader, "line_num", 1)
    start = line_num + 1
    wanted = tuple(index.items())
    shown = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            log.add("malformed-csv", path, start, reason=str(exc))
            return
        line, start = start, getattr(reader, "line_num", start) + 1
        if advance is not None and line >= shown + 1000:  # the display needs no more than this
            advance(line)
            shown = line
        if not fields or fields == [""]:
            continue
        if len(fields) != width:
            log.add("bad-row", path, line, fields=len(fields), width=width)
            continue
        yield line, {name: fields[i].strip() for name, i in wanted}


def _sniff(header_line: str, spec: Columns) -> str | None:
    """The separator under which the header names the most known columns (ties: more fields)."""
    lookup = spec.lookup()
    best: tuple[int, int, str] | None = None
    for sep in DELIMITERS:
        try:
            fields = next(csv.reader([header_line], delimiter=sep))
        except csv.Error:
            continue
        known = sum(1 for f in fields if any(k in lookup or k.replace(" ", "") in lookup for k in spec._candidates(f)))
        if known and (best is None or (known, len(fields)) > best[:2]):
            best = (known, len(fields), sep)
    return best[2] if best else None


def _expected(spec: Columns) -> str:
    names = [c.name for c in spec.columns if c.required] or [c.name for c in spec.columns[:3]]
    return ", ".join(names)


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rows_from_records(
    path: Path, records: Iterable[Mapping[str, str | None]], spec: Columns, log: FindingLog, *, where: str = "record"
) -> Table | None:
    """A table from already-parsed records (JSON, XLSX): headers matched like a CSV's.

    ``where`` says what a row is called in findings; JSON records have no line, so a finding's
    column reads ``record 3: CreatedDate``.
    """
    items = list(records)
    header: list[str] = []
    for item in items:
        for key in item:
            if key not in header:
                header.append(key)
    index = spec.match(header)
    missing = [c for c in spec.required() if c.name not in index]
    if items and missing:
        for col in missing:
            log.add(
                "missing-column",
                path,
                None,
                col.name,
                header=_shorten(", ".join(header)),
                separator="-",
                expected=_expected(spec),
            )
        return None
    for col in spec.columns:
        if items and col.key and col.name not in index and not any(alt in index for alt in col.instead):
            log.add("missing-key-column", path, None, col.name, header=_shorten(", ".join(header)))
    table = Table(path, set(index))
    names = {header[i]: name for name, i in index.items()}
    for item in items:
        table.rows.append(
            (None, {names[k]: ("" if v is None else str(v)).strip() for k, v in item.items() if k in names})
        )
    return table


def unique_rows(
    table: Table, log: FindingLog, *, key: Callable[[str], str | None] = lambda v: v or None, obj: str = ""
) -> Iterator[tuple[str, int | None, dict[str, str]]]:
    """``(id, line, values)`` for each row with an ``Id`` that ``key`` accepts, the first of
    duplicates only: a missing id and a second row with the same id are errors naming the rows."""
    seen: dict[str, int | None] = {}
    for number, (line, values) in enumerate(table.rows, start=1):
        rid = key(values.get("Id", ""))
        if rid is None:
            log.add("missing-id", table.path, line, "Id", object=obj or table.path.stem)
            continue
        if rid in seen:
            first = seen[rid]
            log.add("duplicate-id", table.path, line, "Id", value=rid, first="?" if first is None else first)
            continue
        seen[rid] = line if line is not None else number
        yield rid, line, values
