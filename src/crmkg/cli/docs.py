"""``crmkg docs``: the ontology's documentation as a static HTML site (fi/en, diagram, ontology files)."""

from __future__ import annotations

import argparse
from pathlib import Path

from crmkg.cli._common import EXIT_OK
from crmkg.errors import UsageError
from crmkg.i18n import counted
from crmkg.language import cli_language


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "docs",
        help="write the ontology's documentation as static HTML",
        description="Every class, property and concept scheme in Finnish and English with anchors, "
        "the class diagram as SVG and the ontology as Turtle, RDF/XML, JSON-LD and N-Triples — the "
        "same pages 'crmkg serve' shows under /ontology/. Needs the api extra (Jinja2).",
    )
    parser.add_argument("--out", metavar="DIR", type=Path, required=True, help="folder to write (created)")
    parser.add_argument("--data-dir", metavar="DIR", type=Path, help="read ontology/ from here")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        from crmkg.web.ontodoc.model import default_ontology
        from crmkg.web.ontodoc.site import write_site
    except ModuleNotFoundError as exc:
        raise UsageError(key="error.needs_api_extra", verb="docs", missing=str(exc)) from None
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(key="error.not_a_folder", path=str(args.out))
    written = write_site(default_ontology(args.data_dir), args.out)
    said = counted("docs.wrote", cli_language(args.lang), len(written), out=args.out, index=args.out / "index.html")
    print(said)
    return EXIT_OK
