"""The checks give the same results in forked worker processes, in threads and one by one; the
engine forks only where that is safe."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import crmkg.validation.fast.engine as fast_engine
from crmkg.store import open_store

REPO = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: the test process has other threads (servers of other tests), and
# the engine rightly refuses to fork then.
_SCRIPT = textwrap.dedent(
    """
    import datetime as dt, json, sys
    import crmkg.validation.fast.engine as fast_engine
    from crmkg.validation import validate
    from crmkg.validation.fast import FastEngine

    forked = []
    real = fast_engine.run_in_processes
    fast_engine.run_in_processes = lambda *a: forked.append(1) or real(*a)

    def keys(engine):
        report = validate([sys.argv[1]], engine=engine, as_of=dt.date(2026, 10, 1))
        return sorted(
            [str(r.focus_node), str(r.path), str(r.value), str(r.source_shape), str(r.constraint_component),
             r.severity.value, sorted(r.messages.items())]
            for r in report.results
        )

    out = {"processes": keys(FastEngine(workers=2))}
    out["forked"] = len(forked)
    out["threads"] = keys(FastEngine(workers=2, processes=False))
    out["serial"] = keys(FastEngine(workers=1))
    out["forked_after"] = len(forked)
    print(json.dumps(out))
    """
)


def test_processes_threads_and_serial_agree() -> None:
    data = REPO / "examples" / "esimerkki-broken" / "data"
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(data)], capture_output=True, text=True, check=False, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["forked"] == 1, "with one thread and an Oxigraph store the checks run in forked workers"
    assert out["forked_after"] == 1, "processes=False and workers=1 do not fork"
    assert out["processes"], "the broken example has findings"
    as_sets = [{json.dumps(row) for row in out[mode]} for mode in ("processes", "threads", "serial")]
    assert as_sets[0] == as_sets[1] == as_sets[2]


def test_fork_only_for_oxigraph_in_memory_and_a_single_thread(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fast_engine.threading, "active_count", lambda: 1)
    assert fast_engine.can_fork(open_store())
    assert not fast_engine.can_fork(open_store(backend="memory"))
    on_disk = open_store(tmp_path / "store")
    try:
        assert not fast_engine.can_fork(on_disk)
    finally:
        on_disk.close()
    monkeypatch.setattr(fast_engine.threading, "active_count", lambda: 2)
    assert not fast_engine.can_fork(open_store())


_FAILING = textwrap.dedent(
    """
    from rdflib import URIRef
    import crmkg.validation.fast.engine as fast_engine
    from crmkg.errors import ValidationError
    from crmkg.store import open_store
    from crmkg.validation.fast.compiler import Check
    from crmkg.validation.report import Severity

    broken = Check(
        shape=URIRef("https://example.org/s"),
        component=URIRef("http://www.w3.org/ns/shacl#ClassConstraintComponent"),
        query="SELECT ?this WHERE { this is not SPARQL }",
        focus_var="this",
        severity=Severity.VIOLATION,
        result_path=None,
    )
    try:
        fast_engine.run_in_processes(open_store(), [broken, broken], 2)
    except ValidationError as exc:
        print("ValidationError:", str(exc).splitlines()[0])
    """
)


def test_a_failing_check_in_a_worker_is_reported_in_the_parent() -> None:
    proc = subprocess.run([sys.executable, "-c", _FAILING], capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ValidationError: a compiled check failed"), proc.stdout
