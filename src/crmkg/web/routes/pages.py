"""The data pages: home, relationships (list and page), people/posts/units, organisation, customers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from crmkg import lookup
from crmkg.errors import NotFound, UsageError
from crmkg.namespaces import AKJ, FOAF, ORG
from crmkg.store.base import Store
from crmkg.web import findings as fv
from crmkg.web import timeline
from crmkg.web.common import (
    PageRoute,
    api_state,
    as_of,
    date_param,
    identifier,
    language,
    link,
    optional_identifier,
    web_state,
)
from crmkg.web.data import select
from crmkg.web.relationship_list import Filters, relationship_page
from crmkg.web.render import render_page

router = APIRouter(route_class=PageRoute, include_in_schema=False)

CAPACITY_KEYS = (
    ("cap.user", str(AKJ.UserRole)),
    ("cap.negotiator", str(AKJ.NegotiatingPartnerRole)),
    ("cap.payer", str(AKJ.PayerRole)),
)
CUSTOMER_PAGE_SIZE = 50


def resource_linker(lang: str) -> Callable[[str], str]:
    return lambda iri: link("/ui/resource", lang, id=iri)


@router.get("/")
def home(request: Request) -> Response:
    lang = language(request)
    state = web_state(request)
    store = state.api.store
    triples = state.answers.get("triples", lambda: len(store))  # counting is linear in the store's size
    return render_page(request, lang, "home.html", {"triples": triples, "backend": store.backend})


@router.get("/ui/relationships")
def relationships(request: Request) -> Response:
    lang = language(request)
    state = web_state(request)
    day = as_of(request)
    params = request.query_params
    scope = params.get("scope", "")
    findings = params.get("findings", "")
    filters = Filters(
        q=params.get("q", "").strip()[:200],
        customer=optional_identifier(request, "customer"),
        provider=optional_identifier(request, "provider"),
        owner=optional_identifier(request, "owner"),
        lead=optional_identifier(request, "lead"),
        unit=optional_identifier(request, "unit"),
        scope=scope if scope in ("internal", "external") else "",
        active=date_param(request, "active", None),
        findings=findings if findings in ("yes", "no") else "",
    )
    try:
        page = int(params.get("page", "1"))
    except ValueError:
        raise UsageError(key="error.page_number") from None
    loaded = state.loaded_report()
    with_findings = fv.focus_nodes(loaded.report.results) if loaded else None
    result = relationship_page(
        state.api.store,
        filters,
        as_of=day,
        lang=lang,
        page=page,
        with_findings=with_findings,
        cache=state.answers,
    )
    context = {
        "filters": filters,
        "as_of": day,
        "result": result,
        "findings_available": loaded is not None,
        "error": None,
    }
    return render_page(request, lang, "relationships.html", context)


@router.get("/ui/relationship")
def relationship(request: Request) -> Response:
    lang = language(request)
    state = web_state(request)
    store = state.api.store
    day = as_of(request)
    iri = identifier(request)
    answer = lookup.relationship_answer(store, iri, day, lang=lang)
    entries, handovers = lookup.responsibility_history(store, iri, lang=lang)
    plans, followups = timeline.plans_and_followups(
        select(store, "relationship-plans", {"relationship": iri, "lang": lang})
    )
    labels = {
        "owner": request_text(lang, "rel.col.owner"),
        "lead": request_text(lang, "rel.col.lead"),
        "plans": request_text(lang, "rel.plans"),
        "plan": request_text(lang, "rel.plan"),
        "handover": request_text(lang, "rel.handover"),
        "followup": request_text(lang, "rel.followup"),
    }
    tl = timeline.build(entries, handovers, plans, followups, as_of=day, labels=labels)
    # The post holders shown beside each owner and lead are the lookup's own ``accountable`` answer
    # (issue 12): one piece of code decides who held a post on the day, for the CLI, API and web.
    loaded = state.loaded_report()
    findings = fv.for_focus(loaded.report, iri, lang, resource_linker(lang)) if loaded else None
    context = {
        "answer": answer,
        "as_of": day,
        "capacities": CAPACITY_KEYS,
        "tl": tl,
        "handovers": [h for h in handovers if h.previous is not None],
        "plans": plans,
        "followups": followups,
        "findings": findings,
    }
    return render_page(request, lang, "relationship.html", context)


def request_text(lang: str, key: str) -> str:
    from crmkg.web.i18n import message

    return message(key, lang)


@router.get("/ui/resource")
def resource(request: Request) -> Response:
    """Any IRI of the data: sent on to the page for what it is (relationship, agent, customer, term)."""
    lang = language(request)
    store = api_state(request).store
    iri = identifier(request)
    params = {"id": iri, "as_of": request.query_params.get("as_of")}
    if iri.startswith(str(AKJ)):
        return RedirectResponse(link("/ui/term", lang, id=iri), status_code=303)
    described = lookup.describe_resource(store, iri, lang=lang)
    try:
        lookup.relationship_answer_exists(store, iri, lang=lang)
        return RedirectResponse(link("/ui/relationship", lang, **params), status_code=303)
    except NotFound:
        pass
    agent_types = {
        str(ORG.Post),
        str(ORG.OrganizationalUnit),
        str(ORG.FormalOrganization),
        str(ORG.Organization),
        str(FOAF.Person),
    }
    if agent_types.intersection(described.types):
        return RedirectResponse(link("/ui/agent", lang, **params), status_code=303)
    if lookup.party_relationships(store, iri, lang=lang):
        return RedirectResponse(link("/ui/customer", lang, **params), status_code=303)
    return render_page(request, lang, "resource.html", {"resource": described})


@router.get("/ui/agent")
def agent(request: Request) -> Response:
    lang = language(request)
    store = api_state(request).store
    day = as_of(request)
    iri = identifier(request)
    described = lookup.describe_resource(store, iri, lang=lang)
    found = lookup.agent_relationships(store, iri, day, lang=lang)
    members = select(store, "unit-members", {"unit": iri, "lang": lang, "asOf": day.isoformat()})
    # A unit answers also for what its posts own and lead.
    for post in {m["member"] for m in members if m.get("how") == "post"}:
        found.extend(lookup.agent_relationships(store, post, day, lang=lang))
    unique = {(a.relationship.iri, a.role, a.responsibility.assignment): a for a in found}
    items = sorted(unique.values(), key=lambda a: (a.role, a.relationship.label.casefold()))
    context = {
        "resource": described,
        "as_of": day,
        "owns": [a for a in items if a.role == "owner"],
        "leads": [a for a in items if a.role == "lead"],
        "members": members,
        "positions": select(store, "person-posts", {"person": iri, "lang": lang, "asOf": day.isoformat()}),
        "customer_of": lookup.party_relationships(store, iri, lang=lang),
    }
    return render_page(request, lang, "agent.html", context)


@router.get("/ui/organisation")
def organisation(request: Request) -> Response:
    lang = language(request)
    state = web_state(request)
    day = as_of(request)
    store = state.api.store
    forest = state.answers.get(("organisation", lang), lambda: organisation_forest(store, lang))
    posts = state.answers.get(("post-holders", lang, day), lambda: posts_by_unit(store, lang, day))
    return render_page(request, lang, "organisation.html", {"forest": forest, "posts": posts, "as_of": day})


def posts_by_unit(store: Store, lang: str, day: dt.date) -> dict[str, list[tuple[lookup.Party, list[lookup.Party]]]]:
    """Each unit's posts with their holders on ``day``, sorted by label."""
    posts: dict[str, dict[str, tuple[lookup.Party, list[lookup.Party]]]] = {}
    for row in select(store, "post-holders", {"lang": lang, "asOf": day.isoformat()}):
        post = lookup.Party(row["post"], row.get("postLabel") or lookup.local_name(row["post"]))
        _, holders = posts.setdefault(row["unit"], {}).setdefault(post.iri, (post, []))
        if "holder" in row:
            holder = lookup.Party(row["holder"], row.get("holderLabel") or lookup.local_name(row["holder"]))
            if holder not in holders:
                holders.append(holder)
    return {
        unit: sorted(found.values(), key=lambda item: (item[0].label.casefold(), item[0].iri))
        for unit, found in posts.items()
    }


