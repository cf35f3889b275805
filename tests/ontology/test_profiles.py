"""(c) The TBox is inside OWL 2 RL and OWL 2 DL according to the OWL API's profile checkers.

Needs Java and Debian's libowlapi-java; the tests fail (never skip) when they are missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ONTOLOGY = HERE.parents[1] / "ontology"
CORE = ONTOLOGY / "akj-core.ttl"
SCHEMES = ONTOLOGY / "akj-schemes.ttl"
ALIGN = ONTOLOGY / "akj-align.ttl"
BROKEN = HERE / "data" / "profile"


def _describe(report) -> str:  # type: ignore[no-untyped-def]
    lines = [f"{p}: {v}" for p, v in report.verdicts.items()]
    for profile, items in report.violations.items():
        lines += [f"  {profile} violation: {text}" for text in items]
    lines += [f"  unparsed triple: {t}" for t in report.unparsed]
    return "\n".join(lines)


@pytest.mark.parametrize(
    "files",
    [(CORE, SCHEMES), (CORE, SCHEMES, ALIGN)],
    ids=["core+schemes", "core+schemes+align"],
)
def test_tbox_is_owl2_rl_and_dl(profile_checker, files) -> None:  # type: ignore[no-untyped-def]
    report = profile_checker.check(*files)
    assert report.verdicts == {"DL": "IN", "RL": "IN"}, _describe(report)
    assert report.violations == {"DL": [], "RL": []}, _describe(report)
    assert report.unparsed == [], _describe(report)


def test_union_range_is_caught_as_outside_rl(profile_checker) -> None:  # type: ignore[no-untyped-def]
    report = profile_checker.check(CORE, SCHEMES, BROKEN / "union-range.ttl")
    assert report.verdicts == {"DL": "IN", "RL": "OUT"}, _describe(report)
    assert any("ObjectUnionOf" in v for v in report.violations["RL"]), _describe(report)


def test_date_range_is_caught_as_outside_dl(profile_checker) -> None:  # type: ignore[no-untyped-def]
    report = profile_checker.check(CORE, SCHEMES, BROKEN / "date-range.ttl")
    assert report.verdicts["DL"] == "OUT", _describe(report)
    assert any("xsd:date" in v or "XMLSchema#date" in v for v in report.violations["DL"]), _describe(report)
