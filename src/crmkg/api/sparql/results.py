"""Writers for SPARQL results (JSON, XML, CSV, TSV) over rows already read, so a row cap can stop early.

pyoxigraph's own serialisers consume the whole result; ``/sparql`` must stop reading at the row cap
and say so, so the rows are collected first (at most ``max_rows``) and written here. A truncated
answer carries the standard ``link`` element ``urn:crmkg:truncated`` in the head and, in JSON, a
top-level ``"truncated": true``; the endpoint also sends ``X-Crmkg-Truncated: true``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from crmkg.namespaces import RDF, XSD

Row = Sequence[object | None]
TRUNCATED_LINK = "urn:crmkg:truncated"
_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def write_json(variables: Sequence[str], rows: Sequence[Row], truncated: bool) -> bytes:
    head: dict[str, object] = {"vars": list(variables)}
    if truncated:
        head["link"] = [TRUNCATED_LINK]
    bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
    body: dict[str, object] = {"head": head, "results": {"bindings": bindings}}
    if truncated:
        body["truncated"] = True
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


_XML_START = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def write_xml(variables: Sequence[str], rows: Sequence[Row], truncated: bool) -> bytes:
    parts = [_XML_START, "<head>"]
    parts.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
    if truncated:
        parts.append(f'<link href="{TRUNCATED_LINK}"/>')
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        for v, t in zip(variables, row, strict=True):
            if t is not None:
                parts.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode("utf-8")


def write_boolean_xml(value: bool) -> bytes:
    return f"{_XML_START}<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n".encode()


def _csv_field(term: object) -> str:
    if term is None:
        text = ""
    elif isinstance(term, ox.NamedNode | ox.Literal):
        text = term.value
    elif isinstance(term, ox.BlankNode):
        text = "_:" + term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def write_csv(variables: Sequence[str], rows: Sequence[Row], truncated: bool) -> bytes:
    lines = [",".join(_csv_field(v) for v in variables)]
    lines.extend(",".join(_csv_field(t) for t in row) for row in rows)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _tsv_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        value = (
            term.value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if term.language:
            return f'"{value}"@{term.language}'
        if term.datatype.value in (_XSD_STRING, _LANG_STRING):
            return f'"{value}"'
        return f'"{value}"^^<{term.datatype.value}>'
    return str(term)  # pyoxigraph prints IRIs as <...>, blank nodes as _:..., triples as << ... >>


def write_tsv(variables: Sequence[str], rows: Sequence[Row], truncated: bool) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    lines.extend("\t".join(_tsv_term(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


SELECT_WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}
BOOLEAN_WRITERS = {"json": write_boolean_json, "xml": write_boolean_xml}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
