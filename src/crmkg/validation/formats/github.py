"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per finding.

GitHub shows the annotations on the pull request's changed files, at the line where the focus
node is defined. Only findings at or above ``--fail-on`` become errors; the rest are warnings or
notices by severity. ``--max-findings`` caps the annotations (GitHub itself shows a limited number).
"""

from __future__ import annotations

from crmkg.i18n import counted
from crmkg.validation.formats._common import (
    RenderOptions,
    baseline_text,
    compact,
    display_path,
    listed,
    severity_word,
    summary_counts,
    verdict,
)
from crmkg.validation.report import Severity, ValidationReport

_COMMAND = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: ValidationReport, options: RenderOptions) -> str:
    lines: list[str] = []
    failing = {id(r) for r in report.failing(options.fail_on)}
    results = listed(report, options)  # new findings first, so a cap never hides a new one behind old ones
    cap = options.max_findings or len(results)
    for result in results[:cap]:
        command = "error" if id(result) in failing else _COMMAND[result.severity]
        if command == "error" and id(result) not in failing:
            command = "warning"
        props = []
        if result.location is not None:
            props.append(f"file={escape_property(display_path(result.location.file, options.srcroot))}")
            if result.location.line is not None:
                props.append(f"line={result.location.line}")
                if result.location.column is not None:
                    props.append(f"col={result.location.column}")
        severity = severity_word(result.severity, options.lang).capitalize()
        props.append(f"title={escape_property(f'{result.rule_id} ({severity})')}")
        text = result.message(options.lang) or result.rule_id
        if not result.about_input:  # an input finding's focus only names the row, which file= and line= give
            text = f"{compact(result.focus_node, options.prefixes)}: {text}"
        lines.append(f"::{command} {','.join(props)}::{escape_data(text)}")
    if len(results) > cap:
        lines.append(f"::notice::{counted('report.not_annotated', options.lang, len(results) - cap)}")
    baseline = baseline_text(report, options.lang)
    summary = summary_counts(report, options.lang) + (f"; {baseline}" if baseline else "")
    lines.append(
        f"::notice title={escape_property(options.title)}::{escape_data(summary)}. "
        f"{escape_data(verdict(report, options))}"
    )
    return "\n".join(lines) + "\n"
