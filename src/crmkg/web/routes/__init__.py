"""The web app's routers, in the order they are mounted."""

from __future__ import annotations

from fastapi import APIRouter

from crmkg.web.routes import apidocs, dashboard, ontology, pages, queries, terms, validate

ROUTERS: tuple[APIRouter, ...] = (
    pages.router,
    terms.router,
    dashboard.router,
    queries.router,
    apidocs.router,
    validate.router,
    ontology.router,
)
