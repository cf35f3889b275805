"""A small pool of killable SPARQL worker processes over an on-disk store opened read-only.

A query that runs past its time has its worker killed (SIGKILL) and replaced, so the timeout really
stops the query; a worker that dies (its memory cap, a crash) is replaced too. A warm spare worker is
kept started, so a replacement is ready at once instead of after an interpreter start. Stores that
are not on disk are first copied into a temporary on-disk store.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio

from crmkg.api.sparql.conneg import NotAcceptable
from crmkg.api.sparql.idle import IdleWorkers
from crmkg.config import Settings
from crmkg.errors import (
    CrmkgError,
    NotFound,
    QueryOverLimit,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
    StoreError,
    restored_params,
)
from crmkg.formats import RdfFormat
from crmkg.store import Store, graph_names, open_store

_START_TIMEOUT_S = 60.0
#: Reply kinds of the worker and the errors they become.
_FAILURES: dict[str, type[Exception]] = {
    "too-large": QueryTooLarge,
    "refused": QueryRefused,
    "syntax": QuerySyntaxError,
    "not-acceptable": NotAcceptable,
    "not-found": NotFound,
}


class _Expired(Exception):
    pass


class _Died(Exception):
    pass


class Worker:
    """One worker process and its pipes."""

    def __init__(self, store_dir: Path, memory_mb: int = 0, nice: int = 0) -> None:
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[3])  # so a source checkout works uninstalled
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crmkg.api.sparql.worker", str(store_dir), str(memory_mb), str(nice)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self._in = self.proc.stdin
        self._out = self.proc.stdout
        self._fd = self._out.fileno()
        self.sandboxed = False

    def wait_ready(self) -> Worker:
        """Wait until the process has opened the store (started workers start side by side)."""
        try:
            ready = json.loads(self._read_frame(time.monotonic() + _START_TIMEOUT_S))
        except (_Expired, _Died):
            self.kill()
            raise StoreError(key="error.worker_did_not_start") from None
        if not ready.get("ok"):
            self.kill()
            raise StoreError(key="error.worker_cannot_open", problem=ready.get("message"))
        self.sandboxed = bool(ready.get("sandboxed"))
        return self

    def _read_exact(self, size: int, deadline: float) -> bytes:
        chunks = []
        remaining = size
        while remaining:
            wait = deadline - time.monotonic()
            if wait <= 0:
                raise _Expired
            readable, _, _ = select.select([self._fd], [], [], wait)
            if not readable:
                raise _Expired
            chunk = os.read(self._fd, min(remaining, 1 << 20))
            if not chunk:
                raise _Died
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _read_frame(self, deadline: float) -> bytes:
        size = int.from_bytes(self._read_exact(4, deadline), "big")
        return self._read_exact(size, deadline) if size else b""

    def _send(self, request: dict[str, Any]) -> None:
        payload = json.dumps(request).encode("utf-8")
        try:
            self._in.write(len(payload).to_bytes(4, "big") + payload)
            self._in.flush()
        except (BrokenPipeError, OSError) as exc:
            raise _Died from exc

    def run(self, request: dict[str, Any], timeout_s: float) -> tuple[dict[str, Any], bytes]:
        self._send(request)
        deadline = time.monotonic() + timeout_s
        header = json.loads(self._read_frame(deadline))
        body = self._read_frame(deadline)
        return header, body

    async def run_async(self, request: dict[str, Any], timeout_s: float) -> tuple[dict[str, Any], bytes]:
        """:meth:`run` on the event loop: the reply is read as the pipe becomes readable, so no
        thread waits for it (a thread hop, and the GIL handed back and forth, cost the server more
        CPU than the rest of an uncached lookup). The write is not awaited: the request is one job
        (for a lookup, a few hundred bytes) to a worker that is idle, reading its pipe."""
        self._send(request)
        loop = asyncio.get_running_loop()
        reply: asyncio.Future[tuple[dict[str, Any], bytes]] = loop.create_future()
        received = bytearray()

        def readable() -> None:
            try:
                chunk = os.read(self._fd, 1 << 20)
            except OSError:
                chunk = b""
            if reply.done():
                return
            if not chunk:
                reply.set_exception(_Died())
                return
            received.extend(chunk)
            frames = _two_frames(received)
            if frames is not None:
                reply.set_result((json.loads(frames[0]), frames[1]))

        loop.add_reader(self._fd, readable)
        try:
            return await asyncio.wait_for(reply, timeout_s)
        except TimeoutError:
            raise _Expired from None
        finally:
            loop.remove_reader(self._fd)

    def kill(self) -> None:
        # Teardown of a worker being thrown away: nothing that fails here changes what happens next.
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        with contextlib.suppress(Exception):  # teardown (see above)
            self.proc.wait(timeout=5)
        for pipe in (self._in, self._out):
            with contextlib.suppress(Exception):  # teardown (see above)
                pipe.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):  # teardown: a broken pipe is a worker already gone
            self._in.close()
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
        with contextlib.suppress(Exception):  # teardown (as above)
            self._out.close()


def _two_frames(data: bytearray) -> tuple[bytes, bytes] | None:
    """The reply's header and body frames once ``data`` holds both (length-prefixed), else ``None``."""
    if len(data) < 4:
        return None
    end_header = 4 + int.from_bytes(data[:4], "big")
    if len(data) < end_header + 4:
        return None
    end_body = end_header + 4 + int.from_bytes(data[end_header : end_header + 4], "big")
    if len(data) < end_body:
        return None
    return bytes(data[4:end_header]), bytes(data[end_header + 4 : end_body])


