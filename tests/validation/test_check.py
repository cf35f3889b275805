"""``check``: the ontology's QA in the common report model."""

from __future__ import annotations

import shutil

import pytest

from crmkg.validation import Severity
from crmkg.validation.check import REASONER_RULE, check

from .conftest import AS_OF


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime")
def test_the_ontology_passes_its_own_qa() -> None:
    report = check(as_of=AS_OF)
    ids = {r.id for r in report.rules}
    assert REASONER_RULE.id in ids
    assert any(r.id.startswith("qc-") for r in report.rules)
    assert len(ids) > 5  # the meta-shapes are checks too
    violations = [r for r in report.results if r.severity is Severity.VIOLATION]
    assert not violations, [(r.rule_id, str(r.focus_node), r.message()) for r in violations]
    assert all(r.location is not None for r in report.results)


def test_reasoner_unavailable_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    from crmkg import reasoning

    def unavailable(paths: object) -> object:
        raise reasoning.ReasonerUnavailableError("owlready2 is not installed")

    monkeypatch.setattr(reasoning, "check_tbox_consistency", unavailable)
    report = check(as_of=AS_OF, meta_shapes=False, queries=False)
    (result,) = report.results
    assert result.severity is Severity.WARNING
    assert result.rule_id == "hermit"
    assert report.conforms("violation")
    assert not report.conforms("warning")
