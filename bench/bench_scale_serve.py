"""Benchmark: the server half of bench_scale.py at one size, one step per run (each under its own flock).

    B="flock /tmp/crmkg-bench.lock nice -n 10 .venv/bin/python bench/bench_scale_serve.py"
    for step in prepare derive next-day http server-load server-lookups remote-validate; do
      $B --size 10M --keep /tmp/crmkg-scale --step $step
    done

At 10M the whole of bench_scale.py holds the benchmark lock for far longer than the ~10 minutes a
turn may take on a shared machine, so here each step is a run of its own, and the stores it needs
stay in ``--keep``/work-SIZE between runs:

- **prepare**: pyoxigraph's ``bulk_load`` of the data and the ontology into an on-disk folder
  (not ``crmkg load``, which bench_scale.py measures);
- **derive**: the derived graph for ``bench_scale.AS_OF`` (``serving_store``, what ``crmkg serve
  --store`` does at start-up when the store has none, or one for another day): its time and peak
  memory, in a process of its own; right after **prepare** it derives everything;
- **next-day**: the same for the day after ``AS_OF``, with the data unchanged since **derive**: only
  the rules that take the day run again (:mod:`crmkg.derived_record`);
- **http**: ``bench/bench_api.py --store DIR`` (``crmkg serve``, one process, 8 clients): its
  start-up, which derives the rules' results for today over the whole store, and owner lookups/s;
- **server-load**: ``oxigraph load`` (the server's own bulk loader) of the data and the ontology
  into the graph bench_scale.py reads, for a local ``oxigraph serve``;
- **server-lookups**: owner lookups through ``SparqlStore`` on that server, median and p99;
- **remote-validate**: ``crmkg validate --store URL`` on that server: time, client and server peak
  (with ``--profile N``, its N slowest checks too);
- **remote-checks**: the queries of that validation timed one by one as they end (for a run
  longer than a turn of the lock; ``--timeout`` per query), with the server's peak;
- **remote-load**: ``crmkg load --with-ontology --store URL --graph-store URL/store --no-staging``
  into an empty ``oxigraph serve`` in batches of ``--batch-size``: time, client and server peak.

Each step prints one JSON line (appended to work-SIZE/results.jsonl too) with the load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import bench_scale  # noqa: E402
from gen_common import parse_size  # noqa: E402

STEPS = (
    "prepare",
    "derive",
    "next-day",
    "http",
    "server-load",
    "server-lookups",
    "remote-validate",
    "remote-checks",
    "remote-load",
)


def ontology_files() -> list[Path]:
    """The ontology and the ORG/FOAF class hierarchy its class tests need: what ``crmkg load
    --with-ontology`` adds (without the hierarchy every ``org:FormalOrganization`` fails ``sh:class
    org:Organization``: 81,868 findings at 1M instead of 741)."""
    from crmkg.validation.run import ontology_paths

    return ontology_paths()


def prepare(work: Path, data: Path, timeout: float) -> dict[str, object]:
    disk = work / "disk"
    shutil.rmtree(disk, ignore_errors=True)
    loaded = bench_scale.measure("bulk", str(disk), str(data), timeout=timeout)
    ontology = (
        "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
        "[s.bulk_load(path=f) for f in sys.argv[2:]]; s.flush()"
    )
    with_ontology = bench_scale.command(
        [sys.executable, "-c", ontology, str(disk), *map(str, ontology_files())], timeout
    )
    return {"bulk_load": loaded, "ontology": with_ontology}


def derive(work: Path, timeout: float, day: dt.date) -> dict[str, object]:
    code = (
        "import sys, datetime as dt; from crmkg.api.app import serving_store; "
        "serving_store(sys.argv[1], [], derive_as_of=dt.date.fromisoformat(sys.argv[2])).close()"
    )
    result = bench_scale.command([sys.executable, "-c", code, str(work / "disk"), day.isoformat()], timeout)
    result["day"] = day.isoformat()
    return result


def server_load(work: Path, data: Path, timeout: float) -> dict[str, object]:
    shutil.rmtree(work / "server", ignore_errors=True)
    files = [str(data), *map(str, ontology_files())]
    cmd = [bench_scale.oxigraph_binary(), "load", "--location", str(work / "server"), "--graph", bench_scale.GRAPH]
    return bench_scale.command([*cmd, "--file", *files], timeout)


def remote_load(work: Path, data: Path, args: argparse.Namespace) -> dict[str, object]:
    """``crmkg load --with-ontology --store URL --graph-store URL/store`` into an empty ``oxigraph serve``
    (a folder of its own, removed afterwards), in batches of ``--batch-size``, straight to the graph."""
    folder = work / "server-crmkg-load"
    shutil.rmtree(folder, ignore_errors=True)
    server, base = bench_scale.start_server(folder)
    try:
        store = ["--store", base + "/query", "--graph-store", base + "/store", "--graph", bench_scale.GRAPH]
        batches = ["--batch-size", str(args.batch_size), "--no-staging", "--timeout", str(int(args.timeout))]
        cmd = [*bench_scale.CRMKG, "load", "--quiet", "--with-ontology", str(data), *store, *batches]
        result = bench_scale.command(cmd, args.timeout)
        result["server_peak_mib"] = bench_scale.peak_rss_mib(server.pid)
        result["batch_size"] = args.batch_size
        return result
    finally:
        bench_scale.stop(server)
        shutil.rmtree(folder, ignore_errors=True)


def remote_checks(url: str, timeout: float) -> dict[str, object]:
    """Each query ``validate --store URL`` would ask, timed on its own (4 connections, as it does),
    each printed to stderr as it ends: a run longer than a turn of the lock still shows where the
    time goes. A query slower than ``timeout`` fails alone and is named."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from crmkg.errors import CrmkgError
    from crmkg.store.sparql import SparqlStore
    from crmkg.validation.fast.compiler import Check
    from crmkg.validation.fast.engine import by_query, check_label, plan_for
    from crmkg.validation.paging import paged_rows
    from crmkg.validation.parameters import ValidationParameters, substitute
    from crmkg.validation.remote import ONTOLOGY_IRI
    from crmkg.validation.run import load_shapes
    from crmkg.validation.shacl_graph import ShapeNamer

    started = time.perf_counter()
    store = SparqlStore(url, timeout=timeout, default_graphs=(bench_scale.GRAPH,))
    store.select(f"SELECT ?p WHERE {{ <{ONTOLOGY_IRI}> ?p ?o }} LIMIT 1")  # as validate_store: the Server header
    shapes = substitute(load_shapes(None), ValidationParameters.for_date(bench_scale.AS_OF))
    unique, _ = by_query(plan_for(shapes, store).checks)
    namer = ShapeNamer(shapes)

    def run(check: Check) -> tuple[str, float, int | str]:
        start = time.perf_counter()
        try:
            rows: int | str = len(paged_rows(store, check))
        except CrmkgError as exc:
            rows = "failed: " + str(exc).splitlines()[0][:200]
        label = f"{check_label(check, shapes, namer)} {check.component.n3(shapes.namespace_manager)}"
        return label, time.perf_counter() - start, rows

    timings = []
    with ThreadPoolExecutor(max_workers=4) as pool:
        for done in as_completed([pool.submit(run, c) for c in unique]):
            timings.append(done.result())
            label, seconds, rows = timings[-1]
            line = f"{time.perf_counter() - started:7.1f} {seconds:8.2f} s {rows!s:>8}  {label}"
            print(line, file=sys.stderr, flush=True)
    return {
        "seconds": time.perf_counter() - started,
        "queries": len(timings),
        "summed_s": sum(t[1] for t in timings),
        "failed": sum(isinstance(t[2], str) for t in timings),
        "slowest": sorted(timings, key=lambda t: -t[1])[:15],
    }


