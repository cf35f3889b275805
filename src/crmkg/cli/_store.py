"""``--store DIR|URL`` for the verbs that work on a store someone else may run: the options and the opening."""

from __future__ import annotations

import argparse

from crmkg.errors import UsageError
from crmkg.store import Store, open_endpoint, open_store
from crmkg.store.batches import DEFAULT_BATCH_SIZE


def add_store_options(
    parser: argparse.ArgumentParser, *, store_help: str | None, writes: bool, required: bool = True
) -> None:
    """``--store DIR|URL`` (unless ``store_help`` is ``None``: the verb declares it itself) and the
    options of a remote one: ``--graph``, ``--timeout`` and, for a verb that ``writes``,
    ``--update-url`` and ``--graph-store``."""
    if store_help is not None:
        parser.add_argument("--store", metavar="DIR|URL", required=required, help=store_help)
    remote = parser.add_argument_group("a SPARQL endpoint as the store (--store URL)")
    if writes:
        remote.add_argument("--update-url", metavar="URL", help="the endpoint's SPARQL Update URL (default: --store)")
        remote.add_argument(
            "--graph-store",
            metavar="URL",
            help="the endpoint's Graph Store Protocol URL (Oxigraph: …/store, Fuseki: …/data, "
            "Virtuoso: …/sparql-graph-crud)",
        )
        remote.add_argument(
            "--batch-size",
            metavar="N",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help="triples per Graph Store request (default: %(default)s); a larger graph goes in batches into "
            "a staging graph, then into its graph with one SPARQL Update",
        )
        remote.add_argument(
            "--no-staging",
            action="store_true",
            help="send each batch straight to its graph: each batch is all or nothing, a graph is not (for "
            "servers that hold one update in memory, as Oxigraph does, and graphs too large for that)",
        )
    remote.add_argument(
        "--graph",
        metavar="IRI",
        help="the named graph that holds the data: triples of the default graph are written to it, "
        "and queries read it as their default graph (needed on Virtuoso)",
    )
    remote.add_argument("--timeout", metavar="S", type=float, default=300.0, help="per request; default: 300")


def open_target(args: argparse.Namespace, *, read_only: bool = False) -> Store:
    """The store ``--store`` names, with the remote options applied to an endpoint URL."""
    location = str(args.store)
    if not location.startswith(("http://", "https://")):
        names = ("update_url", "graph_store", "graph")  # --batch-size has a default: not checked
        given = [f"--{n.replace('_', '-')}" for n in names if getattr(args, n, None)]
        if given:
            raise UsageError(key="error.endpoint_options", options=", ".join(given))
        return open_store(location, backend="oxigraph", read_only=read_only)
    return open_endpoint(
        location,
        read_only=read_only,
        update_url=getattr(args, "update_url", None),
        graph_store_url=getattr(args, "graph_store", None),
        graph=args.graph,
        timeout=args.timeout,
        batch_size=getattr(args, "batch_size", DEFAULT_BATCH_SIZE),
        staged=not getattr(args, "no_staging", False),
    )
