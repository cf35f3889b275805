"""Benchmark ``crmkg validate``: load time, validation time and peak memory per size and engine.

    python bench/bench_validate.py                       # 10k, 100k, 1M triples; pyshacl up to 20k
    python bench/bench_validate.py --sizes 5k,50k --engines pyshacl,fast --timeout 120 --json out.json

Data comes from ``bench/generate.py`` (seeded; same data on every run). Each measurement runs in its
own process (so peak memory is that run's own), with a timeout: pyshacl does not finish on large
inputs, so it is only run up to ``--pyshacl-max`` triples and a run that exceeds ``--timeout`` is
reported as such. Ratios are against a baseline measured the same way on the same file:
pyoxigraph parsing the N-Triples (the fastest way to merely read the data).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_common import parse_size  # noqa: E402
from generate import generate_to_file  # noqa: E402

AS_OF = dt.date(2026, 10, 1)


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_baseline(path: str) -> dict[str, Any]:
    import pyoxigraph as ox

    start = time.perf_counter()
    count = sum(1 for _ in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES))
    return {"seconds": time.perf_counter() - start, "quads": count, "peak_mb": _peak_mb()}


def child_validate(path: str, engine: str) -> dict[str, Any]:
    from crmkg.validation import validate

    marks: dict[str, float] = {}
    start = time.perf_counter()

    def progress(done: int, total: int, label: str) -> None:
        if label.startswith("validating"):
            marks["engine_start"] = time.perf_counter()

    report = validate([path], engine=engine, as_of=AS_OF, progress=progress)
    end = time.perf_counter()
    engine_start = marks.get("engine_start", start)
    counts = {sev.value: n for sev, n in report.counts().items()}
    return {
        "load_seconds": engine_start - start,
        "validate_seconds": end - engine_start,
        "total_seconds": end - start,
        "results": len(report.results),
        "counts": counts,
        "peak_mb": _peak_mb(),
    }


def run_child(args: list[str], timeout: float) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": time.perf_counter() - start}
    if done.returncode != 0:
        return {"status": "error", "detail": done.stderr.strip().splitlines()[-1:] or ["?"]}
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    out["status"] = "ok"
    return out


def fmt_seconds(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,100k,1M", help="triple counts, e.g. 10k,100k,1M")
    parser.add_argument("--engines", default="pyshacl,fast", help="engines to measure (unavailable ones are skipped)")
    parser.add_argument("--pyshacl-max", type=parse_size, default=20_000, help="largest size pyshacl is run on")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per measurement")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where the generated files go (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, path, *rest = args.child
        result = child_baseline(path) if kind == "baseline" else child_validate(path, rest[0])
        print(json.dumps(result))
        return 0

    from crmkg.validation import available_engines

    engines = [e for e in args.engines.split(",") if e in available_engines()]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="crmkg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    print(f"engines: {', '.join(engines)}; python {sys.version.split()[0]}; cpus {os.cpu_count()}")
    header = (
        f"{'size':>9} {'engine':<9} {'status':<8} {'load s':>8} {'valid s':>8} {'peak MB':>8} "
        f"{'results':>8} {'load×':>7} {'valid×':>8}"
    )
    print(header)
    for size in [parse_size(s) for s in args.sizes.split(",")]:
        path = workdir / f"org-{size}-{args.seed}.nt"
        started = time.perf_counter()
        triples = generate_to_file(path, triples=size, seed=args.seed)
        gen_seconds = time.perf_counter() - started
        base = run_child(["baseline", str(path)], args.timeout)
        base_s = base.get("seconds") if base.get("status") == "ok" else None
        print(
            f"{triples:>9} {'oxigraph':<9} {base['status']:<8} {fmt_seconds(base_s):>8} {'-':>8} "
            f"{base.get('peak_mb', 0):>8.0f} {'-':>8} {'1.0':>7} {'-':>8}   (baseline parse; generated in "
            f"{gen_seconds:.1f}s, {path.stat().st_size / 1e6:.0f} MB)"
        )
        rows.append({"triples": triples, "engine": "baseline-oxigraph-parse", **base, "generate_seconds": gen_seconds})
        for engine in engines:
            if engine == "pyshacl" and triples > args.pyshacl_max:
                rows.append({"triples": triples, "engine": engine, "status": "skipped (size bound)"})
                print(f"{triples:>9} {engine:<9} {'skipped':<8} (above --pyshacl-max {args.pyshacl_max})")
                continue
            got = run_child(["validate", str(path), engine], args.timeout)
            rows.append({"triples": triples, "engine": engine, **got})
            if got["status"] != "ok":
                print(
                    f"{triples:>9} {engine:<9} {got['status']:<8} after {got.get('seconds', 0):.0f}s "
                    f"{got.get('detail', '')}"
                )
                continue
            load_ratio = got["load_seconds"] / base_s if base_s else float("nan")
            valid_ratio = got["validate_seconds"] / base_s if base_s else float("nan")
            print(
                f"{triples:>9} {engine:<9} {'ok':<8} {got['load_seconds']:>8.2f} {got['validate_seconds']:>8.2f} "
                f"{got['peak_mb']:>8.0f} {got['results']:>8} {load_ratio:>7.1f} {valid_ratio:>8.1f}"
            )
        if args.workdir is None:
            path.unlink()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
