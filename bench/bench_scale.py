"""Benchmark: crmkg at 1M and 10M triples, the embedded store on disk beside a local Oxigraph server.

    flock /tmp/crmkg-bench.lock nice -n 10 .venv/bin/python bench/bench_scale.py --sizes 1M,10M --keep /tmp/crmkg-scale

For each size, ``bench/generate.py``'s organisation (N-Triples, seed 1, 2 % defects; ~40 triples per
relationship, so 10M is ~250k relationships) is measured, each step in a process of its own so its
peak memory (``ru_maxrss``) is its own:

- **load, embedded on disk**: ``crmkg load --with-ontology --store DIR FILE`` against pyoxigraph's
  own ``Store(DIR).bulk_load`` of the same file (the baseline) and ``oxigraph load`` (``--load-only``:
  these three and nothing else);
- **load, Oxigraph server**: ``crmkg load … --store URL --graph-store URL/store --graph G`` into a
  running ``oxigraph serve`` against ``oxigraph load`` (the server's own bulk loader, offline); the
  server's peak is its ``VmHWM`` after the load;
- **validate**: ``crmkg validate FILE`` (the whole command: parse, checks, report) against
  pyoxigraph's in-memory ``bulk_load`` of the file, and ``crmkg validate --store DIR`` on the loaded
  folder; the per-triple cost at the largest size is compared with the smallest (goal: within 1.3x);
- **owner lookup**: ``lookup.current_responsibilities`` (what ``GET /relationships/{id}/owner``
  answers) for ``--lookups`` relationships spread over the data, median and p99, on the folder and
  through ``SparqlStore`` on the server;
- **HTTP**: ``bench/bench_api.py --store DIR`` (``crmkg serve``, one process, 8 keep-alive clients):
  owner lookups per second and p50/p99.

Sizes are measured one after the other in the same run; the machine's load average is printed
beside each step (2 shared cores: the ratios, not the absolute times, are what to compare).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import generate  # noqa: E402
from gen_common import parse_size  # noqa: E402

AS_OF = dt.date(2026, 10, 1)
GRAPH = "urn:crmkg:bench:scale"
CRMKG = [sys.executable, "-m", "crmkg"]
#: The first line of what ``crmkg … --profile`` prints to stderr.
PROFILE_HEADING = "profile (wall-clock seconds)"


def oxigraph_binary() -> str:
    return shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"


def data_file(folder: Path, size: int, seed: int) -> tuple[Path, int]:
    """The generated organisation (kept between runs in ``folder``) and its triple count."""
    path = folder / f"generate-{size}-{seed}.nt"
    count_file = path.with_suffix(".count")
    if not (path.is_file() and count_file.is_file()):
        count = generate.generate_to_file(path, triples=size, seed=seed, defects=0.02)
        count_file.write_text(str(count))
    return path, int(count_file.read_text())


# ---------------------------------------------------------------- one measurement per process


def timed_command(cmd: list[str], timeout: float) -> dict[str, object]:
    """Run ``cmd`` in a child: wall seconds, CPU seconds and the child's peak memory."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "note": f"did not finish in {timeout:.0f} s"}
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result: dict[str, object] = {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
        "exit": proc.returncode,
    }
    if proc.returncode not in (0, 1):
        result["note"] = (proc.stderr.strip().splitlines() or ["failed"])[-1][:300]
    if (at := proc.stderr.find(PROFILE_HEADING)) >= 0:  # crmkg … --profile: where the time went, beside the figures
        result["profile"] = proc.stderr[at:].strip().splitlines()
    return result


def bulk_load(location: str, data: Path) -> dict[str, object]:
    """pyoxigraph's own bulk load of ``data`` (in memory when ``location`` is "-")."""
    import pyoxigraph as ox

    start, cpu = time.perf_counter(), time.process_time()
    store = ox.Store() if location == "-" else ox.Store(location)
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
    if location != "-":
        store.flush()
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "quads": len(store),
    }


