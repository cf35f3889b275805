"""SPARQL sees what the API sees (issue 14 §6) for ``crmkg serve --store DIR`` too: the derived
shortcuts are computed for today when the server starts, and again by every ``crmkg load`` into
the served store — in the same generation as the loaded data, so the server switches to both."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

from crmkg import resources
from crmkg.store import open_store
from crmkg.store.generations import current_name

from .servers import ORG, Server, crmkg_env, serving

HANDOVER = Path(__file__).resolve().parent / "data" / "handover.ttl"
AKJ = "PREFIX akj: <https://w3id.org/crmkg/akj#>\nPREFIX ex: <https://example.org/esimerkki/>\n"


def _crmkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crmkg", *args], capture_output=True, text=True, env=crmkg_env(), timeout=600
    )


def _select(client: httpx.Client, server: Server, query: str) -> set[str]:
    response = client.get(
        server.url + "/sparql", params={"query": AKJ + query}, headers={"accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    return {b["x"]["value"] for b in response.json()["results"]["bindings"]}


def _owners(client: httpx.Client, server: Server, rel: str) -> set[str]:
    response = client.get(f"{server.url}/relationships/{rel}/owner")  # today, as the derived graph
    assert response.status_code == 200, response.text
    return {o["assignee"]["iri"] for o in response.json()["owners"]}


def test_served_store_derives_at_start_and_after_each_load(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    loaded = _crmkg("load", *map(str, resources.ontology_files()), str(ORG), "--store", str(store))
    assert loaded.returncode == 0, loaded.stderr
    assert "derived again" not in loaded.stderr  # a plain store: crmkg load derives nothing into it
    with serving(["--store", str(store)], crmkg_env()) as server, httpx.Client(timeout=60) as client:
        acme = _owners(client, server, "ex:rel-acme")
        assert acme
        assert _select(client, server, "SELECT ?x WHERE { ex:rel-acme akj:hasOwner ?x }") == acme
        graphs = _select(client, server, "SELECT DISTINCT ?x WHERE { GRAPH ?x { ?r akj:hasOwner ?o } }")
        assert graphs == {"urn:crmkg:graph:inferred"}
        assert _select(client, server, "SELECT ?x WHERE { ex:rel-gamma akj:hasOwner ?x }") == set()

        result = _crmkg("load", str(HANDOVER), "--store", str(store))
        assert result.returncode == 0, result.stderr
        assert "derived again" in result.stderr
        new_acme = _owners(client, server, "ex:rel-acme")
        assert new_acme != acme  # the handover happened (2026-09-01, before today)
        assert _select(client, server, "SELECT ?x WHERE { ex:rel-acme akj:hasOwner ?x }") == new_acme
        gamma = _owners(client, server, "ex:rel-gamma")
        assert _select(client, server, "SELECT ?x WHERE { ex:rel-gamma akj:hasOwner ?x }") == gamma
        assert gamma


def test_a_restart_on_the_same_day_writes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "kg"
    assert _crmkg("load", *map(str, resources.ontology_files()), str(ORG), "--store", str(store)).returncode == 0
    with serving(["--store", str(store)], crmkg_env()):
        pass
    first = current_name(store)
    with serving(["--store", str(store)], crmkg_env()):
        pass
    assert current_name(store) == first  # the derived graph was already for today
    reader = open_store(store, read_only=True)
    try:
        from crmkg.derived import derived_day

        assert derived_day(reader) is not None
    finally:
        reader.close()
