"""``crmkg validate`` (data against the akj shapes) and ``crmkg check`` (the ontology's own QA).

Both print one report in the chosen format and exit 0 when nothing new is at or above
``--fail-on``, 1 when something is, 2 for usage or input errors (unreadable file, syntax error
with file:line:column).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypedDict

from crmkg.cli._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, add_input_limit_options, iso_date, window_days
from crmkg.cli._progress import FileProgress
from crmkg.cli._report import add_report_options, check_report_options, emit_report, non_negative
from crmkg.cli._store import add_store_options, open_target
from crmkg.errors import UsageError, told
from crmkg.i18n import message
from crmkg.language import cli_language
from crmkg.validation.baseline import apply_baseline, read_baseline
from crmkg.validation.engine import DEFAULT_ENGINE, available_engines
from crmkg.validation.parameters import DEFAULT_FOLLOW_UP_DAYS, DEFAULT_OWNER_GAP_DAYS, DEFAULT_REVIEW_DAYS
from crmkg.validation.profile import Profile, phase
from crmkg.validation.project import ProjectConfig, find_project_config, read_project_config
from crmkg.validation.report import Severity, ValidationReport
from crmkg.validation.suppressions import apply_project

EXIT_CODES = """exit codes:
  0  conforms: no finding (new, with --baseline) at or above --fail-on
  1  findings at or above --fail-on
  2  usage or input error (unreadable file, syntax error reported as file:line:column),
     or a check the store failed (--store; the report names it, the other checks ran)"""


def add_validation_report_options(parser: argparse.ArgumentParser) -> None:
    out = add_report_options(parser)
    out.add_argument(
        "--engine",
        choices=available_engines() or [DEFAULT_ENGINE],
        default=None,
        help=f"validation engine; default: {DEFAULT_ENGINE} (always fast with --changed)",
    )
    config = out.add_mutually_exclusive_group()
    config.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        help="the project configuration (crmkg.toml, or a pyproject.toml with [tool.crmkg]); default: the "
        "nearest one in the working directory or above it, up to the git work tree's root",
    )
    config.add_argument("--no-config", action="store_true", help="read no project configuration")


def project_config(args: argparse.Namespace) -> ProjectConfig:
    if args.no_config:
        return ProjectConfig()
    if args.config is not None:
        return read_project_config(args.config)
    return find_project_config()


#: The windows of a run: keyword of validate() → (option attribute, crmkg.toml key, default).
WINDOWS = {
    "follow_up_days": ("follow_up_days", "follow-up-days", DEFAULT_FOLLOW_UP_DAYS),
    "review_days": ("review_days", "review-days", DEFAULT_REVIEW_DAYS),
    "owner_gap_days": ("owner_gap_days", "owner-gap-days", DEFAULT_OWNER_GAP_DAYS),
}


class Windows(TypedDict):
    """The windows of a run in days, as validate()'s keywords."""

    follow_up_days: int
    review_days: int
    owner_gap_days: int


