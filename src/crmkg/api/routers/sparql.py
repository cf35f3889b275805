"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint (GET, POST form, POST direct).

Queries run in killable worker processes over the store opened read-only (a timeout really stops
them); answers are capped at ``max_rows`` rows (or triples) and a capped answer is flagged with
``X-Crmkg-Truncated: true`` (and, in SPARQL JSON, a top-level ``"truncated": true`` plus the head
link ``urn:crmkg:truncated``). Updates, ``SERVICE`` and FROM / ``default-graph-uri`` /
``named-graph-uri`` naming graphs that are not in the store are refused before anything runs.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from crmkg.api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA, ApiProblem
from crmkg.api.sparql import conneg
from crmkg.api.sparql.description import service_description
from crmkg.api.sparql.gate import ClientGate
from crmkg.api.sparql.results import GRAPH_FORMATS
from crmkg.api.state import AppState, get_state
from crmkg.errors import Phrase, QueryRefused, QueryTimeout, UsageError
from crmkg.namespaces import SD
from crmkg.sparql import policy

router = APIRouter(tags=["sparql"])
State = Annotated[AppState, Depends(get_state)]

FORMAT_PARAMS = ("format", "output", "results")
TRUNCATED_HEADER = "X-Crmkg-Truncated"
#: The shortest per-request ``timeout`` taken, in seconds. Even a query that fails at once needs a
#: round trip to its worker process (milliseconds; tens of them on a busy server), so a shorter
#: limit could only ever answer 503: it is refused as out of range instead (400), as in the schema.
MIN_TIMEOUT_S = 0.1

_problem = {"content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}}}
_any_answer = {
    media: {"schema": {"type": "string"}}
    for media in (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
    )
}
_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"description": "Query results, or the service description when no query is given", "content": _any_answer},
    400: {"description": "Malformed request, or a query that is not SPARQL 1.1 or is over a limit", **_problem},
    403: {"description": "Refused by policy (update, SERVICE, foreign graph)", **_problem},
    406: {"description": "No acceptable format", **_problem},
    413: {"description": "Request body too large", **_problem},
    415: {"description": "Unsupported request media type or charset", **_problem},
    503: {"description": "The query ran out of time or memory, or this client runs too many at once", **_problem},
}
_GET_PARAMETERS = [
    {
        "name": "query",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "a SPARQL 1.1 query; without it the service description is returned",
    },
    {
        "name": "default-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
    },
    {
        "name": "format",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "result format by name (json, xml, csv, tsv, turtle, …), as SPARQLWrapper sends",
    },
    {
        "name": "timeout",
        "in": "query",
        "required": False,
        "schema": {"type": "number", "minimum": MIN_TIMEOUT_S},
        "description": (
            f"seconds, at least {MIN_TIMEOUT_S:g} (a shorter limit is refused with 400); "
            "a longer one is cut to the server's CRMKG_QUERY_TIMEOUT_S"
        ),
    },
]
_POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["query"],
                }
            },
            "application/sparql-query": {"schema": {"type": "string"}},
        },
    }
}


