"""The shapes graph itself: SHACL-SHACL, naming, bilingual messages, S-ids, parameters, SPARQL syntax."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

AKJSH = Namespace("https://w3id.org/crmkg/shapes#")
README = Path(__file__).resolve().parents[2] / "shapes" / "README.md"
PLACEHOLDER = re.compile(r"\$(today|planFollowUpSince|situationReviewSince|ownerGapDays)\b")
# Constraint parameters that make a shape produce results of its own (SHACL Core).
CORE_PARAMETERS = {
    SH[n]
    for n in [
        "class",
        "datatype",
        "nodeKind",
        "minCount",
        "maxCount",
        "minExclusive",
        "minInclusive",
        "maxExclusive",
        "maxInclusive",
        "minLength",
        "maxLength",
        "pattern",
        "languageIn",
        "uniqueLang",
        "equals",
        "disjoint",
        "lessThan",
        "lessThanOrEquals",
        "not",
        "and",
        "or",
        "xone",
        "node",
        "qualifiedValueShape",
        "closed",
        "hasValue",
        "in",
    ]
}
TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
EXPECTED_IDS = (
    {f"S{n}" for n in range(1, 32) if n not in (13, 20, 22, 25, 28)}
    | {
        "S28a",
        "S28b",
        "S13a",
        "S13b",
        "S20a",
        "S20b",
        "S22a",
        "S22b",
    }
    | {f"S{n}" for n in range(40, 50)}
)  # issue 15 §1–§3 (engineer `domain`: S40–S45), §4–§7 (`domain2`: S46–S49)


def _shapes(g: Graph) -> set[Node]:
    """Every top-level shape: a targeted shape and every shape it names with sh:property."""
    top = {s for p in TARGETS for s in g.subjects(p, None)}
    return top | {o for s in top for o in g.objects(s, SH.property)}


def _langs(g: Graph, node: Node, prop: URIRef) -> list[str | None]:
    return [o.language if isinstance(o, Literal) else None for o in g.objects(node, prop)]


def test_shapes_graph_passes_meta_shacl(shapes_graph: Graph) -> None:
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes_graph, meta_shacl=True, inference="none")
    assert conforms, text


def test_every_shape_is_named_identified_labelled_and_graded(shapes_graph: Graph) -> None:
    problems = []
    for shape in sorted(_shapes(shapes_graph), key=str):
        if isinstance(shape, BNode):
            problems.append(f"blank-node shape under {list(shapes_graph.subjects(SH.property, shape))}")
            continue
        name = shape.n3(shapes_graph.namespace_manager)
        sid = shapes_graph.value(shape, AKJSH.shapeId)
        if sid is None or not re.fullmatch(r"S\d{1,2}[ab]?", str(sid)):
            problems.append(f"{name}: no akjsh:shapeId")
        elif not str(shape).startswith(str(AKJSH) + f"S{int(re.sub('[ab]', '', str(sid)[1:])):02d}"):
            problems.append(f"{name}: IRI does not start with its S-id {sid}")
        if sorted(_langs(shapes_graph, shape, RDFS.label), key=str) != ["en", "fi"]:
            problems.append(f"{name}: needs exactly one rdfs:label in fi and one in en")
        if len(list(shapes_graph.objects(shape, SH.severity))) != 1:
            problems.append(f"{name}: needs exactly one sh:severity")
    assert not problems, "\n".join(problems)


def test_messages_are_bilingual_where_results_are_made(shapes_graph: Graph) -> None:
    """Shapes with own Core constraints and every SPARQL constraint carry sh:message in fi and en;
    a node shape that only groups property shapes or SPARQL constraints carries none (no duplicates)."""
    problems = []
    for shape in _shapes(shapes_graph):
        name = shape.n3(shapes_graph.namespace_manager)
        own = any(shapes_graph.value(shape, p) is not None for p in CORE_PARAMETERS)
        langs = sorted(_langs(shapes_graph, shape, SH.message), key=str)
        if own and langs != ["en", "fi"]:
            problems.append(f"{name}: needs one sh:message in fi and one in en, has {langs}")
        if not own and langs:
            problems.append(f"{name}: has no Core constraint of its own, so sh:message would duplicate")
        if not own and sorted(_langs(shapes_graph, shape, RDFS.comment), key=str) != ["en", "fi"]:
            problems.append(f"{name}: describe it with rdfs:comment in fi and en")
    for constraint in shapes_graph.objects(None, SH.sparql):
        langs = sorted(_langs(shapes_graph, constraint, SH.message), key=str)
        owner = next(shapes_graph.subjects(SH.sparql, constraint)).n3(shapes_graph.namespace_manager)
        if langs != ["en", "fi"]:
            problems.append(f"SPARQL constraint of {owner}: needs sh:message in fi and en, has {langs}")
    assert not problems, "\n".join(problems)


def test_all_shape_ids_are_present(shapes_graph: Graph) -> None:
    found = {str(o) for o in shapes_graph.objects(None, AKJSH.shapeId)}
    assert found == EXPECTED_IDS, f"missing {sorted(EXPECTED_IDS - found)}, unexpected {sorted(found - EXPECTED_IDS)}"


def test_declared_parameters_match_the_placeholders_used(shapes_graph: Graph) -> None:
    problems = []
    for shape in _shapes(shapes_graph):
        used = set()
        for constraint in shapes_graph.objects(shape, SH.sparql):
            used |= {"$" + m.group(1) for m in PLACEHOLDER.finditer(str(shapes_graph.value(constraint, SH.select)))}
        declared = {str(o) for o in shapes_graph.objects(shape, AKJSH.parameter)}
        if used != declared:
            problems.append(f"{shape}: uses {sorted(used)}, declares {sorted(declared)}")
    assert not problems, "\n".join(problems)


def test_substituted_queries_have_no_placeholders_and_parse(
    shapes_graph: Graph, substituted_shapes: Callable[[dt.date], Graph]
) -> None:
    filled = substituted_shapes(dt.date(2026, 10, 1))
    prefixes = "".join(
        f"PREFIX {filled.value(d, SH.prefix)}: <{filled.value(d, SH.namespace)}>\n"
        for d in filled.objects(None, SH.declare)
    )
    selects = list(filled.objects(None, SH.select))
    assert len(selects) == len(list(shapes_graph.objects(None, SH.select))) > 0
    for text in selects:
        assert not PLACEHOLDER.search(str(text)), str(text)
        prepareQuery(prefixes + str(text))
    assert any('"2026-07-03"^^<http://www.w3.org/2001/XMLSchema#date>' in str(t) for t in selects)
    assert any('"2026-04-04"^^<http://www.w3.org/2001/XMLSchema#date>' in str(t) for t in selects)
    assert any('"0"^^<http://www.w3.org/2001/XMLSchema#integer>' in str(t) for t in selects)


def test_readme_table_lists_every_shape(shapes_graph: Graph) -> None:
    text = README.read_text(encoding="utf-8")
    top = {s for p in TARGETS for s in shapes_graph.subjects(p, None)}
    names = [s.n3(shapes_graph.namespace_manager) for s in top]
    missing = sorted(n for n in names if n not in text)
    assert not missing, f"shapes/README.md does not mention {missing}"


def test_each_shape_lives_in_one_area_file() -> None:
    """The shapes folder is one graph split by area: every file parses alone, no shape spans two files,
    and a shape's file is the one the README's area table names for it."""
    from crmkg import resources

    files = resources.shapes_files()
    assert {p.stem for p in files} == {
        "header",
        "relationships",
        "assignments",
        "plans",
        "organisation",
        "management",
        "customer-data",
    }
    owner: dict[Node, str] = {}
    clashes = []
    for path in files:
        graph = Graph().parse(path)
        for subject in set(graph.subjects()):
            if isinstance(subject, URIRef) and str(subject).startswith(str(AKJSH)):
                if subject in owner and (subject, RDFS.label, None) in graph:
                    clashes.append(f"{subject} described in {owner[subject]} and {path.name}")
                if (subject, RDFS.label, None) in graph:
                    owner[subject] = path.name
    assert not clashes, clashes
    # the header carries the graph header and annotation properties only, no shapes
    header = Graph().parse(resources.shapes_dir() / "header.ttl")
    assert not [s for p in TARGETS for s in header.subjects(p, None)]
    assert set(header.subjects(SH.declare, None)) == {URIRef("https://w3id.org/crmkg/shapes")}
