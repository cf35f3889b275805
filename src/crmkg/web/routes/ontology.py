"""``/ontology/``: the ontology's documentation and diagram, and the ontology itself by content negotiation.

``/ontology/akj`` (the namespace document) answers a browser with the documentation and a client
with Turtle, RDF/XML, JSON-LD or N-Triples, whichever its Accept prefers; ``/ontology/akj.ttl`` and
its siblings are plain links to each format.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from crmkg.api.sparql.conneg import parse_accept
from crmkg.errors import NotFound
from crmkg.web.common import PageRoute, api_state, language, link
from crmkg.web.ontodoc.model import default_ontology
from crmkg.web.ontodoc.site import FILES, SERVED, diagram_svg, page_html, serialised
from crmkg.web.render import PAGE_CSP, SECURITY_HEADERS

router = APIRouter(route_class=PageRoute, include_in_schema=False)
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: media type (and aliases) → file suffix
RDF_TYPES = {media: suffix for suffix, (_, media) in FILES.items()} | {
    "application/x-turtle": "ttl",
    "application/xml": "rdf",
    "application/json": "jsonld",
    "text/plain": "nt",
}


def _headers(lang: str | None = None) -> dict[str, str]:
    headers = {"Content-Security-Policy": PAGE_CSP, **SECURITY_HEADERS}
    if lang:
        headers["Content-Language"] = lang
    return headers


@router.get("/ontology/")
def documentation(request: Request) -> Response:
    lang = language(request)
    html = _page(api_state(request).settings.data_dir, lang)
    return Response(html, media_type="text/html; charset=utf-8", headers=_headers(lang))


@cache
def _page(data_dir: Path | None, lang: str) -> str:
    """The documentation page; the packaged ontology does not change while the process runs."""
    return page_html(default_ontology(data_dir), lang, SERVED)


@router.get("/ontology/diagram.svg")
def diagram(request: Request) -> Response:
    lang = language(request)
    onto = default_ontology(api_state(request).settings.data_dir)
    svg = diagram_svg(onto, lang, "/ontology/")
    return Response(svg, media_type="image/svg+xml", headers=_headers())


@router.get("/ontology/akj.{suffix}")
def ontology_file(request: Request, suffix: str) -> Response:
    if suffix not in FILES:
        raise NotFound(key="error.no_ontology_file", suffix=suffix)
    onto = default_ontology(api_state(request).settings.data_dir)
    return Response(serialised(onto, suffix), media_type=FILES[suffix][1], headers=_headers())


def negotiate(accept: str) -> str | None:
    """``html``, a file suffix, or None when nothing acceptable is offered (no Accept: Turtle)."""
    if not accept.strip():
        return "ttl"
    best: tuple[float, int, str] | None = None
    for position, (media, q, _) in enumerate(parse_accept(accept)):
        if q <= 0:
            continue
        choice = "html" if media in HTML_TYPES else RDF_TYPES.get(media)
        if choice is None and media in ("*/*", "text/*", "application/*"):
            choice = "ttl"
        if choice is not None and (best is None or (q, -position) > (best[0], best[1])):
            best = (q, -position, choice)
    return best[2] if best else None


@router.get("/ontology/akj")
@router.get("/ontology")
def namespace_document(request: Request) -> Response:
    choice = negotiate(request.headers.get("accept", ""))
    vary = {"Vary": "Accept"}
    if choice == "html":
        return RedirectResponse(link("/ontology/", language(request)), status_code=303, headers=vary)
    if choice is None:
        offered = ", ".join(["text/html", *(media for _, media in FILES.values())])
        return Response(f"not acceptable; offered: {offered}\n", status_code=406, media_type="text/plain", headers=vary)
    onto = default_ontology(api_state(request).settings.data_dir)
    return Response(serialised(onto, choice), media_type=FILES[choice][1], headers={**_headers(), **vary})
