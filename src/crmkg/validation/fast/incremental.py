"""Incremental validation: re-validate only the focus nodes that changed triples can affect.

A shape looks at most *r* edges away from its focus node (its *reach*: path lengths, nested shapes,
the triple patterns of its SPARQL constraints; unbounded with ``*``/``+`` paths). A change to a
triple can therefore only change the results of focus nodes within *r* edges of the triple's
subject or object, following edges in either direction (so nodes reached through inverse paths
count). Edges ``rdf:type`` and ``rdfs:subClassOf`` are not walked: a type change touches its
subject, which is the node the shapes look at; a change to the class hierarchy re-validates all.

Roots whose reach is unbounded, that fall back to the reference engine, or whose nested property
shapes report on value nodes rather than on the root's focus nodes run in full. The result can be
merged into the previous full report with :meth:`IncrementalReport.merge` and then equals a full run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.paths import AlternativePath, InvPath, MulPath, Path, SequencePath
from rdflib.term import Node

from crmkg.errors import QuerySyntaxError
from crmkg.sparql.parser import Node as SyntaxNode
from crmkg.sparql.parser import parse
from crmkg.store import Store
from crmkg.store.terms import from_ox, to_ox
from crmkg.validation.fast.engine import FastEngine, as_store, fallback_notes, plan_for
from crmkg.validation.fast.results import dedupe, results_of_checks
from crmkg.validation.fast.shapes import ShapeNode, ShapeView, all_shapes, sh
from crmkg.validation.fast.sparqltext import Uncompilable
from crmkg.validation.parameters import ValidationParameters
from crmkg.validation.protocol import DataGraph
from crmkg.validation.report import ValidationReport, ValidationResult
from crmkg.validation.shacl_graph import ShapeNamer

Triple = tuple[Node, Node, Node]

_NESTED_ONE = ("node", "not", "qualifiedValueShape")
_NESTED_LIST = ("and", "or", "xone")
_PAIR = ("equals", "disjoint", "lessThan", "lessThanOrEquals")


def touched_nodes(triples: Iterable[Triple | ox.Quad | ox.Triple]) -> tuple[set[Node], bool]:
    """Subjects and objects (IRIs and blank nodes) of the changed triples, and whether the class
    hierarchy changed (then every shape must run in full)."""
    nodes: set[Node] = set()
    hierarchy = False
    for t in triples:
        s: Node
        p: Node
        o: Node
        if isinstance(t, ox.Quad | ox.Triple):
            s, p, o = from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)
        else:
            s, p, o = t
        if p == RDFS.subClassOf:
            hierarchy = True
        for n in (s, o):
            if isinstance(n, URIRef | BNode):
                nodes.add(n)
    return nodes, hierarchy


def path_reach(path: URIRef | Path) -> int | None:
    """How many edges a path walks at most (``None``: unbounded)."""
    if isinstance(path, URIRef):
        return 1
    if isinstance(path, InvPath):
        return path_reach(path.arg)
    if isinstance(path, SequencePath):
        parts = [path_reach(a) for a in path.args]
        return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
    if isinstance(path, AlternativePath):
        parts = [path_reach(a) for a in path.args]
        return None if any(p is None for p in parts) else max(p for p in parts if p is not None)
    if isinstance(path, MulPath):
        return path_reach(path.path) if path.mod == "?" else None
    return None


def sparql_reach(text: str, path: int) -> int | None:
    """An upper bound for the edges a SPARQL constraint walks from ``$this``, read from its syntax tree.

    Every triple pattern counts its predicate's edges (a path counts each step; ``$PATH`` counts
    ``path``), once per object; a collection counts two edges per member. ``None`` (unbounded) for a
    ``*`` or ``+`` path, or a text the SPARQL 1.1 grammar does not cover.
    """
    try:
        tree = parse(text)
    except QuerySyntaxError:
        return None
    edges = 0
    for node in tree.walk():
        if node.rule in ("Collection", "CollectionPath"):
            edges += 2 * sum(isinstance(member, SyntaxNode) for member in node.children)
            continue
        if node.rule not in ("PropertyListNotEmpty", "PropertyListPathNotEmpty"):
            continue
        verb_edges = 0
        for child in node.children:
            if not isinstance(child, SyntaxNode):
                continue
            if child.rule in ("Verb", "VerbPath", "VerbSimple"):
                found = _verb_edges(child, path)
                if found is None:
                    return None
                verb_edges = found
            elif child.rule in ("ObjectList", "ObjectListPath"):
                edges += verb_edges * sum(isinstance(item, SyntaxNode) for item in child.children)
    return edges


def _verb_edges(verb: SyntaxNode, path: int) -> int | None:
    """The edges one predicate walks: 1, ``path`` for ``$PATH``, each step of a path, ``None`` if unbounded."""
    toks = list(verb.tokens())
    if len(toks) == 1 and toks[0].kind in ("VAR1", "VAR2") and toks[0].text[1:] == "PATH":
        return path
    if any(token.kind in ("*", "+") for token in toks):  # a path modifier: no other '*' or '+' in a verb
        return None
    return max(1, sum(node.rule == "PathPrimary" for node in verb.walk()))


class _Reach:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def shape(self, view: ShapeView, stack: tuple[ShapeNode, ...] = ()) -> int | None:
        if view.node in stack or view.deactivated:
            return 0 if view.deactivated else None
        stack = (*stack, view.node)
        path = view.path()
        p = 0 if path is None else path_reach(path.value)
        if p is None:
            return None
        reaches = [p]
        nested: list[Node] = []
        for name in _NESTED_ONE:
            nested.extend(view.values(sh(name)))
        for name in _NESTED_LIST:
            for lst in view.values(sh(name)):
                nested.extend(view.list_items(lst))
        nested.extend(view.values(sh("property")))
        for n in nested:
            r = self.shape(view.other(n), stack)
            if r is None:
                return None
            reaches.append(p + r)
        if any(view.has(sh(name)) for name in _PAIR) or view.has(sh("closed")):
            reaches.append(max(p, 1) + 1)
        for c in view.values(sh("sparql")):
            select = self.graph.value(c, sh("select"))
            r = sparql_reach(str(select), p) if select is not None else None
            if r is None:
                return None
            reaches.append(r)
        return max(reaches)


def _tree(view: ShapeView, out: set[ShapeNode]) -> bool:
    """Collect the shapes of a root's tree; False if a property shape nests property shapes."""
    if view.node in out:
        return True
    out.add(view.node)
    flat = True
    for n in view.values(sh("property")):
        child = view.other(n)
        if view.is_property_shape:
            flat = False
        flat = _tree(child, out) and flat
    for name in _NESTED_ONE:
        for n in view.values(sh(name)):
            out.add(n) if isinstance(n, URIRef | BNode) else None
    return flat


