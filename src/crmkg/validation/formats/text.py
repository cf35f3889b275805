"""Plain text for terminals and CI logs: findings grouped by rule, with counts and a summary line."""

from __future__ import annotations

from crmkg.i18n import counted, message
from crmkg.validation.formats._common import (
    RenderOptions,
    baseline_text,
    headed_groups,
    location_text,
    severity_word,
    subject_text,
    summary_counts,
    verdict,
)
from crmkg.validation.report import BaselineState, ValidationReport


def render(report: ValidationReport, options: RenderOptions) -> str:
    lang = options.lang
    lines: list[str] = []
    for group in headed_groups(report, options):
        results = group.results
        worst = max(r.severity for r in results)
        lines.append(f"{group.rule_id} {group.label(lang)} — {severity_word(worst, lang).capitalize()}, {len(results)}")
        cap = options.max_findings or len(results)
        for result in results[:cap]:
            unchanged = result.baseline_state is BaselineState.UNCHANGED
            marker = f" {message('report.in_baseline', lang)}" if unchanged else ""
            where = location_text(result.location, options.srcroot)
            subject = subject_text(result, options.prefixes)
            times = f" (×{result.count})" if result.count != 1 else ""
            lines.append(f"  {where}: {severity_word(result.severity, lang)}{marker}{times}: {subject}".rstrip())
            said = result.message(lang)
            if said:
                lines.append(f"      {said}")
        if len(results) > cap:
            lines.append("  " + message("report.more", lang, n=len(results) - cap))
        lines.append("")
    files = counted("count.files", lang, len(report.inputs))
    summary = f"{options.title}: {summary_counts(report, lang)} {files}"
    details = [
        d
        for d in (
            message("report.as_of", lang, date=report.as_of.isoformat()) if report.as_of else "",
            report.engine,
            baseline_text(report, lang),
        )
        if d
    ]
    if details:
        summary += f" ({'; '.join(details)})"
    lines.append(f"{summary}. {verdict(report, options)}.")
    return "\n".join(lines) + "\n"
