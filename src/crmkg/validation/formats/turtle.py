"""The standard ``sh:ValidationReport`` in Turtle (SHACL §3.6), plus crmkg's locations.

``sh:conforms`` is the SHACL meaning (no results at all); crmkg adds ``akjsh:shapeId`` and
``akjsh:sourceFile``/``akjsh:sourceLine`` so the file position survives the round trip.
"""

from __future__ import annotations

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.extras.shacl import build_shacl_path

from crmkg.namespaces import AKJSH, SH
from crmkg.validation.formats._common import RenderOptions, display_path, listed
from crmkg.validation.report import ValidationReport


def report_graph(report: ValidationReport, options: RenderOptions | None = None) -> Graph:
    options = options or RenderOptions()
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("akjsh", AKJSH)
    for prefix, ns in (("akj", "https://w3id.org/crmkg/akj#"), ("ex", "https://example.org/esimerkki/")):
        graph.bind(prefix, ns)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(not report.results)))
    for result in listed(report, options):
        node = BNode()
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.resultSeverity, result.severity.iri))
        graph.add((node, SH.focusNode, result.focus_node))
        graph.add((node, SH.sourceConstraintComponent, result.constraint_component))
        if result.source_shape is not None:
            graph.add((node, SH.sourceShape, result.source_shape))
        if result.path is not None:
            if isinstance(result.path, URIRef):
                graph.add((node, SH.resultPath, result.path))
            else:
                path_node, path_triples = build_shacl_path(result.path)
                graph.add((node, SH.resultPath, path_node))
                if path_triples is not None:
                    for triple in path_triples:
                        graph.add(triple)
        if result.value is not None:
            graph.add((node, SH.value, result.value))
        for lang, text in sorted(result.messages.items()):
            graph.add((node, SH.resultMessage, Literal(text, lang=lang or None)))
        if result.shape_id:
            graph.add((node, AKJSH.shapeId, Literal(result.shape_id)))
        if result.location is not None:
            graph.add((node, AKJSH.sourceFile, Literal(display_path(result.location.file, options.srcroot))))
            if result.location.line is not None:
                graph.add((node, AKJSH.sourceLine, Literal(result.location.line, datatype=XSD.integer)))
            if result.location.field is not None:
                graph.add((node, AKJSH.sourceField, Literal(result.location.field)))
    return graph


def render(report: ValidationReport, options: RenderOptions) -> str:
    return report_graph(report, options).serialize(format="turtle")
