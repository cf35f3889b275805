"""Reading the term index from the ontology, the shapes and the queries (rdflib; a few thousand triples)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from crmkg import resources
from crmkg.catalogue.header import HeaderError, parse_header
from crmkg.errors import LoadError
from crmkg.namespaces import AKJ
from crmkg.terms.model import KINDS, Alignment, Label, QueryUse, ShapeUse, Term, curie

_KIND_OF_TYPE = {
    OWL.ObjectProperty: "objectProperty",
    OWL.DatatypeProperty: "datatypeProperty",
    OWL.Class: "class",
    RDFS.Class: "class",
    OWL.AnnotationProperty: "annotationProperty",
    SKOS.ConceptScheme: "scheme",
    SKOS.Concept: "concept",
    OWL.NamedIndividual: "individual",
}
_LABEL_KINDS = (
    (RDFS.label, "label"),
    (SKOS.prefLabel, "prefLabel"),
    (SKOS.altLabel, "altLabel"),
    (SKOS.hiddenLabel, "hiddenLabel"),
)


def terms_from_graphs(ontology: Graph, shapes: Graph | None = None, query_files: Sequence[Path] = ()) -> list[Term]:
    """The akj terms of ``ontology``, with the shapes that constrain them and the queries using them."""
    ns = str(AKJ)
    terms: dict[str, Term] = {}
    for subject in set(ontology.subjects(RDF.type, None)):
        if not isinstance(subject, URIRef) or not str(subject).startswith(ns) or str(subject) == ns:
            continue
        kind = _kind(ontology, subject)
        if kind is None:
            continue
        term = Term(str(subject), curie(str(subject)), kind)
        for prop, label_kind in _LABEL_KINDS:
            for value in ontology.objects(subject, prop):
                if isinstance(value, Literal):
                    term.labels.append(Label(str(value), value.language or "", label_kind))
        term.labels.append(Label(str(subject)[len(ns) :], "", "localName"))
        for value in ontology.objects(subject, SKOS.definition):
            if isinstance(value, Literal):
                term.definitions.setdefault(value.language or "", str(value))
        term.deprecated = any(
            v.toPython() is True for v in ontology.objects(subject, OWL.deprecated) if isinstance(v, Literal)
        )
        terms[term.iri] = term
    for term in terms.values():
        subject = URIRef(term.iri)
        for prop in (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.broader):
            for parent in ontology.objects(subject, prop):
                if isinstance(parent, URIRef) and parent != subject and str(parent) not in term.parents:
                    term.parents.append(str(parent))
                    if str(parent) in terms:
                        terms[str(parent)].children.append(term.iri)
    for term in terms.values():
        _attach_axioms(term, ontology)
    if shapes is not None:
        _attach_shapes(terms, shapes)
    _attach_queries(terms, query_files)
    for term in terms.values():
        term.parents.sort()
        term.children.sort()
    return list(terms.values())


#: OWL property characteristics, as the term card names them.
_CHARACTERISTICS = (
    (OWL.FunctionalProperty, "functional"),
    (OWL.InverseFunctionalProperty, "inverseFunctional"),
    (OWL.TransitiveProperty, "transitive"),
    (OWL.SymmetricProperty, "symmetric"),
    (OWL.AsymmetricProperty, "asymmetric"),
    (OWL.ReflexiveProperty, "reflexive"),
    (OWL.IrreflexiveProperty, "irreflexive"),
)
_MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


def _attach_axioms(term: Term, ontology: Graph) -> None:
    """Domain, range, inverse, characteristics and the alignments to other vocabularies."""
    subject = URIRef(term.iri)
    term.domain = _classes(ontology, ontology.objects(subject, RDFS.domain))
    term.range = _classes(ontology, ontology.objects(subject, RDFS.range))
    inverse = {*ontology.objects(subject, OWL.inverseOf), *ontology.subjects(OWL.inverseOf, subject)}
    term.inverse = sorted(str(i) for i in inverse if isinstance(i, URIRef))
    types = set(ontology.objects(subject, RDF.type))
    term.characteristics = [name for owl_type, name in _CHARACTERISTICS if owl_type in types]
    term.alignments = sorted(
        Alignment(relation, str(target))
        for relation in _MATCHES
        for target in ontology.objects(subject, SKOS[relation])
        if isinstance(target, URIRef)
    )
    for relation, prop in (("subClassOf", RDFS.subClassOf), ("subPropertyOf", RDFS.subPropertyOf)):
        for parent in ontology.objects(subject, prop):
            if isinstance(parent, URIRef) and not str(parent).startswith(str(AKJ)):
                term.alignments.append(Alignment(relation, str(parent)))


def _classes(graph: Graph, values: Iterable[Node]) -> list[str]:
    """Named classes among ``values``, an owl:unionOf read as its members."""
    found: set[str] = set()
    for value in values:
        if isinstance(value, URIRef):
            found.add(str(value))
        elif isinstance(value, BNode) and (members := graph.value(value, OWL.unionOf)) is not None:
            found.update(str(m) for m in Collection(graph, members) if isinstance(m, URIRef))
    return sorted(found)


def packaged_terms(data_dir: Path | None = None) -> list[Term]:
    """The terms of the packaged ontology, shapes and queries (or those under ``data_dir``)."""
    ontology = Graph()
    try:
        for path in resources.ontology_files(data_dir):
            ontology.parse(path, format="turtle")
        shapes = Graph()
        for shapes_path in resources.shapes_files(data_dir):
            shapes.parse(shapes_path, format="turtle")
    except Exception as exc:  # rdflib raises plain exceptions from its parsers
        raise LoadError(key="error.packaged_unreadable", problem=str(exc)) from exc
    queries_dir = resources.data_path("queries", data_dir)
    files = sorted(queries_dir.rglob("*.rq")) if queries_dir.is_dir() else []
    return terms_from_graphs(ontology, shapes, files)


def _kind(graph: Graph, subject: URIRef) -> str | None:
    found = {_KIND_OF_TYPE[t] for t in graph.objects(subject, RDF.type) if isinstance(t, URIRef) and t in _KIND_OF_TYPE}
    for kind in KINDS:
        if kind in found:
            return kind
    return None


def _literal_map(graph: Graph, subject: Node, prop: URIRef) -> dict[str, str]:
    return {(v.language or ""): str(v) for v in graph.objects(subject, prop) if isinstance(v, Literal)}


def _int(graph: Graph, subject: Node, prop: URIRef) -> int | None:
    value = graph.value(subject, prop)
    return int(value) if isinstance(value, Literal) else None


def _named(shapes: Graph, node: Node) -> Node:
    """The named shape a nested blank-node shape belongs to (through sh:or lists, sh:node, …), so a
    card names ``akjsh:S05-OneCurrentOwner`` rather than a blank node's id; the node itself if none."""
    seen: set[Node] = set()
    current = node
    while isinstance(current, BNode) and current not in seen:
        seen.add(current)
        holder = next(iter(shapes.subjects(None, current)), None)
        if holder is None:
            return node
        current = holder
    return current if isinstance(current, URIRef) else node


