"""One page of the filtered relationship list, and how many relationships match in all.

Every relationship with its label is read once per language and kept sorted (:func:`relationship_index`,
in the app's :class:`~crmkg.web.cache.TtlCache`);
the text and findings filters narrow it in Python, the others by a query composed from fixed
fragments, one per filter in use, whose values are bound as typed parameters
(:func:`crmkg.catalogue.bind`). Owners and leads of the rows on the page come from
:func:`crmkg.lookup.current_responsibilities`, so the list answers exactly as the API does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from crmkg import lookup
from crmkg.store.base import Store
from crmkg.terms import fold
from crmkg.web.cache import TtlCache
from crmkg.web.data import date_or_none, select, spec_from_text

PAGE_SIZE = 25

_HEADER = """#+ summary: The relationships matching the web list's filters (composed from the filters in use)
PREFIX akj: <https://w3id.org/crmkg/akj#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

#: filter name → the fragment it adds inside the inner SELECT (names its typed parameters).
_FRAGMENTS = {
    "customer": "?relationship ?capacityProperty ?_customer_iri . "
    "?capacityProperty rdfs:subPropertyOf* akj:involvesCustomerParty .",
    "provider": "?relationship akj:hasProvider ?_provider_iri .",
    "owner": """{ BIND(?_owner_iri AS ?ownerAssignee) } UNION { ?_owner_iri org:holds ?ownerAssignee }
      ?ownerAssignment akj:assignee ?ownerAssignee ; akj:assignmentFor ?relationship ;
        akj:responsibilityRole akj:OwnerRole ; akj:startDate ?ownerSince .
      FILTER(?ownerSince <= ?_asOf_xsd_date)
      FILTER NOT EXISTS { ?ownerAssignment akj:endDate ?ownerUntil FILTER(?ownerUntil < ?_asOf_xsd_date) }""",
    "lead": """{ BIND(?_lead_iri AS ?leadAssignee) } UNION { ?_lead_iri org:holds ?leadAssignee }
      ?leadAssignment akj:assignee ?leadAssignee ; akj:assignmentFor ?relationship ;
        akj:responsibilityRole akj:LeadRole ; akj:startDate ?leadSince .
      FILTER(?leadSince <= ?_asOf_xsd_date)
      FILTER NOT EXISTS { ?leadAssignment akj:endDate ?leadUntil FILTER(?leadUntil < ?_asOf_xsd_date) }""",
    "unit": """{ ?relationship akj:hasProvider ?_unit_iri }
      UNION { ?unitAssignment akj:assignmentFor ?relationship ; akj:assignee ?unitAssignee .
              ?unitAssignee (org:postIn|org:memberOf|org:headOf|(org:holds/org:postIn)) ?_unit_iri }""",
    "internal": "?relationship a/rdfs:subClassOf* akj:InternalCustomerRelationship .",
    "external": "?relationship a/rdfs:subClassOf* akj:ExternalCustomerRelationship .",
    "active": """OPTIONAL { ?relationship akj:startDate ?activeStart }
      OPTIONAL { ?relationship akj:endDate ?activeEnd }
      FILTER((!BOUND(?activeStart) || ?activeStart <= ?_active_xsd_date)
             && (!BOUND(?activeEnd) || ?activeEnd >= ?_active_xsd_date))""",
}


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; empty strings and None mean "any"."""

    q: str = ""
    customer: str = ""
    provider: str = ""
    owner: str = ""
    lead: str = ""
    unit: str = ""
    scope: str = ""  # "", "internal" or "external"
    active: dt.date | None = None
    findings: str = ""  # "", "yes" or "no"

    def in_use(self) -> list[str]:
        names = [n for n in ("customer", "provider", "owner", "lead", "unit") if getattr(self, n)]
        if self.scope in ("internal", "external"):
            names.append(self.scope)
        if self.active is not None:
            names.append("active")
        return names


@dataclass(frozen=True)
class ListRow:
    iri: str
    label: str
    provider: lookup.Party | None
    start: dt.date | None
    end: dt.date | None
    owners: list[lookup.Responsibility] = field(default_factory=list)
    leads: list[lookup.Responsibility] = field(default_factory=list)


@dataclass(frozen=True)
class ListPage:
    rows: list[ListRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class Indexed:
    iri: str
    label: str
    folded: str


def relationship_index(store: Store, lang: str) -> list[Indexed]:
    """Every relationship with its label in ``lang``, sorted by label (one query)."""
    rows = select(store, "relationship-index", {"lang": lang})
    items = [Indexed(r["relationship"], r["label"], fold(r["label"])) for r in rows]
    items.sort(key=lambda i: (i.label.casefold(), i.iri))
    return items


def _matching(store: Store, filters: Filters, as_of: dt.date) -> set[str] | None:
    """The relationships the SPARQL filters allow, or None when no such filter is in use."""
    names = filters.in_use()
    if not names:
        return None
    fragments = "\n  ".join(_FRAGMENTS[name] for name in names)
    text = (
        f"{_HEADER}SELECT DISTINCT ?relationship WHERE {{\n"
        f"  ?relationship a/rdfs:subClassOf* akj:CustomerRelationship .\n  {fragments}\n}}\n"
    )
    params: dict[str, str | None] = {
        name: getattr(filters, name) or None for name in ("customer", "provider", "owner", "lead", "unit")
    }
    if filters.owner or filters.lead:
        params["asOf"] = as_of.isoformat()
    if filters.active is not None:
        params["active"] = filters.active.isoformat()
    return {r["relationship"] for r in select(store, spec_from_text("relationship-list", text), params)}


def relationship_page(
    store: Store,
    filters: Filters,
    *,
    as_of: dt.date,
    lang: str,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    with_findings: Collection[str] | None = None,
    cache: TtlCache | None = None,
) -> ListPage:
    """Page ``page`` (from 1) of the relationships matching ``filters``, with owners and leads on ``as_of``.

    ``with_findings`` (focus nodes of the last validation of the loaded data) makes the findings
    filter usable; without it that filter is ignored. ``cache`` keeps the sorted list between calls.
    The text filter matches labels case- and diacritic-folded (``jarvi`` finds ``Järvi``).
    """
    page = max(1, page)
    index = (cache or TtlCache(ttl_s=0)).get(("relationship-index", lang), lambda: relationship_index(store, lang))
    allowed = _matching(store, filters, as_of)
    needle = fold(filters.q) if filters.q else ""
    use_findings = filters.findings in ("yes", "no") and with_findings is not None
    wanted = filters.findings == "yes"
    kept = [
        i
        for i in index
        if (allowed is None or i.iri in allowed)
        and (not needle or needle in i.folded)
        and (not use_findings or (i.iri in with_findings) == wanted)  # type: ignore[operator]
    ]
    total = len(kept)
    chosen = kept[(page - 1) * page_size : page * page_size]
    rows = [_row(store, i.iri, i.label, as_of, lang) for i in chosen]
    pages = max(1, -(-total // page_size))
    return ListPage(rows, total, page, pages)


def _row(store: Store, iri: str, label: str, as_of: dt.date, lang: str) -> ListRow:
    _, owners, leads = lookup.current_responsibilities(store, iri, as_of, lang=lang)
    facts = select(store, "relationship-facts", {"relationship": iri, "lang": lang})
    first = facts[0] if facts else {}
    provider = first.get("provider")
    return ListRow(
        iri=iri,
        label=label,
        provider=lookup.Party(provider, first.get("providerLabel") or lookup.local_name(provider))
        if provider
        else None,
        start=date_or_none(first.get("start")),
        end=date_or_none(first.get("end")),
        owners=owners,
        leads=leads,
    )
