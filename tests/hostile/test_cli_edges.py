"""Edge values (dates and day windows) on every face: out of range is a usage error naming the
accepted range — exit 2 from the CLI, 422 (400 for the web pages) from the service — never a
traceback, an exit 1 (which CI reads as "findings") or a reset connection.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from crmkg.daterange import ACCEPTED_DATES, ACCEPTED_WINDOWS
from crmkg.errors import UsageError
from crmkg.validation import validate

from .servers import ORG, Server, crmkg_env, serving

REL = "ex:rel-kauppakulma-kiinteistohuolto"
EXAMPLE = "examples/esimerkki"


def _crmkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crmkg", *args], capture_output=True, text=True, env=crmkg_env(), timeout=300
    )


@pytest.mark.parametrize(
    ("args", "accepted"),
    [
        (["validate", EXAMPLE, "--as-of", "0001-01-01"], ACCEPTED_DATES),
        (["validate", EXAMPLE, "--as-of", "9999-12-31"], ACCEPTED_DATES),
        (["validate", EXAMPLE, "--follow-up-days", "99999999"], ACCEPTED_WINDOWS),
        (["validate", EXAMPLE, "--review-days", "-1"], ACCEPTED_WINDOWS),
        (["validate", EXAMPLE, "--changed", "x.ttl", "--previous", "p.json", "--as-of", "0001-01-01"], ACCEPTED_DATES),
        (["check", "--as-of", "0001-01-01", "--no-reasoner"], ACCEPTED_DATES),
        (["lookup", "ownership", "--as-of", "0001-01-01"], ACCEPTED_DATES),
        (["lookup", "owner", REL, "--as-of", "9999-12-31"], ACCEPTED_DATES),
        (["lookup", "leads", REL, "--as-of", "1899-12-31"], ACCEPTED_DATES),
        (["query", "cq-011-current-owner", "--as-of", "0001-01-01"], ACCEPTED_DATES),
        (["query", "cq-011-current-owner", "--param", "asOf=0001-01-01"], ACCEPTED_DATES),
        (["infer", "--as-of", "3000-01-01"], ACCEPTED_DATES),
    ],
)
def test_out_of_range_values_are_usage_errors(args: list[str], accepted: str) -> None:
    result = _crmkg(*args)
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert accepted in result.stderr
    assert "Traceback" not in result.stderr


def test_the_edges_of_the_range_are_accepted() -> None:
    for day in ("1900-01-01", "2999-12-31"):
        result = _crmkg("lookup", "owner", REL, "--as-of", day)
        assert result.returncode == 0, result.stderr
    result = _crmkg("validate", EXAMPLE, "--as-of", "2026-10-01", "--follow-up-days", "36500", "--review-days", "0")
    assert result.returncode in (0, 1), result.stderr  # ran: conforms or findings


def test_the_library_refuses_them_too() -> None:
    with pytest.raises(UsageError, match="1900-01-01 to 2999-12-31"):
        validate([EXAMPLE], as_of=dt.date(1, 1, 1))
    with pytest.raises(UsageError, match="36,500"):
        validate([EXAMPLE], as_of=dt.date(2026, 10, 1), follow_up_days=99_999_999)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serving(["--data", str(ORG)], crmkg_env()) as live:
        yield live


@pytest.mark.parametrize(
    "path",
    [
        "/relationships/ex:rel-acme/owner?as_of=0001-01-01",  # the fast path leaves it to the route
        "/relationships/ex:rel-acme/leads?as_of=9999-12-31",
        "/relationships/ex:rel-acme?as_of=0001-01-01",
        "/relationships?as_of=0001-01-01",
        "/relationships/ex:rel-acme/history?from=0001-01-01",
        "/relationships/ex:rel-acme/history?to=9999-12-31",
        "/agents/ex:post-sales-director/relationships?as_of=0001-01-01",
        "/queries/cq-011-current-owner?asOf=0001-01-01",
    ],
)
def test_routes_answer_422_with_the_range(server: Server, path: str) -> None:
    response = httpx.get(server.url + path, timeout=30)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert ACCEPTED_DATES in response.json()["detail"]


def test_validate_answers_422_and_keeps_the_connection(server: Server) -> None:
    with httpx.Client() as client:
        for _ in range(3):  # the same keep-alive connection: nothing is reset
            response = client.post(
                server.url + "/validate",
                params={"as_of": "0001-01-01"},
                content=ORG.read_bytes(),
                headers={"content-type": "text/turtle"},
                timeout=60,
            )
            assert response.status_code == 422
            assert ACCEPTED_DATES in response.json()["detail"]
        fine = client.post(
            server.url + "/validate",
            params={"as_of": "2999-12-31"},
            content=ORG.read_bytes(),
            headers={"content-type": "text/turtle"},
            timeout=60,
        )
        assert fine.status_code == 200


@pytest.mark.parametrize("path", ["/ui/relationships?as_of=0001-01-01", "/ui/dashboard?as_of=9999-12-31"])
def test_web_pages_answer_400_with_the_range(server: Server, path: str) -> None:
    response = httpx.get(server.url + path, timeout=30)
    assert response.status_code == 400
    assert ACCEPTED_DATES in response.text
