"""Benchmark: ``crmkg validate`` on two generators' organisations, as Turtle and as N-Triples.

    .venv/bin/python bench/bench_fast_validate.py --sizes 100k,1M,3M
    flock /tmp/crmkg-bench.lock .venv/bin/python bench/bench_fast_validate.py   # on a shared machine

For each generator (``generate.py``: flat N-Triples; ``generate_deep.py``: deep Turtle with blank
nodes), size and format (the generator's own output and the other format, converted by pyoxigraph),
each in its own process so peak memory is that run's own:

- **crmkg**: the whole ``crmkg validate FILE --format json --output …`` command, wall time from
  process start to exit (parsing, locations, the checks, the report) and peak memory (the main
  process, and the largest forked worker);
- **load**: pyoxigraph's own bulk load of the same file (``Store.bulk_load``) — the baseline; the
  ``crmkg/load`` ratio is what the validation costs beyond reading the data into the store;
- **Jena**: Apache Jena SHACL (Debian ``libapache-jena-java``, when installed) on the same file and
  the same shapes with the ontology, through ``bench/jena/JenaShacl.java``; its results are compared
  with crmkg's (and, for ``generate_deep.py``, with the manifest of expected findings).

Then the growth from the middle size to the largest, crmkg's against the load's.
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
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))  # run as a script or imported: the generators sit beside it

import generate  # noqa: E402
import generate_deep  # noqa: E402
from deep_findings import read_manifest  # noqa: E402
from gen_common import parse_size  # noqa: E402
from jena_runner import JenaRunner  # noqa: E402

AS_OF = dt.date(2026, 10, 1)
GENERATORS = {"generate.py": "nt", "generate_deep.py": "ttl"}
PREFIXES = {
    "akj": "https://w3id.org/crmkg/akj#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "gen": "https://example.org/gen/",
}

#: A finding as every side can write it: shape id, focus node, component, value (N-Triples).
Key = tuple[str, str, str, str]


@dataclass
class Row:
    generator: str
    fmt: str
    triples: int
    crmkg: dict[str, object] = field(default_factory=dict)
    load: dict[str, object] = field(default_factory=dict)
    jena: dict[str, object] = field(default_factory=dict)
    agreement: str = ""
    #: The machine's 1-minute load average just before crmkg ran (2 cores: above 2, others were busy).
    loadavg: float = 0.0


# ---------------------------------------------------------------- data


def make_data(folder: Path, generator: str, triples: int, seed: int, defects: float) -> tuple[dict[str, Path], int]:
    """The organisation in both formats: {"nt": …, "ttl": …}, and its triple count."""
    native = GENERATORS[generator]
    stem = f"{generator.removesuffix('.py')}-{triples}-{seed}"
    first = folder / f"{stem}.{native}"
    module = generate if generator == "generate.py" else generate_deep
    count = module.generate_to_file(first, triples=triples, seed=seed, defects=defects)
    other = "ttl" if native == "nt" else "nt"
    second = folder / f"{stem}.{other}"
    convert(first, second)
    return {native: first, other: second}, int(count)


def convert(source: Path, target: Path) -> None:
    import pyoxigraph as ox

    formats = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}
    quads = ox.parse(path=str(source), format=formats[source.suffix[1:]])
    ox.serialize(quads, str(target), formats[target.suffix[1:]], prefixes=PREFIXES)


# ---------------------------------------------------------------- one measurement per process


def run_load(data: Path) -> dict[str, object]:
    import pyoxigraph as ox

    fmt = ox.RdfFormat.TURTLE if data.suffix == ".ttl" else ox.RdfFormat.N_TRIPLES
    start, cpu = time.perf_counter(), time.process_time()
    store = ox.Store()
    store.bulk_load(path=str(data), format=fmt)
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu, "quads": len(store)}


def run_crmkg(data: Path, report: Path, engine: str) -> dict[str, object]:
    """``crmkg validate`` in a child process: wall time, exit code and peak memory."""
    cmd = [
        sys.executable,
        "-m",
        "crmkg",
        "validate",
        str(data),
        "--as-of",
        AS_OF.isoformat(),
        "--engine",
        engine,
        "--format",
        "json",
        "--output",
        str(report),
    ]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        return {"seconds": None, "note": (proc.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    # CPU of the command and of the workers it forked and waited for: less disturbed by other
    # processes on a shared machine than the wall time
    cpu = usage.ru_utime + usage.ru_stime
    return {"seconds": seconds, "cpu": cpu, "peak_mib": usage.ru_maxrss / 1024, "stderr": proc.stderr}


def run_one(kind: str, args: list[str]) -> dict[str, object]:
    if kind == "load":
        return run_load(Path(args[0]))
    if kind == "crmkg":
        # The peak is the largest single process: the validate process or one of its forked workers.
        return run_crmkg(Path(args[0]), Path(args[1]), args[2])
    if kind == "jena":
        return JenaRunner.from_json(args[0]).run(Path(args[1]), Path(args[2]))
    raise SystemExit(f"unknown measurement {kind}")


def measure(kind: str, *args: str, timeout: float) -> dict[str, object]:
    """Run one measurement in a fresh process, so that its peak memory is its own."""
    cmd = [sys.executable, __file__, "--one", kind, *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "note": f"did not finish in {timeout:.0f} s"}
    if proc.returncode != 0:
        return {"seconds": None, "note": (proc.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# ---------------------------------------------------------------- comparing results


def report_keys(report: Path) -> set[Key]:
    doc = json.loads(report.read_text(encoding="utf-8"))
    return {
        (r["shapeId"] or "", r["focusNode"]["value"], r["constraintComponent"], term_nt(r["value"]))
        for r in doc["results"]
    }


def term_nt(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return f"<{term['value']}>"
    if term["type"] == "bnode":
        return "_:"
    lexical = '"' + term["value"].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if "xml:lang" in term:
        return f"{lexical}@{term['xml:lang']}"
    if "datatype" in term:
        return f"{lexical}^^<{term['datatype']}>"
    return lexical


def manifest_keys(data: Path) -> set[Key] | None:
    path = generate_deep.manifest_path(data)
    if not path.is_file():
        return None
    return {(r["shape_id"], r["focus_node"], r["constraint_component"], r["value"]) for r in read_manifest(path)}


def agreement(crmkg: set[Key] | None, expected: set[Key] | None, jena: set[Key] | None) -> str:
    parts = []
    if crmkg is not None and expected is not None:
        parts.append(
            "= manifest" if crmkg == expected else f"≠ manifest ({len(crmkg - expected)}+/{len(expected - crmkg)}-)"
        )
    if crmkg is not None and jena is not None:
        parts.append("= Jena" if crmkg == jena else f"≠ Jena ({len(crmkg - jena)}+/{len(jena - crmkg)}-)")
    return ", ".join(parts) or "—"


# ---------------------------------------------------------------- the table


def seconds(m: dict[str, object]) -> float | None:
    s = m.get("seconds")
    return s if isinstance(s, float) else None


def fmt_s(m: dict[str, object]) -> str:
    s = seconds(m)
    return f"{s:.2f}" if s is not None else str(m.get("note", "—"))


def cpu_s(m: dict[str, object]) -> float | None:
    s = m.get("cpu")
    return s if isinstance(s, float) else None


def jena_state(version: str | None, skipped: bool) -> str:
    """What the table says of Jena: its version, or why it has no column."""
    if skipped:
        return "skipped (--no-jena)"
    return version or "not installed"


def print_table(rows: list[Row], jena_version: str | None, *, jena_skipped: bool = False) -> None:
    print(f"\nmachine: {os.cpu_count()} cores; Jena: {jena_state(jena_version, jena_skipped)}")
    print(
        "\n| generator | format | triples | crmkg validate s | CPU s | peak MiB | bulk load s | CPU s "
        "| crmkg/load | CPU ratio | Jena s | crmkg/Jena | results | agrees | load avg |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in rows:
        c, ld = seconds(r.crmkg), seconds(r.load)
        ratio = f"{c / ld:.2f}" if c and ld else "—"
        cc, lc = cpu_s(r.crmkg), cpu_s(r.load)
        cpu_ratio = f"{cc / lc:.2f}" if cc and lc else "—"
        ccpu = f"{cc:.2f}" if cc is not None else "—"
        lcpu = f"{lc:.2f}" if lc is not None else "—"
        peak = f"{r.crmkg['peak_mib']:.0f}" if "peak_mib" in r.crmkg else "—"
        jena = fmt_s(r.jena) if r.jena else ("skipped" if jena_skipped else "not run")
        j = seconds(r.jena) if r.jena else None
        versus_jena = f"{c / j:.2f}" if c and j else "—"
        print(
            f"| {r.generator} | {r.fmt} | {r.triples:,} | {fmt_s(r.crmkg)} | {ccpu} | {peak} | {fmt_s(r.load)} "
            f"| {lcpu} | {ratio} | {cpu_ratio} | {jena} | {versus_jena} | {r.crmkg.get('results', '—')} "
            f"| {r.agreement} | {r.loadavg:.1f} |"
        )
    print("\ngrowth from the middle size to the largest (time ratio; the store's own load is the bar):")
    by_case: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        by_case.setdefault((r.generator, r.fmt), []).append(r)
    for (gen, fmt), case in sorted(by_case.items()):
        if len(case) < 2:
            continue
        small, large = case[-2], case[-1]
        values = [(seconds(small.crmkg), seconds(large.crmkg)), (seconds(small.load), seconds(large.load))]
        if any(a is None or b is None for a, b in values):
            continue
        (c1, c2), (l1, l2) = values
        assert c1
        assert c2
        assert l1
        assert l2
        size = large.triples / small.triples
        print(
            f"  {gen} {fmt}: ×{size:.1f} triples → crmkg ×{c2 / c1:.2f}, load ×{l2 / l1:.2f}"
            f" ({'no worse than the load' if c2 / c1 <= l2 / l1 * 1.05 else 'grows faster than the load'})"
            + _cpu_growth(small, large)
        )


def _cpu_growth(small: Row, large: Row) -> str:
    """The same growth in CPU seconds, which other processes on a shared machine disturb less."""
    cpu = [cpu_s(small.crmkg), cpu_s(large.crmkg), cpu_s(small.load), cpu_s(large.load)]
    if any(not c for c in cpu):
        return ""
    c1, c2, l1, l2 = (c or 1.0 for c in cpu)
    return f"; CPU: crmkg ×{c2 / c1:.2f}, load ×{l2 / l1:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100k,1M,3M", help="comma-separated triple counts (k/M suffixes)")
    ap.add_argument("--generators", default=",".join(GENERATORS), help="which generators")
    ap.add_argument("--formats", default="ttl,nt", help="which serialisations")
    ap.add_argument("--engine", default="fast", help="crmkg's engine (pyshacl only at small sizes)")
    ap.add_argument("--no-jena", action="store_true", help="do not run Jena even when installed")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--defects", type=float, default=0.02, help="share of relationships with a defect")
    ap.add_argument("--timeout", type=float, default=1200.0, help="seconds per run")
    ap.add_argument("--keep", type=Path, help="folder to keep the generated data and reports in")
    ap.add_argument("--one", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one[0], args.one[1:])))
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    rows: list[Row] = []
    print(f"# start: {os.getloadavg()}", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        jena = None if args.no_jena else JenaRunner.prepare(folder / "jena", AS_OF)
        for generator in args.generators.split(","):
            for size in sizes:
                files, count = make_data(folder, generator, size, args.seed, args.defects)
                for fmt in formats:
                    data = files[fmt]
                    row = Row(generator, fmt, count, loadavg=os.getloadavg()[0])
                    report = folder / f"{data.name}.report.json"
                    row.crmkg = measure("crmkg", str(data), str(report), args.engine, timeout=args.timeout)
                    row.load = measure("load", str(data), timeout=args.timeout)
                    crmkg_keys = report_keys(report) if seconds(row.crmkg) is not None else None
                    row.crmkg["results"] = len(crmkg_keys) if crmkg_keys is not None else "—"
                    jena_keys = None
                    if jena is not None:
                        out = folder / f"{data.name}.jena.tsv"
                        row.jena = measure("jena", jena.to_json(), str(data), str(out), timeout=args.timeout)
                        jena_keys = jena.keys(out) if seconds(row.jena) is not None else None
                    row.agreement = agreement(crmkg_keys, manifest_keys(data), jena_keys)
                    rows.append(row)
                    shown = {k: v for k, v in row.crmkg.items() if k != "stderr"}
                    print(
                        f"# {generator} {fmt} {count}: crmkg {shown} load {row.load} jena {row.jena} {row.agreement}",
                        file=sys.stderr,
                        flush=True,
                    )
    print(f"# end: {os.getloadavg()}", file=sys.stderr)
    print_table(rows, jena.version if jena else None, jena_skipped=args.no_jena)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
