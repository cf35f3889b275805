"""The served store as snapshots: every request answers from one generation of the store, and the
first request that starts after ``crmkg load`` published a new generation takes it up — in every
server process, since each checks the store's pointer (one ``stat()``) when a request starts.

A snapshot carries what belongs to one generation: the read-only store, its owner/lead answer
cache and its SPARQL worker processes. A replaced snapshot is closed when its last request ends.
Stores that are not generational (in memory, remote, written by this process) have one snapshot.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

from crmkg.api.cache import AnswerCache, cache_for
from crmkg.api.sparql.gate import ThreadGate, request_client
from crmkg.config import Settings
from crmkg.store import Store, open_store
from crmkg.store.generations import current_name, pointer_stamp

if TYPE_CHECKING:
    from pathlib import Path

    from crmkg.api.sparql.workers import WorkerPool


@dataclass(eq=False)
class Snapshot:
    store: Store
    answers: AnswerCache | None
    generation: str | None
    closes_store: bool
    #: the app's per-client turns in the lookup workers (one for all snapshots)
    gate: ThreadGate
    _pool: WorkerPool | None = None
    _query_pool: WorkerPool | None = None
    _view: Store | None = None
    _heavy_view: Store | None = None
    users: int = 0
    retired: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)  # users and retired
    _pool_lock: threading.Lock = field(default_factory=threading.Lock)
    _query_pool_lock: threading.Lock = field(default_factory=threading.Lock)

    def pool(self, settings: Settings) -> WorkerPool:
        """The worker processes for ``/sparql`` and whole-store questions over this snapshot's
        store, started on first use, at a lower CPU priority (``CRMKG_SPARQL_WORKER_NICE``)."""
        if self._pool is None:
            with self._pool_lock:
                if self._pool is None:
                    self._pool = _start_pool(self.store, settings, settings.sparql_worker_nice)
        return self._pool

    def query_pool(self, settings: Settings) -> WorkerPool:
        """The worker processes for the app's own queries (lookups, catalogue, pages): not
        ``/sparql``'s, so a client keeping ``/sparql`` busy never delays a lookup."""
        if self._query_pool is None:
            with self._query_pool_lock:
                if self._query_pool is None:
                    self._query_pool = _start_pool(self.store, settings)
        return self._query_pool

    def view(self, settings: Settings) -> Store:
        """The store as the routes query it: an on-disk store's queries run in :meth:`query_pool`'s
        killable workers (:class:`~crmkg.api.sparql.pooled.PooledStore`); other stores as they are."""
        if self._view is None:
            self._view = self._pooled(settings, self.query_pool, lambda: self._query_pool)
        return self._view

    def heavy_view(self, settings: Settings) -> Store:
        """:meth:`view` for whole-store questions (the ownership table): their
        queries run in :meth:`pool`'s lower-priority workers beside ``/sparql``'s, so however many
        of them arrive they never hold a lookup worker, and a lookup waking up takes the CPU first."""
        if self._heavy_view is None:
            self._heavy_view = self._pooled(settings, self.pool, lambda: self._pool)
        return self._heavy_view

    def _pooled(
        self, settings: Settings, pool: Callable[[Settings], WorkerPool], started: Callable[[], WorkerPool | None]
    ) -> Store:
        if self.store.path is None or self.store.backend != "oxigraph":
            return self.store
        from crmkg.api.sparql.pooled import PooledStore

        return PooledStore(
            self.store,
            lambda: pool(settings),
            max_bytes=settings.sparql_max_query_bytes,
            max_depth=settings.sparql_max_depth,
            gate=self.gate,
            started=started,
        )

    def started_pools(self) -> list[str]:
        return [name for name, pool in (("sparql", self._pool), ("queries", self._query_pool)) if pool is not None]

    def close(self) -> None:
        with self._pool_lock, self._query_pool_lock:
            pools, self._pool, self._query_pool = (self._pool, self._query_pool), None, None
        for pool in pools:
            if pool is not None:
                pool.close()
        if self.closes_store:
            self.store.close()


