"""Helpers for the data-shape tests: fixture headers and one validation run per fixture and engine.

Data graph = fixture + ``ontology/akj-*.ttl`` + ``ontology/imports/external-hierarchy.ttl``, as asserted
(``inference="none"``: the shapes must not need an RL closure). Shapes graph = ``shapes/akj-shapes/*.ttl``
with the date placeholders filled in by the validation engine's own substitution
(``crmkg.validation.parameters``), so the tests exercise the same text the engine runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from crmkg.validation import validate_graph
from crmkg.validation.parameters import ValidationParameters, substitute
from crmkg.validation.report import path_key

REPO = Path(__file__).resolve().parents[2]
SHAPES_DIR = REPO / "shapes" / "akj-shapes"
ONTOLOGY_DIR = REPO / "ontology"
HIERARCHY_FILE = ONTOLOGY_DIR / "imports" / "external-hierarchy.ttl"
FIXTURE_DIR = Path(__file__).resolve().parent

AKJSH = Namespace("https://w3id.org/crmkg/shapes#")
# Prefixes the "# expect:" lines may use; a full <IRI> works too.
HEADER_PREFIXES = {
    "sh": str(SH),
    "akjsh": str(AKJSH),
    "ex": "https://example.org/esimerkki/",
    "akj": "https://w3id.org/crmkg/akj#",
}
SEVERITIES = {SH.Violation, SH.Warning, SH.Info}


class FixtureHeaderError(ValueError):
    """A fixture's comment header is missing a key or names something unknown."""


@dataclass(frozen=True)
class Expectation:
    component: URIRef
    shape: URIRef
    severity: URIRef
    focus: URIRef | None = None


@dataclass(frozen=True)
class Header:
    shape_id: str
    as_of: dt.date
    expectations: tuple[Expectation, ...]


@dataclass(frozen=True)
class Result:
    shape: Node
    shape_id: str | None
    component: Node
    severity: Node
    focus: Node
    path: str = ""

    def matches(self, want: Expectation) -> bool:
        return (
            self.shape == want.shape
            and self.component == want.component
            and self.severity == want.severity
            and (want.focus is None or self.focus == want.focus)
        )


def _term(token: str, path: Path) -> URIRef:
    if token.startswith("<") and token.endswith(">"):
        return URIRef(token[1:-1])
    prefix, sep, local = token.partition(":")
    if not sep or prefix not in HEADER_PREFIXES:
        raise FixtureHeaderError(f"{path.name}: cannot expand {token!r} (known prefixes: {sorted(HEADER_PREFIXES)})")
    return URIRef(HEADER_PREFIXES[prefix] + local)


def parse_header(path: Path) -> Header:
    """Read the leading ``# key: value`` comment lines of a fixture file."""
    values: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].strip().partition(":")
        if sep:
            values.setdefault(key.strip(), []).append(value.strip())
    for key in ("shape", "as-of"):
        if len(values.get(key, [])) != 1:
            raise FixtureHeaderError(f"{path.name}: needs exactly one '# {key}:' header line")
    expectations = []
    for raw in values.get("expect", []):
        tokens = raw.split()
        if len(tokens) not in (3, 4):
            raise FixtureHeaderError(f"{path.name}: '# expect:' wants <component> <shape> <severity> [<focus>]")
        component, shape, severity = (_term(t, path) for t in tokens[:3])
        if severity not in SEVERITIES:
            raise FixtureHeaderError(f"{path.name}: unknown severity {tokens[2]}")
        focus = _term(tokens[3], path) if len(tokens) == 4 else None
        expectations.append(Expectation(component, shape, severity, focus))
    try:
        as_of = dt.date.fromisoformat(values["as-of"][0])
    except ValueError as exc:
        raise FixtureHeaderError(f"{path.name}: bad '# as-of:' date: {exc}") from None
    return Header(values["shape"][0], as_of, tuple(expectations))


def fixture_files(kind: str) -> list[Path]:
    return sorted((FIXTURE_DIR / kind).glob("*.ttl"))


@lru_cache(maxsize=1)
def raw_shapes() -> Graph:
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path)
    return graph


@lru_cache(maxsize=4)
def shapes_for(as_of: dt.date) -> Graph:
    return substitute(raw_shapes(), ValidationParameters.for_date(as_of))


@lru_cache(maxsize=1)
def base_data() -> Graph:
    """Ontology modules plus the ORG/FOAF class hierarchy: what every fixture is validated with."""
    modules = sorted(ONTOLOGY_DIR.glob("akj-*.ttl"))
    if not modules:
        raise FileNotFoundError(f"no ontology modules in {ONTOLOGY_DIR}")
    if not HIERARCHY_FILE.is_file():
        raise FileNotFoundError(f"{HIERARCHY_FILE} is missing: sh:class checks need the ORG/FOAF hierarchy")
    graph = Graph()
    for module in [*modules, HIERARCHY_FILE]:
        graph.parse(module)
    return graph


def shape_ids(shapes: Graph) -> dict[Node, str]:
    return {s: str(o) for s, o in shapes.subject_objects(AKJSH.shapeId)}


#: Both engines run every fixture: pyshacl (the reference) and the compiled set-based engine.
ENGINES = ("pyshacl", "fast")


def validate_data(data: Graph, as_of: dt.date, engine: str = "pyshacl") -> list[Result]:
    """Run every data shape over ``data`` (no inference) through crmkg's validation engine."""
    report = validate_graph(data, shapes=SHAPES_DIR, as_of=as_of, engine=engine)
    return [
        Result(
            shape=r.source_shape if r.source_shape is not None else BNode(),
            shape_id=r.shape_id,
            component=r.constraint_component,
            severity=r.severity.iri,
            focus=r.focus_node,
            path=str(r.path) if isinstance(r.path, URIRef) else path_key(r.path),
        )
        for r in report.results
    ]


def validate_fixture(path: Path, engine: str = "pyshacl") -> tuple[Header, list[Result]]:
    header = parse_header(path)
    data = Graph()
    data += base_data()
    data.parse(path, format="turtle")
    return header, validate_data(data, header.as_of, engine)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def run_fixture(engine: str) -> Callable[[Path], tuple[Header, list[Result]]]:
    return lambda path: validate_fixture(path, engine)


@pytest.fixture
def header_of() -> Callable[[Path], Header]:
    return parse_header


@pytest.fixture
def shapes_graph() -> Graph:
    """The shapes graph as committed (placeholders not yet substituted)."""
    return raw_shapes()


@pytest.fixture
def substituted_shapes() -> Callable[[dt.date], Graph]:
    return shapes_for


@pytest.fixture
def validate(engine: str) -> Callable[[Graph, dt.date], list[Result]]:
    return lambda data, as_of: validate_data(data, as_of, engine)


@pytest.fixture
def base_graph() -> Graph:
    """Ontology + hierarchy, to be copied into a data graph (do not modify)."""
    return base_data()
