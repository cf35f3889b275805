"""Term lookup over the akj ontology: search (fi/en), a term's card, the hierarchy."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from crmkg.api import schemas as s
from crmkg.api.problems import problem_responses
from crmkg.api.routers.relationships import IDENTIFIER_PATTERN, LANG_PATTERN
from crmkg.api.state import AcceptLanguage, AppState, get_state, lang_or_default
from crmkg.language import shown_language
from crmkg.namespaces import expand_identifier
from crmkg.terms import TYPE_FILTERS, Term, TermIndex, curie

router = APIRouter(prefix="/terms", tags=["terms"], responses=problem_responses(400, 404, 422))
State = Annotated[AppState, Depends(get_state)]
TypeFilter = Literal[
    "objectProperty", "datatypeProperty", "class", "annotationProperty", "scheme", "concept", "individual", "property"
]
assert set(TypeFilter.__args__) == set(TYPE_FILTERS)  # type: ignore[attr-defined]


def _ref(index: TermIndex, iri: str, lang: str) -> s.TermRef:
    try:
        term = index.get(iri)
    except LookupError:
        return s.TermRef(iri=iri, curie=curie(iri), label=curie(iri))
    return s.TermRef(iri=term.iri, curie=term.curie, label=term.label(lang))


def _definition(term: Term, lang: str) -> str | None:
    return term.definitions.get(lang) or next(iter(term.definitions.values()), None)


@router.get("/search", response_model=s.SearchOut, summary="Search terms by Finnish or English label")
def search(
    state: State,
    q: Annotated[
        str,
        Query(
            min_length=1, max_length=200, pattern=r"\S", description="text to look for, e.g. maksaja; not only spaces"
        ),
    ],
    lang: Annotated[
        Literal["fi", "en"] | None, Query(description="match only labels in this language (default: any)")
    ] = None,
    type: Annotated[TypeFilter | None, Query(description="only this kind of term")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    accept_language: AcceptLanguage = None,
) -> s.SearchOut:
    """Exact label matches first, then prefix, substring, diacritic-folded and stemmed matches.

    Each hit names the label, its language and kind that matched, and how; its label and
    definition are in ``lang`` if given, else in the language of the label that matched.
    """
    fallback = lang_or_default(state, lang, accept_language)
    hits = state.terms.search(q, lang=lang, type=type, limit=limit)
    return s.SearchOut(
        query=q,
        lang=lang,
        type=type,
        hits=[
            s.SearchHitOut(
                iri=h.term.iri,
                curie=h.term.curie,
                kind=h.term.kind,
                label=h.term.label(shown_language(lang, h.match.lang, fallback)),
                definition=_definition(h.term, shown_language(lang, h.match.lang, fallback)),
                match=s.MatchOut(
                    text=h.match.text, lang=h.match.lang, kind=h.match.kind, how=h.match.how, score=h.match.score
                ),
            )
            for h in hits
        ],
    )


@router.get("/hierarchy", response_model=s.HierarchyOut, summary="The class, property or concept tree")
def hierarchy(
    state: State,
    kind: Annotated[Literal["class", "property", "concept"], Query()] = "class",
    root: Annotated[
        str | None, Query(pattern=IDENTIFIER_PATTERN, description="start at this term (IRI or CURIE)")
    ] = None,
    lang: Annotated[str | None, Query(pattern=LANG_PATTERN)] = None,
    accept_language: AcceptLanguage = None,
) -> s.HierarchyOut:
    """The whole akj tree of one kind in one call (a term with two parents appears under both)."""
    chosen = lang_or_default(state, lang, accept_language)
    root_iri = expand_identifier(root) if root else None
    roots = state.terms.hierarchy(kind, lang=chosen, root=root_iri)
    return s.HierarchyOut(kind=kind, lang=chosen, roots=[s.HierarchyNodeOut.of(n) for n in roots])


@router.get("/{term:path}", response_model=s.TermOut, summary="A term's card")
def term(
    state: State,
    term: Annotated[str, Path(pattern=IDENTIFIER_PATTERN, description="IRI or CURIE (akj:hasPayer)")],
    lang: Annotated[str | None, Query(pattern=LANG_PATTERN)] = None,
    accept_language: AcceptLanguage = None,
) -> s.TermOut:
    """Labels, definitions, super- and sub-terms, the shapes that constrain it, the queries using it."""
    chosen = lang_or_default(state, lang, accept_language)
    index = state.terms
    found = index.get(expand_identifier(term))
    return s.TermOut(
        iri=found.iri,
        curie=found.curie,
        kind=found.kind,
        label=found.label(chosen),
        labels=[s.LabelOut(text=lb.text, lang=lb.lang, kind=lb.kind) for lb in found.labels],
        definitions=found.definitions,
        parents=[_ref(index, p, chosen) for p in found.parents],
        children=[_ref(index, c, chosen) for c in found.children],
        shapes=[
            s.ShapeUseOut(
                shape=u.shape,
                via=u.via,
                property_shape=u.property_shape,
                severity=u.severity,
                min_count=u.min_count,
                max_count=u.max_count,
                message=u.messages.get(chosen) or next(iter(u.messages.values()), None),
            )
            for u in found.shapes
        ],
        queries=[s.QueryUseOut(id=q.id, folder=q.folder, summary=q.summary_in(chosen)) for q in found.queries],
        deprecated=found.deprecated,
        domain=[_ref(index, c, chosen) for c in found.domain],
        range=[_ref(index, c, chosen) for c in found.range],
        inverse=[_ref(index, p, chosen) for p in found.inverse],
        characteristics=found.characteristics,
        alignments=[
            s.AlignmentOut(relation=a.relation, target=a.target, curie=curie(a.target)) for a in found.alignments
        ],
    )
