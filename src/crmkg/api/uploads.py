"""Posted RDF is parsed and validated in a child process, never in the server's.

Each upload gets a fresh process forked from a multiprocessing fork server that has the parsers and
the validation engine imported, so a parser that crashes (or runs away) costs that one request — a
problem response naming what happened — and never the server. The server's event loop only awaits:
a thread of a small pool of its own (``CRMKG_UPLOAD_PROCESSES`` at a time) waits for the child.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import shutil
import signal
import tempfile
import threading
from multiprocessing.connection import Connection
from pathlib import Path

import anyio

from crmkg.api.problems import ApiProblem
from crmkg.api.upload_jobs import UploadJob, UploadResult
from crmkg.config import Settings
from crmkg.errors import Phrase

_CHILD_MODULE = "crmkg.api.upload_child"
_context_lock = threading.Lock()


def _entry(job: UploadJob, folder: str, reply: Connection) -> None:
    from crmkg.api.upload_child import run  # already imported by the fork server

    run(job, Path(folder), reply)


def _fork_server() -> multiprocessing.context.ForkServerContext:
    with _context_lock:
        context = multiprocessing.get_context("forkserver")
        assert isinstance(context, multiprocessing.context.ForkServerContext)
        context.set_forkserver_preload([_CHILD_MODULE])
        return context


class UploadRunner:
    """Runs :class:`UploadJob` s in child processes, a few at a time."""

    def __init__(self, settings: Settings) -> None:
        self.timeout_s = settings.upload_timeout_s
        self.limiter = anyio.CapacityLimiter(max(1, settings.upload_processes))
        self._context = _fork_server()
        self._running: set[multiprocessing.process.BaseProcess] = set()
        self._lock = threading.Lock()
        self._closed = False

    async def run(self, job: UploadJob) -> UploadResult:
        """The report (rendered or not) and whether the data conforms; :class:`ApiProblem` otherwise."""
        return await anyio.to_thread.run_sync(self._run_blocking, job, limiter=self.limiter)

    def _run_blocking(self, job: UploadJob) -> UploadResult:
        receiver, sender = self._context.Pipe(duplex=False)
        # The child writes the documents here; made and removed by us, as a killed child cannot.
        folder = tempfile.mkdtemp(prefix="crmkg-upload-")
        process = self._context.Process(target=_entry, args=(job, folder, sender), name="crmkg-upload")
        with self._lock:
            if self._closed:
                shutil.rmtree(folder, ignore_errors=True)
                raise ApiProblem(503, "shutting-down", "Shutting down", Phrase("error.shutting_down"))
            try:
                process.start()
            except OSError as exc:  # e.g. the fork server's socket cannot be made under TMPDIR
                shutil.rmtree(folder, ignore_errors=True)
                raise ApiProblem(
                    503, "upload-unavailable", "No parser process", Phrase("error.upload_no_process", reason=exc)
                ) from exc
            self._running.add(process)
        sender.close()  # the child holds the only writer: its exit is our EOF
        try:
            if not receiver.poll(self.timeout_s):
                raise ApiProblem(
                    503,
                    "upload-timeout",
                    "The upload took too long",
                    Phrase("error.upload_timeout", seconds=f"{self.timeout_s:g}"),
                )
            try:
                message = receiver.recv()
            except EOFError:
                process.join(timeout=5)
                raise ApiProblem(
                    500,
                    "upload-crashed",
                    "The upload crashed its parser",
                    Phrase("error.upload_crashed", ending=_ending(process.exitcode)),
                ) from None
        finally:
            receiver.close()
            self._finish(process)
            shutil.rmtree(folder, ignore_errors=True)
        if isinstance(message, UploadResult):
            return message
        _, status, slug, title, detail = message
        raise ApiProblem(status, slug, title, detail)

    def _finish(self, process: multiprocessing.process.BaseProcess) -> None:
        process.join(timeout=1)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
        with self._lock:
            self._running.discard(process)

    def close(self) -> None:
        """Stop every upload still running (server shutdown)."""
        with self._lock:
            self._closed = True
            running = list(self._running)
        for process in running:
            with contextlib.suppress(Exception):  # server shutdown: a child that is gone needs no kill
                process.kill()


def _ending(exitcode: int | None) -> Phrase:
    if exitcode is None:
        return Phrase("ending.none")
    if exitcode < 0:
        try:
            return Phrase("ending.signal", signal=f"{-exitcode} ({signal.Signals(-exitcode).name})")
        except ValueError:
            return Phrase("ending.signal", signal=-exitcode)
    return Phrase("ending.code", code=exitcode)
