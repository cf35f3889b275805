"""Who owns and who leads a customer relationship, and whose relationships an agent or party has.

Identifiers in paths may be absolute IRIs, ``<IRI>``, CURIEs (``ex:rel-1``) or percent-encoded IRIs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from crmkg import lookup
from crmkg.api import answers
from crmkg.api import schemas as s
from crmkg.api.cache import etag_of
from crmkg.api.problems import problem_responses
from crmkg.api.sparql.pooled import PooledStore
from crmkg.api.state import (
    AcceptLanguage,
    AppState,
    Date,
    as_of_or_today,
    get_state,
    iri_param,
    lang_or_default,
    off_the_loop,
)

#: An absolute IRI (optionally in <>) or a CURIE with a known prefix, as the server sees it after
#: percent-decoding; the characters are those an RFC 3987 IRI may hold (BMP), at most one "#".
_IRI_CHAR = "(?:[!$&-;=?-Z_a-z~\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef]|%[0-9A-Fa-f]{2})"
_IRI_BODY = rf"[A-Za-z][A-Za-z0-9+.\-]*:{_IRI_CHAR}*(?:#{_IRI_CHAR}*)?"
IDENTIFIER_PATTERN = rf"^(<{_IRI_BODY}>|{_IRI_BODY})$"
LANG_PATTERN = r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8}){0,3}$"

router = APIRouter(tags=["relationships"], responses=problem_responses(400, 404, 422, 502, 503))

AsOf = Annotated[Date | None, Query(description="the date to answer for (YYYY-MM-DD); default today")]
Lang = Annotated[str | None, Query(pattern=LANG_PATTERN, description="label language (fi, en); default CRMKG_LANG")]
ExplainFlag = Annotated[bool, Query(description="include the SPARQL that produced the answer")]
State = Annotated[AppState, Depends(get_state)]
RelId = Annotated[
    str,
    Path(pattern=IDENTIFIER_PATTERN, description="IRI, <IRI>, CURIE (ex:rel-acme) or percent-encoded IRI"),
]


def _trace(explain: bool) -> list[lookup.TracedQuery] | None:
    return [] if explain else None


@router.get("/relationships", response_model=s.RelationshipList, summary="Every relationship on a date")
def list_relationships(
    state: State, as_of: AsOf = None, lang: Lang = None, accept_language: AcceptLanguage = None
) -> s.RelationshipList:
    """Every customer relationship: parties by capacity, owners and leads current on ``as_of``."""
    day = as_of_or_today(as_of)
    answers = lookup.ownership_table(state.heavy_store, day, lang=lang_or_default(state, lang, accept_language))
    return s.RelationshipList(as_of=day, relationships=[s.RelationshipOut.of(a, day, None) for a in answers])


@dataclass(frozen=True)
class CurrentQuestion:
    """Who owns or leads a relationship on a day: what the two hot routes and the fast path ask."""

    holders: Literal["owners", "leads"]
    #: as written in the path: an IRI, ``<IRI>``, a CURIE or a percent-encoded IRI
    relationship: str
    day: dt.date
    lang: str | None = None
    explain: bool = False
    if_none_match: str | None = None
    #: the request's Accept-Language (used when ``lang`` is not given)
    accept_language: str | None = None


async def current_answer(state: AppState, question: CurrentQuestion) -> Response:
    """Owners or leads as ready JSON with an ETag; from the answer cache if there is one.

    Shared by the routes and the fast path (:mod:`crmkg.api.fastpath`), so both answer alike.
    """
    cached = cached_answer(state, question)
    if cached is not None:
        return cached
    store = state.store
    if not question.explain and isinstance(store, PooledStore):
        # the round trip to the worker is awaited on the loop (a thread only if it must wait)
        key = _cache_key(state, question)
        _, iri, _, language = key
        body = await store.current_json_async(question.holders, iri, question.day, language)
        return _computed(state, question, key, body)
    return await off_the_loop(state, _computed_answer, state, question)


def cached_answer(state: AppState, question: CurrentQuestion) -> Response | None:
    """The answer if the cache has it (no query: cheap enough for the event loop), else ``None``."""
    cache = None if question.explain else state.answers
    if cache is None:
        return None
    hit = cache.get(_cache_key(state, question))
    return None if hit is None else _respond(question, hit, "hit")


def _cache_key(state: AppState, question: CurrentQuestion) -> tuple[str, str, str, str]:
    language = lang_or_default(state, question.lang, question.accept_language)
    return (question.holders, iri_param(question.relationship), question.day.isoformat(), language)


def _computed_answer(state: AppState, question: CurrentQuestion) -> Response:
    """The answer computed in this thread (an in-memory store, or ``explain``: its queries one by one)."""
    key = _cache_key(state, question)
    _, iri, _, language = key
    trace = _trace(question.explain)
    body = answers.current_json(state.store, question.holders, iri, question.day, language, trace)
    return _computed(state, question, key, body)


def _computed(state: AppState, question: CurrentQuestion, key: tuple[str, str, str, str], body: bytes) -> Response:
    """A computed body as the response, kept in the answer cache (under ``key``) if there is one."""
    cache = None if question.explain else state.answers
    answer = (body, etag_of(body))
    if cache is not None:
        cache.put(key, answer)
    return _respond(question, answer, "off" if cache is None else "miss")


def _respond(question: CurrentQuestion, answer: tuple[bytes, str], status: str) -> Response:
    body, etag = answer
    headers = {"ETag": etag, "X-Crmkg-Cache": status, "Vary": "Accept-Language"}
    if _matches(question.if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


async def _answer(
    holders: Literal["owners", "leads"],
    relationship: str,
    request: Request,
    as_of: dt.date | None,
    lang: str | None,
    explain: bool,
) -> Response:
    """The one way both hot routes ask (the fast path builds the same question from the raw request)."""
    headers = request.headers
    question = CurrentQuestion(
        holders,
        relationship,
        as_of_or_today(as_of),
        lang,
        explain,
        headers.get("if-none-match"),
        headers.get("accept-language"),
    )
    return await current_answer(_state(request), question)


def _state(request: Request) -> AppState:
    # From the request, not from a ``Depends``: one dependency fewer to solve on the hot routes.
    state: AppState = request.app.state.crmkg
    return state


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison, ``*`` matches any current representation."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


_CONDITIONAL: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified: the answer has the ETag sent in If-None-Match"}
}


@router.get(
    "/relationships/{relationship:path}/owner",
    response_model=s.OwnersOut,
    response_model_exclude_none=False,
    responses=_CONDITIONAL,
    summary="The owner of a relationship on a date",
)
async def owner(
    relationship: RelId,
    request: Request,
    as_of: AsOf = None,
    lang: Lang = None,
    explain: ExplainFlag = False,
) -> Response:
    """The owner(s) (accountable, *omistaja*) current on ``as_of``, with since/until and the assignment.

    Normally exactly one; none or several mean the data breaks shape S7. The answer carries an
    ``ETag``; ``If-None-Match`` with it gives 304.
    """
    # async: a cached answer, or an in-process lookup, costs less than a thread-pool hop
    # (a lookup that waits on a worker process hops: off_the_loop).
    return await _answer("owners", relationship, request, as_of, lang, explain)


@router.get(
    "/relationships/{relationship:path}/leads",
    response_model=s.LeadsOut,
    responses=_CONDITIONAL,
    summary="The leads of a relationship on a date",
)
async def leads(
    relationship: RelId,
    request: Request,
    as_of: AsOf = None,
    lang: Lang = None,
    explain: ExplainFlag = False,
) -> Response:
    """The leads (responsible day to day, *asiakkuusvastaava*) current on ``as_of``; with an ``ETag``."""
    return await _answer("leads", relationship, request, as_of, lang, explain)


@router.get(
    "/relationships/{relationship:path}/parties",
    response_model=s.RelationshipPartiesOut,
    summary="The customer parties of a relationship by capacity",
)
def parties(
    relationship: RelId,
    state: State,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
    explain: ExplainFlag = False,
) -> s.RelationshipPartiesOut:
    """User (*käyttäjä*), negotiating partner (*neuvottelukumppani*) and payer (*maksaja*)."""
    trace = _trace(explain)
    answer = lookup.relationship_answer(
        state.store,
        iri_param(relationship),
        dt.date.today(),
        lang=lang_or_default(state, lang, accept_language),
        trace=trace,
    )
    if trace is not None:  # the parties come from the first two queries only
        del trace[2:]
    return s.RelationshipPartiesOut(
        relationship=s.PartyOut.of(answer.relationship),
        parties=s.PartiesOut.of(answer.parties),
        explain=s.Explain.of(trace),
    )


@router.get(
    "/relationships/{relationship:path}/history",
    response_model=s.HistoryOut,
    summary="Owner and lead handover history",
)
def history(
    relationship: RelId,
    state: State,
    start: Annotated[Date | None, Query(alias="from", description="period start (inclusive)")] = None,
    end: Annotated[Date | None, Query(alias="to", description="period end (inclusive)")] = None,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
    explain: ExplainFlag = False,
) -> s.HistoryOut:
    """Every owner and lead assignment and the handovers between them, optionally within a period."""
    trace = _trace(explain)
    iri = iri_param(relationship)
    language = lang_or_default(state, lang, accept_language)
    entries, handovers = lookup.responsibility_history(
        state.store, iri, lang=language, start=start, end=end, trace=trace
    )
    return s.HistoryOut(
        relationship=iri,
        start=start,
        end=end,
        assignments=[
            s.HistoryEntryOut(
                role=e.role,
                role_label=lookup.role_label(e.role, language),
                assignee=s.PartyOut.of(e.responsibility.assignee),
                since=e.responsibility.since,
                until=e.responsibility.until,
                assignment=e.responsibility.assignment,
                assigned_by=e.assigned_by,
                primary=e.responsibility.primary,
            )
            for e in entries
        ],
        handovers=[
            s.HandoverOut(
                role=h.role,
                role_label=lookup.role_label(h.role, language),
                date=h.date,
                previous=s.PartyOut.of(h.previous) if h.previous else None,
                to=s.PartyOut.of(h.to),
                assignment=h.assignment,
                reason=s.PartyOut.of(h.reason) if h.reason else None,
            )
            for h in handovers
        ],
        explain=s.Explain.of(trace),
    )


@router.get(
    "/relationships/{relationship:path}",
    response_model=s.RelationshipOut,
    summary="Whose is the relationship: parties, owners and leads on a date",
)
async def relationship(
    relationship: RelId,
    state: State,
    as_of: AsOf = None,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
    explain: ExplainFlag = False,
) -> s.RelationshipOut:
    """One relationship: provider, customer parties by capacity, owners and leads current on ``as_of``."""
    day = as_of_or_today(as_of)
    trace = _trace(explain)
    answer = await off_the_loop(
        state,
        partial(lookup.relationship_answer, lang=lang_or_default(state, lang, accept_language), trace=trace),
        state.store,
        iri_param(relationship),
        day,
    )
    return s.RelationshipOut.of(answer, day, trace)


@router.get(
    "/agents/{agent:path}/relationships",
    response_model=s.AgentRelationshipsOut,
    summary="The relationships a person, post or unit owns or leads",
)
def agent_relationships(
    agent: RelId,
    state: State,
    as_of: AsOf = None,
    role: Annotated[Literal["owner", "lead"] | None, Query(description="only owner or only lead")] = None,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
    explain: ExplainFlag = False,
) -> s.AgentRelationshipsOut:
    """Relationships the agent owns or leads on ``as_of``, directly or through a post it holds."""
    day = as_of_or_today(as_of)
    trace = _trace(explain)
    iri = iri_param(agent)
    chosen = lang_or_default(state, lang, accept_language)
    resource = lookup.describe_resource(state.store, iri, lang=chosen)
    found = lookup.agent_relationships(state.store, iri, day, lang=chosen, role=role, trace=trace)
    return s.AgentRelationshipsOut(
        agent=s.ResourceOut(iri=resource.iri, label=resource.label, types=list(resource.types)),
        as_of=day,
        relationships=[
            s.AgentRelationshipOut(
                relationship=s.PartyOut.of(a.relationship),
                role=a.role,
                assignee=a.responsibility.assignee.iri,
                via=a.via.iri if a.via else None,
                since=a.responsibility.since,
                until=a.responsibility.until,
                assignment=a.responsibility.assignment,
            )
            for a in found
        ],
        explain=s.Explain.of(trace),
    )


@router.get(
    "/parties/{party:path}/relationships",
    response_model=s.PartyRelationshipsOut,
    summary="The customer relationships of a party",
)
def party_relationships(
    party: RelId, state: State, lang: Lang = None, accept_language: AcceptLanguage = None, explain: ExplainFlag = False
) -> s.PartyRelationshipsOut:
    """The relationships in which the party is a customer party, with its capacities and the provider."""
    trace = _trace(explain)
    iri = iri_param(party)
    chosen = lang_or_default(state, lang, accept_language)
    resource = lookup.describe_resource(state.store, iri, lang=chosen)
    found = lookup.party_relationships(state.store, iri, lang=chosen, trace=trace)
    return s.PartyRelationshipsOut(
        party=s.ResourceOut(iri=resource.iri, label=resource.label, types=list(resource.types)),
        relationships=[
            s.PartyRelationshipOut(
                relationship=s.PartyOut.of(p.relationship),
                provider=s.PartyOut.of(p.provider) if p.provider else None,
                start=p.start,
                end=p.end,
                capacities=list(p.capacities),
                capacity_properties=list(p.capacity_properties),
            )
            for p in found
        ],
        explain=s.Explain.of(trace),
    )


__all__ = ["router"]
