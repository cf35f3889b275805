"""Writing into a remote store through the SPARQL 1.1 Graph Store Protocol.

One HTTP ``POST`` per graph adds that graph's triples (``?graph=IRI``, or ``?default`` for the
default graph) as a Turtle document; the server parses the document before it writes, so each
graph arrives whole or not at all. Unlike one ``INSERT DATA`` request, the body is an RDF document:
blank nodes and large loads are fine on every tested server (Virtuoso refuses both in an update).

Where the protocol lives differs per server: Oxigraph ``/store``, Jena Fuseki ``/<dataset>/data``,
Virtuoso ``/sparql-graph-crud``, GraphDB ``/repositories/<id>/rdf-graphs/service``.
"""

from __future__ import annotations

import base64
import urllib.parse
import urllib.request
from collections.abc import Sequence

import pyoxigraph as ox

from crmkg.errors import UsageError

__all__ = ["graph_requests", "target_url"]

#: N-Triples is Turtle; Turtle is the one syntax every Graph Store Protocol server accepts.
_MEDIA = "text/turtle"


def target_url(endpoint: str, graph: str | None) -> str:
    """The protocol URL of ``graph`` (``None``: the default graph) at ``endpoint``."""
    if not endpoint.startswith(("http://", "https://")):
        raise UsageError(key="error.graph_store_url", endpoint=endpoint)
    query = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
    return endpoint + ("&" if "?" in endpoint else "?") + query


def by_graph(quads: Sequence[ox.Quad], default_graph: str | None) -> dict[str | None, list[ox.Triple]]:
    """Triples per target graph; default-graph quads go to ``default_graph`` when one is given."""
    graphs: dict[str | None, list[ox.Triple]] = {}
    for quad in quads:
        name = quad.graph_name
        graph = default_graph if isinstance(name, ox.DefaultGraph) else name.value
        graphs.setdefault(graph, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return graphs


def graph_requests(
    endpoint: str,
    quads: Sequence[ox.Quad],
    *,
    default_graph: str | None = None,
    credentials: tuple[str, str | None] | None = None,
) -> list[tuple[str, urllib.request.Request]]:
    """One ``POST`` request per graph (with the graph's name, for messages), nothing sent yet."""
    headers = {"Content-Type": f"{_MEDIA}; charset=utf-8"}
    if credentials is not None:
        user, password = credentials
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    out = []
    for graph, triples in by_graph(quads, default_graph).items():
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        request = urllib.request.Request(target_url(endpoint, graph), data=body, method="POST", headers=headers)
        out.append(("the default graph" if graph is None else f"graph <{graph}>", request))
    return out
