"""Catalogue queries keep the forms every engine answers right (queries/README.md, "Remote endpoints")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmkg import resources

ALL = sorted(resources.data_path("queries").rglob("*.rq"))

#: A date parameter as the catalogue names it: ``?_asOf_xsd_date`` (bound by substitution) or ``$asOf``.
_DATE_PARAMETER = r"(?:\?_\w+_xsd_date|[$?]asOf)\b"
#: ``?x <= D`` / ``?x >= D`` (or ``D <= ?x``): Virtuoso 7.2 searches its index for the range and, in some
#: sessions, skipped rows inside it; ``!(?x > D)`` / ``!(?x < D)`` are tested row by row.
_INCLUSIVE = re.compile(rf"(?:<=|>=)\s*{_DATE_PARAMETER}|{_DATE_PARAMETER}\s*(?:<=|>=)")


def _code(path: Path) -> str:
    """The query without its comment lines (which may name the form they avoid)."""
    return "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")
    )


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_no_inclusive_comparison_with_a_date_parameter(path: Path) -> None:
    found = _INCLUSIVE.search(_code(path))
    assert found is None, f"{path.name}: {found.group(0)!r} (write !(?x > D) for ?x <= D, !(?x < D) for ?x >= D)"


def test_the_pattern_sees_the_forms_it_forbids() -> None:
    for text in ("FILTER(?since <= ?_asOf_xsd_date)", "?until >= $asOf", "FILTER(?_to_xsd_date >= ?d)"):
        assert _INCLUSIVE.search(text), text
    for text in ("FILTER(!(?since > ?_asOf_xsd_date))", "?start2 <= ?end1", "COUNT(?x) >= ?_n_integer"):
        assert not _INCLUSIVE.search(text), text