def _neighbours(store: Store, node: Node) -> set[Node]:
    if not isinstance(node, URIRef | BNode):
        return set()
    ox_node = to_ox(node)
    assert not isinstance(ox_node, ox.Literal)
    out: set[Node] = set()
    for q in store.quads_for_pattern(ox_node, None, None):
        if q.predicate.value not in _NOT_WALKED and not isinstance(q.object, ox.Literal):
            out.add(from_ox(q.object))
    for q in store.quads_for_pattern(None, None, ox_node):
        if q.predicate.value not in _NOT_WALKED:
            out.add(from_ox(q.subject))
    return out


_NOT_WALKED = {str(RDF.type), str(RDFS.subClassOf)}


def neighbourhood(store: Store, start: set[Node], radius: int) -> set[Node]:
    """Nodes within ``radius`` edges of ``start`` (either direction, not via rdf:type/subClassOf).

    On a remote store blank nodes cannot be named in a query, so only IRIs are walked there."""
    seen = set(start)
    frontier: list[Node] = [n for n in start if isinstance(n, URIRef | BNode)]
    for _ in range(radius):
        found: set[Node] = set()
        for n in frontier:
            found |= _neighbours(store, n)
        new = found - seen
        seen |= new
        frontier = list(new)
        if not frontier:
            break
    return seen