def organisation_forest(store: Store, lang: str) -> list[dict[str, object]]:
    """Every organisation and unit in trees by org:subOrganizationOf / org:unitOf."""
    labels: dict[str, str] = {}
    children: dict[str, set[str]] = {}
    for row in select(store, "organisation", {"lang": lang}):
        node = row["node"]
        if row.get("label") or node not in labels:
            labels[node] = row.get("label") or lookup.local_name(node)
        if "parent" in row:
            children.setdefault(row["parent"], set()).add(node)
            labels.setdefault(row["parent"], lookup.local_name(row["parent"]))
    child_set = {c for kids in children.values() for c in kids}

    def key(iri: str) -> str:
        return labels[iri].casefold()

    def tree(iri: str, seen: frozenset[str]) -> dict[str, object]:
        kids = sorted(children.get(iri, set()) - seen, key=key)
        return {
            "iri": iri,
            "label": labels[iri],
            "children": [tree(k, seen | {k}) for k in kids],
        }

    return [tree(r, frozenset({r})) for r in sorted((n for n in labels if n not in child_set), key=key)]


@router.get("/ui/customers")
def customers(request: Request) -> Response:
    lang = language(request)
    store = api_state(request).store
    day = as_of(request)
    q = request.query_params.get("q", "").strip()[:200]
    rows = list(web_state(request).answers.get(("customers", lang), lambda: _customers(store, lang)))
    if q:
        needle = q.casefold()
        rows = [r for r in rows if needle in r.get("partyLabel", "").casefold()]
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        raise UsageError(key="error.page_number") from None
    pages = max(1, -(-len(rows) // CUSTOMER_PAGE_SIZE))
    chosen = rows[(page - 1) * CUSTOMER_PAGE_SIZE : page * CUSTOMER_PAGE_SIZE]
    result = {"rows": chosen, "total": len(rows), "page": page, "pages": pages}
    return render_page(request, lang, "customers.html", {"result": result, "q": q, "as_of": day})


def _customers(store: Store, lang: str) -> list[dict[str, str]]:
    rows = select(store, "customers", {"lang": lang})
    rows.sort(key=lambda r: (r.get("partyLabel", "").casefold(), r["party"]))
    return rows


@router.get("/ui/customer")
def customer(request: Request) -> Response:
    lang = language(request)
    store = api_state(request).store
    day = as_of(request)
    iri = identifier(request)
    described = lookup.describe_resource(store, iri, lang=lang)
    found = lookup.party_relationships(store, iri, lang=lang)
    owners = {}
    for p in found:
        _, current_owners, current_leads = lookup.current_responsibilities(store, p.relationship.iri, day, lang=lang)
        owners[p.relationship.iri] = (current_owners, current_leads)
    context = {
        "resource": described,
        "relationships": found,
        "owners": owners,
        "as_of": day,
        "capacity_keys": {cap: key for key, cap in CAPACITY_KEYS},
    }
    return render_page(request, lang, "customer.html", context)
