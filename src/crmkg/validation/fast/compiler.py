"""SHACL shapes compiled to set-based SPARQL: one SELECT per constraint finds every violation at once.

Building blocks (all SPARQL group patterns, texts):

- a *focus pattern* binds one variable to every focus node; it is always a closed sub-query
  ``{ SELECT DISTINCT ?x WHERE { … } }``, so its inner variables never meet the outer ones;
- a *violation pattern* for one constraint joins the focus pattern with the failing value nodes;
- ``violators(shape, focus)`` is the set of focus nodes that do not conform to a shape (the union
  of its constraints' violation patterns), again a closed sub-query. Logical and shape-based
  constraints (``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``,
  ``sh:qualifiedValueShape``) join with it or subtract it (``MINUS``), which keeps them set-based
  instead of one ``FILTER NOT EXISTS`` evaluation per node.

This module is the plumbing (variables, closed patterns, class tests), the targets and the plan;
each constraint parameter is compiled by its handler in :mod:`crmkg.validation.fast.constraints`
(one module per family, looked up in its table). Result semantics (which focus, value and path a
result carries) follow the reference engine, pyshacl, so the two can be compared result by result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.paths import Path
from rdflib.term import Node

from crmkg.errors import CrmkgError
from crmkg.validation.fast import member_tests
from crmkg.validation.fast.constraints import HANDLERS
from crmkg.validation.fast.constraints.base import SHARED_TYPE, Shared, Stack, Violation
from crmkg.validation.fast.hierarchy import ClassHierarchy
from crmkg.validation.fast.shapes import ShapeNode, ShapeView, all_shapes, sh
from crmkg.validation.fast.sharing import share
from crmkg.validation.fast.sparqltext import Uncompilable, iri, term
from crmkg.validation.report import Severity

RDF_TYPE_SUBCLASS = f"{iri(str(RDF.type))}/{iri(str(RDFS.subClassOf))}*"

#: A group with no solutions: what a shape without constraints (or a deactivated one) yields as
#: violators. A group, not a bare FILTER, because it may stand after MINUS.
_NOTHING = "{ FILTER(false) }"

DEFAULT_PREFIXES = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": "http://www.w3.org/ns/shacl#",
}


@dataclass(frozen=True)
class Check:
    """One query that returns the violations of one constraint of one shape.

    Each solution is a result: ``focus_var`` is the focus node; ``value_var``/``path_var`` (when
    set and bound) the value and path. Unbound, the value defaults to the focus node when
    ``value_defaults_to_focus`` and the path to ``result_path``.
    """

    shape: ShapeNode
    component: URIRef
    query: str
    focus_var: str
    severity: Severity
    result_path: URIRef | Path | None
    value_var: str | None = None
    path_var: str | None = None
    value_defaults_to_focus: bool = False
    messages: tuple[Literal, ...] = ()
    source_constraint: Node | None = None
    root: ShapeNode | None = None
    #: SHACL-SPARQL only: (template variable, result column) for the row's other variables that
    #: the messages mention, e.g. ``("other", "_m7")`` for ``{?other}``.
    message_vars: tuple[tuple[str, str], ...] = ()
    #: The same violations as a pattern other checks may share (see :class:`Shared`); when the plan
    #: runs it (:func:`~crmkg.validation.fast.sharing.share`), ``keep_types`` holds the focus
    #: types whose rows are this check's.
    shared: Shared | None = None
    keep_types: frozenset[str] = frozenset()

    @property
    def type_var(self) -> str | None:
        """The column of the focus node's type, when the check keeps only some types' rows."""
        return SHARED_TYPE[1:] if self.keep_types else None

    @property
    def fills_templates(self) -> bool:
        """Whether ``{?var}`` templates are filled from the row (SHACL-SPARQL), as the reference does."""
        return self.component == sh("SPARQLConstraintComponent")


@dataclass(frozen=True)
class Fallback:
    """A shape with targets that could not be compiled, and why."""

    shape: ShapeNode
    reason: str


@dataclass
class Plan:
    """The compiled checks and the shapes left to the reference engine."""

    checks: list[Check] = field(default_factory=list)
    fallbacks: list[Fallback] = field(default_factory=list)
    roots: list[ShapeNode] = field(default_factory=list)


class Compiler:
    """Compiles the shapes of one shapes graph. Not thread-safe (a variable counter)."""

    def __init__(
        self,
        shapes: Graph,
        *,
        restrict: Mapping[ShapeNode, Iterable[Node]] | None = None,
        hierarchy: ClassHierarchy | None = None,
        lateral: bool = False,
        portable: bool = False,
        ask: Callable[[str], bool] | None = None,
    ) -> None:
        self.graph = shapes
        #: Root shape → the only focus nodes to validate (incremental validation).
        self.restrict = {k: list(v) for k, v in (restrict or {}).items()}
        #: The data's class hierarchy, when known: class tests on bound values become lookups.
        self.hierarchy = hierarchy
        #: Whether the store runs SPARQL 1.2 ``LATERAL`` (Oxigraph does; SPARQL 1.1 endpoints do not).
        self.lateral = lateral
        #: Whether SHACL-SPARQL anti-joins keep a form every endpoint evaluates right (see
        #: :mod:`~crmkg.validation.fast.user_sparql.portable`) instead of the fastest form on Oxigraph.
        self.portable = portable
        #: Whether a group pattern has a solution in the data, when the data is at hand (None: cannot tell).
        self.holds = self._holds if ask is not None else None
        self._ask = ask
        #: Focus patterns whose membership can be tested for one bound node (class targets):
        #: pattern text → (the variable it binds, the classes).
        self._members_of: dict[str, tuple[str, tuple[Node, ...]]] = {}
        #: Closed patterns made here: text → (the variable they project, the pattern inside).
        self._closed: dict[str, tuple[str, str]] = {}
        self._counter = 0
        self.prefixes: dict[str, str] = dict(DEFAULT_PREFIXES)
        self._custom_params = self._custom_component_parameters()

    # ---------------------------------------------------------------- plumbing

    def var(self, hint: str = "v") -> str:
        self._counter += 1
        return f"?_{hint}{self._counter}"

    def _holds(self, pattern: str) -> bool | None:
        assert self._ask is not None
        try:
            return self._ask(f"{self.prologue()}SELECT * WHERE {pattern} LIMIT 1")
        except CrmkgError:
            return None  # the filter stays as written and runs with the check

    def prologue(self) -> str:
        return "".join(f"PREFIX {p}: {iri(ns)}\n" for p, ns in sorted(self.prefixes.items()))

    def closed(self, pattern: str, var: str) -> str:
        """``pattern`` as a sub-query that projects only ``var``."""
        text = f"{{ SELECT DISTINCT {var} WHERE {{ {pattern} }} }}"
        self._closed[text] = (var, pattern)
        return text

    def rename(self, focus: str, var: str, new: str) -> str:
        """A focus pattern binding ``new`` to what ``focus`` binds to ``var``."""
        if var == new:
            return focus
        # A closed focus is renamed from the inside: one DISTINCT over its pattern instead of a
        # second one over its solutions (a third of a minCount check's time on 60,000 focus nodes).
        # (Unless ``new`` occurs in it: the projection must not bind a variable the pattern binds.)
        inside = self._closed.get(focus)
        unwrap = inside is not None and inside[0] == var and not re.search(re.escape(new) + r"\b", inside[1])
        pattern = inside[1] if inside is not None and unwrap else focus
        renamed = f"{{ SELECT DISTINCT ({var} AS {new}) WHERE {{ {pattern} }} }}"
        known = self._members_of.get(focus)
        if known is not None and known[0] == var:
            self._members_of[renamed] = (new, known[1])
        return renamed

    def membership(self, focus: str, x: str) -> str | None:
        """A test that the bound ``x`` is one of the nodes ``focus`` binds to ``x``, when the focus
        is a class target (a lookup per node instead of enumerating every focus node); else None."""
        known = self._members_of.get(focus)
        if known is None or known[0] != x:
            return None
        return self.instance_test(x, known[1])

    def instance_test(self, v: str, classes: Iterable[Node]) -> str:
        """A pattern that holds when the bound ``v`` is an instance of one of ``classes``.

        With the hierarchy known, one lookup of ``v``'s types against every class below them;
        otherwise (or for a class with blank-node subclasses) the ``rdf:type/rdfs:subClassOf*`` path.
        """
        named: set[URIRef] = set()
        paths: list[str] = []
        for c in classes:
            members = self.hierarchy.members(c) if self.hierarchy is not None else None
            if members is None:
                paths.append(f"{{ {v} {RDF_TYPE_SUBCLASS} {term(c)} . }}")
            else:
                named.update(members)
        if named:
            t = self.var("t")
            listed = ", ".join(term(m) for m in sorted(named))
            paths.append(f"{{ {v} {iri(str(RDF.type))} {t} . FILTER({t} IN ({listed})) }}")
        return " UNION ".join(paths) if paths else "FILTER(false)"

    def _custom_component_parameters(self) -> list[tuple[URIRef, list[URIRef]]]:
        """SPARQL-based constraint components: (component, mandatory parameter predicates)."""
        out = []
        validators = (sh("validator"), sh("nodeValidator"), sh("propertyValidator"))
        components = {
            c
            for c in self.graph.subjects(sh("parameter"), None)
            if any(self.graph.value(c, v) is not None for v in validators)
        }
        for comp in sorted(components, key=str):
            mandatory = []
            for param in self.graph.objects(comp, sh("parameter")):
                path = self.graph.value(param, sh("path"))
                optional = self.graph.value(param, sh("optional"))
                if isinstance(path, URIRef) and not (isinstance(optional, Literal) and optional.value):
                    mandatory.append(path)
            if isinstance(comp, URIRef):
                out.append((comp, mandatory))
        return out

    # ---------------------------------------------------------------- targets and values

    def target_pattern(self, shape: ShapeView, x: str) -> str:
        """A focus pattern binding ``x`` to the shape's target nodes."""
        if shape.has(sh("target")):
            raise Uncompilable(f"{shape.label}: sh:target (SHACL-AF targets) is not compiled")
        alts: list[str] = []
        nodes = shape.values(sh("targetNode"))
        if nodes:
            alts.append(f"VALUES {x} {{ {' '.join(term(n) for n in nodes)} }}")
        classes = list(shape.values(sh("targetClass")))
        if shape.implicit_class_target():
            classes.append(shape.node)
        for c in classes:
            alts.append(f"{x} {RDF_TYPE_SUBCLASS} {term(c)} .")
        for p in shape.values(sh("targetSubjectsOf")):
            alts.append(f"{x} {term(p)} {self.var('o')} .")
        for p in shape.values(sh("targetObjectsOf")):
            alts.append(f"{self.var('s')} {term(p)} {x} .")
        if not alts:
            return "FILTER(false)"
        pattern = self.closed(" UNION ".join(f"{{ {a} }}" for a in alts), x)
        if classes and len(alts) == len(classes):
            self._members_of[pattern] = (x, tuple(classes))
        return pattern

    def values(self, shape: ShapeView, f: str) -> tuple[str, str]:
        """A pattern binding a fresh variable to the value nodes of focus ``f``, and that variable."""
        path = shape.path()
        if path is None:
            return "", f
        v = self.var("v")
        return f"{f} {path.sparql} {v} .", v

    def value_focus(self, shape: ShapeView, focus: str, f: str) -> tuple[str, str]:
        """A closed focus pattern over the value nodes of ``shape`` for the focus nodes of ``focus``."""
        vp, v = self.values(shape, f)
        if v == f:
            return focus, f
        return self.closed(f"{focus} {vp}", v), v

    # ---------------------------------------------------------------- the plan

    def compile(self) -> Plan:
        plan = Plan()
        for shape in all_shapes(self.graph):
            if not shape.has_targets() or shape.deactivated:
                continue
            plan.roots.append(shape.node)
            try:
                checks = self.compile_root(shape)
            except Uncompilable as exc:
                plan.fallbacks.append(Fallback(shape.node, str(exc)))
                continue
            plan.checks.extend(checks)
        plan.checks = share(plan.checks, self.prologue())
        return plan

    def plain_property(self, shape: ShapeView) -> str | None:
        """The shape's path when it is one predicate (an IRI), as SPARQL; else None. Only such a
        path is walked from every subject in a :class:`Shared` pattern (a path with ``*`` or ``?``
        would start from every node of the graph)."""
        path = shape.path()
        return path.sparql if path is not None and isinstance(path.value, URIRef) else None

    def target_types(self, focus: str, f: str) -> tuple[URIRef, ...] | None:
        """The classes whose instances are exactly the nodes ``focus`` binds to ``f`` (a class target,
        every class below it named in the known hierarchy); else None."""
        known = self._members_of.get(focus)
        if known is None or known[0] != f or self.hierarchy is None:
            return None
        found: set[URIRef] = set()
        for cls in known[1]:
            members = self.hierarchy.members(cls)
            if members is None:
                return None
            found.update(members)
        return tuple(sorted(found))

    def compile_root(self, shape: ShapeView) -> list[Check]:
        f = "?this"
        focus = self.target_pattern(shape, f)
        if shape.node in self.restrict:
            # Blank nodes cannot be named in VALUES, so blank-node focus nodes are always kept.
            named = [n for n in self.restrict[shape.node] if isinstance(n, URIRef | Literal)]
            values = " ".join(term(n) for n in named)
            focus = self.closed(f"{{ VALUES {f} {{ {values} }} {focus} }} UNION {{ {focus} FILTER(isBlank({f})) }}", f)
        checks: list[Check] = []
        self._compile_tree(shape, focus, f, checks, root=shape.node, stack=())
        if checks and self.holds is not None and self.holds(focus) is False:
            # No focus node in the data: no results, so nothing to run (a check over an empty
            # target still scans its property — 0.15 s for sh:maxCount on akj:startDate at 1M).
            # Compiled all the same, so that what falls back does not depend on the data.
            return []
        return checks

    def _compile_tree(
        self,
        shape: ShapeView,
        focus: str,
        f: str,
        out: list[Check],
        *,
        root: ShapeNode,
        stack: Stack,
    ) -> None:
        if shape.deactivated:
            return
        if shape.node in stack:
            raise Uncompilable(f"{shape.label}: recursive sh:property nesting")
        path = shape.path()
        for viol in self.constraint_violations(shape, focus, f, stack=(*stack, shape.node)):
            cols = [f]
            if viol.value and viol.value != f:
                cols.append(viol.value)
            if viol.path:
                cols.append(viol.path)
            cols.extend("?" + col for _, col in viol.message_vars)
            query = f"{self.prologue()}SELECT DISTINCT {' '.join(cols)} WHERE {{ {viol.pattern} }}"
            out.append(
                Check(
                    shape=shape.node,
                    component=viol.component,
                    query=query,
                    focus_var=f[1:],
                    severity=shape.severity,
                    result_path=None if path is None else path.value,
                    value_var=viol.value[1:] if viol.value else None,
                    path_var=viol.path[1:] if viol.path else None,
                    value_defaults_to_focus=viol.value_defaults_to_focus,
                    messages=viol.messages or shape.messages(),
                    source_constraint=viol.source_constraint,
                    root=root,
                    message_vars=viol.message_vars,
                    shared=viol.shared,
                )
            )
        for ps_node in shape.values(sh("property")):
            ps = shape.other(ps_node)
            if not ps.is_property_shape:
                raise Uncompilable(f"{shape.label}: sh:property {ps.label} has no sh:path")
            inner_focus, inner_f = self.value_focus(shape, focus, f)
            g = self.var("f")
            self._compile_tree(ps, self.rename(inner_focus, inner_f, g), g, out, root=root, stack=(*stack, shape.node))

    # ---------------------------------------------------------------- nested conformance

    def violators(self, shape: ShapeView, focus: str, x: str, stack: Stack) -> str:
        """A closed pattern binding ``x`` to the nodes of ``focus`` that do not conform to ``shape``."""
        if shape.node in stack:
            raise Uncompilable(f"{shape.label}: recursive shape reference")
        if shape.deactivated:
            return _NOTHING
        stack = (*stack, shape.node)
        parts = [v.pattern for v in self.constraint_violations(shape, focus, x, stack=stack)]
        for ps_node in shape.values(sh("property")):
            ps = shape.other(ps_node)
            if not ps.is_property_shape:
                raise Uncompilable(f"{shape.label}: sh:property {ps.label} has no sh:path")
            parts.append(self.violators(ps, focus, x, stack))
        if not parts:
            return _NOTHING
        return self.closed(" UNION ".join(f"{{ {p} }}" for p in parts), x)

    def conformers(self, shape: ShapeView, focus: str, x: str, stack: Stack) -> str:
        """A closed pattern binding ``x`` to the nodes of ``focus`` that conform to ``shape``."""
        test = member_tests.conforms(self, shape, x)
        if test is not None:
            # One join instead of the focus minus its violators (which walks the focus twice).
            return self.closed(f"{focus} {test}", x)
        return self.closed(f"{focus} MINUS {self.violators(shape, focus, x, stack)}", x)

    @property
    def custom_components(self) -> bool:
        """Whether the shapes graph declares SPARQL-based constraint components (then a predicate
        of another vocabulary may be a constraint parameter, not an annotation)."""
        return bool(self._custom_params)

    # ---------------------------------------------------------------- constraints

    def constraint_violations(self, shape: ShapeView, focus: str, f: str, *, stack: Stack) -> list[Violation]:
        """The violation patterns of ``shape``'s own constraints (not its property shapes'), in the
        order of :data:`~crmkg.validation.fast.constraints.HANDLERS`."""
        for comp, mandatory in self._custom_params:
            if mandatory and all(shape.has(p) for p in mandatory):
                raise Uncompilable(f"{shape.label}: SPARQL-based constraint component {comp.n3()}")
        out: list[Violation] = []
        for prop, handler in HANDLERS.items():
            if shape.has(prop):
                out.extend(handler(self, shape, focus, f, stack))
        return out


def compile_shapes(shapes: Graph) -> tuple[Plan, Compiler]:
    """Compile every shape with targets, for no particular store; shapes that cannot be compiled are
    listed as fallbacks. (The engine compiles for its store with :func:`~crmkg.validation.fast.engine.plan_for`.)"""
    compiler = Compiler(shapes)
    return compiler.compile(), compiler
