"""Term lookup over the akj ontology: search by fi/en label, a term's card, the hierarchy.

Search ranks exact label matches first, then prefix and substring matches, then the same on
diacritic-folded text (``kayttaja`` finds ``käyttäjä``), then a light Finnish suffix-stripping
fallback (``maksajana`` finds ``maksaja``). Every hit says which label, in which language and of
which kind (``prefLabel``, ``altLabel``, ``hiddenLabel``, ``localName``) matched, and how.

The index is built once from the packaged ontology, shapes and queries (rdflib; a few thousand
triples), so lookups are dictionary reads.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from crmkg import resources
from crmkg.errors import LoadError, NotFound, UsageError
from crmkg.namespaces import AKJ, PREFIXES

#: Kinds of term, in the order a tie between equally good matches is broken.
KINDS = (
    "objectProperty",
    "datatypeProperty",
    "class",
    "annotationProperty",
    "scheme",
    "concept",
    "individual",
)
#: ``type=`` filter values: each kind, plus ``property`` for any property.
TYPE_FILTERS = (*KINDS, "property")

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
#: How good a match is; lower is better.
MATCH_RANK = {
    "exact": 0,
    "prefix": 1,
    "substring": 2,
    "folded-exact": 3,
    "folded-prefix": 4,
    "folded-substring": 5,
    "stem": 6,
}
_LABEL_RANK = {"label": 0, "prefLabel": 0, "altLabel": 1, "localName": 2, "hiddenLabel": 3}
# Common Finnish case and number endings, longest first; stripped only as the last fallback.
_FI_SUFFIXES = tuple(
    sorted(
        (
            "ssa",
            "ssä",
            "sta",
            "stä",
            "lla",
            "llä",
            "lta",
            "ltä",
            "lle",
            "ksi",
            "na",
            "nä",
            "iden",
            "jen",
            "ien",
            "den",
            "ten",
            "en",
            "n",
            "t",
            "a",
            "ä",
            "ja",
            "jä",
            "ita",
            "itä",
        ),
        key=len,
        reverse=True,
    )
)


@dataclass(frozen=True)
class Label:
    """One label of a term: its text, language tag ('' if none) and kind."""

    text: str
    lang: str
    kind: str


@dataclass(frozen=True)
class ShapeUse:
    """A shape that constrains a term, and how (``targetClass``, ``path``, ``class``, ``sparql``…)."""

    shape: str
    via: str
    property_shape: str | None = None
    severity: str | None = None
    min_count: int | None = None
    max_count: int | None = None
    messages: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QueryUse:
    """A query in ``queries/`` whose text mentions a term."""

    id: str
    folder: str
    summary: str | None


@dataclass
class Term:
    """An akj term with everything the term card shows."""

    iri: str
    curie: str
    kind: str
    labels: list[Label] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    shapes: list[ShapeUse] = field(default_factory=list)
    queries: list[QueryUse] = field(default_factory=list)
    deprecated: bool = False

    def label(self, lang: str) -> str:
        """The preferred label in ``lang``, else in any language, else the local name."""
        preferred = [lb for lb in self.labels if lb.kind in ("label", "prefLabel")]
        for lb in preferred:
            if lb.lang == lang:
                return lb.text
        return preferred[0].text if preferred else self.curie.split(":", 1)[-1]


@dataclass(frozen=True)
class Match:
    """Why a term is a hit: the label that matched and how well."""

    text: str
    lang: str
    kind: str
    how: str
    score: float


@dataclass(frozen=True)
class Hit:
    """A search hit: the term and its best match."""

    term: Term
    match: Match


@dataclass
class HierarchyNode:
    """A term in a tree, with its children (a term with two parents appears under both)."""

    iri: str
    curie: str
    label: str
    children: list[HierarchyNode] = field(default_factory=list)


def fold(text: str) -> str:
    """Case- and diacritic-folded text: ``Käyttäjä`` → ``kayttaja``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def curie(iri: str) -> str:
    """``akj:hasPayer`` for the IRI, using the known prefixes (the IRI itself otherwise)."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def _kind(graph: Graph, subject: URIRef) -> str | None:
    found = {_KIND_OF_TYPE[t] for t in graph.objects(subject, RDF.type) if isinstance(t, URIRef) and t in _KIND_OF_TYPE}
    for kind in KINDS:
        if kind in found:
            return kind
    return None


class TermIndex:
    """All akj terms of an ontology graph, searchable by label."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._terms = {t.iri: t for t in terms}
        self._curies = {t.curie: t.iri for t in self._terms.values()}

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterable[Term]:
        return iter(self._terms.values())

    # -- building ------------------------------------------------------------------------------

    @classmethod
    def from_graphs(cls, ontology: Graph, shapes: Graph | None = None, query_files: Sequence[Path] = ()) -> TermIndex:
        """Index the akj terms of ``ontology``, the shapes that constrain them and the queries using them."""
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
        if shapes is not None:
            _attach_shapes(terms, shapes)
        _attach_queries(terms, query_files)
        for term in terms.values():
            term.parents.sort()
            term.children.sort()
        return cls(terms.values())

    @classmethod
    def load(cls, data_dir: Path | None = None) -> TermIndex:
        """The index of the packaged ontology, shapes and queries (or those under ``data_dir``)."""
        ontology = Graph()
        try:
            for path in resources.ontology_files(data_dir):
                ontology.parse(path, format="turtle")
            shapes = Graph()
            for shapes_path in resources.shapes_files(data_dir):
                shapes.parse(shapes_path, format="turtle")
        except Exception as exc:  # rdflib raises plain exceptions from its parsers
            raise LoadError(f"cannot read the packaged ontology or shapes: {exc}") from exc
        queries_dir = resources.data_path("queries", data_dir)
        files = sorted(queries_dir.rglob("*.rq")) if queries_dir.is_dir() else []
        return cls.from_graphs(ontology, shapes, files)

    # -- reading -------------------------------------------------------------------------------

    def get(self, identifier: str) -> Term:
        """A term by IRI or CURIE; raises :class:`NotFound`."""
        iri = self._curies.get(identifier, identifier)
        try:
            return self._terms[iri]
        except KeyError:
            raise NotFound(f"{identifier} is not an akj term") from None

    def search(self, query: str, *, lang: str | None = None, type: str | None = None, limit: int = 20) -> list[Hit]:
        """Terms whose labels match ``query``, best first (see the module docstring for the order).

        ``lang`` restricts matching to labels in that language (the local name always counts);
        ``type`` to one kind of term (``property`` for every kind of property).
        """
        if type is not None and type not in TYPE_FILTERS:
            raise UsageError(f"type must be one of {', '.join(TYPE_FILTERS)}, not {type!r}")
        needle = _norm(query)
        if not needle:
            raise UsageError("the search text is empty")
        folded = fold(needle)
        stems = _stems(needle)
        hits: list[tuple[tuple[object, ...], Hit]] = []
        for term in self._terms.values():
            if type is not None and not _kind_matches(term.kind, type):
                continue
            best: tuple[tuple[object, ...], Match] | None = None
            for label in term.labels:
                if lang is not None and label.kind != "localName" and label.lang != lang:
                    continue
                how = _how(needle, folded, stems, label.text)
                if how is None:
                    continue
                key = (MATCH_RANK[how], _LABEL_RANK[label.kind], label.lang != (lang or label.lang), len(label.text))
                if best is None or key < best[0]:
                    score = round(1.0 - 0.12 * MATCH_RANK[how] - 0.03 * _LABEL_RANK[label.kind], 3)
                    best = (key, Match(label.text, label.lang, label.kind, how, score))
            if best is not None:
                order = (*best[0][:2], KINDS.index(term.kind), *best[0][2:], term.curie)
                hits.append((order, Hit(term, best[1])))
        hits.sort(key=lambda pair: pair[0])
        return [hit for _, hit in hits[: max(limit, 0)]]

    def hierarchy(self, kind: str = "class", *, lang: str = "fi", root: str | None = None) -> list[HierarchyNode]:
        """The akj tree of classes (``class``), properties (``property``) or concepts (``concept``)."""
        if kind not in ("class", "property", "concept"):
            raise UsageError(f"hierarchy kind must be class, property or concept, not {kind!r}")
        members = {iri for iri, t in self._terms.items() if _kind_matches(t.kind, kind)}
        if root is not None:
            start = self.get(root)
            if start.iri not in members:
                raise UsageError(f"{start.curie} is not a {kind}")
            roots = [start.iri]
        else:
            roots = sorted(
                (iri for iri in members if not any(p in members for p in self._terms[iri].parents)),
                key=lambda iri: self._terms[iri].label(lang).casefold(),
            )

        def build(iri: str, seen: frozenset[str]) -> HierarchyNode:
            term = self._terms[iri]
            node = HierarchyNode(iri, term.curie, term.label(lang))
            children = sorted(
                (c for c in term.children if c in members and c not in seen),
                key=lambda c: self._terms[c].label(lang).casefold(),
            )
            node.children = [build(c, seen | {c}) for c in children]
            return node

        return [build(iri, frozenset({iri})) for iri in roots]


