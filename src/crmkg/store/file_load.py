"""Files into a Graph Store Protocol endpoint, every file parsed before anything is written — without
holding the parsed quads (what :meth:`SparqlStore.load_files` does when it has a ``graph_store_url``).

The files are read twice:
a checking pass parses every file (input limits, syntax: an error names file, line and column) and
only counts its quads per target graph, so nothing is sent unless every file parses; then a
sending pass parses them again, one quad at a time, into batches of ``--batch-size`` triples (once
per target graph). The client holds one batch, not the data: at 10M triples a whole parse held
5.2 GiB. A file that changes between the passes (its size or modification time) is refused when
the sending pass reaches it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from crmkg.errors import LoadError, SourceLocation
from crmkg.formats import RdfFormat
from crmkg.store.batches import held_in, target_graphs
from crmkg.store.parsing import OX_FORMATS, open_document, parse_stream, unreadable

if TYPE_CHECKING:
    from crmkg.store.sparql import SparqlStore

__all__ = ["post_files"]

#: What tells a file unchanged between the passes: its size and modification time (ns).
_Stamp = tuple[int, int]


def post_files(store: SparqlStore, files: Sequence[Path]) -> int:
    """Post ``files`` to ``store``'s Graph Store endpoint, all parsed before anything is sent (see the
    module's note); the quads the target graphs gained."""
    stamps = [_stamp(file) for file in files]  # before the first read: a change during it shows too
    counts = target_graphs(_checked(files), store.insert_graph)
    before = held_in(store, counts)
    if counts:
        store.post_graphs(lambda: _parsed_again(files, stamps), counts)
    return held_in(store, counts) - before


def _stamp(file: Path) -> _Stamp:
    try:
        status = file.stat()
    except OSError as exc:
        raise unreadable(file, exc) from exc
    return status.st_size, status.st_mtime_ns


def _checked(files: Sequence[Path]) -> Iterator[ox.Quad]:
    """The checking pass: each file's quads as :func:`crmkg.store.parsing.parse_file` parses them, one
    at a time, from the open file (the input limits checked over it chunk by chunk first: no file's
    bytes are held, but a JSON-LD document's while it is checked)."""
    for file in files:
        fmt = RdfFormat.from_path(file)
        with open_document(file) as opened:
            try:
                yield from parse_stream(opened, fmt, source=str(file))
            except OSError as exc:
                raise unreadable(file, exc) from exc


def _parsed_again(files: Sequence[Path], stamps: Sequence[_Stamp]) -> Iterator[ox.Quad]:
    """The sending pass: the files the checking pass read, parsed again straight from disk (blank
    nodes renamed apart as then). Refused if a file is no longer what was checked."""
    for file, stamp in zip(files, stamps, strict=True):
        changed = LoadError(key="error.changed_while_loading", path=str(file), location=SourceLocation(str(file)))
        if _stamp(file) != stamp:
            raise changed
        fmt = OX_FORMATS[RdfFormat.from_path(file)]
        try:
            yield from ox.parse(path=file, format=fmt, rename_blank_nodes=True)
        except (SyntaxError, ValueError) as exc:  # it parsed in the checking pass: it changed since
            raise changed from exc
        except OSError as exc:
            raise unreadable(file, exc) from exc
