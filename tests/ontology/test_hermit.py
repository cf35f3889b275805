"""(b) HermiT (through owlready2) finds the TBox consistent, with every class satisfiable.

The broken fixtures prove that the check can fail. Needs Java; fails (never skips) without it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crmkg.errors import ReasoningError
from crmkg.reasoning import OntologyParseError, check_tbox_consistency

HERE = Path(__file__).resolve().parent
ONTOLOGY = HERE.parents[1] / "ontology"
MODULES = [ONTOLOGY / "akj-core.ttl", ONTOLOGY / "akj-schemes.ttl", ONTOLOGY / "akj-align.ttl"]
BROKEN = HERE / "data" / "hermit"


def test_tbox_is_consistent_and_every_class_satisfiable() -> None:
    result = check_tbox_consistency(MODULES)
    assert result.consistent
    assert result.unsatisfiable_classes == ()
    assert result.ok
    assert result.seconds < 30


def test_unsatisfiable_class_is_reported() -> None:
    result = check_tbox_consistency([*MODULES[:2], BROKEN / "unsatisfiable-class.ttl"])
    assert result.consistent
    assert result.unsatisfiable_classes == ("urn:crmkg:test:Hybrid",)
    assert not result.ok


def test_inconsistent_ontology_is_reported() -> None:
    result = check_tbox_consistency([*MODULES[:2], BROKEN / "inconsistent-individual.ttl"])
    assert not result.consistent
    assert not result.ok


def test_bad_turtle_raises_typed_error_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix akj: <https://w3id.org/crmkg/akj#> .\nakj:x akj:y .\n", encoding="utf-8")
    with pytest.raises(OntologyParseError) as info:
        check_tbox_consistency([bad])
    assert isinstance(info.value, ReasoningError)
    assert "broken.ttl" in str(info.value)


def test_missing_file_raises_typed_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyParseError, match="no such file"):
        check_tbox_consistency([tmp_path / "absent.ttl"])


def test_importing_reasoning_does_not_import_owlready2() -> None:
    code = "import sys, crmkg.reasoning; sys.exit(1 if 'owlready2' in sys.modules else 0)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_a_hung_reasoner_is_stopped_by_the_timeout() -> None:
    """A time limit far below HermiT's start-up time must end in a typed error, not a hang."""
    import owlready2

    with pytest.raises(ReasoningError, match="did not finish within"):
        check_tbox_consistency(MODULES, timeout_s=0.01)
    assert "timeout" not in owlready2.reasoning._subprocess_kargs  # the limit is not left behind
