"""The catalogue as typed endpoints: list, OpenAPI parameters, answers, binding errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crmkg.catalogue import Catalogue, QueryKind

DATA = Path(__file__).resolve().parent / "data"
CASES = json.loads((DATA / "expected" / "queries.json").read_text("utf-8"))["cases"]
CQ_IDS = [s.id for s in Catalogue().list(QueryKind.CQ)]


def test_every_cq_has_its_own_typed_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    listed = {q["id"] for q in client.get("/queries", params={"kind": "cq"}).json()["queries"]}
    assert listed == set(CQ_IDS)
    for query_id in CQ_IDS:
        operation = spec["paths"][f"/queries/{query_id}"]["get"]
        names = {p["name"] for p in operation.get("parameters", [])}
        declared = {p.name for p in Catalogue().get(query_id).params}
        assert declared <= names, query_id


def test_parameter_types_reach_the_openapi_document(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/queries/cq-011-current-owner"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["asOf"]["required"] is True
    assert params["asOf"]["schema"]["format"] == "date"
    assert params["relationship"]["required"] is False


@pytest.mark.parametrize("case", CASES, ids=[f"{c['id']}-{i}" for i, c in enumerate(CASES)])
def test_catalogue_answers(client: TestClient, case: dict[str, Any]) -> None:
    response = client.get(f"/queries/{case['id']}", params=case["params"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert {row[case["column"]]["value"] for row in body["rows"] if case["column"] in row} == set(case["values"])


def test_explain_shows_text_and_bindings(client: TestClient) -> None:
    body = client.get(
        "/queries/cq-011-current-owner", params={"relationship": "ex:rel-acme", "asOf": "2026-10-01", "explain": True}
    ).json()
    assert "SELECT" in body["sparql"]
    assert "<https://example.org/esimerkki/rel-acme>" in body["bindings"].values()


@pytest.mark.parametrize(
    ("params", "status"),
    [({}, 422), ({"asOf": "yesterday"}, 422), ({"asOf": "2026-10-01", "relationship": "no prefix"}, 422)],
)
def test_bad_parameters(client: TestClient, params: dict[str, str], status: int) -> None:
    response = client.get("/queries/cq-011-current-owner", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_unknown_query_is_404(client: TestClient) -> None:
    response = client.get("/queries/cq-999-nothing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
