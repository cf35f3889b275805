"""``crmkg import KIND``: run the importer the arguments of :mod:`crmkg.cli.ingest` chose, write its output."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from types import FrameType
from typing import Any

from crmkg.cli._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from crmkg.cli._report import emit_report, prepare, render_report, write_text
from crmkg.cli._store import open_target
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

Importer = Callable[[Any, ImportConfig], ImportResult]
#: The importer of each ``crmkg import KIND``.
IMPORTERS: dict[str, Importer] = {
    "salesforce": import_salesforce,
    "hubspot": import_hubspot,
    "dynamics": import_dynamics,
    "orgchart": import_orgchart,
}


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


def run_import(args: argparse.Namespace) -> int:
    if args.out is not None:
        check_output_path(args.out)
    importer = IMPORTERS[args.section]
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
