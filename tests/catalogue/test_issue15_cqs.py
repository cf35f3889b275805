"""CQ56 and CQ57 (issue 15 §4, §6): what takes a customer or a relationship out of their answers.

The example has no group-level relationship and no multi-year plan, so its golden files only show
the positive side. Here the example plus ``data/issue15-counterparts.ttl``: Koillismaa gets a
group-level relationship with a current owner, and the Smart Energy key relationship a three-year
plan; both leave the answer while the rest stays.
"""

from __future__ import annotations

from crmkg import resources
from crmkg.catalogue import Catalogue
from crmkg.loading import parse_paths
from crmkg.store import open_store
from crmkg.store.terms import from_ox

from .conftest import HERE, params_for

EX = "https://example.org/esimerkki/"


def _answers(query_id: str, with_counterparts: bool) -> set[str]:
    catalogue = Catalogue()
    paths = [*resources.ontology_files(), resources.example_dir("esimerkki")]
    if with_counterparts:
        paths.append(HERE / "data" / "issue15-counterparts.ttl")
    _, quads = parse_paths(paths)
    store = open_store()
    store.add_quads(quads)
    key = "customer" if query_id.startswith("cq-056") else "relationship"
    result = catalogue.run(catalogue.get(query_id), store, params_for(catalogue, query_id))
    return {str(from_ox(row[key])).removeprefix(EX) for row in result.dicts()}  # type: ignore[union-attr]


def test_a_group_level_owner_takes_the_customer_out_of_cq56() -> None:
    before = _answers("cq-056-customers-without-group-owner", with_counterparts=False)
    after = _answers("cq-056-customers-without-group-owner", with_counterparts=True)
    assert {"jarvilinnan-kaupunki", "koillismaan-hyvinvointialue"} <= before
    assert after == before - {"koillismaan-hyvinvointialue"}


def test_a_current_multi_year_plan_takes_the_relationship_out_of_cq57() -> None:
    before = _answers("cq-057-strategic-startup-relationships-at-risk", with_counterparts=False)
    after = _answers("cq-057-strategic-startup-relationships-at-risk", with_counterparts=True)
    assert before == {"rel-energia-rannikon-energia", "rel-kiertotalous-metsapuu"}
    assert after == {"rel-kiertotalous-metsapuu"}