def windows(args: argparse.Namespace, config: ProjectConfig) -> Windows:
    """The windows in days: the option, else crmkg.toml's, else the default."""
    section = config.section("validate")

    def pick(keyword: str) -> int:
        attribute, key, default = WINDOWS[keyword]
        given: int | None = getattr(args, attribute, None)
        configured = section.windows.get(key)
        return given if given is not None else configured if configured is not None else default

    return Windows(
        follow_up_days=pick("follow_up_days"),
        review_days=pick("review_days"),
        owner_gap_days=pick("owner_gap_days"),
    )


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """``--shapes``, ``--as-of`` and the windows: what a validation run is made with."""
    parser.add_argument(
        "--shapes",
        metavar="PATH",
        action="append",
        type=Path,
        help="a shapes file or folder; repeatable (default: the packaged akj shapes)",
    )
    parser.add_argument(
        "--as-of", type=iso_date, metavar="DATE", help="the date 'current' means (YYYY-MM-DD; default: today)"
    )
    parser.add_argument(
        "--follow-up-days",
        type=window_days,
        metavar="N",
        help=f"plan follow-up window in days; default: crmkg.toml's, else {DEFAULT_FOLLOW_UP_DAYS}",
    )
    parser.add_argument(
        "--review-days",
        type=window_days,
        metavar="N",
        help=f"start-up situation review window in days; default: crmkg.toml's, else {DEFAULT_REVIEW_DAYS}",
    )
    parser.add_argument(
        "--owner-gap-days",
        type=window_days,
        metavar="N",
        help="days a relationship may go without an owner between two owner assignments before it is "
        f"reported (S30); default: crmkg.toml's, else {DEFAULT_OWNER_GAP_DAYS}",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    validate = subparsers.add_parser(
        "validate",
        help="validate RDF data against the akj shapes (exit 0/1/2)",
        description="Validate RDF files and folders against the akj SHACL shapes. The ontology is added "
        "for the class hierarchy (no materialisation). Each finding names the file and line where its "
        "focus node is defined.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("paths", metavar="PATH", nargs="*", type=Path, help="RDF files or folders")
    add_run_options(validate)
    validate.add_argument(
        "--profile",
        type=non_negative,
        nargs="?",
        const=25,
        metavar="N",
        help="print to stderr where the time went: shapes, load, compile, checks, locate, report, and the "
        "N slowest checks with their row counts (default 25; 0 = all)",
    )
    inc = validate.add_argument_group(
        "incremental (fast engine)",
        "Re-validate only the focus nodes the changed files can affect (also nodes reached\n"
        "through inverse paths) and take every other finding from --previous, an earlier full\n"
        "run's JSON report made with the same --as-of and windows; the result equals a full run.\n"
        "A changed file's earlier content is read from git (HEAD) when it is inside a git work\n"
        "tree, else from --changed-from DIR (the earlier tree; paths relative to the working\n"
        "directory). A changed file may be new, edited or deleted. Example:\n"
        "  crmkg validate data/ --changed data/crm.ttl --previous main-report.json",
    )
    inc.add_argument(
        "--changed",
        metavar="FILE",
        nargs="+",
        action="extend",
        type=Path,
        help="the data files that changed since the --previous report",
    )
    inc.add_argument(
        "--previous",
        metavar="REPORT",
        type=Path,
        help="the full run's --format json report from before the change (required with --changed)",
    )
    inc.add_argument(
        "--changed-from",
        metavar="DIR",
        type=Path,
        help="a folder with the earlier version of the changed files (default: git HEAD)",
    )
    add_store_options(
        validate,
        store_help="validate the data in this store instead of files, where it lives: an Oxigraph store "
        "folder or a SPARQL endpoint URL holding the data and the akj ontology; only findings come back",
        writes=False,
        required=False,
    )
    add_validation_report_options(validate)
    add_input_limit_options(validate)
    validate.set_defaults(func=run_validate, title="crmkg validate")

    check = subparsers.add_parser(
        "check",
        help="the ontology's own QA: meta-shapes, HermiT, queries/qc (exit 0/1/2)",
        description="Check the akj ontology: the meta-shapes (shapes/meta/akj-ontology-qa.ttl), HermiT "
        "consistency (needs Java; reported as a warning when unavailable) and the quality-check queries "
        "queries/qc/*.rq (any row is a finding), run on the ontology plus the data PATHs if given.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("paths", metavar="PATH", nargs="*", type=Path, help="data for the qc queries (optional)")
    check.add_argument(
        "--ontology",
        metavar="PATH",
        nargs="+",
        action="extend",
        type=Path,
        help="check these ontology modules (your extensions of akj) instead of crmkg's own; default: "
        "crmkg.toml's [check] ontology, else crmkg's packaged ontology",
    )
    check.add_argument(
        "--namespace",
        action="append",
        metavar="IRI",
        help="the namespace of your extension's terms (repeatable); default: its vann:preferredNamespaceUri, "
        "else the namespaces of the terms it declares",
    )
    check.add_argument("--as-of", type=iso_date, metavar="DATE", help="date for date-relative checks")
    check.add_argument("--no-reasoner", action="store_true", help="skip the HermiT check")
    check.add_argument("--no-meta-shapes", action="store_true", help="skip the meta-shapes")
    check.add_argument("--no-queries", action="store_true", help="skip queries/qc")
    add_validation_report_options(check)
    add_input_limit_options(check)
    check.set_defaults(func=run_check, title="crmkg check")


def run_validate(args: argparse.Namespace) -> int:
    from crmkg.validation import validate

    check_report_options(args)
    config = project_config(args)
    days = windows(args, config)
    baseline = read_baseline(args.baseline) if args.baseline else None
    if args.store is not None:
        return _run_in_store(args, baseline, config, days)
    if not args.paths:
        raise UsageError(key="error.validate_nothing")
    if args.changed or args.previous or args.changed_from:
        if args.profile is not None:
            raise UsageError(key="error.profile_full_run")
        return _run_incremental(args, baseline, config, days)
    profile = Profile() if args.profile is not None else None
    report = validate(
        args.paths,
        shapes=args.shapes,
        as_of=args.as_of,
        engine=args.engine or DEFAULT_ENGINE,
        **days,
        progress=FileProgress(),
        on_note=note_printer(args),
        profile=profile,
    )
    with phase(profile, "report"):
        code = finish(report, args, baseline, config, "validate")
    if profile is not None:
        sys.stderr.write(profile.render(top=args.profile))
    return code


def note_printer(args: argparse.Namespace) -> Callable[[str], None]:
    """What prints notes in the verb's language: to stderr at once (before the run, for
    fallbacks), so they never mix into a report on stdout."""
    lang = cli_language(getattr(args, "lang", None))
    label = message("cli.note", lang)

    def print_note(note: str) -> None:
        sys.stderr.write(f"crmkg validate: {label}: {told(note, lang)}\n")
        sys.stderr.flush()

    return print_note


def _run_in_store(args: argparse.Namespace, baseline: set[str] | None, config: ProjectConfig, days: Windows) -> int:
    from crmkg.validation.remote import validate_store

    if args.paths or args.changed or args.previous:
        raise UsageError(key="error.store_no_paths")
    if args.engine not in (None, "fast"):
        raise UsageError(key="error.store_fast_engine")
    profile = Profile() if args.profile is not None else None
    store = open_target(args, read_only=True)
    try:
        outcome = validate_store(store, shapes=args.shapes, as_of=args.as_of, **days, profile=profile)
    finally:
        store.close()
    with phase(profile, "report"):
        code = finish(outcome.report, args, baseline, config, "validate")
    if profile is not None:
        sys.stderr.write(profile.render(top=args.profile))
    lang = cli_language(getattr(args, "lang", None))
    said = message("cli.error", lang)
    for failure in outcome.failed:
        sys.stderr.write(f"crmkg validate: {said}: {told(failure, lang)}\n")
    return EXIT_USAGE if outcome.failed else code


def _run_incremental(args: argparse.Namespace, baseline: set[str] | None, config: ProjectConfig, days: Windows) -> int:
    from crmkg.validation.changed import PreviousVersion, validate_incrementally

    if not args.changed or args.previous is None:
        raise UsageError(key="error.changed_previous")
    if args.engine not in (None, "fast"):
        raise UsageError(key="error.changed_fast_engine")
    report = validate_incrementally(
        args.paths,
        args.changed,
        args.previous,
        earlier=PreviousVersion(args.changed_from),
        shapes=args.shapes,
        as_of=args.as_of,
        **days,
        progress=FileProgress(),
        on_note=note_printer(args),
    )
    for note in report.notes[-1:]:  # the incremental summary (fallbacks were announced before the run)
        note_printer(args)(note)
    return finish(report, args, baseline, config, "validate")


def run_check(args: argparse.Namespace) -> int:
    from crmkg.validation.check import check

    check_report_options(args)
    config = project_config(args)
    baseline = read_baseline(args.baseline) if args.baseline else None
    ontology = args.ontology or list(config.section("check").files)
    report = check(
        args.paths,
        ontology=ontology,
        namespaces=args.namespace or (),
        as_of=args.as_of,
        meta_shapes=not args.no_meta_shapes,
        reasoner=not args.no_reasoner,
        queries=not args.no_queries,
        engine=args.engine or DEFAULT_ENGINE,
        progress=FileProgress(),
    )
    return finish(report, args, baseline, config, "check")


def finish(
    report: ValidationReport,
    args: argparse.Namespace,
    baseline: set[str] | None,
    config: ProjectConfig,
    section: str,
) -> int:
    report = apply_project(report, config, section)
    if baseline is not None:
        report = apply_baseline(report, baseline)
    emit_report(report, args, args.title)
    return EXIT_OK if report.conforms(Severity.from_name(args.fail_on)) else EXIT_FINDINGS
