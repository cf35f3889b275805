"""Benchmark: the owner lookup over HTTP, beside ``/sparql`` with the equivalent query, and under hostile load.

    flock /tmp/crmkg-bench.lock .venv/bin/python bench/bench_api.py --triples 1M --clients 8 --seconds 10

For each ``--workers`` count (default 1 and 2 server processes) the owner lookup is measured alone and
then again while one more client loops the worst request classes (``--hostile``: the 64 KB query of
'ä' that was quadratic, a 3,000-deep group, a three-way product, JSON-LD nested 4,000 deep and RDF/XML
nested 20,000 deep to ``/validate``, and the ownership table of every relationship, the heaviest
catalogue query); the table shows the lookups' p50/p99 side by side and the
hostile client's answers by status. The goal: lookup p99 under 50 ms and no lookup error in both;
and (issue 10 §9) two server processes serve at least 1.5x one process's lookups — printed as ratios
at the end. Each lookup client connects from a loopback address of its own (127.0.0.10, .11, …) and
the hostile client from 127.0.0.200, so the server's per-client limits see separate clients.

The load generator runs on the same machine as the server: it is a lean keep-alive client in a
process of its own, and each row says how much CPU it used ('client CPU', share of one core) and
the header which CPUs the server and the client may use (``--server-cpus``/``--client-cpus`` pin
them, e.g. to keep the client off the server's cores on a bigger machine).

Starts ``crmkg serve`` (``--workers``, default 2) on 127.0.0.1 over a generated organisation (``bench/generate.py``'s
``generate_to_file(path, triples=…, seed=…)`` when present, else the example organisation tiled:
each copy under its own IRIs), then drives it with concurrent keep-alive HTTP/1.1 clients (a small
asyncio client, so the load generator costs little CPU) for a bounded time per endpoint. Prints
requests per second and p50/p90/p99 latency per endpoint. The client shares the machine with the
server, as it would in a test on one box; the numbers are for 127.0.0.1 only. ``--store DIR`` serves
an existing on-disk store instead (no load at start-up).

The load generator's own ceiling is measured too: the same client against a trivial server (one
process answering every request with a fixed 200, no framework) — if the lookup's numbers come
close to it, the client, not the server, is the limit. The client sends no conditional requests;
the server's owner-answer cache (``CRMKG_LOOKUP_CACHE``) is off unless ``--answer-cache on|both``,
and rows measured with it on say CACHED (with the share of requests answered from it).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import http.client
import json
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))  # run as a script or imported: generate.py sits beside it

from gen_common import parse_size  # noqa: E402
from generate import generate_to_file  # noqa: E402

AS_OF = "2026-10-01"
OWNER_SPARQL = """PREFIX akj: <https://w3id.org/crmkg/akj#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?assignee ?label ?since ?until ?assignment WHERE {{
  ?assignment akj:assignmentFor <{rel}> ; akj:responsibilityRole akj:OwnerRole ;
              akj:assignee ?assignee ; akj:startDate ?since .
  OPTIONAL {{ ?assignment akj:endDate ?until }}
  FILTER(?since <= "{day}"^^<http://www.w3.org/2001/XMLSchema#date>
         && (!BOUND(?until) || ?until >= "{day}"^^<http://www.w3.org/2001/XMLSchema#date>))
  OPTIONAL {{ ?assignee rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "fi")) }}
}}"""


# -- data ----------------------------------------------------------------------------------------


def make_data(folder: Path, triples: int, seed: int) -> Path:
    path = folder / f"org-{triples}.nt"
    if path.is_file():
        return path
    generate_to_file(path, triples=triples, seed=seed)
    return path


# -- server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    data: Path | None,
    store: Path | None,
    port: int,
    env_extra: dict[str, str],
    workers: int,
    cpus: list[int] | None = None,
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMKG_")}
    env.update(env_extra)
    source = ["--store", str(store), "--no-ontology"] if store is not None else ["--data", str(data)]
    cmd = [
        sys.executable,
        "-m",
        "crmkg",
        "serve",
        *source,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--workers",
        str(workers),
    ]
    # pinned, the server and every process it starts (its workers) stay on ``cpus``
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    process = subprocess.Popen(cmd, env=env, preexec_fn=pin)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"crmkg serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("crmkg serve did not start within 10 minutes")


def relationship_iris(port: int, limit: int) -> list[str]:
    query = (
        "PREFIX akj: <https://w3id.org/crmkg/akj#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT DISTINCT ?r WHERE { ?a akj:assignmentFor ?r ; akj:responsibilityRole akj:OwnerRole } "
        f"LIMIT {limit}"
    )
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        data = json.load(response)
    return [b["r"]["value"] for b in data["results"]["bindings"]]


def serve_trivial(port: int) -> None:
    """A fixed ``200 {}`` for every request on keep-alive connections: the client's ceiling."""
    reply = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"

    class Answer(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport: Any = transport
            self.buffer = b""

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while b"\r\n\r\n" in self.buffer:
                _, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
                self.transport.write(reply)

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Answer, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    _run(main())


def start_trivial(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, __file__, "--trivial-server", str(port)])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the trivial server did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


