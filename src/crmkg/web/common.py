"""What every page handler needs: the states, the language, dates and identifiers from the query
string, and error pages (HTML, in the page's language) instead of the API's problem+json."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.responses import Response

from crmkg.api.problems import status_of
from crmkg.api.state import AppState, iri_param, server_language
from crmkg.daterange import parse_date
from crmkg.errors import CrmkgError, UsageError
from crmkg.web.render import render_page, request_language
from crmkg.web.state import WebState


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.crmkg_web
    return state


def api_state(request: Request) -> AppState:
    return web_state(request).api


def language(request: Request) -> str:
    return request_language(request, server_language(api_state(request).settings))


def date_param(request: Request, name: str, default: dt.date | None) -> dt.date | None:
    """A YYYY-MM-DD query parameter; :class:`UsageError` (a 400 page) for anything else."""
    raw = (request.query_params.get(name) or "").strip()
    if not raw:
        return default
    return parse_date(raw, name)


def as_of(request: Request) -> dt.date:
    day = date_param(request, "as_of", dt.date.today())
    assert day is not None
    return day


def identifier(request: Request, name: str = "id") -> str:
    """An absolute IRI from ``?id=`` (IRI, <IRI> or CURIE)."""
    raw = (request.query_params.get(name) or "").strip()
    if not raw:
        raise UsageError(key="error.page_needs_iri", name=name)
    return iri_param(raw)


def optional_identifier(request: Request, name: str) -> str:
    """``?name=`` expanded to an IRI, or "" when empty."""
    raw = (request.query_params.get(name) or "").strip()
    return iri_param(raw) if raw else ""


def link(path: str, lang: str, **params: object) -> str:
    pairs = [(k, v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in params.items() if v not in (None, "")]
    pairs.append(("lang", lang))
    return f"{path}?{urlencode(pairs)}"


class PageRoute(APIRoute):
    """A route whose library errors become an HTML error page with the matching status."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except CrmkgError as exc:
                status, _, title = status_of(exc)
                lang = language(request)
                return render_page(request, lang, "error.html", {"title": title, "detail": str(exc)}, status=status)

        return guarded
