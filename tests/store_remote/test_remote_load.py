"""``crmkg load … --store URL``: files into a real server through the Graph Store Protocol or SPARQL Update.

Each engine gets the example organisation and the ontology into a fresh named graph; what the
server then holds is compared with what the files parse to (as a graph, blank nodes included). A
syntax error in the last file leaves the server as it was.
"""

from __future__ import annotations

import decimal
import http.server
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import to_isomorphic

from crmkg import resources
from crmkg.cli import main
from crmkg.loading import parse_paths
from crmkg.store import GraphResult, QueryOptions, SelectResult
from crmkg.store.terms import to_rdflib_graph

from .conftest import ENGINES, Server, local_http

pytestmark = pytest.mark.server

DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
Triple = ox.Triple | ox.Quad
PATHS = [*resources.ontology_files(), resources.example_dir("esimerkki")]


@pytest.fixture(params=list(ENGINES))
def server(request: pytest.FixtureRequest) -> Server:
    return request.getfixturevalue(ENGINES[request.param])  # type: ignore[no-any-return]


def _same_decimals(triples: Iterable[Triple]) -> list[Triple]:
    """Decimal literals in one lexical form: Oxigraph and Virtuoso store ``4.0`` as ``4``, Jena keeps it."""
    out: list[ox.Triple] = []
    for t in triples:
        o = t.object
        if isinstance(o, ox.Literal) and o.datatype == DECIMAL:
            o = ox.Literal(format(decimal.Decimal(o.value).normalize(), "f"), datatype=DECIMAL)
        out.append(ox.Triple(t.subject, t.predicate, o))
    return out


def _graph_content(server: Server, graph: str) -> object:
    result = server.store(timeout=120).query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", options=QueryOptions(default_graphs=(graph,))
    )
    assert isinstance(result, GraphResult)
    return _isomorphic(result.triples)


def _isomorphic(triples: Iterable[Triple]) -> object:
    return to_isomorphic(to_rdflib_graph(_same_decimals(triples)))


def _count(server: Server, graph: str) -> int:
    result = server.store().query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", options=QueryOptions(default_graphs=(graph,))
    )
    assert isinstance(result, SelectResult)
    return int(result.rows[0][0].value)  # type: ignore[union-attr]


@pytest.mark.parametrize("protocol", ["graph-store", "update"])
def test_load_into_a_server(server: Server, protocol: str, capsys: pytest.CaptureFixture[str]) -> None:
    if protocol == "update" and server.name == "virtuoso":
        pytest.skip("Virtuoso refuses an INSERT this large with blank nodes (SQ200); its route is the Graph Store")
    graph = f"urn:crmkg:test:load:{protocol}"
    server.store().update(f"DROP SILENT GRAPH <{graph}>")
    argv = ["load", *map(str, PATHS), "--store", server.query_url, "--update-url", server.update_url, "--graph", graph]
    if protocol == "graph-store":
        assert server.gsp_url is not None
        argv += ["--graph-store", server.gsp_url]
    assert main(argv) == 0
    _, quads = parse_paths(PATHS)
    gained = len({(q.subject, q.predicate, q.object) for q in quads})  # the graph was empty; blank nodes fresh
    assert f"loaded {gained:,} new quads" in capsys.readouterr().out  # grouped as English writes it
    assert _graph_content(server, graph) == _isomorphic(quads)
    server.store().update(f"DROP SILENT GRAPH <{graph}>")


