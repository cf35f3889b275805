"""``load`` into an on-disk store: file by file into the writer's working copy, never every quad in memory.

The guarantee is the one of the in-memory path (all files or none, errors naming file and line);
what differs is how: the bulk loader writes each file into the working copy, and an error puts
the copy back as it was before the first file.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from crmkg.cli import main
from crmkg.errors import RdfSyntaxError
from crmkg.formats import RdfFormat
from crmkg.loading import load, parse_file
from crmkg.store import Store, open_store
from crmkg.store.oxigraph import OxigraphStore

DATA = Path(__file__).parent / "data"
FORMATS = ["people.ttl", "people.nt", "people.nq", "people.trig", "people.rdf", "people.jsonld"]
#: Two files that both say ``_:b``: loaded, they must be two nodes, as the in-memory path makes them.
BLANKS = {
    "x-blank.ttl": '@prefix ex: <https://example.org/t/> .\nex:aino ex:address _:b . _:b ex:city "Oulu" .\n',
    "y-blank.trig": '@prefix ex: <https://example.org/t/> .\nex:g { ex:eino ex:address _:b . _:b ex:city "Kemi" . }\n',
}


def _as_graph(store: Store) -> Graph:
    """Every quad of ``store`` as one rdflib graph (the graph name folded into the predicate), so that
    one isomorphism test compares quads with blank nodes as sets, blank nodes shared across graphs too."""
    dataset = Dataset()
    dataset.parse(data=store.dump(RdfFormat.N_QUADS), format="nquads")
    graph = Graph()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        graph.add((s, URIRef(f"{p}#in={name}"), o))
    return graph


def _published(folder: Path) -> Graph:
    store = open_store(folder, read_only=True)
    try:
        return _as_graph(store)
    finally:
        store.close()


def _inputs(tmp_path: Path) -> list[Path]:
    for name, text in BLANKS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [*(DATA / name for name in FORMATS), *(tmp_path / name for name in BLANKS)]


def test_a_folder_load_gives_the_quads_of_the_in_memory_path(tmp_path: Path) -> None:
    files = _inputs(tmp_path)
    in_memory = open_store()
    gained = load(in_memory, files).quads  # every file parsed first, then one transaction
    folder = tmp_path / "store"
    store = open_store(folder)
    report = load(store, files)
    store.close()
    assert isomorphic(_published(folder), _as_graph(in_memory))
    parsed = sum(len(parse_file(file)) for file in files)
    assert report.quads == gained == len(in_memory) < parsed  # the six people files say the same five triples


def test_a_syntax_error_in_the_third_file_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    store = open_store(folder)
    load(store, DATA / "people.ttl")
    store.close()
    before = _published(folder)
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a.nt").write_text("<http://e/a> <http://e/p> <http://e/b> .\n", encoding="utf-8")
    (batch / "b.ttl").write_text("<http://e/c> <http://e/p> _:x .\n_:x <http://e/p> <http://e/d> .\n")
    (batch / "c.nt").write_text("<http://e/e> <http://e/p> <http://e/f> .\n<http://e/e> <http://e/p> .\n")
    store = open_store(folder)
    with pytest.raises(RdfSyntaxError) as info:
        load(store, batch)
    assert (info.value.location.file, info.value.location.line) == (str(batch / "c.nt"), 2)
    assert isomorphic(_as_graph(store), before)  # the writer's working copy is back as it was, too
    # ... so the writer may go on, and what it then publishes is the store plus that write only
    later = tmp_path / "later.nt"
    later.write_text("<http://e/later> <http://e/p> <http://e/q> .\n", encoding="utf-8")
    load(store, later)
    store.close()
    expected = open_store()
    load(expected, [DATA / "people.ttl", later])
    assert isomorphic(_published(folder), _as_graph(expected))


def test_a_failed_first_load_into_a_new_folder_publishes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n", encoding="utf-8")
    folder = tmp_path / "store"
    store = open_store(folder)
    with pytest.raises(RdfSyntaxError, match=r"bad\.ttl:3"):
        load(store, [DATA / "people.ttl", DATA / "people.nt", bad])
    store.close()
    # no generation was made current (nor any made), and no working copy or savepoint is left
    assert sorted(p.name for p in folder.iterdir()) == ["crmkg-writer.lock"]


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_crmkg_load_names_the_file_and_line_and_keeps_the_folder(
    tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "store"
    assert main(["load", str(DATA / "people.ttl"), "--store", str(folder), "--lang", lang]) == 0
    before = _published(folder)
    bad = tmp_path / "c.nt"
    bad.write_text("<http://e/e> <http://e/p> <http://e/f> .\n<http://e/e> <http://e/p> .\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["load", str(DATA / "people.nt"), str(DATA / "people.trig"), str(bad), "--store", str(folder)])
    err = capsys.readouterr().err
    assert code != 0
    assert f"{bad}:2:27" in err
    assert "Traceback" not in err
    assert isomorphic(_published(folder), before)


def _lines(count: int, start: int) -> str:
    return "".join(f'<http://e/s{i}> <http://e/p> "value {i}" .\n' for i in range(start, start + count))


def test_a_folder_load_holds_no_quads_in_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The quads never pass through Python: neither pyoxigraph's parser into Python objects nor
    ``add_quads`` is used, and what Python allocates for five files is what it does for one (the
    bytes of one file at a time), where the in-memory path holds every quad of all five."""
    files = []
    for n in range(5):
        files.append(tmp_path / f"part-{n}.nt")
        files[-1].write_text(_lines(20_000, n * 20_000), encoding="utf-8")
    size = files[0].stat().st_size

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a folder load must not make Python quads")

    monkeypatch.setattr(ox, "parse", refuse)
    monkeypatch.setattr(OxigraphStore, "add_quads", refuse)

    def peak(paths: list[Path], folder: Path) -> int:
        store = open_store(folder)
        tracemalloc.start()
        try:
            assert load(store, paths).quads == 20_000 * len(paths)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            store.close()

    one, five = peak(files[:1], tmp_path / "one"), peak(files, tmp_path / "five")
    assert five < 2 * size + (1 << 20)
    assert five < one + (1 << 20)
    assert len(_published(tmp_path / "five")) == 100_000
