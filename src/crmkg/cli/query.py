"""``crmkg queries list|show``, ``crmkg query ID|FILE`` and ``crmkg infer``: the query catalogue."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence

import pyoxigraph as ox

from crmkg.catalogue import Catalogue, ParamType, QueryKind, QuerySpec, RawValue
from crmkg.cli._common import EXIT_OK, add_data_options, iso_date, open_loaded_store
from crmkg.cli._results import RESULT_FORMATS, in_stable_order, write_result
from crmkg.errors import QuerySyntaxError, QueryTooLarge, SourceLocation, UsageError
from crmkg.i18n import counted, message
from crmkg.labels import iris_in, labels_of, with_labels
from crmkg.language import LANGUAGES, cli_language
from crmkg.namespaces import INFERRED_GRAPH
from crmkg.sparql.parser import Node, parse
from crmkg.store import GraphResult, QueryOptions, SelectResult, Store

_KINDS = tuple(k.value for k in QueryKind if k is not QueryKind.ADHOC)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    queries = subparsers.add_parser("queries", help="list and show the named queries of the catalogue")
    verbs = queries.add_subparsers(dest="queries_verb", required=True, metavar="VERB")
    listing = verbs.add_parser("list", help="every catalogue query with its summary")
    listing.add_argument("--kind", choices=_KINDS, help="only queries of this kind")
    listing.add_argument(
        "--lang", choices=LANGUAGES, help="language of the questions; default: CRMKG_LANG, else the locale"
    )
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(func=run_list)
    show = verbs.add_parser("show", help="one query: header, parameters and SPARQL text")
    show.add_argument("id", help="query id, unique id prefix (cq-011) or CQ number (CQ11)")
    show.add_argument("--format", choices=("text", "json", "sparql"), default="text")
    show.add_argument(
        "--lang", choices=LANGUAGES, help="language of the questions; default: CRMKG_LANG, else the locale"
    )
    show.set_defaults(func=run_show)

    query = subparsers.add_parser("query", help="run a catalogue query (or a .rq file) with typed parameters")
    query.add_argument("query", metavar="ID|FILE", help="query id (cq-011-current-owner, cq-011, CQ11) or a .rq file")
    _add_param_options(query)
    query.add_argument("--format", choices=RESULT_FORMATS, default="table", help="output format")
    query.add_argument("--max-rows", type=int, default=None, metavar="N", help="stop after N rows")
    query.add_argument(
        "--labels",
        action="store_true",
        help="add a label column (NAMELabel) beside each column of IRIs, in the --lang language",
    )
    query.add_argument("--lang", choices=LANGUAGES, help="language of the labels; default: CRMKG_LANG, else the locale")
    add_data_options(query, default_example=True)
    query.set_defaults(func=run_query)

    infer = subparsers.add_parser("infer", help="apply the CONSTRUCT rules (shortcuts, internal/external, models)")
    infer.add_argument("--rule", action="append", metavar="ID", help="apply only this rule (repeatable)")
    _add_param_options(infer)
    infer.add_argument("--format", choices=("turtle", "ntriples"), default="turtle")
    infer.add_argument(
        "--write",
        action="store_true",
        help="also add the derived triples to the --store, in the graph urn:crmkg:graph:inferred",
    )
    add_data_options(infer, default_example=True)
    infer.set_defaults(func=run_infer)


def _add_param_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a query parameter; IRIs may be CURIEs such as ex:rel-acme",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="shorthand for --param asOf=DATE (default: today, when the query takes asOf)",
    )


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """``["a=1", "b=x=y"]`` → ``{"a": "1", "b": "x=y"}``; a pair without ``=`` is a usage error."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(key="error.param_form", pair=pair)
        if name.strip() in out:
            raise UsageError(key="error.param_twice", name=name.strip())
        out[name.strip()] = value
    return out


def _params_for(spec: QuerySpec | None, args: argparse.Namespace) -> dict[str, RawValue]:
    params: dict[str, RawValue] = dict(parse_params(args.param))
    takes_as_of = spec is None or any(p.name == "asOf" and p.type is ParamType.DATE for p in spec.params)
    if args.as_of is not None and spec is not None and not takes_as_of:
        # a script may pass one --as-of to every query: say it was ignored, do not fail
        said = message("query.as_of_ignored", cli_language(args.lang), query=spec.id, date=args.as_of.isoformat())
        print(f"crmkg query: {said}", file=sys.stderr)
    elif args.as_of is not None:
        if "asOf" in params:
            raise UsageError(key="error.as_of_twice")
        params["asOf"] = args.as_of
    elif takes_as_of and "asOf" not in params:
        params["asOf"] = dt.date.today()  # the edge reads the clock; the library never does
    return params


