"""Property-based tests generated from the OpenAPI document (schemathesis).

Every operation gets random valid and invalid inputs; the run fails on any 5xx and on any response
that does not match the document (status code, content type, body schema). ``/validate`` runs the
SHACL engine (about a second a call), so it gets fewer examples. Set SCHEMATHESIS_EXAMPLES
for a deeper run (the default, 10, keeps the suite short; CRMKG_* names are cleared for tests).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy
from hypothesis.strategies._internal import regex as _regex
from schemathesis.checks import positive_data_acceptance

from crmkg.api import create_app
from crmkg.config import Settings
from crmkg.store import Store, open_store


def _memoised(build: Callable[..., SearchStrategy[Any]]) -> Callable[..., SearchStrategy[Any]]:
    """Hypothesis rebuilds a regex strategy for every operation (its own strategy cache misses on
    schemathesis' patterns), and the IRI pattern's wide character classes take seconds to build: about
    2 of the file's 2½ minutes went there. A strategy is an immutable description, so one built per
    (pattern, flags, alphabet) serves every operation alike; what is drawn from it does not change."""
    built: dict[tuple[object, ...], SearchStrategy[Any]] = {}

    def cached(regex: re.Pattern[str], *, parsed: object = None, alphabet: object) -> SearchStrategy[Any]:
        key = (regex.pattern, regex.flags, alphabet)
        if key not in built:
            built[key] = build(regex, parsed=parsed, alphabet=alphabet)
        return built[key]

    return cached


_regex.base_regex_strategy = _memoised(_regex.base_regex_strategy)  # type: ignore[assignment]

# The OpenAPI document does not depend on the data, so an empty store lists the operations.
_OPERATIONS = [
    (method.upper(), path)
    for path, item in create_app(Settings(), open_store()).openapi()["paths"].items()
    for method in item
]


def _loosely_typed(path: str) -> bool:
    return path in ("/sparql", "/validate", "/terms/hierarchy") or "{" in path or path.startswith("/queries/")


@pytest.fixture(scope="module")
def api_schema(store: Store) -> Any:
    # the heavy workers at the server's own priority: this checks answers against the schema, and a
    # niced worker on a busy machine can run the whole-store table past the 3 s limit (503)
    settings = Settings(query_timeout_s=3.0, max_rows=50, max_request_bytes=200_000, sparql_worker_nice=0)
    app = create_app(settings, store)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_operations_were_found() -> None:
    assert ("GET", "/relationships/{relationship}/owner") in _OPERATIONS
    assert ("POST", "/sparql") in _OPERATIONS
    assert len(_OPERATIONS) > 50


@pytest.mark.parametrize(("method", "path"), _OPERATIONS, ids=[f"{m} {p}" for m, p in _OPERATIONS])
def test_operation_matches_its_openapi_document(api_schema: Any, method: str, path: str) -> None:
    operation = api_schema[path][method]
    examples = 3 if path == "/validate" else int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))

    @given(data=st.data())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy())
        # "Schema-valid input is accepted" cannot hold where the schema is only an approximation:
        # a SPARQL query or an RDF body is a string that may not be SPARQL or RDF, and the IRI grammar
        # is wider than a pattern hypothesis generates faithfully. Every other check still applies.
        excluded = [positive_data_acceptance] if _loosely_typed(path) else []
        case.call_and_validate(excluded_checks=excluded)

    run()
