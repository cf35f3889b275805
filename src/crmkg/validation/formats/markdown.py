"""A Markdown summary for pull-request comments and ``$GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

from crmkg.validation.formats._common import (
    RenderOptions,
    baseline_text,
    compact,
    grouped,
    location_text,
    rules_of,
    summary_counts,
    verdict,
)
from crmkg.validation.report import BaselineState, Severity, ValidationReport

_ICON = {Severity.VIOLATION: "🔴", Severity.WARNING: "🟠", Severity.INFO: "🔵"}


def cell(text: str) -> str:
    """Text safe inside a table cell: pipes escaped, newlines flattened, code spans kept short."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip()


def render(report: ValidationReport, options: RenderOptions) -> str:
    out: list[str] = []
    failed = not report.conforms(options.fail_on)
    out.append(f"## {'❌' if failed else '✅'} {options.title}: {verdict(report, options)}")
    out.append("")
    details = [summary_counts(report)]
    if report.as_of:
        details.append(f"as of {report.as_of.isoformat()}")
    if report.engine:
        details.append(f"engine {report.engine}")
    if baseline_text(report):
        details.append(baseline_text(report))
    out.append("; ".join(details) + ".")
    out.append("")
    groups = grouped(report, options)
    if not groups:
        return "\n".join(out) + "\n"
    out.append("| | Check | Findings | Description |")
    out.append("|---|---|---:|---|")
    rules = {r.id: r for r in rules_of(report)}
    for rule_id, results in groups.items():
        worst = max(r.severity for r in results)
        out.append(
            f"| {_ICON[worst]} | `{cell(rule_id)}` | {len(results)} | {cell(rules[rule_id].label(options.lang))} |"
        )
    out.append("")
    for rule_id, results in groups.items():
        cap = options.max_findings or len(results)
        out.append(f"<details><summary><code>{rule_id}</code> — {len(results)}</summary>")
        out.append("")
        out.append("| Severity | Where | Focus node | Path | Value | Message |")
        out.append("|---|---|---|---|---|---|")
        for r in results[:cap]:
            value = compact(r.value, options.prefixes) if r.value is not None and r.value != r.focus_node else ""
            state = " (baseline)" if r.baseline_state is BaselineState.UNCHANGED else ""
            out.append(
                "| "
                + " | ".join(
                    cell(x)
                    for x in (
                        r.severity.value + state,
                        f"`{location_text(r.location, options.srcroot)}`",
                        "" if r.about_input else f"`{compact(r.focus_node, options.prefixes)}`",
                        f"`{compact(r.path, options.prefixes)}`" if r.path is not None else "",
                        f"`{value}`" if value else "",
                        r.message(options.lang),
                    )
                )
                + " |"
            )
        if len(results) > cap:
            out.append("")
            out.append(f"… {len(results) - cap} more")
        out.append("")
        out.append("</details>")
        out.append("")
    return "\n".join(out)
