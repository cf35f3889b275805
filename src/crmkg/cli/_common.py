"""What every CLI verb shares: exit codes, data options, opening a loaded store, dates."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from crmkg import resources
from crmkg.loading import load
from crmkg.store import Store, open_store

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def iso_date(text: str) -> dt.date:
    """argparse type for ``YYYY-MM-DD`` dates."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {text!r}") from None


def add_data_options(parser: argparse.ArgumentParser, *, default_example: bool = False) -> None:
    """``--data PATH...`` (files/folders to load), ``--store DIR|URL``, ``--no-ontology``."""
    help_default = " (default: the example organisation)" if default_example else ""
    parser.add_argument(
        "--data",
        metavar="PATH",
        nargs="+",
        type=Path,
        default=[],
        help="RDF files or folders to load" + help_default,
    )
    parser.add_argument(
        "--store",
        metavar="DIR|URL",
        help="an on-disk Oxigraph store folder or a SPARQL endpoint URL (default: in memory)",
    )
    parser.add_argument(
        "--no-ontology",
        action="store_true",
        help="do not add the packaged akj ontology to the data",
    )
    parser.set_defaults(default_example=default_example)


def open_loaded_store(args: argparse.Namespace) -> Store:
    """A store holding the ontology (unless ``--no-ontology``) and the ``--data`` paths."""
    store = open_store(args.store)
    paths: list[Path] = list(args.data)
    if not paths and getattr(args, "default_example", False) and args.store is None:
        paths = [resources.example_dir("esimerkki")]
    if not args.no_ontology and (args.store is None or paths):
        paths = [*resources.ontology_files(), *paths]
    if paths:
        load(store, paths)  # into a remote endpoint too: one update request, all or nothing there
    return store
