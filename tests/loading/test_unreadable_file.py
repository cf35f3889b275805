"""A file that cannot be read is one error, told the same by every load path: in memory, into a
store folder, and by the remote load client's two passes (its files are looked at, then read)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from crmkg.errors import LoadError
from crmkg.store import file_load, open_store
from crmkg.store.memory import MemoryStore
from crmkg.store.sparql import SparqlStore


def _in_memory(files: list[Path], _tmp: Path) -> None:
    MemoryStore().load_files(files)


def _into_a_folder(files: list[Path], tmp: Path) -> None:
    store = open_store(tmp / "store")
    try:
        store.load_files(files)
    finally:
        store.close()


def _remote_checking_pass(files: list[Path], _tmp: Path) -> None:
    list(file_load._checked(files))


def _remote_client(files: list[Path], _tmp: Path) -> None:
    # Nothing is sent: the client looks at every file before its first request.
    store = SparqlStore("http://127.0.0.1:9/sparql", graph_store_url="http://127.0.0.1:9/store")
    store.load_files(files)


PATHS: dict[str, Callable[[list[Path], Path], None]] = {
    "memory": _in_memory,
    "folder": _into_a_folder,
    "remote-check": _remote_checking_pass,
    "remote-client": _remote_client,
}


@pytest.mark.parametrize("path", PATHS)
def test_a_file_that_cannot_be_read_is_named_the_same_in_fi_and_en(path: str, tmp_path: Path) -> None:
    missing = tmp_path / "gone.ttl"  # listed, then removed before it was read
    with pytest.raises(LoadError) as caught:
        PATHS[path]([missing], tmp_path)
    error = caught.value
    assert error.key == "error.cannot_read"
    assert error.location is not None
    assert error.location.file == str(missing)
    assert error.localised("en") == f"{missing}: cannot read: No such file or directory"
    assert error.localised("fi") == f"{missing}: ei voi lukea: No such file or directory"
