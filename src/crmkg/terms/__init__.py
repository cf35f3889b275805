"""Term lookup over the akj ontology: search by fi/en label, a term's card, the hierarchy.

:mod:`~crmkg.terms.model` holds the terms, :mod:`~crmkg.terms.build` reads them from the
ontology, shapes and queries, :mod:`~crmkg.terms.index` keeps them by IRI and CURIE, and
:mod:`~crmkg.terms.search` ranks label matches with :mod:`~crmkg.terms.stemming`'s folding.
"""

from crmkg.terms.index import TermIndex, default_index
from crmkg.terms.model import KINDS, TYPE_FILTERS, HierarchyNode, Label, QueryUse, ShapeUse, Term, curie
from crmkg.terms.search import MATCH_RANK, Hit, Match
from crmkg.terms.stemming import fold

__all__ = [
    "KINDS",
    "MATCH_RANK",
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
