"""The lookup pool's idle workers go to waiting threads and event-loop tasks first come, first served.

The hot lookup waits for a worker on the event loop (no thread); the other routes wait in threads.
Both wait in one line, so neither can starve the other, and a task that gives up never loses a
worker handed to it at that moment.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from crmkg.api.sparql.idle import IdleWorkers
from crmkg.api.sparql.workers import Worker


class _Stub(Worker):
    """A worker without a process: the handout never looks inside one."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return other == self.name if isinstance(other, str) else other is self

    __hash__ = object.__hash__

    def __str__(self) -> str:
        return self.name


def _worker(name: str) -> Worker:
    return _Stub(name)


def test_an_idle_worker_is_handed_out_at_once() -> None:
    idle = IdleWorkers()
    idle.put(_worker("a"))
    assert idle.get(0.0) == "a"
    idle.put(_worker("b"))
    assert asyncio.run(idle.get_async(0.0)) == "b"


def test_threads_and_tasks_wait_in_one_line() -> None:
    idle = IdleWorkers()
    got: dict[str, Any] = {}

    def thread_waits() -> None:
        got["thread"] = idle.get(10.0)

    async def main() -> None:
        waiting = threading.Thread(target=thread_waits)
        waiting.start()
        while not idle._waiting:  # the thread is first in line
            await asyncio.sleep(0.001)
        task = asyncio.create_task(idle.get_async(10.0))
        while len(idle._waiting) < 2:
            await asyncio.sleep(0.001)
        idle.put(_worker("first"))
        idle.put(_worker("second"))
        got["task"] = await task
        waiting.join(10)

    asyncio.run(main())
    assert got == {"thread": "first", "task": "second"}


def test_a_task_that_times_out_leaves_the_line_and_the_worker_goes_to_the_next() -> None:
    idle = IdleWorkers()

    async def main() -> tuple[Worker | None, Worker | None]:
        started = time.monotonic()
        none = await idle.get_async(0.05)
        assert time.monotonic() - started >= 0.05
        idle.put(_worker("a"))
        return none, await idle.get_async(0.0)

    assert asyncio.run(main()) == (None, "a")
    assert not idle._waiting


def test_a_thread_that_times_out_raises_empty() -> None:
    import queue

    idle = IdleWorkers()
    with pytest.raises(queue.Empty):
        idle.get(0.05)
    assert not idle._waiting


def test_a_cancelled_task_never_loses_a_worker_handed_to_it() -> None:
    idle = IdleWorkers()

    async def main() -> list[Worker | None]:
        task = asyncio.create_task(idle.get_async(10.0))
        while not idle._waiting:
            await asyncio.sleep(0.001)
        idle.put(_worker("a"))  # handed to the task's waiter
        task.cancel()  # before the task has run again
        try:
            kept = await task  # the task may still take it (it was handed first) …
        except asyncio.CancelledError:
            kept = None  # … or give it back
        return [kept, await idle.get_async(0.0)]

    assert sorted(map(str, asyncio.run(main()))) == ["None", "a"]
