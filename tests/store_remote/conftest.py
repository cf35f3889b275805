"""Real SPARQL servers on 127.0.0.1 for the remote backend: ``oxigraph serve``, Virtuoso 7 and Jena.

Each server is started once per test session in a temporary folder and stopped at the end.
``oxigraph`` comes from the ``oxigraph`` PyPI package (installed next to the interpreter);
Virtuoso from Debian's ``virtuoso-opensource`` (``virtuoso-t`` and ``isql-vt`` on PATH); Apache
Jena (ARQ over a TDB2 database) from Debian's ``libapache-jena-java``, served by the small
``jena/JenaServer.java`` compiled here (Debian packages neither Fuseki nor Jena's scripts). A test
that needs a server which is not installed fails with the install hint: CI must provide all three.
"""

from __future__ import annotations

import contextlib
import http.server
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

from crmkg.store.sparql import SparqlStore

#: The graph Virtuoso stores default-graph quads in (its default graph is not writable).
VIRTUOSO_GRAPH = "urn:crmkg:test:default"

#: Engine name -> the session fixture that starts it.
ENGINES = {"oxigraph-server": "oxigraph_server", "virtuoso": "virtuoso_server", "jena": "jena_server"}


@dataclass(frozen=True)
class Server:
    name: str
    query_url: str
    update_url: str
    insert_graph: str | None = None
    #: Virtuoso only: (isql binary, SQL port, a folder the server may read files from)
    isql: tuple[str, int, Path] | None = None
    #: SPARQL 1.1 Graph Store Protocol endpoint, where the server has one
    gsp_url: str | None = None
    #: The graphs :meth:`ensure` loaded this session (a server is started once per session, so a
    #: dataset is loaded into it once, whichever test module needs it first)
    ensured: set[str] = field(default_factory=set, compare=False)

    def bulk_load(self, quads: list[ox.Quad], graph: str) -> None:
        """Load many triples into ``graph`` with Virtuoso's own loader (through isql).

        Virtuoso turns one large SPARQL update with blank nodes into more SQL than it allows
        ("generated SQL text has exceeded 10000 lines"), so big test data goes in this way.
        """
        assert self.isql is not None, "bulk_load is for Virtuoso"
        isql, port, folder = self.isql
        path = folder / "bulk.nt"
        path.write_bytes(
            ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
            or b""
        )
        sql = f"DB.DBA.TTLP_MT(file_to_string_output('{path}'), '', '{graph}', 0);"
        subprocess.run(
            [isql, f"127.0.0.1:{port}", "dba", "dba", f"exec={sql}"], check=True, capture_output=True, timeout=120
        )

    def store(self, **kwargs: object) -> SparqlStore:
        kwargs.setdefault("insert_graph", self.insert_graph)
        return SparqlStore(self.query_url, update_url=self.update_url, **kwargs)  # type: ignore[arg-type]

    def ensure(self, graph: str, quads: Callable[[], list[ox.Quad]]) -> None:
        """Load ``quads()`` into ``graph`` unless this session already did (see :meth:`forget`)."""
        if graph not in self.ensured:
            self.load(quads(), graph)
            self.ensured.add(graph)

    def forget(self) -> None:
        """Say that the server's graphs were dropped: the next :meth:`ensure` loads again."""
        self.ensured.clear()

    def load(self, quads: list[ox.Quad], graph: str) -> None:
        """Put ``quads`` (default-graph quads) into the named graph ``graph``, replacing what it held."""
        store = self.store(timeout=120)
        store.update(f"DROP SILENT GRAPH <{graph}>")
        if self.isql is not None:
            self.bulk_load(quads, graph)  # see bulk_load: a Virtuoso limit
        else:
            self.store(insert_graph=graph, timeout=120).add_quads(quads)  # one update request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def local_http(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """``handler`` served on 127.0.0.1 (a free port) for the block: yields ``http://127.0.0.1:PORT``."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK { }"})
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"server at {url} did not come up in {seconds} s: {log.read_text(errors='replace')[-2000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph server is not installed: pip install oxigraph")
    folder = tmp_path_factory.mktemp("oxigraph-server")
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                binary,
                "serve",
                "--location",
                str(folder / "data"),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
                "--timeout-s",
                "30",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/query", process, log, 30)
        yield Server("oxigraph-server", base + "/query", base + "/update", gsp_url=base + "/store")
    finally:
        _stop(process)


_VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage        = TempDatabase
[TempDatabase]
DatabaseFile    = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort        = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed       = ., {d}
NumberOfBuffers   = 10000
MaxDirtyBuffers   = 6000
[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {d}
ServerThreads        = 4
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 60
"""


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        pytest.fail("Virtuoso is not installed: apt-get install -y virtuoso-opensource")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait_for(url, process, log, 90)
        # The anonymous SPARQL user may read only; let it update this private, throw-away instance.
        subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            check=True,
            capture_output=True,
            timeout=60,
        )
        gsp = f"http://127.0.0.1:{http_port}/sparql-graph-crud"
        yield Server("virtuoso", url, url, insert_graph=VIRTUOSO_GRAPH, isql=(isql, sql_port, folder), gsp_url=gsp)
    finally:
        _stop(process)


HERE = Path(__file__).resolve().parent


def _jena_module() -> ModuleType:
    """scripts/jena_shacl.py: the classpath of Debian's Jena (jars without launchers, Xerces' resources fixed)."""
    path = HERE.parent.parent / "scripts" / "jena_shacl.py"
    spec = importlib.util.spec_from_file_location("crmkg_jena_shacl", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def jena_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("jena")
    path: str | None = _jena_module().classpath()
    if path is None or shutil.which("javac") is None:
        pytest.fail(
            "Apache Jena or a JDK is not installed: apt-get install -y libapache-jena-java default-jdk-headless"
        )
    classes = folder / "classes"
    subprocess.run(
        ["javac", "-d", str(classes), "-cp", path, str(HERE / "jena" / "JenaServer.java")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                "java",
                "-Xmx1g",
                "-cp",
                os.pathsep.join([path, str(classes)]),
                "JenaServer",
                str(port),
                str(folder / "tdb2"),
                "30",
                "--union-default-graph",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/query", process, log, 120)
        yield Server("jena", base + "/query", base + "/update", gsp_url=base + "/data")
    finally:
        _stop(process)
