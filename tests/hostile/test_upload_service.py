"""``POST /validate`` against a live ``crmkg serve``: hostile uploads cost one request, never the server.

Documents nested past the input limits are refused (400, naming the limit and its setting) before
any parser sees them; what gets past the limits is parsed and validated in a child process, so a
parser that crashes or stalls (simulated: see :mod:`servers`) costs that one upload, and lookups
never wait behind it — with one server process and with two.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .documents import DEEP, jsonld_objects, rdfxml_attributes, rdfxml_elements
from .servers import (
    CRASH_MARKER,
    ORG,
    OWNER_PATH,
    STALL_MARKER,
    Server,
    crmkg_env,
    parser_faults,
    serving,
)

TURTLE = {"content-type": "text/turtle"}
GOOD = ORG.read_bytes()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server process whose parser crashes or stalls on marked documents."""
    env = crmkg_env(CRMKG_UPLOAD_TIMEOUT_S="20", **parser_faults(tmp_path_factory.mktemp("faults")))
    with serving(["--data", str(ORG)], env) as live:
        yield live


def _post(server: Server, body: bytes, content_type: str = "text/turtle", **params: str) -> httpx.Response:
    return httpx.post(
        server.url + "/validate", content=body, headers={"content-type": content_type}, params=params, timeout=60
    )


def _lookup_ok(server: Server) -> bool:
    response = httpx.get(server.url + OWNER_PATH, timeout=10)
    return response.status_code == 200 and bool(response.json()["owners"])


def _marked(marker: bytes) -> bytes:
    return GOOD + b"\n# " + marker + b"\n"


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_documents_are_refused_before_parsing(server: Server, name: str) -> None:
    media, _, build = DEEP[name]
    response = _post(server, build(20_000), media)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/input-limit")
    assert "64" in problem["detail"]
    assert "CRMKG_MAX_NESTING_DEPTH" in problem["detail"]
    assert server.alive()
    assert _lookup_ok(server)


def test_the_issues_documents_are_refused_quickly(server: Server) -> None:
    """The 56 KB JSON-LD that segfaulted the server and the 920 KB RDF/XML that froze it for 4.8 s."""
    issue = [(jsonld_objects(4_000), "application/ld+json"), (rdfxml_elements(20_000), "application/rdf+xml")]
    for body, media in issue:
        response = _post(server, body, media)
        assert response.status_code == 400
        assert response.json()["detail"].startswith("request body:1:")  # where the limit was passed
    assert server.alive()
    assert _lookup_ok(server)


def test_a_wide_xml_element_is_refused(server: Server) -> None:
    response = _post(server, rdfxml_attributes(100_000), "application/rdf+xml")
    assert response.status_code == 400
    assert "CRMKG_MAX_XML_ATTRIBUTES" in response.json()["detail"]
    assert "256" in response.json()["detail"]


def test_ordinary_nesting_is_validated(server: Server) -> None:
    for name in sorted(DEEP):
        media, _, build = DEEP[name]
        response = _post(server, build(20), media)
        assert response.status_code == 200, (name, response.text)
        assert "conforms" in response.json()


def test_a_parser_crash_costs_one_request(server: Server) -> None:
    response = _post(server, _marked(CRASH_MARKER))
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/upload-crashed")
    assert "SIGSEGV" in problem["detail"]
    assert server.alive()
    after = _post(server, GOOD, as_of="2026-10-01")
    assert after.status_code == 200
    assert after.json()["conforms"] is True
    assert _lookup_ok(server)


def test_lookups_do_not_wait_behind_an_upload(server: Server) -> None:
    """The upload's parser stalls for 4 s; lookups meanwhile answer at once."""
    outcome: dict[str, Any] = {}

    def upload() -> None:
        started = time.monotonic()
        outcome["status"] = _post(server, _marked(STALL_MARKER)).status_code
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=upload)
    thread.start()
    time.sleep(0.5)  # the upload is in its parser now
    slowest = 0.0
    with httpx.Client() as client:
        for _ in range(10):
            started = time.monotonic()
            assert client.get(server.url + OWNER_PATH, timeout=10).status_code == 200
            slowest = max(slowest, time.monotonic() - started)
    still_uploading = thread.is_alive()
    thread.join()
    assert still_uploading, "the lookups finished after the upload: they could have waited for it"
    assert outcome["status"] == 200
    assert outcome["seconds"] >= 4
    assert slowest < 1.0, f"a lookup took {slowest:.2f} s while an upload was being parsed"


def test_an_upload_past_its_time_is_stopped(tmp_path: Path) -> None:
    # A short TMPDIR: the fork server's socket lives there, and a Unix socket path has at most
    # 107 bytes (pytest-xdist's tmp_path is longer than that with the socket's own name).
    temporary = Path(tempfile.mkdtemp(prefix="crmkg-t"))
    env = crmkg_env(
        CRMKG_UPLOAD_TIMEOUT_S="1", CRMKG_TEST_STALL_S="30", TMPDIR=str(temporary), **parser_faults(tmp_path)
    )
    with serving(["--data", str(ORG)], env) as live:
        started = time.monotonic()
        response = _post(live, _marked(STALL_MARKER))
        assert response.status_code == 503
        assert "CRMKG_UPLOAD_TIMEOUT_S" in response.json()["detail"]
        assert time.monotonic() - started < 15
        assert live.alive()
        assert _lookup_ok(live)
        # the killed child's upload folder is gone too
        assert [p.name for p in temporary.iterdir() if p.name.startswith("crmkg-upload-")] == []
    shutil.rmtree(temporary, ignore_errors=True)


