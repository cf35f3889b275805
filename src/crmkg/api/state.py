"""What the app keeps between requests: settings, the store, the term index, the SPARQL workers."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import anyio
import pyoxigraph as ox
from fastapi import Header, Request
from pydantic import AfterValidator, WithJsonSchema

from crmkg import language
from crmkg.config import Settings
from crmkg.daterange import ACCEPTED_DATES, DATE_PATTERN, check_date
from crmkg.errors import UsageError
from crmkg.namespaces import expand_identifier
from crmkg.store import Store
from crmkg.terms import TermIndex, default_index

T = TypeVar("T")

if TYPE_CHECKING:
    from crmkg.api.cache import AnswerCache
    from crmkg.api.snapshots import Snapshot
    from crmkg.api.sparql.gate import ClientGate
    from crmkg.api.sparql.workers import WorkerPool
    from crmkg.api.uploads import UploadRunner


class AppState:
    """One per app; handlers reach it through :func:`get_state`.

    ``store``, ``answers`` and the worker pools belong to the snapshot the current request started with
    (:mod:`crmkg.api.snapshots`): a store reloaded meanwhile never mixes into one answer.
    """

    def __init__(self, settings: Settings, store: Store, owns_store: bool = False) -> None:
        from crmkg.api.snapshots import Snapshots

        self.settings = settings
        self.snapshots = Snapshots(store, settings, owns_store=owns_store)
        self.cleanup: list[Any] = []
        self.sparql_gate: ClientGate | None = None  # /sparql queries running per client (made on first use)
        self._terms: TermIndex | None = None
        self._uploads: UploadRunner | None = None
        self._lock = threading.Lock()

    def _snapshot(self) -> Snapshot:
        from crmkg.api.snapshots import pinned

        return pinned() or self.snapshots.current

    @property
    def store(self) -> Store:
        """The store to query: an on-disk store's queries run in killable worker processes
        (:meth:`~crmkg.api.snapshots.Snapshot.view`), with the timeout and caps of ``/sparql``."""
        return self._snapshot().view(self.settings)

    @property
    def heavy_store(self) -> Store:
        """:attr:`store` for whole-store questions (the ownership table): their
        queries run in ``/sparql``'s lower-priority workers, never in a lookup's."""
        return self._snapshot().heavy_view(self.settings)

    @property
    def queries_in_workers(self) -> bool:
        """Whether a query waits on a worker process (so it must not run on the event loop)."""
        snapshot = self._snapshot()
        return snapshot.view(self.settings) is not snapshot.store

    @property
    def answers(self) -> AnswerCache | None:
        """Ready owner/lead answers; only for a read-only store."""
        return self._snapshot().answers

    @property
    def terms(self) -> TermIndex:
        if self._terms is None:
            with self._lock:
                if self._terms is None:
                    self._terms = default_index(self.settings.data_dir)
        return self._terms

    @property
    def pool(self) -> WorkerPool:
        """The SPARQL worker processes (of this request's snapshot), started on first use."""
        return self._snapshot().pool(self.settings)

    @property
    def uploads(self) -> UploadRunner:
        """Where posted data is parsed and validated: child processes, started per upload."""
        if self._uploads is None:
            with self._lock:
                if self._uploads is None:
                    from crmkg.api.uploads import UploadRunner

                    self._uploads = UploadRunner(self.settings)
        return self._uploads

    def close(self) -> None:
        if self._uploads is not None:
            self._uploads.close()
        self.snapshots.close()
        for action in reversed(self.cleanup):
            action()
        self.cleanup.clear()


async def off_the_loop(state: AppState, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` in a thread when the store's queries wait on worker processes (up to the
    query timeout: never on the event loop); in place otherwise (cheaper than a thread hop)."""
    if state.queries_in_workers:
        return await anyio.to_thread.run_sync(work, *args)
    return work(*args)


async def get_state(request: Request) -> AppState:
    # async on purpose: FastAPI runs a plain ``def`` dependency in its thread pool, a thread hop
    # on every request that cost more than the owner lookup itself.
    state: AppState = request.app.state.crmkg
    return state


def iri_param(value: str) -> str:
    """An absolute IRI from a path or query parameter: IRI, ``<IRI>``, CURIE or percent-encoded IRI."""
    from urllib.parse import unquote

    text = value
    if "%" in text and "://" not in text:
        text = unquote(text)
    iri = expand_identifier(text)
    try:
        ox.NamedNode(iri)  # the same IRI check the store applies
    except ValueError as exc:
        raise UsageError(key="error.invalid_iri_because", iri=iri, reason=str(exc)) from None
    return iri


def _accepted_date(value: dt.date) -> dt.date:
    return check_date(value)  # a UsageError is a ValueError: FastAPI answers 422 naming the range


#: A date query parameter in the accepted range (:mod:`crmkg.daterange`); 422 otherwise. The
#: OpenAPI document says so with a pattern of the accepted years.
Date = Annotated[
    dt.date,
    AfterValidator(_accepted_date),
    WithJsonSchema(
        {"type": "string", "format": "date", "pattern": DATE_PATTERN, "description": f"YYYY-MM-DD; {ACCEPTED_DATES}"}
    ),
]


def as_of_or_today(value: dt.date | None) -> dt.date:
    return value if value is not None else dt.date.today()


def server_language(settings: Settings) -> str:
    """The service's default language: ``CRMKG_LANG`` if set, else the server's locale."""
    return language.check(settings.lang, "CRMKG_LANG") if settings.lang else language.from_locale()


def lang_or_default(state: AppState, lang: str | None, accept_language: str | None = None) -> str:
    """A request's language by the one rule: ``?lang=`` > ``Accept-Language`` > :func:`server_language`.

    An explicit ``?lang=`` may name any language tag (labels in it are preferred, others are the
    fallback); negotiation only ever picks fi or en, the languages crmkg's own texts are written in.
    """
    if lang:
        if not lang.replace("-", "").isascii() or not lang.replace("-", "").isalnum():
            raise UsageError(key="error.not_language_tag", lang=lang)
        return lang
    return language.request_language(None, accept_language, server_language(state.settings))


#: The ``Accept-Language`` request header (negotiated by :func:`lang_or_default`; not in the schema).
AcceptLanguage = Annotated[str | None, Header(include_in_schema=False)]
