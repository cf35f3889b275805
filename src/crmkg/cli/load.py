"""``crmkg load``: parse RDF files and folders into a store, all of them or none.

The store is an on-disk Oxigraph folder (file by file into the writer's working copy, which becomes
the store's current generation only when every file has loaded) or a SPARQL endpoint URL: there the quads
go through the Graph Store Protocol (``--graph-store``: in batches of ``--batch-size`` triples, each
graph atomic as far as the endpoint makes one update request atomic) or, without it, one SPARQL
``INSERT`` request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from crmkg import derived
from crmkg.cli._common import EXIT_OK, add_input_limit_options
from crmkg.cli._store import add_store_options, open_target
from crmkg.i18n import counted, message
from crmkg.language import cli_language
from crmkg.loading import load
from crmkg.namespaces import INFERRED_GRAPH
from crmkg.validation.run import ontology_paths


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "load",
        help="load RDF files/folders into a store (all or nothing)",
        description="Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD, by file extension. "
        "Into a store folder each file goes into a private working copy that becomes the store only when "
        "every file has loaded; elsewhere every file is parsed before anything is written. A syntax error "
        "anywhere leaves the store unchanged and names file:line:column. Into a SPARQL endpoint (--store URL) "
        "the data goes through the Graph Store Protocol (--graph-store URL: in batches of --batch-size "
        "triples; a graph larger than one batch is staged and then added by one SPARQL Update, so each graph is all or "
        "nothing) or else as one SPARQL INSERT request.",
    )
    parser.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    parser.add_argument(
        "--with-ontology",
        action="store_true",
        help="also load the packaged akj ontology and the ORG/FOAF class hierarchy (what validate --store "
        "and the catalogue need in the store, as a local run adds them)",
    )
    add_store_options(parser, store_help="an Oxigraph store folder or a SPARQL endpoint URL", writes=True)
    add_input_limit_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    store = open_target(args)
    rederived: int | None = None
    try:
        paths = [*ontology_paths(), *args.paths] if args.with_ontology else args.paths
        report = load(store, paths)
        if not str(args.store).startswith(("http://", "https://")) and derived.derived_day(store) is not None:
            # a store crmkg serve keeps a derived graph in: derived again for today, in the same
            # generation as the data, so a running server switches to both at once (issue 14 §6)
            rederived = derived.refresh(store, dt.date.today())
    finally:
        store.close()
    where = f"{args.store} (graph <{args.graph}>)" if args.graph else str(args.store)
    lang = cli_language(args.lang)
    quads, files = counted("count.new_quads", lang, report.quads), counted("count.from_files", lang, len(report.files))
    print(message("load.loaded", lang, quads=quads, files=files, where=where))
    if rederived is not None:
        said = counted("load.rederived", lang, rederived, graph=INFERRED_GRAPH, date=dt.date.today())
        print(f"crmkg: {said}", file=sys.stderr)
    return EXIT_OK
