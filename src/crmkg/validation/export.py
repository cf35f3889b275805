"""Shapes for any SHACL engine: crmkg's shapes with every placeholder resolved (``crmkg shapes export``).

crmkg fills ``$today``, ``$planFollowUpSince`` and ``$situationReviewSince`` into the shapes'
SPARQL before it runs them; a plain SHACL engine cannot, and left unresolved those constraints
see an unbound variable and report wrongly. The export resolves them for one as-of date and
windows, keeps one message language (Apache Jena 4.5 refuses a SPARQL constraint with more than
one ``sh:message``) and says in a header comment how to run the file outside crmkg. What remains
is plain SHACL Core + SHACL-SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal
from rdflib.term import Node as RdfNode

from crmkg._version import __version__
from crmkg.namespaces import AKJSH, SH
from crmkg.validation.parameters import ValidationParameters, placeholders_in, substitute
from crmkg.validation.run import load_shapes, ontology_paths

#: Annotations that only mean something to crmkg's engine (the placeholder names a shape uses).
_ENGINE_ONLY = (AKJSH.parameter,)


@dataclass(frozen=True)
class ExportedShapes:
    """The exported shapes graph and the Turtle text written for it (header comment included)."""

    graph: Graph
    text: str


def export_shapes(
    shapes: Graph,
    parameters: ValidationParameters,
    *,
    lang: str = "en",
    ontology_note: str | None = None,
) -> ExportedShapes:
    """``shapes`` for any SHACL engine: placeholders resolved for ``parameters``, messages in ``lang``."""
    graph = substitute(shapes, parameters)
    for prop in _ENGINE_ONLY:
        graph.remove((None, prop, None))
    for owner in set(graph.subjects(SH.message, None)):
        _keep_one_message(graph, owner, lang)
    left = placeholders_in(graph)
    if left:  # substitute() covers every placeholder crmkg knows; a survivor is a bug, never an export
        raise AssertionError(f"placeholders left after substitution: {sorted(left)}")
    body = graph.serialize(format="turtle")
    return ExportedShapes(graph, header(parameters, lang, ontology_note) + body)


def _keep_one_message(graph: Graph, owner: RdfNode, lang: str) -> None:
    """One ``sh:message`` on ``owner``: the one in ``lang``, else English, else untagged, else any."""
    messages = sorted((m for m in graph.objects(owner, SH.message) if isinstance(m, Literal)), key=str)
    if len(messages) <= 1:
        return
    by_lang = {m.language or "": m for m in messages}
    keep = next((by_lang[k] for k in (lang, "en", "") if k in by_lang), messages[0])
    for message in messages:
        if message != keep:
            graph.remove((owner, SH.message, message))


def header(parameters: ValidationParameters, lang: str, ontology_note: str | None) -> str:
    """The comment that tells a reader what the file is and how to run it without crmkg."""
    values = parameters.as_strings()
    ontology = ontology_note or (
        "the akj ontology (ontology/akj-*.ttl) and ontology/imports/external-hierarchy.ttl of crmkg "
        "(crmkg shapes export --ontology-out FILE writes them as one file)"
    )
    lines = [
        f"akj data shapes, exported by crmkg {__version__} for any SHACL engine: plain SHACL Core + SHACL-SPARQL.",
        "",
        "Every placeholder is resolved; the shapes check the data as of one day:",
        f"  $today                = {values['today']}",
        f"  $planFollowUpSince    = {values['planFollowUpSince']}  (follow-up window {parameters.follow_up_days} days)",
        f"  $situationReviewSince = {values['situationReviewSince']}  (review window {parameters.review_days} days)",
        f"  $ownerGapDays         = {values['ownerGapDays']}  (days a relationship may go without an owner)",
        "For another day, export again: crmkg shapes export --as-of YYYY-MM-DD --out FILE",
        f"Messages are in one language ({lang}): Apache Jena 4.5 accepts one sh:message per SPARQL constraint.",
        "",
        "How to run them outside crmkg (the same findings as 'crmkg validate'):",
        "- Data graph = your data + " + ontology + ".",
        "  The ontology gives sh:class and sh:targetClass the class hierarchy. Run WITHOUT inference",
        "  (no RDFS/OWL closure): the shapes are written for the data as asserted.",
        "- pyshacl:     pyshacl --shacl shapes.ttl --ont-graph ontology.ttl --inference none data.ttl",
        "- Apache Jena: shacl validate --shapes shapes.ttl --data data-and-ontology.ttl",
        "  (Jena reads one data file: concatenate your data and the ontology, e.g. as N-Triples)",
        "- Any other engine with SHACL-SPARQL (TopBraid, RDF4J, …): the same two graphs.",
        "Result ids: akjsh:shapeId on each shape is the rule id crmkg reports (S5, S13a, …).",
    ]
    return "".join(f"# {line}".rstrip() + "\n" for line in lines) + "\n"


def ontology_graph() -> Graph:
    """The ontology and the external class hierarchy the shapes need in the data graph, as one graph."""
    return load_shapes(list(ontology_paths()))  # load_shapes reads any RDF files into one graph
