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

Result semantics (which focus, value and path a result carries) follow the reference engine,
pyshacl, so the two can be compared result by result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.paths import Path
from rdflib.term import Node

from crmkg.validation.fast.hierarchy import ClassHierarchy
from crmkg.validation.fast.messages import template_variables
from crmkg.validation.fast.shapes import TARGET_PROPERTIES, ShapeNode, ShapeView, all_shapes, sh
from crmkg.validation.fast.sparqltext import Uncompilable, iri, string, term
from crmkg.validation.fast.user_sparql import rewrite_select
from crmkg.validation.report import Severity

RDF_TYPE_SUBCLASS = f"{iri(str(RDF.type))}/{iri(str(RDFS.subClassOf))}*"

#: Datatypes whose lexical space the store can check by casting (an ill-typed literal fails the cast).
_CASTABLE = {
    XSD.integer: "xsd:integer",
    XSD.decimal: "xsd:decimal",
    XSD.double: "xsd:double",
    XSD.float: "xsd:float",
    XSD.boolean: "xsd:boolean",
    XSD.date: "xsd:date",
    XSD.dateTime: "xsd:dateTime",
    XSD.time: "xsd:time",
}
#: Datatypes the Oxigraph store rewrites on load (e.g. "5"^^xsd:int is stored as xsd:integer),
#: so sh:datatype on them cannot be checked against the store.
_CANONICALISED = {
    XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger,
    XSD.nonPositiveInteger, XSD.negativeInteger, XSD.unsignedInt, XSD.unsignedLong,
    XSD.unsignedShort, XSD.unsignedByte,
}  # fmt: skip

#: Predicates of a nested member shape that do not constrain (they only describe or report).
_INERT_IN_MEMBER = {
    RDF.type, RDFS.label, RDFS.comment, URIRef("http://www.w3.org/ns/shacl#name"),
    URIRef("http://www.w3.org/ns/shacl#description"), URIRef("http://www.w3.org/ns/shacl#message"),
    URIRef("http://www.w3.org/ns/shacl#severity"),
}  # fmt: skip

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

    def queries_of(self, root: ShapeNode) -> list[Check]:
        return [c for c in self.checks if c.root == root]


@dataclass(frozen=True)
class _Violation:
    component: URIRef
    pattern: str
    value: str | None = None
    path: str | None = None
    value_defaults_to_focus: bool = False
    source_constraint: Node | None = None
    messages: tuple[Literal, ...] = ()
    message_vars: tuple[tuple[str, str], ...] = ()


