"""The hot owner/leads lookups without FastAPI's per-request parameter solving.

FastAPI solves and validates every parameter of every request; for ``GET /relationships/{id}/owner``
and ``…/leads`` that costs about as much as the SPARQL query. This pure ASGI shim turns the plain
form of those requests — a valid identifier, at most ``as_of=YYYY-MM-DD`` in the accepted range and
a valid ``lang`` — into a :class:`~crmkg.api.routers.relationships.CurrentQuestion` and answers it
with the function the routes call, so the bytes are the same; a crmkg error becomes the problem
response the route's handler would give. Every other request (other parameters, ``explain``, a
malformed value) goes on untouched to the routes, which stay the documented and validating
implementation. Only crmkg's own errors are handled here: anything else is a bug, and fails loudly.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal
from urllib.parse import parse_qsl

from starlette.datastructures import URL
from starlette.types import ASGIApp, Receive, Scope, Send

from crmkg import language
from crmkg.api.problems import error_response
from crmkg.api.routers.relationships import (
    IDENTIFIER_PATTERN,
    LANG_PATTERN,
    CurrentQuestion,
    current_answer,
)
from crmkg.api.state import AppState, server_language
from crmkg.daterange import in_range
from crmkg.errors import CrmkgError

_PREFIX = "/relationships/"
_SUFFIXES: tuple[tuple[str, Literal["owners", "leads"]], ...] = (("/owner", "owners"), ("/leads", "leads"))
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
_LANG = re.compile(LANG_PATTERN)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class LookupFastPath:
    """Answer plain owner/leads GETs directly; hand everything else to ``app``."""

    def __init__(self, app: ASGIApp, state: AppState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        question = plain_question(scope)
        if question is None:
            await self.app(scope, receive, send)
            return
        try:
            response = await current_answer(self.state, question)
        except CrmkgError as exc:
            default = server_language(self.state.settings)
            lang = question.lang or language.request_language(None, question.accept_language, default)
            response = error_response(exc, instance=URL(scope=scope).path, lang=lang)
        await response(scope, receive, send)


def plain_question(scope: Scope) -> CurrentQuestion | None:
    """The question a plain owner/leads GET asks; ``None`` for anything the routes should handle."""
    if scope["type"] != "http" or scope["method"] != "GET" or scope.get("root_path"):
        return None
    path: str = scope["path"]
    if not path.startswith(_PREFIX):
        return None
    found = next(((suffix, holders) for suffix, holders in _SUFFIXES if path.endswith(suffix)), None)
    if found is None:
        return None
    suffix, holders = found
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
    if_none_match = accept_language = None
    for header, value in scope["headers"]:
        if header == b"if-none-match":
            if if_none_match is not None:
                return None  # several: leave the combining to Starlette
            if_none_match = value.decode("latin-1")
        elif header == b"accept-language":
            if accept_language is not None:
                return None
            accept_language = value.decode("latin-1")
    return CurrentQuestion(holders, relationship, day or dt.date.today(), lang, False, if_none_match, accept_language)
