"""Suppressions, as every linter has them: the project's ``crmkg.toml`` and inline comments.

A data repository configures crmkg in ``crmkg.toml`` (or the ``[tool.crmkg]`` table of its
``pyproject.toml``), found in the working directory or the nearest folder above it, up to the
root of the git work tree::

    [validate]
    disable = ["S19"]              # these checks' findings are dropped (and the checks not listed)
    follow-up-days = 60            # the windows, unless --follow-up-days / --review-days say otherwise
    review-days = 120
    [validate.severity]
    S13b = "warning"               # a check's findings get this severity

    [check]                        # the same disable / severity for crmkg check
    disable = ["QA7"]

One finding on one node is suppressed inline by a comment on the line its location points at
(where the focus node is defined)::

    ex:rel-7 a akj:CustomerRelationship ;   # crmkg: ignore[S9] the owner post is being created

A suppressed finding is still reported (JSON and SARIF mark it with its reason) but it is not
counted and never fails a run.
"""

from __future__ import annotations

import mmap
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from crmkg.errors import Said, SourceLocation
from crmkg.validation.project import PYPROJECT, ProjectConfig, SectionConfig
from crmkg.validation.report import Suppression, SuppressionKind, ValidationReport, ValidationResult

#: ``# crmkg: ignore[S9, S27] reason`` — the rule ids in brackets, then the reason.
_INLINE = re.compile(r"#\s*crmkg:\s*ignore\[([^\]]*)\]\s*(.*)$")
#: What every inline suppression contains (ASCII, so found in the undecoded bytes too).
_MARK = b"crmkg:"


def apply_section(report: ValidationReport, config: SectionConfig, source: str) -> ValidationReport:
    """``report`` with the disabled checks' findings and rules dropped and severities overridden."""
    if not config.disable and not config.severity:
        return report
    results = tuple(
        replace(r, severity=config.severity.get(r.rule_id, r.severity))
        for r in report.results
        if r.rule_id not in config.disable
    )
    rules = tuple(
        replace(rule, severity=config.severity.get(rule.id, rule.severity))
        for rule in report.rules
        if rule.id not in config.disable
    )
    notes = list(report.notes)
    if config.disable:
        notes.append(Said("note.disables", source=source, rules=", ".join(sorted(config.disable))))
    if config.severity:
        changed = ", ".join(f"{k} → {v.key}" for k, v in sorted(config.severity.items()))
        notes.append(Said("note.severities", source=source, changed=changed))
    return report.replace(results=results, rules=rules, notes=tuple(notes))


@dataclass(frozen=True)
class InlineSuppression:
    rules: frozenset[str]
    reason: str


def inline_suppression(line: str) -> InlineSuppression | None:
    """The ``# crmkg: ignore[…] reason`` comment on ``line``, if there is one."""
    match = _INLINE.search(line)
    if match is None:
        return None
    rules = frozenset(r.strip() for r in re.split(r"[,\s]+", match.group(1)) if r.strip())
    return InlineSuppression(rules, match.group(2).strip())


class _Lines:
    """Lines of the data files, read once each (only files a finding points into)."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def get(self, file: str, line: int) -> str | None:
        if file not in self._files:
            # Most files carry no suppression at all: one search of the mapped file instead of
            # reading a 1M-triple file into lines (0.37 s -> 0.05 s); such a file suppresses nothing.
            try:
                self._files[file] = _read_lines(Path(file)) if _mentions(Path(file), _MARK) else None
            except OSError:
                self._files[file] = None
        lines = self._files[file]
        return lines[line - 1] if lines is not None and 0 < line <= len(lines) else None


def _mentions(path: Path, mark: bytes) -> bool:
    """Whether the file's bytes contain ``mark``."""
    with path.open("rb") as file:
        if os.fstat(file.fileno()).st_size == 0:
            return False
        with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return mapped.find(mark) >= 0


def _read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def apply_inline(report: ValidationReport) -> ValidationReport:
    """Findings whose location's line carries a ``# crmkg: ignore[RULE]`` for their rule, suppressed."""
    lines = _Lines()
    changed = False
    out: list[ValidationResult] = []
    for result in report.results:
        suppression = _suppression_for(result, lines)
        if suppression is not None:
            result = replace(result, suppression=suppression)
            changed = True
        out.append(result)
    return report.replace(results=tuple(out)) if changed else report


def _suppression_for(result: ValidationResult, lines: _Lines) -> Suppression | None:
    for location in _candidate_locations(result):
        if location.line is None:
            continue
        text = lines.get(location.file, location.line)
        found = inline_suppression(text) if text is not None else None
        if found is not None and result.rule_id in found.rules:
            return Suppression(SuppressionKind.IN_SOURCE, found.reason, f"{location.file}:{location.line}")
    return None


def _candidate_locations(result: ValidationResult) -> Iterable[SourceLocation]:
    if result.location is not None and not result.about_input:
        yield result.location


def apply_project(report: ValidationReport, config: ProjectConfig, section: str) -> ValidationReport:
    """The project's configuration for ``section`` and the inline suppressions, applied."""
    source = config.path.name if config.path is not None else "crmkg.toml"
    if config.path is not None and config.path.name == PYPROJECT:
        source = f"{PYPROJECT} [tool.crmkg]"
    return apply_inline(apply_section(report, config.section(section), source))