def test_a_syntax_error_anywhere_writes_nothing(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    graph = "urn:crmkg:test:load:broken"
    server.store().update(f"DROP SILENT GRAPH <{graph}>")
    good = tmp_path / "a.ttl"
    good.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n", "utf-8")
    bad = tmp_path / "b.ttl"
    bad.write_text("<urn:x:a> <urn:x:b> <urn:x:d> .\n<urn:x:a> <urn:x:b> .\n", "utf-8")
    assert server.gsp_url is not None
    argv = ["load", str(good), str(bad), "--store", server.query_url, "--graph-store", server.gsp_url, "--graph", graph]
    assert main(argv) == 2
    assert f"{bad}:2:" in capsys.readouterr().err
    assert _count(server, graph) == 0


def test_an_unreachable_graph_store_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import free_port

    url = f"http://127.0.0.1:{free_port()}"
    argv = ["load", str(PATHS[0]), "--store", url + "/query", "--graph-store", url + "/store"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "is not reachable" in err
    assert "Traceback" not in err


def test_remote_options_need_an_endpoint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["load", str(PATHS[0]), "--store", str(tmp_path / "db"), "--graph", "urn:x:g"]
    assert main(argv) == 2
    assert "--graph apply to a SPARQL endpoint" in capsys.readouterr().err


def test_import_into_a_server(server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``crmkg import salesforce … --store URL`` writes what ``--out FILE`` writes."""
    export = Path(resources.example_dir("salesforce-export"))
    common = ["import", "salesforce", str(export), "--config", str(export / "crmkg-import.toml"), "-q"]
    out = tmp_path / "crm.nt"
    assert main([*common, "--out", str(out)]) in (0, 1)
    graph = "urn:crmkg:test:import"
    server.store().update(f"DROP SILENT GRAPH <{graph}>")
    assert server.gsp_url is not None
    remote = ["--store", server.query_url, "--graph-store", server.gsp_url, "--graph", graph]
    assert main([*common, *remote]) in (0, 1)
    _, quads = parse_paths([out])
    assert f"imported {len(quads)} triples into {server.query_url}" in capsys.readouterr().out
    assert _graph_content(server, graph) == _isomorphic(quads)
    server.store().update(f"DROP SILENT GRAPH <{graph}>")


# ------------------------------------------------------------------------------------ in batches

STAGED = 'ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "urn:crmkg:staging:")) }'
EARLIER = ox.Quad(ox.NamedNode("urn:x:before"), ox.NamedNode("urn:x:p"), ox.Literal("held before the load"))


def _prepare(server: Server, graph: str) -> None:
    """``graph`` holding one triple only, and no staging graph left on the server."""
    store = server.store()
    store.update(f"DROP SILENT GRAPH <{graph}>")
    store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ {EARLIER.subject} {EARLIER.predicate} {EARLIER.object} }} }}")
    assert not _staged(server)


def _staged(server: Server) -> bool:
    result = server.store().query(STAGED)
    return bool(getattr(result, "value", False))


def test_load_in_batches(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    """Hundreds of small batches through a staging graph: the graph then holds what it held and
    every triple of the files (blank nodes included), and no staging graph is left."""
    graph = "urn:crmkg:test:load:batches"
    _prepare(server, graph)
    assert server.gsp_url is not None
    argv = ["load", *map(str, PATHS), "--store", server.query_url, "--update-url", server.update_url]
    argv += ["--graph-store", server.gsp_url, "--graph", graph, "--batch-size", "40"]
    assert main(argv) == 0
    _, quads = parse_paths(PATHS)
    gained = len({(q.subject, q.predicate, q.object) for q in quads})  # EARLIER is not among them
    assert f"loaded {gained:,} new quads" in capsys.readouterr().out
    assert _graph_content(server, graph) == _isomorphic([*quads, EARLIER])
    assert not _staged(server)
    server.store().update(f"DROP SILENT GRAPH <{graph}>")


class _FailingProxy(http.server.BaseHTTPRequestHandler):
    """Forwards Graph Store POSTs to ``target``, but answers 503 to the ``fail_at``-th one."""

    target = ""
    fail_at = 3
    seen = 0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).seen += 1
        if type(self).seen >= self.fail_at:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        request = urllib.request.Request(
            self.target + "?" + self.path.split("?", 1)[1],
            data=body,
            method="POST",
            headers={"Content-Type": self.headers["Content-Type"]},
        )
        with urllib.request.urlopen(request, timeout=60) as reply:
            status = reply.status
            reply.read()
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def failing_proxy(server: Server) -> Iterator[str]:
    assert server.gsp_url is not None
    with local_http(type("P", (_FailingProxy,), {"target": server.gsp_url, "seen": 0})) as base:
        yield base + "/store"


def test_a_failure_midway_leaves_the_graph_as_it_was(
    server: Server, failing_proxy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two batches reach the staging graph, the third fails: the target keeps its one triple, the
    staging graph is dropped, and the error names the graph and the endpoint's answer."""
    graph = "urn:crmkg:test:load:midway"
    _prepare(server, graph)
    argv = ["load", *map(str, PATHS), "--store", server.query_url, "--update-url", server.update_url]
    argv += ["--graph-store", failing_proxy, "--graph", graph, "--batch-size", "100"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"<{graph}>" in err
    assert "503" in err
    assert "Traceback" not in err
    assert _graph_content(server, graph) == _isomorphic([EARLIER])
    assert not _staged(server)
    server.store().update(f"DROP SILENT GRAPH <{graph}>")


@pytest.mark.parametrize(
    ("value", "said"),
    [("0", "batch size 0 is not valid"), ("-5", "batch size -5 is not valid"), ("abc", "invalid int value: 'abc'")],
)
def test_a_batch_holds_at_least_one_triple(value: str, said: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["load", str(PATHS[0]), "--store", "http://127.0.0.1:9/query", "--graph-store", "http://127.0.0.1:9/store"]
    try:
        code = main([*argv, f"--batch-size={value}"])
    except SystemExit as stopped:  # argparse's own refusal of a non-number
        code = stopped.code
    assert code == 2
    err = capsys.readouterr().err
    assert said in err
    assert "Traceback" not in err


def test_batches_without_an_update_service_send_nothing(
    oxigraph_server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    """Oxigraph's query URL takes no updates: the staging graph could not be added (or dropped), so
    the load fails before its first batch, naming the update it needed."""
    graph = "urn:crmkg:test:load:no-update"
    _prepare(oxigraph_server, graph)
    assert oxigraph_server.gsp_url is not None
    argv = ["load", *map(str, PATHS), "--store", oxigraph_server.query_url, "--graph-store", oxigraph_server.gsp_url]
    assert main([*argv, "--graph", graph, "--batch-size", "100"]) == 2
    assert "rejected the update" in capsys.readouterr().err
    assert _graph_content(oxigraph_server, graph) == _isomorphic([EARLIER])
    assert not _staged(oxigraph_server)


def test_no_staging_sends_batches_straight_to_the_graph(
    server: Server, failing_proxy: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--no-staging: every batch goes to the graph itself; cut at the third, the graph holds its
    earlier triple and what the two batches that arrived brought, and no staging graph exists."""
    graph = "urn:crmkg:test:load:no-staging"
    _prepare(server, graph)
    argv = ["load", *map(str, PATHS), "--store", server.query_url, "--update-url", server.update_url]
    argv += ["--graph", graph, "--no-staging", "--batch-size", "100"]
    assert main([*argv, "--graph-store", failing_proxy]) == 2
    assert f"<{graph}>" in capsys.readouterr().err
    assert not _staged(server)
    _, quads = parse_paths(PATHS)
    assert 1 < _count(server, graph) <= 1 + 2 * 100  # two batches of 100 (some triples repeat across files)
    assert main([*argv, "--graph-store", str(server.gsp_url)]) == 0
    assert _graph_content(server, graph) == _isomorphic([*quads, EARLIER])
    server.store().update(f"DROP SILENT GRAPH <{graph}>")
