"""Answers that cost more than a page may (whole-organisation lists, the dashboard's aggregates),
kept per key. The served data changes only when it is reloaded: an answer older than
:data:`TTL_S` is still served once more while a background thread computes it again, so only the
very first request for a key waits for the computation, and no answer is older than the TTL plus
one computation."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
TTL_S = 60.0
MAX_KEYS = 64


class TtlCache:
    def __init__(self, ttl_s: float = TTL_S, max_keys: int = MAX_KEYS) -> None:
        self.ttl_s = ttl_s
        self.max_keys = max_keys
        self._items: dict[Hashable, tuple[float, Any]] = {}
        self._refreshing: set[Hashable] = set()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The kept answer for ``key`` (refreshed in the background when stale), else ``compute()``."""
        with self._lock:
            kept = self._items.get(key)
            stale = kept is not None and time.monotonic() - kept[0] >= self.ttl_s
            start_refresh = stale and key not in self._refreshing and self.ttl_s > 0
            if start_refresh:
                self._refreshing.add(key)
        if kept is not None and (not stale or start_refresh or key in self._refreshing):
            if start_refresh:
                threading.Thread(target=self._refresh, args=(key, compute), daemon=True).start()
            value: T = kept[1]
            return value
        value = compute()
        self._put(key, value)
        return value

    def clear(self) -> None:
        """Forget every answer (the served data was replaced by a newer generation)."""
        with self._lock:
            self._items.clear()

    def _refresh(self, key: Hashable, compute: Callable[[], Any]) -> None:
        try:
            self._put(key, compute())
        finally:
            with self._lock:
                self._refreshing.discard(key)

    def _put(self, key: Hashable, value: object) -> None:
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            while len(self._items) > self.max_keys:
                self._items.pop(next(iter(self._items)))