def _kind_matches(kind: str, wanted: str) -> bool:
    if wanted == "property":
        return kind.endswith("Property")
    if wanted == "concept":
        return kind in ("concept", "scheme")
    return kind == wanted


def _how(needle: str, folded: str, stems: Sequence[str], label_text: str) -> str | None:
    text = _norm(label_text)
    if text == needle:
        return "exact"
    if text.startswith(needle):
        return "prefix"
    if needle in text:
        return "substring"
    ftext = fold(text)
    if ftext == folded:
        return "folded-exact"
    if ftext.startswith(folded):
        return "folded-prefix"
    if folded in ftext:
        return "folded-substring"
    for stem in stems:
        if ftext == stem or ftext.startswith(stem):
            return "stem"
    return None


def _stems(needle: str) -> list[str]:
    """Diacritic-folded forms of ``needle`` with one common Finnish ending removed (stem ≥ 4 letters)."""
    word = fold(needle)
    found = []
    for suffix in _FI_SUFFIXES:
        fsuffix = fold(suffix)
        if word.endswith(fsuffix) and len(word) - len(fsuffix) >= 4:
            found.append(word[: -len(fsuffix)])
    return found


def _literal_map(graph: Graph, subject: Node, prop: URIRef) -> dict[str, str]:
    return {(v.language or ""): str(v) for v in graph.objects(subject, prop) if isinstance(v, Literal)}


