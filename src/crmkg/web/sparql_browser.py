"""A browser that opens ``/sparql`` with no query gets the SPARQL editor instead of RDF/XML.

Only a GET with no ``query`` parameter whose Accept prefers HTML is redirected; SPARQL clients
(which ask for results or RDF types) and every request with a query go to the protocol endpoint.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from crmkg.api.sparql.conneg import parse_accept

EDITOR = "/ui/sparql"


def wants_html(accept: str) -> bool:
    """True when text/html is acceptable and no SPARQL or RDF type is preferred over it."""
    html_q = 0.0
    best_other = 0.0
    for media, q, _ in parse_accept(accept):
        if media in ("text/html", "application/xhtml+xml"):
            html_q = max(html_q, q)
        elif media not in ("*/*", "text/*", "application/*", "application/xml", "image/*") and not media.startswith(
            "image/"
        ):
            best_other = max(best_other, q)
    return html_q > 0 and html_q >= best_other


class SparqlBrowserRedirect:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/sparql" and scope["method"] in ("GET", "HEAD"):
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            accept = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"accept"), "")
            if "query" not in query and wants_html(accept):
                lang = query.get("lang", [""])[0]
                target = EDITOR + (f"?lang={lang}" if lang in ("fi", "en") else "")
                await RedirectResponse(target, status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)
