"""Feedback on long work: library code says how far it is, the command line decides whether to show it.

Library code opens a :func:`task` (bytes read while parsing a file, checks run while validating,
rows read while importing) and advances it; nothing is shown unless the caller installed a
:class:`Display` with :func:`showing` — the CLI does, on a terminal and without ``--quiet``. So the
library never writes to a terminal, and with no display the cost is one context-variable read.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, Protocol

#: Advance a task to ``done`` units.
Advance = Callable[[int], None]


class Display(Protocol):
    """Where progress is shown (the CLI's terminal bars)."""

    def start(self, label: str, total: int | None, unit: str) -> int:
        """A new task; its id."""

    def update(self, task: int, done: int, label: str | None = None) -> None:
        """The task has ``done`` units done (and is now called ``label``, if given)."""

    def finish(self, task: int) -> None:
        """The task is over (its bar goes away)."""


_DISPLAY: ContextVar[Display | None] = ContextVar("crmkg_progress_display", default=None)


def active() -> bool:
    """Whether anyone is watching (library code skips the bookkeeping otherwise)."""
    return _DISPLAY.get() is not None


@contextmanager
def showing(display: Display | None) -> Iterator[None]:
    """Progress of the work inside the block goes to ``display`` (``None``: nowhere)."""
    token = _DISPLAY.set(display)
    try:
        yield
    finally:
        _DISPLAY.reset(token)


class Task:
    """One piece of long work on the current display (or on none: then every call does nothing)."""

    def __init__(self, label: str, total: int | None, unit: str) -> None:
        self._display = _DISPLAY.get()
        self._id = self._display.start(label, total, unit) if self._display is not None else 0

    def advance(self, done: int, label: str | None = None) -> None:
        if self._display is not None:
            self._display.update(self._id, done, label)

    def end(self) -> None:
        if self._display is not None:
            self._display.finish(self._id)
            self._display = None


@contextmanager
def task(label: str, total: int | None, unit: str) -> Iterator[Advance]:
    """One piece of long work of ``total`` units (``None``: unknown); yields ``advance(done)``."""
    work = Task(label, total, unit)
    try:
        yield work.advance
    finally:
        work.end()


def counting_reader(data: bytes | io.BufferedIOBase, advance: Advance) -> IO[bytes]:
    """``data`` (bytes, or a binary file from where it stands) as a binary file that advances a task
    by the bytes a parser has read so far."""
    source = io.BytesIO(data) if isinstance(data, bytes) else data  # BytesIO shares the bytes, no copy
    return io.BufferedReader(_CountingReader(source, advance), buffer_size=1 << 16)


class _CountingReader(io.RawIOBase):
    """A binary file that advances a task by the bytes a parser has read so far."""

    def __init__(self, source: io.BufferedIOBase, advance: Advance) -> None:
        self._source = source
        self._position = 0
        self._advance = advance

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        size = self._source.readinto(buffer)
        self._position += size
        self._advance(self._position)
        return size
