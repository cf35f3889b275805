"""Where an import's RDF goes: a Turtle/N-Triples file, replaced atomically, or an on-disk store.

Temporary files are written beside their destination under a name that carries the writing
process's id (``.crm.ttl.crmkg-1234.tmp``), removed when the write ends however it ends, and —
should the process be killed before it could remove them — removed by the next import into the
same place once that process is gone. An existing output is replaced only by a complete file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from crmkg.errors import IngestError, UsageError

if TYPE_CHECKING:
    from crmkg.ingest.result import ImportResult

PREFIXES = {
    "akj": "https://w3id.org/crmkg/akj#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_TEMP = re.compile(r"\.(?P<name>.+)\.crmkg-(?P<pid>\d+)(?:-\w+)?\.tmp")


def check_output_path(path: Path) -> None:
    """A usage error now, before any work, if ``path`` cannot be an import's output file."""
    if path.is_dir():
        raise UsageError(key="error.import_output_folder", path=path)
    if path.suffix.lower() not in (".nt", ".ttl"):
        raise UsageError(key="error.import_output_suffix", path=path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(key="error.import_output_no_folder", path=path, folder=folder)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temp_files(folder: Path, name: str) -> list[Path]:
    """Delete the temporary files an import into ``folder/name`` left when it was killed."""
    removed = []
    for candidate in folder.glob(f".{glob_escape(name)}.crmkg-*.tmp"):
        match = _TEMP.fullmatch(candidate.name)
        if match and match["name"] == name and not _alive(int(match["pid"])):
            with contextlib.suppress(OSError):
                candidate.unlink()
                removed.append(candidate)
    return removed


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


@contextlib.contextmanager
def temp_beside(path: Path, tag: str = "") -> Iterator[Path]:
    """A temporary file name beside ``path``, removed on exit (stale ones of dead runs first)."""
    folder = path.parent if str(path.parent) else Path(".")
    remove_stale_temp_files(folder, path.name)
    suffix = f"-{tag}" if tag else ""
    tmp = folder / f".{path.name}.crmkg-{os.getpid()}{suffix}.tmp"
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def write_file(result: ImportResult, path: Path) -> int:
    """Write Turtle (``.ttl``) or N-Triples (``.nt``) atomically; returns the triple count."""
    check_output_path(path)
    try:
        with temp_beside(path, "nt") as nt, temp_beside(path, "ttl") as turtle:
            with nt.open("w", encoding="utf-8", newline="\n") as handle:
                count = result.write_ntriples(handle)
            if path.suffix.lower() == ".ttl":
                ox.serialize(
                    ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES),
                    output=str(turtle),
                    format=ox.RdfFormat.TURTLE,
                    prefixes=PREFIXES,
                )
                os.replace(turtle, path)
            else:
                os.replace(nt, path)
    except OSError as exc:
        raise IngestError(key="error.import_cannot_write", path=path, reason=exc.strerror or exc) from exc
    return count


def load_into_store(result: ImportResult, location: str, *, derive_as_of: dt.date | None = None) -> int:
    """Load the triples into an on-disk store in one transaction (via an N-Triples temp file
    beside the store folder); returns the number of quads loaded. With ``derive_as_of``, a store
    that keeps ``crmkg serve``'s derived graph has it derived again for that day, in the same
    generation as the imported triples (:mod:`crmkg.derived`)."""
    from crmkg import derived
    from crmkg.formats import RdfFormat
    from crmkg.loading import parse_file
    from crmkg.store import open_store

    store_dir = Path(location)
    parent = store_dir.parent if str(store_dir.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(key="error.import_store_no_folder", path=store_dir, folder=parent)
    with temp_beside(store_dir, "nt") as nt:
        try:
            with nt.open("w", encoding="utf-8", newline="\n") as handle:
                result.write_ntriples(handle)
        except OSError as exc:
            raise IngestError(key="error.import_cannot_stage", path=nt, reason=exc.strerror or exc) from exc
        quads = parse_file(nt, RdfFormat.N_TRIPLES)
        store = open_store(location, backend="oxigraph")
        try:
            store.add_quads(quads)
            if derive_as_of is not None and derived.derived_day(store) is not None:
                derived.refresh(store, derive_as_of)
        finally:
            store.close()
        return len(quads)
