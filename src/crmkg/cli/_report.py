"""The report options every finding-producing verb shares (validate, check, import).

One findings model (:mod:`crmkg.validation.report`) means one set of options: ``--fail-on``,
``--format``, ``--lang``, ``--max-findings``, ``--baseline``, ``--only-new``, ``--srcroot`` and
where the report goes. A run that stops on an input error still writes its report, in the chosen
format, holding the error with its location (:func:`reporting_errors`): CI never goes silent.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from crmkg import gitwork
from crmkg._version import __version__
from crmkg.errors import CrmkgError, UsageError
from crmkg.language import LANGUAGES, cli_language
from crmkg.namespaces import PREFIXES
from crmkg.validation.baseline import apply_baseline, read_baseline
from crmkg.validation.formats import FORMATS, RenderOptions, render
from crmkg.validation.input_errors import error_report
from crmkg.validation.report import Severity, ValidationReport


def non_negative(text: str) -> int:
    """argparse type for a whole number ≥ 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value}")
    return value


def add_report_options(
    parser: argparse.ArgumentParser, *, output: tuple[str, ...] = ("--output", "-o")
) -> argparse._ArgumentGroup:
    """Add the shared report options; ``output`` names the flags of the report file option."""
    out = parser.add_argument_group("report")
    out.add_argument(
        "--fail-on",
        choices=tuple(s.key for s in sorted(Severity, reverse=True)),
        default="violation",
        help="lowest severity that makes the run fail (exit 1); default: violation",
    )
    out.add_argument("--format", choices=tuple(FORMATS), default="text", help="report format; default: text")
    out.add_argument(
        *output, dest="report_file", type=Path, metavar="FILE", help="write the report here (default: stdout)"
    )
    out.add_argument(
        "--lang", choices=LANGUAGES, help="message language; default: CRMKG_LANG, else the locale (fi_* → fi, else en)"
    )
    out.add_argument(
        "--max-findings",
        type=non_negative,
        default=20,
        metavar="N",
        help="findings listed per check in text/markdown, annotations in github format (0 = all); default: 20",
    )
    out.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="an earlier --format json report: fail only on findings that are not in it",
    )
    out.add_argument(
        "--only-new",
        action="store_true",
        help="with --baseline: list and annotate only the new findings (the summary still counts "
        "new, unchanged and fixed)",
    )
    out.add_argument(
        "--srcroot",
        type=Path,
        metavar="DIR",
        help="write file paths relative to DIR (SARIF: %%SRCROOT%%); default: the git work tree's root, "
        "else the working directory",
    )
    out.add_argument(
        "--summary",
        type=Path,
        metavar="FILE",
        help="also append the Markdown summary to FILE, whatever --format is (e.g. $GITHUB_STEP_SUMMARY)",
    )
    parser.set_defaults(reports_errors=True)
    return out


def srcroot(args: argparse.Namespace) -> Path:
    """``--srcroot``, else the git work tree's root, else the working directory."""
    given: Path | None = getattr(args, "srcroot", None)
    if given is not None:
        if not given.is_dir():
            raise UsageError(key="error.srcroot_not_folder", path=str(given))
        return given
    return gitwork.work_tree_root() or Path.cwd()


def check_report_options(args: argparse.Namespace) -> None:
    """Options that only make sense together."""
    if getattr(args, "only_new", False) and getattr(args, "baseline", None) is None:
        raise UsageError(key="error.only_new_needs_baseline")


def prepare(report: ValidationReport, args: argparse.Namespace) -> ValidationReport:
    """The report with ``--baseline`` applied (a no-op without one)."""
    check_report_options(args)
    if args.baseline is None:
        return report
    return apply_baseline(report, read_baseline(args.baseline))


def render_report(report: ValidationReport, args: argparse.Namespace, title: str, *, fmt: str | None = None) -> str:
    options = RenderOptions(
        prefixes={**report.prefixes, **PREFIXES},  # the well-known prefixes keep their usual names
        lang=cli_language(getattr(args, "lang", None)),
        fail_on=Severity.from_name(getattr(args, "fail_on", "violation")),
        max_findings=getattr(args, "max_findings", 20),
        title=title,
        tool_version=__version__,
        only_new=getattr(args, "only_new", False),
        srcroot=srcroot(args),
    )
    return render(report, fmt or args.format, options)


def emit_report(report: ValidationReport, args: argparse.Namespace, title: str) -> None:
    """Write the report in ``--format`` where it goes, and append the ``--summary`` if asked."""
    write_text(args.report_file, render_report(report, args, title))
    _append_summary(report, args, title)


def _append_summary(report: ValidationReport, args: argparse.Namespace, title: str) -> None:
    path: Path | None = getattr(args, "summary", None)
    if path is None:
        return
    text = render_report(report, args, title, fmt="markdown")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as summary:
            summary.write(text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        raise UsageError(key="error.cannot_write_summary", path=str(path), reason=str(exc.strerror or exc)) from exc


def write_error_report(error: CrmkgError, args: argparse.Namespace, title: str) -> None:
    """The report of a run stopped by ``error``, in the chosen format, where the report goes, and in
    the ``--summary``. Plain text on stdout is left out: the error itself goes to stderr, once.
    """
    fmt = getattr(args, "format", "text")
    path: Path | None = getattr(args, "report_file", None)
    inputs = tuple(str(p) for p in getattr(args, "paths", None) or ())
    with contextlib.suppress(CrmkgError):  # unwritable, or a bad --srcroot: stderr has the error anyway
        report = error_report(error, inputs=inputs)
        if path is not None or fmt != "text":
            write_text(path, render_report(report, args, title, fmt=fmt))
        _append_summary(report, args, title)


#: The verbs that write reports, and the flags of their report file.
REPORTING_VERBS = {
    "validate": ("--output", "-o"),
    "check": ("--output", "-o"),
    "import": ("--report",),
    "hook": ("--output", "-o"),
}


def write_usage_error_report(message: str, argv: Sequence[str]) -> None:
    """A bad option (argparse's ``message``) as a report, when ``argv`` runs a reporting verb and
    its ``--format`` and report file can still be read; nothing otherwise."""
    verb = next((a for a in argv if not a.startswith("-")), None)
    if verb not in REPORTING_VERBS:
        return
    lenient = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    lenient.add_argument("--format", default="text")
    lenient.add_argument(*REPORTING_VERBS[verb], dest="report_file", type=Path)
    lenient.add_argument("--lang")
    lenient.add_argument("--srcroot", type=Path)
    lenient.add_argument("--summary", type=Path)
    try:
        args, rest = lenient.parse_known_args(list(argv))
    except (argparse.ArgumentError, SystemExit):
        return
    if args.format not in FORMATS or (args.lang is not None and args.lang not in LANGUAGES):
        return
    second = next((a for a in rest[1:] if not a.startswith("-")), "")
    args.title = {"import": f"crmkg import {second}", "hook": f"crmkg {second}"}.get(verb, f"crmkg {verb}")
    write_error_report(UsageError(message), args, args.title)


def write_text(path: Path | None, text: str, what: str = "the report") -> None:
    """Write ``text`` to ``path`` (creating its folder), or to stdout."""
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(key="error.cannot_write", path=str(path), what=what, reason=str(exc.strerror or exc)) from exc