@dataclass
class IncrementalReport:
    """The results for the re-validated focus nodes, and what was re-validated."""

    report: ValidationReport
    #: root shape → the focus nodes re-validated (roots not listed ran in full).
    restricted: Mapping[ShapeNode, frozenset[Node]] = field(default_factory=dict)
    #: shape → the root shapes whose tree it belongs to.
    roots_of: Mapping[ShapeNode, frozenset[ShapeNode]] = field(default_factory=dict)
    full_roots: frozenset[ShapeNode] = frozenset()

    def replaces(self, result: ValidationResult) -> bool:
        """Whether a result of the previous full run is superseded by this run."""
        roots = self.roots_of.get(result.source_shape) if result.source_shape is not None else None
        if not roots:
            return True  # a shape we cannot place: re-validated (fallback roots run in full)
        for root in roots:
            if root in self.full_roots:
                return True
            if isinstance(result.focus_node, BNode) and root in self.restricted:
                return True  # blank-node focus nodes are always re-validated
            if result.focus_node in self.restricted.get(root, frozenset()):
                return True
        return False

    def merge(self, previous: ValidationReport) -> ValidationReport:
        """``previous`` with the superseded results replaced by this run's."""
        kept = [r for r in previous.results if not self.replaces(r)]
        return previous.replace(results=tuple(dedupe([*kept, *self.report.results])))


def validate_changed(
    data: DataGraph,
    shapes: Graph,
    changed: Iterable[Triple | ox.Quad | ox.Triple],
    *,
    parameters: ValidationParameters,
    removed: Iterable[Triple | ox.Quad | ox.Triple] = (),
) -> IncrementalReport:
    """Validate ``data`` (the state after the change) only where ``changed`` triples (and the
    ``removed`` ones, which are no longer in ``data``) can make a difference."""
    touched, hierarchy = touched_nodes([*changed, *removed])
    store = as_store(data)
    reach = _Reach(shapes)
    roots_of: dict[ShapeNode, set[ShapeNode]] = {}
    root_views = [v for v in all_shapes(shapes) if v.has_targets() and not v.deactivated]
    flat: dict[ShapeNode, bool] = {}
    for view in root_views:
        members: set[ShapeNode] = set()
        flat[view.node] = _tree(view, members)
        for m in members:
            roots_of.setdefault(m, set()).add(view.node)
    shared = {r for members in roots_of.values() if len(members) > 1 for r in members}
    restrict: dict[ShapeNode, frozenset[Node]] = {}
    cache: dict[int, set[Node]] = {}
    for view in root_views:
        try:
            r = reach.shape(view)
        except Uncompilable:
            r = None
        if hierarchy or r is None or not flat[view.node] or view.node in shared:
            continue
        if r not in cache:
            cache[r] = neighbourhood(store, touched, r)
        restrict[view.node] = frozenset(cache[r])
    plan = plan_for(shapes, store, restrict=restrict)
    engine = FastEngine()
    notes = fallback_notes(plan, shapes, engine.reference_name)
    results = results_of_checks(engine.run_checks(store, plan.checks), ShapeNamer(shapes))
    if plan.fallbacks:
        results.extend(engine.run_fallback(data, shapes, plan, parameters))
    fallback_roots = {fb.shape for fb in plan.fallbacks}
    restrict = {k: v for k, v in restrict.items() if k not in fallback_roots}
    full = frozenset(v.node for v in root_views if v.node not in restrict)
    report = ValidationReport(
        results=tuple(dedupe(results)),
        engine="fast",
        as_of=parameters.today,
        parameters=parameters.as_strings(),
        notes=tuple(notes),
    )
    return IncrementalReport(
        report=report,
        restricted=restrict,
        roots_of={k: frozenset(v) for k, v in roots_of.items()},
        full_roots=full,
    )
