"""The ontology QA for a consumer's own extension modules (``crmkg check --ontology FILE...``).

The meta-shapes check "every akj term" by a namespace filter and require the akj header's
prefix and namespace. For an extension, the same rules apply to the extension's terms: the
filter is pointed at the extension's namespaces (an extension term's label may still clash with
an akj term's), and the header must declare *a* preferred prefix and namespace — its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from crmkg.errors import UsageError, ValidationError
from crmkg.namespaces import AKJ, PREFIXES, SH, VANN

_TERM_KINDS = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    SKOS.Concept,
    SKOS.ConceptScheme,
)
_AKJ_FILTER = 'STRSTARTS(STR({var}), "' + str(AKJ) + '")'


def _namespace_of(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def extension_namespaces(extension: Graph) -> list[str]:
    """The namespaces an extension's terms live in: its headers' ``vann:preferredNamespaceUri``,
    else the namespaces of the terms it declares (never akj's or a well-known vocabulary's)."""
    declared = sorted(
        {
            str(o)
            for s in extension.subjects(RDF.type, OWL.Ontology)
            for o in extension.objects(s, VANN.preferredNamespaceUri)
        }
    )
    if declared:
        return declared
    known = {str(AKJ), *PREFIXES.values()}
    found = {
        _namespace_of(str(term))
        for kind in _TERM_KINDS
        for term in extension.subjects(RDF.type, kind)
        if isinstance(term, URIRef)
    }
    return sorted(found - known)


def _any_of(var: str, namespaces: Iterable[str]) -> str:
    tests = [f'STRSTARTS(STR({var}), "{ns}")' for ns in namespaces]
    return "(" + " || ".join(tests) + ")"


def meta_shapes_for(shapes: Graph, namespaces: Sequence[str]) -> Graph:
    """The meta-shapes pointed at ``namespaces`` instead of akj's (see the module docstring)."""
    if not namespaces:
        raise UsageError(key="error.extension_no_terms")
    out = Graph()
    for prefix, ns in shapes.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    this_filter = _AKJ_FILTER.format(var="$this")
    other_filter = _AKJ_FILTER.format(var="?other")
    pointed = 0
    for s, p, o in shapes:
        if p == SH.select and isinstance(o, Literal) and this_filter in str(o):
            text = str(o).replace(this_filter, _any_of("$this", namespaces))
            text = text.replace(other_filter, _any_of("?other", [str(AKJ), *namespaces]))
            o = Literal(text)
            pointed += 1
        out.add((s, p, o))
    if not pointed:
        raise ValidationError(key="error.meta_shapes_filter")
    _own_header(out)
    return out


_HEADER_MESSAGES = {
    VANN.preferredNamespacePrefix: (
        "Ontologialla on oltava yksi ensisijainen etuliite (vann:preferredNamespacePrefix).",
        "The ontology needs exactly one preferred prefix (vann:preferredNamespacePrefix).",
    ),
    VANN.preferredNamespaceUri: (
        "Ontologialla on oltava yksi ensisijainen nimiavaruus (vann:preferredNamespaceUri).",
        "The ontology needs exactly one preferred namespace (vann:preferredNamespaceUri).",
    ),
}


def _own_header(shapes: Graph) -> None:
    """An extension's header names its own prefix and namespace: keep the counts, drop the akj values."""
    for path, (fi, en) in _HEADER_MESSAGES.items():
        for shape in list(shapes.subjects(SH.path, path)):
            for constraint in (SH.hasValue, SH["in"]):
                shapes.remove((shape, constraint, None))
            shapes.remove((shape, SH.message, None))
            shapes.add((shape, SH.message, Literal(fi, lang="fi")))
            shapes.add((shape, SH.message, Literal(en, lang="en")))
