"""Baselines: fail only on findings that an earlier report (``--format json``) did not have.

Findings are matched by :meth:`ValidationResult.fingerprint` (rule, component, focus node, path,
value — not file position, so moving data between files changes nothing). A baseline file is any
crmkg JSON report; its ``results[].fingerprint`` values are the accepted findings.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from crmkg.errors import Phrase, SourceLocation, UsageError
from crmkg.validation.report import BaselineState, ValidationReport


def read_json_report(path: Path | str, role: str) -> dict[str, Any]:
    """A crmkg JSON report (``--format json``) read as ``role`` (``baseline`` or ``previous``); a
    :class:`UsageError` naming the file, and the line for bad JSON, for anything else."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(
            key="error.report_unreadable",
            path=path,
            role=Phrase(f"report_role.{role}"),
            reason=exc.strerror or exc,
            location=SourceLocation(str(path)),
        ) from exc
    except json.JSONDecodeError as exc:
        raise UsageError(
            key="error.report_not_json",
            path=path,
            line=exc.lineno,
            column=exc.colno,
            role=Phrase(f"report_role.{role}"),
            problem=exc.msg,
            location=SourceLocation(str(path), exc.lineno, exc.colno),
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise UsageError(key="error.report_not_crmkg", path=path, location=SourceLocation(str(path)))
    return data


def read_baseline(path: Path | str) -> set[str]:
    """The fingerprints in a crmkg JSON report; a clear :class:`UsageError` for anything else."""
    results = read_json_report(path, "baseline")["results"]
    fingerprints: set[str] = set()
    for number, item in enumerate(results, start=1):
        fingerprint = item.get("fingerprint") if isinstance(item, dict) else None
        if not isinstance(fingerprint, str):
            raise UsageError(key="error.report_no_fingerprint", path=path, number=number)
        fingerprints.add(fingerprint)
    return fingerprints


def apply_baseline(report: ValidationReport, accepted: set[str]) -> ValidationReport:
    """Mark each result ``new`` or ``unchanged`` and count the accepted findings that are gone."""
    seen: set[str] = set()
    marked = []
    for result in report.results:
        fingerprint = result.fingerprint()
        seen.add(fingerprint)
        state = BaselineState.UNCHANGED if fingerprint in accepted else BaselineState.NEW
        marked.append(replace(result, baseline_state=state))
    return replace(report, results=tuple(marked), baseline_fixed=len(accepted - seen))