def _int(graph: Graph, subject: Node, prop: URIRef) -> int | None:
    value = graph.value(subject, prop)
    return int(value) if isinstance(value, Literal) else None


def _attach_shapes(terms: dict[str, Term], shapes: Graph) -> None:
    """Record on each term the shapes that target, constrain or mention it."""
    parent_of = {ps: ns for ns, ps in shapes.subject_objects(SH.property)}

    def add(iri: object, shape: Node, via: str) -> None:
        term = terms.get(str(iri))
        if term is None or not isinstance(shape, URIRef | BNode):
            return
        owner = parent_of.get(shape, shape)
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
_SUMMARY = re.compile(r"^#\+\s*summary:\s*(.+)$", re.MULTILINE)


def _mentioned(text: str, terms: dict[str, Term]) -> set[str]:
    found = set()
    for match in _TOKEN.finditer(text):
        iri = str(AKJ) + (match.group(1) or match.group(2))
        if iri in terms:
            found.add(iri)
    return found


def _attach_queries(terms: dict[str, Term], files: Sequence[Path]) -> None:
    for path in files:
        try:
            text = path.read_text("utf-8")
        except OSError:
            continue
        summary = _SUMMARY.search(text)
        use = QueryUse(path.stem, path.parent.name, summary.group(1).strip() if summary else None)
        for iri in _mentioned(text, terms):
            terms[iri].queries.append(use)
    for term in terms.values():
        term.queries.sort(key=lambda q: (q.folder, q.id))


_default_index: dict[Path | None, TermIndex] = {}


def default_index(data_dir: Path | None = None) -> TermIndex:
    """The packaged term index, built on first use and kept."""
    if data_dir not in _default_index:
        _default_index[data_dir] = TermIndex.load(data_dir)
    return _default_index[data_dir]


__all__ = [
    "KINDS",
    "TYPE_FILTERS",
    "HierarchyNode",
    "Hit",
    "Label",
    "Match",
    "QueryUse",
    "ShapeUse",
    "Term",
    "TermIndex",
    "curie",
    "default_index",
    "fold",
]
