"""Term search, term cards and the hierarchy through the test client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from crmkg.terms import MATCH_RANK

DATA = Path(__file__).resolve().parent / "data"
SEARCH = json.loads((DATA / "expected" / "term-search.json").read_text("utf-8"))["cases"]
AKJ = "https://w3id.org/crmkg/akj#"


@pytest.mark.parametrize("case", SEARCH, ids=[c["q"] for c in SEARCH])
def test_search_ranks_and_reports_the_match(client: TestClient, case: dict[str, Any]) -> None:
    params = {"q": case["q"], **({"lang": case["lang"]} if "lang" in case else {})}
    response = client.get("/terms/search", params=params)
    assert response.status_code == 200, response.text
    hits = response.json()["hits"]
    assert hits, "no hits"
    first = hits[0]
    assert first["curie"] == case["first"]
    assert first["match"]["how"] == case["how"]
    assert first["match"]["lang"] == case["match_lang"]
    if "match_kind" in case:
        assert first["match"]["kind"] == case["match_kind"]
    assert set(case["includes"]) <= {h["curie"] for h in hits}


def test_search_orders_exact_before_weaker_matches(client: TestClient) -> None:
    hits = client.get("/terms/search", params={"q": "asiakas", "limit": 200}).json()["hits"]
    ranks = [MATCH_RANK[h["match"]["how"]] for h in hits]
    assert ranks == sorted(ranks)
    scores = [h["match"]["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_folded_fallback_ranks_below_real_diacritics(client: TestClient) -> None:
    # "käyttäjä" typed properly is exact; typed without diacritics it is found, but lower.
    proper = client.get("/terms/search", params={"q": "käyttäjä"}).json()["hits"][0]
    folded = client.get("/terms/search", params={"q": "kayttaja"}).json()["hits"][0]
    assert proper["curie"] == folded["curie"] == "akj:hasUser"
    assert proper["match"]["score"] > folded["match"]["score"]


def test_search_language_and_type_filters(client: TestClient) -> None:
    hits = client.get("/terms/search", params={"q": "maksaja", "lang": "en"}).json()["hits"]
    assert all(h["match"]["lang"] in ("en", "") for h in hits)
    assert "akj:hasPayer" not in [h["curie"] for h in hits]
    classes = client.get("/terms/search", params={"q": "asiakkuus", "type": "class"}).json()["hits"]
    assert classes
    assert all(h["kind"] == "class" for h in classes)
    props = client.get("/terms/search", params={"q": "maksaja", "type": "property"}).json()["hits"]
    assert props
    assert all(h["kind"].endswith("Property") for h in props)


@pytest.mark.parametrize(
    "params",
    [{"q": ""}, {"q": "x", "type": "table"}, {"q": "x", "limit": 0}, {"q": "x", "lang": "sv"}, {}],
)
def test_search_refuses_bad_parameters(client: TestClient, params: dict[str, Any]) -> None:
    response = client.get("/terms/search", params=params)
    assert response.status_code in (400, 422)
    assert response.headers["content-type"] == "application/problem+json"


def test_term_card(client: TestClient) -> None:
    response = client.get("/terms/akj:hasPayer", params={"lang": "en"})
    assert response.status_code == 200, response.text
    card = response.json()
    assert card["iri"] == AKJ + "hasPayer"
    assert card["label"] == "payer"
    assert {("maksaja", "fi"), ("payer", "en")} <= {(lb["text"], lb["lang"]) for lb in card["labels"]}
    assert set(card["definitions"]) == {"fi", "en"}
    assert AKJ + "involvesCustomerParty" in {p["iri"] for p in card["parents"]}
    # Since issue 15 §7 no shape has the payer as its path (S3 picks the capacities from the customer
    # model in SPARQL); shapes whose SPARQL names it are listed, path shapes are checked on hasProvider
    assert any(s["via"] == "sparql" for s in card["shapes"]), card["shapes"]
    assert "relationship-parties" in {q["id"] for q in card["queries"]}
    provider = client.get("/terms/akj:hasProvider", params={"lang": "en"}).json()
    assert any(s["via"] == "path" for s in provider["shapes"]), provider["shapes"]


def test_term_card_children_and_targeting_shapes(client: TestClient) -> None:
    # A hash IRI in a path needs its "#" percent-encoded, or the client drops it as a fragment.
    card = client.get("/terms/" + quote(AKJ + "CustomerRelationship", safe=":/")).json()
    children = {c["curie"] for c in card["children"]}
    assert {"akj:InternalCustomerRelationship", "akj:ExternalCustomerRelationship"} <= children
    assert any(s["via"] == "targetClass" for s in card["shapes"])


def test_unknown_term_is_404(client: TestClient) -> None:
    response = client.get("/terms/akj:NoSuchTerm")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


def _walk(nodes: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        found.add(node["curie"])
        found |= _walk(node["children"])
    return found


def test_hierarchy_in_one_call(client: TestClient) -> None:
    body = client.get("/terms/hierarchy", params={"kind": "class", "lang": "en"}).json()
    everything = _walk(body["roots"])
    assert {"akj:CustomerRelationship", "akj:InternalCustomerRelationship"} <= everything
    stakeholder = client.get("/terms/hierarchy", params={"root": "akj:StakeholderRelationship"}).json()
    assert stakeholder["roots"][0]["curie"] == "akj:StakeholderRelationship"
    assert "akj:CustomerRelationship" in _walk(stakeholder["roots"][0]["children"])
    props = client.get("/terms/hierarchy", params={"kind": "property"}).json()
    payer_parent = [n for n in props["roots"] if n["curie"] == "akj:involvesCustomerParty"]
    assert payer_parent
    assert "akj:hasPayer" in _walk(payer_parent[0]["children"])


@pytest.mark.parametrize("q", ["", " ", "\t", " \n "])
def test_search_refuses_blank_text_as_its_schema_says(client: TestClient, q: str) -> None:
    # The OpenAPI document declares the rule (pattern \S), so a client generated from it agrees.
    response = client.get("/terms/search", params={"q": q})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "q" in response.text
    parameter = next(
        p for p in client.get("/openapi.json").json()["paths"]["/terms/search"]["get"]["parameters"] if p["name"] == "q"
    )
    assert parameter["schema"]["pattern"] == r"\S"
