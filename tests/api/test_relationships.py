"""The relationship lookups through the test client, against expected answers in data/expected/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

DATA = Path(__file__).resolve().parent / "data"

CASES = json.loads((DATA / "expected" / "lookups.json").read_text("utf-8"))["cases"]
EX = "https://example.org/esimerkki/"


def _pluck(item: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        item = None if item is None else item[key]
    return item


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_lookup_answers(client: TestClient, case: dict[str, Any]) -> None:
    response = client.get(case["get"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    got = {tuple(_pluck(item, f) for f in case["fields"]) for item in _pluck(response.json(), case["list"])}
    assert got == {tuple(row) for row in case["rows"]}


@pytest.mark.parametrize(
    "form",
    [
        "ex:rel-acme",
        EX + "rel-acme",
        "<" + EX + "rel-acme>",
        quote(EX + "rel-acme", safe=""),
    ],
    ids=["curie", "iri", "angle-iri", "percent-encoded"],
)
def test_identifier_forms_name_the_same_relationship(client: TestClient, form: str) -> None:
    response = client.get(f"/relationships/{form}/owner", params={"as_of": "2026-10-01"})
    assert response.status_code == 200, response.text
    assert response.json()["relationship"]["iri"] == EX + "rel-acme"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/relationships/ex:no-such-relationship/owner", 404),
        ("/relationships/ex:acme", 404),  # exists, but is a party, not a relationship
        ("/relationships/ex:no-such/history", 404),
        ("/agents/ex:nobody/relationships", 404),
        ("/parties/ex:nobody/relationships", 404),
        ("/relationships/zz:rel-1/owner", 404),  # an unknown prefix reads as an IRI scheme
        ("/relationships/rel-acme/owner", 422),
        ("/relationships/ex:a%20b/owner", 422),
        ("/relationships/ex:rel-acme/owner?as_of=2026-13-01", 422),
        ("/agents/ex:maija/relationships?role=sponsor", 422),
    ],
)
def test_errors_are_problem_json(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://w3id.org/crmkg/problems/")
    assert body["detail"]


def test_explain_returns_the_sparql_that_ran(client: TestClient) -> None:
    plain = client.get("/relationships/ex:rel-acme/owner", params={"as_of": "2026-10-01"}).json()
    assert plain["explain"] is None
    body = client.get("/relationships/ex:rel-acme/owner", params={"as_of": "2026-10-01", "explain": "true"}).json()
    names = [q["name"] for q in body["explain"]["queries"]]
    # the person behind each current owner and lead: one more query per assignee, the assignee bound
    assert names[0] == "relationship-current"
    assert set(names[1:]) == {"accountable"}
    asked = [q["bindings"]["assignee"] for q in body["explain"]["queries"][1:]]
    assert len(asked) == len(set(asked))
    assert {f"<{r['assignee']['iri']}>" for r in body["owners"]} <= set(asked)
    current = body["explain"]["queries"][0]
    assert "akj:assignmentFor" in current["sparql"]
    assert current["bindings"]["relationship"] == f"<{EX}rel-acme>"
    assert current["bindings"]["asOf"].startswith('"2026-10-01"^^')


def test_default_as_of_is_today(client: TestClient) -> None:
    import datetime as dt

    body = client.get("/relationships/ex:rel-acme/owner").json()
    assert body["as_of"] == dt.date.today().isoformat()


def test_an_owning_post_names_the_person_accountable_behind_it(client: TestClient) -> None:
    body = client.get("/relationships/ex:rel-acme/owner", params={"as_of": "2026-10-01"}).json()
    (owner,) = body["owners"]
    assert owner["assignee"]["iri"] == f"{EX}post-kad"
    # Maija holds the post (an undated org:holds: held throughout), so she is accountable
    assert [(a["person"]["iri"], a["basis"], a["since"]) for a in owner["accountable"]] == [
        (f"{EX}maija", "post-holder", None)
    ]
    assert owner["accountable_reason"] is None
    lead = client.get("/relationships/ex:rel-acme/leads", params={"as_of": "2026-10-01"}).json()["leads"][0]
    assert [(a["person"]["iri"], a["basis"]) for a in lead["accountable"]] == [(f"{EX}liisa", "person-owner")]