def _media_and_charset(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    media, *params = [part.strip() for part in header.split(";")]
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def _require_utf8(charset: str | None) -> None:
    if charset not in (None, "utf-8", "utf8"):
        raise ApiProblem(
            415, "unsupported-charset", "Unsupported charset", Phrase("error.charset_not_utf8", charset=charset)
        )


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiProblem(
            415, "unsupported-charset", "Unsupported charset", Phrase("error.body_not_utf8", problem=str(exc))
        ) from exc


def _form(text: str, where: Phrase) -> list[tuple[str, str]]:
    """``a=b&c=d`` with percent-escapes that must decode as UTF-8 (else 400, in the URL as in a body)."""
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError as exc:
        raise UsageError(key="error.percent_escapes", where=where, reason=exc.reason) from None


async def _protocol_params(request: Request) -> list[tuple[str, str]] | None:
    """All protocol parameters (URL and body); the direct-POST query appears as ``query``.

    ``None`` means a GET without any query: the caller answers with the service description.
    """
    params = _form(request.scope["query_string"].decode("latin-1"), Phrase("where.query_string"))
    if request.method == "GET":
        if any(k == "update" for k, _ in params):
            raise QueryRefused(key="error.update_over_get")
        if not any(k == "query" for k, _ in params):
            return None
        return params
    media, charset = _media_and_charset(request.headers.get("content-type"))
    body = await request.body()
    if media == "application/x-www-form-urlencoded":
        _require_utf8(charset)
        # Off the event loop: a form body can be megabytes long.
        params.extend(await run_in_threadpool(_form, _decode(body), Phrase("where.form_body")))
        if any(k == "update" for k, _ in params):
            raise QueryRefused(key="error.update_refused")
        return params
    if media == "application/sparql-query":
        _require_utf8(charset)
        if any(k == "query" for k, _ in params):
            raise UsageError(key="error.query_twice")
        return [*params, ("query", _decode(body))]
    if media == "application/sparql-update":
        raise QueryRefused(key="error.update_refused")
    raise ApiProblem(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        Phrase("error.post_query_media", media=media) if media else Phrase("error.post_query_no_media"),
    )


def _timeout(params: list[tuple[str, str]], most_s: float) -> float | None:
    """The ``timeout`` asked for, in seconds (``None``: none asked), cut to ``most_s``; a value below
    :data:`MIN_TIMEOUT_S` (zero, negative, NaN, 1e-77) is refused naming the accepted range."""
    values = [v for k, v in params if k == "timeout"]
    if not values:
        return None
    try:
        seconds = float(values[-1])
    except ValueError:
        raise UsageError(key="error.timeout_not_number", value=values[-1]) from None
    if not seconds >= MIN_TIMEOUT_S:  # also NaN
        raise UsageError(
            key="error.timeout_out_of_range", value=values[-1], least=f"{MIN_TIMEOUT_S:g}", most=f"{most_s:g}"
        )
    return min(seconds, most_s)


async def sparql(request: Request, state: State) -> Response:
    """Run a SPARQL query (GET ``?query=``, POST form, POST ``application/sparql-query``).

    Without a query, ``GET`` returns the SPARQL Service Description.
    """
    params = await _protocol_params(request)
    pool = await run_in_threadpool(lambda: state.pool)
    # Several Accept lines mean the same as one line listing them all (RFC 9110 §5.3).
    accept = ", ".join(request.headers.getlist("accept")) or None
    if params is None:
        try:
            offer = conneg.negotiate("GRAPH", accept, request.query_params.getlist("format"))
        except conneg.NotAcceptable as exc:
            raise _not_acceptable(exc) from None
        endpoint = str(request.url.replace(query=""))
        triples = service_description(
            endpoint, pool.graphs, timeout_s=state.settings.query_timeout_s, max_rows=state.settings.max_rows
        )
        body = ox.serialize(triples, format=GRAPH_FORMATS[offer.key], prefixes={"sd": SD}) or b""
        return Response(body, media_type=conneg.content_type(offer))
    queries = [v for k, v in params if k == "query"]
    if len(queries) != 1:
        raise UsageError(key="error.one_query", n=len(queries))
    settings = state.settings
    limits = policy.Limits(max_bytes=settings.sparql_max_query_bytes, max_depth=settings.sparql_max_depth)
    policy.check_size(queries[0], limits)  # the only look at the text here; the worker parses it
    default_graphs = [v for k, v in params if k == "default-graph-uri"]
    named_graphs = [v for k, v in params if k == "named-graph-uri"]
    policy.check_graphs(default_graphs + named_graphs, pool.graphs, "default-graph-uri/named-graph-uri")
    job = {
        "query": queries[0],
        "default_graphs": default_graphs,
        "named_graphs": named_graphs,
        "accept": accept,
        "formats": [v for k, v in params if k in FORMAT_PARAMS],
        "max_rows": settings.max_rows,
        "max_bytes": limits.max_bytes,
        "max_depth": limits.max_depth,
    }
    requested = _timeout(params, settings.query_timeout_s)
    limit = settings.query_timeout_s if requested is None else requested
    if state.sparql_gate is None:
        state.sparql_gate = ClientGate(settings.sparql_per_client)
    client = request.client.host if request.client else "unknown"
    started = anyio.current_time()
    async with state.sparql_gate.turn(client, limit):
        remaining = limit - (anyio.current_time() - started)
        if remaining <= 0:
            raise QueryTimeout(key="error.no_sparql_worker", seconds=f"{limit:g}")
        try:
            header, body = await run_in_threadpool(pool.execute, job, remaining)
        except conneg.NotAcceptable as exc:
            raise _not_acceptable(exc) from None
    headers = {"X-Crmkg-Max-Rows": str(settings.max_rows)}
    if header.get("truncated"):
        headers[TRUNCATED_HEADER] = "true"
    return Response(body, media_type=header["media_type"], headers=headers)


def _not_acceptable(exc: conneg.NotAcceptable) -> ApiProblem:
    return ApiProblem(406, "not-acceptable", "Not acceptable", Phrase("error.not_acceptable", available=exc.available))


__all__ = ["router"]


for _method in ("GET", "POST"):
    router.add_api_route(
        "/sparql",
        sparql,
        methods=[_method],
        summary="SPARQL 1.1 Protocol (read-only)"
        + (" — service description without a query" if _method == "GET" else ""),
        responses=_RESPONSES,
        openapi_extra={"parameters": _GET_PARAMETERS}
        if _method == "GET"
        else {"parameters": _GET_PARAMETERS[1:], **_POST_BODY},
        response_class=Response,
        operation_id=f"sparql_{_method.lower()}",
    )
