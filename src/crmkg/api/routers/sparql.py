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

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from crmkg.api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA, ApiProblem
from crmkg.api.sparql import conneg, policy
from crmkg.api.sparql.description import SD, service_description
from crmkg.api.sparql.results import GRAPH_FORMATS
from crmkg.api.state import AppState, get_state
from crmkg.errors import QueryRefused, UsageError

router = APIRouter(tags=["sparql"])
State = Annotated[AppState, Depends(get_state)]

FORMAT_PARAMS = ("format", "output", "results")
TRUNCATED_HEADER = "X-Crmkg-Truncated"

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
    400: {"description": "Malformed request or query", **_problem},
    403: {"description": "Refused by policy (update, SERVICE, foreign graph)", **_problem},
    406: {"description": "No acceptable format", **_problem},
    413: {"description": "Request body too large", **_problem},
    415: {"description": "Unsupported request media type or charset", **_problem},
    503: {"description": "The query ran out of time and was stopped", **_problem},
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
        "schema": {"type": "number"},
        "description": "seconds; capped by the server's CRMKG_QUERY_TIMEOUT_S",
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
        raise ApiProblem(415, "unsupported-charset", "Unsupported charset", f"charset {charset} is not UTF-8")


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiProblem(415, "unsupported-charset", "Unsupported charset", f"the body is not UTF-8: {exc}") from exc


async def _protocol_params(request: Request) -> list[tuple[str, str]] | None:
    """All protocol parameters (URL and body); the direct-POST query appears as ``query``.

    ``None`` means a GET without any query: the caller answers with the service description.
    """
    params = list(request.query_params.multi_items())
    if request.method == "GET":
        if any(k == "update" for k, _ in params):
            raise QueryRefused("SPARQL Update is refused: this endpoint is read-only (and never over GET)")
        if not any(k == "query" for k, _ in params):
            return None
        return params
    media, charset = _media_and_charset(request.headers.get("content-type"))
    body = await request.body()
    if media == "application/x-www-form-urlencoded":
        _require_utf8(charset)
        try:
            form = parse_qsl(_decode(body), keep_blank_values=True, strict_parsing=False, errors="strict")
        except UnicodeDecodeError as exc:
            raise ApiProblem(415, "unsupported-charset", "Unsupported charset", str(exc)) from exc
        params.extend(form)
        if any(k == "update" for k, _ in params):
            raise QueryRefused("SPARQL Update is refused: this endpoint is read-only")
        return params
    if media == "application/sparql-query":
        _require_utf8(charset)
        if any(k == "query" for k, _ in params):
            raise UsageError("a direct POST carries the query in the body; do not also pass query= in the URL")
        return [*params, ("query", _decode(body))]
    if media == "application/sparql-update":
        raise QueryRefused("SPARQL Update is refused: this endpoint is read-only")
    raise ApiProblem(
        415,
        "unsupported-media-type",
        "Unsupported media type",
        "POST a query as application/x-www-form-urlencoded (query=...) or as application/sparql-query"
        + (f", not {media}" if media else " (no Content-Type was sent)"),
    )


def _timeout(params: list[tuple[str, str]]) -> float | None:
    values = [v for k, v in params if k == "timeout"]
    if not values:
        return None
    try:
        seconds = float(values[-1])
    except ValueError:
        raise UsageError(f"timeout must be a number of seconds, not {values[-1]!r}") from None
    if not seconds > 0:
        raise UsageError("timeout must be positive")
    return seconds


async def sparql(request: Request, state: State) -> Response:
    """Run a SPARQL query (GET ``?query=``, POST form, POST ``application/sparql-query``).

    Without a query, ``GET`` returns the SPARQL Service Description.
    """
    params = await _protocol_params(request)
    pool = await run_in_threadpool(lambda: state.pool)
    accept = request.headers.get("accept")
    if params is None:
        offer = conneg.negotiate("GRAPH", accept, request.query_params.getlist("format"))
        endpoint = str(request.url.replace(query=""))
        triples = service_description(
            endpoint, pool.graphs, timeout_s=state.settings.query_timeout_s, max_rows=state.settings.max_rows
        )
        body = ox.serialize(triples, format=GRAPH_FORMATS[offer.key], prefixes={"sd": SD}) or b""
        return Response(body, media_type=conneg.content_type(offer))
    queries = [v for k, v in params if k == "query"]
    if len(queries) != 1:
        raise UsageError(f"exactly one query parameter is needed, got {len(queries)}")
    info = policy.inspect(queries[0])
    default_graphs = [v for k, v in params if k == "default-graph-uri"]
    named_graphs = [v for k, v in params if k == "named-graph-uri"]
    policy.check_graphs(default_graphs + named_graphs, pool.graphs, "default-graph-uri/named-graph-uri")
    if not (default_graphs or named_graphs):
        policy.check_graphs(info.from_graphs + info.from_named, pool.graphs, "FROM")
    offer = conneg.negotiate(info.form, accept, [v for k, v in params if k in FORMAT_PARAMS])
    job = {
        "query": queries[0],
        "default_graphs": default_graphs,
        "named_graphs": named_graphs,
        "dataset_clause": info.has_dataset_clause,
        "format": offer.key,
        "max_rows": state.settings.max_rows,
        "base_iri": None,
    }
    header, body = await run_in_threadpool(pool.execute, job, _timeout(params))
    headers = {"X-Crmkg-Max-Rows": str(state.settings.max_rows)}
    if header.get("truncated"):
        headers[TRUNCATED_HEADER] = "true"
    return Response(body, media_type=conneg.content_type(offer), headers=headers)


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
