"""Writing into a remote store through the SPARQL 1.1 Graph Store Protocol, in bounded batches.

Each graph's triples go as N-Triples documents of at most ``batch_size`` triples
(:mod:`crmkg.store.batches`), one HTTP ``POST`` each (``?graph=IRI``, or ``?default``), so neither
the client nor the server holds a whole large graph as one request. A graph that fits in one
document is posted straight to its graph: the server parses a document before it writes, so the
graph arrives whole or not at all. A larger graph is posted batch by batch into a staging graph of
its own (``urn:crmkg:staging:<uuid>``) and then added to its graph by one SPARQL Update request,
``INSERT { GRAPH <graph> { ?s ?p ?o } } WHERE { GRAPH <staging> { ?s ?p ?o } } ; DROP SILENT GRAPH
<staging>``: the target changes in that one request
(all at once, as far as the endpoint makes an update request atomic), and a failure before it
leaves the target as it was and drops the staging graph.

Where the protocol lives differs per server: Oxigraph ``/store``, Jena Fuseki ``/<dataset>/data``,
Virtuoso ``/sparql-graph-crud``, GraphDB ``/repositories/<id>/rdf-graphs/service``.
"""

from __future__ import annotations

import base64
import contextlib
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Mapping

import pyoxigraph as ox

from crmkg.errors import CrmkgError, UsageError
from crmkg.store.batches import DEFAULT_BATCH_SIZE, documents, target_graphs

__all__ = ["STAGING_PREFIX", "QuadPasses", "load_graphs", "post_request", "target_url"]

#: N-Triples is Turtle; Turtle is the one syntax every Graph Store Protocol server accepts.
_MEDIA = "text/turtle"
#: Staging graphs are named with this prefix and a fresh UUID.
STAGING_PREFIX = "urn:crmkg:staging:"


def target_url(endpoint: str, graph: str | None) -> str:
    """The protocol URL of ``graph`` (``None``: the default graph) at ``endpoint``."""
    if not endpoint.startswith(("http://", "https://")):
        raise UsageError(key="error.graph_store_url", endpoint=endpoint)
    query = "default" if graph is None else urllib.parse.urlencode({"graph": graph})
    return endpoint + ("&" if "?" in endpoint else "?") + query


def post_request(
    endpoint: str, graph: str | None, body: bytes, credentials: tuple[str, str | None] | None = None
) -> urllib.request.Request:
    """A ``POST`` adding the N-Triples ``body`` to ``graph`` at ``endpoint`` (nothing sent yet)."""
    headers = {"Content-Type": f"{_MEDIA}; charset=utf-8"}
    if credentials is not None:
        user, password = credentials
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    return urllib.request.Request(target_url(endpoint, graph), data=body, method="POST", headers=headers)


#: A fresh pass over the same quads at each call (a list, or files parsed again each time).
QuadPasses = Callable[[], Iterable[ox.Quad]]


def load_graphs(
    quads: QuadPasses,
    *,
    counts: Mapping[str | None, int] | None = None,
    default_graph: str | None,
    post: Callable[[str | None, bytes, str], None],
    update: Callable[[str], None],
    batch_size: int = DEFAULT_BATCH_SIZE,
    staged: bool = True,
) -> None:
    """Add the quads of ``quads()`` graph by graph (see the module's note), one pass over them per
    target graph, so only a batch is held at a time; ``counts`` (target graph -> triples, as
    :func:`~crmkg.store.batches.target_graphs` gives them) saves one pass more. ``post(graph,
    document, what)`` posts one document to ``graph`` (``what`` names the target graph for
    messages); ``update`` sends one SPARQL Update request. Default-graph quads go to
    ``default_graph`` when one is given. Not ``staged``, every batch goes straight to its graph:
    each batch is atomic, a graph is not (a server that applies one update in memory, as Oxigraph
    does, then never holds a whole graph)."""
    if counts is None:
        counts = target_graphs(quads(), default_graph)
    for graph, count in counts.items():
        what = "the default graph" if graph is None else f"graph <{graph}>"
        parts = documents(quads(), graph, default_graph, batch_size)
        if count <= batch_size or not staged:
            for document in parts:  # one document
                post(graph, document, what)
            continue
        staging = f"{STAGING_PREFIX}{uuid.uuid4()}"
        # the update service is needed at the end: asked once first, so that an endpoint without one
        # (Oxigraph's /query given as the update URL) fails before any batch is sent
        update(f"DROP SILENT GRAPH <{staging}>")
        try:
            for document in parts:
                post(staging, document, what)
            # INSERT … WHERE rather than ADD, which Jena 4.5 refuses from any named graph
            # ("Invalid source target for operation"); variables bound to blank nodes keep them
            triples = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
            copy = f"INSERT {{ {triples} }} WHERE {{ GRAPH <{staging}> {{ ?s ?p ?o }} }}"
            update(f"{copy} ;\nDROP SILENT GRAPH <{staging}>")
        except BaseException:
            with contextlib.suppress(CrmkgError):  # the endpoint may be gone too: report the first error
                update(f"DROP SILENT GRAPH <{staging}>")
            raise