def test_no_parser_process_is_a_503_in_both_languages(tmp_path: Path) -> None:
    """A TMPDIR too deep for the fork server's Unix socket (at most 107 bytes): every upload answers 503
    upload-unavailable, told in the asker's language, leaves no upload folder behind, and the server goes on."""
    temporary = tmp_path / ("d" * 60) / ("e" * 60)
    temporary.mkdir(parents=True)
    with serving(["--data", str(ORG)], crmkg_env(TMPDIR=str(temporary))) as live:
        for language, words in (("en", "no parser process"), ("fi", "jäsennysprosessia ei saatu")):
            response = httpx.post(
                live.url + "/validate",
                content=GOOD,
                headers={**TURTLE, "accept-language": language},
                timeout=60,
            )
            assert response.status_code == 503, response.text
            problem = response.json()
            assert problem["type"].endswith("upload-unavailable"), problem
            assert words in problem["detail"], problem
        assert live.alive()
        assert _lookup_ok(live)
        assert [p.name for p in temporary.iterdir() if p.name.startswith("crmkg-upload-")] == []


def test_the_limits_are_settings(tmp_path: Path) -> None:
    deep = jsonld_objects(100)
    env = crmkg_env(CRMKG_MAX_NESTING_DEPTH="120")
    with serving(["--data", str(ORG)], env) as live:
        assert _post(live, deep, "application/ld+json").status_code == 200
        refused = _post(live, jsonld_objects(121), "application/ld+json")
        assert refused.status_code == 400
        assert "120" in refused.json()["detail"]
    with serving(["--data", str(ORG), "--max-nesting-depth", "16"], crmkg_env()) as live:
        refused = _post(live, jsonld_objects(20), "application/ld+json")
        assert refused.status_code == 400
        assert "16" in refused.json()["detail"]


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="--workers uses SO_REUSEPORT (Linux/BSD)")
def test_two_workers_survive_repeated_crashing_uploads(tmp_path: Path) -> None:
    env = crmkg_env(**parser_faults(tmp_path))
    with serving(["--data", str(ORG), "--workers", "2"], env) as live:
        statuses = []
        for _ in range(6):  # a fresh connection each: both processes get some
            with httpx.Client() as client:
                response = client.post(
                    live.url + "/validate", content=_marked(CRASH_MARKER), headers=TURTLE, timeout=60
                )
                statuses.append(response.status_code)
                deep = client.post(
                    live.url + "/validate",
                    content=jsonld_objects(4_000),
                    headers={"content-type": "application/ld+json"},
                    timeout=60,
                )
                statuses.append(deep.status_code)
        assert statuses == [500, 400] * 6
        assert live.alive()
        for _ in range(6):
            with httpx.Client() as client:
                assert client.get(live.url + OWNER_PATH, timeout=10).status_code == 200


def _assert_refused(response: httpx.Response, word: str) -> None:
    assert response.status_code == 400, response.text
    assert word in response.json()["detail"].lower()


def test_xml_entities_are_refused_and_never_fetched(server: Server, listener: Any) -> None:
    decls = [
        f'SYSTEM "http://127.0.0.1:{listener.port}/e"',
        '"boom"',
        f'PUBLIC "x" "http://127.0.0.1:{listener.port}/p"',
    ]
    for decl in decls:
        doc = (
            f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY e {decl}> ]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
            '<rdf:Description rdf:about="http://e/x"><ex:p>&e;</ex:p></rdf:Description></rdf:RDF>'
        )
        _assert_refused(_post(server, doc.encode(), "application/rdf+xml"), "entity")
    parameter = f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:{listener.port}/d"> %p;]><r/>'
    assert _post(server, parameter.encode(), "application/rdf+xml").status_code == 400
    assert listener.connections == []


def test_remote_json_ld_contexts_are_refused_and_never_fetched(server: Server, listener: Any) -> None:
    remote = f"http://127.0.0.1:{listener.port}/context.jsonld"
    docs = [
        f'{{"@context": "{remote}", "@id": "http://e/x", "name": "n"}}',
        f'{{"@context": ["{remote}"], "@id": "http://e/x", "name": "n"}}',
        f'{{"@context": {{"@import": "{remote}"}}, "@id": "http://e/x", "name": "n"}}',
        f'{{"@context": {{"p": {{"@id": "http://e/p", "@context": "{remote}"}}}}, "@id": "http://e/x", '
        '"p": {"q": 1}}',
    ]
    for doc in docs:
        assert _post(server, doc.encode(), "application/ld+json").status_code == 400
    assert listener.connections == []


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(["--data", str(ORG)], crmkg_env(CRMKG_VALIDATE_TOKEN="s3cret-token")) as live:
        yield live


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"authorization": "Bearer wrong"},
        {"authorization": "Bearer s3cret-toke"},
        {"authorization": "Bearer s3cret-token-and-more"},
        {"authorization": "Basic czNjcmV0LXRva2Vu"},
        {"authorization": "s3cret-token"},
        {"authorization": "Bearer"},
        {"x-authorization": "Bearer s3cret-token"},
        {"cookie": "token=s3cret-token"},
    ],
)
def test_the_bearer_token_cannot_be_bypassed(guarded: Server, headers: dict[str, str]) -> None:
    response = httpx.post(
        guarded.url + "/validate",
        params={"token": "s3cret-token", "access_token": "s3cret-token"},
        content=GOOD,
        headers={"content-type": "text/turtle", **headers},
        timeout=60,
    )
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
def test_the_right_token_is_accepted(guarded: Server, scheme: str) -> None:
    headers = {"content-type": "text/turtle", "authorization": f"{scheme} s3cret-token"}
    response = httpx.post(guarded.url + "/validate", content=GOOD, headers=headers, timeout=60)
    assert response.status_code == 200
