"""How many queries one client may run at once (``/sparql``, and the lookups in their own workers).

Two slow queries from one client used to hold every worker until the timeout, so nobody else got an
answer. With at most ``per_client`` running per client (by address), a client looping heavy
queries only ever occupies that many workers; its further requests wait — within their timeout —
while other clients' queries go ahead on the remaining workers.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from typing import Any

from crmkg.errors import Phrase, QueryOverLimit


class ClientGate:
    """Per-client semaphores, created on first use and dropped when the client has nothing running."""

    def __init__(self, per_client: int) -> None:
        self.per_client = max(1, per_client)
        self._gates: dict[str, tuple[asyncio.Semaphore, int]] = {}

    @asynccontextmanager
    async def turn(self, client: str, timeout_s: float) -> AsyncIterator[None]:
        """Hold one of ``client``'s slots; :class:`QueryOverLimit` if none frees within ``timeout_s``."""
        semaphore, users = self._gates.get(client) or (asyncio.Semaphore(self.per_client), 0)
        self._gates[client] = (semaphore, users + 1)
        try:
            try:
                await asyncio.wait_for(semaphore.acquire(), timeout_s)
            except TimeoutError:
                raise QueryOverLimit(
                    key="error.client_sparql_busy",
                    running=Phrase("count.sparql_queries", n=self.per_client),
                    seconds=f"{timeout_s:g}",
                ) from None
            try:
                yield
            finally:
                semaphore.release()
        finally:
            semaphore, users = self._gates[client]
            if users <= 1:
                del self._gates[client]
            else:
                self._gates[client] = (semaphore, users - 1)

    def running(self) -> int:
        """Clients with a query running or waiting (for tests and the service description)."""
        return len(self._gates)


#: The address of the client whose request is being handled (set per request by
#: :class:`~crmkg.api.snapshots.PinSnapshot`; ``None`` outside a request).
request_client: ContextVar[str | None] = ContextVar("crmkg_request_client", default=None)


class ThreadGate:
    """Per-client turns for code that waits in a thread: the app's own queries in the lookup workers.

    Those queries are sent from threads (sync routes, :func:`~crmkg.api.state.off_the_loop`), so the
    wait is a thread's; the hot lookup takes a free turn from the event loop (:meth:`turn_if_free`)
    and only waits for one in a thread. To keep one client from tying up the server's threads as well as its
    workers, a client with ``per_client`` queries running and ``waiting`` more already waiting is
    refused at once (503) instead of waiting too.
    """

    def __init__(self, per_client: int, waiting: int = 4) -> None:
        self.per_client = max(1, per_client)
        self.waiting = waiting
        self._gates: dict[str, tuple[threading.Semaphore, int]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def turn(self, client: str | None, timeout_s: float) -> Iterator[None]:
        """Hold one of ``client``'s slots (none needed outside a request); :class:`QueryOverLimit`
        if none frees within ``timeout_s``, or at once if too many of its queries wait already."""
        if client is None:
            yield
            return
        semaphore = self._enter(client)
        try:
            if not semaphore.acquire(timeout=max(0.0, timeout_s)):
                raise QueryOverLimit(**self._busy(Phrase("error.busy_none_finished", seconds=f"{timeout_s:.3g}")))
            try:
                yield
            finally:
                semaphore.release()
        finally:
            self._leave(client)

    @contextmanager
    def turn_if_free(self, client: str | None) -> Iterator[bool]:
        """One of ``client``'s slots if one is free now (``True``), else ``False`` at once, never
        waiting: for the event loop, which must not block (the caller then waits in a thread with
        :meth:`turn`, by its rules)."""
        if client is None:
            yield True
            return
        semaphore = self._enter(client)
        try:
            if not semaphore.acquire(blocking=False):
                yield False
                return
            try:
                yield True
            finally:
                semaphore.release()
        finally:
            self._leave(client)

    def _enter(self, client: str) -> threading.Semaphore:
        """Count ``client``'s query as running or waiting; refused at once if too many wait."""
        with self._lock:
            semaphore, users = self._gates.get(client) or (threading.Semaphore(self.per_client), 0)
            if users >= self.per_client + self.waiting:
                raise QueryOverLimit(**self._busy(Phrase("error.busy_waiting", n=self.waiting)))
            self._gates[client] = (semaphore, users + 1)
        return semaphore

    def _leave(self, client: str) -> None:
        with self._lock:
            semaphore, users = self._gates[client]
            if users <= 1:
                del self._gates[client]
            else:
                self._gates[client] = (semaphore, users - 1)

    def _busy(self, why: Phrase) -> dict[str, Any]:
        """The refusal's message key and parameters."""
        running = Phrase("count.lookup_queries", n=self.per_client)
        return {"key": "error.client_lookup_busy", "running": running, "why": why}

    def users(self, client: str) -> int:
        """``client``'s queries running or waiting (for tests)."""
        with self._lock:
            return self._gates.get(client, (None, 0))[1]
