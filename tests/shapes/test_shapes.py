"""Data shapes S1–S27: every example conforms, every counter-example fails as its header says.

Each file under ``valid/`` and ``invalid/`` starts with comment lines::

    # shape: S5
    # expect: sh:SPARQLConstraintComponent akjsh:S05-OneCurrentOwner sh:Violation [ex:focus]
    # as-of: 2026-10-01

A valid file must produce no result from the shape under test (any shape carrying that S-id) and no
Violation from any shape. An invalid file must produce every expected (source shape, component,
severity[, focus]) among its results.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

HERE = Path(__file__).resolve().parent
VALID = sorted((HERE / "valid").glob("*.ttl"))
INVALID = sorted((HERE / "invalid").glob("*.ttl"))


def _describe(results: list[Any]) -> str:
    return (
        "\n".join(f"  {r.shape_id or '?'} {r.shape} {r.component} {r.severity} focus={r.focus}" for r in results)
        or "  (no results)"
    )


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_fixture_conforms(path: Path, run_fixture: Callable[..., Any]) -> None:
    header, results = run_fixture(path)
    assert not header.expectations, f"{path.name}: a valid fixture must not carry '# expect:' lines"
    own = [r for r in results if r.shape_id == header.shape_id]
    violations = [r for r in results if r.severity == SH.Violation]
    assert not own, f"{path.name}: shape {header.shape_id} reported:\n{_describe(own)}"
    assert not violations, f"{path.name}: Violations from other shapes:\n{_describe(violations)}"


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_fails_as_expected(
    path: Path, run_fixture: Callable[..., Any], shapes_graph: Graph, header_of: Callable[..., Any]
) -> None:
    header, results = run_fixture(path)
    assert header.expectations, f"{path.name}: an invalid fixture needs at least one '# expect:' line"
    ids = {str(s): str(o) for s, o in shapes_graph.subject_objects(URIRef("https://w3id.org/crmkg/shapes#shapeId"))}
    for want in header.expectations:
        # The expectation must be about the shape the header names, so a fixture cannot pass on a neighbour.
        assert ids.get(str(want.shape)) == header.shape_id, (
            f"{path.name}: expected shape {want.shape} does not carry S-id {header.shape_id}"
        )
        assert any(r.matches(want) for r in results), (
            f"{path.name}: expected {want.shape} {want.component} {want.severity} "
            f"focus={want.focus}; got:\n{_describe(results)}"
        )


def test_every_shape_id_has_valid_and_invalid_fixtures(shapes_graph: Graph, header_of: Callable[..., Any]) -> None:
    declared = {str(o) for o in shapes_graph.objects(None, URIRef("https://w3id.org/crmkg/shapes#shapeId"))}
    valid = {header_of(p).shape_id for p in VALID}
    invalid = {header_of(p).shape_id for p in INVALID}
    assert declared - valid == set(), f"S-ids without a conforming example: {sorted(declared - valid)}"
    assert declared - invalid == set(), f"S-ids without a counter-example: {sorted(declared - invalid)}"
    assert (valid | invalid) <= declared, f"fixtures name unknown S-ids: {sorted((valid | invalid) - declared)}"


def test_fixture_names_match_their_shape(header_of: Callable[..., Any]) -> None:
    for path in [*VALID, *INVALID]:
        sid = header_of(path).shape_id
        prefix = path.stem.rsplit("-", 1)[0]
        # S5 -> S05, S13a -> S13a
        number = "".join(ch for ch in sid[1:] if ch.isdigit())
        suffix = sid[1 + len(number) :]
        assert prefix == f"S{int(number):02d}{suffix}", f"{path.name} is named for {prefix}, header says {sid}"
