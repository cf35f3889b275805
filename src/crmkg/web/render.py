"""Rendering pages: the Jinja2 environment (autoescaped), the page context, security headers.

Every page carries a Content-Security-Policy that allows scripts and styles only from crmkg
itself (no inline script, no inline style), so an injected tag could not run even if escaping
failed somewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from crmkg._version import __version__
from crmkg.terms import curie
from crmkg.web.i18n import LANGS, choose_language, message

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: The policy of every web page: nothing inline, nothing from elsewhere.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
#: Swagger UI and ReDoc set inline styles and ReDoc runs a worker from a blob; still no inline script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

NAV = (
    ("/", "nav.home"),
    ("/ui/relationships", "nav.relationships"),
    ("/ui/organisation", "nav.organisation"),
    ("/ui/customers", "nav.customers"),
    ("/ui/dashboard", "nav.dashboard"),
    ("/ui/terms", "nav.terms"),
    ("/ontology/", "nav.ontology"),
    ("/ui/validate", "nav.validate"),
    ("/ui/queries", "nav.queries"),
    ("/ui/sparql", "nav.sparql"),
    ("/docs", "nav.apidocs"),
)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, whatever its name: pages, fragments and SVG alike
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["curie"] = curie
    env.filters["date"] = lambda d: d.isoformat() if isinstance(d, dt.date) else ("" if d is None else str(d))
    return env


def request_language(request: Request, default: str) -> str:
    return choose_language(request.query_params.get("lang"), request.headers.get("accept-language"), default)


class Page:
    """What every template sees: the language, its messages and links that keep the language."""

    def __init__(self, request: Request, lang: str) -> None:
        self.request = request
        self.lang = lang
        self.other_lang = LANGS[1] if lang == LANGS[0] else LANGS[0]

    def t(self, key: str, /, **values: object) -> str:
        return message(key, self.lang, **values)

    def url(self, path: str, **params: object) -> str:
        """``path`` with ``params`` (None and "" left out) and the page's language."""
        pairs = [(k, _text(v)) for k, v in params.items() if v not in (None, "")]
        pairs.append(("lang", self.lang))
        return f"{path}?{urlencode(pairs)}"

    def switch_url(self) -> str:
        """This page in the other language."""
        pairs = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        pairs.append(("lang", self.other_lang))
        return f"{self.request.url.path}?{urlencode(pairs)}"

    def with_params(self, **changes: object) -> str:
        """This page with some query parameters changed (pagination keeps the filters)."""
        current = {k: v for k, v in self.request.query_params.items() if k != "lang"}
        for key, value in changes.items():
            if value in (None, ""):
                current.pop(key, None)
            else:
                current[key] = _text(value)
        return self.url(self.request.url.path, **current)

    def is_current(self, path: str) -> bool:
        here = self.request.url.path
        return here == path if path == "/" else here.startswith(path.rstrip("/"))


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def render_page(
    request: Request,
    lang: str,
    template: str,
    context: Mapping[str, Any],
    *,
    status: int = 200,
    csp: str = PAGE_CSP,
) -> HTMLResponse:
    page = Page(request, lang)
    html = (
        environment()
        .get_template(template)
        .render(page=page, t=page.t, url=page.url, lang=lang, nav=NAV, version=__version__, **context)
    )
    headers = {"Content-Security-Policy": csp, **SECURITY_HEADERS, "Content-Language": lang, "Vary": "Accept-Language"}
    return HTMLResponse(html, status_code=status, headers=headers)