# -- load ----------------------------------------------------------------------------------------


async def _client(
    port: int,
    paths: list[str],
    accept: str,
    stop_at: float,
    latencies: list[float],
    errors: list[str],
    hits: list[bool],
    source: str,
) -> None:
    # its own loopback address: to the server each connection is another client (as its per-client
    # limits see them), the way separate users' machines would be
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    rng = random.Random(len(latencies) + id(latencies))
    try:
        while time.monotonic() < stop_at:
            path = rng.choice(paths)
            request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: {accept}\r\n\r\n".encode()
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            hits.append(b"\r\nx-crmkg-cache: hit" in head.lower())
            status = head.split(b" ", 2)[1]
            if status != b"200":
                errors.append(status.decode())
    finally:
        writer.close()


async def _drive(
    port: int, paths: list[str], accept: str, clients: int, seconds: float
) -> tuple[list[float], list[str], list[bool], float]:
    latencies: list[float] = []
    errors: list[str] = []
    hits: list[bool] = []
    started = time.monotonic()
    stop_at = started + seconds
    await asyncio.gather(
        *(_client(port, paths, accept, stop_at, latencies, errors, hits, client_address(i)) for i in range(clients))
    )
    return latencies, errors, hits, time.monotonic() - started


def client_address(index: int) -> str:
    """The loopback source address of lookup client ``index`` (127.0.0.10, .11, …)."""
    return f"127.0.0.{10 + index}"


HOSTILE_ADDRESS = "127.0.0.200"


def _drive_in_process(
    port: int,
    paths: list[str],
    accept: str,
    clients: int,
    seconds: float,
    cpus: list[int] | None,
    server_pid: int | None,
) -> tuple[list[float], list[str], list[bool], float, float, dict[str, Any]]:
    """:func:`_drive` (after a warm-up) in this process; also returns the CPU seconds it used, and
    what the server's processes did meanwhile (see :func:`server_usage`)."""
    if cpus:
        os.sched_setaffinity(0, cpus)
    _run(_drive(port, paths, accept, clients, min(2.0, seconds)))  # warm-up
    before = time.process_time()
    server_before = server_processes(server_pid)
    connections: dict[int, int] = {}
    # halfway through, every client is connected: which server process holds each connection
    census = threading.Timer(seconds / 2, lambda: connections.update(connections_by_process(server_pid, port)))
    census.start()
    latencies, errors, hits, elapsed = _run(_drive(port, paths, accept, clients, seconds))
    census.join()
    used = time.process_time() - before
    usage = server_usage(server_before, server_processes(server_pid), elapsed, connections)
    return latencies, errors, hits, elapsed, used, usage


def server_processes(root: int | None) -> dict[int, tuple[str, float]]:
    """The processes under ``root`` (Linux ``/proc``): pid → (role, CPU seconds used so far).

    Roles: "http" for the processes that answer HTTP (``root`` itself with one process; its spawned
    children with ``--workers N``, ``root`` then only supervises and is "other"), "query workers"
    for the SPARQL/lookup worker processes, "other" for anything else.
    """
    if root is None or not Path("/proc").is_dir():
        return {}
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime + stime
    tree = {root}
    grown = True
    while grown:
        grown = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grown = True
    commands = {pid: _cmdline(pid) for pid in tree}
    supervised = any(b"spawn_main" in commands[pid] for pid in tree if parents.get(pid) == root)
    per_tick = 1 / os.sysconf("SC_CLK_TCK")
    found: dict[int, tuple[str, float]] = {}
    for pid in tree:
        if b"crmkg.api.sparql.worker" in commands[pid]:
            role = "query workers"
        elif (pid == root and not supervised) or (b"spawn_main" in commands[pid] and parents.get(pid) == root):
            role = "http"
        else:
            role = "other"
        found[pid] = (role, ticks.get(pid, 0) * per_tick)
    return found


