"""The fast engine against pyshacl on small hand-written cases (data and shapes in one file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from crmkg.validation.engine import get_engine
from crmkg.validation.fast import FastEngine

from .conftest import PARAMETERS, result_keys

CASES = sorted((Path(__file__).parent / "cases").glob("*.ttl"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_fast_equals_pyshacl(case: Path) -> None:
    graph = Graph().parse(case)
    engine = FastEngine()
    fast = engine.validate(graph, graph, parameters=PARAMETERS)
    assert engine.last_plan is not None
    assert engine.last_plan.fallbacks == []  # these cases must compile entirely
    ref = get_engine("pyshacl").validate(graph, graph, parameters=PARAMETERS)
    fast_keys, ref_keys = result_keys(fast.results), result_keys(ref.results)
    assert ref_keys, "the case must produce findings, or it proves nothing"
    assert fast_keys - ref_keys == set()
    assert ref_keys - fast_keys == set()
