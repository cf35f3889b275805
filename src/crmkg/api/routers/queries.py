"""The query catalogue as an API: a list endpoint and one typed endpoint per query.

Each query in ``queries/cq/`` (competency questions) and ``queries/qc/`` (quality checks) becomes
``GET /queries/<id>`` with the parameters its ``#+`` header declares, typed in the OpenAPI
document (IRI/CURIE strings, dates, integers, booleans, enumerations).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from crmkg.api.problems import problem_responses
from crmkg.api.routers.relationships import IDENTIFIER_PATTERN, LANG_PATTERN
from crmkg.api.state import AppState, Date, get_state
from crmkg.catalogue import Catalogue, ParamType, QueryKind, QueryParam, QuerySpec, bind
from crmkg.store import AskResult, GraphResult, QueryOptions, SelectResult, Term
from crmkg.store.terms import datatype_of

router = APIRouter(prefix="/queries", tags=["queries"], responses=problem_responses(400, 404, 422, 502, 503))
EXPOSED_KINDS = (QueryKind.CQ, QueryKind.QC)
_RESERVED = {"explain", "lang"}


class ParamOut(BaseModel):
    name: str
    type: str
    required: bool
    default: str | None
    description: dict[str, str] | None
    choices: list[str]


class QueryInfoOut(BaseModel):
    id: str
    kind: str
    cq: str | None
    summary: str
    summaries: dict[str, str] | None = None  # fi and en, when the query's header gives both
    question: dict[str, str] | None
    tags: list[str]
    form: str
    severity: str | None
    params: list[ParamOut]
    endpoint: str


class QueryListOut(BaseModel):
    queries: list[QueryInfoOut]


class RdfTermOut(BaseModel):
    type: Literal["uri", "literal", "bnode"]
    value: str
    datatype: str | None = None
    lang: str | None = Field(default=None, description="language tag of a literal")


class QueryAnswerOut(BaseModel):
    query: str
    summary: str
    variables: list[str]
    rows: list[dict[str, RdfTermOut]] = Field(description="SELECT: one mapping per row (unbound left out)")
    boolean: bool | None = Field(default=None, description="ASK: the answer")
    triples: list[list[RdfTermOut]] | None = Field(default=None, description="CONSTRUCT: subject, predicate, object")
    truncated: bool = Field(description="the answer was cut at the server's row cap")
    sparql: str | None = Field(default=None, description="with explain=true: the query text")
    bindings: dict[str, str] | None = Field(default=None, description="with explain=true: bound parameters")


def _term(value: Term) -> RdfTermOut:
    if isinstance(value, ox.NamedNode):
        return RdfTermOut(type="uri", value=value.value)
    if isinstance(value, ox.BlankNode):
        return RdfTermOut(type="bnode", value=value.value)
    return RdfTermOut(type="literal", value=value.value, datatype=datatype_of(value), lang=value.language)


def _info(spec: QuerySpec) -> QueryInfoOut:
    return QueryInfoOut(
        id=spec.id,
        kind=spec.kind.value,
        cq=spec.cq,
        summary=spec.summary,
        summaries={"fi": spec.summaries.fi, "en": spec.summaries.en} if spec.summaries else None,
        question={"fi": spec.question.fi, "en": spec.question.en} if spec.question else None,
        tags=list(spec.tags),
        form=spec.form,
        severity=spec.severity.key if spec.severity else None,
        params=[
            ParamOut(
                name=p.name,
                type=p.type.value,
                required=p.required,
                default=p.default,
                description={"fi": p.description.fi, "en": p.description.en} if p.description else None,
                choices=list(p.choices),
            )
            for p in spec.params
        ],
        endpoint=f"/queries/{spec.id}",
    )


_PYTHON_TYPES: dict[ParamType, Any] = {
    ParamType.IRI: str,
    ParamType.DATE: Date,
    ParamType.INTEGER: int,
    ParamType.BOOLEAN: bool,
    ParamType.STRING: str,
    ParamType.LANG: str,
}


def _annotation(param: QueryParam) -> Any:
    base: Any = _PYTHON_TYPES[param.type]
    if param.choices:
        base = Literal[tuple(param.choices)]  # enumerated values become an enum in OpenAPI
    description = param.description.en if param.description else param.type.value
    if param.type is ParamType.IRI:
        description += " (absolute IRI or CURIE such as ex:rel-acme)"
    pattern = {ParamType.IRI: IDENTIFIER_PATTERN, ParamType.LANG: LANG_PATTERN}.get(param.type)
    query = (
        Query(alias=param.name, description=description, pattern=pattern)
        if pattern and not param.choices
        else Query(alias=param.name, description=description)
    )
    if _required(param):
        return Annotated[base, query]
    return Annotated[base | None, query]


def _required(param: QueryParam) -> bool:
    return param.required and param.default is None


def _python_name(param: QueryParam) -> str:
    return "p_" + "".join(c if c.isalnum() else "_" for c in param.name)


def _endpoint(spec: QuerySpec) -> Callable[..., QueryAnswerOut]:
    params = [p for p in spec.params if p.name not in _RESERVED]

    def handler(state: AppState, explain: bool = False, **values: Any) -> QueryAnswerOut:
        raw = {p.name: values[_python_name(p)] for p in params if values.get(_python_name(p)) is not None}
        bound = bind(spec, raw)
        options = QueryOptions(max_rows=state.settings.max_rows)
        result = state.store.query(spec.text, bindings=bound, options=options)
        answer = QueryAnswerOut(query=spec.id, summary=spec.summary, variables=[], rows=[], truncated=False)
        if isinstance(result, SelectResult):
            answer.variables = list(result.variables)
            answer.rows = [{k: _term(v) for k, v in row.items()} for row in result.dicts()]
            answer.truncated = result.truncated
        elif isinstance(result, AskResult):
            answer.boolean = result.value
        elif isinstance(result, GraphResult):
            answer.truncated = result.truncated
            answer.triples = [[_term(t.subject), _term(t.predicate), _term(t.object)] for t in result]  # type: ignore[arg-type]
        if explain:
            answer.sparql = spec.text
            answer.bindings = {k: str(v) for k, v in bound.items()}
        return answer

    signature = [
        inspect.Parameter("state", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[AppState, Depends(get_state)]),
        inspect.Parameter(
            "explain",
            inspect.Parameter.KEYWORD_ONLY,
            default=False,
            annotation=Annotated[bool, Query(description="include the SPARQL text and the bound parameters")],
        ),
    ]
    for p in params:
        signature.append(
            inspect.Parameter(
                _python_name(p),
                inspect.Parameter.KEYWORD_ONLY,
                default=inspect.Parameter.empty if _required(p) else None,
                annotation=_annotation(p),
            )
        )

    def endpoint(**kwargs: Any) -> QueryAnswerOut:
        return handler(**kwargs)

    endpoint.__signature__ = inspect.Signature(signature)  # type: ignore[attr-defined]
    endpoint.__name__ = "query_" + spec.id.replace("-", "_")
    endpoint.__doc__ = _doc(spec)
    return endpoint


def _doc(spec: QuerySpec) -> str:
    lines = [spec.summary]
    if spec.summaries:
        lines += ["", f"*fi:* {spec.summaries.fi}"]
    if spec.question:
        lines += ["", f"*fi:* {spec.question.fi}", "", f"*en:* {spec.question.en}"]
    required = [p.name for p in spec.params if p.required and p.default is None]
    if required:
        lines += ["", "Required: " + ", ".join(required)]
    return "\n".join(lines)


def _build(catalogue: Catalogue) -> None:
    specs = [s for s in catalogue.list() if s.kind in EXPOSED_KINDS]

    @router.get("", response_model=QueryListOut, summary="Every catalogue query and its parameters")
    def list_queries(
        request: Request,
        kind: Annotated[Literal["cq", "qc"] | None, Query(description="only competency questions or checks")] = None,
        tag: Annotated[str | None, Query(description="only queries with this tag")] = None,
    ) -> QueryListOut:
        chosen = [s for s in specs if (kind is None or s.kind.value == kind) and (tag is None or tag in s.tags)]
        return QueryListOut(queries=[_info(s) for s in chosen])

    for spec in specs:
        router.add_api_route(
            f"/{spec.id}",
            _endpoint(spec),
            methods=["GET"],
            response_model=QueryAnswerOut,
            summary=(spec.cq + " " if spec.cq else "") + spec.summary,
            operation_id="query_" + spec.id.replace("-", "_"),
            tags=["queries", spec.kind.value],
        )


_build(Catalogue())
