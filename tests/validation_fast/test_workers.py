"""The checks give the same results in forked worker processes, in threads and one by one; the
engine forks only where that is safe."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

import crmkg.validation.fast.engine as fast_engine
from crmkg.errors import ValidationError
from crmkg.store.memory import MemoryStore
from crmkg.store.oxigraph import OxigraphStore
from crmkg.validation import validate
from crmkg.validation.fast import FastEngine
from crmkg.validation.fast.compiler import Check
from crmkg.validation.report import Severity, ValidationReport

from .conftest import message_keys, result_keys

REPO = Path(__file__).resolve().parents[2]
BROKEN = REPO / "examples" / "esimerkki-broken" / "data"


def _run(engine: FastEngine) -> ValidationReport:
    return validate([BROKEN], engine=engine, as_of=dt.date(2026, 10, 1))


def test_processes_threads_and_serial_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    forked: list[int] = []
    real = fast_engine.run_in_processes

    def counting(*args: Any) -> Any:
        forked.append(1)
        return real(*args)

    monkeypatch.setattr(fast_engine, "run_in_processes", counting)
    in_processes = _run(FastEngine(workers=2))
    assert forked, "with one thread alive and an Oxigraph store the checks run in forked workers"
    in_threads = _run(FastEngine(workers=2, processes=False))
    serial = _run(FastEngine(workers=1))
    assert len(forked) == 1
    reports = [in_processes, in_threads, serial]
    assert in_processes.results
    keys = [result_keys(r.results) for r in reports]
    assert keys[0] == keys[1] == keys[2]
    messages = [message_keys(r.results) for r in reports]
    assert messages[0] == messages[1] == messages[2]


def test_no_fork_while_another_thread_runs_or_for_other_stores() -> None:
    assert fast_engine.can_fork(OxigraphStore())
    assert not fast_engine.can_fork(MemoryStore())
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not fast_engine.can_fork(OxigraphStore())
    finally:
        release.set()
        other.join()


def test_a_failing_check_in_a_worker_is_reported_in_the_parent() -> None:
    broken = Check(
        shape=URIRef("https://example.org/s"),
        component=URIRef("http://www.w3.org/ns/shacl#ClassConstraintComponent"),
        query="SELECT ?this WHERE { this is not SPARQL }",
        focus_var="this",
        severity=Severity.VIOLATION,
        result_path=None,
    )
    with pytest.raises(ValidationError, match="compiled check failed"):
        fast_engine.run_in_processes(OxigraphStore(), [broken, broken], 2)