def _start_pool(store: Store, settings: Settings, nice: int = 0) -> WorkerPool:
    from crmkg.api.sparql.workers import WorkerPool

    return WorkerPool.for_store(store, settings, nice=nice)


_pinned: ContextVar[Snapshot | None] = ContextVar("crmkg_snapshot", default=None)


def pinned() -> Snapshot | None:
    """The snapshot the request being handled started with (``None`` outside a request)."""
    return _pinned.get()


class Snapshots:
    """The current snapshot of a served store, and the switch to a newer generation."""

    def __init__(self, store: Store, settings: Settings, *, owns_store: bool) -> None:
        self.settings = settings
        root = store.root if store.read_only else None
        self._root: Path | None = root
        self._stamp = pointer_stamp(root) if root is not None else None
        generation = store.generation
        self.gate = ThreadGate(settings.lookup_per_client)
        self.current = Snapshot(store, cache_for(store, settings.lookup_cache), generation, owns_store, self.gate)
        self._lock = threading.Lock()
        #: Called after a switch (e.g. to drop answers kept elsewhere).
        self.on_switch: list[Callable[[], None]] = []

    def changed(self) -> bool:
        """Whether a newer generation may have been published (cheap: one ``stat()``)."""
        return self._root is not None and pointer_stamp(self._root) != self._stamp

    def refresh(self) -> Snapshot:
        """The snapshot for a request starting now; opens a newly published generation (blocking)."""
        if self.changed():
            with self._lock:
                if self.changed():
                    self._switch()
        return self.current

    def _switch(self) -> None:
        assert self._root is not None
        stamp = pointer_stamp(self._root)
        if current_name(self._root) == self.current.generation:
            self._stamp = stamp
            return
        store = open_store(self._root, read_only=True)
        generation = store.generation
        old = self.current
        new = Snapshot(store, cache_for(store, self.settings.lookup_cache), generation, True, self.gate)
        # Start the new generation's workers now for what was in use (requests meanwhile wait for them).
        for name in old.started_pools():
            start = new.pool if name == "sparql" else new.query_pool
            threading.Thread(target=start, args=(self.settings,), daemon=True).start()
        self.current = new
        self._stamp = stamp
        for hook in self.on_switch:
            hook()
        with old._lock:
            old.retired = True
            idle = old.users == 0
        if idle:
            _close_later(old)

    def acquire(self) -> Snapshot:
        """The current snapshot, held until :meth:`release` (a replaced one is closed only after)."""
        while True:
            snapshot = self.current
            with snapshot._lock:
                if not snapshot.retired:
                    snapshot.users += 1
                    return snapshot
            # replaced (and perhaps closed) just now: take its successor

    def release(self, snapshot: Snapshot) -> None:
        with snapshot._lock:
            snapshot.users -= 1
            done = snapshot.retired and snapshot.users == 0
        if done:
            _close_later(snapshot)

    def close(self) -> None:
        self.current.close()


def _close_later(snapshot: Snapshot) -> None:
    """Close a replaced snapshot without making anyone wait (stopping its workers takes a while)."""
    threading.Thread(target=snapshot.close, name="crmkg-snapshot-close", daemon=True).start()


class PinSnapshot:
    """ASGI middleware: each HTTP request runs on the snapshot current when it starts (and its
    queries in the lookup workers take their turns as its client's, :class:`ThreadGate`)."""

    def __init__(self, app: ASGIApp, snapshots: Snapshots) -> None:
        self.app = app
        self.snapshots = snapshots

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        snapshots = self.snapshots
        if snapshots.changed():
            await anyio.to_thread.run_sync(snapshots.refresh)  # opening a generation blocks
        snapshot = snapshots.acquire()
        token = _pinned.set(snapshot)
        client = scope.get("client")
        client_token = request_client.set(client[0] if client else "unknown")
        try:
            await self.app(scope, receive, send)
        finally:
            request_client.reset(client_token)
            _pinned.reset(token)
            snapshots.release(snapshot)
