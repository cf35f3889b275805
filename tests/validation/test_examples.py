"""The example organisations: the clean one conforms, the broken one yields exactly its documented findings."""

from __future__ import annotations

import csv
from pathlib import Path

from crmkg.validation import Severity, ValidationReport
from crmkg.validation.report import ValidationResult

from .conftest import BROKEN, EXAMPLE


def _row(result: ValidationResult) -> tuple[str, str, str, str, str]:
    path = "" if result.path is None else result.path.n3()
    if path.startswith("<") and path.endswith(">") and path.count("<") == 1:
        path = path[1:-1]  # a plain predicate is written as its IRI
    return (
        result.shape_id or "",
        str(result.severity.iri),
        str(result.focus_node),
        path,
        str(result.constraint_component),
    )


def _expected(path: Path) -> set[tuple[str, ...]]:
    with path.open(encoding="utf-8", newline="") as f:
        return {
            (r["shape_id"], r["severity"], r["focus_node"], r["path"], r["constraint_component"])
            for r in csv.DictReader(f)
        }


def test_example_yields_exactly_its_documented_findings(example_report: ValidationReport) -> None:
    """The clean example shows its wanted findings (README): Warnings and Infos, and since issue 12
    one Violation — the lead who left on 2026-08-31 but still leads a relationship (S28a)."""
    expected = _expected(EXAMPLE / "expected-findings.csv")
    actual = {_row(r) for r in example_report.results}
    assert actual - expected == set(), "unexpected findings"
    assert expected - actual == set(), "missing findings"
    violations = {(r.shape_id, str(r.focus_node)) for r in example_report.results if r.severity is Severity.VIOLATION}
    assert violations == {("S28a", "https://example.org/esimerkki/asg-kiertotalous-metsapuu-lead-1")}
    assert example_report.rules


def test_broken_example_yields_exactly_its_documented_findings(broken_report: ValidationReport) -> None:
    expected = _expected(BROKEN / "expected-findings.csv")
    actual = {_row(r) for r in broken_report.results}
    assert actual - expected == set(), "unexpected findings"
    assert expected - actual == set(), "missing findings"


def test_every_broken_finding_points_at_a_line_in_the_data(broken_report: ValidationReport) -> None:
    for result in broken_report.results:
        assert result.location is not None, result
        assert Path(result.location.file).parent.name == "data"
        assert result.location.line is not None
        assert result.location.line >= 1
        # The line really mentions the focus node's local name (the subject starts there).
        text = Path(result.location.file).read_text(encoding="utf-8").splitlines()[result.location.line - 1]
        local = str(result.focus_node).rsplit("/", 1)[-1]
        assert local in text, (result.location, text)


def test_messages_in_both_languages(broken_report: ValidationReport) -> None:
    for result in broken_report.results:
        assert {"fi", "en"} <= set(result.messages), (result.shape_id, result.messages)
        assert result.message("fi") != result.message("en")
