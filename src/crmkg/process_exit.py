"""Ending the console script without freeing what a run built.

Freeing the store of a 1M-triple validation takes about 0.4 s of CPU at the very end of the run;
the operating system takes the memory back at once when the process ends. Only the console
script opts in (:func:`opt_in`); code that calls :func:`crmkg.cli.main` in-process (the tests,
another program) keeps ordinary frees and never ends early.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

#: What a run asked to keep until the process ends; None unless the console script opted in.
_kept: list[object] | None = None


def opt_in() -> None:
    """Let :func:`keep_until_exit` keep objects (the console script only)."""
    global _kept
    _kept = []


def keep_until_exit(obj: object) -> None:
    """Keep ``obj`` alive until the process ends, when the console script opted in (else nothing)."""
    if _kept is not None:
        _kept.append(obj)


def exit_process(code: int) -> NoReturn:
    """Exit with ``code``. When a run kept something, the streams and logs are flushed and the
    process ends at once (no interpreter teardown frees it); otherwise as :func:`sys.exit`."""
    if _kept:
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    sys.exit(code)
