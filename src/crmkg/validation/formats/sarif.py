"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; one rule descriptor per check (``S5``, ``QA3``…); results point at the file and line
where the focus node is defined. GitHub needs a physical location on every result: a finding
whose focus node has no known file points at the first input file, line 1, and says so.
``partialFingerprints`` carries crmkg's finding hash so code scanning tracks findings across runs.
Paths are relative to ``%SRCROOT%`` (``--srcroot``; the run's ``originalUriBaseIds`` says where
it is). Input that could not be read is a failed invocation with a tool notification (with its
region), and a result where it has a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from crmkg.i18n import message
from crmkg.validation.formats._common import (
    TOOL_NAME,
    TOOL_URI,
    RenderOptions,
    compact,
    display_path,
    inside_srcroot,
    listed,
    rules_of,
)
from crmkg.validation.formats.json_text import dumps_indented
from crmkg.validation.input_errors import INPUT_ERROR, input_errors
from crmkg.validation.report import Severity, ValidationReport, ValidationResult, path_key, pick_message

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


SRCROOT = "%SRCROOT%"


def artifact_location(file: str, srcroot: Path | None) -> dict[str, str]:
    """A file relative to ``%SRCROOT%`` when it is under it, else its absolute ``file:`` URI."""
    if inside_srcroot(file, srcroot):
        return {"uri": quote(display_path(file, srcroot)), "uriBaseId": SRCROOT}
    return {"uri": Path(file).resolve().as_uri()}


def _physical(file: str, loc: ValidationResult | None, srcroot: Path | None) -> dict[str, Any]:
    location = loc.location if loc is not None else None
    region: dict[str, int] = {"startLine": location.line if location is not None and location.line else 1}
    if location is not None and location.line and location.column:
        region["startColumn"] = location.column
    return {"artifactLocation": artifact_location(file, srcroot), "region": region}


def _location(result: ValidationResult, fallback: str | None, srcroot: Path | None) -> list[dict[str, Any]]:
    file = result.location.file if result.location is not None else fallback
    logical = [{"fullyQualifiedName": str(result.focus_node), "kind": "resource"}]
    if file is None:
        return [{"logicalLocations": logical}]
    return [{"physicalLocation": _physical(file, result, srcroot), "logicalLocations": logical}]


def _notification(result: ValidationResult, options: RenderOptions) -> dict[str, Any]:
    note: dict[str, Any] = {
        "level": "error",
        "message": {"text": result.message(options.lang)},
        "descriptor": {"id": INPUT_ERROR},
    }
    if result.location is not None:
        note["locations"] = [{"physicalLocation": _physical(result.location.file, result, options.srcroot)}]
    return note


def sarif_log(report: ValidationReport, options: RenderOptions) -> dict[str, Any]:
    rules = rules_of(report)
    index = {rule.id: i for i, rule in enumerate(rules)}
    fallback = report.inputs[0] if report.inputs else None
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
    errors = input_errors(report)
    for result in listed(report, options, with_suppressed=True):
        if result in errors and result.location is None:
            continue  # no file to point at: the tool notification carries it
        text = result.message(options.lang) or f"{result.rule_id} on {compact(result.focus_node, options.prefixes)}"
        if result.location is None:
            text += " " + message("report.location_unknown", options.lang)
        entry: dict[str, Any] = {
            "ruleId": result.rule_id,
            "ruleIndex": index[result.rule_id],
            "level": LEVELS[result.severity],
            "message": {"text": text},
            "locations": _location(result, fallback, options.srcroot),
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
        if result.suppression is not None:
            suppression = {"kind": result.suppression.kind.value, "status": "accepted"}
            if result.suppression.justification:
                suppression["justification"] = result.suppression.justification
            entry["suppressions"] = [suppression]
        results.append(entry)
    driver: dict[str, Any] = {"name": TOOL_NAME, "informationUri": TOOL_URI, "rules": descriptors}
    if options.tool_version:
        driver["version"] = options.tool_version
        driver["semanticVersion"] = options.tool_version
    invocation: dict[str, Any] = {
        "executionSuccessful": not errors,
        "properties": {"asOf": report.as_of.isoformat() if report.as_of else None, "engine": report.engine},
    }
    if errors:
        invocation["toolExecutionNotifications"] = [_notification(r, options) for r in errors]
    root = (options.srcroot or Path.cwd()).resolve().as_uri().rstrip("/") + "/"
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": {"id": f"{options.title.replace(' ', '/')}/"},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": root}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: ValidationReport, options: RenderOptions) -> str:
    return dumps_indented(sarif_log(report, options)) + "\n"
