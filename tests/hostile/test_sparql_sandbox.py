"""Defence in depth: a SPARQL worker cannot open network connections, even if a SERVICE reached the engine.

The policy is bypassed on purpose here: the query goes straight to pyoxigraph inside a process set
up exactly as a worker sets itself up (:func:`crmkg.api.sparql.worker.prepare_process`). The engine's
SERVICE call must fail and the listener on 127.0.0.1 must see no connection attempt.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from crmkg.api.sparql.workers import Worker

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.machine() not in ("x86_64", "aarch64"),
    reason="the seccomp filter is written for Linux on x86-64 and aarch64 (elsewhere the worker says so on stderr)",
)

_ENGINE_DIRECT = textwrap.dedent(
    """
    import socket, sys
    import pyoxigraph as ox
    from crmkg.api.sparql.worker import prepare_process
    assert prepare_process(0), "the sandbox was not installed"
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:%s/sparql> { ?s ?p ?o } }"
    try:
        print("ANSWERED", list(ox.Store().query(query)))
    except OSError as exc:
        print("ENGINE-FAILED", exc)
    for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):
        try:
            socket.socket(family)
            print("SOCKET-OPENED", family)
        except PermissionError:
            print("SOCKET-REFUSED", family)
    """
)


def test_a_service_that_reaches_the_engine_cannot_connect(listener: Any) -> None:
    # Control: without the sandbox the same engine does call the listener (so the test can fail).
    unsandboxed = _ENGINE_DIRECT.replace("assert prepare_process(0)", "assert True or prepare_process")
    control = subprocess.run(
        [sys.executable, "-c", unsandboxed % listener.port],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "SOCKET-OPENED" in control.stdout, control.stderr
    deadline = time.monotonic() + 5
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    before = len(listener.connections)
    assert before >= 1, "the unsandboxed engine should have connected"
    sandboxed = subprocess.run(
        [sys.executable, "-c", _ENGINE_DIRECT % listener.port], capture_output=True, text=True, timeout=60
    )
    assert "ENGINE-FAILED" in sandboxed.stdout, sandboxed.stdout + sandboxed.stderr
    assert "SOCKET-OPENED" not in sandboxed.stdout
    assert sandboxed.stdout.count("SOCKET-REFUSED") == 3
    assert len(listener.connections) == before


def test_every_pool_worker_reports_itself_sandboxed(tmp_path: Path) -> None:
    import pyoxigraph as ox

    ox.Store(str(tmp_path / "ox")).flush()
    worker = Worker(tmp_path / "ox", memory_mb=256).wait_ready()
    try:
        assert worker.sandboxed
    finally:
        worker.close()
