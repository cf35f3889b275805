"""The query catalogue as forms (typed parameters, a result table, CSV) and the SPARQL editor."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.responses import Response

from crmkg.catalogue import ParamType, QueryKind, QuerySpec, bind
from crmkg.store import AskResult, GraphResult, QueryOptions, SelectResult, Term
from crmkg.terms import curie
from crmkg.web.common import PageRoute, language, link, web_state
from crmkg.web.data import plain
from crmkg.web.render import SECURITY_HEADERS, render_page
from crmkg.web.state import WebState

router = APIRouter(route_class=PageRoute, include_in_schema=False)
KINDS = (QueryKind.CQ, QueryKind.QC)
INPUT_TYPES = {ParamType.DATE: "date", ParamType.INTEGER: "number"}


@dataclass(frozen=True)
class Cell:
    text: str  # as shown (IRIs as CURIEs)
    link: str | None
    value: str  # the full lexical value (CSV)


@dataclass(frozen=True)
class Answer:
    variables: list[str]
    rows: list[list[Cell]]
    boolean: bool | None
    truncated: bool


def _specs(state: WebState) -> list[QuerySpec]:
    return [s for s in state.catalogue.list() if s.kind in KINDS]


def _values(request: Request, spec: QuerySpec) -> dict[str, str]:
    return {p.name: request.query_params.get(p.name, "").strip() for p in spec.params}


def _run(state: WebState, spec: QuerySpec, values: dict[str, str], lang: str) -> Answer:
    bound = bind(spec, {k: v for k, v in values.items() if v})
    result = state.api.store.query(
        spec.text, bindings=bound, options=QueryOptions(max_rows=state.api.settings.max_rows)
    )
    if isinstance(result, AskResult):
        return Answer([], [], result.value, False)
    if isinstance(result, GraphResult):
        rows = [[_cell(t.subject, lang), _cell(t.predicate, lang), _cell(t.object, lang)] for t in result]  # type: ignore[arg-type]
        return Answer(["subject", "predicate", "object"], rows, None, result.truncated)
    assert isinstance(result, SelectResult)
    rows = [[_cell(v, lang) if v is not None else Cell("", None, "") for v in row] for row in result.rows]
    return Answer(list(result.variables), rows, None, result.truncated)


def _cell(term: Term, lang: str) -> Cell:
    text = plain(term)
    if isinstance(term, ox.NamedNode):
        return Cell(curie(text), link("/ui/resource", lang, id=text), text)
    return Cell(text, None, text)


@router.get("/ui/queries")
def catalogue(request: Request) -> Response:
    lang = language(request)
    state = web_state(request)
    groups = [(kind.value, [s for s in _specs(state) if s.kind is kind]) for kind in KINDS]
    return render_page(request, lang, "queries.html", {"groups": groups})


@router.get("/ui/queries/{query_id}")
def query_form(request: Request, query_id: str) -> Response:
    lang = language(request)
    state = web_state(request)
    spec = state.catalogue.get(query_id)
    values = _values(request, spec)
    answer = _run(state, spec, values, lang) if request.query_params.get("run") else None
    context = {
        "spec": spec,
        "values": values,
        "answer": answer,
        "input_types": INPUT_TYPES,
        "csv_link": link(f"/ui/queries/{spec.id}/csv", lang, **{k: v for k, v in values.items() if v}),
    }
    return render_page(request, lang, "query.html", context)


@router.get("/ui/queries/{query_id}/csv")
def query_csv(request: Request, query_id: str) -> Response:
    lang = language(request)
    state = web_state(request)
    spec = state.catalogue.get(query_id)
    answer = _run(state, spec, _values(request, spec), lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if answer.boolean is not None:
        writer.writerow(["boolean"])
        writer.writerow(["true" if answer.boolean else "false"])
    else:
        writer.writerow(answer.variables)
        for row in answer.rows:
            writer.writerow([cell.value for cell in row])
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{spec.id}.csv"'}
    if answer.truncated:
        headers["X-Crmkg-Truncated"] = "true"
    return Response(out.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/ui/sparql")
def sparql_editor(request: Request) -> Response:
    lang = language(request)
    state = web_state(request)
    examples = [s for s in _specs(state) if s.kind is QueryKind.CQ]
    chosen = request.query_params.get("example", "")
    text = state.catalogue.get(chosen).text if chosen else _DEFAULT_QUERY
    return render_page(request, lang, "sparql.html", {"examples": examples, "text": text, "chosen": chosen})


_DEFAULT_QUERY = """PREFIX akj: <https://w3id.org/crmkg/akj#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?relationship ?label WHERE {
  ?relationship a akj:CustomerRelationship ; rdfs:label ?label .
} LIMIT 20
"""
