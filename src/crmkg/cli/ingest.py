"""``crmkg import salesforce|hubspot|dynamics|orgchart``: bring CRM and HR exports in as akj RDF.

The findings are one report in the one findings model, so ``--format``, ``--fail-on``,
``--lang``, ``--baseline`` work as for ``crmkg validate``; the last line always says what was
read and made. The output file or store changes only when the import succeeds: the RDF is
written to a temporary file beside it and renamed over ``--out``, or loaded into ``--store`` in
one transaction.

Exit codes: 0 imported, nothing at or above ``--fail-on``; 1 imported but findings at or above
``--fail-on`` (with ``--strict``: nothing written); 2 usage error, or an input that could not be
imported at all (a file that cannot be read, an export that yields nothing; 1 with ``--strict``)
— nothing written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import Any

from crmkg.cli._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, iso_date
from crmkg.cli._report import add_report_options, emit_report, prepare, render_report, write_text
from crmkg.cli._store import add_store_options, open_target
from crmkg.formats import RdfFormat
from crmkg.i18n import counted, message
from crmkg.ingest import (
    ImportConfig,
    ImportResult,
    import_dynamics,
    import_hubspot,
    import_orgchart,
    import_salesforce,
    load_config,
)
from crmkg.ingest.config_base import Provider, check_encoding, parse_delimiter
from crmkg.ingest.output import check_output_path, load_into_store, write_file
from crmkg.ingest.summary import summary_line
from crmkg.ingest.values import parse_date_format
from crmkg.language import cli_language
from crmkg.loading import parse_bytes
from crmkg.validation.report import Severity, ValidationReport

EXIT_CODES = """exit codes:
  0  imported; no finding at or above --fail-on
  1  imported, but findings at or above --fail-on (with --strict: nothing written)
  2  usage error, or input that could not be imported at all (nothing written; 1 with --strict)"""

Importer = Callable[[Any, ImportConfig], ImportResult]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import a CRM export or an HR org chart as akj RDF",
        description="Import CRM and HR exports. The output changes only if the import succeeds.",
    )
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
    sf = _kind(
        kinds,
        "salesforce",
        import_salesforce,
        "EXPORT_DIR",
        "a Salesforce data export folder (Account.csv, User.csv, …)",
        "Read the CSV files of a Salesforce data export (Account, User, UserRole, Contact, AccountTeamMember, "
        "AccountContactRelation or AccountContactRole, AccountHistory), or sf data query --json output.",
    )
    sf.add_argument("--orgchart", metavar="FILE.csv", type=Path, help="link users to the people of this HR org chart")
    _kind(
        kinds,
        "hubspot",
        import_hubspot,
        "EXPORT_DIR_OR_FILES",
        "HubSpot companies/contacts exports and owners (a folder or the files)",
        "Read HubSpot's CRM exports: the companies CSV (required), the contacts CSV and the owners "
        "(/crm/v3/owners JSON or a CSV with id, name, email, team). Files are told apart by name.",
    )
    _kind(
        kinds,
        "dynamics",
        import_dynamics,
        "EXPORT_DIR_OR_FILES",
        "Dynamics 365 / Dataverse exports: CSV, Web API JSON or .xlsx (a folder or the files)",
        "Read account (required), contact, systemuser, team, businessunit, connection and connectionrole "
        "exports: CSV with logical or display names, Web API JSON (value arrays with lookup annotations) or "
        "Excel .xlsx (needs the xlsx extra: pip install 'crmkg[xlsx]').",
    )
    hr = _kind(
        kinds,
        "orgchart",
        import_orgchart,
        "FILE.csv",
        "an HR org-chart CSV (units, posts, people, dates)",
        "Read a simple HR export: person_id, person_name, unit_id, unit_name, parent_unit_id, post_title, "
        "function, start_date, end_date (see examples/orgchart/).",
    )
    hr.set_defaults(orgchart=None)


def _kind(
    kinds: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    importer: Importer,
    source: str,
    summary: str,
    description: str,
) -> argparse.ArgumentParser:
    """One ``crmkg import KIND``: its source argument(s) (several where the files may be listed)."""
    parser = kinds.add_parser(
        name,
        help=summary,
        description=description,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("source", metavar=source, type=Path, nargs="+" if source.endswith("FILES") else None)
    _common_options(parser)
    parser.set_defaults(func=run, importer=importer, section=name, title=f"crmkg import {name}")
    return parser


def _common_options(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="FILE", type=Path, help="write Turtle (.ttl) or N-Triples (.nt)")
    target.add_argument(
        "--store", metavar="DIR|URL", help="add to an on-disk Oxigraph store or a SPARQL endpoint (see load)"
    )
    add_store_options(parser, store_help=None, writes=True)
    parser.add_argument("--config", metavar="FILE.toml", type=Path, help="mapping overrides (see the README)")
    parser.add_argument(
        "--strict", action="store_true", help="write nothing when there are findings at or above --fail-on"
    )
    parser.add_argument("--export-date", metavar="YYYY-MM-DD", type=iso_date, help="the export's date (provenance)")
    parser.add_argument("--provider", metavar="IRI", help="the importing organisation's IRI")
    read = parser.add_argument_group("reading files (each file says what it can itself: a BOM, its header)")
    read.add_argument(
        "--encoding", metavar="NAME", help="encoding of files that are not UTF-8 (default: Windows-1252, with a note)"
    )
    read.add_argument(
        "--delimiter", metavar="SEP", help="CSV separator: ',', ';', 'tab' or '|' (default: detected from the header)"
    )
    read.add_argument(
        "--date-format",
        metavar="FORM",
        help="dates of a spreadsheet round-trip, e.g. D.M.YYYY, DD-MM-YYYY, M/D/YYYY, 'D.M.YYYY HH.MM' "
        "(default: ISO 8601 only; never guessed)",
    )
    parser.add_argument(
        "--staging-dir", metavar="DIR", type=Path, help="also write the staged tables (CSV) that the RML mappings read"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="leave notes (info) out of the text report")
    out = add_report_options(parser, output=("--report",))
    out.add_argument("--findings", metavar="FILE.json", type=Path, help="also write the report as JSON to FILE")


def _config(args: argparse.Namespace) -> ImportConfig:
    config = load_config(args.config)
    if args.provider:
        config = replace(config, provider=Provider(args.provider, config.provider.name))
    section = getattr(config, args.section)
    changes: dict[str, object] = {}
    if args.export_date:
        changes["export_date"] = args.export_date
    if getattr(args, "orgchart", None):
        changes["orgchart"] = args.orgchart
    read = section.read
    if args.encoding:
        read = replace(read, encoding=check_encoding(args.encoding, "--encoding"))
    if args.delimiter:
        read = replace(read, delimiter=parse_delimiter(args.delimiter, "--delimiter"))
    if args.date_format:
        read = replace(read, date_format=parse_date_format(args.date_format, "--date-format"))
    if read is not section.read:
        changes["read"] = read
    return replace(config, **{args.section: replace(section, **changes)}) if changes else config


@contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """Turn SIGTERM into an exception while writing, so temporary files are removed."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(args: argparse.Namespace) -> int:
    if args.out is not None:
        check_output_path(args.out)
    importer: Importer = args.importer
    with _terminate_as_exit():
        result = importer(args.source, _config(args))
        report = prepare(result.report(), args)
        fail_on = Severity.from_name(args.fail_on)
        failing = not report.conforms(fail_on)
        written: int | None = None
        if not result.fatal and not (args.strict and failing):
            written = write_file(result, args.out) if args.out else _into_store(result, args)
            if args.staging_dir:
                result.write_staging(args.staging_dir)
    title = f"crmkg import {result.system}"
    shown = _quiet(report) if args.quiet and args.format == "text" else report
    emit_report(shown, args, title)
    if args.findings:
        write_text(args.findings, render_report(report, args, title, fmt="json"))
    last = _last_line(result, args, written)
    to_stdout = args.report_file is not None or args.format in ("text", "markdown")
    print(last, file=sys.stdout if to_stdout else sys.stderr)
    if result.fatal:
        return EXIT_FINDINGS if args.strict else EXIT_USAGE
    return EXIT_FINDINGS if failing else EXIT_OK


