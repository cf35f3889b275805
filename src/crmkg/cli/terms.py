"""``crmkg terms``: search the akj ontology's terms by Finnish or English label, and show a term's card.

The same index and the same language rule as the API's ``/terms`` routes: a hit is shown in the
language of the label that matched unless ``--lang`` is given; a card in ``--lang``, else
``CRMKG_LANG``, else the locale.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crmkg.cli._common import EXIT_OK
from crmkg.i18n import message
from crmkg.language import LANGUAGES, cli_language, shown_language
from crmkg.namespaces import expand_identifier
from crmkg.terms import TYPE_FILTERS, Term, curie, default_index


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("terms", help="search the ontology's terms (fi/en) and show a term's card")
    verbs = parser.add_subparsers(dest="terms_verb", required=True, metavar="VERB")
    search = verbs.add_parser("search", help="terms whose Finnish or English labels match a text, best first")
    search.add_argument("text", metavar="TEXT", help="what to look for, e.g. maksaja or payer")
    search.add_argument("--lang", choices=LANGUAGES, help="match only labels in this language, and show the hits in it")
    search.add_argument("--type", choices=sorted(TYPE_FILTERS), help="only this kind of term")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="at most N hits; default: 10")
    search.add_argument("--format", choices=("text", "json"), default="text")
    search.set_defaults(func=run_search)
    show = verbs.add_parser("show", help="one term: labels, definition, super- and sub-terms, shapes, queries")
    show.add_argument("term", metavar="TERM", help="IRI or CURIE, e.g. akj:hasPayer")
    show.add_argument("--lang", choices=LANGUAGES, help="language of the card; default: CRMKG_LANG, else the locale")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(func=run_show)


def _tagged(text: str, lang: str) -> str:
    return f"{text}@{lang}" if lang else text


def _definition(term: Term, lang: str) -> str:
    return term.definitions.get(lang) or next(iter(term.definitions.values()), "")


def run_search(args: argparse.Namespace) -> int:
    fallback = cli_language(args.lang)
    hits = default_index().search(args.text, lang=args.lang, type=args.type, limit=max(args.limit, 1))
    rows: list[dict[str, Any]] = []
    for hit in hits:
        shown = shown_language(args.lang, hit.match.lang, fallback)
        rows.append(
            {
                "curie": hit.term.curie,
                "iri": hit.term.iri,
                "kind": hit.term.kind,
                "label": hit.term.label(shown),
                "definition": _definition(hit.term, shown),
                "match": {"text": hit.match.text, "lang": hit.match.lang, "how": hit.match.how},
            }
        )
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    if not rows:
        sys.stdout.write(message("terms.no_hits", fallback, text=args.text) + "\n")
    width = max((len(r["curie"]) for r in rows), default=0)
    for row in rows:
        matched = row["match"]
        sys.stdout.write(f"{row['curie']:<{width}}  {row['label']}  ({_tagged(matched['text'], matched['lang'])})\n")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    lang = cli_language(args.lang)
    index = default_index()
    term = index.get(expand_identifier(args.term))

    def ref(iri: str) -> str:
        try:
            other = index.get(iri)
        except LookupError:
            return curie(iri)
        return f"{other.curie} ({other.label(lang)})"

    if args.format == "json":
        card = {
            "curie": term.curie,
            "iri": term.iri,
            "kind": term.kind,
            "label": term.label(lang),
            "labels": [{"text": lb.text, "lang": lb.lang, "kind": lb.kind} for lb in term.labels],
            "definitions": term.definitions,
            "parents": term.parents,
            "children": term.children,
            "shapes": sorted({use.shape for use in term.shapes}),
            "queries": [use.id for use in term.queries],
            "deprecated": term.deprecated,
            "domain": term.domain,
            "range": term.range,
            "inverse": term.inverse,
            "characteristics": term.characteristics,
            "alignments": [{"relation": a.relation, "target": a.target} for a in term.alignments],
        }
        json.dump(card, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    out = [f"{term.curie}  {term.label(lang)}  ({message(f'term_kind.{term.kind}', lang)})", f"  <{term.iri}>"]
    definition = _definition(term, lang)
    if definition:
        out.append(f"  {definition}")
    others = sorted({_tagged(lb.text, lb.lang) for lb in term.labels} - {_tagged(term.label(lang), lang)})
    rows = [
        ("labels", ", ".join(others)),
        ("parents", ", ".join(ref(p) for p in term.parents)),
        ("children", ", ".join(ref(c) for c in term.children)),
        ("shapes", ", ".join(sorted({use.shape for use in term.shapes}))),
        ("queries", ", ".join(use.id for use in term.queries)),
        ("domain", ", ".join(ref(c) for c in term.domain)),
        ("range", ", ".join(ref(c) for c in term.range)),
        ("inverse", ", ".join(ref(p) for p in term.inverse)),
        ("characteristics", ", ".join(term.characteristics)),
        ("alignments", ", ".join(f"{a.relation} {curie(a.target)}" for a in term.alignments)),
    ]
    for key, value in rows:
        if value:
            out.append(f"  {message(f'terms.{key}', lang)}: {value}")
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK
