"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from assets crmkg serves itself, so they work offline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from crmkg.web.common import PageRoute, language
from crmkg.web.render import DOCS_CSP, render_page

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/docs")
def swagger_ui(request: Request) -> Response:
    lang = language(request)
    return render_page(request, lang, "swagger.html", {"openapi_url": request.app.openapi_url}, csp=DOCS_CSP)


@router.get("/redoc")
def redoc(request: Request) -> Response:
    lang = language(request)
    return render_page(request, lang, "redoc.html", {"openapi_url": request.app.openapi_url}, csp=DOCS_CSP)
