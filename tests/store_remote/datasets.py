"""The data every catalogue query is run on, on every engine, and the reference answers.

Four datasets, each with the ontology: the example organisation, its broken twin (every quality
check has rows there), an organisation from ``bench/generate.py`` with injected defects (more
shapes of data than the hand-written examples), and ``data/dated-organisation.ttl`` (dated
memberships and cycles, which the examples lack). The reference answer of a query is embedded
Oxigraph's on the same quads; the CQs on the example are also checked against their expected
files (tests/catalogue/expected), so the reference itself is pinned.
"""

from __future__ import annotations

import collections
import importlib.util
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib.compare import to_isomorphic

from crmkg import resources
from crmkg.catalogue import Catalogue, QueryKind
from crmkg.loading import parse_paths
from crmkg.store import GraphResult, QueryResult, Store, open_store
from crmkg.store.terms import XSD, Term, to_rdflib_graph

from ..catalogue.conftest import AS_OF, multiset, params_for

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
GRAPH_PREFIX = "urn:crmkg:test:data:"


def generated_file(folder: Path, relationships: int = 300) -> Path:
    """An organisation from ``bench/generate.py`` (``relationships``) with injected defects, in ``folder``."""
    spec = importlib.util.spec_from_file_location("crmkg_bench_generate", REPO / "bench" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    path = folder / "generated.nt"
    module.generate_to_file(path, relationships=relationships, seed=5, defects=0.3, defect_seed=3)
    return path


def dataset_sources(folder: Path) -> dict[str, Callable[[], list[Path]]]:
    """Dataset name → the files it is parsed from (the ontology included)."""
    onto = list(resources.ontology_files())
    return {
        "esimerkki": lambda: [*onto, resources.example_dir("esimerkki")],
        "esimerkki-broken": lambda: [*onto, resources.example_dir("esimerkki-broken") / "data"],
        "generated": lambda: [*onto, generated_file(folder)],
        "dated-organisation": lambda: [*onto, HERE / "data" / "dated-organisation.ttl"],
    }


DATASETS = ("esimerkki", "esimerkki-broken", "generated", "dated-organisation")


def graph_of(dataset: str) -> str:
    """The named graph a dataset is loaded into on a server (queries name it as their default graph)."""
    return GRAPH_PREFIX + dataset


@cache
def catalogue() -> Catalogue:
    return Catalogue()


def query_ids() -> list[str]:
    """Every catalogue query: CQs, quality checks, rules and lookup building blocks."""
    kinds = (QueryKind.CQ, QueryKind.QC, QueryKind.RULE, QueryKind.LOOKUP)
    return [spec.id for kind in kinds for spec in catalogue().list(kind)]


def _first(store: Store, sparql: str) -> Term:
    """The first row's value, or an IRI the data does not hold (a lookup then answers nothing)."""
    rows = getattr(store.query(sparql), "rows", [])
    value: Term = rows[0][0] if rows else ox.NamedNode("https://example.org/not-in-the-data")
    return value


def lookup_bindings(store: Store) -> dict[str, Term]:
    """Values for the lookup queries' parameters, read from the dataset itself."""
    akj = "https://w3id.org/crmkg/akj#"
    relationship = _first(
        store,
        f"SELECT ?r WHERE {{ ?a <{akj}assignmentFor> ?r ; <{akj}responsibilityRole> <{akj}OwnerRole> }} "
        "ORDER BY ?r LIMIT 1",
    )
    agent = _first(store, f"SELECT ?who WHERE {{ ?a <{akj}assignee> ?who }} ORDER BY ?who LIMIT 1")
    party = _first(store, f"SELECT ?p WHERE {{ ?r <{akj}hasPayer>|<{akj}hasUser> ?p }} ORDER BY ?p LIMIT 1")
    return {
        "relationship": relationship,
        "agent": agent,
        "party": party,
        "resource": relationship,
        "asOf": ox.Literal(AS_OF.isoformat(), datatype=ox.NamedNode(XSD + "date")),
        "lang": ox.Literal("fi"),
    }


def bindings_for(query_id: str, lookups: dict[str, Term]) -> dict[str, Term]:
    """The parameters a query is run with: the catalogue's standard ones, or the lookup values it names."""
    cat = catalogue()
    spec = cat.get(query_id)
    if spec.kind is QueryKind.LOOKUP:
        return {name: value for name, value in lookups.items() if f"${name}" in spec.text}
    params = params_for(cat, query_id)
    if any(p.name == "asOf" for p in spec.params):
        params.setdefault("asOf", AS_OF.isoformat())
    return dict(cat.bind(spec, params))


def comparable(result: QueryResult) -> object:
    """Rows as a multiset of bindings; a graph up to blank-node renaming; a boolean as it is."""
    if isinstance(result, GraphResult):
        return to_isomorphic(to_rdflib_graph(result.triples))
    if hasattr(result, "value"):
        return result.value
    return multiset(result)


def describe(result: object) -> str:
    if isinstance(result, collections.Counter):
        return f"{sum(result.values())} rows"
    return repr(result)[:200]


class Reference:
    """Each dataset parsed once and held in embedded Oxigraph, with the answers computed on it."""

    def __init__(self, folder: Path) -> None:
        self._sources = dataset_sources(folder)
        self._quads: dict[str, list[ox.Quad]] = {}
        self._stores: dict[str, Store] = {}
        self._lookups: dict[str, dict[str, Term]] = {}
        self._answers: dict[tuple[str, str], object] = {}

    def quads(self, dataset: str) -> list[ox.Quad]:
        if dataset not in self._quads:
            _, quads = parse_paths(self._sources[dataset]())
            self._quads[dataset] = quads
        return self._quads[dataset]

    def store(self, dataset: str) -> Store:
        if dataset not in self._stores:
            store = open_store()
            store.add_quads(self.quads(dataset))
            self._stores[dataset] = store
        return self._stores[dataset]

    def lookups(self, dataset: str) -> dict[str, Term]:
        if dataset not in self._lookups:
            self._lookups[dataset] = lookup_bindings(self.store(dataset))
        return self._lookups[dataset]

    def bindings(self, dataset: str, query_id: str) -> dict[str, Term]:
        return bindings_for(query_id, self.lookups(dataset))

    def answer(self, dataset: str, query_id: str) -> object:
        """Embedded Oxigraph's answer, computed once for all engines."""
        key = (dataset, query_id)
        if key not in self._answers:
            spec = catalogue().get(query_id)
            result = self.store(dataset).query(spec.text, bindings=self.bindings(dataset, query_id))
            self._answers[key] = comparable(result)
        return self._answers[key]
