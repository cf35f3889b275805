"""pyoxigraph's RDF parsers behind one door: documents to quads, parse errors to :class:`RdfSyntaxError`.

Every document is parsed with pyoxigraph (fast, no remote JSON-LD contexts, no XML external
entities), after its nesting is checked against the :mod:`crmkg.inputcheck` limits (deep nesting
crashes or stalls the parsers). A syntax error names the source, line and column, whether it came
from :func:`parse_bytes` or from a store parsing a document itself (:func:`syntax_error`).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from xml.parsers import expat

import pyoxigraph as ox

from crmkg import progress
from crmkg.errors import LoadError, RdfSyntaxError, SourceLocation
from crmkg.formats import RdfFormat
from crmkg.inputcheck import InputLimits, check_document, check_file

OX_FORMATS: dict[RdfFormat, ox.RdfFormat] = {
    RdfFormat.TURTLE: ox.RdfFormat.TURTLE,
    RdfFormat.N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    RdfFormat.N_QUADS: ox.RdfFormat.N_QUADS,
    RdfFormat.TRIG: ox.RdfFormat.TRIG,
    RdfFormat.RDF_XML: ox.RdfFormat.RDF_XML,
    RdfFormat.JSON_LD: ox.RdfFormat.JSON_LD,
}

#: Documents at least this big show the bytes parsed so far on a terminal (:mod:`crmkg.progress`).
PROGRESS_MIN_BYTES = 1 << 20

_LOCATION = re.compile(r"line (\d+) between columns (\d+)")
_LOCATION_BYTE = re.compile(r"at line (\d+)(?:,? column (\d+))?")


def parse_bytes(
    data: bytes,
    fmt: RdfFormat,
    *,
    source: str = "<input>",
    base_iri: str | None = None,
    graph: str | None = None,
    limits: InputLimits | None = None,
) -> list[ox.Quad]:
    """Parse one document; raises :class:`RdfSyntaxError` naming ``source``, line and column.

    Blank nodes are renamed apart, so those of different documents never merge.
    :class:`~crmkg.errors.InputLimitError` if it is nested deeper than ``limits`` allow (default:
    :func:`crmkg.inputcheck.current_limits`) — checked before the parser sees it.
    """
    quads = list(parse_stream(data, fmt, source=source, base_iri=base_iri, limits=limits))
    if graph is not None:
        name = ox.NamedNode(graph)
        quads = [ox.Quad(q.subject, q.predicate, q.object, name) for q in quads]
    return quads


def parse_stream(
    data: bytes | io.BufferedReader,
    fmt: RdfFormat,
    *,
    source: str = "<input>",
    base_iri: str | None = None,
    limits: InputLimits | None = None,
) -> Iterator[ox.Quad]:
    """:func:`parse_bytes` one quad at a time, for a caller that need not hold them all (a document
    checked and parsed only to find its errors, or sent on in batches); the same checks and errors,
    raised while iterating. ``data`` may be the document's open file (from where it stands): then
    its bytes are never all held — the limits are checked over it chunk by chunk, the parser reads
    it again — except a JSON-LD document's for the check (:func:`~crmkg.inputcheck.check_file`)."""
    start = 0
    if isinstance(data, bytes):
        check_document(data, fmt, source, limits)
    else:
        start = data.tell()
        check_file(data, fmt, source, limits)
    try:
        with parser_input(data, source) as document:
            yield from ox.parse(document, format=OX_FORMATS[fmt], base_iri=base_iri, rename_blank_nodes=True)
    except SyntaxError as exc:
        raise syntax_error(exc, _for_locating(data, fmt, start), fmt, source) from exc
    except ValueError as exc:  # e.g. an invalid base IRI
        raise RdfSyntaxError(SourceLocation(source), str(exc)) from exc


def _for_locating(data: bytes | io.BufferedReader, fmt: RdfFormat, start: int) -> bytes:
    """The bytes :func:`syntax_error` needs to locate an error (only RDF/XML's: expat finds the line
    pyoxigraph does not give), read again from an open file."""
    if isinstance(data, bytes) or fmt is not RdfFormat.RDF_XML:
        return data if isinstance(data, bytes) else b""
    data.seek(start)
    return data.read()


