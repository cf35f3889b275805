"""The report options every finding-producing verb shares (validate, check, import).

One findings model (:mod:`crmkg.validation.report`) means one set of options: ``--fail-on``,
``--format``, ``--lang``, ``--max-findings``, ``--baseline`` and where the report goes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crmkg._version import __version__
from crmkg.errors import UsageError
from crmkg.namespaces import PREFIXES
from crmkg.validation.baseline import apply_baseline, read_baseline
from crmkg.validation.formats import FORMATS, RenderOptions, render
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
    out.add_argument("--lang", choices=("fi", "en"), default="en", help="message language; default: en")
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
    return out


def prepare(report: ValidationReport, args: argparse.Namespace) -> ValidationReport:
    """The report with ``--baseline`` applied (a no-op without one)."""
    if args.baseline is None:
        return report
    return apply_baseline(report, read_baseline(args.baseline))


def render_report(report: ValidationReport, args: argparse.Namespace, title: str, *, fmt: str | None = None) -> str:
    options = RenderOptions(
        prefixes={**report.prefixes, **PREFIXES},  # the well-known prefixes keep their usual names
        lang=args.lang,
        fail_on=Severity.from_name(args.fail_on),
        max_findings=args.max_findings,
        title=title,
        tool_version=__version__,
    )
    return render(report, fmt or args.format, options)


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
        raise UsageError(f"{path}: cannot write {what}: {exc.strerror or exc}") from exc
