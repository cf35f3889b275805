"""The web app through the TestClient: every page renders, in both languages, safely."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from crmkg import lookup
from crmkg.config import Settings
from crmkg.formats import RdfFormat
from crmkg.i18n import message as core_message
from crmkg.loading import parse_bytes
from crmkg.store import Store, open_store

from .conftest import AS_OF, create_app, expected_handovers

REL = "ex:rel-kauppakulma-kiinteistohuolto"
PAGES = [
    "/",
    "/ui/relationships",
    f"/ui/relationship?id={REL}&as_of={AS_OF}",
    "/ui/agent?id=ex:sari-laine",
    "/ui/agent?id=ex:palvelut-myynti",
    "/ui/organisation",
    "/ui/customers",
    "/ui/customer?id=ex:jarvilinnan-kaupunki",
    f"/ui/dashboard?as_of={AS_OF}",
    "/ui/terms",
    "/ui/terms?q=kayttaja",
    "/ui/term?id=akj:hasPayer",
    "/ui/term?id=akjsh:S01-Provider",
    "/ui/validate",
    "/ui/queries",
    f"/ui/queries/cq-011?run=1&relationship={REL}&asOf={AS_OF}",
    "/ui/sparql",
    "/ontology/",
    "/docs",
    "/redoc",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_a_strict_policy(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)
    assert script_src is not None
    assert script_src.group(1).strip() == "'self'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text), "inline script"
    assets = re.findall(r'<script[^>]*\bsrc="([^"]*)"', response.text)
    assets += re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]*)"', response.text)
    assert assets
    assert all(a.startswith("/static/") for a in assets), assets


@pytest.mark.parametrize("path", ["/", "/ui/relationships", "/ui/terms", "/ui/validate"])
def test_the_language_follows_lang_then_accept_language_then_the_setting(client: TestClient, path: str) -> None:
    assert '<html lang="en">' in client.get(path, params={"lang": "en"}).text
    assert '<html lang="fi">' in client.get(path, params={"lang": "fi"}).text
    assert '<html lang="en">' in client.get(path, headers={"Accept-Language": "sv;q=1, en-GB;q=0.8, fi;q=0.5"}).text
    assert '<html lang="fi">' in client.get(path, headers={"Accept-Language": "fi-FI, en;q=0.9"}).text


def test_crmkg_lang_is_the_default(store: Store) -> None:
    with TestClient(create_app(Settings(lang="en"), store)) as english:
        assert '<html lang="en">' in english.get("/").text
        assert '<html lang="fi">' in english.get("/", headers={"Accept-Language": "fi"}).text


def test_the_switch_links_to_the_same_page_in_the_other_language(client: TestClient) -> None:
    page = client.get("/ui/relationships", params={"lang": "fi", "q": "siivous"}).text
    switch = re.search(r'<a class="lang" href="([^"]+)"', page)
    assert switch is not None
    target = switch.group(1).replace("&amp;", "&")
    assert target.startswith("/ui/relationships?")
    assert "q=siivous" in target
    assert "lang=en" in target
    assert '<html lang="en">' in client.get(target).text


def _listed(client: TestClient, **params: str) -> list[str]:
    found: list[str] = []
    page = 1
    while True:
        text = client.get("/ui/relationships", params={**params, "page": str(page)}).text
        found += re.findall(r'class="rel-link" href="/ui/relationship\?id=([^&"]+)', text)
        if 'rel="next"' not in text:
            return [lookup_iri(i) for i in found]
        page += 1


def lookup_iri(encoded: str) -> str:
    from urllib.parse import unquote

    return unquote(encoded)


def test_the_list_pages_through_every_relationship(client: TestClient, store: Store) -> None:
    import datetime as dt

    every = {a.relationship.iri for a in lookup.ownership_table(store, dt.date.fromisoformat(AS_OF))}
    listed = _listed(client, as_of=AS_OF)
    assert len(listed) == len(set(listed))
    assert set(listed) == every


def test_the_owner_filter_matches_the_library(client: TestClient, store: Store) -> None:
    import datetime as dt

    day = dt.date.fromisoformat(AS_OF)
    post = "https://example.org/esimerkki/post-palvelut-myyntijohtaja"
    expected = {
        a.relationship.iri for a in lookup.ownership_table(store, day) if any(o.assignee.iri == post for o in a.owners)
    }
    assert expected, "the example has relationships owned by this post"
    assert set(_listed(client, as_of=AS_OF, owner=post)) == expected
    # the holder of the post finds the same relationships
    assert set(_listed(client, as_of=AS_OF, owner="ex:sari-laine")) >= expected


def test_the_text_filter_and_the_scope_filter(client: TestClient, store: Store) -> None:
    import datetime as dt

    day = dt.date.fromisoformat(AS_OF)
    answers = lookup.ownership_table(store, day)
    expected = {a.relationship.iri for a in answers if "siivous" in a.relationship.label.casefold()}
    assert set(_listed(client, as_of=AS_OF, q="SIIVOUS")) == expected
    external = set(_listed(client, as_of=AS_OF, scope="external"))
    assert external < {a.relationship.iri for a in answers}


@pytest.mark.parametrize(("relationship", "handovers"), sorted(expected_handovers().items()))
def test_the_timeline_marks_every_handover(
    client: TestClient, relationship: str, handovers: set[tuple[str, str]]
) -> None:
    page = client.get("/ui/relationship", params={"id": relationship, "as_of": AS_OF}).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    marks = re.findall(r'<g class="handover" data-role="(\w+)">\s*<title>[^<]*?(\d{4}-\d{2}-\d{2})', svg)
    assert set(marks) == handovers
    assert len(marks) == len(handovers)


def test_the_relationship_page_names_owner_lead_and_the_person_behind_the_post(client: TestClient) -> None:
    page = client.get("/ui/relationship", params={"id": REL, "as_of": "2025-06-30", "lang": "en"}).text
    owner = page[page.index('class="current-owner"') :]
    owner = owner[: owner.index("</dd>")]
    assert "post-palvelut-myyntijohtaja" in owner
    assert "sari-laine" in owner
    lead = page[page.index('class="current-lead"') :]
    assert "timo-jarvinen" in lead[: lead.index("</dd>")]
    later = client.get("/ui/relationship", params={"id": REL, "as_of": AS_OF}).text
    lead = later[later.index('class="current-lead"') :]
    assert "katja-lehtonen" in lead[: lead.index("</dd>")]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_history_names_roles_as_the_cli_does(client: TestClient, lang: str) -> None:
    """Why: the page called the lead 'vastaava' where the CLI and the API say 'asiakkuusvastaava'."""
    page = client.get("/ui/relationship", params={"id": REL, "as_of": AS_OF, "lang": lang}).text
    shown = set(re.findall(r'<td class="role-(owner|lead)">([^<]+)</td>', page))
    assert shown  # the relationship has handovers
    assert shown == {(role, core_message(f"role.{role}", lang)) for role, _ in shown}


def test_labels_from_the_data_are_escaped() -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    literal = '"' + hostile.replace("\\", "\\\\").replace('"', '\\"') + '"@fi'
    turtle = f"""@prefix akj: <https://w3id.org/crmkg/akj#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <https://example.org/x/rel> a akj:CustomerRelationship ; rdfs:label {literal} ."""
    store = open_store()
    from crmkg import resources
    from crmkg.loading import load

    load(store, resources.ontology_files())
    store.add_quads(parse_bytes(turtle.encode(), RdfFormat.TURTLE, source="test"))
    with TestClient(create_app(Settings(), store)) as hostile_client:
        for path in ("/ui/relationships", "/ui/relationship?id=" + quote("https://example.org/x/rel")):
            text = hostile_client.get(path).text
            assert "<script>alert" not in text
            assert "<img src=x" not in text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_bad_input_gets_an_error_page_not_a_traceback(client: TestClient) -> None:
    response = client.get("/ui/relationship", params={"id": "ex:no-such-relationship"})
    assert response.status_code == 404
    assert 'role="alert"' in response.text
    response = client.get("/ui/relationships", params={"as_of": "2026-13-45"})
    assert response.status_code == 400
    assert "as_of" in response.text
    assert client.get("/ui/relationship", params={"id": "not an iri"}).status_code == 400


