"""``POST /validate``: SHACL-validate posted RDF against the akj shapes; the report in JSON or Turtle.

The body is parsed with crmkg's safe parsers first (no remote JSON-LD contexts, no XML entity
declarations at all), so nothing is ever fetched. With ``CRMKG_VALIDATE_TOKEN`` set, a matching
``Authorization: Bearer`` header is required.
"""

from __future__ import annotations

import datetime as dt
import hmac
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Literal
from xml.parsers import expat

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from crmkg._version import __version__
from crmkg.api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA, ApiProblem
from crmkg.api.sparql.conneg import parse_accept
from crmkg.api.state import AppState, get_state
from crmkg.errors import RdfSyntaxError, SourceLocation, UnsupportedFormatError
from crmkg.formats import RdfFormat
from crmkg.loading import parse_bytes
from crmkg.validation import ValidationReport
from crmkg.validation import validate as run_validation
from crmkg.validation.formats import RenderOptions, render

router = APIRouter(tags=["validate"])
State = Annotated[AppState, Depends(get_state)]

_INPUT_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/x-turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/n-quads": RdfFormat.N_QUADS,
    "application/trig": RdfFormat.TRIG,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
_OUTPUT_TYPES = {"application/json": "json", "text/turtle": "turtle"}
_problem = {"content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}}}


def _check_token(state: AppState, request: Request) -> None:
    expected = state.settings.validate_token
    if not expected:
        return
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise ApiProblem(
            401,
            "unauthorized",
            "Unauthorized",
            "POST /validate needs 'Authorization: Bearer <token>' (CRMKG_VALIDATE_TOKEN is set)",
            headers={"WWW-Authenticate": 'Bearer realm="crmkg"'},
        )


def _refuse_xml_entities(data: bytes) -> None:
    """RDF/XML may not declare entities: external ones could fetch, internal ones can explode."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_: object) -> None:
        raise ValueError("entity declarations are not allowed in posted RDF/XML")

    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = lambda *_: 0
    try:
        parser.Parse(data, True)
    except ValueError as exc:
        location = SourceLocation("request body", parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
        raise RdfSyntaxError(location, str(exc)) from exc
    except expat.ExpatError as exc:
        raise RdfSyntaxError(SourceLocation("request body", exc.lineno, exc.offset + 1), str(exc)) from exc


def _output_format(accept: str | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if not accept:
        return "json"
    for media, q, _ in parse_accept(accept):
        if q <= 0:
            continue
        if media in _OUTPUT_TYPES:
            return _OUTPUT_TYPES[media]
        if media in ("*/*", "application/*"):
            return "json"
        if media == "text/*":
            return "turtle"
    raise ApiProblem(
        406, "not-acceptable", "Not acceptable", "the report is available as application/json or text/turtle"
    )


def _validate_bytes(data: bytes, fmt: RdfFormat, as_of: dt.date | None) -> ValidationReport:
    folder = Path(tempfile.mkdtemp(prefix="crmkg-validate-"))
    try:
        path = folder / f"request{fmt.extensions[0]}"
        path.write_bytes(data)
        return run_validation([path], as_of=as_of)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@router.post(
    "/validate",
    summary="Validate posted RDF against the akj shapes",
    response_class=Response,
    responses={
        200: {
            "description": "The validation report (conforming or not); X-Crmkg-Conforms says which",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/turtle": {"schema": {"type": "string"}},
            },
        },
        400: {"description": "The data could not be parsed", **_problem},
        401: {"description": "Missing or wrong bearer token", **_problem},
        406: {"description": "No acceptable report format", **_problem},
        413: {"description": "Body too large", **_problem},
        415: {"description": "Unsupported data format", **_problem},
        422: {"description": "Invalid parameter", **_problem},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {media: {"schema": {"type": "string"}} for media in _INPUT_TYPES},
        }
    },
)
async def validate_data(
    request: Request,
    state: State,
    as_of: Annotated[dt.date | None, Query(description="date the date-relative shapes use; default today")] = None,
    lang: Annotated[Literal["fi", "en"] | None, Query(description="message language")] = None,
    format: Annotated[Literal["json", "turtle"] | None, Query(description="report format (else by Accept)")] = None,
) -> Response:
    """Parse the body (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML), validate it, return the report."""
    _check_token(state, request)
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    fmt = _INPUT_TYPES.get(media)
    if fmt is None:
        raise UnsupportedFormatError(media or "(none)", "send Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML")
    out = _output_format(request.headers.get("accept"), format)
    data = await request.body()
    if not data.strip():
        raise ApiProblem(400, "empty-body", "Empty body", "POST the RDF data to validate as the request body")
    if fmt is RdfFormat.RDF_XML:
        _refuse_xml_entities(data)
    parse_bytes(data, fmt, source="request body")  # clear file:line errors, and the safety checks
    report = await run_in_threadpool(_validate_bytes, data, fmt, as_of)
    options = RenderOptions(lang=lang or state.settings.lang, title="crmkg /validate", tool_version=__version__)
    text = render(report, out, options)
    media_type = "application/json" if out == "json" else "text/turtle; charset=utf-8"
    headers = {"X-Crmkg-Conforms": "true" if report.conforms() else "false"}
    return Response(text.encode("utf-8"), media_type=media_type, headers=headers)
