"""What the libraries log (rdflib, pyshacl, owlrl, owlready2) as crmkg's own one-line notes.

Left alone, rdflib logs a warning with a full traceback for every literal it cannot read (e.g.
``"2023-13-05"^^xsd:date``), and Python prints those on stderr — in a CI log they read as a crash.
While :func:`library_notes` is active their records are collected instead, one line each without
the traceback, counted; callers report them as notes. :func:`quiet_libraries` (for the command
line) prints any that arrive outside such a block as one ``crmkg: note:`` line.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

LIBRARY_LOGGERS = ("rdflib", "pyshacl", "owlrl", "owlready2")

_ILL_TYPED = re.compile(r"Failed to convert Literal lexical form to value\. Datatype=(\S+?),")
_XSD = "http://www.w3.org/2001/XMLSchema#"


def one_line(record: logging.LogRecord) -> str:
    """The record as one sentence: an ill-typed literal named as such, else the message and the
    exception's own text (never the traceback)."""
    message = record.getMessage()
    error = record.exc_info[1] if record.exc_info else None
    problem = (str(error).strip().splitlines() or [""])[0] if error is not None else ""
    ill_typed = _ILL_TYPED.match(message)
    if ill_typed:
        datatype = ill_typed.group(1).replace(_XSD, "xsd:")
        text = f"a literal is not a valid {datatype}"
        return f"{text} ({problem}); where a shape checks its datatype it is a finding" if problem else text
    first = message.strip().splitlines()[0] if message.strip() else record.levelname.lower()
    return f"{record.name}: {first}" + (f" ({problem})" if problem else "")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[one_line(record)] += 1

    def notes(self) -> list[str]:
        return [text if n == 1 else f"{text} ({n} times)" for text, n in sorted(self.counts.items())]


class _Dispatch(logging.Handler):
    """The one handler on the library loggers while any collection is active: it hands every
    record to each active collector (validation runs may overlap, e.g. in the API)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.collectors: list[_Collector] = []

    def emit(self, record: logging.LogRecord) -> None:
        for collector in list(self.collectors):
            collector.emit(record)


_lock = threading.Lock()
_dispatch = _Dispatch()
_saved: list[tuple[logging.Logger, bool, list[logging.Handler]]] = []


@contextmanager
def library_notes() -> Iterator[_Collector]:
    """Within the block, the libraries' warnings and errors are collected (see ``notes()``), not
    printed (their other handlers are set aside meanwhile)."""
    collector = _Collector()
    with _lock:
        if not _dispatch.collectors:
            for name in LIBRARY_LOGGERS:
                logger = logging.getLogger(name)
                _saved.append((logger, logger.propagate, list(logger.handlers)))
                logger.handlers = [_dispatch]
                logger.propagate = False
        _dispatch.collectors.append(collector)
    try:
        yield collector
    finally:
        with _lock:
            _dispatch.collectors.remove(collector)
            if not _dispatch.collectors:
                for logger, propagate, handlers in _saved:
                    logger.handlers = handlers
                    logger.propagate = propagate
                _saved.clear()


class _OneLine(logging.Handler):
    def __init__(self, stream: TextIO | None) -> None:
        super().__init__(logging.WARNING)
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        # sys.stderr as it is now (not when crmkg was imported): it may have been replaced since.
        (self.stream or sys.stderr).write(f"crmkg: note: {one_line(record)}\n")


def quiet_libraries(stream: TextIO | None = None) -> None:
    """For the command line: the libraries' warnings become one ``crmkg: note:`` line each, written
    to ``stream`` (default: the current stderr). Called again, it replaces its earlier handler."""
    handler = _OneLine(stream)
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = [h for h in logger.handlers if not isinstance(h, _OneLine)] + [handler]
        logger.propagate = False
