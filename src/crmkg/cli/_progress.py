"""The progress display of the command line: ``rich`` bars on stderr, on a terminal only.

Library code reports its long work through :mod:`crmkg.progress`; here it becomes a bar (bytes
parsed of a big file, checks run, rows read, files read) that is cleared when the work is done.
Nothing is shown when stderr is not a terminal (CI logs, pipes) or with ``--quiet``.
rich rather than tqdm: it keeps several bars on one live display (files, then one big file's
bytes, then the checks) and is already installed with the dev tools; tqdm would mean nested bars.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from crmkg import progress


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    """``--quiet`` on every verb (a verb may already have one with more to it, e.g. ``ingest -q``)."""
    if "--quiet" not in parser._option_string_actions:
        parser.add_argument("--quiet", action="store_true", help="no progress display on the terminal")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                add_quiet_option(sub)


@contextmanager
def progress_display(args: argparse.Namespace, lang: str, stream: TextIO | None = None) -> Iterator[None]:
    """Show the progress of the verb's work on ``stream`` (stderr) if it is a terminal and not ``--quiet``."""
    out = sys.stderr if stream is None else stream
    if getattr(args, "quiet", False) or not out.isatty():
        yield
        return
    from crmkg.cli._terminal import TerminalDisplay  # rich is slow to import: only for a terminal

    display = TerminalDisplay(out, lang)
    try:
        with progress.showing(display):
            yield
    finally:
        display.close()


class FileProgress:
    """The ``progress(done, total, label)`` callback of validation: one bar over the files read."""

    def __init__(self) -> None:
        self._task: progress.Task | None = None

    def __call__(self, done: int, total: int, label: str) -> None:
        if not progress.active() or (self._task is None and done >= total):
            return  # the closing call ("validating with …") of a run whose files are all read
        if self._task is None:
            self._task = progress.Task(label, total, "files")
        self._task.advance(done, label)
        if done >= total:
            self._task.end()
            self._task = None
