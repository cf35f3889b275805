"""Benchmark: the fast validation engine against pyshacl on a generated organisation.

    .venv/bin/python bench/bench_fast_validate.py --sizes 10k,100k,1M,3M --pyshacl-up-to 100k

Each measurement runs in its own process (so peak memory is that run's own) and covers the whole
``crmkg.validation.validate`` call: parsing the data and the ontology, the location index, the
engine. Data: ``bench/generate.py``'s organisation when that module offers
``generate_to_file(path, triples=…, seed=…, defects=…)``, else the example organisation tiled (each copy under
its own IRIs, every tenth copy the broken variant, so the data carries real defects). Prints a
table with the pyshacl/fast ratio, the per-triple cost relative to the smallest fast run, and the
fast engine's time over the store's own baseline on the same file (loading it and two passes over
it, run in its own process): a flat fast/store column means the checks add no growth of their own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))  # run as a script or imported: generate.py sits beside it

from generate import generate_to_file, parse_size  # noqa: E402

AS_OF = dt.date(2026, 10, 1)


def make_data(folder: Path, triples: int, seed: int, defects: float) -> tuple[Path, int, str]:
    path = folder / f"org-{triples}-{seed}.nt"
    count = generate_to_file(path, triples=triples, seed=seed, defects=defects)
    return path, int(count or triples), "bench/generate.py"


#: The store's own cost on the same file: load it, then one pass over every triple and one join
#: per typed subject. Its growth with size is what any check on this store inherits.
STORE_BASELINE = "store"
_BASELINE_QUERIES = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c . ?s ?p ?o }",
)


def run_store_baseline(data: Path) -> dict[str, object]:
    import pyoxigraph as ox

    start = time.perf_counter()
    store = ox.Store()
    store.load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
    for query in _BASELINE_QUERIES:
        list(store.query(query))  # type: ignore[arg-type]
    return {"engine": STORE_BASELINE, "seconds": time.perf_counter() - start}


def run_one(engine: str, data: Path) -> dict[str, object]:
    """Validate in this process and report time, peak memory and the result count."""
    from crmkg.validation import validate

    if engine == STORE_BASELINE:
        return run_store_baseline(data)
    start = time.perf_counter()
    report = validate([data], engine=engine, as_of=AS_OF)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The fast engine's forked workers: their peak counts pages shared with the parent copy-on-write.
    worker_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "engine": engine,
        "seconds": seconds,
        "peak_mib": peak_kib / 1024,
        "worker_peak_mib": worker_kib / 1024,
        "results": len(report.results),
    }


def measure(engine: str, data: Path, timeout: float) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--one", engine, str(data)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"engine": engine, "seconds": None, "note": f"did not finish in {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"engine": engine, "seconds": None, "note": proc.stderr.strip().splitlines()[-1][:200]}
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k,1M", help="comma-separated triple counts (k/M suffixes)")
    ap.add_argument("--pyshacl-up-to", default="100k", help="run pyshacl only up to this size")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--defects", type=float, default=0.02, help="share of relationships with a defect")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per run")
    ap.add_argument("--keep", type=Path, help="folder to keep the generated data in")
    ap.add_argument("--one", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one[0], Path(args.one[1]))))
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    limit = parse_size(args.pyshacl_up_to)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            data, count, source = make_data(folder, size, args.seed, args.defects)
            fast = measure("fast", data, args.timeout)
            store = measure(STORE_BASELINE, data, args.timeout)
            ref = measure("pyshacl", data, args.timeout) if size <= limit else None
            rows.append((size, count, source, fast, ref, store))
            print(f"# {count} triples ({source}): fast {fast} pyshacl {ref}", file=sys.stderr, flush=True)
    base = next(((c, f["seconds"]) for _, c, _, f, _, _ in rows if f.get("seconds")), None)
    print(
        "| triples | fast s | fast peak MiB (worker) | results | pyshacl s | pyshacl/fast "
        "| fast s per triple vs smallest | store baseline s | fast/store |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for _, count, _, fast, ref, store in rows:
        fs = fast.get("seconds")
        rs = ref.get("seconds") if ref else None
        ss = store.get("seconds")
        ratio = f"{rs / fs:.1f}x" if isinstance(rs, float) and isinstance(fs, float) else "—"
        scale = f"{(fs / count) / (base[1] / base[0]):.2f}" if isinstance(fs, float) and base and base[1] else "—"
        ref_text = f"{rs:.2f}" if isinstance(rs, float) else (ref.get("note", "—") if ref else "not run")
        fast_text = f"{fs:.2f}" if isinstance(fs, float) else str(fast.get("note"))
        mem = f"{fast['peak_mib']:.0f} ({fast.get('worker_peak_mib', 0):.0f})" if "peak_mib" in fast else "—"
        store_text = f"{ss:.2f}" if isinstance(ss, float) else str(store.get("note"))
        over = f"{fs / ss:.2f}" if isinstance(fs, float) and isinstance(ss, float) else "—"
        print(
            f"| {count} | {fast_text} | {mem} | {fast.get('results', '—')} | {ref_text} | {ratio} | {scale} "
            f"| {store_text} | {over} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
