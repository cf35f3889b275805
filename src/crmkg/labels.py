"""The labels of many IRIs at once, in one language: what ``crmkg query --labels`` puts beside CURIEs.

A label in the language asked for wins, then one without a language tag (imported data often has
those), then any other; ``skos:prefLabel`` before ``rdfs:label`` before ``foaf:name``; ties by the text, so the answer
is the same on every run.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from crmkg.store import SelectResult, Store

#: IRIs per query (a VALUES block of this many stays far below every store's request limits).
_CHUNK = 500
_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?s ?p ?label WHERE {{
  VALUES ?s {{ {iris} }}
  VALUES ?p {{ skos:prefLabel rdfs:label foaf:name }}
  ?s ?p ?label .
  FILTER(isLITERAL(?label))
}}"""
#: The label properties, best first (a person often has only a foaf:name).
_PREDICATES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://xmlns.com/foaf/0.1/name",
)


def labels_of(store: Store, iris: Iterable[str], lang: str) -> dict[str, str]:
    """IRI → its best label for ``lang``; IRIs without a label are left out."""
    wanted = sorted(set(iris))
    best: dict[str, tuple[tuple[int, int, str], str]] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        text = _QUERY.format(iris=" ".join(f"<{iri}>" for iri in chunk if ">" not in iri and " " not in iri))
        result = store.query(text)
        if not isinstance(result, SelectResult):
            continue
        for subject, predicate, label in result.rows:
            if not isinstance(subject, ox.NamedNode) or not isinstance(label, ox.Literal):
                continue
            preferred = _PREDICATES.index(predicate.value) if predicate is not None else len(_PREDICATES)
            rank = (_language_rank(label.language or "", lang), preferred, label.value)
            current = best.get(subject.value)
            if current is None or rank < current[0]:
                best[subject.value] = (rank, label.value)
    return {iri: text for iri, (_, text) in best.items()}


def _language_rank(tag: str, lang: str) -> int:
    """0 for the language asked for (``fi-FI`` counts as ``fi``), 1 for no tag, 2 for any other."""
    if tag.lower().split("-", 1)[0] == lang:
        return 0
    return 1 if not tag else 2


def with_labels(result: SelectResult, labels: dict[str, str]) -> SelectResult:
    """``result`` with a ``<var>Label`` column after each column that holds an IRI with a label."""
    labelled = [
        i
        for i, _ in enumerate(result.variables)
        if any(isinstance(row[i], ox.NamedNode) and row[i].value in labels for row in result.rows)  # type: ignore[union-attr]
    ]
    variables: list[str] = []
    for i, name in enumerate(result.variables):
        variables.append(name)
        if i in labelled:
            variables.append(_free(f"{name}Label", result.variables))
    rows = []
    for row in result.rows:
        cells: list[ox.NamedNode | ox.BlankNode | ox.Literal | None] = []
        for i, term in enumerate(row):
            cells.append(term)
            if i in labelled:
                text = labels.get(term.value) if isinstance(term, ox.NamedNode) else None
                cells.append(ox.Literal(text) if text is not None else None)
        rows.append(tuple(cells))
    return SelectResult(tuple(variables), rows, truncated=result.truncated)


def iris_in(result: SelectResult) -> set[str]:
    """Every IRI the result's rows hold."""
    return {term.value for row in result.rows for term in row if isinstance(term, ox.NamedNode)}


def _free(name: str, taken: tuple[str, ...]) -> str:
    """``name``, or ``name_`` … when the query already has a variable by that name."""
    while name in taken:
        name += "_"
    return name