def _into_store(result: ImportResult, args: argparse.Namespace) -> int:
    """The triples into ``--store``: a folder in one transaction, an endpoint as ``crmkg load`` writes."""
    if not str(args.store).startswith(("http://", "https://")):
        return load_into_store(result, args.store, derive_as_of=dt.date.today())  # a served store's derived graph
    buffer = io.StringIO()
    result.write_ntriples(buffer)
    quads = parse_bytes(buffer.getvalue().encode("utf-8"), RdfFormat.N_TRIPLES, source="the imported triples")
    store = open_target(args)
    try:
        store.add_quads(quads)
    finally:
        store.close()
    return len(quads)


def _quiet(report: ValidationReport) -> ValidationReport:
    return replace(report, results=tuple(r for r in report.results if r.severity is not Severity.INFO))


def _last_line(result: ImportResult, args: argparse.Namespace, written: int | None) -> str:
    lang = cli_language(args.lang)
    what = summary_line(result.summary, lang)
    target = str(args.out) if args.out else args.store
    if written is not None:
        done = counted("import.written", lang, written, target=target)
    elif result.fatal:
        done = message("import.failed", lang)
    else:
        done = message("import.strict", lang, level=args.fail_on)
    return f"crmkg import {result.system}: {done}" + (f" — {what}" if what else "")
