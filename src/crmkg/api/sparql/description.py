"""The SPARQL 1.1 Service Description that ``GET /sparql`` without a query returns."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from crmkg.namespaces import FORMATS, INFERRED_GRAPH, SD

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DESCRIPTION = ox.NamedNode("http://purl.org/dc/terms/description")
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
    "RDF_XML",
)
#: Above this many named graphs the description does not list them one by one.
MAX_LISTED_GRAPHS = 200


#: What the service says of the graph the rules' results are in (crmkg serve, crmkg infer --write).
_INFERRED_TEXTS = (
    ox.Literal(
        "What crmkg's rules derive for one day (crmkg serve: the day it started; crmkg infer --write: "
        "its --as-of): the current akj:hasOwner and akj:hasLead shortcuts, internal/external "
        "classification, current holdings. Part of the default graph, which is the union of all graphs.",
        language="en",
    ),
    ox.Literal(
        "crmkg:n sääntöjen yhdelle päivälle johtamat tiedot (crmkg serve: käynnistyspäivä; crmkg infer "
        "--write: sen --as-of): voimassa olevat akj:hasOwner- ja akj:hasLead-oikopolut, sisäinen/ulkoinen-"
        "luokitus, voimassa olevat tehtävät. Osa oletusgraafia, joka on kaikkien graafien yhdiste.",
        language="fi",
    ),
)


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def service_description(endpoint: str, graphs: Iterable[str], *, timeout_s: float, max_rows: int) -> list[ox.Triple]:
    """Triples describing the endpoint at ``endpoint``."""
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL10Query")),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
    ]
    triples.extend(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in RESULT_FORMATS)
    for i, graph in enumerate(sorted(graphs)[:MAX_LISTED_GRAPHS]):
        node = ox.BlankNode(f"namedGraph{i}")
        triples.append(ox.Triple(dataset, _sd("namedGraph"), node))
        triples.append(ox.Triple(node, RDF_TYPE, _sd("NamedGraph")))
        triples.append(ox.Triple(node, _sd("name"), ox.NamedNode(graph)))
        if graph == INFERRED_GRAPH:
            triples.extend(ox.Triple(node, DESCRIPTION, text) for text in _INFERRED_TEXTS)
    policy_en = (
        f"Read-only SPARQL 1.1 Query endpoint of crmkg. Updates, SERVICE and FROM of graphs outside the "
        f"store are refused. Queries are stopped after {timeout_s:g} s; answers are capped at {max_rows} "
        f"rows or triples, and a capped answer carries the header X-Crmkg-Truncated: true."
    )
    policy_fi = (
        f"crmkg:n vain luku -muotoinen SPARQL 1.1 -kyselypalvelu. Päivitykset, SERVICE ja varaston "
        f"ulkopuolisten graafien FROM torjutaan. Kysely keskeytetään {timeout_s:g} sekunnin jälkeen; "
        f"vastauksessa on enintään {max_rows} riviä tai kolmikkoa, ja katkaistussa vastauksessa on "
        f"otsake X-Crmkg-Truncated: true."
    )
    triples.append(ox.Triple(service, DESCRIPTION, ox.Literal(policy_en, language="en")))
    triples.append(ox.Triple(service, DESCRIPTION, ox.Literal(policy_fi, language="fi")))
    return triples