def server_usage(
    before: dict[int, tuple[str, float]],
    after: dict[int, tuple[str, float]],
    elapsed: float,
    connections: dict[int, int],
) -> dict[str, Any]:
    """Cores' worth of CPU by role between two :func:`server_processes` readings, each HTTP
    process's share of the HTTP CPU and the connections it held (a process that ended meanwhile
    drops out: compare readings taken while the server runs steadily)."""
    cores = dict.fromkeys(("http", "query workers", "other"), 0.0)
    http: dict[int, float] = {}
    for pid, (role, seconds) in after.items():
        spent = seconds - before.get(pid, (role, 0.0))[1]
        cores[role] += spent / elapsed
        if role == "http":
            http[pid] = spent / elapsed
    pids = sorted(http)
    return {
        "cores": cores,
        "http_processes": [http[pid] for pid in pids],
        "connections": [connections.get(pid, 0) for pid in pids],
    }


def connections_by_process(root: int | None, port: int) -> dict[int, int]:
    """pid → established TCP connections to ``port`` it holds, for the processes under ``root``."""
    established: set[int] = set()  # socket inodes
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                established.add(int(fields[9]))
    held: dict[int, int] = {}
    for pid in server_processes(root):
        try:
            links = [os.readlink(fd) for fd in (Path("/proc") / str(pid) / "fd").iterdir()]
        except OSError:
            continue
        count = sum(1 for link in links if link.startswith("socket:[") and int(link[8:-1]) in established)
        if count:
            held[pid] = count
    return held


