"""The ontology as the documentation reads it: every akj class, property and concept scheme with
its labels, definitions, notes, examples, sources, domain and range, hierarchy and alignments.

Read once from the packaged ontology modules (a few thousand triples, rdflib).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from crmkg import resources
from crmkg.namespaces import AKJ
from crmkg.terms import curie

MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
SECTIONS = (
    ("classes", (OWL.Class,)),
    ("object_properties", (OWL.ObjectProperty,)),
    ("datatype_properties", (OWL.DatatypeProperty,)),
    ("annotation_properties", (OWL.AnnotationProperty,)),
    ("schemes", (SKOS.ConceptScheme,)),
    ("concepts", (SKOS.Concept,)),
)
#: Annotation properties shown as "where in the essay" and "the team's paraphrase" when present.
LOCATOR_PROPERTIES = ("essayLocator", "locator", "sourceLocator")
PARAPHRASE_PROPERTIES = ("essayParaphrase", "paraphrase", "sourceParaphrase")


@dataclass
class Entry:
    """One documented term."""

    iri: str
    curie: str
    section: str
    labels: dict[str, str] = field(default_factory=dict)
    alt_labels: dict[str, list[str]] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    locators: dict[str, str] = field(default_factory=dict)
    paraphrases: dict[str, str] = field(default_factory=dict)
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    alignments: list[tuple[str, str]] = field(default_factory=list)  # (mapping property curie, target IRI)
    inverse: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)  # for a scheme: its concepts
    in_scheme: list[str] = field(default_factory=list)
    deprecated: bool = False

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or next(iter(self.labels.values()), self.curie.split(":", 1)[-1])

    @property
    def anchor(self) -> str:
        return self.curie.split(":", 1)[-1]


@dataclass
class Ontology:
    """The documented ontology: header texts per language and the entries by section."""

    iri: str
    version: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    entries: dict[str, Entry]
    graph: Graph

    def section(self, name: str) -> list[Entry]:
        return sorted((e for e in self.entries.values() if e.section == name), key=lambda e: e.curie.casefold())

    def get(self, iri: str) -> Entry | None:
        return self.entries.get(iri)

    def name(self, iri: str, lang: str) -> str:
        entry = self.entries.get(iri)
        if entry is not None:
            return entry.label(lang)
        label = _by_lang(self.graph, URIRef(iri), (RDFS.label, SKOS.prefLabel)).get(lang)
        return label or curie(iri)


def _by_lang(graph: Graph, subject: Node, props: Iterable[URIRef]) -> dict[str, str]:
    out: dict[str, str] = {}
    for prop in props:
        for value in graph.objects(subject, prop):
            if isinstance(value, Literal):
                out.setdefault(value.language or "", str(value))
    return out


def _lists(graph: Graph, subject: Node, prop: URIRef) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for value in graph.objects(subject, prop):
        if isinstance(value, Literal):
            out.setdefault(value.language or "", []).append(str(value))
    for texts in out.values():
        texts.sort()
    return out


def _named(values: Iterable[Node]) -> list[str]:
    return sorted({str(v) for v in values if isinstance(v, URIRef)})


def _class_expression(graph: Graph, node: Node) -> list[str]:
    """Named classes of a domain/range: the class itself, or the members of an owl:unionOf."""
    if isinstance(node, URIRef):
        return [str(node)]
    if isinstance(node, BNode):
        from rdflib.collection import Collection

        for members in graph.objects(node, OWL.unionOf):
            return [str(m) for m in Collection(graph, members) if isinstance(m, URIRef)]
    return []


def _annotation(graph: Graph, subject: URIRef, names: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name in names:
        out.update(_by_lang(graph, subject, (AKJ[name],)))
    return out


def build(graph: Graph, ontology_iri: str = "https://w3id.org/crmkg/akj") -> Ontology:
    ns = str(AKJ)
    entries: dict[str, Entry] = {}
    for section, types in SECTIONS:
        for rdf_type in types:
            for subject in graph.subjects(RDF.type, rdf_type):
                if not isinstance(subject, URIRef) or not str(subject).startswith(ns) or str(subject) in entries:
                    continue
                entries[str(subject)] = _entry(graph, subject, section)
    for entry in entries.values():
        for parent in entry.parents:
            if parent in entries:
                entries[parent].children.append(entry.iri)
    for entry in entries.values():
        entry.children.sort()
    header = URIRef(ontology_iri)
    version = next((str(v) for v in graph.objects(header, OWL.versionInfo)), "")
    return Ontology(
        iri=ontology_iri,
        version=version,
        titles=_by_lang(graph, header, (DCTERMS.title,)),
        descriptions=_by_lang(graph, header, (DCTERMS.description,)),
        entries=entries,
        graph=graph,
    )


def _entry(graph: Graph, subject: URIRef, section: str) -> Entry:
    entry = Entry(str(subject), curie(str(subject)), section)
    entry.labels = _by_lang(graph, subject, (RDFS.label, SKOS.prefLabel))
    entry.alt_labels = _lists(graph, subject, SKOS.altLabel)
    entry.definitions = _by_lang(graph, subject, (SKOS.definition, RDFS.comment))
    entry.notes = _lists(graph, subject, SKOS.scopeNote)
    entry.examples = _lists(graph, subject, SKOS.example)
    for source in graph.objects(subject, DCTERMS.source):
        citation = next((str(c) for c in graph.objects(source, DCTERMS.bibliographicCitation)), None)
        entry.sources.append(citation or str(source))
    entry.sources.sort()
    entry.locators = _annotation(graph, subject, LOCATOR_PROPERTIES)
    entry.paraphrases = _annotation(graph, subject, PARAPHRASE_PROPERTIES)
    parent_props = (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.broader)
    entry.parents = _named(v for p in parent_props for v in graph.objects(subject, p))
    for prop, target in ((RDFS.domain, entry.domain), (RDFS.range, entry.range)):
        for value in graph.objects(subject, prop):
            target.extend(_class_expression(graph, value))
    entry.alignments = sorted(
        (curie(str(p)), str(v)) for p in MAPPINGS for v in graph.objects(subject, p) if isinstance(v, URIRef)
    )
    entry.inverse = _named([*graph.objects(subject, OWL.inverseOf), *graph.subjects(OWL.inverseOf, subject)])
    if section == "schemes":
        entry.concepts = _named(graph.subjects(SKOS.inScheme, subject))
    entry.in_scheme = _named(graph.objects(subject, SKOS.inScheme))
    entry.deprecated = any(str(v).lower() == "true" for v in graph.objects(subject, OWL.deprecated))
    return entry


def load_graph(data_dir: Path | None = None) -> Graph:
    graph = Graph()
    for path in resources.ontology_files(data_dir):
        graph.parse(path, format="turtle")
    return graph


@cache
def default_ontology(data_dir: Path | None = None) -> Ontology:
    """The packaged ontology, read once per process."""
    return build(load_graph(data_dir))
