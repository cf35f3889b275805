"""Server time of every web page on a generated organisation (median and p95), beside the API.

    python bench/bench_web.py --triples 1M --runs 15

Loads ``bench/generate.py``'s organisation (1M triples ≈ 22k relationships) and the ontology into
an in-memory Oxigraph store, then times each page through the ASGI app in this process (no
network). The first request is reported on its own (it fills the short-lived caches of
whole-organisation lists and aggregates); then ``--runs`` warm requests give the median and p95.
The baseline, timed in the same run, is the API's ``GET /relationships/{rel}/owner``, the
service's hottest lookup, so the ratios say what a page costs compared with it. The goal is
< 300 ms per page with the relationship list paginated.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

warnings.filterwarnings("ignore", message=".*httpx2.*")

from fastapi.testclient import TestClient  # noqa: E402

from crmkg import resources  # noqa: E402
from crmkg.api import create_app  # noqa: E402
from crmkg.config import Settings  # noqa: E402
from crmkg.loading import load  # noqa: E402
from crmkg.store import open_store  # noqa: E402
from generate import GEN, generate_to_file  # noqa: E402

AS_OF = "2026-10-01"


def pages() -> dict[str, str]:
    rel = f"{GEN}rel-7"
    return {
        "home": "/",
        "relationships (page 1)": f"/ui/relationships?as_of={AS_OF}",
        "relationships (page 40)": f"/ui/relationships?as_of={AS_OF}&page=40",
        "relationships, text filter": f"/ui/relationships?as_of={AS_OF}&q=rel%2012",
        "relationships, owner filter": f"/ui/relationships?as_of={AS_OF}&owner={GEN}post-0-0-0",
        "relationship": f"/ui/relationship?id={rel}&as_of={AS_OF}",
        "agent (post)": f"/ui/agent?id={GEN}post-0-0-0&as_of={AS_OF}",
        "agent (unit)": f"/ui/agent?id={GEN}unit-0-sales-0&as_of={AS_OF}",
        "organisation": "/ui/organisation",
        "customers": "/ui/customers",
        "customer": f"/ui/customer?id={GEN}customer-3&as_of={AS_OF}",
        "dashboard": f"/ui/dashboard?as_of={AS_OF}",
        "terms search": "/ui/terms?q=maksaja",
        "term": "/ui/term?id=akj:CustomerRelationship",
        "query form + run (CQ11)": f"/ui/queries/cq-011?run=1&relationship={rel}&asOf={AS_OF}",
        "sparql editor": "/ui/sparql",
        "ontology docs": "/ontology/",
        "validate form": "/ui/validate",
    }


def timed(client: TestClient, path: str, runs: int) -> tuple[float, list[float]]:
    """The first (cold) request's time, then ``runs`` warm ones."""
    start = time.perf_counter()
    first = client.get(path)
    cold = (time.perf_counter() - start) * 1000
    if first.status_code != 200:
        raise SystemExit(f"{path}: {first.status_code} {first.text[:300]}")
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return cold, samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", default="1M", help="organisation size: 100k, 1M …")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    size = int(
        float(args.triples.lower().rstrip("km"))
        * (1_000_000 if args.triples.lower().endswith("m") else 1_000 if args.triples.lower().endswith("k") else 1)
    )
    with tempfile.TemporaryDirectory(prefix="crmkg-bench-web-") as tmp:
        data = Path(tmp) / "org.nt"
        started = time.perf_counter()
        generate_to_file(data, triples=size, seed=args.seed)
        store = open_store()
        load(store, [*resources.ontology_files(), data])
        print(f"# {len(store):,} quads loaded in {time.perf_counter() - started:.1f} s; load {os.getloadavg()[0]:.2f}")
        with TestClient(create_app(Settings(), store)) as client:
            cold, baseline = timed(client, f"/relationships/{GEN}rel-7/owner?as_of={AS_OF}", args.runs)
            base_median = statistics.median(baseline)
            print("| page | first request ms | median ms | p95 ms | × owner lookup |")
            print("|---|---:|---:|---:|---:|")
            print(f"| API owner lookup (baseline) | {cold:.1f} | {base_median:.1f} | {p95(baseline):.1f} | 1.0 |")
            for name, path in pages().items():
                cold, samples = timed(client, path, args.runs)
                median = statistics.median(samples)
                print(f"| {name} | {cold:.1f} | {median:.1f} | {p95(samples):.1f} | {median / base_median:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
