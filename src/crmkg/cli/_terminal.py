"""The rich bars of the command line's progress display (:mod:`crmkg.cli._progress`).

A module of its own because rich takes ~30 ms to import: only a verb that runs on a terminal
imports it, not every ``crmkg`` process (CI, pipes, ``--quiet``).
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn
from rich.text import Text

from crmkg.i18n import message


class _Amount(ProgressColumn):
    """``12.3/48.0 MB``, ``120/310 checks`` — the done and total in the task's unit."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        done, total = int(task.completed), task.total
        if unit == "bytes":
            shown = f"{done / 1e6:.1f}/{(total or 0) / 1e6:.1f} MB"
        else:
            shown = f"{done}/{int(total)}" if total else str(done)
            shown += " " + message(f"progress.{unit}", self.lang)
        return Text(shown)


class TerminalDisplay:
    """A :class:`crmkg.progress.Display` drawing rich bars on ``stream`` (started at the first task)."""

    def __init__(self, stream: TextIO, lang: str) -> None:
        console = Console(file=stream, stderr=True)
        self._bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            _Amount(lang),
            console=console,
            transient=True,
        )
        self._started = False

    def start(self, label: str, total: int | None, unit: str) -> int:
        if not self._started:
            self._bars.start()
            self._started = True
        text = label if len(label) <= 40 else "…" + label[-39:]
        return int(self._bars.add_task(text, total=total, unit=unit))

    def update(self, task: int, done: int, label: str | None = None) -> None:
        text = None if label is None else label if len(label) <= 40 else "…" + label[-39:]
        self._bars.update(TaskID(task), completed=done, description=text)

    def finish(self, task: int) -> None:
        self._bars.remove_task(TaskID(task))

    def close(self) -> None:
        if self._started:
            self._bars.stop()
