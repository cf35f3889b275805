"""Validation findings as the pages show them: grouped by shape, each linking to its focus and shape."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import BNode, URIRef

from crmkg.terms import curie
from crmkg.validation import ValidationReport, ValidationResult

Link = Callable[[str], str]


@dataclass(frozen=True)
class FindingView:
    severity: str
    focus: str
    focus_link: str | None
    path: str
    value: str
    message: str
    location: str


@dataclass(frozen=True)
class ShapeGroup:
    rule_id: str
    label: str
    shape_iri: str | None
    shape_link: str | None
    severity: str
    findings: list[FindingView]


def _short(node: object) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return curie(str(node))
    if isinstance(node, BNode):
        return "[ ]"
    return str(node)


def view(result: ValidationResult, lang: str, resource_link: Link) -> FindingView:
    focus = result.focus_node
    location = ""
    if result.location is not None:
        location = result.location.file.rsplit("/", 1)[-1]
        if result.location.line is not None:
            location += f":{result.location.line}"
    return FindingView(
        severity=result.severity.name.lower(),
        focus=_short(focus),
        focus_link=resource_link(str(focus)) if isinstance(focus, URIRef) else None,
        path=result.path.n3() if result.path is not None else "",
        value=_short(result.value),
        message=result.message(lang),
        location=location,
    )


def grouped(report: ValidationReport, lang: str, resource_link: Link, term_link: Link) -> list[ShapeGroup]:
    """Findings grouped by rule (shape), the most severe groups first."""
    groups: dict[str, list[ValidationResult]] = {}
    for result in report.results:
        groups.setdefault(result.rule_id, []).append(result)
    out = []
    for rule_id, results in groups.items():
        rule = report.rule(rule_id)
        shape = results[0].source_shape
        shape_iri = str(shape) if isinstance(shape, URIRef) else (rule.source if rule and rule.source else None)
        worst = max(r.severity for r in results)
        out.append(
            ShapeGroup(
                rule_id=rule_id,
                label=rule.label(lang) if rule else rule_id,
                shape_iri=shape_iri,
                shape_link=term_link(shape_iri) if shape_iri and "://" in shape_iri else None,
                severity=worst.name.lower(),
                findings=[view(r, lang, resource_link) for r in results],
            )
        )
    out.sort(key=lambda g: (-max(r.severity.rank for r in groups[g.rule_id]), g.rule_id))
    return out


def for_focus(report: ValidationReport, focus: str, lang: str, resource_link: Link) -> list[FindingView]:
    return [view(r, lang, resource_link) for r in report.results if str(r.focus_node) == focus]


def focus_nodes(results: Iterable[ValidationResult]) -> set[str]:
    return {str(r.focus_node) for r in results if isinstance(r.focus_node, URIRef)}
