"""Benchmark ``crmkg import`` for Salesforce, HubSpot and Dynamics 365 (default 100,000 accounts each).

    python bench/bench_ingest.py [--accounts 100000] [--crm salesforce hubspot dynamics] [--dir DIR] [--turtle]

For each CRM: generate the export in a child process (its memory does not count: generators
``gen_salesforce_export.py`` and ``gen_crm_exports.py``), then in a fresh child process per CRM:
1. baseline: read every file of the export with the plain ``csv`` module (same files);
2. the import: read, check and stage, then stream N-Triples to a file (``--turtle``: Turtle).
Each child reports wall and CPU seconds, triples, its own peak RSS (``resource.getrusage``), the
ratio to its baseline and the machine's load average as it ended (wall time on a shared machine
means little without it). Targets (issue 11): under 60 s and under 2 GiB per CRM at 100,000 accounts.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CRMS = ("salesforce", "hubspot", "dynamics")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def baseline(folder: Path) -> tuple[float, int]:
    start, rows = time.perf_counter(), 0
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += sum(1 for _ in csv.reader(handle))
    return time.perf_counter() - start, rows


def generate(crm: str, folder: Path, accounts: int) -> None:
    if crm == "salesforce":
        cmd = [sys.executable, str(HERE / "gen_salesforce_export.py"), str(folder), "--accounts", str(accounts)]
    else:
        cmd = [sys.executable, str(HERE / "gen_crm_exports.py"), crm, str(folder), "--accounts", str(accounts)]
    subprocess.run(cmd, check=True)


def measure(crm: str, folder: Path, out: Path) -> dict[str, float]:
    """Run in a fresh process: the baseline, then the import, both on ``folder``."""
    from crmkg.ingest import import_dynamics, import_hubspot, import_salesforce

    importer = {"salesforce": import_salesforce, "hubspot": import_hubspot, "dynamics": import_dynamics}[crm]
    base_s, rows = baseline(folder)
    rss_before = peak_rss_mib()
    t0, c0 = time.perf_counter(), time.process_time()
    result = importer(folder)
    read_s = time.perf_counter() - t0
    triples = result.write(out)
    total_s, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "baseline_s": base_s,
        "rows": rows,
        "read_s": read_s,
        "total_s": total_s,
        "cpu_s": total_cpu,
        "triples": triples,
        "findings": len(result.findings),
        "relationships": result.summary.get("relationships", 0),
        "peak_mib": peak_rss_mib(),
        "rss_before_mib": rss_before,
        "fatal": float(result.fatal),
        "load": os.getloadavg()[0],  # the machine's 1-minute load as the import ended (shared machines)
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--crm", nargs="+", choices=CRMS, default=list(CRMS))
    parser.add_argument("--dir", type=Path, help="reuse/keep the generated exports here (one folder per CRM)")
    parser.add_argument("--turtle", action="store_true", help="write Turtle instead of N-Triples")
    parser.add_argument("--child", nargs=3, metavar=("CRM", "FOLDER", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        crm, folder, out = args.child
        print(json.dumps(measure(crm, Path(folder), Path(out))))
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="crmkg-bench-") as tmp:
        for crm in args.crm:
            folder = (args.dir or Path(tmp)) / f"{crm}-{args.accounts}"
            if not any(folder.glob("*.csv")):
                t0 = time.perf_counter()
                generate(crm, folder, args.accounts)
                print(f"{crm}: generated {args.accounts} accounts in {time.perf_counter() - t0:.1f} s", flush=True)
            out = Path(tmp) / f"{crm}.{'ttl' if args.turtle else 'nt'}"
            child = subprocess.run(
                [sys.executable, __file__, "--child", crm, str(folder), str(out)],
                check=True,
                capture_output=True,
                text=True,
            )
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            out.unlink(missing_ok=True)
            rows.append((crm, figures))
    print(
        f"\n{'CRM':<11} {'csv read s':>10} {'import s':>9} {'CPU s':>7} {'ratio':>6} {'peak MiB':>9} "
        f"{'triples':>10} {'rel.':>7} {'findings':>8} {'load':>5}"
    )
    ok = True
    for crm, f in rows:
        ratio = f["total_s"] / f["baseline_s"]
        print(
            f"{crm:<11} {f['baseline_s']:>10.2f} {f['total_s']:>9.2f} {f['cpu_s']:>7.2f} {ratio:>6.1f} "
            f"{f['peak_mib']:>9.0f} {int(f['triples']):>10} {int(f['relationships']):>7} {int(f['findings']):>8} "
            f"{f['load']:>5.1f}"
        )
        ok = ok and f["total_s"] < 60 and f["peak_mib"] < 2048 and not f["fatal"]
    print(f"\n{args.accounts} accounts per CRM; targets (< 60 s, < 2 GiB each):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
