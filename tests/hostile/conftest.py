"""Fixtures for the hostile-input suite: a live ``crmkg serve`` on 127.0.0.1 (ephemeral port)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

API_DATA = Path(__file__).resolve().parent.parent / "api" / "data"
#: Settings of the SPARQL server the hostile SPARQL tests attack (small, so limits are reached fast).
SPARQL_SERVER_ENV = {
    "CRMKG_MAX_ROWS": "50",
    "CRMKG_QUERY_TIMEOUT_S": "4",
    "CRMKG_SPARQL_WORKER_MEMORY_MB": "400",
    "CRMKG_SPARQL_WORKERS": "2",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A ``crmkg serve`` process and its base URL."""

    url: str
    process: subprocess.Popen[bytes]


def start_server(env_overrides: dict[str, str], *args: str) -> Server:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMKG_")}
    env.update(env_overrides)
    command = [sys.executable, "-m", "crmkg", "serve", "--port", str(port), "--log-level", "warning", *args]
    process = subprocess.Popen(command, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"crmkg serve exited with {process.returncode}")
        try:
            if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return Server(url, process)
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            stop_server(Server(url, process))
            raise RuntimeError("crmkg serve did not start within 90 s")
        time.sleep(0.3)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=5)


@pytest.fixture(scope="session")
def sparql_server() -> Iterator[Server]:
    """The test organisation and its named graphs, served with small SPARQL limits."""
    server = start_server(SPARQL_SERVER_ENV, "--data", str(API_DATA / "org.ttl"), str(API_DATA / "graphs.trig"))
    try:
        yield server
    finally:
        stop_server(server)