class WorkerPool:
    """``size`` workers; :meth:`execute` borrows one, and kills and replaces it on timeout."""

    def __init__(
        self,
        store_dir: Path,
        *,
        size: int,
        timeout_s: float,
        graphs: frozenset[str],
        memory_mb: int = 0,
        nice: int = 0,
        spare: bool = True,
        cleanup: list[Any] | None = None,
    ) -> None:
        self.store_dir = store_dir
        self.timeout_s = timeout_s
        self.graphs = graphs
        self.memory_mb = memory_mb
        self.nice = nice
        self.size = max(1, size)
        self._idle: IdleWorkers[Worker] = IdleWorkers()
        self._spare: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._cleanup = cleanup or []
        starting = [Worker(self.store_dir, self.memory_mb, self.nice) for _ in range(self.size)]
        try:
            for worker in starting:
                self._add(worker.wait_ready(), self._idle.put)
        except BaseException:
            for worker in starting:
                worker.kill()
            raise
        if spare:  # not needed to answer: it starts while the pool already works
            threading.Thread(target=self._start_into, args=(self._spare.put,), daemon=True).start()

    def _start(self) -> Worker:
        return Worker(self.store_dir, self.memory_mb, self.nice).wait_ready()

    def _start_into(self, into: Callable[[Worker], None]) -> None:
        """Start a worker in the background; a pool closed meanwhile (its store gone) wants none."""
        try:
            worker = self._start()
        except StoreError:
            if self._closed:
                return
            raise
        self._add(worker, into)

    def _add(self, worker: Worker, into: Callable[[Worker], None]) -> None:
        with self._lock:
            if self._closed:
                worker.close()
                return
            self._all.add(worker)
        into(worker)

    def _replace(self, dead: Worker) -> None:
        """Put the spare in the dead worker's place at once, and start a new spare (or a new worker)."""
        with self._lock:
            self._all.discard(dead)
        dead.kill()
        if self._closed:
            return
        try:
            spare: Worker | None = self._spare.get_nowait()
        except queue.Empty:
            spare = None
        if spare is not None:
            self._idle.put(spare)
        target = self._spare.put if spare is not None else self._idle.put
        threading.Thread(target=self._start_into, args=(target,), daemon=True).start()

    def _death(self, dead: Worker) -> CrmkgError:
        """Why a worker stopped while answering, as the error the caller gets."""
        code = dead.proc.poll()
        if code is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = dead.proc.wait(timeout=1)
        if code in (-signal.SIGABRT, -signal.SIGKILL) and self.memory_mb:
            return QueryOverLimit(key="error.worker_memory", mebibytes=self.memory_mb)
        if code is not None and code < 0:
            return StoreError(key="error.worker_stopped_by_signal", signal=signal.Signals(-code).name)
        return StoreError(key="error.worker_stopped_with_code", code=code)

    @classmethod
    def for_store(cls, store: Store, settings: Settings, *, nice: int = 0) -> WorkerPool:
        """A pool over ``store``'s on-disk folder, or over a temporary on-disk copy of it; its
        workers run ``nice`` steps below the server's CPU priority."""
        options: dict[str, Any] = {
            "size": settings.sparql_workers,
            "timeout_s": settings.query_timeout_s,
            "memory_mb": settings.sparql_worker_memory_mb,
            "nice": nice,
        }
        if store.backend == "sparql":
            raise StoreError(key="error.sparql_over_remote")
        if store.path is not None:
            store.flush()  # the workers open the folder themselves and must see everything written
            return cls(store.path, graphs=graph_names(store), **options)
        tmp = Path(tempfile.mkdtemp(prefix="crmkg-sparql-"))
        copy = open_store(tmp)
        try:
            copy.load(store.dump(RdfFormat.N_QUADS), RdfFormat.N_QUADS, source="the served store")
            graphs = graph_names(copy)
        finally:
            copy.close()
        cleanup = [lambda: shutil.rmtree(tmp, ignore_errors=True)]
        return cls(tmp, graphs=graphs, cleanup=cleanup, **options)

    def execute(self, request: dict[str, Any], timeout_s: float | None = None) -> tuple[dict[str, Any], bytes]:
        """Run a request on an idle worker within the timeout (waiting for a worker counts too)."""
        limit = self.timeout_s if timeout_s is None else min(timeout_s, self.timeout_s)
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise QueryTimeout(key="error.no_sparql_worker", seconds=f"{limit:.3g}") from None
        remaining = max(0.001, limit - (time.monotonic() - started))
        try:
            header, body = worker.run(request, remaining)
        except (_Expired, _Died) as lost:
            raise self._lost(worker, lost, limit) from None
        self._idle.put(worker)
        return self._answered(header, body)

    async def execute_async(self, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        """:meth:`execute` from the event loop: the wait for an idle worker and for its reply are
        awaited, so no thread waits (killing and replacing a worker blocks: that runs in a thread)."""
        limit = self.timeout_s
        started = time.monotonic()
        worker = await self._idle.get_async(limit)
        if worker is None:
            raise QueryTimeout(key="error.no_sparql_worker", seconds=f"{limit:.3g}")
        remaining = max(0.001, limit - (time.monotonic() - started))
        try:
            header, body = await worker.run_async(request, remaining)
        except (_Expired, _Died) as lost:
            raise await anyio.to_thread.run_sync(self._lost, worker, lost, limit) from None
        except BaseException:
            # cancelled while the worker works: its reply would meet the next request, so it goes
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            raise
        self._idle.put(worker)
        return self._answered(header, body)

    def _lost(self, worker: Worker, lost: _Expired | _Died, limit: float) -> CrmkgError:
        """Replace a worker that ran out of time or died, and name what happened to the request
        (one place for both the thread and the event-loop path)."""
        self._replace(worker)
        if isinstance(lost, _Expired):
            return QueryTimeout(key="error.query_ran_too_long", seconds=f"{limit:.3g}")
        return self._death(worker)

    def _answered(self, header: dict[str, Any], body: bytes) -> tuple[dict[str, Any], bytes]:
        """A worker's reply, or the error its header names."""
        if not header.get("ok"):
            kind, message = header.get("kind", ""), str(header.get("message"))
            if kind == "memory":
                raise QueryOverLimit(key="error.worker_memory", mebibytes=self.memory_mb)
            failure = _FAILURES.get(kind)
            if failure is not None and issubclass(failure, CrmkgError) and header.get("key"):
                raise failure(message, key=header["key"], **restored_params(header.get("params", {})))
            if failure is not None:
                raise failure(message)
            raise StoreError(message, key=header.get("key"), **restored_params(header.get("params", {})))
        return header, body

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.close()
        for action in self._cleanup:
            action()