def lookups(location: str, count: int) -> dict[str, object]:
    """Owner lookups on ``location`` (a folder or an endpoint URL): median and p99 in ms."""
    from crmkg.lookup.queries import current_responsibilities
    from crmkg.store import open_store
    from crmkg.store.sparql import SparqlStore

    if location.startswith("http"):
        store = SparqlStore(location, read_only=True, timeout=60, default_graphs=(GRAPH,))
    else:
        store = open_store(location, read_only=True)
    result = store.query(
        "SELECT ?r WHERE { ?r <https://w3id.org/crmkg/akj#hasProvider> ?p }"
        " ORDER BY ?r"  # the same sample on every store
    )
    rels = [row[0].value for row in result.rows]  # type: ignore[union-attr]
    step = max(1, len(rels) // count)
    sample = rels[::step][:count]
    current_responsibilities(store, sample[0], AS_OF)  # warm-up
    times = []
    for iri in sample:
        start = time.perf_counter()
        current_responsibilities(store, iri, AS_OF)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "lookups": len(times),
        "median_ms": statistics.median(times),
        "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))],
        "relationships": len(rels),
    }


def run_one(kind: str, args: list[str]) -> dict[str, object]:
    if kind == "cmd":
        return timed_command(json.loads(args[1]), float(args[0]))
    if kind == "bulk":
        return bulk_load(args[0], Path(args[1]))
    if kind == "lookups":
        return lookups(args[0], int(args[1]))
    raise SystemExit(f"unknown measurement {kind}")


def measure(kind: str, *args: str, timeout: float) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--one", kind, *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "note": f"did not finish in {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"seconds": None, "note": (proc.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# ---------------------------------------------------------------- the Oxigraph server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=2).close()
            return process, base
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("oxigraph serve did not start")


def peak_rss_mib(pid: int) -> float | None:
    """The process's peak resident memory so far (Linux ``VmHWM``)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# ---------------------------------------------------------------- HTTP lookups (bench_api.py)


def http_lookups(folder: Path, seconds: float, timeout: float, *, answer_cache: bool = True) -> dict[str, object]:
    """``bench_api.py --store folder`` (one ``crmkg serve`` process, 8 clients): its wall time, its
    start-up (which derives the rules' results for today when the folder's are for another day) and
    the owner route's lookups/s and latency; ``answer_cache=False`` makes every lookup run a query."""
    cmd = [sys.executable, str(REPO / "bench" / "bench_api.py"), "--store", str(folder), "--workers", "1"]
    cmd += ["--clients", "8", "--seconds", str(seconds), "--hostile", "--no-sparql", "--no-ceiling", "--json"]
    if not answer_cache:
        cmd += ["--answer-cache", "off"]
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"note": f"did not finish in {timeout:.0f} s"}
    out: dict[str, object] = {"seconds": time.perf_counter() - started, "exit": proc.returncode}
    up = re.search(r"server up on \S+ with \d+ process\(es\) in ([\d.]+) s", proc.stdout)
    out["start_up_s"] = float(up.group(1)) if up else None
    if proc.returncode != 0 or "\n[\n" not in proc.stdout:
        out["note"] = (proc.stderr.strip().splitlines() or ["failed"])[-1][:300]
        return out
    rows = json.loads(proc.stdout[proc.stdout.rindex("\n[\n") + 1 :])
    row = next(r for r in rows if "/owner" in str(r["endpoint"]))
    out.update({k: row[k] for k in ("rps", "p50_ms", "p99_ms", "requests", "errors", "error_statuses")})
    return out


# ---------------------------------------------------------------- one size


def fmt(m: dict[str, object], key: str = "seconds", unit: str = "") -> str:
    value = m.get(key)
    if isinstance(value, (int, float)):
        return f"{value:,.1f}{unit}" if isinstance(value, float) else f"{value:,}{unit}"
    return str(m.get("note", "—"))


def log(message: str) -> None:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"# {time.strftime('%H:%M:%S')} load {load}: {message}", file=sys.stderr, flush=True)


