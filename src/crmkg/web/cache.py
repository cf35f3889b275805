"""Answers that cost more than a page may (whole-organisation lists, the dashboard's aggregates),
kept for a short time per key: the served data changes only when it is reloaded, and
:data:`TTL_S` is how stale such an answer may then be."""

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
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The kept answer for ``key`` if it is fresh, else ``compute()`` (kept for next time)."""
        now = time.monotonic()
        with self._lock:
            kept = self._items.get(key)
        if kept is not None and now - kept[0] < self.ttl_s:
            value: T = kept[1]
            return value
        value = compute()
        with self._lock:
            self._items[key] = (now, value)
            while len(self._items) > self.max_keys:
                self._items.pop(next(iter(self._items)))
        return value
