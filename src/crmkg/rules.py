"""Apply the CONSTRUCT rules of ``queries/rules/`` to a store (``crmkg infer``).

The rules derive what OWL cannot: the ``hasOwner``/``hasLead`` shortcuts from the assignments
current on a date, the internal/external classification (a join on the organisation structure),
and customer-model inheritance. Each rule runs once against the store as it is; none of them
reads another rule's output, so one pass is the fixpoint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph

from crmkg.catalogue import Catalogue, QueryKind, QuerySpec, RawValue, bind
from crmkg.errors import QueryError
from crmkg.namespaces import INFERRED_GRAPH, PREFIXES
from crmkg.store import GraphResult, Store
from crmkg.store.terms import to_rdflib_graph

__all__ = ["INFERRED_GRAPH", "Inference", "dated", "infer", "rule_specs", "unstated"]


@dataclass(frozen=True)
class Inference:
    """The triples the rules derived: all of them (each once), and how many each rule produced."""

    triples: tuple[ox.Triple, ...]
    per_rule: Mapping[str, int] = field(default_factory=dict)
    written: int = 0

    def to_rdflib(self) -> Graph:
        """The derived triples as an rdflib graph, with crmkg's prefixes bound."""
        graph = to_rdflib_graph(self.triples)
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri)
        return graph


def rule_specs(catalogue: Catalogue, only: Sequence[str] | None = None) -> list[QuerySpec]:
    """The rules to apply: all of ``queries/rules/`` in id order, or the ones named."""
    if only:
        specs = [catalogue.get(name) for name in only]
        for spec in specs:
            if spec.kind is not QueryKind.RULE:
                raise QueryError(key="error.not_a_rule", query=spec.id, kind=spec.kind.value)
        return specs
    return catalogue.list(QueryKind.RULE)


def dated(spec: QuerySpec) -> bool:
    """Whether a rule's results may change with its parameters (the day, for ``asOf``) and not
    only with the data: one that takes any."""
    return bool(spec.params)


def unstated(store: Store, triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The ``triples`` a graph can hold (no literal subject, no triple-term object) that ``store``
    holds in no graph yet: a derived triple the data states already would answer twice over the union."""
    return [
        t
        for t in triples
        if isinstance(t.subject, ox.NamedNode | ox.BlankNode)
        and not isinstance(t.object, ox.Triple)
        and next(iter(store.quads_for_pattern(t.subject, t.predicate, t.object)), None) is None
    ]


def infer(
    store: Store,
    catalogue: Catalogue | None = None,
    *,
    params: Mapping[str, RawValue] | None = None,
    rules: Sequence[str] | None = None,
    write: bool = False,
) -> Inference:
    """Run the rules on ``store``; with ``write=True`` add the results the store does not hold yet
    to :data:`INFERRED_GRAPH` (``written`` counts them).

    ``params`` are offered to every rule; each rule takes only those it declares (``asOf`` for
    the shortcut rule), so a missing required one raises :class:`~crmkg.errors.BindingError`.
    """
    cat = catalogue or Catalogue()
    given = dict(params or {})
    combined: dict[ox.Triple, None] = {}
    per_rule: dict[str, int] = {}
    for spec in rule_specs(cat, rules):
        if spec.form != "construct":
            raise QueryError(key="error.rule_not_construct", path=spec.path)
        own = {p.name: given[p.name] for p in spec.params if p.name in given}
        result = store.query(spec.text, bindings=bind(spec, own))
        if not isinstance(result, GraphResult):
            raise QueryError(key="error.rule_no_graph", query=spec.id)
        per_rule[spec.id] = len(result)
        combined.update(dict.fromkeys(result.triples))
    triples = tuple(combined)
    written = 0
    if write and triples:
        graph_name = ox.NamedNode(INFERRED_GRAPH)
        # only what the store does not hold yet (written before, or stated by the data itself)
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph_name) for t in unstated(store, triples)]
        if quads:
            store.add_quads(quads)
        written = len(quads)
    return Inference(triples, per_rule, written)
