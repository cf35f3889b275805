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
from pathlib import Path

from crmkg.cli._common import iso_date
from crmkg.cli._report import add_report_options
from crmkg.cli._store import add_store_options

EXIT_CODES = """exit codes:
  0  imported; no finding at or above --fail-on
  1  imported, but findings at or above --fail-on (with --strict: nothing written)
  2  usage error, or input that could not be imported at all (nothing written; 1 with --strict)"""


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
        "EXPORT_DIR",
        "a Salesforce data export folder (Account.csv, User.csv, …)",
        "Read the CSV files of a Salesforce data export (Account, User, UserRole, Contact, AccountTeamMember, "
        "AccountContactRelation or AccountContactRole, AccountHistory), or sf data query --json output.",
    )
    sf.add_argument("--orgchart", metavar="FILE.csv", type=Path, help="link users to the people of this HR org chart")
    _kind(
        kinds,
        "hubspot",
        "EXPORT_DIR_OR_FILES",
        "HubSpot companies/contacts exports and owners (a folder or the files)",
        "Read HubSpot's CRM exports: the companies CSV (required), the contacts CSV and the owners "
        "(/crm/v3/owners JSON or a CSV with id, name, email, team). Files are told apart by name.",
    )
    _kind(
        kinds,
        "dynamics",
        "EXPORT_DIR_OR_FILES",
        "Dynamics 365 / Dataverse exports: CSV, Web API JSON or .xlsx (a folder or the files)",
        "Read account (required), contact, systemuser, team, businessunit, connection and connectionrole "
        "exports: CSV with logical or display names, Web API JSON (value arrays with lookup annotations) or "
        "Excel .xlsx (needs the xlsx extra: pip install 'crmkg[xlsx]').",
    )
    hr = _kind(
        kinds,
        "orgchart",
        "FILE.csv",
        "an HR org-chart CSV (units, posts, people, dates)",
        "Read a simple HR export: person_id, person_name, unit_id, unit_name, parent_unit_id, post_title, "
        "function, start_date, end_date (see examples/orgchart/).",
    )
    hr.set_defaults(orgchart=None)


def _kind(
    kinds: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
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
    parser.set_defaults(func=run, section=name, title=f"crmkg import {name}")
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


def run(args: argparse.Namespace) -> int:
    # The importers (crmkg.ingest, ~50 ms to import) load only when ``crmkg import`` runs.
    from crmkg.cli.importing import run_import

    return run_import(args)
