"""The owner/leads hot path: pre-serialised JSON that still matches the documented models, and the
same answers on every store backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crmkg import lookup
from crmkg.api import schemas as s
from crmkg.config import Settings
from crmkg.errors import NotFound, UsageError
from crmkg.formats import RdfFormat
from crmkg.store import Store, open_store

AS_OF = dt.date(2026, 10, 1)
DATES = [dt.date(2024, 1, 1), dt.date(2025, 6, 30), AS_OF, dt.date(2027, 12, 31)]


def _relationships(store: Store) -> list[str]:
    result = store.select(
        "PREFIX akj: <https://w3id.org/crmkg/akj#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT DISTINCT ?r WHERE { ?r a/rdfs:subClassOf* akj:CustomerRelationship }"
    )
    return sorted(row["r"].value for row in result.dicts())


@pytest.fixture(scope="module")
def rdflib_copy(store: Store) -> Store:
    copy = open_store(backend="memory")
    copy.load(store.dump(RdfFormat.N_QUADS), RdfFormat.N_QUADS)
    return copy


@pytest.mark.parametrize("day", [DATES[0], AS_OF], ids=str)
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_hot_lookup_answers_alike_on_every_backend(
    store: Store, rdflib_copy: Store, day: dt.date, lang: str
) -> None:
    rels = _relationships(store)
    assert rels, "the test data has customer relationships"
    for iri in rels:
        on_oxigraph = lookup.current_responsibilities(store, iri, day, lang=lang)
        on_rdflib = lookup.current_responsibilities(rdflib_copy, iri, day, lang=lang)
        assert on_oxigraph == on_rdflib, iri


def test_the_hot_lookup_refuses_what_is_not_a_relationship(store: Store) -> None:
    with pytest.raises(NotFound):
        lookup.current_responsibilities(store, "https://example.org/esimerkki/acme", AS_OF)


@pytest.mark.parametrize(("path", "model"), [("owner", s.OwnersOut), ("leads", s.LeadsOut)])
@pytest.mark.parametrize("explain", [False, True])
def test_ready_json_is_the_documented_model(client: TestClient, path: str, model: Any, explain: bool) -> None:
    response = client.get(
        f"/relationships/ex:rel-acme/{path}", params={"as_of": AS_OF.isoformat(), "explain": str(explain).lower()}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    # Every field the model has, with the model's types: a round trip through it changes nothing.
    assert model.model_validate(body).model_dump(mode="json") == body
    assert (body["explain"] is not None) == explain
    assert body[path + "s" if path == "owner" else path], "rel-acme has a current owner and lead"


def test_openapi_still_documents_the_models(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, name in [("owner", "OwnersOut"), ("leads", "LeadsOut")]:
        ok = spec["paths"][f"/relationships/{{relationship}}/{path}"]["get"]["responses"]["200"]
        assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/" + name)


def test_etag_and_conditional_get(client: TestClient) -> None:
    url = "/relationships/ex:rel-acme/owner"
    first = client.get(url, params={"as_of": AS_OF.isoformat()})
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    again = client.get(url, params={"as_of": AS_OF.isoformat()}, headers={"If-None-Match": f'"x", W/{etag}'})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other_day = client.get(url, params={"as_of": "2024-01-01"}, headers={"If-None-Match": etag})
    assert other_day.status_code == 200  # another answer, so another tag
    assert client.get(url, params={"as_of": AS_OF.isoformat()}, headers={"If-None-Match": '"x"'}).status_code == 200


def test_writable_store_is_never_cached(client: TestClient) -> None:
    response = client.get("/relationships/ex:rel-acme/owner", params={"as_of": AS_OF.isoformat()})
    assert response.headers["x-crmkg-cache"] == "off"


def test_read_only_store_caches_the_same_answer(store: Store) -> None:
    from crmkg.api import create_app
    from crmkg.config import Settings
    from crmkg.store import open_store

    path = getattr(store, "path", None)
    assert path is not None, "the session store is on disk"
    read_only = open_store(path, read_only=True)
    try:
        with TestClient(create_app(Settings(), read_only)) as cached:
            for name in ("owner", "leads"):
                url = f"/relationships/ex:rel-acme/{name}"
                first = cached.get(url, params={"as_of": AS_OF.isoformat()})
                second = cached.get(url, params={"as_of": AS_OF.isoformat()})
                assert (first.headers["x-crmkg-cache"], second.headers["x-crmkg-cache"]) == ("miss", "hit")
                assert second.json() == first.json()
                assert second.headers["etag"] == first.headers["etag"]
                uncached = cached.get(url, params={"as_of": AS_OF.isoformat(), "explain": "true"})
                assert uncached.headers["x-crmkg-cache"] == "off"
                assert {k: v for k, v in uncached.json().items() if k != "explain"} == {
                    k: v for k, v in first.json().items() if k != "explain"
                }
            other = cached.get("/relationships/ex:rel-acme/owner", params={"as_of": "2024-01-01"})
            assert other.headers["x-crmkg-cache"] == "miss"
    finally:
        read_only.close()


def test_cache_size_setting(store: Store) -> None:
    from crmkg.api.cache import cache_for
    from crmkg.store import open_store

    read_only = open_store(getattr(store, "path", None), read_only=True)
    try:
        assert cache_for(read_only, Settings.from_env({"CRMKG_LOOKUP_CACHE": "0"}).lookup_cache) is None
        sized = cache_for(read_only, Settings.from_env({"CRMKG_LOOKUP_CACHE": "2"}).lookup_cache)
        assert sized is not None
        for k in range(3):
            sized.put(("owners", str(k), "d", "fi"), (b"{}", '"t"'))
        assert len(sized) == 2
        assert sized.get(("owners", "0", "d", "fi")) is None
        assert cache_for(store, 100) is None  # a writable store is never cached
        with pytest.raises(UsageError):
            Settings.from_env({"CRMKG_LOOKUP_CACHE": "many"})
        with pytest.raises(UsageError):
            Settings.from_env({"CRMKG_LOOKUP_CACHE": "-1"})
    finally:
        read_only.close()


FAST_PATH_URLS = [
    "/relationships/ex:rel-acme/owner?as_of=2026-10-01",
    "/relationships/ex:rel-acme/leads?as_of=2026-10-01",
    "/relationships/ex:rel-acme/owner?as_of=2024-01-01&lang=en",
    "/relationships/ex:rel-acme/owner",
    "/relationships/https%3A%2F%2Fexample.org%2Fesimerkki%2Frel-acme/owner?as_of=2026-10-01",
    "/relationships/ex:rel-acme/owner?as_of=2026-10-01&explain=true",
    "/relationships/ex:rel-acme/owner?as_of=2026-10-01&as_of=2025-01-01",
    "/relationships/ex:rel-acme/owner?as_of=2026-13-01",
    "/relationships/ex:rel-acme/owner?as_of=",
    "/relationships/ex:rel-acme/owner?lang=not_a_tag",
    "/relationships/ex:rel-acme/owner?other=1",
    "/relationships/ex:no-such-relationship/owner",
    "/relationships/ex:acme/leads",
    "/relationships/rel-acme/owner",
    "/relationships/ex:a%20b/owner",
    "/relationships/ex:rel-acme/owner/owner",
]


@pytest.fixture(scope="module")
def fast_and_routed(store: Store) -> Iterator[tuple[TestClient, TestClient]]:
    """An app with the fast path and one without, over the same store, shared by the URL cases:
    each app starts its own query workers, and the store is writable, so no answer is cached
    between cases (every response says ``x-crmkg-cache: off``)."""
    from crmkg.api import create_app

    with (
        TestClient(create_app(Settings(), store)) as fast,
        TestClient(create_app(Settings(), store, fast_path=False)) as routed,
    ):
        yield fast, routed


@pytest.mark.parametrize("url", FAST_PATH_URLS)
def test_fast_path_answers_exactly_as_the_route(fast_and_routed: tuple[TestClient, TestClient], url: str) -> None:
    fast, routed = fast_and_routed
    got, want = fast.get(url), routed.get(url)
    assert got.status_code == want.status_code
    assert got.content == want.content
    for header in ("content-type", "content-length", "etag", "x-crmkg-cache"):
        assert got.headers.get(header) == want.headers.get(header), header
    tag = want.headers.get("etag")
    if tag:
        assert fast.get(url, headers={"If-None-Match": tag}).status_code == 304


def test_fast_path_takes_only_the_plain_case() -> None:
    from crmkg.api.fastpath import plain_question
    from crmkg.api.routers.relationships import CurrentQuestion

    def scope(path: str, query: str = "", method: str = "GET") -> dict[str, Any]:
        return {"type": "http", "method": method, "path": path, "query_string": query.encode(), "headers": []}

    taken = plain_question(scope("/relationships/ex:rel-acme/owner", "as_of=2026-10-01&lang=en"))
    assert taken == CurrentQuestion("owners", "ex:rel-acme", dt.date(2026, 10, 1), "en", False, None)
    unknown = plain_question(scope("/relationships/ex:no-such-relationship/leads"))
    assert unknown is not None  # plain: its 404 comes from the same answer as the route's
    assert unknown.holders == "leads"
    for path, query in [
        ("/relationships/ex:rel-acme/owner", "explain=true"),
        ("/relationships/ex:rel-acme/owner", "as_of=2026-02-30"),
        ("/relationships/ex:rel-acme/owner", "as_of=2026-10-01&as_of=2026-10-02"),
        ("/relationships/ex:rel-acme/parties", ""),
        ("/relationships/rel-acme/owner", ""),
    ]:
        assert plain_question(scope(path, query)) is None, (path, query)
    assert plain_question(scope("/relationships/ex:rel-acme/owner", method="POST")) is None


def test_fast_path_lets_a_bug_fail_loudly(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only crmkg's own errors become problem responses; anything else is a bug and is not hidden."""
    from crmkg.api import create_app, fastpath

    def broken(*_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(fastpath, "current_answer", broken)
    with TestClient(create_app(Settings(), store), raise_server_exceptions=False) as client:
        response = client.get("/relationships/ex:rel-acme/owner")
    assert response.status_code == 500
