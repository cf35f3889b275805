"""JSON, described by ``crmkg/validation/report.schema.json`` (also the baseline format).

RDF terms are written the way SPARQL JSON results write them (``{"type": "uri", "value": …}``), paths
in SPARQL property-path syntax with full IRIs, so nothing needs prefixes to be read back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import BNode, Literal, URIRef

from crmkg.errors import SourceLocation
from crmkg.validation.formats._common import TOOL_NAME, RenderOptions, display_path, listed, rules_of
from crmkg.validation.formats.json_text import dumps_indented
from crmkg.validation.input_errors import input_errors
from crmkg.validation.report import BaselineState, Node, Severity, ValidationReport, ValidationResult, path_key

SCHEMA_ID = "https://w3id.org/crmkg/schemas/validation-report-1.json"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_json(term: Node | None) -> dict[str, str] | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype is not None and str(term.datatype) != _XSD_STRING:
        out["datatype"] = str(term.datatype)
    return out


def location_json(loc: SourceLocation | None, srcroot: Path | None = None) -> dict[str, Any] | None:
    if loc is None:
        return None
    out: dict[str, Any] = {"file": display_path(loc.file, srcroot), "line": loc.line, "column": loc.column}
    if loc.field is not None:
        out["field"] = loc.field
    return out


def result_json(result: ValidationResult, lang: str, srcroot: Path | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "severity": result.severity.value,
        "ruleId": result.rule_id,
        "shapeId": result.shape_id,
        "sourceShape": None if result.source_shape is None else str(result.source_shape),
        "constraintComponent": str(result.constraint_component),
        "focusNode": term_json(result.focus_node),
        "path": path_key(result.path) or None,
        "value": term_json(result.value),
        "message": result.message(lang),
        "messages": dict(sorted(result.messages.items())),
        "location": location_json(result.location, srcroot),
        "fingerprint": result.fingerprint(),
        "baselineState": None if result.baseline_state is None else result.baseline_state.value,
    }
    if result.count != 1:
        out["count"] = result.count
    if result.suppression is not None:
        out["suppression"] = {
            "kind": result.suppression.kind.value,
            "justification": result.suppression.justification,
            "source": result.suppression.source,
        }
    return out


def report_json(report: ValidationReport, options: RenderOptions) -> dict[str, Any]:
    counts = report.counts()
    summary: dict[str, Any] = {
        "violations": counts[Severity.VIOLATION],
        "warnings": counts[Severity.WARNING],
        "infos": counts[Severity.INFO],
        "total": len(report.active),
        "failing": len(report.failing(options.fail_on)),
    }
    errors = len(input_errors(report))
    if errors:
        summary["inputErrors"] = errors
    if report.suppressed:
        summary["suppressed"] = len(report.suppressed)
    if report.baseline_fixed is not None:
        summary["baseline"] = {
            "new": sum(1 for r in report.active if r.baseline_state is BaselineState.NEW),
            "unchanged": sum(1 for r in report.active if r.baseline_state is BaselineState.UNCHANGED),
            "fixed": report.baseline_fixed,
        }
    payload: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "tool": {"name": TOOL_NAME, "version": options.tool_version},
        "title": options.title,
        "engine": report.engine,
        "asOf": report.as_of.isoformat() if report.as_of else None,
        "parameters": dict(report.parameters),
        "inputs": [display_path(f, options.srcroot) for f in report.inputs],
        "failOn": options.fail_on.value,
        "conforms": report.conforms(options.fail_on),
        "summary": summary,
        "rules": [
            {
                "id": rule.id,
                "severity": rule.severity.value,
                "labels": dict(sorted(rule.labels.items())),
                "source": rule.source,
            }
            for rule in rules_of(report)
        ],
        "results": [
            result_json(r, options.lang, options.srcroot) for r in listed(report, options, with_suppressed=True)
        ],
    }
    if report.notes:  # e.g. shapes the fast engine handed to pyshacl; absent when there are none
        payload["notes"] = list(report.notes)
    if report.summary is not None:  # what an import read and made
        payload["importSummary"] = dict(report.summary)
    return payload


def render(report: ValidationReport, options: RenderOptions) -> str:
    return dumps_indented(report_json(report, options)) + "\n"
