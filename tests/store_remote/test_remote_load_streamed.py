"""``crmkg load FILES --store URL --graph-store URL`` without the parsed data in memory: every file is
checked first (nothing sent if one fails), then parsed again batch by batch as it is sent.

On the Oxigraph server (127.0.0.1) of ``conftest.py``; what the graph holds is compared as a set of
triples with what the files parse to.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from crmkg.cli import main
from crmkg.loading import load, parse_paths
from crmkg.store import GraphResult, QueryOptions

from .conftest import Server

pytestmark = pytest.mark.server


def _write_files(folder: Path, count: int, triples: int) -> list[Path]:
    files = []
    for n in range(count):
        path = folder / f"part{n}.nt"
        lines = (f'<urn:x:s{n}-{i}> <urn:x:p{i % 7}> "value {n} {i}" .\n' for i in range(triples))
        path.write_text("".join(lines), "utf-8")
        files.append(path)
    return files


def _held(server: Server, graph: str) -> set[ox.Triple]:
    result = server.store(timeout=120).query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", options=QueryOptions(default_graphs=(graph,))
    )
    assert isinstance(result, GraphResult)
    return set(result.triples)


def _argv(server: Server, files: list[Path], graph: str, *more: str) -> list[str]:
    assert server.gsp_url is not None
    remote = ["--store", server.query_url, "--update-url", server.update_url, "--graph-store", server.gsp_url]
    return ["load", *map(str, files), *remote, "--graph", graph, *more]


@pytest.mark.parametrize("staging", [True, False], ids=["staged", "no-staging"])
def test_a_bad_third_file_writes_nothing(
    oxigraph_server: Server, tmp_path: Path, staging: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first two files would fill several batches; the third breaks on its line 3."""
    graph = "urn:crmkg:test:streamed:bad-third"
    oxigraph_server.store().update(f"DROP SILENT GRAPH <{graph}>")
    files = _write_files(tmp_path, 2, 120)
    bad = tmp_path / "part2.ttl"
    bad.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n<urn:x:a> <urn:x:b> <urn:x:d> .\n<urn:x:a> <urn:x:b> .\n", "utf-8")
    more = ["--batch-size", "50", *([] if staging else ["--no-staging"])]
    assert main(_argv(oxigraph_server, [*files, bad], graph, *more)) == 2
    err = capsys.readouterr().err
    assert f"{bad}:3:" in err
    assert "Traceback" not in err
    assert _held(oxigraph_server, graph) == set()


def test_a_good_load_holds_what_the_files_parse_to(
    oxigraph_server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph = "urn:crmkg:test:streamed:good"
    oxigraph_server.store().update(f"DROP SILENT GRAPH <{graph}>")
    files = _write_files(tmp_path, 3, 90)
    blank = tmp_path / "blank.ttl"  # blank nodes: a component travels in one document
    blank.write_text('<urn:x:o> <urn:x:address> [ <urn:x:street> "Katu 1" ; <urn:x:city> [ <urn:x:n> "Oulu" ] ] .\n')
    assert main(_argv(oxigraph_server, [*files, blank], graph, "--batch-size", "40")) == 0
    _, quads = parse_paths([*files, blank])
    held = _held(oxigraph_server, graph)
    assert f"loaded {len(held)} new quads" in capsys.readouterr().out
    assert len(held) == len(quads)  # distinct triples into an empty graph
    # Again: the graph gains the blank-node triples alone (fresh nodes), and the message says so.
    assert main(_argv(oxigraph_server, [*files, blank], graph, "--batch-size", "40")) == 0
    assert "loaded 4 new quads" in capsys.readouterr().out
    assert len(_held(oxigraph_server, graph)) - len(held) == 4

    def named(triples: set[ox.Triple]) -> set[ox.Triple]:
        return {
            t for t in triples if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
        }

    assert named(held) == named({ox.Triple(q.subject, q.predicate, q.object) for q in quads})
    # the blank-node part: one address node with a street and a city node named Oulu
    (address,) = {t.object for t in held if t.predicate == ox.NamedNode("urn:x:address")}
    (city,) = {t.object for t in held if t.subject == address and t.predicate == ox.NamedNode("urn:x:city")}
    assert ox.Triple(city, ox.NamedNode("urn:x:n"), ox.Literal("Oulu")) in held  # type: ignore[arg-type]
    assert len(held) == len(quads)
    oxigraph_server.store().update(f"DROP SILENT GRAPH <{graph}>")


@pytest.mark.parametrize("door", ["cli", "library"])
def test_the_client_holds_a_batch_not_the_data(
    oxigraph_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, door: str
) -> None:
    """Every quad the parser hands out is counted, and each POST's triples: when a batch is posted,
    the sending pass has parsed at most one batch (and one triple) more than was posted before it —
    the quads were not collected first — and the files were parsed twice (checked, then sent).
    The same through ``crmkg load`` and through the library's :func:`crmkg.loading.load`."""
    graph = "urn:crmkg:test:streamed:held"
    oxigraph_server.store().update(f"DROP SILENT GRAPH <{graph}>")
    files = _write_files(tmp_path, 3, 200)
    total, batch = 600, 40
    parsed = [0]
    posted = [0]
    ahead: list[int] = []
    real_parse, real_urlopen = ox.parse, urllib.request.urlopen

    def counting_parse(*args: Any, **kwargs: Any) -> Iterator[ox.Quad]:
        for quad in real_parse(*args, **kwargs):
            parsed[0] += 1
            yield quad

    def recording_urlopen(request: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(request, urllib.request.Request) and "/store" in request.full_url:
            body = request.data
            assert isinstance(body, bytes)
            ahead.append(parsed[0] - total - posted[0])  # sending pass's quads not yet posted
            posted[0] += body.count(b"\n")
        return real_urlopen(request, *args, **kwargs)

    monkeypatch.setattr(ox, "parse", counting_parse)
    monkeypatch.setattr(urllib.request, "urlopen", recording_urlopen)
    if door == "cli":
        assert main(_argv(oxigraph_server, files, graph, "--batch-size", str(batch), "--no-staging")) == 0
    else:
        assert oxigraph_server.gsp_url is not None
        store = oxigraph_server.store(
            graph_store_url=oxigraph_server.gsp_url, insert_graph=graph, batch_size=batch, staged=False
        )
        assert load(store, files).quads == total
    assert posted[0] == total
    assert len(ahead) == total // batch
    assert 0 < max(ahead) <= batch + 1
    assert parsed[0] == 2 * total
    monkeypatch.undo()
    assert len(_held(oxigraph_server, graph)) == total
    oxigraph_server.store().update(f"DROP SILENT GRAPH <{graph}>")


def test_a_file_changed_between_the_passes_is_refused(
    oxigraph_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    graph = "urn:crmkg:test:streamed:changed"
    oxigraph_server.store().update(f"DROP SILENT GRAPH <{graph}>")
    (first,) = _write_files(tmp_path, 1, 30)
    from crmkg.store import file_load

    checked = file_load._checked

    def checked_then_changed(files: list[Path]) -> Iterator[ox.Quad]:
        yield from checked(files)
        first.write_text('<urn:x:a> <urn:x:b> "changed, longer than it was" .\n' * 40, "utf-8")

    monkeypatch.setattr(file_load, "_checked", checked_then_changed)
    assert main(_argv(oxigraph_server, [first], graph)) == 2
    assert f"{first}: the file changed after it was checked" in capsys.readouterr().err
    assert _held(oxigraph_server, graph) == set()
