"""Parse RDF files and folders into a Store — all of them or none.

Documents are parsed with pyoxigraph's parsers (fast, no remote JSON-LD contexts, no XML external
entities), and a syntax error anywhere leaves the store as it was and names the file, line and
column: the store sees to that (:meth:`~crmkg.store.base.Store.load_files`) — by parsing every file
before it writes anything, or, in an on-disk store's private working copy, by loading file by file
and putting the copy back as it was on an error. Before a parser sees a document, its nesting is
checked against the :mod:`crmkg.inputcheck` limits (deep nesting crashes or stalls the parsers).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from crmkg.errors import SourceLocation, UsageError
from crmkg.formats import RdfFormat
from crmkg.store.base import Store
from crmkg.store.parsing import parse_bytes, parse_file

__all__ = ["LoadReport", "expand_paths", "load", "parse_bytes", "parse_file", "parse_paths"]


@dataclass(frozen=True)
class LoadReport:
    """What a load added: the files read, in order, and the number of quads the store gained (on
    every store: a quad it held already, or one that two files say, is not counted again)."""

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
            raise UsageError(key="error.no_such_path", path=str(path), location=SourceLocation(str(path)))
    return files


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
    files = expand_paths(paths)
    return LoadReport(tuple(files), store.load_files(files))
