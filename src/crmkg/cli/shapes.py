"""``crmkg shapes export``: the akj shapes as standard SHACL any engine runs (placeholders resolved)."""

from __future__ import annotations

import argparse
from pathlib import Path

from crmkg.cli._common import EXIT_OK, iso_date, window_days
from crmkg.cli._report import write_text
from crmkg.errors import UsageError
from crmkg.i18n import message
from crmkg.language import LANGUAGES, cli_language
from crmkg.validation.parameters import (
    DEFAULT_FOLLOW_UP_DAYS,
    DEFAULT_OWNER_GAP_DAYS,
    DEFAULT_REVIEW_DAYS,
    ValidationParameters,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    shapes = subparsers.add_parser(
        "shapes",
        help="the akj shapes for other SHACL engines (export)",
        description="Work with the akj SHACL shapes outside crmkg.",
    )
    verbs = shapes.add_subparsers(dest="shapes_verb", required=True, metavar="VERB")
    export = verbs.add_parser(
        "export",
        help="write the shapes with every date placeholder resolved (plain SHACL Core + SHACL-SPARQL)",
        description="Write the akj shapes as plain SHACL Core + SHACL-SPARQL for pyshacl, Apache Jena, "
        "TopBraid or any other engine: $today and the follow-up and review windows are filled in for "
        "--as-of, and messages are kept in one language (Jena 4.5 accepts one sh:message per SPARQL "
        "constraint). The file's header says how to run it. Those engines give the same findings as "
        "'crmkg validate --as-of DATE' when the data graph holds the data plus the ontology "
        "(--ontology-out writes it) and no inference is done.",
        epilog="example:\n  crmkg shapes export --as-of 2026-10-01 --out akj-shapes-2026-10-01.ttl "
        "--ontology-out akj-ontology.ttl",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("--as-of", type=iso_date, metavar="DATE", required=True, help="the date $today stands for")
    export.add_argument(
        "--follow-up-days",
        type=window_days,
        default=DEFAULT_FOLLOW_UP_DAYS,
        metavar="N",
        help=f"plan follow-up window in days; default: {DEFAULT_FOLLOW_UP_DAYS}",
    )
    export.add_argument(
        "--review-days",
        type=window_days,
        default=DEFAULT_REVIEW_DAYS,
        metavar="N",
        help=f"start-up situation review window in days; default: {DEFAULT_REVIEW_DAYS}",
    )
    export.add_argument(
        "--owner-gap-days",
        type=window_days,
        default=DEFAULT_OWNER_GAP_DAYS,
        metavar="N",
        help=f"days a relationship may go without an owner (S30); default: {DEFAULT_OWNER_GAP_DAYS}",
    )
    export.add_argument(
        "--lang", choices=LANGUAGES, help="language of the messages kept; default: CRMKG_LANG, else the locale"
    )
    export.add_argument(
        "--shapes",
        metavar="PATH",
        action="append",
        type=Path,
        help="a shapes file or folder; repeatable (default: the packaged akj shapes)",
    )
    export.add_argument("--out", metavar="FILE", type=Path, required=True, help="the Turtle file to write")
    export.add_argument(
        "--ontology-out",
        metavar="FILE",
        type=Path,
        help="also write the ontology and class hierarchy the data graph needs, as one Turtle file",
    )
    export.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    from crmkg.validation.export import export_shapes, ontology_graph
    from crmkg.validation.run import load_shapes

    lang = cli_language(args.lang)
    parameters = ValidationParameters.for_date(
        args.as_of,
        follow_up_days=args.follow_up_days,
        review_days=args.review_days,
        owner_gap_days=args.owner_gap_days,
    )
    note = None
    if args.ontology_out is not None:
        note = f"the ontology in {args.ontology_out.name} (written beside this file by --ontology-out)"
    if args.out == args.ontology_out:
        raise UsageError(key="error.out_twice")
    exported = export_shapes(load_shapes(args.shapes), parameters, lang=lang, ontology_note=note)
    write_text(args.out, exported.text, "the shapes")
    if args.ontology_out is not None:
        write_text(args.ontology_out, ontology_graph().serialize(format="turtle"), "the ontology")
    written = str(args.out) + (f" and {args.ontology_out}" if args.ontology_out else "")
    said = message("shapes.wrote", lang, written=written, date=args.as_of.isoformat(), lang=lang)
    print(f"crmkg shapes export: {said}")
    return EXIT_OK
