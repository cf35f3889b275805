"""Fixtures shared by every test folder."""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property-based tests on a fixed sequence of examples, so a red run is reproducible
# and never down to luck; HYPOTHESIS_PROFILE=explore draws fresh examples each time (use it with
# SCHEMATHESIS_EXAMPLES=… when hunting for new failures).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parent.parent

#: Test folders whose tests share session fixtures too costly to build twice (the real SPARQL servers
#: of tests/store_remote, each loaded with every dataset): under pytest-xdist one worker runs them all.
ONE_WORKER_FOLDERS = ("tests/store_remote/",)
#: Test files whose tests are shared out one by one: the schemathesis run (about 60 operations) and
#: files of long, independent tests (each starts its own servers) would otherwise be one worker's tail.
TEST_BY_TEST_FILES = (
    "tests/api/test_schemathesis.py",
    "tests/hostile/test_snapshots.py",
    "tests/hostile/test_serve_cleanup.py",
)
#: Seconds a file takes, where that is far more than its number of tests says (serial runs of each
#: folder, wave 6, load 3–6 on the 2-core machine). The scheduler starts the longest work first, so
#: that no long file is left for the end while the other worker has nothing to do.
SLOW_FILES = {
    "tests/store_remote/": 105.0,
    "tests/hostile/test_snapshots.py": 200.0,
    "tests/validation/test_deep_organisation.py": 110.0,
    "tests/hostile/test_upload_service.py": 100.0,
    "tests/hostile/test_serve_cleanup.py": 100.0,
    "tests/hostile/test_upload_limits.py": 46.0,
    "tests/validation/test_ci_output.py": 42.0,
    "tests/hostile/test_query_limits.py": 41.0,
    "tests/cli/test_hooks.py": 32.0,
}
#: What an ordinary test takes on average (the same runs).
SECONDS_PER_TEST = 0.5


def _scope(nodeid: str) -> str:
    """The unit of work xdist sends whole to one worker: a folder above, a test of the files above, or a file."""
    folder = next((f for f in ONE_WORKER_FOLDERS if nodeid.startswith(f)), None)
    if folder is not None:
        return folder
    if nodeid.startswith(TEST_BY_TEST_FILES):
        return nodeid
    return nodeid.split("::", 1)[0]


def _file_of(scope: str) -> str:
    return scope if scope.endswith("/") else scope.split("::", 1)[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist, the longest units of work first (see SLOW_FILES); the order within a unit stays."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    per_scope: dict[str, int] = {}
    per_file: dict[str, int] = {}
    for item in items:
        scope = _scope(item.nodeid)
        per_scope[scope] = per_scope.get(scope, 0) + 1
        per_file[_file_of(scope)] = per_file.get(_file_of(scope), 0) + 1

    def expected_seconds(item: pytest.Item) -> float:
        scope = _scope(item.nodeid)
        file = _file_of(scope)
        if file in SLOW_FILES:
            return SLOW_FILES[file] * per_scope[scope] / per_file[file]
        return SECONDS_PER_TEST * per_scope[scope]

    items.sort(key=lambda item: -expected_seconds(item))  # stable: a unit's tests keep their order


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``make test`` runs on two workers (pytest-xdist); each test file goes whole to one worker (its
    module fixtures are built once), the folders above whole to one worker, the files above test by
    test, and the longest units first (the order the workers collected them in)."""
    from xdist.scheduler import LoadFileScheduling

    config.option.loadscopereorder = False  # keep the collection's order: longest first, not most tests first

    class FileOrFolderScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _scope(nodeid)

    return FileOrFolderScheduling(config, log)  # type: ignore[arg-type]


#: The as-of date the suite uses for the example organisation (never the clock).
AS_OF = dt.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _clean_crmkg_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from CRMKG_* variables and the language from the locale; a developer's shell
    must not leak into tests (a Finnish locale would change every default message)."""
    for name in list(os.environ):
        if name.startswith("CRMKG_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def as_of() -> dt.date:
    return AS_OF


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it gets (what was sent first).

    Hostile-input tests point remote references (JSON-LD contexts, XML entities, SERVICE) at it and
    assert that nothing arrived.
    """

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(1)
            try:
                self.connections.append(conn.recv(4096))
            except OSError:
                self.connections.append(b"")
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


#: The W3C suites' source archives, fetched once at setup by scripts/fetch_test_suites.py (``make test-suites``).
TEST_SUITES = Path(os.environ.get("CRMKG_TEST_CACHE") or Path(__file__).resolve().parents[1] / ".cache" / "test-suites")


@pytest.fixture(scope="session")
def rdflib_sdist() -> Path:
    """rdflib's source distribution (it carries the W3C SPARQL 1.1 test suites), as setup fetched it.

    A missing archive fails the tests that need it (never a skip, never a download here).
    """
    import rdflib

    archive = TEST_SUITES / f"rdflib-{rdflib.__version__}.tar.gz"
    if not archive.is_file():
        pytest.fail(f"{archive} is missing: run `make test-suites` (setup fetches the W3C suites from PyPI)")
    return archive
