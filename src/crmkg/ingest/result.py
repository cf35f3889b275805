"""What an import returns: findings, plus staged tables that the RML mapping turns into RDF.

The RDF is produced lazily, so a 100,000-account export streams to a file or store instead of
sitting in memory; :meth:`ImportResult.graph` is for small imports and tests.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import Graph

from crmkg.errors import IngestError, UsageError
from crmkg.ingest.config import Provider
from crmkg.ingest.findings import Finding, has_errors
from crmkg.ingest.rml import RmlMapping, RowData

#: A staged table: its name (the ``rml:source`` of the triples maps that read it), its columns
#: and a function that produces its rows afresh.
StagedTable = tuple[str, tuple[str, ...], Callable[[], Iterable[RowData]]]


def source_tables(
    export_iri: str, system: str, day: dt.date, label: str, provider: Provider
) -> tuple[StagedTable, StagedTable]:
    """The two tables every import stages first: the export record, and the provider it imports for."""
    export_row: RowData = {"export": export_iri, "system": system, "date": day.isoformat(), "label": label}
    provider_row: RowData = {"provider": provider.iri, "name": provider.name or "", "record": export_iri}
    return (
        ("export.csv", ("export", "label", "system", "date"), lambda: [export_row]),
        ("provider.csv", ("provider", "name", "record"), lambda: [provider_row]),
    )

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


@dataclass(frozen=True)
class ImportResult:
    findings: tuple[Finding, ...]
    tables: tuple[StagedTable, ...]
    mapping: RmlMapping

    @property
    def has_errors(self) -> bool:
        return has_errors(self.findings)

    def ntriples(self) -> Iterator[str]:
        """The generated triples as N-Triples text, in chunks of whole lines."""
        for source, _columns, rows in self.tables:
            yield from self.mapping.run(source, rows())

    def write_ntriples(self, handle: IO[str]) -> int:
        """Stream the triples to ``handle``; returns the number written."""
        count, batch = 0, []
        for chunk in self.ntriples():
            batch.append(chunk)
            if len(batch) >= 8192:
                text = "".join(batch)
                handle.write(text)
                count += text.count("\n")
                batch.clear()
        text = "".join(batch)
        handle.write(text)
        return count + text.count("\n")

    def graph(self) -> Graph:
        """The triples as an rdflib graph (small imports only)."""
        graph = Graph()
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        graph.parse(data="".join(self.ntriples()), format="nt")
        return graph

    def write(self, path: Path) -> int:
        """Write Turtle (``.ttl``) or N-Triples (``.nt``) atomically; returns the triple count.

        The file is written beside its destination and renamed over it only when complete, so
        a failure leaves an existing file untouched.
        """
        suffix = path.suffix.lower()
        if suffix not in (".nt", ".ttl"):
            raise UsageError(f"{path}: the output must end in .ttl (Turtle) or .nt (N-Triples)")
        folder = path.parent if str(path.parent) else Path(".")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                count = self.write_ntriples(handle)
            if suffix == ".ttl":
                turtle = tmp.with_suffix(".ttl.tmp")
                try:
                    ox.serialize(
                        ox.parse(path=str(tmp), format=ox.RdfFormat.N_TRIPLES),
                        output=str(turtle),
                        format=ox.RdfFormat.TURTLE,
                        prefixes=PREFIXES,
                    )
                    os.replace(turtle, tmp)
                finally:
                    turtle.unlink(missing_ok=True)
            os.replace(tmp, path)
        except OSError as exc:
            raise IngestError(f"{path}: cannot write the output: {exc.strerror or exc}") from exc
        finally:
            tmp.unlink(missing_ok=True)
        return count

    def write_staging(self, folder: Path) -> list[Path]:
        """Write each staged table as ``<name>`` (CSV) into ``folder``, for morph-kgc."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for source, columns, rows in self.tables:
            target = folder / source
            with target.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(rows())
            written.append(target)
        return written
