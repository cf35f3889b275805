"""A per-process cache of ready owner/lead answers, for stores that cannot change while served.

Only a store whose data cannot change while it is open is cached (an on-disk store opened
read-only: ``crmkg serve --workers N`` opens one per process): its data is fixed for the life of
the process, so an answer keyed on (lookup, IRI, date, language) stays right. A writable store is
never cached. ``CRMKG_LOOKUP_CACHE`` sets the number of entries per process (default 10000; 0
turns the cache off).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from crmkg.errors import UsageError
from crmkg.store import Store

DEFAULT_ENTRIES = 10_000

Key = tuple[str, str, str, str]


def etag_of(body: bytes) -> str:
    """A strong validator: the same bytes give the same tag in every process."""
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


class AnswerCache:
    """Least-recently-used ``key -> (body, etag)``; thread-safe (sync handlers run on a pool)."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[Key, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> tuple[bytes, str] | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: Key, value: tuple[bytes, str]) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def cache_for(store: Store, entries: int = DEFAULT_ENTRIES) -> AnswerCache | None:
    """A cache of ``entries`` answers for ``store`` if it is read-only and ``entries`` > 0, else ``None``.

    The size comes from :class:`crmkg.config.Settings` (``CRMKG_LOOKUP_CACHE``).
    """
    if not store.capabilities.snapshot:
        return None  # a writable store, or an endpoint others write to, may change between requests
    if entries < 0:
        raise UsageError(key="error.lookup_cache_size", entries=entries)
    return AnswerCache(entries) if entries else None
