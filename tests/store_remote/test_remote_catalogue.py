"""The query catalogue on real SPARQL servers, and the remote backend's error handling.

Every catalogue query (CQs, quality checks, rules, lookups) runs on every dataset of
``datasets.py`` on Oxigraph server, Virtuoso and Jena, and must give embedded Oxigraph's answer
(rows as multisets, graphs up to blank-node renaming); on the example organisation each CQ must
also give its expected file. Each dataset sits in its own named graph on every server, named as the
query's default graph (SPARQL Protocol ``default-graph-uri``), so Virtuoso's system graphs and the
other datasets stay out of the answers. Where Virtuoso answers wrongly, the query is rewritten in a
form every engine evaluates right (queries/README.md, "Remote endpoints"); no query is excused.
"""

from __future__ import annotations

import collections
import functools
import http.server
import time
from collections.abc import Iterator

import pytest

from crmkg.catalogue import QueryKind
from crmkg.errors import QuerySyntaxError, QueryTimeout, ReadOnlyError, StoreError
from crmkg.store import QueryOptions, SelectResult
from crmkg.store.sparql import SparqlStore

from ..catalogue.conftest import EXPECTED, example_quads, read_srj
from .conftest import ENGINES, Server, free_port, local_http
from .datasets import DATASETS, Reference, catalogue, comparable, describe, graph_of, query_ids

pytestmark = pytest.mark.server


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    return Reference(tmp_path_factory.mktemp("datasets"))


def _with_datasets(server: Server, reference: Reference) -> Server:
    """``server`` holding every dataset, each in its own named graph (loaded once per session)."""
    for dataset in DATASETS:
        server.ensure(graph_of(dataset), functools.partial(reference.quads, dataset))
    return server


@pytest.fixture(scope="module", params=list(ENGINES))
def loaded(request: pytest.FixtureRequest, reference: Reference) -> tuple[Server, SparqlStore]:
    server = _with_datasets(request.getfixturevalue(ENGINES[request.param]), reference)
    return server, server.store(timeout=60)


def test_the_load_arrived_whole(loaded: tuple[Server, SparqlStore], reference: Reference) -> None:
    _, store = loaded
    for dataset in DATASETS:
        result = store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", options=QueryOptions(default_graphs=(graph_of(dataset),))
        )
        assert isinstance(result, SelectResult)
        expected = len({(q.subject, q.predicate, q.object) for q in reference.quads(dataset)})
        assert int(result.rows[0][0].value) == expected, dataset  # type: ignore[union-attr]


def _compare(store: SparqlStore, reference: Reference, query_id: str, dataset: str, graph: str) -> str | None:
    """``None`` when the server gives the reference answer on ``dataset`` (held in ``graph``), else what differs."""
    spec = catalogue().get(query_id)
    options = QueryOptions(default_graphs=(graph,))
    got = comparable(store.query(spec.text, bindings=reference.bindings(dataset, query_id), options=options))
    expected = reference.answer(dataset, query_id)
    if got == expected:
        return None
    if isinstance(got, collections.Counter) and isinstance(expected, collections.Counter):
        missing, extra = expected - got, got - expected
        return f"missing {list(missing)[:3]}, unexpected {list(extra)[:3]}"
    return f"{describe(got)} instead of {describe(expected)}"


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("query_id", query_ids())
def test_query_on_a_remote_server(
    query_id: str, dataset: str, loaded: tuple[Server, SparqlStore], reference: Reference
) -> None:
    server, store = loaded
    difference = _compare(store, reference, query_id, dataset, graph_of(dataset))
    assert difference is None, f"{query_id} on {server.name}/{dataset}: {difference}"


@pytest.mark.parametrize("query_id", [spec.id for spec in catalogue().list(QueryKind.CQ)])
def test_cq_reference_is_the_expected_file(query_id: str, reference: Reference) -> None:
    """The reference the servers are compared with is itself each CQ's expected file."""
    spec = catalogue().get(query_id)
    expected = read_srj(EXPECTED / f"cq-{spec.cq_number:03d}.srj")
    assert reference.answer("esimerkki", query_id) == expected


def test_a_failed_load_adds_nothing(loaded: tuple[Server, SparqlStore]) -> None:
    _, store = loaded
    options = QueryOptions(default_graphs=(graph_of("esimerkki"),))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = store.query(count, options=options)
    # a syntactically broken request (an unknown function in the data block) is rejected whole
    triples = "<urn:x:a> <urn:x:b> <urn:x:c> . <urn:x:a> <urn:x:b> nope( )"
    broken = f"INSERT DATA {{ GRAPH <{graph_of('esimerkki')}> {{ {triples} }} }}"
    with pytest.raises((QuerySyntaxError, StoreError)):
        store.update(broken)
    assert store.query(count, options=options) == before


# ------------------------------------------------------------------------------------ error handling


def test_endpoint_down_is_a_store_error() -> None:
    store = SparqlStore(f"http://127.0.0.1:{free_port()}/sparql", timeout=5)
    with pytest.raises(StoreError, match="not reachable"):
        store.query("ASK { }")


class _Handler(http.server.BaseHTTPRequestHandler):
    mode = "garbage"

    def do_POST(self) -> None:
        if self.mode == "slow":
            time.sleep(3)
        body = b"<html><body>Service temporarily unavailable</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def fake_endpoint(request: pytest.FixtureRequest) -> Iterator[str]:
    with local_http(type("H", (_Handler,), {"mode": request.param})) as base:
        yield base + "/sparql"


@pytest.mark.parametrize("fake_endpoint", ["garbage"], indirect=True)
def test_garbage_answer_is_a_store_error(fake_endpoint: str) -> None:
    with pytest.raises(StoreError, match="garbage"):
        SparqlStore(fake_endpoint, timeout=5).query("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(StoreError, match="unsupported type text/html"):
        SparqlStore(fake_endpoint, timeout=5).query("CONSTRUCT WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("fake_endpoint", ["slow"], indirect=True)
def test_a_slow_endpoint_times_out(fake_endpoint: str) -> None:
    with pytest.raises(QueryTimeout):
        SparqlStore(fake_endpoint, timeout=1).query("ASK { }")


def test_syntax_errors_and_read_only(oxigraph_server: Server) -> None:
    store = oxigraph_server.store()
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT ?x WHERE { ?x")
    read_only = SparqlStore(oxigraph_server.query_url, read_only=True)
    with pytest.raises(ReadOnlyError):
        read_only.add_quads(example_quads()[:1])