def test_a_resource_link_goes_to_the_page_for_what_it_is(client: TestClient) -> None:
    cases = {REL: "/ui/relationship", "ex:sari-laine": "/ui/agent", "akj:hasPayer": "/ui/term"}
    for iri, page in cases.items():
        response = client.get("/ui/resource", params={"id": iri}, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith(page + "?")


def test_the_person_behind_a_post_follows_dated_tenures() -> None:
    from crmkg import resources
    from crmkg.loading import load

    turtle = b"""@prefix akj: <https://w3id.org/crmkg/akj#> . @prefix org: <http://www.w3.org/ns/org#> .
    @prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix x: <https://example.org/x/> .
    x:rel a akj:CustomerRelationship ; rdfs:label "Suhde"@fi .
    x:post a org:Post ; rdfs:label "Tehtava"@fi ; org:postIn x:unit .
    x:unit a org:OrganizationalUnit ; rdfs:label "Yksikko"@fi ; org:unitOf x:company .
    x:anna a foaf:Person ; foaf:name "Anna" .   x:ben a foaf:Person ; foaf:name "Ben" .
    x:t1 a akj:PostTenure ; akj:tenurePost x:post ; akj:tenureHolder x:anna ;
        akj:startDate "2024-01-01"^^xsd:date ; akj:endDate "2025-06-30"^^xsd:date .
    x:t2 a akj:PostTenure ; akj:tenurePost x:post ; akj:tenureHolder x:ben ; akj:startDate "2025-07-01"^^xsd:date .
    x:a1 a akj:ResponsibilityAssignment ; akj:assignmentFor x:rel ; akj:responsibilityRole akj:OwnerRole ;
        akj:assignee x:post ; akj:startDate "2024-01-01"^^xsd:date .
    """
    store = open_store()
    load(store, resources.ontology_files())
    store.add_quads(parse_bytes(turtle, RdfFormat.TURTLE, source="test"))
    with TestClient(create_app(Settings(), store)) as dated:
        for day, holder, other in (("2025-01-01", "anna", "ben"), ("2026-01-01", "ben", "anna")):
            page = dated.get("/ui/relationship", params={"id": "https://example.org/x/rel", "as_of": day}).text
            owner = page[page.index('class="current-owner"') :]
            owner = owner[: owner.index("</dd>")]
            assert f"x%2F{holder}" in owner
            assert f"x%2F{other}" not in owner
            tree = dated.get("/ui/organisation", params={"as_of": day}).text
            assert set(re.findall(r'class="holder" href="[^"]*x%2F(\w+)', tree)) == {holder}
