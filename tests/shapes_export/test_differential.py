"""The exported shapes give crmkg's findings in plain pyshacl and in Apache Jena SHACL (issue 14 §5).

Each engine runs as someone without crmkg would run it: the exported shapes file
(``crmkg shapes export``), a data graph of the data plus the exported ontology, no inference.
pyshacl is called with its own defaults (no crmkg engine code); Jena is Debian's
``libapache-jena-java`` through its ``shacl validate`` command (``scripts/jena_shacl.py``).
Findings are compared as multisets of (rule, focus node, component, path, value); the only
allowed differences are the ones listed in ``documented-differences.csv`` with their reason.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from crmkg.cli import main
from crmkg.validation import validate
from crmkg.validation.report import ValidationResult, path_key, term_key
from crmkg.validation.shacl_graph import results_from_graph

from ..conftest import AS_OF, REPO

HERE = Path(__file__).resolve().parent
Key = tuple[str, str, str, str, str]


def _module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


jena = _module("crmkg_scripts_jena_shacl", REPO / "scripts" / "jena_shacl.py")


def key(result: ValidationResult) -> Key:
    """What a finding is about, written the same whatever engine and parser made it."""
    value = result.value
    if isinstance(value, Literal) and value.datatype == XSD.string:
        value = Literal(str(value))  # RDF 1.1: a simple literal is an xsd:string; parsers differ in how they say so
    return (
        result.rule_id,
        term_key(result.focus_node),
        str(result.constraint_component),
        path_key(result.path),
        term_key(value),
    )


def documented() -> dict[tuple[str, str, str], str]:
    """(engine, rule, component) → the reason it may differ from crmkg."""
    with (HERE / "documented-differences.csv").open(encoding="utf-8") as handle:
        return {(r["engine"], r["rule"], r["component"]): r["reason"] for r in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("export")
    shapes, ontology = folder / "shapes.ttl", folder / "ontology.ttl"
    code = main(
        ["shapes", "export", "--as-of", AS_OF.isoformat(), "--lang", "en", "--out", str(shapes),
         "--ontology-out", str(ontology)]
    )  # fmt: skip
    assert code == 0
    return shapes, ontology


def _generated(folder: Path) -> Path:
    gen = _module("crmkg_bench_generate_export", REPO / "bench" / "generate.py")
    path = folder / "generated.nt"
    with path.open("w", encoding="utf-8") as out:
        gen.generate(out, relationships=24, seed=5, defects=0.7, defect_seed=11)
    return path


DATASETS = ["esimerkki", "esimerkki-broken", "generated"]


@pytest.fixture(scope="module", params=DATASETS)
def dataset(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Path]]:
    name = request.param
    if name == "generated":
        return name, [_generated(tmp_path_factory.mktemp("generated"))]
    folder = REPO / "examples" / name
    return name, [folder / "data" if (folder / "data").is_dir() else folder]


@pytest.fixture(scope="module")
def crmkg_keys(dataset: tuple[str, list[Path]]) -> Counter[Key]:
    return Counter(key(r) for r in validate(dataset[1], as_of=AS_OF).results)


@pytest.fixture(scope="module")
def data_graph(
    dataset: tuple[str, list[Path]], exported: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The data plus the exported ontology as one N-Triples file (what Jena's --data reads)."""
    graph = Graph()
    for path in dataset[1]:
        files = sorted(p for p in path.rglob("*") if p.suffix in (".ttl", ".nt")) if path.is_dir() else [path]
        for file in files:
            graph.parse(file)
    graph.parse(exported[1])
    out = tmp_path_factory.mktemp("data") / "data-and-ontology.nt"
    out.write_text(graph.serialize(format="nt"), encoding="utf-8")
    return out


def _compare(engine: str, found: Counter[Key], expected: Counter[Key]) -> None:
    allowed = documented()
    unexplained = [
        (k, sign)
        for diff, sign in ((found - expected, "extra"), (expected - found, "missing"))
        for k in diff
        if (engine, k[0], k[2].rsplit("#", 1)[-1]) not in allowed
    ]
    assert unexplained == [], f"{engine} differs from crmkg validate: {unexplained}"


def test_plain_pyshacl_gives_crmkgs_findings(
    exported: tuple[Path, Path], data_graph: Path, crmkg_keys: Counter[Key]
) -> None:
    import pyshacl

    shapes = Graph().parse(exported[0])
    data = Graph().parse(data_graph)
    conforms, results, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert isinstance(results, Graph)
    found = Counter(key(r) for r in results_from_graph(results, shapes))
    assert sum(crmkg_keys.values()) > 0 or conforms
    _compare("pyshacl", found, crmkg_keys)


@pytest.mark.java
@pytest.mark.slow
def test_apache_jena_shacl_gives_crmkgs_findings(
    exported: tuple[Path, Path], data_graph: Path, crmkg_keys: Counter[Key]
) -> None:
    if jena.classpath() is None:
        pytest.fail("Apache Jena is not installed: scripts/system-deps.sh installs libapache-jena-java")
    proc = jena.shacl(["validate", "--shapes", str(exported[0]), "--data", str(data_graph)], timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = Graph().parse(data=proc.stdout, format="turtle")
    shapes = Graph().parse(exported[0])
    assert list(report.objects(None, URIRef("http://www.w3.org/ns/shacl#conforms"))) == [Literal(not crmkg_keys)]
    found = Counter(key(r) for r in results_from_graph(report, shapes))
    _compare("jena", found, crmkg_keys)


def test_documented_differences_have_reasons() -> None:
    for (engine, rule, component), reason in documented().items():
        assert engine in ("pyshacl", "jena")
        assert rule
        assert component
        assert len(reason.split()) >= 8, f"{engine} {rule}: say why it differs"


def test_every_dataset_has_findings_to_compare(crmkg_keys: Counter[Key], dataset: tuple[str, list[Path]]) -> None:
    """The comparison means something only when crmkg finds things (the clean example has Infos)."""
    assert sum(crmkg_keys.values()) > 0, dataset[0]
