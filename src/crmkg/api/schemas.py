"""Response bodies of the JSON endpoints (pydantic models: the OpenAPI document is the contract)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from crmkg import lookup, terms


class PartyOut(BaseModel):
    iri: str
    label: str

    @classmethod
    def of(cls, party: lookup.Party) -> PartyOut:
        return cls(iri=party.iri, label=party.label)


class ExplainedQuery(BaseModel):
    name: str = Field(description="the query file in queries/lookup/")
    sparql: str
    bindings: dict[str, str] = Field(description="parameter → RDF term (N-Triples syntax) bound by the engine")


class Explain(BaseModel):
    queries: list[ExplainedQuery]

    @classmethod
    def of(cls, trace: list[lookup.TracedQuery] | None) -> Explain | None:
        if trace is None:
            return None
        return cls(queries=[ExplainedQuery(name=t.name, sparql=t.sparql, bindings=t.bindings) for t in trace])


class AccountableOut(BaseModel):
    person: PartyOut
    basis: str = Field(description="person-owner (the assignee itself), post-holder or unit-head")
    since: dt.date | None = Field(None, description="start of the post tenure (post-holder with a dated tenure)")
    until: dt.date | None = Field(None, description="end of the post tenure, if it has one")

    @classmethod
    def of(cls, a: lookup.Accountable) -> AccountableOut:
        return cls(person=PartyOut.of(a.person), basis=a.basis, since=a.since, until=a.until)


class ResponsibilityOut(BaseModel):
    assignee: PartyOut
    since: dt.date
    until: dt.date | None
    assignment: str = Field(description="the akj:ResponsibilityAssignment this comes from")
    primary: bool | None = None
    accountable: list[AccountableOut] = Field(
        default_factory=list,
        description="the person(s) accountable behind the assignee on the as-of date: the person, "
        "the holder(s) of a post (with the tenure's dates), the head of a unit",
    )
    accountable_reason: str | None = Field(
        None, description="why nobody is accountable behind the assignee: vacant-post or no-head"
    )

    @classmethod
    def of(cls, r: lookup.Responsibility) -> ResponsibilityOut:
        return cls(
            assignee=PartyOut.of(r.assignee),
            since=r.since,
            until=r.until,
            assignment=r.assignment,
            primary=r.primary,
            accountable=[AccountableOut.of(a) for a in r.accountable],
            accountable_reason=r.accountable_reason,
        )


CAPACITY_KEYS = {
    "https://w3id.org/crmkg/akj#UserRole": "user",
    "https://w3id.org/crmkg/akj#NegotiatingPartnerRole": "negotiatingPartner",
    "https://w3id.org/crmkg/akj#PayerRole": "payer",
}


class PartiesOut(BaseModel):
    user: list[PartyOut] = Field(description="akj:hasUser (käyttäjä)")
    negotiatingPartner: list[PartyOut] = Field(description="akj:hasNegotiatingPartner (neuvottelukumppani)")
    payer: list[PartyOut] = Field(description="akj:hasPayer (maksaja)")

    @classmethod
    def of(cls, parties: dict[str, list[lookup.Party]]) -> PartiesOut:
        values = {key: [PartyOut.of(p) for p in parties.get(iri, [])] for iri, key in CAPACITY_KEYS.items()}
        return cls(**values)


class RelationshipOut(BaseModel):
    relationship: PartyOut
    as_of: dt.date
    active: bool = Field(description="the relationship itself is active on as_of (inclusive dates)")
    provider: PartyOut | None
    start: dt.date | None
    end: dt.date | None
    parties: PartiesOut
    owners: list[ResponsibilityOut]
    leads: list[ResponsibilityOut]
    explain: Explain | None = None

    @classmethod
    def of(
        cls, a: lookup.RelationshipAnswer, as_of: dt.date, trace: list[lookup.TracedQuery] | None
    ) -> RelationshipOut:
        return cls(
            relationship=PartyOut.of(a.relationship),
            as_of=as_of,
            active=a.active_on(as_of),
            provider=PartyOut.of(a.provider) if a.provider else None,
            start=a.start,
            end=a.end,
            parties=PartiesOut.of(a.parties),
            owners=[ResponsibilityOut.of(r) for r in a.owners],
            leads=[ResponsibilityOut.of(r) for r in a.leads],
            explain=Explain.of(trace),
        )


class RelationshipList(BaseModel):
    as_of: dt.date
    relationships: list[RelationshipOut]


class OwnersOut(BaseModel):
    relationship: PartyOut
    as_of: dt.date
    owners: list[ResponsibilityOut]
    explain: Explain | None = None


class LeadsOut(BaseModel):
    relationship: PartyOut
    as_of: dt.date
    leads: list[ResponsibilityOut]
    explain: Explain | None = None


class RelationshipPartiesOut(BaseModel):
    relationship: PartyOut
    parties: PartiesOut
    explain: Explain | None = None


class HistoryEntryOut(BaseModel):
    role: str = Field(description="owner or lead")
    role_label: str = Field(description="the role as a reader of the answer's language calls it (omistaja, owner, …)")
    assignee: PartyOut
    since: dt.date
    until: dt.date | None
    assignment: str
    assigned_by: str | None
    primary: bool | None = None


class HandoverOut(BaseModel):
    role: str
    role_label: str = Field(description="the role as a reader of the answer's language calls it")
    date: dt.date
    previous: PartyOut | None = Field(description="who held the role before (null: the first holder)")
    to: PartyOut
    assignment: str
    reason: PartyOut | None = Field(
        default=None, description="why it was handed over (akj:HandoverReasonScheme), if recorded"
    )


class HistoryOut(BaseModel):
    relationship: str
    start: dt.date | None = Field(default=None, description="the period asked for (inclusive), if any")
    end: dt.date | None = None
    assignments: list[HistoryEntryOut]
    handovers: list[HandoverOut]
    explain: Explain | None = None


class ResourceOut(BaseModel):
    iri: str
    label: str
    types: list[str]


class AgentRelationshipOut(BaseModel):
    relationship: PartyOut
    role: str = Field(description="owner or lead")
    assignee: str = Field(description="the agent itself, or the post it holds")
    via: str | None = Field(description="the post through which a person owns or leads, if any")
    since: dt.date
    until: dt.date | None
    assignment: str


class AgentRelationshipsOut(BaseModel):
    agent: ResourceOut
    as_of: dt.date
    relationships: list[AgentRelationshipOut]
    explain: Explain | None = None


class PartyRelationshipOut(BaseModel):
    relationship: PartyOut
    provider: PartyOut | None
    start: dt.date | None
    end: dt.date | None
    capacities: list[str] = Field(description="akj:CustomerRoleType individuals")
    capacity_properties: list[str]


class PartyRelationshipsOut(BaseModel):
    party: ResourceOut
    relationships: list[PartyRelationshipOut]
    explain: Explain | None = None


# -- terms -------------------------------------------------------------------------------------


class LabelOut(BaseModel):
    text: str
    lang: str
    kind: str


class MatchOut(BaseModel):
    text: str = Field(description="the label that matched")
    lang: str
    kind: str = Field(description="label, prefLabel, altLabel, hiddenLabel or localName")
    how: str = Field(description="exact, prefix, substring, folded-exact, folded-prefix, folded-substring, stem")
    score: float


class TermRef(BaseModel):
    iri: str
    curie: str
    label: str


class SearchHitOut(BaseModel):
    iri: str
    curie: str
    kind: str
    label: str
    definition: str | None
    match: MatchOut


class SearchOut(BaseModel):
    query: str
    lang: str | None
    type: str | None
    hits: list[SearchHitOut]


class ShapeUseOut(BaseModel):
    shape: str
    via: str
    property_shape: str | None
    severity: str | None
    min_count: int | None
    max_count: int | None
    message: str | None


class QueryUseOut(BaseModel):
    id: str
    folder: str
    summary: str | None


class AlignmentOut(BaseModel):
    """A mapping to an outside vocabulary (akj-align.ttl): closeMatch, relatedMatch, subClassOf…"""

    relation: str
    target: str
    curie: str


class TermOut(BaseModel):
    iri: str
    curie: str
    kind: str
    label: str
    labels: list[LabelOut]
    definitions: dict[str, str]
    parents: list[TermRef]
    children: list[TermRef]
    shapes: list[ShapeUseOut]
    queries: list[QueryUseOut]
    deprecated: bool
    domain: list[TermRef] = []
    range: list[TermRef] = []
    inverse: list[TermRef] = []
    characteristics: list[str] = []
    alignments: list[AlignmentOut] = []


class HierarchyNodeOut(BaseModel):
    iri: str
    curie: str
    label: str
    children: list[HierarchyNodeOut]

    @classmethod
    def of(cls, node: terms.HierarchyNode) -> HierarchyNodeOut:
        return cls(iri=node.iri, curie=node.curie, label=node.label, children=[cls.of(c) for c in node.children])


class HierarchyOut(BaseModel):
    kind: str
    lang: str
    roots: list[HierarchyNodeOut]
