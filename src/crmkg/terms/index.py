"""The term index: every akj term by IRI and CURIE, searchable by label, and its hierarchy."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Graph

from crmkg.errors import NotFound, UsageError
from crmkg.terms.build import packaged_terms, terms_from_graphs
from crmkg.terms.model import HierarchyNode, Term, kind_matches
from crmkg.terms.search import Hit, search


class TermIndex:
    """All akj terms of an ontology graph, searchable by label."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._terms = {t.iri: t for t in terms}
        self._curies = {t.curie: t.iri for t in self._terms.values()}

    def __len__(self) -> int:
        return len(self._terms)

    def __iter__(self) -> Iterable[Term]:
        return iter(self._terms.values())

    @classmethod
    def from_graphs(cls, ontology: Graph, shapes: Graph | None = None, query_files: Sequence[Path] = ()) -> TermIndex:
        """Index the akj terms of ``ontology``, the shapes that constrain them and the queries using them."""
        return cls(terms_from_graphs(ontology, shapes, query_files))

    @classmethod
    def load(cls, data_dir: Path | None = None) -> TermIndex:
        """The index of the packaged ontology, shapes and queries (or those under ``data_dir``)."""
        return cls(packaged_terms(data_dir))

    def get(self, identifier: str) -> Term:
        """A term by IRI or CURIE; raises :class:`NotFound`."""
        iri = self._curies.get(identifier, identifier)
        try:
            return self._terms[iri]
        except KeyError:
            raise NotFound(key="error.not_akj_term", term=identifier) from None

    def search(self, query: str, *, lang: str | None = None, type: str | None = None, limit: int = 20) -> list[Hit]:
        """Terms whose labels match ``query``, best first (:func:`crmkg.terms.search.search`)."""
        return search(self._terms.values(), query, lang=lang, type=type, limit=limit)

    def hierarchy(self, kind: str = "class", *, lang: str = "fi", root: str | None = None) -> list[HierarchyNode]:
        """The akj tree of classes (``class``), properties (``property``) or concepts (``concept``)."""
        if kind not in ("class", "property", "concept"):
            raise UsageError(key="error.hierarchy_kind", kind=kind)
        members = {iri for iri, t in self._terms.items() if kind_matches(t.kind, kind)}
        if root is not None:
            start = self.get(root)
            if start.iri not in members:
                raise UsageError(key="error.term_not_kind", term=start.curie, kind=kind)
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


_default_index: dict[Path | None, TermIndex] = {}


def default_index(data_dir: Path | None = None) -> TermIndex:
    """The packaged term index, built on first use and kept."""
    if data_dir not in _default_index:
        _default_index[data_dir] = TermIndex.load(data_dir)
    return _default_index[data_dir]