class Compiler:
    """Compiles the shapes of one shapes graph. Not thread-safe (a variable counter)."""

    def __init__(
        self,
        shapes: Graph,
        *,
        restrict: Mapping[ShapeNode, Iterable[Node]] | None = None,
        hierarchy: ClassHierarchy | None = None,
        lateral: bool = False,
    ) -> None:
        self.graph = shapes
        #: Root shape → the only focus nodes to validate (incremental validation).
        self.restrict = {k: list(v) for k, v in (restrict or {}).items()}
        #: The data's class hierarchy, when known: class tests on bound values become lookups.
        self.hierarchy = hierarchy
        #: Whether the store runs SPARQL 1.2 ``LATERAL`` (Oxigraph does; SPARQL 1.1 endpoints do not).
        self.lateral = lateral
        #: Focus patterns whose membership can be tested for one bound node (class targets):
        #: pattern text → (the variable it binds, the classes).
        self._members_of: dict[str, tuple[str, tuple[Node, ...]]] = {}
        self._counter = 0
        self.prefixes: dict[str, str] = dict(DEFAULT_PREFIXES)
        self._custom_params = self._custom_component_parameters()

    # ---------------------------------------------------------------- plumbing

    def var(self, hint: str = "v") -> str:
        self._counter += 1
        return f"?_{hint}{self._counter}"

    def prologue(self) -> str:
        return "".join(f"PREFIX {p}: {iri(ns)}\n" for p, ns in sorted(self.prefixes.items()))

    def closed(self, pattern: str, var: str) -> str:
        """``pattern`` as a sub-query that projects only ``var``."""
        return f"{{ SELECT DISTINCT {var} WHERE {{ {pattern} }} }}"

    def rename(self, focus: str, var: str, new: str) -> str:
        """A focus pattern binding ``new`` to what ``focus`` binds to ``var``."""
        if var == new:
            return focus
        renamed = f"{{ SELECT DISTINCT ({var} AS {new}) WHERE {{ {focus} }} }}"
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
        return plan

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
        return checks

    def _compile_tree(
        self,
        shape: ShapeView,
        focus: str,
        f: str,
        out: list[Check],
        *,
        root: ShapeNode,
        stack: tuple[ShapeNode, ...],
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

    def violators(self, shape: ShapeView, focus: str, x: str, stack: tuple[ShapeNode, ...]) -> str:
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

    def conformers(self, shape: ShapeView, focus: str, x: str, stack: tuple[ShapeNode, ...]) -> str:
        """A closed pattern binding ``x`` to the nodes of ``focus`` that conform to ``shape``."""
        positive = self._positive(shape, x)
        if positive is not None:
            # One join instead of the focus minus its violators (which walks the focus twice).
            return self.closed(f"{focus} {positive}", x)
        return self.closed(f"{focus} MINUS {self.violators(shape, focus, x, stack)}", x)

    def _positive(self, shape: ShapeView, x: str) -> str | None:
        """For a shape whose one constraint is a single ``sh:class`` (node shape) or a single
        ``sh:hasValue`` (property shape), the test that the bound ``x`` conforms; else None."""
        if shape.deactivated:
            return None
        preds = set(shape.graph.predicates(shape.node, None))
        inert = _INERT_IN_MEMBER | set(TARGET_PROPERTIES) | {sh("deactivated"), sh("path")}
        # Other vocabularies' annotations do not constrain, unless a SPARQL-based component could
        # take them as parameters.
        annotations = set() if self._custom_params else {p for p in preds if not str(p).startswith(str(sh("")))}
        active = preds - inert - annotations
        path = shape.path()
        if path is None and active == {sh("class")} and len(shape.values(sh("class"))) == 1:
            return self.instance_test(x, shape.values(sh("class")))
        if path is not None and active == {sh("hasValue")} and len(shape.values(sh("hasValue"))) == 1:
            return f"{x} {path.sparql} {term(shape.values(sh('hasValue'))[0])} ."
        return None

    # ---------------------------------------------------------------- constraints

    def constraint_violations(
        self, shape: ShapeView, focus: str, f: str, *, stack: tuple[ShapeNode, ...]
    ) -> list[_Violation]:
        for comp, mandatory in self._custom_params:
            if mandatory and all(shape.has(p) for p in mandatory):
                raise Uncompilable(f"{shape.label}: SPARQL-based constraint component {comp.n3()}")
        out: list[_Violation] = []
        for prop, handler in self._handlers().items():
            if shape.has(prop):
                out.extend(handler(shape, focus, f, stack))
        return out

    def _handlers(
        self,
    ) -> dict[URIRef, Callable[[ShapeView, str, str, tuple[ShapeNode, ...]], list[_Violation]]]:
        return {
            sh("class"): self._class,
            sh("datatype"): self._datatype,
            sh("nodeKind"): self._node_kind,
            sh("minCount"): self._min_count,
            sh("maxCount"): self._max_count,
            sh("minExclusive"): self._range("minExclusive", ">"),
            sh("minInclusive"): self._range("minInclusive", ">="),
            sh("maxExclusive"): self._range("maxExclusive", "<"),
            sh("maxInclusive"): self._range("maxInclusive", "<="),
            sh("minLength"): self._min_length,
            sh("maxLength"): self._max_length,
            sh("pattern"): self._pattern,
            sh("languageIn"): self._language_in,
            sh("uniqueLang"): self._unique_lang,
            sh("equals"): self._equals,
            sh("disjoint"): self._disjoint,
            sh("lessThan"): self._less_than("LessThan", "<"),
            sh("lessThanOrEquals"): self._less_than("LessThanOrEquals", "<="),
            sh("not"): self._not,
            sh("and"): self._and,
            sh("or"): self._or,
            sh("xone"): self._xone,
            sh("node"): self._node,
            sh("qualifiedValueShape"): self._qualified,
            sh("closed"): self._closed,
            sh("hasValue"): self._has_value,
            sh("in"): self._in,
            sh("sparql"): self._sparql,
        }

    def _per_value(self, shape: ShapeView, focus: str, f: str, component: str, cond: str) -> _Violation:
        """Value nodes for which the SPARQL expression ``cond`` (over ``$v``) is not true."""
        vp, v = self.values(shape, f)
        test = cond.replace("$v", v)
        return _Violation(
            sh(component + "ConstraintComponent"),
            f"{focus} {vp} FILTER(!COALESCE({test}, false))",
            value=v,
            value_defaults_to_focus=True,
        )

    def _class(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for c in shape.values(sh("class")):
            vp, v = self.values(shape, f)
            out.append(
                _Violation(
                    sh("ClassConstraintComponent"),
                    f"{focus} {vp} FILTER NOT EXISTS {{ {self.instance_test(v, [c])} }}",
                    value=v,
                )
            )
        return out

    def _datatype(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for dt in shape.values(sh("datatype")):
            if not isinstance(dt, URIRef):
                raise Uncompilable(f"{shape.label}: sh:datatype {dt.n3()} is not an IRI")
            if dt in _CANONICALISED:
                raise Uncompilable(f"{shape.label}: sh:datatype {dt.n3()} (the store canonicalises it to xsd:integer)")
            if dt == RDF.langString:
                cond = '(isLiteral($v) && LANG($v) != "")'
            elif dt == RDFS.Literal:
                cond = "isLiteral($v)"
            elif dt == RDFS.Datatype:
                cond = 'isLiteral($v) && LANG($v) = ""'
            else:
                cond = f"(isLiteral($v) && sameTerm(DATATYPE($v), {iri(str(dt))}))"
                if dt in _CASTABLE:
                    # A cast of an ill-typed literal is an error; COALESCE turns it into a non-literal.
                    cond = f"({cond} && isLiteral(COALESCE({iri(str(dt))}($v), BNODE())))"
            out.append(self._per_value(shape, focus, f, "Datatype", cond))
        return out

    def _node_kind(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        kinds = {
            "IRI": "isIRI($v)",
            "BlankNode": "isBlank($v)",
            "Literal": "isLiteral($v)",
            "BlankNodeOrIRI": "(isBlank($v) || isIRI($v))",
            "BlankNodeOrLiteral": "(isBlank($v) || isLiteral($v))",
            "IRIOrLiteral": "(isIRI($v) || isLiteral($v))",
        }
        out = []
        for kind in shape.values(sh("nodeKind")):
            name = str(kind).removeprefix(str(sh("")))
            if name not in kinds:
                raise Uncompilable(f"{shape.label}: unknown sh:nodeKind {kind.n3()}")
            out.append(self._per_value(shape, focus, f, "NodeKind", kinds[name]))
        return out

    def _int_param(self, shape: ShapeView, name: str) -> int:
        val = shape.value(sh(name))
        if not isinstance(val, Literal) or not isinstance(val.value, int) or isinstance(val.value, bool):
            raise Uncompilable(f"{shape.label}: sh:{name} is not an integer")
        return val.value

    def _count(self, shape: ShapeView, focus: str, f: str, name: str, having: str) -> list[_Violation]:
        if not shape.is_property_shape:
            raise Uncompilable(f"{shape.label}: sh:{name} on a node shape")
        n = self._int_param(shape, name)
        comp = sh(("MinCount" if name == "minCount" else "MaxCount") + "ConstraintComponent")
        vp, v = self.values(shape, f)
        if having == "<" and n == 1:
            # The common case without grouping: one index lookup per focus node.
            return [_Violation(comp, f"{focus} FILTER NOT EXISTS {{ {vp} }}")]
        if having == ">" and n == 0:
            return [_Violation(comp, self.closed(f"{focus} {vp}", f))]
        member = self.membership(focus, f) if having == ">" else None
        if member is not None:
            # Too many values: count over the property alone, then keep the few nodes over the
            # limit that are focus nodes — instead of a lookup and a group for every focus node.
            over = f"{{ SELECT {f} WHERE {{ {vp} }} GROUP BY {f} HAVING (COUNT(DISTINCT {v}) > {n}) }}"
            return [_Violation(comp, f"{over} FILTER EXISTS {{ {member} }}")]
        c = self.var("n")
        optional = f"OPTIONAL {{ {vp} }}" if having == "<" else vp
        pattern = (
            f"{{ SELECT {f} (COUNT(DISTINCT {v}) AS {c}) WHERE {{ {focus} {optional} }} GROUP BY {f} }} "
            f"FILTER({c} {having} {n})"
        )
        return [_Violation(comp, pattern)]

    def _min_count(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        if self._int_param(shape, "minCount") <= 0:
            return []
        return self._count(shape, focus, f, "minCount", "<")

    def _max_count(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        return self._count(shape, focus, f, "maxCount", ">")

    def _range(self, name: str, op: str) -> Callable[[ShapeView, str, str, tuple[ShapeNode, ...]], list[_Violation]]:
        def handler(shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
            out = []
            for bound in shape.values(sh(name)):
                if not isinstance(bound, Literal):
                    raise Uncompilable(f"{shape.label}: sh:{name} is not a literal")
                if bound.datatype in _CANONICALISED:
                    bound = Literal(str(bound), datatype=XSD.integer)
                cond = f"($v {op} {term(bound)})"
                if isinstance(bound.value, str) or bound.value is None:
                    cond = f"(isLiteral($v) && {cond})"
                comp = name[0].upper() + name[1:]
                out.append(self._per_value(shape, focus, f, comp, cond))
            return out

        return handler

    def _length(self, shape: ShapeView, focus: str, f: str, name: str, op: str) -> list[_Violation]:
        n = self._int_param(shape, name)
        if name == "minLength" and n == 0:
            return []
        comp = name[0].upper() + name[1:]
        return [self._per_value(shape, focus, f, comp, f"(!isBlank($v) && STRLEN(STR($v)) {op} {n})")]

    def _min_length(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        return self._length(shape, focus, f, "minLength", ">=")

    def _max_length(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        return self._length(shape, focus, f, "maxLength", "<=")

    def _pattern(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        flags = shape.value(sh("flags"))
        flag_text = f", {string(str(flags))}" if flags is not None else ""
        out = []
        for pat in shape.values(sh("pattern")):
            cond = f"(!isBlank($v) && REGEX(STR($v), {string(str(pat))}{flag_text}))"
            out.append(self._per_value(shape, focus, f, "Pattern", cond))
        return out

    def _language_in(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for lst in shape.values(sh("languageIn")):
            langs = [str(x).lower() for x in shape.list_items(lst)]
            if "*" in langs:
                cond = '(isLiteral($v) && LANG($v) != "")'
            else:
                options = ", ".join(string(x) for x in langs) or '""'
                cond = (
                    f'(isLiteral($v) && LANG($v) != "" && (LCASE(LANG($v)) IN ({options}) '
                    f'|| LCASE(STRBEFORE(CONCAT(LANG($v), "-"), "-")) IN ({options})))'
                )
            out.append(self._per_value(shape, focus, f, "LanguageIn", cond))
        return out

    def _unique_lang(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        flag = shape.value(sh("uniqueLang"))
        if flag != Literal(True):  # only "true"^^xsd:boolean activates it ("1" does not)
            return []
        if not shape.is_property_shape:
            raise Uncompilable(f"{shape.label}: sh:uniqueLang on a node shape")
        vp1, a = self.values(shape, f)
        vp2, b = self.values(shape, f)
        pattern = (
            f"{focus} {vp1} {vp2} FILTER(!sameTerm({a}, {b}) && isLiteral({a}) && isLiteral({b}) "
            f'&& LANG({a}) != "" && LCASE(LANG({a})) = LCASE(LANG({b})))'
        )
        return [_Violation(sh("UniqueLangConstraintComponent"), pattern)]

    def _pair_iri(self, shape: ShapeView, name: str) -> list[URIRef]:
        out = []
        for p in shape.values(sh(name)):
            if not isinstance(p, URIRef):
                raise Uncompilable(f"{shape.label}: sh:{name} is not an IRI")
            out.append(p)
        return out

    def _equals(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for p in self._pair_iri(shape, "equals"):
            vp, v = self.values(shape, f)
            o = self.var("o")
            if v == f:
                missing = f"{focus} FILTER NOT EXISTS {{ {f} {term(p)} {f} }} BIND({f} AS {o})"
                extra = f"{focus} {f} {term(p)} {o} . FILTER(!sameTerm({o}, {f}))"
            else:
                path = shape.path()
                assert path is not None
                missing = f"{focus} {vp} FILTER NOT EXISTS {{ {f} {term(p)} {v} }} BIND({v} AS {o})"
                extra = f"{focus} {f} {term(p)} {o} . FILTER NOT EXISTS {{ {f} {path.sparql} {o} }}"
            out.append(_Violation(sh("EqualsConstraintComponent"), f"{{ {missing} }} UNION {{ {extra} }}", value=o))
        return out

    def _disjoint(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for p in self._pair_iri(shape, "disjoint"):
            vp, v = self.values(shape, f)
            out.append(_Violation(sh("DisjointConstraintComponent"), f"{focus} {vp} {f} {term(p)} {v} .", value=v))
        return out

    def _less_than(
        self, name: str, op: str
    ) -> Callable[[ShapeView, str, str, tuple[ShapeNode, ...]], list[_Violation]]:
        prop = name[0].lower() + name[1:]

        def handler(shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
            out = []
            for p in self._pair_iri(shape, prop):
                vp, v = self.values(shape, f)
                o = self.var("o")
                # The reference compares IRIs as strings and refuses to compare string with non-string.
                left, right = self._comparable(v), self._comparable(o)
                cond = f"COALESCE({left} {op} {right}, false)"
                pattern = f"{focus} {vp} {f} {term(p)} {o} . FILTER(!{cond})"
                out.append(_Violation(sh(name + "ConstraintComponent"), pattern, value=v))
            return out

        return handler

    @staticmethod
    def _comparable(v: str) -> str:
        return f'IF(isIRI({v}) || (isLiteral({v}) && LANG({v}) != ""), STR({v}), {v})'

    def _has_value(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for val in shape.values(sh("hasValue")):
            path = shape.path()
            if path is None:
                pattern = f"{focus} FILTER(!sameTerm({f}, {term(val)}))"
            else:
                pattern = f"{focus} FILTER NOT EXISTS {{ {f} {path.sparql} {term(val)} }}"
            out.append(_Violation(sh("HasValueConstraintComponent"), pattern))
        return out

    def _in(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for lst in shape.values(sh("in")):
            members = [term(m) for m in shape.list_items(lst)]
            cond = " || ".join(f"sameTerm($v, {m})" for m in members) or "false"
            out.append(self._per_value(shape, focus, f, "In", f"({cond})"))
        return out

    def _closed(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        flag = shape.value(sh("closed"))
        if not (isinstance(flag, Literal) and flag.value is True):
            return []
        allowed: list[Node] = []
        for ps_node in shape.values(sh("property")):
            ps = shape.other(ps_node)
            pred = ps.value(sh("path"))
            if isinstance(pred, URIRef):
                allowed.append(pred)
        for lst in shape.values(sh("ignoredProperties")):
            allowed.extend(shape.list_items(lst))
        vp, v = self.values(shape, f)
        p, o = self.var("p"), self.var("o")
        cond = " && ".join(f"!sameTerm({p}, {term(a)})" for a in allowed if isinstance(a, URIRef)) or "true"
        always = f"!(sameTerm({p}, {iri(str(RDF.type))}) && sameTerm({o}, {iri(str(RDFS.Resource))}))"
        pattern = f"{focus} {vp} {v} {p} {o} . FILTER({cond} && {always})"
        return [_Violation(sh("ClosedConstraintComponent"), pattern, value=o, path=p)]

    # ---------------------------------------------------------------- shape-based and logical

    def _shape_list(self, shape: ShapeView, name: str) -> list[list[ShapeView]]:
        return [[shape.other(n) for n in shape.list_items(lst)] for lst in shape.values(sh(name))]

    def _node(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for n in shape.values(sh("node")):
            cands, v = self.value_focus(shape, focus, f)
            bad = self.violators(shape.other(n), cands, v, stack)
            vp, v2 = self.values(shape, f)
            pattern = self._of_values(focus, vp, bad, v, v2)
            out.append(_Violation(sh("NodeConstraintComponent"), pattern, value=v2))
        return out

    def _rebind(self, closed_pattern: str, var: str, new: str) -> str:
        return self.rename(closed_pattern, var, new)

    def _of_values(self, focus: str, vp: str, nodes: str, var: str, new: str) -> str:
        """The focus nodes (and values) whose value nodes are among ``nodes``, a closed pattern
        over the value nodes of ``focus`` binding ``var``. For a node shape (no path) ``nodes`` is
        already a subset of the focus nodes, so the focus is not joined again."""
        if not vp:
            return self._rebind(nodes, var, new)
        return f"{focus} {vp} {self._rebind(nodes, var, new)}"

    def _not(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for n in shape.values(sh("not")):
            cands, v = self.value_focus(shape, focus, f)
            good = self.conformers(shape.other(n), cands, v, stack)
            vp, v2 = self.values(shape, f)
            out.append(_Violation(sh("NotConstraintComponent"), self._of_values(focus, vp, good, v, v2), value=v2))
        return out

    def _and(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for members in self._shape_list(shape, "and"):
            cands, v = self.value_focus(shape, focus, f)
            parts = [self.violators(m, cands, v, stack) for m in members]
            if not parts:
                continue
            bad = self.closed(" UNION ".join(f"{{ {p} }}" for p in parts), v)
            vp, v2 = self.values(shape, f)
            out.append(_Violation(sh("AndConstraintComponent"), self._of_values(focus, vp, bad, v, v2), value=v2))
        return out

    @staticmethod
    def _only_class(member: ShapeView) -> Node | None:
        """The class of a member shape whose one constraint is a single ``sh:class``, else None."""
        if member.deactivated or member.is_property_shape:
            return None
        classes = member.values(sh("class"))
        if len(classes) != 1:
            return None
        preds = set(member.graph.predicates(member.node, None))
        return classes[0] if preds <= _INERT_IN_MEMBER | {sh("class")} else None

    def _or(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for members in self._shape_list(shape, "or"):
            classes = [self._only_class(m) for m in members]
            if members and all(c is not None for c in classes):
                # Every member is one sh:class: a value conforms when it is an instance of any of
                # them, checked in one lookup instead of one sub-select per member.
                vp, v = self.values(shape, f)
                test = self.instance_test(v, [k for k in classes if k is not None])
                pattern = f"{focus} {vp} FILTER NOT EXISTS {{ {test} }}"
                out.append(_Violation(sh("OrConstraintComponent"), pattern, value=v))
                continue
            cands, v = self.value_focus(shape, focus, f)
            parts = [self.violators(m, cands, v, stack) for m in members]
            bad = self.closed(" ".join(parts), v) if parts else cands
            vp, v2 = self.values(shape, f)
            out.append(_Violation(sh("OrConstraintComponent"), self._of_values(focus, vp, bad, v, v2), value=v2))
        return out

    def _xone(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        for members in self._shape_list(shape, "xone"):
            cands, v = self.value_focus(shape, focus, f)
            flags = []
            optionals = []
            for m in members:
                b = self.var("b")
                bad = self.violators(m, cands, v, stack)
                optionals.append(f"OPTIONAL {{ SELECT {v} (1 AS {b}) WHERE {{ {bad} }} }}")
                flags.append(f"IF(BOUND({b}), 0, 1)")
            count = " + ".join(flags) or "0"
            bad_all = self.closed(f"{cands} {' '.join(optionals)} FILTER(({count}) != 1)", v)
            vp, v2 = self.values(shape, f)
            out.append(_Violation(sh("XoneConstraintComponent"), self._of_values(focus, vp, bad_all, v, v2), value=v2))
        return out

    def _qualified(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        if not shape.is_property_shape:
            raise Uncompilable(f"{shape.label}: sh:qualifiedValueShape on a node shape")
        qmin = self._int_param(shape, "qualifiedMinCount") if shape.has(sh("qualifiedMinCount")) else None
        qmax = self._int_param(shape, "qualifiedMaxCount") if shape.has(sh("qualifiedMaxCount")) else None
        if qmin is None and qmax is None:
            raise Uncompilable(f"{shape.label}: sh:qualifiedValueShape without a qualified count")
        disjoint = any(
            isinstance(d, Literal) and d.value is True for d in shape.values(sh("qualifiedValueShapesDisjoint"))
        )
        out = []
        for q_node in shape.values(sh("qualifiedValueShape")):
            cands, v = self.value_focus(shape, focus, f)
            good = self.conformers(shape.other(q_node), cands, v, stack)
            if disjoint:
                for sib in self._siblings(shape, q_node):
                    good = self.closed(f"{good} MINUS {self.conformers(sib, cands, v, stack)}", v)
            vp, v2 = self.values(shape, f)
            c = self.var("n")
            counted = (
                f"{{ SELECT {f} (COUNT(DISTINCT {v2}) AS {c}) WHERE {{ {focus} "
                f"OPTIONAL {{ {vp} {self._rebind(good, v, v2)} }} }} GROUP BY {f} }}"
            )
            if qmax is not None:
                out.append(_Violation(sh("QualifiedMaxCountConstraintComponent"), f"{counted} FILTER({c} > {qmax})"))
            if qmin is not None:
                out.append(_Violation(sh("QualifiedMinCountConstraintComponent"), f"{counted} FILTER({c} < {qmin})"))
        return out

    def _siblings(self, shape: ShapeView, q_node: Node) -> list[ShapeView]:
        found: set[Node] = set()
        for parent in self.graph.subjects(sh("property"), shape.node):
            for ps in self.graph.objects(parent, sh("property")):
                for sib in self.graph.objects(ps, sh("qualifiedValueShape")):
                    if sib != q_node:
                        found.add(sib)
        return [shape.other(s) for s in sorted(found, key=str)]

    # ---------------------------------------------------------------- SHACL-SPARQL

    def _sparql(self, shape: ShapeView, focus: str, f: str, stack: tuple[ShapeNode, ...]) -> list[_Violation]:
        out = []
        path = shape.path()
        for c in shape.values(sh("sparql")):
            cview = shape.other(c)
            if cview.deactivated:
                continue
            select = cview.value(sh("select"))
            if not isinstance(select, Literal):
                raise Uncompilable(f"{shape.label}: a SPARQL constraint without sh:select")
            self._add_prefixes(shape, cview)
            this_focus = self.rename(focus, f, "?this")
            rewritten = rewrite_select(
                str(select), this_focus, None if path is None else path.sparql, lateral=self.lateral
            )
            for p, ns in rewritten.prefixes.items():
                self._add_prefix(shape, p, ns)
            v, pv = self.var("value"), self.var("path")
            this = f if f == "?this" else f"(?this AS {f})"
            messages = (*cview.messages(), *shape.messages())
            # The row's other variables that the messages name are projected too (pyshacl fills
            # them per row); one not projected by the user's SELECT simply stays unbound.
            message_vars = tuple((name, self.var("m")[1:]) for name in template_variables(messages))
            extra = "".join(f" (?{name} AS ?{col})" for name, col in message_vars)
            pattern = (
                f"{{ SELECT DISTINCT {this} (?value AS {v}) (?path AS {pv}){extra} "
                f"WHERE {{ {{ {rewritten.select} }} }} }}"
            )
            out.append(
                _Violation(
                    sh("SPARQLConstraintComponent"),
                    pattern,
                    value=v,
                    path=pv,
                    value_defaults_to_focus=not shape.is_property_shape,
                    source_constraint=c,
                    messages=messages,
                    message_vars=message_vars,
                )
            )
        return out

    def _add_prefix(self, shape: ShapeView, prefix: str, ns: str) -> None:
        if self.prefixes.get(prefix, ns) != ns:
            raise Uncompilable(f"{shape.label}: prefix {prefix}: is declared with two namespaces")
        self.prefixes[prefix] = ns

    def _add_prefixes(self, shape: ShapeView, constraint: ShapeView) -> None:
        """The prefixes ``sh:prefixes`` declares, read as the reference engine reads them."""
        onts = set(self.graph.subjects(RDF.type, OWL.Ontology))
        global_decl: set[Node] = set()
        for o in onts:
            global_decl.update(self.graph.objects(o, sh("declare")))
        for pv in constraint.values(sh("prefixes")):
            own: set[Node] = set()
            for node in self._imports_closure(pv):
                own.update(self.graph.objects(node, sh("declare")))
            decls = own if (own and pv in onts) else global_decl | own
            for d in decls:
                prefix = self.graph.value(d, sh("prefix"))
                ns = self.graph.value(d, sh("namespace"))
                if prefix is None or ns is None:
                    raise Uncompilable(f"{shape.label}: an sh:declare lacks sh:prefix or sh:namespace")
                self._add_prefix(shape, str(prefix), str(ns))

    def _imports_closure(self, node: Node) -> list[Node]:
        """``node`` and what it reaches through ``owl:imports`` (where prefix declarations may sit)."""
        seen, todo = [node], [node]
        while todo:
            for nxt in self.graph.objects(todo.pop(), OWL.imports):
                if nxt not in seen:
                    seen.append(nxt)
                    todo.append(nxt)
        return seen


def compile_shapes(shapes: Graph) -> tuple[Plan, Compiler]:
    """Compile every shape with targets, for no particular store; shapes that cannot be compiled are
    listed as fallbacks. (The engine compiles for its store with :func:`~crmkg.validation.fast.engine.plan_for`.)"""
    compiler = Compiler(shapes)
    return compiler.compile(), compiler
