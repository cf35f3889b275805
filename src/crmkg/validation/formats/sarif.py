"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; one rule descriptor per check (``S5``, ``QA3``…); results point at the file and line
where the focus node is defined. GitHub needs a physical location on every result: a finding
whose focus node has no known file points at the first input file, line 1, and says so.
``partialFingerprints`` carries crmkg's finding hash so code scanning tracks findings across runs.
"""

from __future__ import annotations

import json
from typing import Any

from crmkg.validation.formats._common import (
    TOOL_NAME,
    TOOL_URI,
    RenderOptions,
    compact,
    display_path,
    rules_of,
)
from crmkg.validation.report import Severity, ValidationReport, ValidationResult, path_key, pick_message

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _location(result: ValidationResult, fallback: str | None) -> list[dict[str, Any]]:
    loc = result.location
    file = display_path(loc.file) if loc is not None else fallback
    logical = [{"fullyQualifiedName": str(result.focus_node), "kind": "resource"}]
    if file is None:
        return [{"logicalLocations": logical}]
    region: dict[str, int] = {"startLine": loc.line if loc is not None and loc.line else 1}
    if loc is not None and loc.line and loc.column:
        region["startColumn"] = loc.column
    return [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"},
                "region": region,
            },
            "logicalLocations": logical,
        }
    ]


def sarif_log(report: ValidationReport, options: RenderOptions) -> dict[str, Any]:
    rules = rules_of(report)
    index = {rule.id: i for i, rule in enumerate(rules)}
    fallback = display_path(report.inputs[0]) if report.inputs else None
    descriptors = []
    for rule in rules:
        descriptor: dict[str, Any] = {
            "id": rule.id,
            "name": rule.id,
            "shortDescription": {"text": rule.label(options.lang)},
            "defaultConfiguration": {"level": LEVELS[rule.severity]},
            "properties": {"severity": rule.severity.value},
        }
        if rule.descriptions:
            descriptor["fullDescription"] = {"text": pick_message(rule.descriptions, options.lang)}
        if rule.source:
            descriptor["properties"]["source"] = rule.source
            if rule.source.startswith(("http://", "https://")):
                descriptor["helpUri"] = rule.source
        descriptors.append(descriptor)
    results = []
    for result in report.results:
        text = result.message(options.lang) or f"{result.rule_id} on {compact(result.focus_node, options.prefixes)}"
        if result.location is None:
            text += " (the focus node's location in the files is unknown)"
        entry: dict[str, Any] = {
            "ruleId": result.rule_id,
            "ruleIndex": index[result.rule_id],
            "level": LEVELS[result.severity],
            "message": {"text": text},
            "locations": _location(result, fallback),
            "partialFingerprints": {"crmkgFinding/v1": result.fingerprint()},
            "properties": {
                "severity": result.severity.value,
                "focusNode": str(result.focus_node),
                "constraintComponent": str(result.constraint_component),
                **({"path": path_key(result.path)} if result.path is not None else {}),
                **({"value": str(result.value)} if result.value is not None else {}),
                **({"sourceShape": str(result.source_shape)} if result.source_shape is not None else {}),
            },
        }
        if result.baseline_state is not None:
            entry["baselineState"] = result.baseline_state.value
        results.append(entry)
    driver: dict[str, Any] = {"name": TOOL_NAME, "informationUri": TOOL_URI, "rules": descriptors}
    if options.tool_version:
        driver["version"] = options.tool_version
        driver["semanticVersion"] = options.tool_version
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": {"id": f"{options.title.replace(' ', '/')}/"},
        "invocations": [
            {
                "executionSuccessful": True,
                "properties": {"asOf": report.as_of.isoformat() if report.as_of else None, "engine": report.engine},
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: ValidationReport, options: RenderOptions) -> str:
    return json.dumps(sarif_log(report, options), ensure_ascii=False, indent=2) + "\n"
