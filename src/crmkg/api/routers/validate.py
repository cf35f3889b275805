"""``POST /validate``: SHACL-validate posted RDF against the akj shapes; the report in JSON or Turtle.

The body is checked against the input limits (nesting depth, XML width; no XML entity declarations
at all) and parsed with crmkg's safe parsers (no remote JSON-LD contexts), so nothing is ever
fetched — all of it in a child process (:mod:`crmkg.api.uploads`), never on the server's event loop
or in its process. With ``CRMKG_VALIDATE_TOKEN`` set, a matching ``Authorization: Bearer`` header
is required.
"""

from __future__ import annotations

import datetime as dt
import hmac
import math
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

import crmkg.validation  # noqa: F401  (the route is offered only where the validation engine is installed)
from crmkg.api.problems import PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA, ApiProblem
from crmkg.api.sparql.conneg import parse_accept
from crmkg.api.state import AppState, Date, get_state, lang_or_default, server_language
from crmkg.api.upload_jobs import Document, UploadJob
from crmkg.errors import Phrase, UnsupportedFormatError
from crmkg.formats import RdfFormat
from crmkg.inputcheck import limits_from

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
            Phrase("error.validate_token"),
            headers={"WWW-Authenticate": 'Bearer realm="crmkg"'},
        )


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
    raise ApiProblem(406, "not-acceptable", "Not acceptable", Phrase("error.report_media"))


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
        400: {"description": "The data could not be parsed, or exceeds an input limit", **_problem},
        401: {"description": "Missing or wrong bearer token", **_problem},
        406: {"description": "No acceptable report format", **_problem},
        413: {"description": "Body too large", **_problem},
        415: {"description": "Unsupported data format", **_problem},
        422: {"description": "Invalid parameter", **_problem},
        500: {"description": "The process that parsed the data crashed (the server did not)", **_problem},
        503: {"description": "Parsing and validation took longer than CRMKG_UPLOAD_TIMEOUT_S", **_problem},
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
    as_of: Annotated[Date | None, Query(description="date the date-relative shapes use; default today")] = None,
    lang: Annotated[Literal["fi", "en"] | None, Query(description="message language")] = None,
    format: Annotated[Literal["json", "turtle"] | None, Query(description="report format (else by Accept)")] = None,
) -> Response:
    """Parse the body (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML), validate it, return the report."""
    _check_token(state, request)
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    fmt = _INPUT_TYPES.get(media)
    if fmt is None:
        raise UnsupportedFormatError(media or Phrase("error.no_content_type"), Phrase("error.send_rdf"))
    out = _output_format(request.headers.get("accept"), format)
    data = await request.body()
    if not data or data.isspace():
        raise ApiProblem(400, "empty-body", "Empty body", Phrase("error.empty_body"))
    job = upload_job(
        state,
        [Document("request body", data, fmt)],
        as_of,
        render_as=out,
        lang=lang_or_default(state, lang, request.headers.get("accept-language")),
    )
    result = await state.uploads.run(job)
    media_type = "application/json" if out == "json" else "text/turtle; charset=utf-8"
    headers = {"X-Crmkg-Conforms": "true" if result.conforms else "false"}
    return Response(result.body, media_type=media_type, headers=headers)


def upload_job(
    state: AppState,
    documents: list[Document],
    as_of: dt.date | None,
    *,
    render_as: str | None = None,
    lang: str | None = None,
) -> UploadJob:
    """A job for uploaded documents under the service's settings: its input limits (no XML entity
    declarations at all), its upload time (also the child's CPU-time cap) and language."""
    settings = state.settings
    return UploadJob(
        documents=tuple(documents),
        as_of=as_of,
        limits=limits_from(settings, xml_entities=False),
        cpu_seconds=math.ceil(settings.upload_timeout_s) + 1,
        render_as=render_as,
        lang=lang or server_language(settings),
    )
