"""What the two benchmark generators (``generate.py``, ``generate_deep.py``) share: size arguments,
the triples-to-relationships estimate, the counts every organisation has, business IDs, and the
command line that writes an organisation to a file."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, TypeVar

C = TypeVar("C", bound="Counts")


@dataclass
class Counts:
    """What every generated organisation counts (each generator adds its own)."""

    triples: int = 0
    relationships: int = 0
    companies: int = 0
    units: int = 0
    customers: int = 0


def parse_size(text: str) -> int:
    """A count written as ``2500``, ``10k`` or ``1M`` (the benchmarks' size arguments)."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def relationships_for(triples: int | None, relationships: int | None, per_relationship: int) -> int:
    """``relationships`` when given, else as many as make about ``triples`` triples."""
    if relationships is not None:
        return relationships
    if triples is None:
        raise ValueError("give triples or relationships")
    return max(1, triples // per_relationship)


def check_arguments(relationships: int, defects: float) -> None:
    """Raise ValueError for a size or a defect share no organisation can have."""
    if relationships < 1:
        raise ValueError("relationships must be at least 1")
    if not 0.0 <= defects <= 1.0:
        raise ValueError("defects is a share between 0 and 1")


def business_id(n: int) -> str:
    """A valid Finnish business ID (Y-tunnus) for ``n``: 7 digits and the mod-11 check digit
    (weights 7 9 10 5 8 4 2); the next number up when ``n`` has none."""
    while True:
        digits = f"{n % 10_000_000:07d}"
        remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if remainder != 1:  # remainder 1 has no check digit: such numbers are never issued
            return f"{digits}-{0 if remainder == 0 else 11 - remainder}"
        n += 1


def generator_parser(doc: str | None, per_relationship: int, as_of: dt.date, out_help: str) -> argparse.ArgumentParser:
    """The arguments both generators take: the size, the seed, the defect share, the as-of date, the output."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--relationships", type=int, help="number of customer relationships")
    size.add_argument(
        "--triples",
        type=parse_size,
        help=f"about this many triples: 100k, 1M (≈ {per_relationship} per relationship)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defects", type=float, default=0.0, help="share of relationships with one defect")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=as_of)
    parser.add_argument("--out", type=Path, help=out_help)
    return parser


def summary(counts: Counts, findings: str) -> str:
    """``generated {…counts…}, N …`` for stderr; ``findings`` names the list field left out."""
    shown = {k: v for k, v in vars(counts).items() if k != findings}
    return f"generated {shown}"


def write_file(path: Path | str, write: Callable[[TextIO], C]) -> C:
    """Run ``write`` on ``path`` opened for UTF-8 text with ``\\n`` line ends (the same bytes on
    every platform); its counts."""
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        return write(out)
