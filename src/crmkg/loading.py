"""Parse RDF files and folders into a Store — all of them or none.

Every document is parsed (with pyoxigraph's parsers: fast, no remote JSON-LD contexts, no XML
external entities) before anything is written, so a syntax error anywhere leaves the store as it
was and names the file, line and column. Before a parser sees a document, its nesting is checked
against the :mod:`crmkg.inputcheck` limits (deep nesting crashes or stalls the parsers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import pyoxigraph as ox

from crmkg.errors import LoadError, RdfSyntaxError, SourceLocation, UsageError
from crmkg.formats import RdfFormat
from crmkg.inputcheck import InputLimits, check_document
from crmkg.store.base import Store
from crmkg.store.oxigraph import OX_FORMATS

_LOCATION = re.compile(r"line (\d+) between columns (\d+)")
_LOCATION_BYTE = re.compile(r"at line (\d+)(?:,? column (\d+))?")


@dataclass(frozen=True)
class LoadReport:
    """What a load added: the files read, in order, and the number of quads parsed."""

    files: tuple[Path, ...]
    quads: int


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files to load: each file as given, each folder's RDF files recursively, sorted.

    Hidden files and folders are skipped; a missing path is an error.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and RdfFormat.is_rdf_file(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return files


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

    :class:`~crmkg.errors.InputLimitError` if it is nested deeper than ``limits`` allow (default:
    :func:`crmkg.inputcheck.current_limits`) — checked before the parser sees it.
    """
    check_document(data, fmt, source, limits)
    try:
        quads = list(
            ox.parse(
                data,
                format=OX_FORMATS[fmt],
                base_iri=base_iri,
                rename_blank_nodes=True,  # blank nodes of different files never merge
            )
        )
    except SyntaxError as exc:
        location = _location_of(exc, source)
        if location.line is None and fmt is RdfFormat.RDF_XML:
            location = _xml_location(data, source) or location
        raise RdfSyntaxError(location, _problem_of(exc)) from exc
    except ValueError as exc:  # e.g. an invalid base IRI
        raise RdfSyntaxError(SourceLocation(source), str(exc)) from exc
    if graph is not None:
        name = ox.NamedNode(graph)
        quads = [ox.Quad(q.subject, q.predicate, q.object, name) for q in quads]
    return quads


def parse_file(path: Path, fmt: RdfFormat | None = None, *, base_iri: str | None = None) -> list[ox.Quad]:
    """Parse one file, its format told by its extension unless ``fmt`` is given."""
    fmt = fmt or RdfFormat.from_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return parse_bytes(data, fmt, source=str(path), base_iri=base_iri)


def parse_paths(paths: Iterable[Path | str]) -> tuple[list[Path], list[ox.Quad]]:
    """Parse every file under ``paths``; nothing is written anywhere."""
    files = expand_paths(paths)
    quads: list[ox.Quad] = []
    for file in files:
        quads.extend(parse_file(file))
    return files, quads


def load(store: Store, paths: Sequence[Path | str] | Path | str) -> LoadReport:
    """Load files and folders into ``store`` atomically.

    >>> from crmkg.store import open_store
    >>> store = open_store()
    >>> load(store, []).quads
    0
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files, quads = parse_paths(paths)
    store.add_quads(quads)
    return LoadReport(tuple(files), len(quads))
