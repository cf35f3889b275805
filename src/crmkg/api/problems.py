"""Errors as RFC 9457 ``application/problem+json`` responses: the one place errors become statuses."""

from __future__ import annotations

import json
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from crmkg import errors, language
from crmkg.i18n import catalogue, message

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://w3id.org/crmkg/problems/"

#: Library error class → (HTTP status, problem type slug, title). The most specific class wins.
_STATUS: tuple[tuple[type[Exception], int, str, str], ...] = (
    (errors.NotFound, 404, "not-found", "Not found"),
    (errors.QueryNotFound, 404, "query-not-found", "No such catalogue query"),
    (errors.BindingError, 400, "bad-parameter", "A parameter does not fit its type"),
    (errors.QueryTooLarge, 400, "query-too-large", "The query is over a size or nesting limit"),
    (errors.QuerySyntaxError, 400, "query-syntax", "SPARQL syntax error"),
    (errors.QueryRefused, 403, "query-refused", "Refused by the query policy"),
    (errors.QueryOverLimit, 503, "query-over-limit", "The query needed more than the service allows"),
    (errors.QueryTimeout, 503, "query-timeout", "The query ran out of time and was stopped"),
    (errors.ReadOnlyError, 403, "read-only", "This service is read-only"),
    (errors.InputLimitError, 400, "input-limit", "The data exceeds an input limit"),
    (errors.UnsupportedFormatError, 415, "unsupported-format", "Unsupported format"),
    (errors.LoadError, 400, "bad-data", "The data could not be read"),
    (errors.UsageError, 400, "bad-request", "Bad request"),
    (errors.ValidationError, 500, "validation-failed", "Validation could not be run"),
    (errors.StoreError, 502, "store-error", "The store failed"),
    (errors.QueryError, 400, "query-error", "The query could not be run"),
    (errors.CrmkgError, 500, "internal", "Internal error"),
)


class ApiProblem(Exception):
    """A problem raised by the API layer itself (406, 413, 415, 401 …)."""

    def __init__(
        self, status: int, slug: str, title: str, detail: str | errors.Phrase, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(str(detail))
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.headers = dict(headers or {})


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, object] | None = None,
) -> Response:
    body: dict[str, object] = {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if extra:
        body.update(extra)
    return Response(
        json.dumps(body, ensure_ascii=False).encode("utf-8"),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers or {}),
    )


def error_response(exc: errors.CrmkgError, *, instance: str, lang: str = "en") -> Response:
    """The problem response for a library error raised while answering the request at ``instance``,
    its title and detail in ``lang`` (the request's language by the one rule)."""
    status, slug, title = status_of(exc)
    return problem_response(status, slug, localised_title(slug, title, lang), exc.localised(lang), instance=instance)


def localised_title(slug: str, title: str, lang: str) -> str:
    """A problem type's title in ``lang`` (``problem.<slug>`` of the messages), else ``title`` as written."""
    key = f"problem.{slug}"
    return message(key, lang) if key in catalogue() else title


def request_language(request: Request) -> str:
    """The language of a request's error texts: ``?lang=`` > ``Accept-Language`` > the server's default
    (``CRMKG_LANG`` of the app's settings, else the locale)."""
    state = getattr(request.app.state, "crmkg", None)
    configured = state.settings.lang if state is not None else None
    try:
        default = language.check(configured, "CRMKG_LANG") if configured else language.default_language()
    except errors.CrmkgError:
        default = language.FALLBACK
    explicit = request.query_params.get("lang")
    if explicit:
        return "fi" if explicit.lower().startswith("fi") else language.FALLBACK
    return language.request_language(None, request.headers.get("accept-language"), default)


def status_of(exc: Exception) -> tuple[int, str, str]:
    """The HTTP status, problem slug and title for a library error."""
    for cls, status, slug, title in _STATUS:
        if isinstance(exc, cls):
            return status, slug, title
    return 500, "internal", "Internal error"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into ``application/problem+json``."""

    async def crmkg_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, errors.CrmkgError)
        return error_response(exc, instance=request.url.path, lang=request_language(request))

    async def api_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiProblem)
        lang = request_language(request)
        detail = exc.detail.localised(lang) if isinstance(exc.detail, errors.Phrase) else exc.detail
        title = localised_title(exc.slug, exc.title, lang)
        return problem_response(exc.status, exc.slug, title, detail, instance=request.url.path, headers=exc.headers)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        lang = request_language(request)
        return problem_response(
            exc.status_code,
            slug,
            localised_title(slug, str(exc.detail) if exc.status_code != 404 else "Not found", lang),
            localised_title(slug, str(exc.detail), lang),
            instance=request.url.path,
            headers=exc.headers,
        )

    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = [
            {"where": ".".join(str(p) for p in err.get("loc", ())), "problem": str(err.get("msg", ""))}
            for err in exc.errors()
        ]
        detail = "; ".join(f"{p['where']}: {p['problem']}" for p in problems)
        return problem_response(
            422,
            "invalid-request",
            localised_title("invalid-request", "Invalid request", request_language(request)),
            detail,
            instance=request.url.path,
            extra={"errors": problems},
        )

    app.add_exception_handler(errors.CrmkgError, crmkg_error)
    app.add_exception_handler(ApiProblem, api_problem)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid_request)


#: The OpenAPI description of a problem body, used in the routers' ``responses=``.
PROBLEM_SCHEMA: dict[str, object] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """``responses=`` entries documenting problem bodies for the given statuses."""
    return {
        status: {
            "description": "Problem details (RFC 9457)",
            "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_SCHEMA}},
        }
        for status in statuses
    }
