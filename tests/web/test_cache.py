"""The short-lived answer cache: fresh answers reused, stale ones served once while refreshed."""

from __future__ import annotations

import threading
import time

from crmkg.web.cache import TtlCache


def test_a_fresh_answer_is_reused_and_a_stale_one_refreshed_in_the_background() -> None:
    cache = TtlCache(ttl_s=0.2)
    calls: list[int] = []
    done = threading.Event()

    def compute() -> int:
        calls.append(1)
        if len(calls) == 2:
            done.set()
        return len(calls)

    assert cache.get("k", compute) == 1
    assert cache.get("k", compute) == 1
    assert calls == [1]
    time.sleep(0.25)
    assert cache.get("k", compute) == 1  # stale: served once more while the refresh runs
    assert done.wait(5)
    deadline = time.monotonic() + 5
    while cache.get("k", compute) != 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.get("k", compute) == 2
    assert len(calls) == 2


def test_no_ttl_means_no_reuse_and_keys_are_bounded() -> None:
    uncached = TtlCache(ttl_s=0)
    values = iter(range(10))
    assert uncached.get("k", lambda: next(values)) == 0
    assert uncached.get("k", lambda: next(values)) == 1
    small = TtlCache(max_keys=2)
    for key in "abc":
        small.get(key, lambda k=key: k)  # type: ignore[misc]
    computed: list[str] = []
    small.get("a", lambda: computed.append("a") or "a")
    assert computed == ["a"]  # the oldest key was dropped
