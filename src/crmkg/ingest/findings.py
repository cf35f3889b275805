"""Findings of an import, in the one findings model of :mod:`crmkg.validation.report`.

Every finding is a :class:`ValidationResult` whose constraint component is
:data:`~crmkg.validation.report.INPUT_CHECK`, whose rule id is the finding's code (``bad-date``,
``dangling-id``…) and whose location is the file, row and column it is about; its focus node is
an IRI naming the source row (``<base>source/Account.csv#row=5``, the RFC 7111 fragment), so
fingerprints and ``--baseline`` work as for validation. Messages come in Finnish and English
from ``messages.toml``.

Severity ``Violation`` is bad input (a malformed row, a dangling or duplicate id, a bad date):
``--strict`` fails on it. ``Warning`` is data that imports but looks wrong (an owner history that
disagrees with the current owner). ``Info`` is a note (an absent file, an unmapped picklist value).
A *fatal* finding (a file that cannot be read at all, a required column missing, an export that
yields no relationship) fails the import whatever ``--fail-on`` says.

Identical findings are grouped: per (code, file, column, value), or per (code, file, column)
for codes whose grouping is ``field``; a group is one result with a ``count`` and example rows.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from string import Formatter
from urllib.parse import quote

from rdflib import Literal, URIRef

from crmkg.errors import SourceLocation
from crmkg.validation.report import INPUT_CHECK, Rule, Severity, ValidationResult

_EXAMPLES = 3


class Grouping(StrEnum):
    """What makes two findings of one code the same finding."""

    VALUE = "value"  # same file, column and value
    FIELD = "field"  # same file and column, whatever the value
    NONE = "none"  # never grouped


@dataclass(frozen=True)
class InputRule:
    """One kind of import finding: its code, severity, label and message templates (fi, en)."""

    id: str
    severity: Severity
    labels: Mapping[str, str]
    templates: Mapping[str, str]
    grouping: Grouping = Grouping.VALUE
    fatal: bool = False

    def rule(self) -> Rule:
        return Rule(id=self.id, labels=self.labels, severity=self.severity, source="crmkg import")

    def placeholders(self) -> set[str]:
        return {name for text in self.templates.values() for _, name, _, _ in Formatter().parse(text) if name}


@cache
def input_rules() -> Mapping[str, InputRule]:
    """Every import finding code, from the packaged ``messages.toml``."""
    text = (resources.files("crmkg.ingest") / "messages.toml").read_text(encoding="utf-8")
    out: dict[str, InputRule] = {}
    for code, entry in tomllib.loads(text).items():
        out[code] = InputRule(
            id=code,
            severity=Severity.from_name(entry["severity"]),
            labels={"fi": entry["label"]["fi"], "en": entry["label"]["en"]},
            templates={"fi": entry["fi"], "en": entry["en"]},
            grouping=Grouping(entry.get("group", "value")),
            fatal=bool(entry.get("fatal", False)),
        )
    return out


_SUFFIX = {
    "fi": " ({count} kertaa; esimerkiksi rivit {lines})",
    "en": " ({count} times; e.g. lines {lines})",
}
_SUFFIX_NO_LINES = {"fi": " ({count} kertaa)", "en": " ({count} times)"}
_SUFFIX_LINES_ONLY = {"fi": " (esimerkiksi rivit {lines})", "en": " (e.g. lines {lines})"}


@dataclass
class _Group:
    rule: InputRule
    location: SourceLocation
    focus: URIRef
    value: str | None
    params: dict[str, object]
    severity: Severity
    count: int = 1
    lines: list[int] = field(default_factory=list)


class FindingLog:
    """Collects (and groups) the findings of one import.

    ``source_base`` is the IRI namespace of the focus nodes that name source rows.
    """

    def __init__(self, source_base: str) -> None:
        self.source_base = source_base
        self._groups: dict[tuple[object, ...], _Group] = {}

    def add(
        self,
        code: str,
        file: str | Path,
        line: int | None = None,
        column: str | None = None,
        *,
        value: str | None = None,
        severity: Severity | None = None,
        extra: Mapping[str, object] | None = None,
        **params: object,
    ) -> None:
        """Log a finding of kind ``code`` at ``file:line:column``; ``params`` (and ``extra``)
        fill its message.

        ``value`` is the offending cell (shown, and part of the grouping key); the message may
        name it as ``{value}``. ``severity`` overrides the code's own.
        """
        rule = input_rules()[code]
        if extra:
            params = {**extra, **params}
        file_text = str(file)
        if rule.grouping is Grouping.VALUE:
            key: tuple[object, ...] = (code, file_text, column, value, tuple(sorted(map(str, params.items()))))
        elif rule.grouping is Grouping.FIELD:
            key = (code, file_text, column)
        else:
            key = (code, file_text, column, line, value, len(self._groups))
        group = self._groups.get(key)
        if group is not None:
            group.count += 1
            if line is not None and len(group.lines) < _EXAMPLES:
                group.lines.append(line)
            return
        name = Path(file_text).name
        focus = f"{self.source_base}source/{quote(name, safe='-._~')}"
        if line is not None:
            focus += f"#row={line}"
        self._groups[key] = _Group(
            rule,
            SourceLocation(file_text, line, None, column),
            URIRef(focus),
            value,
            {**params, "value": value if value is not None else "", "file": name, "column": column or ""},
            severity or rule.severity,
            lines=[line] if line is not None else [],
        )

    @property
    def fatal(self) -> bool:
        return any(g.rule.fatal for g in self._groups.values())

    def has(self, severity: Severity) -> bool:
        return any(g.severity is severity for g in self._groups.values())

    def count(self, code: str) -> int:
        """Occurrences of ``code`` logged so far (grouped ones counted one by one)."""
        return sum(g.count for g in self._groups.values() if g.rule.id == code)

    def results(self) -> tuple[ValidationResult, ...]:
        """The findings, worst first, then by file and row."""
        out = [_result(g) for g in self._groups.values()]
        out.sort(key=lambda r: (-r.severity.rank, r.location.file if r.location else "", _line(r)))
        return tuple(out)

    def rules(self) -> tuple[Rule, ...]:
        seen = {g.rule.id: g.rule for g in self._groups.values()}
        return tuple(rule.rule() for _, rule in sorted(seen.items()))


def _line(result: ValidationResult) -> int:
    return result.location.line or 0 if result.location else 0


def _result(group: _Group) -> ValidationResult:
    messages: dict[str, str] = {}
    for lang, template in group.rule.templates.items():
        count = number(group.count, lang)
        text = template.format(**{**group.params, "count": count})
        counted = "{count}" in template
        if group.count > 1 and not (counted and not group.lines):
            suffix = (_SUFFIX_LINES_ONLY if counted else _SUFFIX) if group.lines else _SUFFIX_NO_LINES
            lines = ", ".join(str(n) for n in group.lines) + (", …" if group.count > len(group.lines) else "")
            text += suffix[lang].format(count=count, lines=lines)
        messages[lang] = text
    return ValidationResult(
        severity=group.severity,
        focus_node=group.focus,
        path=None,
        value=Literal(group.value) if group.value is not None else None,
        source_shape=None,
        constraint_component=INPUT_CHECK,
        messages=messages,
        shape_id=group.rule.id,
        location=group.location,
        count=group.count,
    )


def number(n: int, lang: str) -> str:
    """``1,142`` in English, ``1 142`` (no-break space) in Finnish."""
    text = f"{n:,}"
    return text.replace(",", "\u00a0") if lang == "fi" else text
