"""The idle workers of a pool, handed out in one first-come, first-served line to threads and to
event-loop tasks (kept apart from the pool so that it can be tested without worker processes)."""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import queue
import threading
from typing import Generic, TypeVar

W = TypeVar("W")


class IdleWorkers(Generic[W]):
    """The pool's idle workers, handed out first come, first served to waiting threads and to
    event-loop tasks alike (a task waits without holding a thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: collections.deque[W] = collections.deque()
        self._waiting: collections.deque[concurrent.futures.Future[W]] = collections.deque()

    def put(self, worker: W) -> None:
        with self._lock:
            while self._waiting:
                waiter = self._waiting.popleft()
                if waiter.set_running_or_notify_cancel():  # False: it gave up (cancelled)
                    waiter.set_result(worker)
                    return
            self._idle.append(worker)

    def get(self, timeout: float) -> W:
        """An idle worker, waiting in this thread up to ``timeout``; :class:`queue.Empty` if none came."""
        waiter = self._take()
        if not isinstance(waiter, concurrent.futures.Future):
            return waiter
        try:
            return waiter.result(timeout)
        except concurrent.futures.TimeoutError:
            worker = self._give_up(waiter)
            if worker is None:
                raise queue.Empty from None
            return worker

    async def get_async(self, timeout: float) -> W | None:
        """An idle worker, awaited on the event loop up to ``timeout``; ``None`` if none came."""
        waiter = self._take()
        if not isinstance(waiter, concurrent.futures.Future):
            return waiter
        try:
            handed: W = await asyncio.wait_for(asyncio.wrap_future(waiter), timeout)
        except TimeoutError:
            return self._give_up(waiter)  # handed one just as the time ran out: use it
        except BaseException:
            worker = self._give_up(waiter)
            if worker is not None:
                self.put(worker)
            raise
        return handed

    def _take(self) -> W | concurrent.futures.Future[W]:
        with self._lock:
            if self._idle:
                return self._idle.popleft()
            waiter: concurrent.futures.Future[W] = concurrent.futures.Future()
            self._waiting.append(waiter)
            return waiter

    def _give_up(self, waiter: concurrent.futures.Future[W]) -> W | None:
        """Stop waiting: ``None``, or the worker handed to ``waiter`` meanwhile (the caller's now)."""
        with self._lock:
            if waiter in self._waiting:
                self._waiting.remove(waiter)
                return None
        return None if waiter.cancelled() else waiter.result()