# --------------------------------------------------------------------------- queries list / show


def run_list(args: argparse.Namespace) -> int:
    specs = Catalogue().list(args.kind)
    if args.format == "json":
        json.dump([_spec_json(s) for s in specs], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    width = max((len(s.id) for s in specs), default=0)
    lang = cli_language(args.lang)
    for spec in specs:
        text = spec.question.get(lang) if spec.question else spec.summary_in(lang)
        sys.stdout.write(f"{spec.id:<{width}}  {text}\n")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    spec = Catalogue().resolve(args.id)
    if args.format == "sparql":
        sys.stdout.write(spec.text if spec.text.endswith("\n") else spec.text + "\n")
        return EXIT_OK
    if args.format == "json":
        data = _spec_json(spec)
        data["sparql"] = spec.text
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    out = sys.stdout
    lang = cli_language(args.lang)

    def label(key: str) -> str:
        return message(f"queries.{key}", lang)

    out.write(f"{spec.id}  ({spec.kind.value}, {spec.form})\n{spec.summary_in(lang)}\n")
    if spec.cq:
        out.write(f"{label('cq')}: {spec.cq}\n")
    if spec.question:
        out.write(f"  fi: {spec.question.fi}\n  en: {spec.question.en}\n")
    if spec.severity:
        out.write(f"{label('severity')}: {spec.severity.key}\n")
    if spec.tags:
        out.write(f"{label('tags')}: {', '.join(spec.tags)}\n")
    if spec.params:
        out.write(f"{label('parameters')}:\n")
        for p in spec.params:
            optional = f"{label('default')} {p.default}" if p.default else label("optional")
            need = label("required") if p.required else optional
            desc = f" — {p.description.get(lang)}" if p.description else ""
            out.write(f"  {p.name} ({p.type.value}, {need}){desc}\n")
    out.write(f"{label('file')}: {spec.path}\n")
    return EXIT_OK


def _spec_json(spec: QuerySpec) -> dict[str, object]:
    return {
        "id": spec.id,
        "kind": spec.kind.value,
        "form": spec.form,
        "summary": spec.summary,
        "summaries": {"fi": spec.summaries.fi, "en": spec.summaries.en} if spec.summaries else None,
        "cq": spec.cq,
        "question": {"fi": spec.question.fi, "en": spec.question.en} if spec.question else None,
        "severity": spec.severity.key if spec.severity else None,
        "tags": list(spec.tags),
        "params": [
            {
                "name": p.name,
                "type": p.type.value,
                "required": p.required,
                "default": p.default,
                "description": {"fi": p.description.fi, "en": p.description.en} if p.description else None,
                "enumerate": p.enumerate,
                "choices": list(p.choices),
            }
            for p in spec.params
        ],
    }


# --------------------------------------------------------------------------- query


def run_query(args: argparse.Namespace) -> int:
    catalogue = Catalogue()
    spec = catalogue.resolve(args.query)
    params = _params_for(spec, args)
    if args.max_rows is not None and args.max_rows < 0:
        raise UsageError(key="error.max_rows")
    bindings = catalogue.bind(spec, params)  # validate before any data is loaded
    store = open_loaded_store(args)
    try:
        result = store.query(spec.text, bindings=bindings, options=QueryOptions(max_rows=args.max_rows))
        if isinstance(result, SelectResult) and not ordered(spec.text):
            result = in_stable_order(result)
        if args.labels and isinstance(result, SelectResult):
            result = with_labels(result, labels_of(store, iris_in(result), cli_language(args.lang)))
    except QueryTooLarge:
        raise
    except QuerySyntaxError as exc:
        raise located(exc, spec) from None
    finally:
        store.close()
    write_result(result, args.format, sys.stdout, cli_language(args.lang))
    if isinstance(result, SelectResult) and result.truncated:
        print(f"crmkg: {message('query.truncated', cli_language(args.lang), n=args.max_rows)}", file=sys.stderr)
    return EXIT_OK


def ordered(text: str) -> bool:
    """Whether a SELECT query says its own order (ORDER BY at the top level, not in a sub-select)."""
    try:
        tree = parse(text)
    except QuerySyntaxError:
        return False
    select = next(tree.find("SelectQuery"), None)
    modifier = _child(select, "SolutionModifier") if select is not None else None
    return modifier is not None and _child(modifier, "OrderClause") is not None


def _child(node: Node, rule: str) -> Node | None:
    return next((c for c in node.children if isinstance(c, Node) and c.rule == rule), None)


#: How crmkg's SPARQL lexer and parser say where an error is (crmkg.sparql.lexer.where).
_AT = re.compile(r" at line (\d+), column (\d+)")


def located(error: QuerySyntaxError, spec: QuerySpec) -> QuerySyntaxError:
    """The store's syntax error told again by crmkg's SPARQL parser on the file as written:
    ``file:line:column: problem``, the line itself and a caret under the column. The store's own
    error is kept when crmkg's parser finds nothing (a store may refuse what SPARQL 1.1 allows)."""
    try:
        parse(spec.text)
    except QueryTooLarge:
        return error
    except QuerySyntaxError as found:
        at = _AT.search(str(found))
        if at is None:
            return error
        line, column = int(at[1]), int(at[2])
        lines = spec.text.splitlines()
        source = lines[line - 1] if line <= len(lines) else ""
        caret = "".join("\t" if ch == "\t" else " " for ch in source[: column - 1]) + "^"
        here = SourceLocation(str(spec.path), line, column)
        if found.key == "error.sparql_syntax":
            return QuerySyntaxError(
                key="error.sparql_located",
                location=here,
                path=spec.path,
                line=line,
                column=column,
                found=found.params["found"],
                expected=found.params["expected"],
                source=source,
                caret=caret,
            )
        problem = _AT.sub("", str(found), count=1)
        return QuerySyntaxError(f"{spec.path}:{line}:{column}: {problem}\n  {source}\n  {caret}", location=here)
    return error


def run_infer(args: argparse.Namespace) -> int:
    from crmkg.rules import infer

    params = _params_for(None, args)
    if args.write and args.store is None:
        raise UsageError(key="error.write_needs_store")
    store = open_loaded_store(args, writable=args.write)
    try:
        inference = infer(store, params=params, rules=args.rule, write=args.write)
        why = _why_no_shortcuts(store, params, args.lang) if inference.per_rule.get(SHORTCUT_RULE) == 0 else ""
    finally:
        store.close()
    write_result(GraphResult(inference.triples), args.format, sys.stdout)
    summary = ", ".join(f"{rule} {n}" for rule, n in inference.per_rule.items())
    lang = cli_language(args.lang)
    said = counted("infer.derived", lang, len(inference.triples), rules=summary)
    print(f"crmkg: {said}", file=sys.stderr)
    if why:
        print(f"crmkg: {why}", file=sys.stderr)
    if args.write:
        if inference.written or not inference.triples:
            wrote = counted("infer.written", lang, inference.written, graph=INFERRED_GRAPH)
        else:
            wrote = counted("infer.all_there", lang, len(inference.triples), graph=INFERRED_GRAPH)
        print(f"crmkg: {wrote}", file=sys.stderr)
    return EXIT_OK


#: The rule that derives akj:hasOwner / akj:hasLead — what an architect's first SPARQL query looks for.
SHORTCUT_RULE = "rule-001-owner-lead-shortcuts"
_ASSIGNMENTS = """PREFIX akj: <https://w3id.org/crmkg/akj#>
SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a akj:assignmentFor ?r }"""


def _why_no_shortcuts(store: Store, params: dict[str, RawValue], option: str | None) -> str:
    """Why no owner/lead shortcut was derived: no assignments in the data, or none current that day."""
    result = store.query(_ASSIGNMENTS)
    cell = result.rows[0][0] if isinstance(result, SelectResult) and result.rows else None
    count = int(cell.value) if isinstance(cell, ox.Literal) else 0
    lang = cli_language(option)
    if count == 0:
        return message("infer.no_assignments", lang)
    return counted("infer.none_current", lang, count, date=str(params.get("asOf", "")))
