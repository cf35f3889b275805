"""A Markdown summary for pull-request comments and ``$GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

from crmkg.i18n import message
from crmkg.validation.formats._common import (
    RenderOptions,
    baseline_text,
    compact,
    headed_groups,
    location_text,
    severity_word,
    summary_counts,
    value_text,
    verdict,
)
from crmkg.validation.report import BaselineState, Severity, ValidationReport

_COLUMNS = ("check", "findings", "description", "severity", "where", "focus", "path", "value", "message")
_ICON = {Severity.VIOLATION: "🔴", Severity.WARNING: "🟠", Severity.INFO: "🔵"}


def cell(text: str) -> str:
    """Text safe inside a table cell: pipes escaped, newlines flattened, code spans kept short."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def render(report: ValidationReport, options: RenderOptions) -> str:
    lang = options.lang
    out: list[str] = []
    failed = not report.conforms(options.fail_on)
    out.append(f"## {'❌' if failed else '✅'} {options.title}: {verdict(report, options)}")
    out.append("")
    details = [summary_counts(report, lang)]
    if report.as_of:
        details.append(message("report.as_of", lang, date=report.as_of.isoformat()))
    if report.engine:
        details.append(message("report.engine", lang, engine=report.engine))
    if baseline_text(report, lang):
        details.append(baseline_text(report, lang))
    out.append("; ".join(details) + ".")
    out.append("")
    groups = headed_groups(report, options)
    if not groups:
        return "\n".join(out) + "\n"
    column = {key: message(f"report.column.{key}", lang) for key in _COLUMNS}
    out.append(f"| | {column['check']} | {column['findings']} | {column['description']} |")
    out.append("|---|---|---:|---|")
    for group in groups:
        worst = max(r.severity for r in group.results)
        out.append(f"| {_ICON[worst]} | `{cell(group.rule_id)}` | {len(group.results)} | {cell(group.label(lang))} |")
    out.append("")
    for group in groups:
        rule_id, results = group.rule_id, group.results
        cap = options.max_findings or len(results)
        out.append(f"<details><summary><code>{rule_id}</code> — {len(results)}</summary>")
        out.append("")
        out.append("| " + " | ".join(column[key] for key in _COLUMNS[3:]) + " |")
        out.append("|---|---|---|---|---|---|")
        for r in results[:cap]:
            value = value_text(r, options.prefixes) if r.value is not None and r.value != r.focus_node else ""
            state = f" {message('report.in_baseline', lang)}" if r.baseline_state is BaselineState.UNCHANGED else ""
            out.append(
                "| "
                + " | ".join(
                    cell(x)
                    for x in (
                        severity_word(r.severity, lang).capitalize() + state,
                        f"`{location_text(r.location, options.srcroot)}`",
                        "" if r.about_input else f"`{compact(r.focus_node, options.prefixes)}`",
                        f"`{compact(r.path, options.prefixes)}`" if r.path is not None else "",
                        f"`{value}`" if value else "",
                        r.message(lang),
                    )
                )
                + " |"
            )
        if len(results) > cap:
            out.append("")
            out.append(message("report.more", lang, n=len(results) - cap))
        out.append("")
        out.append("</details>")
        out.append("")
    return "\n".join(out)
