"""Search by label: exact matches first, then prefix and substring matches, then the same on
diacritic-folded text (``kayttaja`` finds ``käyttäjä``), then a light Finnish suffix-stripping
fallback (``maksajana`` finds ``maksaja``). Every hit says which label, in which language and of
which kind matched, and how.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crmkg.errors import UsageError
from crmkg.terms.model import KINDS, TYPE_FILTERS, Term, kind_matches
from crmkg.terms.stemming import fold, normalise, stems

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


def search(
    terms: Iterable[Term], query: str, *, lang: str | None = None, type: str | None = None, limit: int = 20
) -> list[Hit]:
    """The terms whose labels match ``query``, best first (see the module docstring for the order).

    ``lang`` restricts matching to labels in that language (the local name always counts);
    ``type`` to one kind of term (``property`` for every kind of property).
    """
    if type is not None and type not in TYPE_FILTERS:
        raise UsageError(key="error.term_type_filter", types=", ".join(TYPE_FILTERS), type=type)
    needle = normalise(query)
    if not needle:
        raise UsageError(key="error.empty_search")
    folded = fold(needle)
    stemmed = stems(needle)
    hits: list[tuple[tuple[object, ...], Hit]] = []
    for term in terms:
        if type is not None and not kind_matches(term.kind, type):
            continue
        best: tuple[tuple[object, ...], Match] | None = None
        for label in term.labels:
            if lang is not None and label.kind != "localName" and label.lang != lang:
                continue
            how = _how(needle, folded, stemmed, label.text)
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


def _how(needle: str, folded: str, stems: Sequence[str], label_text: str) -> str | None:
    text = normalise(label_text)
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
