"""Read one export CSV: check the header, yield rows with their line numbers, log bad rows.

Unknown columns are ignored; a missing required column makes the whole file unusable (one
finding, no rows). A row with the wrong number of fields is logged and skipped; a file that
stops parsing (an unterminated quote, bytes that are not UTF-8) is logged at the line where it
broke, and the rows before it are kept.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from crmkg.ingest.findings import FindingLog

#: A data row: the line it starts on, and the values of the columns asked for ("" if absent).
Row = tuple[int, dict[str, str]]


def read_rows(
    path: Path,
    log: FindingLog,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    label: str | None = None,
) -> Iterator[Row]:
    """Yield ``(line, {column: value})`` for ``required`` + ``optional`` columns of ``path``.

    ``label`` is the file name used in findings (default: the file's name).
    """
    name = label or path.name
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as exc:
            log.add("unreadable-file", name, 1, reason=_reason(exc))
            return
        if header is None:
            log.add("empty-file", name, 1)
            return
        index = {col.strip(): i for i, col in enumerate(header)}
        missing = [col for col in required if col not in index]
        for col in missing:
            log.add("missing-column", name, 1, col, header=", ".join(header))
        if missing:
            return
        wanted = [(col, index[col]) for col in (*required, *optional) if col in index]
        width = len(header)
        start = reader.line_num + 1
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                log.add("malformed-csv", name, start, reason=_reason(exc))
                return
            line, start = start, reader.line_num + 1
            if not fields:
                continue
            if len(fields) != width:
                log.add("bad-row", name, line, fields=len(fields), width=width)
                continue
            yield line, {col: fields[i].strip() for col, i in wanted}


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "the file is not valid UTF-8"
    return str(exc)