def _cmdline(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


def _run(coro: Any) -> Any:
    """``asyncio.run``, on uvloop when it is installed (a cheaper client leaves more CPU to the server)."""
    try:
        import uvloop
    except ModuleNotFoundError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def measure(
    port: int,
    name: str,
    paths: list[str],
    accept: str,
    clients: int,
    seconds: float,
    cpus: list[int] | None = None,
    server_pid: int | None = None,
) -> dict[str, object]:
    """One run of the lean keep-alive client, in a process of its own (not sharing a GIL with the
    hostile client's thread), optionally pinned to ``cpus``; with ``server_pid``, the CPU the
    server's processes used meanwhile too (cores, by role)."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        latencies, errors, hits, elapsed, cpu_s, server = pool.submit(
            _drive_in_process, port, paths, accept, clients, seconds, cpus, server_pid
        ).result()
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return 1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")

    return {
        "endpoint": name,
        "clients": clients,
        "requests": len(latencies),
        "errors": len(errors),
        "error_statuses": dict(Counter(errors)),
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "mean_ms": 1000 * statistics.fmean(latencies) if latencies else float("nan"),
        "cache_hits": sum(hits) / len(hits) if hits else 0.0,
        "client_cpu": cpu_s / elapsed,
        "server": server,
    }


# -- hostile load ---------------------------------------------------------------------------------


def hostile_requests() -> dict[str, tuple[str, str, bytes, str]]:
    """The worst request classes of issue 10: name -> (method, path, body, content type)."""
    product = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i"
    deep_group = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    jsonld = '{"@context": {"@vocab": "http://e/"}, "a": ' + '{"a": ' * 4000 + "1" + "}" * 4000 + "}"
    rdfxml = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
        + '<rdf:Description><e:p rdf:parseType="Resource">' * 10_000
        + "</e:p></rdf:Description>" * 10_000
        + "</rdf:RDF>"
    )
    form = "application/x-www-form-urlencoded"
    return {
        "quadratic-query": ("POST", "/sparql", urllib.parse.urlencode({"query": "ä" * 65_536}).encode(), form),
        "deep-group": ("POST", "/sparql", urllib.parse.urlencode({"query": deep_group}).encode(), form),
        "three-way-product": (
            "GET",
            "/sparql?" + urllib.parse.urlencode({"query": product, "timeout": "3"}),
            b"",
            "",
        ),
        # every relationship's owners and leads: the heaviest catalogue SPARQL a client can ask for
        "ownership-table": ("GET", f"/relationships?as_of={AS_OF}", b"", ""),
        "deep-jsonld": ("POST", "/validate", jsonld.encode(), "application/ld+json"),
        "deep-rdfxml": ("POST", "/validate", rdfxml.encode(), "application/rdf+xml"),
    }


class HostileClient:
    """One client looping the chosen hostile requests until stopped; counts answers by class and status."""

    def __init__(self, port: int, classes: list[str]) -> None:
        everything = hostile_requests()
        self.port = port
        self.requests = [(name, everything[name]) for name in classes]
        self.answers: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> HostileClient:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            for name, (method, path, body, media) in self.requests:
                if self._stop.is_set():
                    return
                # from an address of its own: one more client to the server, not one of the lookups'
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=30, source_address=(HOSTILE_ADDRESS, 0)
                )
                try:
                    headers = {"Content-Type": media} if media else {}
                    connection.request(method, path, body=body or None, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    status = str(response.status)
                except OSError as exc:
                    status = f"failed ({type(exc).__name__})"
                finally:
                    connection.close()
                self.answers[f"{name} {status}"] += 1


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="1M", help="size of the generated organisation (default 1M)")
    parser.add_argument("--store", type=Path, help="serve this on-disk store (already loaded) instead of --triples")
    parser.add_argument("--clients", type=int, nargs="+", default=[8], help="concurrent connections (default 8)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per endpoint")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="server processes (crmkg serve --workers), each measured"
    )
    parser.add_argument(
        "--hostile",
        nargs="*",
        default=list(hostile_requests()),
        choices=list(hostile_requests()),
        help="request classes the hostile client loops during the second lookup run (none: skip it)",
    )
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "crmkg-bench-api")
    parser.add_argument(
        "--answer-cache",
        choices=("off", "on", "both"),
        default="off",
        help="the server's owner-answer cache (CRMKG_LOOKUP_CACHE) during the lookup runs (default off)",
    )
    parser.add_argument(
        "--sparql-worker-nice",
        type=int,
        help="CRMKG_SPARQL_WORKER_NICE for the server (the heavy queries' CPU priority; default the server's own)",
    )
    parser.add_argument("--no-sparql", action="store_true", help="skip the /sparql comparison")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the load generator's ceiling")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument("--server-cpus", type=_cpus, help="pin the server (and its workers) to these CPUs, e.g. 0,1")
    parser.add_argument(
        "--core-per-process",
        action="store_true",
        help="pin a server of N processes (and its workers) to the first N usable CPUs: how the lookups "
        "scale per core, not per process (one process's lookup workers otherwise use every core)",
    )
    parser.add_argument("--client-cpus", type=_cpus, help="pin the load generator to these CPUs, e.g. 1")
    parser.add_argument("--trivial-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.trivial_server:
        serve_trivial(args.trivial_server)
        return 0

    data: Path | None = None
    if args.store is None:
        args.cache.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        data = make_data(args.cache, parse_size(args.triples), args.seed)
        print(f"data: {data} ({data.stat().st_size / 1e6:.0f} MB, {time.monotonic() - started:.1f} s)", flush=True)
    print(f"load average at start: {_load()}", flush=True)
    every = sorted(os.sched_getaffinity(0))
    print(
        f"CPUs: {len(every)} usable; server on "
        f"{'the first N for N processes' if args.core_per_process else args.server_cpus or every}, "
        f"load generator on {args.client_cpus or every} (its use of them is in the 'client CPU' column)",
        flush=True,
    )
    results: list[dict[str, object]] = []
    if not args.no_ceiling:
        port = free_port()
        trivial = start_trivial(port)
        try:
            for clients in args.clients:
                name = "load generator ceiling (fixed 200)"
                results.append(measure(port, name, ["/"], "*/*", clients, args.seconds, args.client_cpus))
        finally:
            stop(trivial)
    modes = {"off": ["off"], "on": ["on"], "both": ["off", "on"]}[args.answer_cache]
    quads = 0
    rels: list[str] = []
    hostile_answers: dict[str, Counter[str]] = {}
    for workers in args.workers:
        for mode in modes:
            port = free_port()
            started = time.monotonic()
            env = {"CRMKG_MAX_ROWS": "10000", "CRMKG_QUERY_TIMEOUT_S": "10"}
            if mode == "off":
                env["CRMKG_LOOKUP_CACHE"] = "0"
            if args.sparql_worker_nice is not None:
                env["CRMKG_SPARQL_WORKER_NICE"] = str(args.sparql_worker_nice)
            cpus_for_server = every[:workers] if args.core_per_process else args.server_cpus
            server = start_server(data, args.store, port, env, workers, cpus_for_server)
            print(
                f"server up on 127.0.0.1:{port} with {workers} process(es) in {time.monotonic() - started:.1f} s "
                f"(answer cache {mode})",
                flush=True,
            )
            try:
                quads = _count(port)
                rels = relationship_iris(port, 2000)
                if not rels:
                    raise SystemExit("no relationships with an owner in the data")
                lookup = [f"/relationships/{urllib.parse.quote(r, safe='')}/owner?as_of={AS_OF}" for r in rels]
                sparql = [
                    "/sparql?" + urllib.parse.urlencode({"query": OWNER_SPARQL.format(rel=r, day=AS_OF)}) for r in rels
                ]
                name = f"[{workers}w] GET /relationships/{{id}}/owner" + (" CACHED" if mode == "on" else "")
                cpus = args.client_cpus
                for clients in args.clients:
                    results.append(
                        measure(port, name, lookup, "application/json", clients, args.seconds, cpus, server.pid)
                    )
                    if args.hostile:
                        with HostileClient(port, args.hostile) as hostile:
                            row = measure(
                                port,
                                name + " +HOSTILE",
                                lookup,
                                "application/json",
                                clients,
                                args.seconds,
                                cpus,
                                server.pid,
                            )
                        results.append(row)
                        hostile_answers[f"{workers} process(es), answer cache {mode}"] = hostile.answers
                    if not args.no_sparql and mode == "off":
                        accept = "application/sparql-results+json"
                        label = f"[{workers}w] GET /sparql (same question)"
                        results.append(measure(port, label, sparql, accept, clients, args.seconds, cpus, server.pid))
            finally:
                stop(server)
    print(
        f"\n{quads:,} triples served; {len(rels)} relationships sampled; server processes {args.workers}; "
        f"{args.seconds:g} s per run; no conditional requests; 'CACHED' rows had the server's answer "
        f"cache on (hit share in the last column), all others off; load average at end: {_load()}\n"
    )
    for where, answers in hostile_answers.items():
        summary = ", ".join(f"{key}: {count}" for key, count in sorted(answers.items()))
        print(f"hostile client beside the lookups, {where}: {summary}")
    header = (
        f"{'endpoint':<50} {'clients':>7} {'requests':>9} {'errors':>6} {'req/s':>8} "
        f"{'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'hits':>5} {'client CPU':>10} {'http CPU':>8} "
        f"{'workers CPU':>11} {'other CPU':>9}  per http process"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['endpoint']:<50} {r['clients']:>7} {r['requests']:>9} {r['errors']:>6} {r['rps']:>8.0f} "
            f"{r['p50_ms']:>7.2f} {r['p90_ms']:>7.2f} {r['p99_ms']:>7.2f} {r['cache_hits']:>5.0%} "
            f"{r['client_cpu']:>10.0%}{_server_columns(r)}"
        )
    for line in scaling(results):
        print(line)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


def _server_columns(row: dict[str, object]) -> str:
    """The server's CPU during a row by role, in cores' worth (100% = one core busy), and with
    several HTTP processes each one's CPU and connections."""
    server = row.get("server") or {}
    assert isinstance(server, dict)
    if not server:
        return ""
    cores = server["cores"]
    text = f" {cores['http']:>8.0%} {cores['query workers']:>11.0%} {cores['other']:>9.0%}"
    if len(server["http_processes"]) > 1:
        shares = "/".join(f"{used:.0%}" for used in server["http_processes"])
        held = "/".join(str(n) for n in server["connections"])
        text += f"  {shares} ({held} conns)"
    return text


def scaling(results: list[dict[str, object]]) -> list[str]:
    """Lookups per second with N server processes against one, for each kind of row (issue 10 §9)."""
    rates = {str(r["endpoint"]): float(r["rps"]) for r in results}  # type: ignore[arg-type]
    lines = []
    for name, rate in rates.items():
        if name.startswith("[1w] "):
            for other, other_rate in rates.items():
                if other.endswith(name[4:]) and other != name and rate > 0:
                    lines.append(f"{other[:4]} / [1w] {name[5:]}: {other_rate / rate:.2f}x")
    return lines


def _cpus(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _count(port: int) -> int:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    )
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


if __name__ == "__main__":
    sys.exit(main())