def open_document(path: Path) -> io.BufferedReader:
    """File ``path`` open for reading; :class:`LoadError` naming it if it cannot be opened."""
    try:
        return open(path, "rb")
    except OSError as exc:
        raise unreadable(path, exc) from exc


def read_document(path: Path, opened: io.BufferedReader | None = None) -> bytes:
    """The bytes of file ``path`` (read from ``opened``, if given, up to its end); :class:`LoadError`
    naming it if it cannot be read."""
    try:
        return opened.read() if opened is not None else path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from exc


def unreadable(path: Path, exc: OSError) -> LoadError:
    """The one error for a file that cannot be opened, read or looked at (``error.cannot_read``)."""
    return LoadError(
        key="error.cannot_read", path=str(path), reason=str(exc.strerror or exc), location=SourceLocation(str(path))
    )


def check_open_document(path: Path, opened: io.BufferedReader, fmt: RdfFormat) -> None:
    """The input limits of file ``path`` checked over ``opened`` chunk by chunk (left where it
    stood); :class:`LoadError` naming the file if it cannot be read."""
    try:
        check_file(opened, fmt, str(path))
    except OSError as exc:
        raise unreadable(path, exc) from exc


def parse_file(path: Path, fmt: RdfFormat | None = None, *, base_iri: str | None = None) -> list[ox.Quad]:
    """Parse one file, its format told by its extension unless ``fmt`` is given."""
    fmt = fmt or RdfFormat.from_path(path)
    return parse_bytes(read_document(path), fmt, source=str(path), base_iri=base_iri)


@contextmanager
def parser_input(data: bytes | io.BufferedReader, source: str) -> Iterator[bytes | IO[bytes]]:
    """What to hand a pyoxigraph parser: ``data`` (a document's bytes or its open file) itself, or —
    for a big document while a progress display watches — a file over it that shows the bytes
    parsed so far."""
    if not progress.active():
        yield data
        return
    size = len(data) if isinstance(data, bytes) else os.fstat(data.fileno()).st_size - data.tell()
    if size < PROGRESS_MIN_BYTES:
        yield data
        return
    with progress.task(source, size, "bytes") as advance:
        yield progress.counting_reader(data, advance)


def syntax_error(exc: SyntaxError, data: bytes, fmt: RdfFormat, source: str) -> RdfSyntaxError:
    """The typed error for pyoxigraph's ``SyntaxError`` while parsing ``data`` from ``source``."""
    location = _location_of(exc, source)
    if location.line is None and fmt is RdfFormat.RDF_XML:
        location = _xml_location(data, source) or location
    return RdfSyntaxError(location, _problem_of(exc))


def _location_of(exc: SyntaxError, source: str) -> SourceLocation:
    line = exc.lineno if isinstance(exc.lineno, int) else None
    column = exc.offset if isinstance(exc.offset, int) else None
    if line is None:
        message = str(exc.args[0]) if exc.args else str(exc)
        match = _LOCATION.search(message) or _LOCATION_BYTE.search(message)
        if match:
            line = int(match.group(1))
            column = int(match.group(2)) if match.group(2) else None
    return SourceLocation(source, line, column)  # pyoxigraph counts columns from 1, as editors do


def _problem_of(exc: SyntaxError) -> str:
    message = str(exc.args[0]) if exc.args else str(exc)
    message = re.sub(r"^Parser error at line \d+ (between columns \d+ and \d+|column \d+): ", "", message)
    if "LoadDocumentCallback" in message:
        return "remote JSON-LD contexts are not loaded; inline the @context"
    return message


def _xml_location(data: bytes, source: str) -> SourceLocation | None:
    """Where expat finds a well-formedness error (pyoxigraph's RDF/XML errors carry no position).

    Entity declarations are refused before expat could resolve anything.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_: object) -> None:
        raise ValueError("entity declarations are not allowed")

    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return SourceLocation(source, exc.lineno, exc.offset + 1)
    except ValueError:
        return SourceLocation(source, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
    return None
