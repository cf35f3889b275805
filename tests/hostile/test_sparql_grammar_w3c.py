"""The policy's parser against the W3C SPARQL 1.1 syntax tests (syntax-query, syntax-fed) and the engine.

Every positive test parses; a negative test is refused by our grammar or, for the rules the
grammar leaves to the engine (variable scope, aggregates with GROUP BY), by Oxigraph's own parse —
never admitted by both. So the policy reads the language the engine accepts.
"""

from __future__ import annotations

import tarfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from crmkg.errors import QuerySyntaxError
from crmkg.sparql.parser import parse

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SUITES = ("syntax-query", "syntax-fed")
#: Positive tests of rdflib's copy that the recommendation's grammar does not allow (and Oxigraph refuses).
NOT_IN_THE_GRAMMAR = {"qname-escape-01.rq": "'\\:' is not a PN_LOCAL_ESC of SPARQL 1.1 (§19.8 [173])"}


@pytest.fixture(scope="module")
def syntax_tests(rdflib_sdist: Path) -> list[tuple[str, bool, str]]:
    """(file name, positive?, query text) for every query syntax test of the suites."""
    root = rdflib_sdist.name.removesuffix(".tar.gz") + "/test/data/suites/w3c/sparql11/"
    found: list[tuple[str, bool, str]] = []
    with tarfile.open(rdflib_sdist) as tar:

        def read(name: str) -> bytes:
            member = tar.extractfile(root + name)
            assert member is not None
            return member.read()

        for suite in SUITES:
            manifest = Graph().parse(
                data=read(f"{suite}/manifest.ttl"), format="turtle", publicID=f"http://example.org/{suite}/"
            )
            for test, kind in manifest.subject_objects(RDF.type):
                name = str(kind).rsplit("#", 1)[-1]
                if name not in ("PositiveSyntaxTest11", "NegativeSyntaxTest11"):
                    continue
                action = str(manifest.value(test, URIRef(MF + "action")))
                file_name = action.rsplit("/", 1)[-1]
                found.append((file_name, name.startswith("Positive"), read(f"{suite}/{file_name}").decode("utf-8")))
    assert len(found) > 80
    return found


def _engine_parses(text: str) -> bool:
    try:
        ox.Store().query(text, base_iri="http://example.org/")
    except SyntaxError:
        return False
    except Exception:  # parsed, then failed to run (nothing to run against): it was accepted
        return True
    return True


def _we_parse(text: str) -> bool:
    try:
        parse(text)
    except QuerySyntaxError:
        return False
    return True


def test_positive_syntax_tests_parse(syntax_tests: list[tuple[str, bool, str]]) -> None:
    wrong = [name for name, positive, text in syntax_tests if positive and not _we_parse(text)]
    assert sorted(wrong) == sorted(NOT_IN_THE_GRAMMAR)
    assert all(not _engine_parses(text) for name, _, text in syntax_tests if name in NOT_IN_THE_GRAMMAR)


def test_negative_syntax_tests_are_never_admitted_by_both(syntax_tests: list[tuple[str, bool, str]]) -> None:
    negatives = [(name, text) for name, positive, text in syntax_tests if not positive]
    assert negatives
    admitted = [name for name, text in negatives if _we_parse(text) and _engine_parses(text)]
    assert admitted == []
