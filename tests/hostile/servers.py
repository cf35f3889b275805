"""``crmkg serve`` as a real process on 127.0.0.1 (a free ephemeral port), for the hostile-input tests.

``parser_faults`` puts a ``sitecustomize`` on the server's path that makes pyoxigraph's parser crash
(SIGSEGV) or stall on documents carrying a marker — an unknown parser bug, simulated where the real
one would strike: inside ``pyoxigraph.parse``, in whatever process parses.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
ORG = REPO / "tests" / "api" / "data" / "org.ttl"
OWNER_PATH = "/relationships/ex:rel-acme/owner?as_of=2026-10-01"

#: In a document, these make the patched parser crash or stall.
CRASH_MARKER = b"crmkg-test-crash-here"
STALL_MARKER = b"crmkg-test-stall-here"

_SITECUSTOMIZE = f"""
import os, signal, time
import pyoxigraph

_parse = pyoxigraph.parse

def parse(input=None, *args, **kwargs):
    data = input if isinstance(input, bytes) else b""
    if {CRASH_MARKER!r} in data:
        os.kill(os.getpid(), signal.SIGSEGV)
    if {STALL_MARKER!r} in data:
        time.sleep(float(os.environ.get("CRMKG_TEST_STALL_S", "4")))
    return _parse(input, *args, **kwargs)

pyoxigraph.parse = parse
"""


#: In a value bound to a query, these make the query stall or crash (see :func:`query_faults`).
QUERY_STALL_MARKER = "crmkg-test-stall-here"
QUERY_CRASH_MARKER = "crmkg-test-crash-here"

_QUERY_SITECUSTOMIZE = f"""
import os, signal, time
import crmkg.store.oxigraph as backend

_query = backend.OxigraphStore.query

def query(self, sparql, *, bindings=None, options=None):
    values = " ".join(getattr(term, "value", "") for term in (bindings or {{}}).values())
    if {QUERY_CRASH_MARKER!r} in values:
        os.kill(os.getpid(), signal.SIGSEGV)
    if {QUERY_STALL_MARKER!r} in values:
        if os.environ.get("CRMKG_TEST_STALL_DIR"):  # tell the test a stall began (a file per stall)
            open(os.path.join(os.environ["CRMKG_TEST_STALL_DIR"], str(time.monotonic_ns())), "w").close()
        time.sleep(float(os.environ.get("CRMKG_TEST_STALL_S", "4")))
    return _query(self, sparql, bindings=bindings, options=options)

backend.OxigraphStore.query = query
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def crmkg_env(**extra: str) -> dict[str, str]:
    """The environment without the developer's CRMKG_* settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMKG_")}
    env.update(extra)
    return env


def parser_faults(folder: Path) -> dict[str, str]:
    """Environment entries that load the fault-injecting ``sitecustomize`` in every process."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(_SITECUSTOMIZE, "utf-8")
    src = str(REPO / "src")
    return {"PYTHONPATH": os.pathsep.join([str(folder), src, os.environ.get("PYTHONPATH", "")])}


def query_faults(folder: Path) -> dict[str, str]:
    """Environment entries that make a query stall or crash, in whatever process runs it, when a
    value bound to it carries a marker — a query made heavy by its parameters, or an engine bug."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(_QUERY_SITECUSTOMIZE, "utf-8")
    src = str(REPO / "src")
    return {"PYTHONPATH": os.pathsep.join([str(folder), src, os.environ.get("PYTHONPATH", "")])}


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen[bytes]

    def alive(self) -> bool:
        return self.process.poll() is None


def start_server(
    args: Sequence[str],
    env: dict[str, str],
    *,
    ready_path: str = OWNER_PATH,
    timeout_s: float = 90,
    sigint_ignored: bool = False,
) -> Server:
    """``crmkg serve ARGS`` on a free port, once ``ready_path`` answers 200. ``sigint_ignored``: it
    starts with SIGINT ignored, as a job put in the background by a script (``cmd &``) does."""
    port = free_port()
    command = [sys.executable, "-m", "crmkg", "serve", *args, "--port", str(port), "--log-level", "warning"]
    ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None
    process = subprocess.Popen(command, env=env, start_new_session=True, preexec_fn=ignore)
    server = Server(f"http://127.0.0.1:{port}", port, process)
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"crmkg serve exited with {process.returncode}")
        try:
            if httpx.get(server.url + ready_path, timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError(f"crmkg serve did not start within {timeout_s:g} s")
        time.sleep(0.3)


def stop_server(server: Server, sig: signal.Signals = signal.SIGTERM) -> int:
    """Stop the server like a service manager would; its exit code."""
    if server.process.poll() is None:
        server.process.send_signal(sig)
        try:
            server.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=10)
    return server.process.returncode


@contextmanager
def serving(args: Sequence[str], env: dict[str, str]) -> Iterator[Server]:
    server = start_server(args, env)
    try:
        yield server
    finally:
        stop_server(server)
