"""What every output format shares: options, short IRIs, file paths, grouping by rule."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from crmkg.errors import SourceLocation
from crmkg.i18n import counted, message
from crmkg.namespaces import PREFIXES
from crmkg.validation.input_errors import input_errors
from crmkg.validation.report import (
    BaselineState,
    Node,
    ResultPath,
    Rule,
    Severity,
    ValidationReport,
    ValidationResult,
    path_key,
    pick_message,
)

TOOL_NAME = "crmkg"
TOOL_URI = "https://w3id.org/crmkg"


@dataclass(frozen=True)
class RenderOptions:
    """How to render: message language, the failure level, the per-rule cap for human formats.

    ``max_findings`` caps the findings listed per rule in text and Markdown, and the GitHub
    annotations in total (``0`` = no cap); machine formats are always complete.
    ``title`` names the run (``crmkg validate`` / ``crmkg check``). ``only_new`` lists only the
    findings that are not in the baseline (the counts still cover all). ``srcroot`` is the folder
    file paths are written relative to (default: the working directory).
    """

    lang: str = "en"
    fail_on: Severity = Severity.VIOLATION
    max_findings: int = 20
    title: str = "crmkg validate"
    tool_version: str = ""
    prefixes: Mapping[str, str] = field(default_factory=lambda: dict(PREFIXES))
    only_new: bool = False
    srcroot: Path | None = None


def compact(term: Node | ResultPath | None, prefixes: Mapping[str, str], *, datatype: bool = False) -> str:
    """A short human form: ``akj:hasOwner``, ``"2026-01-01"^^xsd:date``, ``"x"@fi``, ``_:b0``; the
    longest namespace wins. A literal shows its datatype unless it is a plain string; ``datatype``
    shows that too (``"2024-01-15"^^xsd:string`` where a date was expected)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        best = ""
        for prefix, ns in prefixes.items():
            if text.startswith(ns) and len(ns) > len(prefixes.get(best, "")) and _is_local(text[len(ns) :]):
                best = prefix
        return f"{best}:{text[len(prefixes[best]) :]}" if best else f"<{text}>"
    if isinstance(term, Literal):
        if term.language:
            return f'"{term}"@{term.language}'
        kind = term.datatype or XSD.string
        shown = datatype or kind != XSD.string
        return f'"{term}"' + (f"^^{compact(URIRef(kind), prefixes)}" if shown else "")
    if isinstance(term, BNode):
        return "_:" + str(term)
    text = path_key(term)
    for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        text = text.replace(f"<{ns}", f"{prefix}:<")
    return _unbracket(text)


def _is_local(local: str) -> bool:
    return bool(local) and all(ch.isalnum() or ch in "-_." for ch in local) and not local.endswith(".")


def _unbracket(text: str) -> str:
    # "akj:<hasOwner>" → "akj:hasOwner" after the prefix substitution above.
    out, i = [], 0
    while i < len(text):
        j = text.find(":<", i)
        if j < 0:
            out.append(text[i:])
            break
        k = text.find(">", j)
        out.append(text[i:j] + ":" + text[j + 2 : k])
        i = k + 1
    return "".join(out)


def display_path(file: str, srcroot: Path | None = None) -> str:
    """A file path relative to ``srcroot`` (default: the working directory) when inside it, with ``/``."""
    cwd = os.getcwd()
    return _display_path(file, str(srcroot) if srcroot else cwd, cwd)


@lru_cache(maxsize=256)
def _display_path(file: str, root: str, cwd: str) -> str:
    """Remembered: a report names each of a few files once per finding (10,000 times at 1M triples)."""
    relative = _relative_to(file, root, cwd)
    if relative is not None:
        return relative
    path = Path(file)
    return path.as_posix() if not path.is_absolute() else os.path.normpath(file).replace(os.sep, "/")


def inside_srcroot(file: str, srcroot: Path | None) -> bool:
    """True when ``file`` lies under ``srcroot`` (default: the working directory)."""
    return _relative_to(file, str(srcroot or Path.cwd()), os.getcwd()) is not None


@lru_cache(maxsize=256)
def _relative_to(file: str, root: str, cwd: str) -> str | None:
    """``file`` relative to the folder ``root`` (both resolved from ``cwd``), or None outside it.
    Remembered: a report names a few files thousands of times, and resolving costs ``realpath`` walks."""
    try:
        return Path(file).resolve().relative_to(Path(root).resolve()).as_posix()
    except (ValueError, OSError):
        return None


def location_text(location: SourceLocation | None, srcroot: Path | None = None) -> str:
    if location is None:
        return "?"
    return str(replace(location, file=display_path(location.file, srcroot)))


def is_new(result: ValidationResult) -> bool:
    """Not in the baseline (every result is new without one)."""
    return result.baseline_state is not BaselineState.UNCHANGED


