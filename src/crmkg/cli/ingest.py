"""``crmkg import salesforce|orgchart``: bring CRM and HR exports in as akj RDF.

Findings are printed as ``file:row:column: severity: message`` and, with ``--findings FILE``,
written as JSON. The output file or store changes only when the import succeeds: the RDF is
written to a temporary file and renamed over ``--out``, or loaded into ``--store`` in one
transaction. Exit codes: 0 imported (notes and, without ``--strict``, errors are reported),
1 ``--strict`` and the input has errors (nothing written), 2 usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from crmkg.cli._common import EXIT_FINDINGS, EXIT_OK, iso_date
from crmkg.errors import IngestError
from crmkg.ingest import ImportConfig, ImportResult, import_orgchart, import_salesforce, load_config
from crmkg.ingest.config import Provider
from crmkg.ingest.findings import Severity, findings_json


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import a Salesforce export or an HR org chart as akj RDF",
        description="Import CRM and HR exports. The output changes only if the import succeeds.",
    )
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
    sf = kinds.add_parser(
        "salesforce",
        help="a Salesforce data export folder (Account.csv, User.csv, …)",
        description="Read the CSV files of a Salesforce data export (Account, User, UserRole, Contact, "
        "AccountTeamMember, AccountContactRelation or AccountContactRole, AccountHistory).",
    )
    sf.add_argument("source", metavar="EXPORT_DIR", type=Path)
    sf.add_argument("--orgchart", metavar="FILE.csv", type=Path, help="link users to the people of this HR org chart")
    _common_options(sf)
    sf.set_defaults(func=run, importer="salesforce")
    hr = kinds.add_parser(
        "orgchart",
        help="an HR org-chart CSV (units, posts, people, dates)",
        description="Read a simple HR export: person_id, person_name, unit_id, unit_name, parent_unit_id, "
        "post_title, function, start_date, end_date (see examples/orgchart/).",
    )
    hr.add_argument("source", metavar="FILE.csv", type=Path)
    _common_options(hr)
    hr.set_defaults(func=run, importer="orgchart", orgchart=None)


def _common_options(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="FILE", type=Path, help="write Turtle (.ttl) or N-Triples (.nt)")
    target.add_argument("--store", metavar="DIR", help="add to an on-disk Oxigraph store")
    parser.add_argument("--config", metavar="FILE.toml", type=Path, help="mapping overrides (see the README)")
    parser.add_argument("--strict", action="store_true", help="fail (exit 1, write nothing) on any input error")
    parser.add_argument("--findings", metavar="FILE.json", type=Path, help="also write the findings as JSON")
    parser.add_argument("--export-date", metavar="YYYY-MM-DD", type=iso_date, help="the export's date (provenance)")
    parser.add_argument("--provider", metavar="IRI", help="the importing organisation's IRI")
    parser.add_argument(
        "--staging-dir", metavar="DIR", type=Path, help="also write the staged tables (CSV) that the RML mappings read"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors and warnings")


def _config(args: argparse.Namespace) -> ImportConfig:
    config = load_config(args.config)
    if args.provider:
        config = replace(config, provider=Provider(args.provider, config.provider.name))
    if args.importer == "salesforce":
        sf = config.salesforce
        config = replace(
            config,
            salesforce=replace(
                sf,
                export_date=args.export_date or sf.export_date,
                orgchart=args.orgchart or sf.orgchart,
            ),
        )
    elif args.export_date:
        config = replace(config, orgchart=replace(config.orgchart, export_date=args.export_date))
    return config


def run(args: argparse.Namespace) -> int:
    config = _config(args)
    if args.importer == "salesforce":
        result = import_salesforce(args.source, config)
    else:
        result = import_orgchart(args.source, config)
    for finding in result.findings:
        if not (args.quiet and finding.severity is Severity.INFO):
            print(finding, file=sys.stderr)
    if args.findings:
        _write_atomic(args.findings, findings_json(result.findings))
    if args.staging_dir:
        result.write_staging(args.staging_dir)
    counts = {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}
    summary = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items())
    if args.strict and result.has_errors:
        print(f"crmkg import: {summary}; --strict: nothing written", file=sys.stderr)
        return EXIT_FINDINGS
    target = str(args.out) if args.out else args.store
    written = result.write(args.out) if args.out else _into_store(result, args.store)
    print(f"imported {written} triples into {target} ({summary})")
    return EXIT_OK


def _into_store(result: ImportResult, location: str) -> int:
    """Load the triples into the store in one transaction (via an N-Triples temp file)."""
    from crmkg.loading import load
    from crmkg.store import open_store

    with tempfile.TemporaryDirectory(prefix="crmkg-import-") as tmp:
        path = Path(tmp) / "import.nt"
        result.write(path)
        store = open_store(location, backend="oxigraph")
        try:
            return load(store, [path]).quads
        finally:
            store.close()


def _write_atomic(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise IngestError(f"{path}: cannot write the findings: {exc.strerror or exc}") from exc
