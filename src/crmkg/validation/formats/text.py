"""Plain text for terminals and CI logs: findings grouped by rule, with counts and a summary line."""

from __future__ import annotations

from crmkg.validation.formats._common import (
    RenderOptions,
    baseline_text,
    grouped,
    location_text,
    rules_of,
    subject_text,
    summary_counts,
    verdict,
)
from crmkg.validation.report import BaselineState, ValidationReport


def render(report: ValidationReport, options: RenderOptions) -> str:
    lines: list[str] = []
    groups = grouped(report, options)
    rules = {r.id: r for r in rules_of(report)}
    for rule_id, results in groups.items():
        rule = rules[rule_id]
        worst = max(r.severity for r in results)
        lines.append(f"{rule_id} {rule.label(options.lang)} — {worst.value}, {len(results)}")
        cap = options.max_findings or len(results)
        for result in results[:cap]:
            marker = " (baseline)" if result.baseline_state is BaselineState.UNCHANGED else ""
            where = location_text(result.location, options.srcroot)
            subject = subject_text(result, options.prefixes)
            times = f" (×{result.count})" if result.count != 1 else ""
            lines.append(f"  {where}: {result.severity.key}{marker}{times}: {subject}".rstrip())
            message = result.message(options.lang)
            if message:
                lines.append(f"      {message}")
        if len(results) > cap:
            lines.append(f"  … {len(results) - cap} more")
        lines.append("")
    files = len(report.inputs)
    summary = f"{options.title}: {summary_counts(report)} in {files} file{'s' if files != 1 else ''}"
    details = [
        d
        for d in (
            f"as of {report.as_of.isoformat()}" if report.as_of else "",
            report.engine,
            baseline_text(report),
        )
        if d
    ]
    if details:
        summary += f" ({'; '.join(details)})"
    lines.append(f"{summary}. {verdict(report, options)}.")
    return "\n".join(lines) + "\n"
