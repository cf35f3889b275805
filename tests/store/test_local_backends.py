"""The Store contract on the embedded backends: Oxigraph (in memory and on disk) and rdflib."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from crmkg.errors import ReadOnlyError, StoreError
from crmkg.store import Store, open_store

from .contract import CONTRACT


@pytest.fixture(params=["oxigraph-memory", "oxigraph-disk", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "oxigraph-memory":
        opened = open_store()
    elif request.param == "oxigraph-disk":
        opened = open_store(tmp_path / "store")
    else:
        opened = open_store(backend="memory")
    yield opened
    opened.close()


@pytest.mark.parametrize("check", CONTRACT, ids=lambda f: f.__name__)
def test_contract(store: Store, check: Callable[[Store], None]) -> None:
    check(store)


def test_on_disk_store_persists_across_opens(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from .contract import _quads

    first = open_store(tmp_path / "s")
    first.add_quads(_quads())
    first.close()
    again = open_store(tmp_path / "s", read_only=True)
    assert len(again) == 6
    result = again.query("ASK { ?s ?p ?o }", bindings={"s": ox.NamedNode("https://example.org/contract/rel1")})
    assert getattr(result, "value", None) is True
    assert again.read_only
    assert again.capabilities.snapshot
    with pytest.raises(ReadOnlyError):
        again.add_quads(_quads())
    again.close()  # a read-only store closes without flushing
    with pytest.raises(StoreError, match="closed"):
        len(again)
