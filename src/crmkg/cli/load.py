"""``crmkg load``: parse RDF files and folders into an on-disk Oxigraph store, atomically."""

from __future__ import annotations

import argparse
from pathlib import Path

from crmkg.cli._common import EXIT_OK, add_input_limit_options
from crmkg.loading import load
from crmkg.store import open_store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "load",
        help="load RDF files/folders into a store (all or nothing)",
        description="Turtle, N-Triples, N-Quads, TriG, RDF/XML and JSON-LD, by file extension. "
        "A syntax error anywhere leaves the store unchanged and names file:line:column.",
    )
    parser.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    parser.add_argument("--store", metavar="DIR", required=True, help="Oxigraph store folder")
    add_input_limit_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    store = open_store(args.store, backend="oxigraph")
    try:
        report = load(store, args.paths)
    finally:
        store.close()
    print(f"loaded {report.quads} quads from {len(report.files)} files into {args.store}")
    return EXIT_OK
