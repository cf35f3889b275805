"""Loading: every supported format, atomicity, and errors that name file, line and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from crmkg.errors import LoadError, RdfSyntaxError, UnsupportedFormatError, UsageError
from crmkg.formats import RdfFormat
from crmkg.loading import expand_paths, load
from crmkg.store import GraphResult, open_store

DATA = Path(__file__).parent / "data"
FORMATS = ["people.ttl", "people.nt", "people.nq", "people.trig", "people.rdf", "people.jsonld"]

BACKENDS = ["oxigraph", "memory"]


def _all_triples(store: object) -> Graph:
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")  # type: ignore[attr-defined]
    assert isinstance(result, GraphResult)
    return result.to_rdflib()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", FORMATS)
def test_every_format_loads_the_same_graph(backend: str, name: str) -> None:
    """All six syntaxes of one small graph load to the same triples (graphs merged as the union)."""
    store = open_store(backend=backend)
    report = load(store, DATA / name)
    assert report.files == (DATA / name,)
    assert report.quads == 5
    expected = Graph().parse(DATA / "people.nt")
    assert isomorphic(_all_triples(store), expected)


def test_named_graphs_are_kept() -> None:
    store = open_store()
    load(store, DATA / "people.trig")
    result = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    counts = {g.value.rsplit("/", 1)[-1]: int(n.value) for g, n in result if g is not None and n is not None}
    assert counts == {"g1": 3, "g2": 2}


BROKEN = [
    ("bad.ttl", b"@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e \n", 4, None),
    ("bad.ttl", b"@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f ex:g .\n", 3, 16),
    ("bad.nt", b"<http://e/a> <http://e/b> <http://e/c> .\n<http://e/a> <http://e/b> .\n", 2, 27),
    # the error is at the end of input, on the line after the truncated quad
    ("bad.nq", b"<http://e/a> <http://e/b> <http://e/c> <http://e/g> .\n<http://e/a> <http://e/b>\n", 3, None),
    ("bad.trig", b"@prefix ex: <http://e/> .\nex:g {\n  ex:a ex:b ex:c .\n", 4, None),
    (
        "bad.rdf",
        b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        b'<rdf:Description rdf:about="http://e/a">\n</rdf:RDF>\n',
        4,
        3,
    ),
    ("bad.jsonld", b'{"@id": "http://e/a",\n "http://e/p": [1,}\n', 2, 19),
]


@pytest.mark.parametrize("into_folder", [False, True], ids=["in-memory", "folder"])
@pytest.mark.parametrize(("name", "content", "line", "column"), BROKEN)
def test_syntax_errors_name_file_line_and_column(
    tmp_path: Path, name: str, content: bytes, line: int, column: int | None, into_folder: bool
) -> None:
    """The same place whether every file is parsed first (in memory) or bulk-loaded (a folder)."""
    path = tmp_path / name
    path.write_bytes(content)
    store = open_store(tmp_path / "store" if into_folder else None)
    with pytest.raises(RdfSyntaxError) as info:
        load(store, path)
    store.close()
    location = info.value.location
    assert location.file == str(path)
    assert location.line == line
    if column is not None:
        assert location.column == column
    assert str(info.value).startswith(f"{path}:{line}")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_failed_load_leaves_the_store_as_it_was(tmp_path: Path, backend: str) -> None:
    """Good files before and after a broken one: nothing of the batch is written."""
    store = open_store(backend=backend)
    load(store, DATA / "people.ttl")
    before = len(store)
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a-good.ttl").write_text("<http://e/x> <http://e/p> <http://e/y> .\n")
    (folder / "b-bad.ttl").write_text("<http://e/x> <http://e/p> .\n")
    (folder / "c-good.nt").write_text("<http://e/z> <http://e/p> <http://e/y> .\n")
    with pytest.raises(RdfSyntaxError, match=r"b-bad\.ttl:1"):
        load(store, folder)
    assert len(store) == before


def test_a_failed_load_leaves_an_on_disk_store_as_it_was(tmp_path: Path) -> None:
    location = tmp_path / "store"
    store = open_store(location)
    load(store, DATA / "people.ttl")
    store.close()
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://e/x> <http://e/p> .\n")
    store = open_store(location)
    with pytest.raises(RdfSyntaxError):
        load(store, [DATA / "people.nt", bad])
    assert len(store) == 5


def test_folders_are_expanded_recursively_skipping_hidden_and_non_rdf(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("a.ttl", "sub/b.nt", ".git/c.ttl", "README.md", "sub/.hidden.ttl"):
        (tmp_path / name).write_text("")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert found == ["a.ttl", "sub/b.nt"]


def test_missing_path_and_unknown_extension_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        expand_paths([tmp_path / "nope.ttl"])
    odd = tmp_path / "data.txt"
    odd.write_text("x")
    with pytest.raises(UnsupportedFormatError, match=r"data\.txt"):
        load(open_store(), odd)
    assert issubclass(UnsupportedFormatError, LoadError)


def test_format_lookup_by_name_and_media_type() -> None:
    assert RdfFormat.from_name("text/turtle; charset=utf-8") is RdfFormat.TURTLE
    assert RdfFormat.from_name("ttl") is RdfFormat.TURTLE
    assert RdfFormat.from_name("jsonld") is RdfFormat.JSON_LD
    with pytest.raises(UnsupportedFormatError):
        RdfFormat.from_name("text/plain")


def test_remote_jsonld_contexts_are_never_fetched(tmp_path: Path, listener: Any) -> None:
    doc = tmp_path / "remote.jsonld"
    doc.write_text(f'{{"@context": "http://127.0.0.1:{listener.port}/ctx.jsonld", "@id": "http://e/a", "p": "x"}}')
    with pytest.raises(RdfSyntaxError, match="remote JSON-LD contexts are not loaded"):
        load(open_store(), doc)
    assert listener.connections == []


def test_xml_external_entities_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doc = tmp_path / "xxe.rdf"
    doc.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">\n'
        '<rdf:Description rdf:about="http://e/a"><ex:p>&xxe;</ex:p></rdf:Description>\n'
        "</rdf:RDF>\n"
    )
    store = open_store()
    with pytest.raises(RdfSyntaxError, match=r"xxe\.rdf:2"):
        load(store, doc)
    assert len(store) == 0


@pytest.mark.parametrize("where", ["memory", "oxigraph", "folder"])
def test_every_store_counts_the_quads_it_gained(where: str, tmp_path: Path) -> None:
    """``LoadReport.quads`` means one thing everywhere: the quads the store did not hold before.
    The six files say the same five triples (in the default graph, and in a named graph in N-Quads
    and TriG): 10 quads, 30 parsed; loaded again, nothing is new."""
    files = [DATA / name for name in FORMATS]
    store = open_store(tmp_path / "store") if where == "folder" else open_store(backend=where)
    try:
        assert load(store, files).quads == len(store) == 10
        assert load(store, files).quads == 0
        assert len(store) == 10
    finally:
        store.close()
