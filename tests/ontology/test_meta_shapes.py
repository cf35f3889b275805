"""(e) The ontology meets its own QA shapes, and each broken fixture fails the expected shape.

Expected findings are in data/qa/expected-findings.tsv and are compared as sets of
(focus node, source node shape, constraint component, severity).
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from crmkg.validation.sparql_cache import install as install_sparql_cache

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
MODULES = [REPO / "ontology" / n for n in ("akj-core.ttl", "akj-schemes.ttl", "akj-align.ttl")]
META_SHAPES = REPO / "shapes" / "meta" / "akj-ontology-qa.ttl"
QA = HERE / "data" / "qa"
PREFIXES = {
    "akj:": "https://w3id.org/crmkg/akj#",
    "akjsh:": "https://w3id.org/crmkg/shapes#",
    "sh:": str(SH),
}

Finding = tuple[str, str, str, str]


def _expand(token: str) -> str:
    if token.startswith("<") and token.endswith(">"):
        return token[1:-1]
    for prefix, namespace in PREFIXES.items():
        if token.startswith(prefix):
            return namespace + token[len(prefix) :]
    return token


def _expected() -> dict[str, set[Finding]]:
    table: dict[str, set[Finding]] = {}
    for line in (QA / "expected-findings.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fixture, *cols = line.split("\t")
        findings = table.setdefault(fixture, set())
        if cols[0] != "-":
            focus, shape, component, severity = (_expand(c) for c in cols)
            findings.add((focus, shape, component, severity))
    return table


@pytest.fixture(scope="module")
def shapes() -> Graph:
    install_sparql_cache()  # pyshacl re-parses SPARQL per focus node otherwise
    return Graph().parse(META_SHAPES)


def _findings(data: Graph, shapes: Graph) -> set[Finding]:
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    found: set[Finding] = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        if isinstance(shape, BNode):  # a property shape: name its node shape instead
            shape = shapes.value(None, SH.property, shape)
        assert isinstance(shape, URIRef)
        found.add(
            (
                str(report.value(result, SH.focusNode)),
                str(shape),
                str(report.value(result, SH.sourceConstraintComponent)),
                str(report.value(result, SH.resultSeverity)),
            )
        )
    return found


def test_ontology_passes_its_meta_shapes(shapes: Graph) -> None:
    data = Graph()
    for path in MODULES:
        data.parse(path)
    assert _findings(data, shapes) == set()


EXPECTED = _expected()


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_fixture_gives_expected_findings(shapes: Graph, fixture: str) -> None:
    data = Graph().parse(QA / fixture)
    assert _findings(data, shapes) == EXPECTED[fixture]


def test_every_shape_carries_bilingual_messages(shapes: Graph) -> None:
    for holder, message in shapes.subject_objects(SH.message):
        del message
        langs = sorted(m.language for m in shapes.objects(holder, SH.message))  # type: ignore[attr-defined]
        assert langs == ["en", "fi"], holder
