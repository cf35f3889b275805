"""crmkg's web app: server-rendered pages for modellers, beside the API, in Finnish and English.

:func:`install` mounts it on an app made by :func:`crmkg.api.app.create_app`. Every page is plain
HTML that reads without JavaScript; the few scripts (the SPARQL editor, the API docs) and every
third-party asset are served by crmkg itself from ``static/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from crmkg.web.state import WebState

if TYPE_CHECKING:  # crmkg.api imports this package to mount it: a runtime import here would be circular
    from crmkg.api.state import AppState

STATIC_DIR = __file__.rsplit("/", 1)[0] + "/static"


def install(app: FastAPI, state: AppState) -> None:
    """Mount the pages, the static assets, the offline API docs and the SPARQL editor on ``app``."""
    from crmkg.web.routes import ROUTERS
    from crmkg.web.sparql_browser import SparqlBrowserRedirect

    app.state.crmkg_web = WebState(api=state)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SparqlBrowserRedirect)


__all__ = ["install"]