def _attach_shapes(terms: dict[str, Term], shapes: Graph) -> None:
    """Record on each term the shapes that target, constrain or mention it."""
    parent_of = {ps: ns for ns, ps in shapes.subject_objects(SH.property)}

    def add(iri: object, shape: Node, via: str) -> None:
        term = terms.get(str(iri))
        if term is None or not isinstance(shape, URIRef | BNode):
            return
        owner = _named(shapes, parent_of.get(shape, shape))
        use = ShapeUse(
            shape=curie(str(owner)) if isinstance(owner, URIRef) else "_:" + str(owner),
            via=via,
            property_shape=(curie(str(shape)) if isinstance(shape, URIRef) else None) if owner != shape else None,
            severity=curie(str(sev))
            if (sev := shapes.value(shape, SH.severity) or shapes.value(owner, SH.severity))
            else None,
            min_count=_int(shapes, shape, SH.minCount),
            max_count=_int(shapes, shape, SH.maxCount),
            messages=_literal_map(shapes, shape, SH.message) or _literal_map(shapes, owner, SH.message),
        )
        if use not in term.shapes:
            term.shapes.append(use)

    for via, prop in (
        ("targetClass", SH.targetClass),
        ("targetSubjectsOf", SH.targetSubjectsOf),
        ("targetObjectsOf", SH.targetObjectsOf),
        ("path", SH.path),
        ("class", SH["class"]),
        ("hasValue", SH.hasValue),
        ("datatype", SH.datatype),
    ):
        for shape, value in shapes.subject_objects(prop):
            add(value, shape, via)
    for shape, values in shapes.subject_objects(SH["in"]):
        if isinstance(values, BNode):
            for value in Collection(shapes, values):
                add(value, shape, "in")
    # SHACL-SPARQL constraints name terms inside their query text.
    for shape, constraint in shapes.subject_objects(SH.sparql):
        text = str(shapes.value(constraint, SH.select) or shapes.value(constraint, SH.ask) or "")
        for iri in _mentioned(text, terms):
            add(iri, shape, "sparql")


_TOKEN = re.compile(r"akj:([A-Za-z_][\w\-.]*[\w\-])|<https://w3id\.org/crmkg/akj#([^>]+)>")


def _mentioned(text: str, terms: dict[str, Term]) -> set[str]:
    found = set()
    for match in _TOKEN.finditer(text):
        iri = str(AKJ) + (match.group(1) or match.group(2))
        if iri in terms:
            found.add(iri)
    return found


def _summaries(text: str) -> dict[str, str]:
    """A query file's summary by language, read by the catalogue's header parser (a one-language one as ``en``)."""
    try:
        header, _ = parse_header(text)
    except HeaderError:
        return {}  # the catalogue reports a broken header; a term card just shows no summary
    summary = header.get("summary")
    if isinstance(summary, str):
        return {"en": summary}
    if isinstance(summary, dict):
        return {lang: value for lang, value in summary.items() if isinstance(value, str)}
    return {}


def _attach_queries(terms: dict[str, Term], files: Sequence[Path]) -> None:
    for path in files:
        try:
            text = path.read_text("utf-8")
        except OSError:
            continue
        use = QueryUse(path.stem, path.parent.name, _summaries(text))
        for iri in _mentioned(text, terms):
            terms[iri].queries.append(use)
    for term in terms.values():
        term.queries.sort(key=lambda q: (q.folder, q.id))