def on_server(work: Path, step: str, args: argparse.Namespace) -> dict[str, object]:
    server, base = bench_scale.start_server(work / "server")
    try:
        if step == "server-lookups":
            return bench_scale.measure("lookups", base + "/query", str(args.lookups), timeout=args.timeout)
        if step == "remote-checks":
            result = remote_checks(base + "/query", args.timeout)
            result["server_peak_mib"] = bench_scale.peak_rss_mib(server.pid)
            return result
        report = work / "report.json"
        validate = [*bench_scale.CRMKG, "validate", "--as-of", bench_scale.AS_OF.isoformat(), "--format", "json"]
        remote = ["--store", base + "/query", "--graph", bench_scale.GRAPH, "--timeout", str(int(args.timeout))]
        profile = ["--profile", str(args.profile)] if args.profile is not None else []
        cmd = [*validate, "--output", str(report), "--quiet", *profile, *remote]
        result = bench_scale.findings(report, bench_scale.command(cmd, args.timeout))
        result["server_peak_mib"] = bench_scale.peak_rss_mib(server.pid)
        return result
    finally:
        bench_scale.stop(server)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="10M", help="triple count (k/M suffixes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--step", choices=STEPS, required=True)
    ap.add_argument("--lookups", type=int, default=500, help="owner lookups through SparqlStore")
    ap.add_argument("--http-seconds", type=float, default=10.0)
    ap.add_argument("--timeout", type=float, default=570.0, help="seconds per measurement")
    ap.add_argument(
        "--profile", type=int, metavar="N", help="remote-validate: keep crmkg's --profile N (N slowest checks)"
    )
    ap.add_argument("--batch-size", type=int, default=100_000, help="remote-load: triples per Graph Store request")
    ap.add_argument("--keep", type=Path, required=True, help="folder for the data and the stores (kept)")
    args = ap.parse_args(argv)
    args.keep.mkdir(parents=True, exist_ok=True)
    data, triples = bench_scale.data_file(args.keep, parse_size(args.size), args.seed)
    work = args.keep / f"work-{triples}"
    work.mkdir(exist_ok=True)
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    if args.step == "prepare":
        result: dict[str, object] = prepare(work, data, args.timeout)
    elif args.step == "derive":
        result = derive(work, args.timeout, bench_scale.AS_OF)
    elif args.step == "next-day":
        result = derive(work, args.timeout, bench_scale.AS_OF + dt.timedelta(days=1))
    elif args.step == "http":
        result = bench_scale.http_lookups(work / "disk", args.http_seconds, args.timeout, answer_cache=False)
    elif args.step == "server-load":
        result = server_load(work, data, args.timeout)
    elif args.step == "remote-load":
        result = remote_load(work, data, args)
    else:
        result = on_server(work, args.step, args)
    line = {
        "step": args.step,
        "triples": triples,
        "started": started,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "result": result,
    }
    with (work / "results.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")
    print(json.dumps(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
