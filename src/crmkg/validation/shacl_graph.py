"""Between the report model and SHACL's own RDF: read ``sh:ValidationReport`` graphs, name shapes.

Any engine that produces a standard SHACL results graph (pyshacl does) reuses
:func:`results_from_graph`; the Turtle output format writes the same vocabulary back.
"""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.extras.shacl import SHACLPathError, parse_shacl_path
from rdflib.term import Node as RdfNode

from crmkg.namespaces import AKJSH, SH
from crmkg.validation.report import Node, ResultPath, Rule, Severity, ValidationResult, natural_key

DCTERMS_IDENTIFIER = URIRef("http://purl.org/dc/terms/identifier")


class ShapeNamer:
    """Short rule ids for shapes: ``akjsh:shapeId``, else the parent shape's, else ``dcterms:identifier``,
    else the IRI's local name; blank-node shapes with no named parent get ``None``."""

    def __init__(self, shapes: Graph) -> None:
        self._shapes = shapes
        self._cache: dict[RdfNode, str | None] = {}

    def __call__(self, shape: RdfNode | None) -> str | None:
        if shape is None:
            return None
        if shape not in self._cache:
            self._cache[shape] = self._name(shape, depth=0)
        return self._cache[shape]

    def _name(self, shape: RdfNode, depth: int) -> str | None:
        for prop in (AKJSH.shapeId, DCTERMS_IDENTIFIER):
            value = self._shapes.value(shape, prop)
            if isinstance(value, Literal):
                return str(value)
        if depth < 4:
            for link in (SH.property, SH.sparql, SH.node):
                parent = self._shapes.value(None, link, shape)
                if parent is not None:
                    name = self._name(parent, depth + 1)
                    if name:
                        return name
        if isinstance(shape, URIRef):
            text = str(shape)
            return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text
        return None


def _path(graph: Graph, node: RdfNode | None) -> ResultPath | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return node
    try:
        return parse_shacl_path(graph, node)
    except (SHACLPathError, TypeError, ValueError):
        return None


_TEMPLATE_VAR = re.compile(r"\{[?$][A-Za-z_][A-Za-z0-9_]*\}")


def _template_pattern(template: str) -> re.Pattern[str]:
    """``"Owner {?value} of {$this}"`` → a regex matching any filled-in version of it."""
    parts = _TEMPLATE_VAR.split(template)
    return re.compile(".*?".join(re.escape(p) for p in parts), re.DOTALL)


def _messages(results: Graph, shapes: Graph, result: RdfNode) -> dict[str, str]:
    """Result messages by language.

    pyshacl drops the language tag when it fills ``{?var}`` into a SPARQL constraint's message, so
    an untagged message is matched back to the tagged templates of its constraint and shape.
    """
    templates: list[tuple[re.Pattern[str], str]] = []
    for owner in (results.value(result, SH.sourceConstraint), results.value(result, SH.sourceShape)):
        if owner is None:
            continue
        for msg in shapes.objects(owner, SH.message):
            if isinstance(msg, Literal) and msg.language:
                templates.append((_template_pattern(str(msg)), msg.language))
    out: dict[str, str] = {}
    for msg in sorted(results.objects(result, SH.resultMessage), key=str):
        if not isinstance(msg, Literal):
            continue
        lang = msg.language or next((lg for pat, lg in templates if pat.fullmatch(str(msg))), "")
        out.setdefault(lang, str(msg))
    return out


def _node(value: RdfNode | None) -> Node | None:
    return value if isinstance(value, (URIRef, BNode, Literal)) else None


def results_from_graph(results: Graph, shapes: Graph) -> list[ValidationResult]:
    """The ``sh:ValidationResult``s of a results graph (nested ``sh:detail`` results are skipped)."""
    namer = ShapeNamer(shapes)
    details = set(results.objects(None, SH.detail))
    out: list[ValidationResult] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if result in details:
            continue
        focus = _node(results.value(result, SH.focusNode))
        if focus is None:
            continue
        shape = results.value(result, SH.sourceShape)
        component = results.value(result, SH.sourceConstraintComponent)
        messages = _messages(results, shapes, result)
        if shape is not None and not messages:
            # Some engines omit sh:message of the shape; fall back to the shape's own.
            for msg in shapes.objects(shape, SH.message):
                if isinstance(msg, Literal):
                    messages.setdefault(msg.language or "", str(msg))
        out.append(
            ValidationResult(
                severity=Severity.from_iri(results.value(result, SH.resultSeverity) or SH.Violation),
                focus_node=focus,
                path=_path(results, results.value(result, SH.resultPath)),
                value=_node(results.value(result, SH.value)),
                source_shape=shape if isinstance(shape, (URIRef, BNode)) else None,
                constraint_component=component if isinstance(component, URIRef) else SH.ConstraintComponent,
                messages=messages,
                shape_id=namer(shape),
            )
        )
    return out


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def rules_from_shapes(shapes: Graph) -> tuple[Rule, ...]:
    """One :class:`Rule` per shape id, from the shapes that have a target (helpers left out).

    The label and source come from the targeted shape; the severity is the highest of the
    shapes that share the id.
    """
    namer = ShapeNamer(shapes)
    rules: dict[str, Rule] = {}
    targeted = {s for t in _TARGETS for s in shapes.subjects(t, None)}
    for shape in sorted(targeted, key=str):
        if shapes.value(shape, AKJSH.helper) == Literal(True):
            continue
        rule_id = namer(shape)
        if rule_id is None:
            continue
        members = [shape, *shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]
        severity = max(
            (Severity.from_iri(v) for m in members for v in shapes.objects(m, SH.severity)),
            default=Severity.VIOLATION,
        )
        labels = _lang_map(shapes, shape, RDFS.label)
        descriptions = _lang_map(shapes, shape, SH.message) or _lang_map(shapes, shape, RDFS.comment)
        old = rules.get(rule_id)
        if old is not None:
            severity = max(severity, old.severity)
            labels = {**labels, **old.labels}
            descriptions = {**descriptions, **old.descriptions}
        rules[rule_id] = Rule(
            id=rule_id,
            labels=labels,
            severity=severity,
            source=str(shape) if isinstance(shape, URIRef) else (old.source if old else None),
            descriptions=descriptions,
        )
    return tuple(sorted(rules.values(), key=lambda r: natural_key(r.id)))


def _lang_map(graph: Graph, subject: RdfNode, prop: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in sorted(graph.objects(subject, prop), key=str):
        if isinstance(value, Literal):
            out.setdefault(value.language or "", str(value))
    return out
