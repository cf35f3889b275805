"""A small pool of killable SPARQL worker processes over an on-disk store opened read-only.

A query that runs past its time has its worker killed (SIGKILL) and replaced, so the timeout really
stops the query. Stores that are not on disk are first copied into a temporary on-disk store.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from crmkg.config import Settings
from crmkg.errors import QuerySyntaxError, QueryTimeout, StoreError
from crmkg.formats import RdfFormat
from crmkg.store import Store

DEFAULT_WORKERS = 2
_START_TIMEOUT_S = 60.0


class _Expired(Exception):
    pass


class _Died(Exception):
    pass


class Worker:
    """One worker process and its pipes."""

    def __init__(self, store_dir: Path) -> None:
        env = dict(os.environ)
        src = str(Path(__file__).resolve().parents[3])  # so a source checkout works uninstalled
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crmkg.api.sparql.worker", str(store_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self._in = self.proc.stdin
        self._out = self.proc.stdout
        self._fd = self._out.fileno()
        ready = json.loads(self._read_frame(time.monotonic() + _START_TIMEOUT_S))
        if not ready.get("ok"):
            self.kill()
            raise StoreError(f"a SPARQL worker could not open the store: {ready.get('message')}")

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

    def run(self, request: dict[str, Any], timeout_s: float) -> tuple[dict[str, Any], bytes]:
        payload = json.dumps(request).encode("utf-8")
        try:
            self._in.write(len(payload).to_bytes(4, "big") + payload)
            self._in.flush()
        except (BrokenPipeError, OSError) as exc:
            raise _Died from exc
        deadline = time.monotonic() + timeout_s
        header = json.loads(self._read_frame(deadline))
        body = self._read_frame(deadline)
        return header, body

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)
        for pipe in (self._in, self._out):
            with contextlib.suppress(Exception):
                pipe.close()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._in.close()
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
        with contextlib.suppress(Exception):
            self._out.close()


class WorkerPool:
    """``size`` workers; :meth:`execute` borrows one, and kills and replaces it on timeout."""

    def __init__(
        self,
        store_dir: Path,
        *,
        size: int,
        timeout_s: float,
        graphs: frozenset[str],
        cleanup: list[Any] | None = None,
    ) -> None:
        self.store_dir = store_dir
        self.timeout_s = timeout_s
        self.graphs = graphs
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._cleanup = cleanup or []
        for _ in range(max(1, size)):
            self._add(Worker(store_dir))

    def _add(self, worker: Worker) -> None:
        with self._lock:
            if self._closed:
                worker.close()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, dead: Worker) -> None:
        with self._lock:
            self._all.discard(dead)
        dead.kill()
        if not self._closed:
            threading.Thread(target=lambda: self._add(Worker(self.store_dir)), daemon=True).start()

    @classmethod
    def for_store(cls, store: Store, settings: Settings) -> WorkerPool:
        """A pool over ``store``'s on-disk folder, or over a temporary on-disk copy of it."""
        size = int(settings.extra.get("sparql_workers", DEFAULT_WORKERS))
        path = getattr(store, "path", None)
        native = getattr(store, "native", None)
        cleanup: list[Any] = []
        if store.backend == "sparql":
            raise StoreError("/sparql over a remote store is not offered: query the remote endpoint directly")
        if isinstance(native, ox.Store) and isinstance(path, Path):
            with contextlib.suppress(RuntimeError):  # a read-only store has nothing to flush
                native.flush()
            graphs = frozenset(str(g.value) for g in native.named_graphs() if isinstance(g, ox.NamedNode))
            return cls(path, size=size, timeout_s=settings.query_timeout_s, graphs=graphs)
        tmp = Path(tempfile.mkdtemp(prefix="crmkg-sparql-"))
        cleanup.append(lambda: shutil.rmtree(tmp, ignore_errors=True))
        copy = ox.Store(str(tmp))
        copy.bulk_load(store.dump(RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
        copy.flush()
        graphs = frozenset(str(g.value) for g in copy.named_graphs() if isinstance(g, ox.NamedNode))
        del copy
        return cls(tmp, size=size, timeout_s=settings.query_timeout_s, graphs=graphs, cleanup=cleanup)

    def execute(self, request: dict[str, Any], timeout_s: float | None = None) -> tuple[dict[str, Any], bytes]:
        """Run a request on an idle worker within the timeout (waiting for a worker counts too)."""
        limit = self.timeout_s if timeout_s is None else min(timeout_s, self.timeout_s)
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            raise QueryTimeout(f"no SPARQL worker became free within {limit:g} s") from None
        remaining = max(0.001, limit - (time.monotonic() - started))
        try:
            header, body = worker.run(request, remaining)
        except _Expired:
            self._replace(worker)
            raise QueryTimeout(f"the query ran longer than {limit:g} s and was stopped") from None
        except _Died:
            self._replace(worker)
            raise StoreError("the SPARQL worker died while running the query") from None
        self._idle.put(worker)
        if not header.get("ok"):
            if header.get("kind") == "syntax":
                raise QuerySyntaxError(f"SPARQL syntax error: {header.get('message')}")
            raise StoreError(f"query failed: {header.get('message')}")
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
