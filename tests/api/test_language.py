"""The one language rule over HTTP (issue 14 §7): ``?lang=`` > ``Accept-Language`` > ``CRMKG_LANG`` >
the server's locale, the same in every route (the hot owner/leads fast path included) and in the
web pages; term search answers in the language of the label that matched unless ``lang`` is given."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from crmkg.api.state import server_language
from crmkg.config import Settings
from crmkg.errors import UsageError
from crmkg.store import Store

from .conftest import make_client
from .test_validate import BROKEN

OWNER = "/relationships/ex:rel-acme/owner"
FINNISH = {"Accept-Language": "fi-FI, fi;q=0.9, en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB, fi;q=0.2"}


def _owner_label(client: TestClient, **kwargs: object) -> str:
    response = client.get(OWNER, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    assert "Accept-Language" in response.headers.get("vary", "")
    return str(response.json()["owners"][0]["assignee"]["label"])


@pytest.mark.parametrize(
    ("settings", "locale", "headers", "params", "chosen"),
    [
        ({}, "C.UTF-8", {}, {}, "Key account director"),  # no CRMKG_LANG, a non-Finnish locale: English
        ({}, "fi_FI.UTF-8", {}, {}, "Avainasiakasjohtaja"),  # the server's locale
        ({"lang": "en"}, "fi_FI.UTF-8", {}, {}, "Key account director"),  # CRMKG_LANG outranks the locale
        ({"lang": "en"}, "C.UTF-8", FINNISH, {}, "Avainasiakasjohtaja"),  # Accept-Language outranks CRMKG_LANG
        ({"lang": "fi"}, "C.UTF-8", {"Accept-Language": "de, sv"}, {}, "Avainasiakasjohtaja"),  # nothing we speak
        ({"lang": "fi"}, "C.UTF-8", FINNISH, {"lang": "en"}, "Key account director"),  # ?lang= outranks all
    ],
)
def test_the_rule_on_the_hot_path_and_the_route(
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    settings: dict[str, str],
    locale: str,
    headers: dict[str, str],
    params: dict[str, str],
    chosen: str,
) -> None:
    monkeypatch.setenv("LANG", locale)
    with make_client(store, **settings) as client:
        assert _owner_label(client, headers=headers, params=params) == chosen  # the fast path
        # explain=true is not plain, so the FastAPI route answers: the same rule, the same label
        assert _owner_label(client, headers=headers, params={**params, "explain": "true"}) == chosen


@pytest.mark.parametrize(
    ("path", "params", "english", "finnish"),
    [
        ("/relationships", {}, "ACME relationship", "ACME-asiakkuus"),
        ("/relationships/ex:rel-acme/parties", {}, "ACME procurement", "ACME:n hankinta"),
        ("/relationships/ex:rel-acme/history", {}, "Key account director", "Avainasiakasjohtaja"),
        ("/agents/ex:post-kad/relationships", {}, "ACME relationship", "ACME-asiakkuus"),
        ("/parties/ex:acme/relationships", {}, "ACME relationship", "ACME-asiakkuus"),
        ("/terms/hierarchy", {"kind": "property"}, '"payer"', '"maksaja"'),
    ],
)
def test_every_route_negotiates_the_language(
    client: TestClient, path: str, params: dict[str, str], english: str, finnish: str
) -> None:
    """Why: the API ignored Accept-Language and always answered in CRMKG_LANG (default Finnish)."""
    fi = client.get(path, params=params, headers=FINNISH)
    en = client.get(path, params=params, headers=ENGLISH)
    assert fi.status_code == en.status_code == 200, (fi.text, en.text)
    assert finnish in fi.text
    assert finnish not in en.text
    assert english in en.text
    assert english not in fi.text


def test_a_term_card_speaks_the_negotiated_language(client: TestClient) -> None:
    assert client.get("/terms/akj:hasPayer", headers=FINNISH).json()["label"] == "maksaja"
    assert client.get("/terms/akj:hasPayer", headers=ENGLISH).json()["label"] == "payer"


def test_term_search_answers_in_the_language_that_matched(client: TestClient) -> None:
    """Why: searching "payer" showed the Finnish card."""
    for q, label in (("payer", "payer"), ("maksaja", "maksaja")):
        for headers in (FINNISH, ENGLISH):
            hit = client.get("/terms/search", params={"q": q}, headers=headers).json()["hits"][0]
            assert hit["curie"] == "akj:hasPayer"
            assert hit["label"] == label
    # an explicit lang decides both what matches and what is shown
    hits = client.get("/terms/search", params={"q": "maksaja", "lang": "en"}).json()["hits"]
    assert all(h["match"]["lang"] == "en" for h in hits)


def test_validate_messages_follow_accept_language(client: TestClient) -> None:
    messages = {}
    for lang, headers in (("fi", FINNISH), ("en", ENGLISH)):
        response = client.post("/validate", content=BROKEN, headers={"Content-Type": "text/turtle", **headers})
        assert response.status_code == 200, response.text
        messages[lang] = {r["message"] for r in response.json()["results"]}
    assert messages["fi"]
    assert messages["fi"].isdisjoint(messages["en"])


def test_a_bad_crmkg_lang_is_refused_at_start_naming_the_variable() -> None:
    with pytest.raises(UsageError, match="CRMKG_LANG"):
        Settings.from_env({"CRMKG_LANG": "sv"})
    assert Settings.from_env({"CRMKG_LANG": "FI"}).lang == "fi"


def test_the_server_default_is_the_locale_when_crmkg_lang_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "fi_FI.UTF-8")
    assert server_language(Settings()) == "fi"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert server_language(Settings()) == "en"
    assert server_language(Settings(lang="fi")) == "fi"


def test_history_role_names_follow_the_language(client: TestClient) -> None:
    """Issue 15 §8: the history names each role as a reader of the language calls it."""
    for headers, names in (
        (FINNISH, {"owner": "omistaja", "lead": "asiakkuusvastaava"}),
        (ENGLISH, {"owner": "owner", "lead": "lead"}),
    ):
        body = client.get("/relationships/ex:rel-acme/history", headers=headers).json()
        rows = body["assignments"] + body["handovers"]
        assert rows
        assert all(r["role_label"] == names[r["role"]] for r in rows), rows
