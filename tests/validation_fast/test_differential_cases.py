"""The fast engine against pyshacl on small hand-written cases (data and shapes in one file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from crmkg.validation.engine import get_engine
from crmkg.validation.fast import FastEngine
from crmkg.validation.fast.engine import as_store
from crmkg.validation.fast.user_sparql.scan import balanced_end, mask

from .conftest import PARAMETERS, message_keys, result_keys

CASES = sorted((Path(__file__).parent / "cases").glob("*.ttl"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_fast_equals_pyshacl(case: Path) -> None:
    graph = Graph().parse(case)
    engine = FastEngine()
    fast = engine.validate(graph, graph, parameters=PARAMETERS)
    assert engine.plan(graph).fallbacks == []  # these cases must compile entirely
    ref = get_engine("pyshacl").validate(graph, graph, parameters=PARAMETERS)
    fast_keys, ref_keys = result_keys(fast.results), result_keys(ref.results)
    assert ref_keys, "the case must produce findings, or it proves nothing"
    assert fast_keys - ref_keys == set()
    assert ref_keys - fast_keys == set()
    # Messages too: templates filled from each SPARQL row as the reference fills them.
    assert message_keys(fast.results, sparql_only=True) == message_keys(ref.results, sparql_only=True)


def test_message_variables_are_filled_per_row() -> None:
    """The case file really exercises row variables (else the equality above proves little)."""
    graph = Graph().parse(Path(__file__).parent / "cases" / "sparql.ttl")
    fast = FastEngine().validate(graph, graph, parameters=PARAMETERS)
    shared = {r.messages["en"] for r in fast.results if "shared with" in r.messages.get("en", "")}
    assert "http://example.org/t#p3 is shared with http://example.org/t#p4; {?unprojected}" in shared
    assert "http://example.org/t#p3 is shared with http://example.org/t#p5; {?unprojected}" in shared
    counts = {r.messages["en"] for r in fast.results if "owners of" in r.messages.get("en", "")}
    assert counts == {"2 owners of http://example.org/t#p3 ({?path} is not in the row)"}


def test_factored_anti_join_is_what_runs() -> None:
    """sparql-factored.ttl's NOT EXISTS is split by key (else its equality above proves nothing of it)."""
    graph = Graph().parse(Path(__file__).parent / "cases" / "sparql-factored.ttl")
    store = as_store(graph)  # the store validate() runs on: the plan is compiled for it
    (query,) = [c.query for c in FastEngine().plan(graph, store).checks]
    assert "{ SELECT DISTINCT ?provider ?top WHERE" in query
    assert "{ SELECT DISTINCT ?value ?top WHERE" in query


def test_optional_is_joined_after_the_lateral() -> None:
    """sparql-optional-after.ttl's OPTIONAL runs once for all keys, after the LATERAL (else its
    equality above proves nothing of that form), and the case has the findings its comment names."""
    case = Path(__file__).parent / "cases" / "sparql-optional-after.ttl"
    graph = Graph().parse(case)
    store = as_store(graph)
    (query,) = [c.query for c in FastEngine().plan(graph, store).checks]
    masked = mask(query)
    start = masked.index("LATERAL {") + len("LATERAL ")
    per_key = masked[start : balanced_end(masked, start, "{", "}")]
    assert "OPTIONAL" not in per_key
    after = query[start + len(per_key) :]
    assert "OPTIONAL { ?tenure ex:post ?owner" in after
    fast = FastEngine().validate(graph, graph, parameters=PARAMETERS)
    found = {str(r.focus_node).rsplit("#", 1)[1] for r in fast.results}
    assert found == {"p3early", "p4", "p5gap", "p6", "p7"}


def test_right_side_leaves_out_the_focus_only_where_its_own_triples_bind_this() -> None:
    """sparql-right-side.ttl: the anti-joins whose patterns name ``$this`` (a triple, a path with
    ``*``) run without the class target's focus; the one naming it only in a FILTER and the one inside
    a UNION keep it (else the equality above proves nothing of either form), and the findings are
    those the comments name."""
    case = Path(__file__).parent / "cases" / "sparql-right-side.ttl"
    graph = Graph().parse(case)
    store = as_store(graph)
    queries = {str(c.shape).rsplit("#", 1)[1]: c.query for c in FastEngine().plan(graph, store).checks}
    focus = "subClassOf>* <http://example.org/t#Plan>"

    def right_side(query: str) -> str:
        masked = mask(query)
        start = masked.index("MINUS {") + len("MINUS ")
        return query[start : balanced_end(masked, start, "{", "}")]

    assert "MINUS {" in queries["ApprovedShape"]
    assert focus not in right_side(queries["ApprovedShape"])
    assert focus not in right_side(queries["FollowedShape"])
    assert focus in right_side(queries["NotedShape"])
    assert focus in right_side(queries["NotedFilterShape"])
    fast = FastEngine().validate(graph, graph, parameters=PARAMETERS)
    found = {(str(r.source_shape).rsplit("#", 1)[1], str(r.focus_node).rsplit("#", 1)[1]) for r in fast.results}
    assert found == {
        ("ApprovedShape", "p2"),
        ("ApprovedShape", "p3"),
        ("FollowedShape", "p2"),
        ("FollowedShape", "p3"),
        ("NotedShape", "p3"),
        ("NotedFilterShape", "p1"),
        ("NotedFilterShape", "p3"),
        ("NotedFilterShape", "p4"),
    }


def test_a_group_whose_pattern_names_this_takes_the_focus_test_not_the_focus_walk() -> None:
    """sparql-binds.ttl's group binds ``$this`` by triples beside BINDs (as S30): the focus is tested
    per row at its end instead of walked as a sub-query at its start (else the equality above proves
    nothing of that form)."""
    graph = Graph().parse(Path(__file__).parent / "cases" / "sparql-binds.ttl")
    store = as_store(graph)
    (query,) = [c.query for c in FastEngine().plan(graph, store).checks]
    assert "subClassOf>* <http://example.org/t#Contract>" not in query
    assert "FILTER EXISTS" in query
    assert "<http://example.org/t#Contract>" in query
