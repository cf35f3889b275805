"""A fast path for the hottest lookups: ``GET /relationships/{id}/owner`` and ``…/leads``.

FastAPI solves and validates every parameter of every request; for these two lookups that cost as
much as the SPARQL query itself. This pure ASGI middleware answers the well-formed common case —
a valid identifier, at most ``as_of=YYYY-MM-DD`` and a valid ``lang`` — with the same function the
routes use (:func:`crmkg.api.routers.relationships.current_answer`), so the bytes are the same.
Anything else (other parameters, ``explain``, a malformed value, any error such as 404) is passed
on untouched to the FastAPI routes, which stay the documented and validating implementation.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qsl

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from crmkg.api.routers.relationships import IDENTIFIER_PATTERN, LANG_PATTERN, current_answer
from crmkg.api.state import AppState
from crmkg.daterange import in_range

_PREFIX = "/relationships/"
_SUFFIXES = (("/owner", "owners"), ("/leads", "leads"))
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
_LANG = re.compile(LANG_PATTERN)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class LookupFastPath:
    """Answer plain owner/leads GETs directly; hand everything else to ``app``."""

    def __init__(self, app: ASGIApp, state: AppState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            response = self.answer(scope)
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def answer(self, scope: Scope) -> Response | None:
        """The response for ``scope``, or ``None`` when the route should handle it."""
        path: str = scope["path"]
        if scope.get("root_path") or not path.startswith(_PREFIX):
            return None
        found = next(((suffix, key) for suffix, key in _SUFFIXES if path.endswith(suffix)), None)
        if found is None:
            return None
        suffix, key = found
        relationship = path[len(_PREFIX) : -len(suffix)]
        if not _IDENTIFIER.match(relationship):
            return None
        day: dt.date | None = None
        lang: str | None = None
        for name, value in parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True):
            if name == "as_of" and day is None and _DATE.match(value):
                try:
                    day = dt.date.fromisoformat(value)
                except ValueError:
                    return None
                if not in_range(day):
                    return None  # the route answers 422 naming the accepted range
            elif name == "lang" and lang is None and _LANG.match(value):
                lang = value
            else:
                return None  # explain, repeats, unknown or malformed parameters: the route decides
        if_none_match = None
        for header, value in scope["headers"]:
            if header == b"if-none-match":
                if if_none_match is not None:
                    return None  # several: leave the combining to Starlette
                if_none_match = value.decode("latin-1")
        try:
            return current_answer(self.state, if_none_match, key, relationship, day or dt.date.today(), lang, False)
        except Exception:
            return None
