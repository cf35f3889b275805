"""How many ``/sparql`` queries one client may run at once; the others wait for its turn.

Two slow queries from one client used to hold every worker until the timeout, so nobody else got an
answer. With at most ``per_client`` running per client (by address), a client looping heavy
queries only ever occupies that many workers; its further requests wait — within their timeout —
while other clients' queries go ahead on the remaining workers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from crmkg.errors import QueryOverLimit


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
                    f"this client already runs {self.per_client} SPARQL "
                    f"quer{'y' if self.per_client == 1 else 'ies'} at once (CRMKG_SPARQL_PER_CLIENT) and "
                    f"none finished within {timeout_s:g} s; send the next query when one has answered"
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
