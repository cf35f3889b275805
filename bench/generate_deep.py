"""A second benchmark organisation, shaped unlike ``generate.py``'s on purpose (Turtle, deep, dated).

    python bench/generate_deep.py --triples 1M --defects 0.02 --out holding.ttl
    # writes holding.ttl and holding.expected.csv (the findings the defects must produce)

A holding group whose companies each have a unit tree 6–8 levels deep (division … team), posts and
people in the teams, one customer model per team, an internal start-up with situation reviews,
customer data assets that enrich each other, management models, domains and capability assessments.
Each customer relationship has 2–5 dated owner handovers, a lead (sometimes handed over), team
members, last year's and this year's plan, and several plan follow-ups written as blank nodes.
Customers have sites as nested blank nodes. The Turtle mixes ``@prefix`` and ``PREFIX``, prefixed
names with dots, comments and triple-quoted multi-line strings.

Clean output has no findings at any severity as of ``--as-of`` (default 2026-10-01). ``--defects
RATE`` gives that share of relationships one defect (kinds taken in turn, so every kind appears once
there are enough), and every company a structural defect; the findings each must produce are
written beside the data as a manifest (``deep_findings.py``). The same arguments give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported

from deep_findings import Finding, divergent_model_findings, write_manifest
from deep_relationships import REL_KINDS, RelationshipWriter
from deep_structure import STRUCT_KINDS, Organisation, write_structure
from gen_common import Counts, check_arguments, generator_parser, relationships_for, summary, write_file
from turtle_out import TurtleWriter

DEFAULT_AS_OF = dt.date(2026, 10, 1)
#: Measured: triples per relationship, its share of the structure included.
TRIPLES_PER_RELATIONSHIP = 108

PREFIXES = (
    "@prefix akj: <https://w3id.org/crmkg/akj#> .",
    "@prefix org: <http://www.w3.org/ns/org#> .",
    "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
    "PREFIX o: <https://holding.example.net/org/>",
    "PREFIX p: <https://holding.example.net/people/>",
    "@prefix c: <https://holding.example.net/customers/> .",
    "@prefix crm: <https://holding.example.net/crm/> .",
)


@dataclass
class Stats(Counts):
    findings: list[Finding] = field(default_factory=list)


def _defect_kinds(relationships: int, rate: float, rng: random.Random) -> Iterator[str | None]:
    """Each relationship's defect: with probability ``rate``, the next kind in turn."""
    n = 0
    for _ in range(relationships):
        if rate and rng.random() < rate:
            yield REL_KINDS[n % len(REL_KINDS)]
            n += 1
        else:
            yield None


def generate(
    out: TextIO,
    *,
    relationships: int,
    seed: int = 1,
    defects: float = 0.0,
    as_of: dt.date = DEFAULT_AS_OF,
) -> Stats:
    """Write the organisation to ``out`` as Turtle; returns counts and the expected findings."""
    check_arguments(relationships, defects)
    rng = random.Random(seed)
    defect_rng = random.Random(seed * 104_729 + 7)
    w = TurtleWriter(out)
    for line in PREFIXES:
        w.raw(line)
    w.raw("")
    companies = max(2, math.ceil(relationships / 3000))
    leaves = max(2, math.ceil(relationships / companies / 30))
    organisation = Organisation.build(companies, leaves, customers=max(10, relationships // 3), rng=rng)
    structural: dict[int, list[str]] = {}
    if defects:
        for n in range(max(companies, len(STRUCT_KINDS))):
            structural.setdefault(n % companies, []).append(STRUCT_KINDS[n % len(STRUCT_KINDS)])
    stats = Stats(companies=companies, customers=len(organisation.customers))
    stats.findings.extend(write_structure(w, organisation, structural, as_of, rng))
    stats.units = sum(len(c.units) for c in organisation.companies)
    writer = RelationshipWriter(w, organisation, as_of)
    for i, kind in enumerate(_defect_kinds(relationships, defects, defect_rng)):
        stats.findings.extend(writer.write(i, rng, kind))
        stats.relationships += 1
    stats.findings.extend(divergent_model_findings(organisation.models(), organisation.parents()))
    w.flush()
    stats.triples = w.triples
    return stats


def manifest_path(data: Path) -> Path:
    """Where the expected findings of ``data`` are written: ``x.ttl`` → ``x.expected.csv``."""
    return data.with_name(data.name.split(".")[0] + ".expected.csv")


def generate_to_file(
    path: Path | str,
    *,
    triples: int | None = None,
    relationships: int | None = None,
    seed: int = 1,
    defects: float = 0.0,
    as_of: dt.date = DEFAULT_AS_OF,
) -> int:
    """Write an organisation of about ``triples`` triples (or ``relationships``) to ``path`` and its
    manifest beside it; returns the number of triples."""
    n = relationships_for(triples, relationships, TRIPLES_PER_RELATIONSHIP)
    stats = write_file(path, lambda out: generate(out, relationships=n, seed=seed, defects=defects, as_of=as_of))
    write_manifest(manifest_path(Path(path)), stats.findings)
    return stats.triples


def main(argv: list[str] | None = None) -> int:
    parser = generator_parser(
        __doc__, TRIPLES_PER_RELATIONSHIP, DEFAULT_AS_OF, "Turtle file; the manifest goes beside it"
    )
    args = parser.parse_args(argv)
    if args.out is None:
        parser.error("--out is required (the manifest is written beside it)")
    relationships = relationships_for(args.triples, args.relationships, TRIPLES_PER_RELATIONSHIP)
    stats = write_file(
        args.out,
        lambda out: generate(out, relationships=relationships, seed=args.seed, defects=args.defects, as_of=args.as_of),
    )
    write_manifest(manifest_path(args.out), stats.findings)
    print(f"{summary(stats, 'findings')}, {len(set(stats.findings))} expected findings", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
