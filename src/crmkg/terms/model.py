"""What the term index holds: akj terms with their labels, definitions, shapes and queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from crmkg.namespaces import PREFIXES

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
    summaries: dict[str, str]  # by language; the catalogue's header gives fi and en, a user's query may give one

    def summary_in(self, lang: str) -> str | None:
        """The summary in ``lang``, else in English, else none."""
        return self.summaries.get(lang) or self.summaries.get("en")


@dataclass(frozen=True, order=True)
class Alignment:
    """A mapping of a term to an outside vocabulary's term (``akj-align.ttl``): ``closeMatch`` etc."""

    relation: str
    target: str


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
    #: A property's rdfs:domain and rdfs:range (the members of an owl:unionOf each), and its owl:inverseOf.
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    inverse: list[str] = field(default_factory=list)
    #: A property's OWL characteristics: functional, inverseFunctional, transitive, symmetric…
    characteristics: list[str] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)

    def label(self, lang: str) -> str:
        """The preferred label in ``lang``, else in any language, else the local name."""
        preferred = [lb for lb in self.labels if lb.kind in ("label", "prefLabel")]
        for lb in preferred:
            if lb.lang == lang:
                return lb.text
        return preferred[0].text if preferred else self.curie.split(":", 1)[-1]


@dataclass
class HierarchyNode:
    """A term in a tree, with its children (a term with two parents appears under both)."""

    iri: str
    curie: str
    label: str
    children: list[HierarchyNode] = field(default_factory=list)


def curie(iri: str) -> str:
    """``akj:hasPayer`` for the IRI, using the known prefixes (the IRI itself otherwise)."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def kind_matches(kind: str, wanted: str) -> bool:
    """Whether a term of ``kind`` passes the ``type=`` filter ``wanted``."""
    if wanted == "property":
        return kind.endswith("Property")
    if wanted == "concept":
        return kind in ("concept", "scheme")
    return kind == wanted
