"""The W3C SHACL test suite (core + sparql), read from pyshacl's source distribution.

The suite ships in pyshacl's sdist under ``test/resources/sht_tests/``. Setup fetches the installed
version's sdist from PyPI and unpacks the suite (``make test-suites``, scripts/fetch_test_suites.py);
the tests only read it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from crmkg.validation.fast.sparqltext import read_path

from .conftest import term_key

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
SH = Namespace("http://www.w3.org/ns/shacl#")

REPO = Path(__file__).resolve().parents[2]
#: Where setup unpacked the suite; CRMKG_TEST_CACHE overrides (read at collection time).
CACHE = Path(os.environ.get("CRMKG_TEST_CACHE") or REPO / ".cache" / "test-suites")


class SuiteUnavailable(RuntimeError):
    """Setup has not fetched the suite."""


def suite_root() -> Path:
    """``…/sht_tests`` of the installed pyshacl version, as setup unpacked it."""
    root = CACHE / f"pyshacl-{version('pyshacl')}" / "test" / "resources" / "sht_tests"
    if not (root / "manifest.ttl").is_file():
        raise SuiteUnavailable(f"{root} is missing: run `make test-suites` (setup fetches the W3C suites from PyPI)")
    return root


@dataclass(frozen=True)
class W3CTest:
    """One ``sht:Validate`` entry."""

    id: str
    entry: str
    file: Path
    data_file: Path
    shapes_file: Path
    expect_failure: bool


def _local(url: Node) -> Path:
    return Path(str(url).removeprefix("file://"))


def collect(root: Path) -> list[W3CTest]:
    """Every test of the manifests under ``root`` (following ``mf:include``), in file order."""
    out: list[W3CTest] = []
    todo = [root / "manifest.ttl"]
    seen: set[Path] = set()
    while todo:
        manifest = todo.pop(0)
        if manifest in seen:
            continue
        seen.add(manifest)
        g = Graph().parse(manifest, publicID=manifest.as_uri())
        for m in g.subjects(RDF.type, MF.Manifest):
            todo.extend(_local(inc) for inc in g.objects(m, MF.include))
            for lst in g.objects(m, MF.entries):
                for entry in Collection(g, lst):
                    out.extend(_entries(manifest, entry, g))
    return out


def _entries(file: Path, entry: Node, g: Graph) -> list[W3CTest]:
    if (entry, RDF.type, SHT.Validate) not in g:
        return []
    action = g.value(entry, MF.action)
    data, shapes = g.value(action, SHT.dataGraph), g.value(action, SHT.shapesGraph)
    result = g.value(entry, MF.result)
    test_id = str(entry).split("/sht_tests/")[-1]
    return [W3CTest(test_id, str(entry), file, _local(data), _local(shapes), result == SHT.Failure)]


Key = tuple[str, str, str, str, str, str]


def _t(node: Node | None, keep_bnodes: bool) -> str:
    return term_key(node, keep_bnodes)


def expected_keys(test: W3CTest, graph: Graph, keep_bnodes: bool) -> set[Key]:
    """The results the test's ``mf:result`` report lists."""
    report = graph.value(URIRef(test.entry), MF.result)
    keys: set[Key] = set()
    for r in graph.objects(report, SH.result):
        path_node = graph.value(r, SH.resultPath)
        path = "" if path_node is None else read_path(graph, path_node).value.n3()
        sev = graph.value(r, SH.resultSeverity)
        keys.add(
            (
                _t(graph.value(r, SH.focusNode), keep_bnodes),
                path,
                _t(graph.value(r, SH.value), keep_bnodes),
                _t(graph.value(r, SH.sourceShape), keep_bnodes),
                str(graph.value(r, SH.sourceConstraintComponent)),
                str(sev).removeprefix(str(SH)) if isinstance(sev, URIRef) else "",
            )
        )
    return keys


def conforms_expected(test: W3CTest, graph: Graph) -> bool | None:
    val = graph.value(graph.value(URIRef(test.entry), MF.result), SH.conforms)
    return bool(val.value) if isinstance(val, Literal) else None
