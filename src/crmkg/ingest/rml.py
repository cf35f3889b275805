"""A small streaming executor for the subset of RML our mapping files use.

Why not morph-kgc: its releases either fail on pandas 3 / NumPy 2 or pin pyoxigraph < 0.4,
pandas < 3 and rdflib < 7.3, which the rest of crmkg cannot give up, and it materialises the
whole graph in memory; crmkg no longer installs it. The mapping files stay standard RML over CSV
logical sources, so another RML engine can run them on the staged tables (``--staging-dir``).

Supported: ``rml:logicalSource`` with ``rml:source`` (a staged table name), subject maps with
``rr:class``; predicate-object maps whose terms are ``rr:constant`` (or the ``rr:predicate`` /
``rr:object`` shortcuts), ``rml:reference`` or ``rr:template``, with ``rr:termType``,
``rr:datatype`` and ``rr:language``. An empty or missing value produces no triple (as morph-kgc
does with its default null values). Joins and blank nodes are not used, so not supported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from crmkg.errors import IngestError, Phrase
from crmkg.namespaces import RML, RR

#: One staged row: column → value ("" or missing = null).
RowData = Mapping[str, str]
TermFn = Callable[[RowData], "str | None"]

_TEMPLATE_PART = re.compile(r"\{([^{}]+)\}")
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


#: Recently formatted IRIs. The provider, classes, roles, owners and the account of a row's
#: neighbours recur within a few thousand rows: about 40 % of the lookups of an import hit, and
#: each hit saves the check for forbidden characters, the dearest step of writing a triple.
_RECENT_IRIS: dict[str, str] = {}
_RECENT_LIMIT = 4096


def iri(value: str) -> str:
    """``<value>`` with characters that N-Triples forbids in IRIs percent-encoded."""
    found = _RECENT_IRIS.get(value)
    if found is None:
        text = _IRI_UNSAFE.sub(lambda m: quote(m.group(0), safe=""), value) if _IRI_UNSAFE.search(value) else value
        found = f"<{text}>"
        if len(_RECENT_IRIS) >= _RECENT_LIMIT:
            _RECENT_IRIS.clear()
        _RECENT_IRIS[value] = found
    return found


def literal(value: str, suffix: str = "") -> str:
    """An N-Triples literal; ``suffix`` is ``@lang`` or ``^^<datatype>``."""
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{value}"{suffix}'


@dataclass(frozen=True)
class TermMap:
    """A compiled term map: a constant, a column reference or a template (as a function)."""

    constant: str | None = None  # the term, already in N-Triples form
    column: str | None = None  # rml:reference
    as_iri: bool = True
    suffix: str = ""  # ``@lang`` or ``^^<datatype>`` of a literal
    template: TermFn | None = None

    def value(self, row: RowData) -> str | None:
        if self.constant is not None:
            return self.constant
        if self.column is not None:
            v = row.get(self.column)
            if not v:
                return None
            return iri(v) if self.as_iri else literal(v, self.suffix)
        assert self.template is not None
        return self.template(row)


@dataclass(frozen=True)
class TriplesMap:
    name: str
    source: str
    subject: TermMap
    classes: tuple[str, ...]
    pairs: tuple[tuple[TermMap, TermMap], ...]

    def plan(self) -> _Plan:
        """The pairs split for :meth:`RmlMapping.run`'s fast path: a constant predicate with a
        column reference (nearly every pair) versus any other combination."""
        rdf_type = iri(str(RDF.type))
        references: list[tuple[str, str, bool, str]] = []
        general: list[tuple[TermMap, TermMap]] = []
        for pred, obj in self.pairs:
            if pred.constant is not None and obj.column is not None:
                references.append((f" {pred.constant} ", obj.column, obj.as_iri, obj.suffix))
            else:
                general.append((pred, obj))
        types = tuple(f" {rdf_type} {cls} .\n" for cls in self.classes)
        return _Plan(self.subject, types, tuple(references), tuple(general))


@dataclass(frozen=True)
class _Plan:
    subject: TermMap
    types: tuple[str, ...]  # " rdf:type <class> .\n" for each class
    references: tuple[tuple[str, str, bool, str], ...]  # (" <predicate> ", column, as IRI, literal suffix)
    general: tuple[tuple[TermMap, TermMap], ...]


class RmlMapping:
    """The triples maps of one or more RML files, ready to run over staged rows."""

    def __init__(self, maps: Iterable[TriplesMap]) -> None:
        self.maps = tuple(maps)

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> RmlMapping:
        graph = Graph()
        for path in paths:
            graph.parse(path, format="turtle")
        return cls(_compile(graph, tm) for tm in sorted(set(graph.subjects(RML.logicalSource, None)), key=str))

    def run(self, source: str, rows: Iterable[RowData]) -> Iterator[str]:
        """N-Triples text for every triples map reading ``source``, one chunk per row.

        This loop runs for every value of a 100,000-account import, so the common case (a
        constant predicate, a column's value as object) is inlined rather than a call per term.
        """
        plans = [tm.plan() for tm in self.maps if tm.source == source]
        for row in rows:
            get = row.get
            lines: list[str] = []
            append = lines.append
            for plan in plans:
                subject_map = plan.subject
                if subject_map.column is not None:
                    value = get(subject_map.column)
                    if not value:
                        continue
                    subject = iri(value)
                else:
                    found = subject_map.value(row)
                    if found is None:
                        continue
                    subject = found
                for tail in plan.types:
                    append(subject + tail)
                for predicate, column, as_iri, suffix in plan.references:
                    value = get(column)
                    if value:
                        append(f"{subject}{predicate}{iri(value) if as_iri else literal(value, suffix)} .\n")
                for pred_map, obj_map in plan.general:
                    pred, obj = pred_map.value(row), obj_map.value(row)
                    if pred is not None and obj is not None:
                        append(f"{subject} {pred} {obj} .\n")
            if lines:
                yield "".join(lines)


def _one(graph: Graph, node: Node, prop: URIRef) -> Node | None:
    values = list(graph.objects(node, prop))
    if len(values) > 1:
        raise IngestError(key="error.rml", problem=Phrase("rml.several", node=node, prop=prop))
    return values[0] if values else None


def _compile(graph: Graph, tm: Node) -> TriplesMap:
    source_node = _one(graph, tm, RML.logicalSource)
    source = _one(graph, source_node, RML.source) if source_node is not None else None
    if source is None:
        raise IngestError(key="error.rml", problem=Phrase("rml.no_source", map=tm))
    subject_map = _one(graph, tm, RR.subjectMap)
    if subject_map is None:
        raise IngestError(key="error.rml", problem=Phrase("rml.no_subject", map=tm))
    classes = tuple(iri(str(c)) for c in sorted(graph.objects(subject_map, RR["class"]), key=str))
    pairs: list[tuple[TermMap, TermMap]] = []
    for pom in graph.objects(tm, RR.predicateObjectMap):
        preds = [TermMap(constant=iri(str(p))) for p in graph.objects(pom, RR.predicate)]
        preds += [_term_map(graph, pm, "iri") for pm in graph.objects(pom, RR.predicateMap)]
        objs = [TermMap(constant=_format_node(o)) for o in graph.objects(pom, RR.object)]
        for om in graph.objects(pom, RR.objectMap):
            if _one(graph, om, RR.parentTriplesMap) is not None:
                raise IngestError(key="error.rml", problem=Phrase("rml.joins", map=tm))
            objs.append(_term_map(graph, om, "object"))
        pairs.extend((p, o) for p in preds for o in objs)
    return TriplesMap(str(tm), str(source), _term_map(graph, subject_map, "iri"), classes, tuple(pairs))


def _format_node(node: Node) -> str:
    if isinstance(node, Literal):
        if node.language:
            return literal(str(node), f"@{node.language}")
        if node.datatype:
            return literal(str(node), f"^^{iri(str(node.datatype))}")
        return literal(str(node))
    return iri(str(node))


def _term_map(graph: Graph, tmap: Node, position: str) -> TermMap:
    """Compile a term map; ``position`` is "iri" (subject/predicate) or "object"."""
    constant = _one(graph, tmap, RR.constant)
    if constant is not None:
        return TermMap(constant=_format_node(constant))
    reference = _one(graph, tmap, RML.reference)
    template = _one(graph, tmap, RR.template)
    term_type = _one(graph, tmap, RR.termType)
    language = _one(graph, tmap, RR.language)
    datatype = _one(graph, tmap, RR.datatype)
    if term_type == RR.BlankNode:
        raise IngestError(key="error.rml", problem=Phrase("rml.blank_nodes", map=tmap))
    as_iri = position == "iri" or reference is None if term_type is None else term_type == RR.IRI
    suffix = f"@{language}" if language else f"^^{iri(str(datatype))}" if datatype else ""
    if reference is not None:
        return TermMap(column=str(reference), as_iri=as_iri, suffix=suffix)
    if template is not None:
        return TermMap(as_iri=as_iri, suffix=suffix, template=_template_fn(str(template), as_iri, suffix))
    raise IngestError(key="error.rml", problem=Phrase("rml.no_term", map=tmap))


def _template_fn(template: str, as_iri: bool, suffix: str) -> TermFn:
    parts = _TEMPLATE_PART.split(template)  # text, column, text, column, …, text
    texts, columns = parts[0::2], parts[1::2]

    def fill(row: RowData) -> str | None:
        out = [texts[0]]
        for column, text in zip(columns, texts[1:], strict=True):
            value = row.get(column)
            if not value:
                return None
            out.append(quote(value, safe="-._~") if as_iri else value)
            out.append(text)
        joined = "".join(out)
        return iri(joined) if as_iri else literal(joined, suffix)

    return fill


def packaged_mapping(*names: str) -> RmlMapping:
    """The packaged RML files ``mappings/common.rml.ttl`` plus ``mappings/<name>.rml.ttl``."""
    folder = resources.files("crmkg.ingest") / "mappings"
    return RmlMapping.from_files(Path(str(folder / f"{name}.rml.ttl")) for name in ("common", *names))
