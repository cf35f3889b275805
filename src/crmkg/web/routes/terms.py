"""Term pages: search with diacritic folding (crmkg.terms), a term's page, a shape's page."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter, Request
from starlette.responses import Response

from crmkg.errors import NotFound
from crmkg.terms import HierarchyNode, Term, curie
from crmkg.web.common import PageRoute, api_state, identifier, language
from crmkg.web.ontodoc.model import default_ontology
from crmkg.web.render import render_page

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/ui/terms")
def terms(request: Request) -> Response:
    lang = language(request)
    index = api_state(request).terms
    q = request.query_params.get("q", "").strip()[:200]
    hits = index.search(q, limit=50) if q else []
    tree: list[HierarchyNode] = [] if q else index.hierarchy("class", lang=lang)
    return render_page(request, lang, "terms.html", {"q": q, "hits": hits, "tree": tree})


@router.get("/ui/term")
def term(request: Request) -> Response:
    lang = language(request)
    state = api_state(request)
    index = state.terms
    iri = identifier(request)
    onto = default_ontology(state.settings.data_dir)
    try:
        found: Term = index.get(iri)
    except NotFound:
        names = {iri, curie(iri)}  # the index names shapes by CURIE
        every: Iterable[Term] = index.__iter__()  # TermIndex.__iter__ is typed as Iterable
        checked = [t for t in every if any(u.shape in names or u.property_shape in names for u in t.shapes)]
        if not checked and onto.get(iri) is None:
            raise
        if not checked:
            entry = onto.get(iri)
            return render_page(request, lang, "term.html", {"term": None, "entry": entry, "onto": onto, "index": index})
        context = {"shape": iri, "names": sorted(names), "checked": checked, "index": index}
        return render_page(request, lang, "shape.html", context)
    context = {"term": found, "entry": onto.get(found.iri), "onto": onto, "index": index}
    return render_page(request, lang, "term.html", context)