def command(cmd: list[str], timeout: float) -> dict[str, object]:
    """``timed_command`` in a fresh process: ``ru_maxrss`` of children is the largest child so far."""
    return measure("cmd", str(timeout), json.dumps(cmd), timeout=timeout + 60)


def findings(report: Path, m: dict[str, object]) -> dict[str, object]:
    """Add the report's finding count to a validate measurement (then drop the report)."""
    if report.is_file():
        m["findings"] = len(json.loads(report.read_text(encoding="utf-8"))["results"])
        report.unlink()
    return m


def run_size(work: Path, data: Path, triples: int, args: argparse.Namespace) -> dict[str, dict[str, object]]:
    t = args.timeout
    out: dict[str, dict[str, object]] = {}
    disk, base_disk = work / "disk", work / "disk-bulk"
    for d in (disk, base_disk, work / "server", work / "server-bulk"):
        shutil.rmtree(d, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    out["disk bulk_load"] = measure("bulk", str(base_disk), str(data), timeout=t)
    shutil.rmtree(base_disk, ignore_errors=True)
    log(f"{triples:,}: disk bulk_load {out['disk bulk_load']}")
    out["crmkg load (disk)"] = command(
        [*CRMKG, "load", "--quiet", "--with-ontology", "--store", str(disk), str(data)], t
    )
    log(f"{triples:,}: crmkg load disk {out['crmkg load (disk)']}")
    if args.load_only:
        shutil.rmtree(disk, ignore_errors=True)
        out["oxigraph load"] = oxigraph_load(work, data, t)
        log(f"{triples:,}: oxigraph load {out['oxigraph load']}")
        return out
    out["memory bulk_load"] = measure("bulk", "-", str(data), timeout=t)
    log(f"{triples:,}: memory bulk_load {out['memory bulk_load']}")
    report = work / "report.json"
    validate = [
        *CRMKG,
        "validate",
        "--as-of",
        AS_OF.isoformat(),
        "--format",
        "json",
        "--output",
        str(report),
        "--quiet",
    ]
    out["crmkg validate FILE"] = findings(report, command([*validate, str(data)], t))
    log(f"{triples:,}: validate file {out['crmkg validate FILE']}")
    out["crmkg validate --store DIR"] = findings(report, command([*validate, "--store", str(disk)], t))
    log(f"{triples:,}: validate disk {out['crmkg validate --store DIR']}")
    out["lookups (disk)"] = measure("lookups", str(disk), str(args.lookups), timeout=t)
    log(f"{triples:,}: lookups disk {out['lookups (disk)']}")
    if not args.no_http:
        out["HTTP lookups (disk)"] = http_lookups(disk, args.http_seconds, t)
        log(f"{triples:,}: http {out['HTTP lookups (disk)']}")
    # the server: its own bulk loader (offline), then crmkg's Graph Store load into a running server
    out["oxigraph load"] = oxigraph_load(work, data, t)
    log(f"{triples:,}: oxigraph load {out['oxigraph load']}")
    server, base = start_server(work / "server")
    try:
        out["crmkg load (server)"] = command(
            [
                *CRMKG,
                "load",
                "--quiet",
                "--with-ontology",
                str(data),
                "--store",
                base + "/query",
                "--graph-store",
                base + "/store",
                "--graph",
                GRAPH,
                "--timeout",
                str(int(t)),
            ],
            t,
        )
        out["crmkg load (server)"]["server_peak_mib"] = peak_rss_mib(server.pid)
        log(f"{triples:,}: crmkg load server {out['crmkg load (server)']}")
        out["lookups (server)"] = measure("lookups", base + "/query", str(args.lookups), timeout=t)
        log(f"{triples:,}: lookups server {out['lookups (server)']}")
        if not args.no_remote_validate:
            out["crmkg validate --store URL"] = command(
                [*validate, "--store", base + "/query", "--graph", GRAPH, "--timeout", str(int(t))], t
            )
            findings(report, out["crmkg validate --store URL"])
            out["crmkg validate --store URL"]["server_peak_mib"] = peak_rss_mib(server.pid)
            log(f"{triples:,}: validate server {out['crmkg validate --store URL']}")
    finally:
        stop(server)
    shutil.rmtree(work / "server", ignore_errors=True)
    return out


def oxigraph_load(work: Path, data: Path, timeout: float) -> dict[str, object]:
    """``oxigraph load`` (the server's own bulk loader, offline) of ``data`` into a folder it then drops."""
    m = command([oxigraph_binary(), "load", "--location", str(work / "server-bulk"), "--file", str(data)], timeout)
    shutil.rmtree(work / "server-bulk", ignore_errors=True)
    return m


def print_tables(results: dict[int, dict[str, dict[str, object]]]) -> None:
    sizes = sorted(results)
    print("\n| step | " + " | ".join(f"{n:,} triples" for n in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    steps = list(results[sizes[0]])
    for step in steps:
        cells = []
        for n in sizes:
            m = results[n].get(step, {})
            if "median_ms" in m:
                cells.append(f"median {m['median_ms']:.2f} ms, p99 {m['p99_ms']:.2f} ms ({m['lookups']} lookups)")
            elif "rps" in m:
                cells.append(
                    f"{m['rps']:.0f}/s, p50 {m['p50_ms']:.1f} ms, p99 {m['p99_ms']:.1f} ms, {m['errors']} errors"
                )
            else:
                peak = f", peak {m['peak_mib']:,.0f} MiB" if isinstance(m.get("peak_mib"), float) else ""
                server = (
                    f", server peak {m['server_peak_mib']:,.0f} MiB"
                    if isinstance(m.get("server_peak_mib"), float)
                    else ""
                )
                cpu = f" (CPU {m['cpu']:.1f})" if isinstance(m.get("cpu"), float) else ""
                found = f", {m['findings']:,} findings" if "findings" in m else ""
                cells.append(f"{fmt(m)} s{cpu}{peak}{server}{found}")
        print(f"| {step} | " + " | ".join(cells) + " |")
    print("\nratios (crmkg against the store's own bulk load of the same file, same size):")
    pairs = [
        ("crmkg load (disk)", "disk bulk_load"),
        ("crmkg load (server)", "oxigraph load"),
        ("crmkg validate FILE", "memory bulk_load"),
    ]
    for n in sizes:
        for a, b in pairs:
            x, y = results[n].get(a, {}).get("seconds"), results[n].get(b, {}).get("seconds")
            if isinstance(x, float) and isinstance(y, float):
                print(f"  {n:,}: {a} / {b} = {x / y:.2f}")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(f"\nper-triple cost at {large:,} against {small:,} (goal for validate: within 1.3x):")
        for step in steps:
            x, y = results[small].get(step, {}), results[large].get(step, {})
            for key in ("seconds", "cpu"):
                a, b = x.get(key), y.get(key)
                if isinstance(a, float) and isinstance(b, float):
                    print(f"  {step} ({key}): {(b / large) / (a / small):.2f}x")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1M,10M", help="comma-separated triple counts (k/M suffixes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lookups", type=int, default=500, help="owner lookups per store")
    ap.add_argument("--http-seconds", type=float, default=10.0, help="seconds of HTTP lookups per size")
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP lookups")
    ap.add_argument(
        "--load-only", action="store_true", help="only the loads: bulk_load, crmkg load --store DIR, oxigraph load"
    )
    ap.add_argument("--no-remote-validate", action="store_true", help="skip validate --store URL on the server")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds per step")
    ap.add_argument("--keep", type=Path, help="folder for the generated data (kept) and the stores (removed)")
    ap.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one[0], args.one[1:])))
        return 0
    results: dict[int, dict[str, dict[str, object]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in (parse_size(s) for s in args.sizes.split(",")):
            log(f"generating {size:,}")
            data, triples = data_file(folder, size, args.seed)
            log(f"data {data} ({triples:,} triples)")
            results[triples] = run_size(folder / "work", data, triples, args)
    print(f"\nmachine: {os.cpu_count()} cores; load average at end {os.getloadavg()}")
    print_tables(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
