"""Read an export file's bytes as text, telling its encoding per file.

The order (issue 11): a UTF-8 byte-order mark or clean UTF-8 first; a UTF-16 byte-order mark
(Excel's "Unicode text"); otherwise the encoding the user declared (``--encoding`` or the config
file); otherwise Windows-1252 — the superset of ISO-8859-1 that Salesforce's Data Export and
Excel in a Western European locale write — with a note naming the file and where UTF-8 failed.
A byte that the chosen encoding cannot decode is an error naming its line and the bytes.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from crmkg.ingest.findings import FindingLog

FALLBACK = "cp1252"
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class Text:
    """A decoded file: its text and the encoding it was read with."""

    text: str
    encoding: str


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line of byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1


def _bytes_at(data: bytes, start: int, end: int) -> str:
    return " ".join(f"0x{b:02X}" for b in data[start : max(end, start + 1)][:4])


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def read_text(path: Path, log: FindingLog, declared: str | None = None) -> Text | None:
    """The file's text, or ``None`` (with a fatal finding) if it cannot be read or decoded."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.add("unreadable-file", path, reason=exc.strerror or str(exc))
        return None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(path, data, encoding, log)
    try:
        return Text(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if declared:
        codec = _codec(declared)
        if codec is None:
            log.add("unknown-encoding", path, value=declared)
            return None
        return _decode(path, data, codec, log)
    decoded = _decode(path, data, FALLBACK, log, after=utf8_error)
    if decoded is not None:
        at = utf8_error.start
        log.add(
            "encoding-fallback",
            path,
            line_of(data, at),
            value=_bytes_at(data, at, utf8_error.end),
            encoding="Windows-1252",
        )
    return decoded


def _decode(
    path: Path, data: bytes, encoding: str, log: FindingLog, *, after: UnicodeDecodeError | None = None
) -> Text | None:
    try:
        return Text(data.decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        first = after if after is not None else exc
        log.add(
            "undecodable",
            path,
            line_of(data, exc.start),
            value=_bytes_at(data, exc.start, exc.end),
            encoding=encoding,
            utf8_line=line_of(data, first.start),
        )
        return None
