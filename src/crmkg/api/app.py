"""The app factory: ``create_app(settings, store)`` wires routers, limits, CORS and problem handlers."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from crmkg import derived, derived_record, resources
from crmkg._version import __version__
from crmkg.api import problems
from crmkg.api.fastpath import LookupFastPath
from crmkg.api.limits import BodySizeLimit
from crmkg.api.routers import queries, relationships, sparql, terms, validate
from crmkg.api.snapshots import PinSnapshot
from crmkg.api.state import AppState
from crmkg.config import Settings
from crmkg.errors import StoreError
from crmkg.loading import load
from crmkg.store import Store, open_store
from crmkg.tempdirs import owned_temp_dir

LOG = logging.getLogger(__name__)

#: Routers in the order they appear in the OpenAPI document.
ROUTERS = (relationships.router, terms.router, queries.router, sparql.router, validate.router)

DESCRIPTION = """\
Whose is the customer relationship? (*Kenen on asiakkuus?*)

* **relationships** — owner and leads on a date, customer parties by capacity, handover history,
  what a person, post or unit owns or leads, the relationships of a customer party;
* **terms** — akj ontology terms by Finnish or English label, term cards, the hierarchy;
* **queries** — every catalogue query (`queries/cq/`) as a typed endpoint;
* **sparql** — a read-only SPARQL 1.1 Protocol endpoint with a timeout and a row cap;
* **validate** — SHACL validation of posted data.

Errors are `application/problem+json` (RFC 9457).
"""


def open_configured_store(settings: Settings) -> tuple[Store, list[object]]:
    """The store named by ``settings`` with ``settings.data`` (and the ontology) loaded.

    With data and no store location the data goes into an on-disk store in a temporary folder
    (the SPARQL worker processes open it read-only); returns the store and cleanup actions.
    """
    cleanup: list[object] = []
    location: str | Path | None = settings.store
    if location is None and settings.data:
        tmp = owned_temp_dir("crmkg-serve-")
        cleanup.append(tmp.remove)
        location = tmp.path / "store"
    paths = [*resources.ontology_files(settings.data_dir), *settings.data] if settings.data else []
    return serving_store(location, paths), cleanup


def serving_store(
    location: str | Path | None, paths: Sequence[Path | str], *, derive_as_of: dt.date | None = None
) -> Store:
    """The store at ``location`` with ``paths`` loaded, ready to serve.

    On disk the load is one new generation, and the store is then opened read-only (the current
    generation, followed as ``crmkg load`` makes new ones; see :mod:`crmkg.api.snapshots`). In
    memory or remote, the store itself. With ``derive_as_of``, the rules' results for that day
    (the owner/lead shortcuts, internal/external, current holdings…) are added with the data, in
    the graph :data:`crmkg.rules.INFERRED_GRAPH`, so SPARQL sees what the lookups see — into an
    on-disk store with no data to load too, unless its derived graph is already for that day.
    """
    if location is None or str(location).startswith(("http://", "https://")):
        store = open_store(location)
        if paths:
            load(store, paths)
            if derive_as_of is not None:
                derived.refresh(store, derive_as_of)
        return store
    if not paths and derive_as_of is not None and _derived_day(location) != derive_as_of:
        try:
            _write_derived(location, derive_as_of)
        except StoreError as exc:  # e.g. a crmkg load is writing: serve what is there, it derives next
            LOG.warning("the derived graph was not updated for %s: %s", derive_as_of, exc)
    elif paths:
        writer = open_store(location)
        try:
            if paths:
                load(writer, paths)
            if derive_as_of is not None:
                derived.refresh(writer, derive_as_of)
        finally:
            writer.close()
    return open_store(location, read_only=True)


def _write_derived(location: str | Path, as_of: dt.date) -> None:
    derived_record.refresh_folder(location, as_of)  # the undated rules' results kept when the data is the same


def _derived_day(location: str | Path) -> dt.date | None:
    """The day the on-disk store's derived graph is for (``None``: none yet, or no store yet)."""
    if not Path(location).exists():
        return None
    try:
        reader = open_store(location, read_only=True)
    except StoreError:  # a folder that holds no store yet
        return None
    try:
        return derived.derived_day(reader)
    finally:
        reader.close()


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    *,
    fast_path: bool = True,
    owns_store: bool | None = None,
) -> FastAPI:
    """The crmkg HTTP API over ``store`` (default: the store ``settings`` describe).

    ``fast_path=False`` leaves out :class:`~crmkg.api.fastpath.LookupFastPath` (tests compare both).
    The app closes a store it opened itself, or one handed over with ``owns_store=True`` (then
    also when a newer generation replaces it).
    """
    settings = settings or Settings.from_env()
    owns_store = store is None if owns_store is None else owns_store
    cleanup: list[object] = []
    if store is None:
        store, cleanup = open_configured_store(settings)
    state = AppState(settings=settings, store=store, owns_store=owns_store)
    state.cleanup.extend(cleanup)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            if state.queries_in_workers:  # ready before the first lookup, not during it
                await anyio.to_thread.run_sync(state.snapshots.current.query_pool, settings)
            yield
        finally:
            state.close()

    app = FastAPI(
        title="crmkg",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc come from the web app, with local assets
        redoc_url=None,
    )
    app.state.crmkg = state
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    # Imported here: crmkg.web imports crmkg.api (its AppState), so a top-level import is a cycle.
    from crmkg.web import install as install_web

    install_web(app, state)
    if fast_path:
        # Added first, so it runs inside CORS and the body limit, like the routes it stands in for.
        app.add_middleware(LookupFastPath, state=state)
    # Around the fast path and the routes: each request runs on one snapshot of the store.
    app.add_middleware(PinSnapshot, snapshots=state.snapshots)
    if settings.cors_origins:
        # Only the configured origins, never credentials: a wildcard with credentials leaks data.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type", "Authorization"],
            expose_headers=["X-Crmkg-Truncated", "X-Crmkg-Max-Rows", "ETag", "X-Crmkg-Cache"],
            allow_credentials=False,
        )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    return app


def app_from_env() -> FastAPI:
    """An app configured only by ``CRMKG_*`` variables (``uvicorn --factory crmkg.api.app:app_from_env``).

    With ``CRMKG_STORE`` naming an on-disk store, the store is opened read-only, so several server
    processes can share it (``crmkg serve --workers N``).
    """
    settings = Settings.from_env()
    if settings.store and not settings.data and not settings.store.startswith(("http://", "https://")):
        # Read-only, and the app's: it lets go of each generation it no longer serves.
        return create_app(settings, open_store(settings.store, read_only=True), owns_store=True)
    return create_app(settings)
