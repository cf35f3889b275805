"""Issue 14 §7: the API tells a library error in the request's language (``?lang=`` >
``Accept-Language`` > the server's), on the owner/leads fast path and on the other routes."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient

FINNISH = "ei ole aineistossa asiakkuus"
ENGLISH = "is not a customer relationship in the data"


@pytest.mark.parametrize(
    "path",
    ["/relationships/ex:no-such-rel/owner", "/relationships/ex:no-such-rel/leads", "/relationships/ex:no-such-rel"],
)
def test_a_404_speaks_the_request_s_language(client: TestClient, path: str) -> None:
    finnish = client.get(path, headers={"Accept-Language": "fi-FI,fi;q=0.9"})
    english = client.get(path, headers={"Accept-Language": "en-GB"})
    explicit = client.get(path, params={"lang": "fi"}, headers={"Accept-Language": "en"})
    for response in (finnish, english, explicit):
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    assert FINNISH in finnish.json()["detail"]
    assert ENGLISH in english.json()["detail"]
    assert FINNISH in explicit.json()["detail"]


def test_a_sparql_refusal_from_a_worker_speaks_finnish(client: TestClient) -> None:
    """The refusal is made in a SPARQL worker process; its message key and the phrase of its
    position cross to the parent, which tells them (and the problem's title) in the request's language."""
    query = "SELECT * WHERE {\n  SERVICE <http://example.org/sparql> { ?s ?p ?o }\n}"
    finnish = client.get("/sparql", params={"query": query}, headers={"Accept-Language": "fi"})
    english = client.get("/sparql", params={"query": query, "lang": "en"}, headers={"Accept-Language": "fi"})
    assert finnish.status_code == english.status_code == 403, finnish.text
    assert finnish.json()["title"] == "Kyselykäytäntö torjui kyselyn"
    assert finnish.json()["detail"].startswith("SERVICE (federoitu kysely, rivi 2, sarake 3) torjutaan")
    assert english.json()["title"] == "Refused by the query policy"
    assert english.json()["detail"].startswith("SERVICE (federated query, at line 2, column 3) is refused")


def test_a_sparql_update_and_a_syntax_error_in_finnish(client: TestClient) -> None:
    update = client.post(
        "/sparql",
        content=b"INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        headers={"content-type": "application/sparql-update", "Accept-Language": "fi"},
    )
    assert update.status_code == 403
    assert update.json()["detail"] == "SPARQL Update torjutaan: tähän päätepisteeseen ei voi kirjoittaa"
    syntax = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p $ }", "lang": "fi"})
    assert syntax.status_code == 400
    assert syntax.json()["title"] == "SPARQL-syntaksivirhe"
    assert "merkin '$' jälkeen on tultava muuttujan nimi (rivi 1, sarake 24)" in syntax.json()["detail"]


def test_the_api_s_own_problems_in_finnish(client: TestClient) -> None:
    media = client.post("/validate", content=b"x", headers={"content-type": "text/csv", "Accept-Language": "fi"})
    assert media.status_code == 415
    assert media.json()["title"] == "Muotoa ei tueta"
    assert (
        media.json()["detail"] == "text/csv: lähetä Turtlea, N-Triplesiä, N-Quadsia, TriGiä, JSON-LD:tä tai RDF/XML:ää"
    )
    empty = client.post("/validate", content=b"", headers={"content-type": "text/turtle"}, params={"lang": "fi"})
    assert (empty.status_code, empty.json()["detail"]) == (400, "lähetä tarkistettava RDF-aineisto pyynnön rungossa")
    missing = client.get("/no/such/route", headers={"Accept-Language": "fi"})
    assert (missing.status_code, missing.json()["title"]) == (404, "Ei löytynyt")


def test_nothing_acceptable_in_the_request_s_language(client: TestClient) -> None:
    """The worker negotiates; the parent tells the 406 in the request's language."""
    query = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}
    finnish = client.get("/sparql", params=query, headers={"Accept": "image/png", "Accept-Language": "fi"})
    english = client.get("/sparql", params=query, headers={"Accept": "image/png", "Accept-Language": "en"})
    assert finnish.status_code == english.status_code == 406
    assert finnish.json()["detail"].startswith("mitään hyväksytyistä mediatyypeistä ei voi kirjoittaa")
    assert english.json()["detail"].startswith("none of the accepted media types can be written for this answer")
    assert "application/sparql-results+json" in finnish.json()["detail"]


def test_a_client_over_its_lookup_turns_is_told_in_finnish() -> None:
    """The refusal counts the client's queries in each language's form ('1 hakukysely', '2 hakukyselyä')."""
    from crmkg.api.sparql.gate import ThreadGate
    from crmkg.errors import QueryOverLimit

    for per_client, finnish, english in (
        (1, "1 hakukysely", "1 lookup query"),
        (2, "2 hakukyselyä", "2 lookup queries"),
    ):
        gate = ThreadGate(per_client, waiting=0)
        with ExitStack() as held:
            for _ in range(per_client):
                held.enter_context(gate.turn("c", 1.0))
            with pytest.raises(QueryOverLimit) as caught, gate.turn("c", 0.1):
                pass
        assert f"tällä asiakkaalla on jo käynnissä {finnish} (CRMKG_LOOKUP_PER_CLIENT)" in caught.value.localised("fi")
        assert f"this client already runs {english} at once" in str(caught.value)


def test_a_client_over_its_sparql_turns_is_told_in_finnish() -> None:
    import asyncio

    from crmkg.api.sparql.gate import ClientGate
    from crmkg.errors import QueryOverLimit

    async def second_query() -> QueryOverLimit:
        gate = ClientGate(1)
        async with gate.turn("c", 1.0):
            with pytest.raises(QueryOverLimit) as caught:
                async with gate.turn("c", 0.05):
                    pass
        return caught.value

    error = asyncio.run(second_query())
    assert "käynnissä 1 SPARQL-kysely (CRMKG_SPARQL_PER_CLIENT)" in error.localised("fi")
    assert "already runs 1 SPARQL query at once" in str(error)


def test_an_invalid_request_s_title_in_finnish(client: TestClient) -> None:
    response = client.get(
        "/relationships/ex:x/owner", params={"as_of": "not-a-date"}, headers={"Accept-Language": "fi"}
    )
    assert response.status_code == 422
    assert response.json()["title"] == "Virheellinen pyyntö (parametri ei kelpaa)"
