"""``crmkg serve --workers 2``: processes with a listening socket each (SO_REUSEPORT), stopped by SIGTERM."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from .conftest import ORG, free_port

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="SO_REUSEPORT is Linux/BSD only")


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_two_workers_answer_and_stop_together() -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMKG_")}
    cmd = [sys.executable, "-m", "crmkg", "serve", "--data", str(ORG), "--port", str(port), "--workers", "2"]
    process = subprocess.Popen([*cmd, "--log-level", "warning"], env=env)
    try:
        deadline = time.monotonic() + 90
        while not _accepts(port):
            assert process.poll() is None, f"crmkg serve exited with {process.returncode}"
            assert time.monotonic() < deadline, "crmkg serve did not start within 90 s"
            time.sleep(0.3)
        time.sleep(1.0)  # both processes listening
        url = f"http://127.0.0.1:{port}/relationships/ex:rel-acme/owner?as_of=2026-10-01"
        bodies = []
        for _ in range(8):  # a fresh connection each: the kernel spreads them over the processes
            with httpx.Client(timeout=60) as client:  # a process may still be starting: 5 s is short under load
                response = client.get(url)
                assert response.status_code == 200, response.text
                assert response.headers["x-crmkg-cache"] in ("hit", "miss")  # read-only store: cached
                bodies.append(response.json())
        assert all(b == bodies[0] for b in bodies)
        assert bodies[0]["owners"], "rel-acme has an owner on 2026-10-01"
    finally:
        process.terminate()
        process.wait(timeout=40)
    assert not _accepts(port), "a server process outlived crmkg serve"
