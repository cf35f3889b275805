"""Benchmark ``crmkg import salesforce`` on a generated export (default 100,000 accounts).

    python bench/bench_ingest.py [--accounts 100000] [--dir DIR] [--turtle]

Generates the export in a child process (so its memory does not count), then in this process:
1. baseline: read every CSV of the export with the plain ``csv`` module;
2. the import: read, check and stage, then stream N-Triples to a file (``--turtle``: Turtle).
Reports wall and CPU seconds (CPU time is the fairer figure on a shared machine), triples,
peak RSS (``resource.getrusage``) and the ratio to the baseline.
Targets (issue 6): under 60 s and under 2 GiB for 100,000 accounts.
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from crmkg.ingest import import_salesforce


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def baseline(folder: Path) -> tuple[float, int]:
    start, rows = time.perf_counter(), 0
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += sum(1 for _ in csv.reader(handle))
    return time.perf_counter() - start, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, help="reuse/keep the generated export here")
    parser.add_argument("--turtle", action="store_true", help="write Turtle instead of N-Triples")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crmkg-bench-") as tmp:
        folder = args.dir or Path(tmp) / "export"
        if not (folder / "Account.csv").exists():
            t0 = time.perf_counter()
            generator = Path(__file__).with_name("gen_salesforce_export.py")
            subprocess.run([sys.executable, str(generator), str(folder), "--accounts", str(args.accounts)], check=True)
            print(f"generated {args.accounts} accounts in {time.perf_counter() - t0:.1f} s")
        base_s, rows = baseline(folder)
        rss_before = peak_rss_mib()
        t0, c0 = time.perf_counter(), time.process_time()
        result = import_salesforce(folder)
        read_s, read_cpu = time.perf_counter() - t0, time.process_time() - c0
        out = Path(tmp) / ("out.ttl" if args.turtle else "out.nt")
        triples = result.write(out)
        total_s, total_cpu = time.perf_counter() - t0, time.process_time() - c0
        size_mib = out.stat().st_size / 2**20
    print(f"baseline csv read : {base_s:6.2f} s  ({rows} rows)")
    print(f"import read+stage : {read_s:6.2f} s  (CPU {read_cpu:.2f} s; {len(result.findings)} findings)")
    print(f"import total      : {total_s:6.2f} s  (CPU {total_cpu:.2f} s; {triples} triples, ", end="")
    print(f"{size_mib:.0f} MiB {out.suffix})")
    print(f"ratio to baseline : {total_s / base_s:6.1f} x")
    print(f"peak RSS          : {peak_rss_mib():6.0f} MiB  (before import {rss_before:.0f} MiB)")
    ok = total_s < 60 and peak_rss_mib() < 2048
    print("targets (< 60 s, < 2 GiB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
