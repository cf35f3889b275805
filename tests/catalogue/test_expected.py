"""Every CQ's answer on the example organisation equals its expected file, as a multiset of bindings,
on Oxigraph, on rdflib, and on the OWL 2 RL closure of the same data (so no query depends on
materialisation)."""

from __future__ import annotations

import pytest

from crmkg.catalogue import Catalogue, QueryKind
from crmkg.store import Store

from .conftest import EXPECTED, multiset, params_for, read_srj

CQ_IDS = [spec.id for spec in Catalogue().list(QueryKind.CQ)]


def test_there_is_one_expected_file_per_cq() -> None:
    # CQ1–CQ44, then issue 15's blocks (CQ45–CQ54 engineer `domain`, CQ55–CQ64 `domain2`); numbers may
    # have gaps while a block is being filled, but every CQ has its file and every file its CQ.
    numbers = sorted(Catalogue().get(query_id).cq_number for query_id in CQ_IDS)
    assert numbers[:49] == list(range(1, 50))
    assert {55, 56, 57} <= set(numbers)
    assert sorted(p.name for p in EXPECTED.glob("cq-*.srj")) == [f"cq-{n:03d}.srj" for n in numbers]


@pytest.mark.parametrize("backend", ["oxigraph", "memory", "oxigraph-rl"])
@pytest.mark.parametrize("query_id", CQ_IDS)
def test_answer_matches_expected_file(
    query_id: str, backend: str, catalogue: Catalogue, stores: dict[str, Store]
) -> None:
    spec = catalogue.get(query_id)
    expected = read_srj(EXPECTED / f"cq-{spec.cq_number:03d}.srj")
    got = multiset(catalogue.run(spec, stores[backend], params_for(catalogue, query_id)))
    missing, extra = expected - got, got - expected
    assert not missing, f"{query_id} on {backend}: missing rows {list(missing)[:3]}"
    assert not extra, f"{query_id} on {backend}: unexpected rows {list(extra)[:3]}"


def test_multiset_comparison_sees_duplicates(catalogue: Catalogue, stores: dict[str, Store]) -> None:
    """The comparison is by multiset: a doubled row would be a difference, not a match."""
    spec = catalogue.get("cq-015")
    got = multiset(catalogue.run(spec, stores["oxigraph"], params_for(catalogue, spec.id)))
    doubled = got + got
    assert doubled != got
