"""What every CLI verb shares: exit codes, data options, opening a loaded store, dates."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from crmkg import resources
from crmkg.cli._help import parsing_language
from crmkg.config import Settings
from crmkg.daterange import check_window, parse_date
from crmkg.errors import UsageError
from crmkg.i18n import message as msg
from crmkg.inputcheck import DEFAULT_MAX_DEPTH, DEFAULT_MAX_XML_ATTRIBUTES, InputLimits, limits_from
from crmkg.loading import load
from crmkg.store import Store, open_store

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def iso_date(text: str) -> dt.date:
    """argparse type for ``YYYY-MM-DD`` dates in the accepted range (:mod:`crmkg.daterange`)."""
    try:
        return parse_date(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(exc.localised(parsing_language())) from None


def window_days(text: str) -> int:
    """argparse type for a window in days, in the accepted range (:mod:`crmkg.daterange`)."""
    try:
        return check_window(int(text))
    except ValueError as exc:  # UsageError is a ValueError too
        lang = parsing_language()
        message = exc.localised(lang) if isinstance(exc, UsageError) else msg("error.not_days", lang, text=text)
        raise argparse.ArgumentTypeError(message) from None


def add_input_limit_options(parser: argparse.ArgumentParser) -> None:
    """``--max-nesting-depth`` and ``--max-xml-attributes``: what an RDF file may contain before it is parsed."""
    group = parser.add_argument_group("input limits (checked before any parser sees a file)")
    group.add_argument(
        "--max-nesting-depth",
        type=int,
        metavar="N",
        help="brackets, JSON objects/arrays or XML elements open at once "
        f"(default {DEFAULT_MAX_DEPTH}, CRMKG_MAX_NESTING_DEPTH)",
    )
    group.add_argument(
        "--max-xml-attributes",
        type=int,
        metavar="N",
        help="attributes of one RDF/XML element and namespace declarations in scope "
        f"(default {DEFAULT_MAX_XML_ATTRIBUTES}, CRMKG_MAX_XML_ATTRIBUTES)",
    )


def input_limits(args: argparse.Namespace) -> InputLimits:
    """The input limits of ``CRMKG_*`` variables and the verb's options (options win)."""
    settings = Settings.from_env(
        max_nesting_depth=getattr(args, "max_nesting_depth", None),
        max_xml_attributes=getattr(args, "max_xml_attributes", None),
    )
    return limits_from(settings)


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
    add_input_limit_options(parser)


def open_loaded_store(args: argparse.Namespace, *, writable: bool = False) -> Store:
    """A store holding the ontology (unless ``--no-ontology``) and the ``--data`` paths.

    An on-disk ``--store`` with nothing to load is opened read-only (its current generation)
    unless the verb will write to it (``writable``).
    """
    paths: list[Path] = list(args.data)
    if not paths and getattr(args, "default_example", False) and args.store is None:
        paths = [resources.example_dir("esimerkki")]
    if not args.no_ontology and (args.store is None or paths):
        paths = [*resources.ontology_files(), *paths]
    on_disk = args.store is not None and not str(args.store).startswith(("http://", "https://"))
    if on_disk and not paths and not writable:
        return open_store(args.store, read_only=True)
    store = open_store(args.store)
    if paths:
        load(store, paths)  # into a remote endpoint too: one update request, all or nothing there
    return store
