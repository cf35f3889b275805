"""The result formats of ``crmkg query`` and ``crmkg infer``: table, CSV, TSV, SPARQL JSON/XML, Turtle, N-Triples."""

from __future__ import annotations

import json
from typing import IO
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from crmkg.errors import UsageError
from crmkg.i18n import counted
from crmkg.namespaces import PREFIXES
from crmkg.store import AskResult, GraphResult, QueryResult, SelectResult, Term
from crmkg.store.terms import datatype_of

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples")


def in_stable_order(result: SelectResult) -> SelectResult:
    """The rows sorted column by column (unbound last): for a query without ORDER BY, whose rows
    would otherwise come in whatever order the store's indexes give."""

    def key(row: tuple[Term | None, ...]) -> tuple[tuple[int, str], ...]:
        return tuple((1, "") if term is None else (0, term.value) for term in row)

    return SelectResult(result.variables, sorted(result.rows, key=key), truncated=result.truncated)


def write_result(result: QueryResult, fmt: str, out: IO[str], lang: str = "en") -> None:
    """Serialise a query result in one of :data:`RESULT_FORMATS` (the table's row count in ``lang``)."""
    if isinstance(result, GraphResult):
        if fmt not in ("turtle", "ntriples"):
            raise UsageError(key="error.graph_result_format", format=fmt)
        if fmt == "turtle":
            data = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        else:
            data = ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES)
        out.write((data or b"").decode("utf-8"))
        return
    if fmt in ("turtle", "ntriples"):
        raise UsageError(key="error.table_result_format", format=fmt)
    if fmt == "table":
        _table(result, out, lang)
        return
    writers = {"csv": _csv, "tsv": _tsv, "json": _json, "xml": _xml}
    writers[fmt](result, out)


def _compact(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        text = term.value
        for prefix, iri in PREFIXES.items():
            if text.startswith(iri) and len(text) > len(iri):
                return f"{prefix}:{text[len(iri) :]}"
        return f"<{text}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _table(result: SelectResult | AskResult, out: IO[str], lang: str) -> None:
    if isinstance(result, AskResult):
        out.write(("true" if result.value else "false") + "\n")
        return
    rows = [[_compact(t) for t in row] for row in result.rows]
    headers = list(result.variables)
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")
    out.write(f"({counted('query.rows', lang, len(rows))})\n")


def _csv_cell(term: Term | None) -> str:
    text = "" if term is None else term.value
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(result: SelectResult | AskResult, out: IO[str]) -> None:
    if isinstance(result, AskResult):
        out.write("_askResult\r\n" + ("true" if result.value else "false") + "\r\n")
        return
    out.write(",".join(result.variables) + "\r\n")
    for row in result.rows:
        out.write(",".join(_csv_cell(t) for t in row) + "\r\n")


def _tsv(result: SelectResult | AskResult, out: IO[str]) -> None:
    if isinstance(result, AskResult):
        out.write("?_askResult\n" + ("true" if result.value else "false") + "\n")
        return
    out.write("\t".join("?" + v for v in result.variables) + "\n")
    for row in result.rows:
        out.write("\t".join("" if t is None else str(t) for t in row) + "\n")


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    cell = {"type": "literal", "value": term.value}
    datatype = datatype_of(term)
    if term.language:
        cell["xml:lang"] = term.language
    elif datatype is not None:
        cell["datatype"] = datatype
    return cell


def _json(result: SelectResult | AskResult, out: IO[str]) -> None:
    if isinstance(result, AskResult):
        json.dump({"head": {}, "boolean": result.value}, out)
        out.write("\n")
        return
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows
    ]
    json.dump({"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}, out, ensure_ascii=False)
    out.write("\n")


def _xml(result: SelectResult | AskResult, out: IO[str]) -> None:
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n')
    if isinstance(result, AskResult):
        out.write("  <head/>\n  <boolean>" + ("true" if result.value else "false") + "</boolean>\n</sparql>\n")
        return
    out.write("  <head>\n")
    for v in result.variables:
        out.write(f"    <variable name={quoteattr(v)}/>\n")
    out.write("  </head>\n  <results>\n")
    for row in result.rows:
        out.write("    <result>\n")
        for v, t in zip(result.variables, row, strict=True):
            if t is None:
                continue
            out.write(f"      <binding name={quoteattr(v)}>{_xml_term(t)}</binding>\n")
        out.write("    </result>\n")
    out.write("  </results>\n</sparql>\n")


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    datatype = datatype_of(term)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if datatype is not None:
        return f"<literal datatype={quoteattr(datatype)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"
