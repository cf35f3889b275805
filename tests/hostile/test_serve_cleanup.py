"""``crmkg serve --data``'s temporary store goes away on every way out: SIGTERM (a service manager's
stop), SIGINT, SIGHUP — with one server process and with two; after a SIGKILL, the next start
removes what the killed one left. Nothing else in the temporary folder is touched.
"""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest

from .servers import ORG, crmkg_env, start_server, stop_server

REUSE_PORT = hasattr(socket, "SO_REUSEPORT")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("crmkg-"))


@pytest.mark.parametrize("workers", [1, 2] if REUSE_PORT else [1])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name)
def test_the_temporary_store_is_removed(tmp_path: Path, workers: int, sig: signal.Signals) -> None:
    env = crmkg_env(TMPDIR=str(tmp_path))
    server = start_server(["--data", str(ORG), "--workers", str(workers)], env)
    assert any(name.startswith("crmkg-serve-") for name in _leftovers(tmp_path))
    code = stop_server(server, sig)
    assert code in (0, 128 + sig, 128 + signal.SIGTERM, -sig), code  # SIGHUP stops as SIGTERM does
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("workers", [1, 2] if REUSE_PORT else [1])
def test_sigint_stops_a_server_started_in_the_background(tmp_path: Path, workers: int) -> None:
    """A script's background job (``crmkg serve … &``, a CI step) inherits SIGINT ignored; the
    server still stops on SIGINT, with every process count (the two-process supervisor used to
    serve on until it was killed 40 s later)."""
    env = crmkg_env(TMPDIR=str(tmp_path))
    server = start_server(["--data", str(ORG), "--workers", str(workers)], env, sigint_ignored=True)
    code = stop_server(server, signal.SIGINT)
    assert code in (0, 128 + signal.SIGINT, -signal.SIGINT), code
    assert _leftovers(tmp_path) == []


def test_the_next_start_removes_what_a_killed_server_left(tmp_path: Path) -> None:
    env = crmkg_env(TMPDIR=str(tmp_path))
    unrelated = tmp_path / "crmkg-serve-not-ours.txt"  # a file, not a store folder of ours
    unrelated.write_text("keep me")
    killed = start_server(["--data", str(ORG)], env)
    stale = [name for name in _leftovers(tmp_path) if name != unrelated.name]
    assert stale
    os.killpg(killed.process.pid, signal.SIGKILL)
    killed.process.wait(timeout=10)
    assert set(stale) <= set(_leftovers(tmp_path))  # nothing can clean up after a SIGKILL …
    running = start_server(["--data", str(ORG)], env)
    try:
        now = set(_leftovers(tmp_path))
        assert not set(stale) & now  # … so the next start does
        assert unrelated.exists()
        # a second server does not take the first one's folder for stale
        second = start_server(["--data", str(ORG)], env)
        try:
            assert now <= set(_leftovers(tmp_path))
        finally:
            stop_server(second)
    finally:
        stop_server(running)
    assert _leftovers(tmp_path) == [unrelated.name]
