"""Issue 14 §7: the API tells a library error in the request's language (``?lang=`` >
``Accept-Language`` > the server's), on the owner/leads fast path and on the other routes."""

from __future__ import annotations

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
