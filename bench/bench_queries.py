"""Benchmark the query catalogue: owner lookup and a full-scan aggregate, per backend.

    .venv/bin/python bench/bench_queries.py --relationships 34000          # about 1M triples
    .venv/bin/python bench/bench_queries.py --nt big.nt                     # any N-Triples file
    .venv/bin/python bench/bench_queries.py --relationships 34000 --server  # + oxigraph serve

Data: ``--nt FILE``, or the project's deterministic generator ``bench/generate.py`` (seed 42),
or with ``--own-generator`` the small one below (relationships with three customer capacities,
an owner handover and a lead).
Measured, as medians over ``--repeat`` runs after a warm-up:

* ``owner``: CQ11 (current owner, relationship bound) through ``Catalogue.run`` (binding included)
  and as pre-bound text straight on the engine;
* ``lookup``: the lead's ``queries/lookup/current-responsibilities.rq`` with the relationship bound;
* ``scan``: CQ16 (ownership by function: every current owner assignment, grouped).

Backends: Oxigraph (embedded), rdflib (in memory, same process) and, with ``--server``, Oxigraph's
HTTP server through SparqlStore. Prints a table and the ratio of each backend to rdflib.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from crmkg import resources
from crmkg.catalogue import Catalogue
from crmkg.loading import parse_paths
from crmkg.store import Store, open_store
from crmkg.store.binding import substitute
from crmkg.store.terms import XSD, literal

AS_OF = dt.date(2026, 10, 1)
E = "https://example.org/bench/"
AKJ = "https://w3id.org/crmkg/akj#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FUNCTIONS = ("SalesFunction", "SalesManagementFunction", "BusinessManagementFunction", "CustomerServiceFunction")


def own_generator(relationships: int) -> bytes:
    """Deterministic N-Triples: units with functions, posts, customers, relationships, assignments."""
    lines: list[str] = []

    def t(s: str, p: str, o: str) -> None:
        lines.append(f"{s} {p} {o} .")

    def iri(x: str) -> str:
        return f"<{x}>"

    def date(d: dt.date) -> str:
        return f'"{d.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>'

    units = max(4, relationships // 500)
    group = iri(E + "group")
    t(group, iri(RDF_TYPE), iri(ORG + "Organization"))
    for u in range(units):
        unit = iri(f"{E}unit-{u}")
        t(unit, iri(RDF_TYPE), iri(ORG + "OrganizationalUnit"))
        t(unit, iri(ORG + "unitOf"), group)
        t(unit, iri(ORG + "classification"), iri(AKJ + FUNCTIONS[u % len(FUNCTIONS)]))
        post = iri(f"{E}post-{u}")
        t(post, iri(RDF_TYPE), iri(ORG + "Post"))
        t(post, iri(ORG + "postIn"), unit)
    start = dt.date(2020, 1, 1)
    for r in range(relationships):
        rel = iri(f"{E}rel-{r}")
        customer = iri(f"{E}customer-{r % (relationships // 2 + 1)}")
        t(rel, iri(RDF_TYPE), iri(AKJ + "CustomerRelationship"))
        t(rel, iri(AKJ + "hasProvider"), group)
        for cap in ("hasUser", "hasNegotiatingPartner", "hasPayer"):
            t(rel, iri(AKJ + cap), customer)
        t(rel, iri(AKJ + "startDate"), date(start + dt.timedelta(days=r % 1500)))
        t(rel, "<http://www.w3.org/2000/01/rdf-schema#label>", f'"Asiakkuus {r}"@fi')
        handover = start + dt.timedelta(days=400 + r % 1500)
        for n, (role, who, since, until) in enumerate(
            (
                ("OwnerRole", f"{E}post-{r % units}", start, handover - dt.timedelta(days=1)),
                ("OwnerRole", f"{E}post-{(r + 1) % units}", handover, None),
                ("LeadRole", f"{E}person-{r % 2000}", start, None),
            )
        ):
            a = iri(f"{E}asg-{r}-{n}")
            t(a, iri(RDF_TYPE), iri(AKJ + "ResponsibilityAssignment"))
            t(a, iri(AKJ + "assignmentFor"), rel)
            t(a, iri(AKJ + "responsibilityRole"), iri(AKJ + role))
            t(a, iri(AKJ + "assignee"), iri(who))
            t(a, iri(AKJ + "startDate"), date(since))
            if until is not None:
                t(a, iri(AKJ + "endDate"), date(until))
    for p in range(2000):
        person = iri(f"{E}person-{p}")
        t(person, iri(RDF_TYPE), "<http://xmlns.com/foaf/0.1/Person>")
        t(person, iri(ORG + "memberOf"), iri(f"{E}unit-{p % units}"))
    return ("\n".join(lines) + "\n").encode()


def data(args: argparse.Namespace) -> tuple[bytes, str | None]:
    """The N-Triples to load, and a relationship IRI to look up (None: pick one from the data)."""
    if args.nt:
        return Path(args.nt).read_bytes(), None
    pick = min(1234, args.relationships - 1)
    generator = Path(__file__).resolve().parent / "generate.py"
    if generator.is_file() and not args.own_generator:
        spec = importlib.util.spec_from_file_location("crmkg_bench_generate", generator)
        if spec and spec.loader:
            module = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = module  # dataclasses in the module look themselves up here
            spec.loader.exec_module(module)
            out = io.StringIO()
            module.generate(out, relationships=args.relationships, seed=42)
            return out.getvalue().encode(), f"{module.GEN}rel-{pick}"
    return own_generator(args.relationships), f"{E}rel-{pick}"


def median_ms(run: Callable[[], object], repeat: int, *, warm_up: bool = True) -> float:
    if warm_up:
        run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def start_server(nt: Path, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    subprocess.run([binary, "load", "--location", str(folder), "--file", str(nt)], check=True, capture_output=True)
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=1).close()
            return process, url
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("oxigraph server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--relationships", type=int, default=20000, help="relationships to generate")
    parser.add_argument("--nt", help="use this N-Triples file instead of generating")
    parser.add_argument("--repeat", type=int, default=200, help="timed runs per lookup (scans: repeat/20, min 3)")
    parser.add_argument("--server", action="store_true", help="also measure oxigraph serve through SparqlStore")
    parser.add_argument("--no-rdflib", action="store_true", help="skip rdflib (slow to load at 1M triples)")
    parser.add_argument("--own-generator", action="store_true", help="use the small generator in this file")
    args = parser.parse_args()

    nt, picked = data(args)
    t0 = time.perf_counter()
    quads = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    _, onto = parse_paths(resources.ontology_files())
    quads += onto
    print(f"data: {len(quads):,} triples (parsed in {time.perf_counter() - t0:.1f} s)")

    catalogue = Catalogue()
    cq11, cq16 = catalogue.get("CQ11"), catalogue.get("CQ16")
    lookup = (resources.data_path("queries") / "lookup" / "current-responsibilities.rq").read_text("utf-8")
    relationship = ox.NamedNode(picked) if picked else None
    if relationship is None:  # pick one from the file
        store = ox.Store()
        store.extend(quads)
        first = next(iter(store.quads_for_pattern(None, ox.NamedNode(AKJ + "hasProvider"), None)))
        relationship = ox.NamedNode(first.subject.value)
    owner_params = {"relationship": relationship.value, "asOf": AS_OF}
    bound = catalogue.bind(cq11, owner_params)
    owner_text = substitute(cq11.text, bound)
    lookup_bindings = {
        "relationship": relationship,
        "asOf": literal(AS_OF.isoformat(), XSD + "date"),
        "lang": literal("fi"),
    }
    scan_bindings = catalogue.bind(cq16, {"asOf": AS_OF})

    stores: dict[str, Store] = {}
    for name in ("oxigraph", "memory"):
        if name == "memory" and args.no_rdflib:
            continue
        t0 = time.perf_counter()
        store = open_store(backend=name)
        store.add_quads(quads)
        print(f"{name}: loaded in {time.perf_counter() - t0:.1f} s")
        stores[name] = store
    server = None
    if args.server:
        tmp = Path(tempfile.mkdtemp(prefix="crmkg-bench-"))
        (tmp / "data.nt").write_bytes(nt)
        server, url = start_server(tmp / "data.nt", tmp / "store")
        stores["oxigraph-server"] = open_store(url)

    rows = []
    try:
        for name, store in stores.items():
            slow = name == "memory"
            n = max(3, args.repeat // (20 if slow else 1))
            answer = catalogue.run(cq11, store, owner_params)
            assert len(getattr(answer, "rows", [])) == 1, f"{name}: expected one current owner"
            results = {
                "owner (catalogue)": median_ms(lambda s=store: catalogue.run(cq11, s, owner_params), n),
                "owner (engine)": median_ms(lambda s=store: s.query(owner_text), n),
                "lookup (lead's query)": median_ms(lambda s=store: s.query(lookup, bindings=lookup_bindings), n),
                # rdflib needs minutes for one scan at 1M triples: one cold run is what it gets
                "scan CQ16": median_ms(
                    lambda s=store: s.query(cq16.text, bindings=scan_bindings),
                    1 if slow else max(3, args.repeat // 20),
                    warm_up=not slow,
                ),
            }
            rows.append((name, results))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)

    base = dict(rows).get("memory")
    print(f"\n{'backend':<16} {'measure':<22} {'median ms':>12} {'vs rdflib':>10}")
    for name, results in rows:
        for measure, value in results.items():
            ratio = f"{base[measure] / value:,.0f}x" if base and name != "memory" else ""
            print(f"{name:<16} {measure:<22} {value:>12.3f} {ratio:>10}")


if __name__ == "__main__":
    main()