def listed(
    report: ValidationReport, options: RenderOptions, *, with_suppressed: bool = False
) -> list[ValidationResult]:
    """The results a format lists, new findings first (the report's order otherwise); with
    ``only_new``, the new ones only. Suppressed findings only where a format can mark them
    (``with_suppressed``: JSON and SARIF), after the others."""
    results = report.active
    new = [r for r in results if is_new(r)]
    out = new if options.only_new else new + [r for r in results if not is_new(r)]
    if with_suppressed:
        out += list(report.suppressed)
    return out


def subject_text(result: ValidationResult, prefixes: Mapping[str, str]) -> str:
    """``focus [path] [= value]`` in short form. An input finding's focus node only names its
    source row, which the location already shows, so only its value is given."""
    bits = [] if result.about_input else [compact(result.focus_node, prefixes)]
    if result.path is not None:
        bits.append(compact(result.path, prefixes))
    if result.value is not None and result.value != result.focus_node:
        bits.append(("= " if bits else "") + value_text(result, prefixes))
    return " ".join(bits)


def value_text(result: ValidationResult, prefixes: Mapping[str, str]) -> str:
    """The finding's value in short form, with its datatype always shown when the datatype is the
    problem (``sh:datatype``)."""
    about_datatype = str(result.constraint_component or "").endswith("DatatypeConstraintComponent")
    return compact(result.value, prefixes, datatype=about_datatype)


def rules_of(report: ValidationReport) -> list[Rule]:
    """The report's rules plus a bare rule for any result whose rule is not listed, in id order."""
    known = {r.id: r for r in report.rules}
    for result in report.results:
        if result.rule_id not in known:
            known[result.rule_id] = Rule(id=result.rule_id, severity=result.severity)
    from crmkg.validation.report import natural_key

    return sorted(known.values(), key=lambda r: natural_key(r.id))


def grouped(report: ValidationReport, options: RenderOptions | None = None) -> dict[str, list[ValidationResult]]:
    """The listed results (:func:`listed`) by rule id, new findings first in each group."""
    out: dict[str, list[ValidationResult]] = {}
    results = listed(report, options) if options is not None else list(report.results)
    for result in results:
        out.setdefault(result.rule_id, []).append(result)
    return out


@dataclass(frozen=True)
class Group:
    """Findings listed under one heading: a rule id and the label of the shape that reported them."""

    rule_id: str
    labels: Mapping[str, str]
    results: list[ValidationResult]

    def label(self, lang: str) -> str:
        return pick_message(self.labels, lang) if self.labels else self.rule_id


def headed_groups(report: ValidationReport, options: RenderOptions | None = None) -> list[Group]:
    """:func:`grouped`, each rule's findings split by the shape that reported them, so that every
    group is headed by its own shape's label (S27's plan dates apart from its assignee types);
    findings whose shape has no label of its own go under the rule's label."""
    rules = {r.id: r for r in rules_of(report)}
    out: list[Group] = []
    for rule_id, results in grouped(report, options).items():
        by_shape: dict[str, list[ValidationResult]] = {}
        for result in results:
            key = str(result.source_shape) if str(result.source_shape) in report.shape_labels else ""
            by_shape.setdefault(key, []).append(result)
        for key, members in by_shape.items():
            labels = report.shape_labels[key] if key else rules[rule_id].labels
            out.append(Group(rule_id, labels, members))
    return out


def severity_word(severity: Severity, lang: str) -> str:
    """``violation`` / ``rikkomus`` — a severity as a reader of ``lang`` calls it."""
    return message(f"severity.{severity.key}", lang)


def summary_counts(report: ValidationReport, lang: str) -> str:
    counts = report.counts()
    parts = [
        counted("count.violations", lang, counts[Severity.VIOLATION]),
        counted("count.warnings", lang, counts[Severity.WARNING]),
        counted("count.infos", lang, counts[Severity.INFO]),
    ]
    if report.suppressed:
        parts.append(counted("count.suppressed", lang, len(report.suppressed)))
    return ", ".join(parts)


def baseline_text(report: ValidationReport, lang: str) -> str:
    if report.baseline_fixed is None:
        return ""
    new = sum(1 for r in report.active if r.baseline_state is BaselineState.NEW)
    unchanged = sum(1 for r in report.active if r.baseline_state is BaselineState.UNCHANGED)
    return message("report.baseline", lang, new=new, unchanged=unchanged, fixed=report.baseline_fixed)


def verdict(report: ValidationReport, options: RenderOptions) -> str:
    lang = options.lang
    errors = len(input_errors(report))
    if errors:
        return counted("report.input_errors", lang, errors)
    level = severity_word(options.fail_on, lang)
    failing = len(report.failing(options.fail_on))
    if failing:
        return counted("report.failed", lang, failing, level=level)
    return message("report.passed", lang, level=level)
