"""Validation in the browser: uploads, the loaded data, downloads, limits and the token."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from crmkg.config import Settings
from crmkg.store import Store

from .conftest import AS_OF, BROKEN, create_app, expected_broken_findings


def _upload(client: TestClient, **form: str) -> object:
    files = [("files", (p.name, p.read_bytes(), "text/turtle")) for p in sorted(BROKEN.glob("*.ttl"))]
    return client.post("/ui/validate", data={"as_of": AS_OF, **form}, files=files, follow_redirects=False)


def test_uploading_the_broken_example_shows_its_documented_findings(client: TestClient) -> None:
    response = _upload(client)
    assert response.status_code == 303
    page_url = response.headers["location"]
    page = client.get(page_url).text
    expected = expected_broken_findings()
    report_id = re.search(r"/ui/validate/report/([^?.]+)", page_url).group(1)  # type: ignore[union-attr]
    data = json.loads(client.get(f"/ui/validate/report/{report_id}.json").text)
    found = {(r["shapeId"], r["focusNode"]["value"]) for r in data["results"]}
    assert found == expected
    summary = re.search(r'id="report-summary"[^>]*>([^<]*)', page).group(1)  # type: ignore[union-attr]
    assert str(len(data["results"])) in summary
    assert page.count('<tr class="finding">') == len(data["results"])
    # grouped by shape: one section per shape id, each finding linking to its focus node's page
    groups = set(re.findall(r'<section class="shape-group"[^>]*>\s*<h3[^>]*>.*?>(S[0-9a-z]+)</a>', page))
    assert groups == {shape for shape, _ in expected}
    assert "/ui/resource?id=https%3A%2F%2Fexample.org%2Fesimerkki%2Frel-" in page


def test_downloads_come_as_json_sarif_and_turtle(client: TestClient) -> None:
    location = _upload(client).headers["location"]  # type: ignore[attr-defined]
    report_id = re.search(r"/ui/validate/report/([^?.]+)", location).group(1)  # type: ignore[union-attr]
    sarif = json.loads(client.get(f"/ui/validate/report/{report_id}.sarif").text)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"]
    turtle = client.get(f"/ui/validate/report/{report_id}.ttl")
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "ValidationReport" in turtle.text
    assert client.get(f"/ui/validate/report/{report_id}.exe").status_code == 404
    assert client.get("/ui/validate/report/not-a-report").status_code == 404


def test_validating_the_loaded_data_enables_the_findings_filter(store: Store) -> None:
    with TestClient(create_app(Settings(), store)) as fresh:
        assert "findings-note" in fresh.get("/ui/relationships").text
        response = fresh.post(
            "/ui/validate", data={"source": "loaded", "as_of": AS_OF}, files={"x": ("", b"")}, follow_redirects=False
        )
        assert response.status_code == 303
        assert "findings-note" not in fresh.get("/ui/relationships").text
        with_findings = fresh.get("/ui/relationships", params={"findings": "yes", "as_of": AS_OF}).text
        without = fresh.get("/ui/relationships", params={"findings": "no", "as_of": AS_OF}).text
        every = fresh.get("/ui/relationships", params={"as_of": AS_OF}).text

        def count(text: str) -> int:
            return int(re.search(r'id="result-count">(\d+)', text).group(1))  # type: ignore[union-attr]

        assert count(with_findings) + count(without) == count(every)


def test_uploads_are_size_limited_and_need_the_token_when_one_is_set(store: Store) -> None:
    with TestClient(create_app(Settings(max_request_bytes=2_000), store)) as small:
        assert _upload(small).status_code == 413  # type: ignore[attr-defined]
    with TestClient(create_app(Settings(validate_token="s3cret"), store)) as guarded:
        assert _upload(guarded).status_code == 401  # type: ignore[attr-defined]
        assert _upload(guarded, token="wrong").status_code == 401  # type: ignore[attr-defined]
        assert _upload(guarded, token="s3cret").status_code == 303  # type: ignore[attr-defined]


def test_a_syntax_error_names_the_file_and_line(client: TestClient) -> None:
    files = [("files", ("bad.ttl", b"@prefix ex: <https://example.org/> .\nex:a ex:b ex:c ex:d .\n", "text/turtle"))]
    response = client.post("/ui/validate", data={"as_of": AS_OF}, files=files)
    assert response.status_code == 400
    assert "bad.ttl" in response.text
    assert ":2" in response.text
    assert "Traceback" not in response.text


def test_get_never_validates(store: Store) -> None:
    with TestClient(create_app(Settings(), store)) as fresh:
        for path in ("/ui/validate?source=loaded", "/ui/validate/report/x", "/ui/relationships?findings=yes"):
            fresh.get(path)
        assert fresh.app.state.crmkg_web.loaded_report() is None  # type: ignore[attr-defined]
        assert "findings-note" in fresh.get("/ui/relationships").text
        assert fresh.get("/ui/validate", params={"source": "loaded"}).status_code == 200
