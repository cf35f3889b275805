"""Incremental validation: after a change, re-validating only the affected focus nodes and merging
into the previous report gives exactly the report of a full run."""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from crmkg.validation.fast import FastEngine
from crmkg.validation.fast.incremental import sparql_reach, validate_changed
from crmkg.validation.parameters import substitute
from crmkg.validation.run import load_shapes, ontology_paths

from .conftest import PARAMETERS, result_keys

REPO = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=1)
def _before() -> tuple[Graph, Graph, Graph]:
    data = Graph()
    for f in sorted((REPO / "examples" / "esimerkki").glob("*.ttl")):
        data.parse(f)
    ontology = Graph()
    for f in ontology_paths():
        ontology.parse(f)
    return data, ontology, substitute(load_shapes(), PARAMETERS)


def _mutate(data: Graph, seed: int) -> tuple[Graph, list, list]:  # type: ignore[type-arg]
    """Remove a few triples and add a few rewired ones (same predicate, another object)."""
    rng = random.Random(seed)
    triples = sorted(data, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    removed = rng.sample(triples, 4)
    objects = sorted({o for _, p, o in triples if p != RDF.type}, key=str)
    added = []
    for s, p, _ in rng.sample(triples, 4):
        if p == RDF.type:
            continue
        added.append((s, p, rng.choice(objects)))
    after = Graph()
    for t in data:
        after.add(t)
    for t in removed:
        after.remove(t)
    for t in added:
        after.add(t)
    return after, removed, added


@pytest.mark.parametrize("seed", range(8))
def test_incremental_equals_full_run(seed: int) -> None:
    data, ontology, shapes = _before()
    engine = FastEngine()
    before = engine.validate(data + ontology, shapes, parameters=PARAMETERS)
    after_data, removed, added = _mutate(data, seed)
    after = engine.validate(after_data + ontology, shapes, parameters=PARAMETERS)
    inc = validate_changed(after_data + ontology, shapes, added, removed=removed, parameters=PARAMETERS)
    merged = inc.merge(before)
    assert result_keys(merged.results) == result_keys(after.results)
    # It must really be incremental: shapes with a short reach look at a small part of the data.
    subjects = {s for s in after_data.subjects() if isinstance(s, URIRef)}
    assert inc.restricted
    assert min(len(nodes) for nodes in inc.restricted.values()) < len(subjects) / 2


def test_changes_are_seen() -> None:
    """The mutations above do change the findings (else the equality would prove nothing)."""
    data, ontology, shapes = _before()
    engine = FastEngine()
    before = result_keys(engine.validate(data + ontology, shapes, parameters=PARAMETERS).results)
    changed = 0
    for seed in range(8):
        after_data, _, _ = _mutate(data, seed)
        after = result_keys(engine.validate(after_data + ontology, shapes, parameters=PARAMETERS).results)
        changed += after != before
    assert changed >= 4


@pytest.mark.parametrize(
    ("where", "path", "reach"),
    [
        ("$this ex:p ?v", 1, 1),
        ("$this ex:a/ex:b ?v", 1, 2),
        ("$this ex:a ?v, ?w ; ex:b [ ex:c ?x ]", 1, 4),
        ("$this ^ex:a|ex:b ?v", 1, 2),
        ("$this ex:list ( ?a ?b )", 1, 5),
        ("$this $PATH ?v . ?v ex:p ?w", 3, 4),
        ("$this ex:p ?a . FILTER (?a + 1 > ?a * 2)", 1, 1),  # arithmetic is no path operator
        ('$this ex:p ?a . FILTER (?a != "ex:q* ?b . ; ,") # ex:q+ ?c\n', 1, 1),
        ("$this ex:p ?a . FILTER NOT EXISTS { ?a ex:q ?b . ?b ex:r ?c }", 1, 3),
        ("$this ex:p* ?v", 1, None),
        ("$this (ex:p/ex:q)+ ?v", 1, None),
        ("$this ex:p ?v . FILTER NOT EXISTS { ?v ex:q+ ?w }", 1, None),
        ("$this ex:p ?v .. }", 1, None),  # not SPARQL: unbounded, so every focus node is checked
    ],
)
def test_sparql_reach_reads_the_syntax_tree(where: str, path: int, reach: int | None) -> None:
    assert sparql_reach(f"SELECT $this WHERE {{ {where} }}", path) == reach
