"""bench/generate.py: deterministic, conforming when clean, every injected defect is found."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest

from crmkg.validation import Severity, validate

from .conftest import AS_OF, REPO


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crmkg_bench_generate", REPO / "bench" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


def test_same_seed_same_bytes_and_valid_ntriples(gen: ModuleType) -> None:
    one, two, other = io.StringIO(), io.StringIO(), io.StringIO()
    stats = gen.generate(one, relationships=50, seed=3, defects=0.2, defect_seed=9)
    gen.generate(two, relationships=50, seed=3, defects=0.2, defect_seed=9)
    gen.generate(other, relationships=50, seed=4)
    assert one.getvalue() == two.getvalue() != other.getvalue()
    parsed = list(ox.parse(one.getvalue().encode(), format=ox.RdfFormat.N_TRIPLES))
    assert len(parsed) == stats.triples == one.getvalue().count("\n")
    assert stats.relationships == 50
    assert stats.defects


def test_business_ids_have_valid_check_digits(gen: ModuleType) -> None:
    for n in (1_000_000, 2_000_013, 1234567):
        digits, check = gen.business_id(n).split("-")
        total = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        assert int(check) == (0 if total == 0 else 11 - total)


def test_clean_organisation_conforms(gen: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "clean.nt"
    gen.generate_to_file(path, relationships=30, seed=2)
    report = validate([path], as_of=AS_OF)
    bad = [(r.rule_id, str(r.focus_node)) for r in report.results if r.severity >= Severity.WARNING]
    assert bad == []


def test_every_injected_defect_is_found(gen: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "defects.nt"
    with path.open("w", encoding="utf-8") as out:
        stats = gen.generate(out, relationships=48, seed=5, defects=0.6, defect_seed=11)
    assert len({d.kind for d in stats.defects}) >= 8, "the seed should exercise most defect kinds"
    report = validate([path], as_of=AS_OF)
    found = {(r.rule_id, str(r.focus_node)) for r in report.results}
    missing = [d for d in stats.defects if (d.shape_id, d.focus) not in found]
    assert missing == []
