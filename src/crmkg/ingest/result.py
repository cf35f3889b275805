"""What an import returns: findings, plus the staged tables that the RML mappings turn into RDF.

The RDF is produced lazily, so a 100,000-account export streams to a file or store instead of
sitting in memory; :meth:`ImportResult.graph` is for small imports and tests.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rdflib import Graph

from crmkg.ingest.findings import FindingLog
from crmkg.ingest.gcpause import gc_paused
from crmkg.ingest.rml import RmlMapping
from crmkg.ingest.staging import StagedTable
from crmkg.validation.report import Rule, Severity, ValidationReport, ValidationResult


@dataclass(frozen=True)
class ImportResult:
    """The findings of an import and the staged tables its RDF comes from.

    ``system`` names the source (``salesforce``, ``orgchart``…); ``inputs`` are the files read;
    ``summary`` counts what was read and made; ``fatal`` says the import failed as a whole (a
    file it was given could not be read, or nothing could be made of it).
    """

    system: str
    findings: tuple[ValidationResult, ...]
    rules: tuple[Rule, ...]
    tables: tuple[StagedTable, ...]
    mapping: RmlMapping
    inputs: tuple[str, ...] = ()
    summary: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    fatal: bool = False

    @classmethod
    def from_log(
        cls,
        system: str,
        log: FindingLog,
        tables: tuple[StagedTable, ...],
        mapping: RmlMapping,
        *,
        inputs: Iterable[str | Path] = (),
        summary: Mapping[str, int] | None = None,
        notes: Iterable[str] = (),
    ) -> ImportResult:
        return cls(
            system,
            log.results(),
            log.rules(),
            tables,
            mapping,
            tuple(str(p) for p in inputs),
            dict(summary or {}),
            tuple(notes),
            log.fatal,
        )

    @property
    def has_errors(self) -> bool:
        """True when an input finding is a Violation (bad input)."""
        return any(f.severity is Severity.VIOLATION for f in self.findings)

    def report(self) -> ValidationReport:
        """The findings as a report in the one findings model (every ``--format`` renders it)."""
        return ValidationReport(
            results=self.findings,
            engine="import",
            inputs=self.inputs,
            rules=self.rules,
            notes=self.notes,
            summary=self.summary,
        )

    def ntriples(self) -> Iterator[str]:
        """The generated triples as N-Triples text, in chunks of whole lines."""
        for source, _columns, rows in self.tables:
            yield from self.mapping.run(source, rows())

    @gc_paused
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
        from crmkg.ingest.output import PREFIXES

        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns)
        graph.parse(data="".join(self.ntriples()), format="nt")
        return graph

    def write(self, path: Path) -> int:
        """Write Turtle (``.ttl``) or N-Triples (``.nt``) atomically; returns the triple count."""
        from crmkg.ingest.output import write_file

        return write_file(self, path)

    def write_staging(self, folder: Path) -> list[Path]:
        """Write each staged table as ``<name>`` (CSV) into ``folder``, for another RML engine."""
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
