"""Deterministic generator of a large organisation in the akj vocabulary (streaming N-Triples).

    python bench/generate.py --relationships 20000 --seed 7 --out org.nt
    python bench/generate.py --triples 1000000 --defects 0.02 --defect-seed 3 \
        --out org.nt --defects-out injected.csv

The same arguments always give the same bytes. Output is written as it is generated, so memory
stays flat however large the organisation (only integer counts of the structure are kept).

The organisation: a corporate group with group management, companies, units (sales, sales
management, customer service, marketing), posts, a person holding each post; external customers
(organisations, some contact persons); internal customer relationships between the group's
companies; for each relationship its capacities (user, negotiating partner, payer), an owner
assignment to a post (a quarter of them handed over: the old one ends the day before the new one
starts), a lead assignment to a person, team members, a plan valid in the as-of year approved by
the owner, recent plan follow-ups; customer models per sales unit and customer data assets.

Clean output conforms to the akj shapes at --fail-on violation as of --as-of (default 2026-10-01).
``--defects RATE`` injects one defect into that share of relationships (chosen with
``--defect-seed``); each injected defect is reported (shape id it should trigger, focus node, kind).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported

from gen_common import (
    Counts,
    business_id,
    check_arguments,
    generator_parser,
    relationships_for,
    summary,
    write_file,
)

GEN = "https://example.org/gen/"
AKJ = "https://w3id.org/crmkg/akj#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"

DEFAULT_AS_OF = dt.date(2026, 10, 1)
#: Measured average of triples per relationship (including its share of the structure).
TRIPLES_PER_RELATIONSHIP = 45

#: Defect kind → (the shape id it must trigger, what it does).
DEFECTS: dict[str, tuple[str, str]] = {
    "missing-provider": ("S1", "the relationship has no provider"),
    "no-payer": ("S3", "the payer is not recorded"),
    "provider-is-payer": ("S4", "the provider is also the payer"),
    "two-current-owners": ("S5", "a handover did not end the old owner assignment"),
    "no-lead": ("S7", "no lead assignment"),
    "owner-outside": ("S10", "the owner is the customer, outside the group"),
    "end-before-start": ("S11", "an assignment ends before it starts"),
    "wrong-classification": ("S13a", "an external relationship is asserted internal"),
    "no-plan": ("S14", "no plan valid today"),
    "stale-follow-up": ("S15", "the last plan follow-up is older than the window"),
    "lead-is-post": ("S26", "the lead is a post, not a person"),
    "lead-left": ("S28a", "the lead left the company last year but still leads"),
    "date-not-date": ("S27", "a start date is a plain string"),
}


def iri(local: str) -> str:
    return f"<{GEN}{local}>"


def akj(local: str) -> str:
    return f"<{AKJ}{local}>"


def org(local: str) -> str:
    return f"<{ORG}{local}>"


def foaf(local: str) -> str:
    return f"<{FOAF}{local}>"


def date(d: dt.date) -> str:
    return f'"{d.isoformat()}"^^<{XSD_DATE}>'


def text(value: str, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


@dataclass(frozen=True)
class Defect:
    kind: str
    shape_id: str
    focus: str  # IRI


@dataclass
class Stats(Counts):
    posts: int = 0
    people: int = 0
    assignments: int = 0
    plans: int = 0
    follow_ups: int = 0
    models: int = 0
    data_assets: int = 0
    defects: list[Defect] = field(default_factory=list)


class Writer:
    """Buffers N-Triples lines and counts them."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.lines: list[str] = []
        self.count = 0

    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")

    def flush(self) -> None:
        if self.lines:
            self.count += len(self.lines)
            self.out.write("".join(self.lines))
            self.lines.clear()


@dataclass(frozen=True)
class Structure:
    """Sizes of the organisation; every IRI is computed from indices, nothing else is stored."""

    companies: int
    sales_units: int  # per company
    posts_per_unit: int
    customers: int

    def company(self, c: int) -> str:
        return iri(f"company-{c}")

    def sales_unit(self, c: int, u: int) -> str:
        return iri(f"unit-{c}-sales-{u}")

    def post(self, c: int, u: int, p: int) -> str:
        return iri(f"post-{c}-{u}-{p}")

    def person(self, c: int, u: int, p: int) -> str:
        return iri(f"person-{c}-{u}-{p}")

    def customer(self, k: int) -> str:
        return iri(f"customer-{k}")

    def contact(self, k: int) -> str:
        return iri(f"contact-{k}")

    def model(self, c: int, u: int) -> str:
        return iri(f"model-{c}-{u}")


def structure_for(relationships: int) -> Structure:
    companies = max(2, math.ceil(relationships / 5000))
    sales_units = max(2, math.ceil(relationships / companies / 80))
    return Structure(companies, sales_units, 4, max(10, relationships // 2))


def _write_structure(w: Writer, st: Structure, stats: Stats) -> None:
    group = iri("group")
    w.t(group, RDF_TYPE, akj("CorporateGroup"))
    w.t(group, RDF_TYPE, org("Organization"))
    w.t(group, RDFS_LABEL, text("Generoitu konserni", "fi"))
    w.t(group, RDFS_LABEL, text("Generated Group", "en"))
    gm = iri("group-management")
    w.t(gm, RDF_TYPE, akj("GroupManagement"))
    w.t(gm, RDF_TYPE, org("OrganizationalUnit"))
    w.t(gm, org("unitOf"), group)
    w.t(gm, org("classification"), akj("GroupManagementFunction"))
    group_model = iri("model-group")
    w.t(group_model, RDF_TYPE, akj("CustomerModel"))
    w.t(group_model, akj("modelOwner"), gm)
    for role in ("UserRole", "NegotiatingPartnerRole", "PayerRole"):
        w.t(group_model, akj("countsAsCustomer"), akj(role))
    stats.models += 1
    for c in range(st.companies):
        company = st.company(c)
        w.t(company, RDF_TYPE, org("FormalOrganization"))
        w.t(company, org("subOrganizationOf"), group)
        w.t(company, RDFS_LABEL, text(f"Yhtiö {c} Oy", "fi"))
        w.t(company, RDFS_LABEL, text(f"Company {c} Ltd", "en"))
        w.t(company, org("identifier"), text(business_id(1_000_000 + 37 * c)))
        stats.companies += 1
        for kind, function in (("service", "CustomerServiceFunction"), ("marketing", "MarketingFunction")):
            unit = iri(f"unit-{c}-{kind}")
            w.t(unit, RDF_TYPE, org("OrganizationalUnit"))
            w.t(unit, org("unitOf"), company)
            w.t(unit, org("classification"), akj(function))
            stats.units += 1
        for u in range(st.sales_units):
            unit = st.sales_unit(c, u)
            w.t(unit, RDF_TYPE, org("OrganizationalUnit"))
            w.t(unit, org("unitOf"), company)
            w.t(unit, org("classification"), akj("SalesFunction"))
            w.t(unit, RDFS_LABEL, text(f"Myynti {c}.{u}", "fi"))
            w.t(unit, RDFS_LABEL, text(f"Sales {c}.{u}", "en"))
            stats.units += 1
            for p in range(st.posts_per_unit):
                post, person = st.post(c, u, p), st.person(c, u, p)
                w.t(post, RDF_TYPE, org("Post"))
                w.t(post, org("postIn"), unit)
                w.t(post, RDFS_LABEL, text(f"Asiakkuuspäällikkö {c}.{u}.{p}", "fi"))
                w.t(person, RDF_TYPE, foaf("Person"))
                w.t(person, foaf("name"), text(f"Henkilö {c}-{u}-{p}"))
                w.t(person, org("holds"), post)
                # dated organisation (issue 12): employment in the company and the post's tenure
                since = date(dt.date(2010 + (c + u + p) % 10, 1 + p, 1))
                employment, tenure = iri(f"employment-{c}-{u}-{p}"), iri(f"tenure-{c}-{u}-{p}")
                w.t(employment, RDF_TYPE, org("Membership"))
                w.t(employment, org("member"), person)
                w.t(employment, org("organization"), company)
                w.t(employment, akj("startDate"), since)
                w.t(tenure, RDF_TYPE, akj("PostTenure"))
                w.t(tenure, akj("tenurePost"), post)
                w.t(tenure, akj("tenureHolder"), person)
                w.t(tenure, akj("startDate"), since)
                stats.posts += 1
                stats.people += 1
            model = st.model(c, u)
            w.t(model, RDF_TYPE, akj("CustomerModel"))
            w.t(model, akj("modelOwner"), unit)
            w.t(model, akj("derivedFromModel"), group_model)
            for role in ("NegotiatingPartnerRole", "PayerRole"):
                w.t(model, akj("countsAsCustomer"), akj(role))
            stats.models += 1
        w.flush()


def _write_customers(w: Writer, st: Structure, rng: random.Random, stats: Stats) -> None:
    for k in range(st.customers):
        customer = st.customer(k)
        w.t(customer, RDF_TYPE, org("FormalOrganization"))
        w.t(customer, RDFS_LABEL, text(f"Asiakas {k} Oy", "fi"))
        w.t(customer, org("identifier"), text(business_id(2_000_000 + 13 * k)))
        if rng.random() < 0.3:
            contact = st.contact(k)
            w.t(contact, RDF_TYPE, foaf("Person"))
            w.t(contact, foaf("name"), text(f"Yhteyshenkilö {k}"))
            w.t(contact, org("memberOf"), customer)
            stats.people += 1
        stats.customers += 1
        if k % 1000 == 999:
            w.flush()


def _assignment(
    w: Writer, name: str, rel: str, role: str, assignee: str, start: dt.date | str, end: dt.date | None
) -> None:
    a = iri(name)
    w.t(a, RDF_TYPE, akj("ResponsibilityAssignment"))
    w.t(a, akj("assignmentFor"), rel)
    w.t(a, akj("responsibilityRole"), akj(role))
    w.t(a, akj("assignee"), assignee)
    w.t(a, akj("startDate"), start if isinstance(start, str) else date(start))
    if end is not None:
        w.t(a, akj("endDate"), date(end))


def _relationship(
    w: Writer, i: int, st: Structure, rng: random.Random, as_of: dt.date, defect: str | None, stats: Stats
) -> None:
    rel = iri(f"rel-{i}")
    c = i % st.companies
    u = rng.randrange(st.sales_units)
    provider = st.company(c)
    internal = st.companies > 1 and rng.random() < 0.1
    if internal:
        other = (c + 1 + rng.randrange(st.companies - 1)) % st.companies
        user = negotiator = st.sales_unit(other, rng.randrange(st.sales_units))
        payer = st.company(other)
    else:
        k = rng.randrange(st.customers)
        user = payer = st.customer(k)
        negotiator = st.contact(k) if rng.random() < 0.3 else user
        negotiator = negotiator if negotiator == user else st.customer(k)  # contacts may not exist
    year_start = dt.date(as_of.year, 1, 1)
    start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange((year_start - dt.date(2015, 1, 1)).days))
    classification = "InternalCustomerRelationship" if internal else "ExternalCustomerRelationship"
    if defect == "wrong-classification":
        classification = "ExternalCustomerRelationship" if internal else "InternalCustomerRelationship"

    w.t(rel, RDF_TYPE, akj("CustomerRelationship"))
    w.t(rel, RDF_TYPE, akj(classification))
    w.t(rel, RDFS_LABEL, text(f"Asiakkuus {i}", "fi"))
    w.t(rel, RDFS_LABEL, text(f"Relationship {i}", "en"))
    if defect != "missing-provider":
        w.t(rel, akj("hasProvider"), provider)
    w.t(rel, akj("hasUser"), user)
    w.t(rel, akj("hasNegotiatingPartner"), negotiator)
    if defect == "provider-is-payer":
        w.t(rel, akj("hasPayer"), provider)
    elif defect != "no-payer":
        w.t(rel, akj("hasPayer"), payer)
    w.t(rel, akj("startDate"), text(start.isoformat()) if defect == "date-not-date" else date(start))
    w.t(rel, akj("usesCustomerModel"), st.model(c, u))

    # Owner: a post of the unit; a quarter are handed over before the plan year starts.
    owner_post = st.post(c, u, 0)
    handover_span = (year_start - start).days
    if defect == "owner-outside":
        _assignment(w, f"asg-{i}-owner-1", rel, "OwnerRole", payer if not internal else st.customer(0), start, None)
    elif handover_span > 30 and (rng.random() < 0.25 or defect == "two-current-owners"):
        handover = start + dt.timedelta(days=1 + rng.randrange(handover_span - 1))
        old_end = None if defect == "two-current-owners" else handover - dt.timedelta(days=1)
        _assignment(w, f"asg-{i}-owner-1", rel, "OwnerRole", st.post(c, u, 1), start, old_end)
        _assignment(w, f"asg-{i}-owner-2", rel, "OwnerRole", owner_post, handover, None)
        stats.assignments += 1
    else:
        _assignment(w, f"asg-{i}-owner-1", rel, "OwnerRole", owner_post, start, None)
    stats.assignments += 1
    lead = st.person(c, u, 2)
    if defect == "lead-left":  # a former employee whose lead assignment was never closed
        lead = iri(f"leaver-{i}")
        employment = iri(f"employment-leaver-{i}")
        w.t(lead, RDF_TYPE, foaf("Person"))
        w.t(employment, RDF_TYPE, org("Membership"))
        w.t(employment, org("member"), lead)
        w.t(employment, org("organization"), provider)
        w.t(employment, akj("startDate"), date(dt.date(2014, 1, 1)))
        w.t(employment, akj("endDate"), date(dt.date(as_of.year - 1, 6, 30)))
    if defect != "no-lead":
        assignee = st.post(c, u, 2) if defect == "lead-is-post" else lead
        _assignment(w, f"asg-{i}-lead-1", rel, "LeadRole", assignee, start, None)
        w.t(iri(f"asg-{i}-lead-1"), akj("isPrimary"), f'"true"^^<{XSD_BOOLEAN}>')
        stats.assignments += 1
    if rng.random() < 0.5 or defect == "end-before-start":
        team_end = None
        team_start = start
        if defect == "end-before-start":
            team_start = start + dt.timedelta(days=10)
            team_end = start
        _assignment(w, f"asg-{i}-team-1", rel, "TeamMemberRole", st.person(c, u, 3), team_start, team_end)
        stats.assignments += 1

    if defect != "no-plan":
        plan = iri(f"plan-{i}-{as_of.year}")
        w.t(plan, RDF_TYPE, akj("CustomerRelationshipPlan"))
        w.t(plan, akj("planFor"), rel)
        w.t(plan, akj("preparedBy"), lead)
        w.t(plan, akj("approvedBy"), st.person(c, u, 0))
        w.t(plan, akj("validFrom"), date(year_start))
        w.t(plan, akj("validUntil"), date(dt.date(as_of.year, 12, 31)))
        stats.plans += 1
        for n in range(2):
            follow = iri(f"followup-{i}-{n}")
            if defect == "stale-follow-up":
                when = as_of - dt.timedelta(days=120 + 30 * n)
            else:
                when = as_of - dt.timedelta(days=1 + rng.randrange(80))
            w.t(follow, RDF_TYPE, akj("PlanFollowUp"))
            w.t(follow, akj("followsUp"), plan)
            w.t(follow, akj("activityDate"), date(when))
            w.t(follow, akj("performedBy"), st.person(c, u, 0))
            w.t(follow, akj("followUpBasis"), akj("FinancialResultBasis" if n else "BalanceSheetBasis"))
            w.t(follow, akj("inManagementDomain"), akj("CustomerRelationshipManagementDomain"))
            stats.follow_ups += 1
    stats.relationships += 1


def _data_asset(w: Writer, n: int, st: Structure, rng: random.Random, stats: Stats) -> None:
    asset = iri(f"data-{n}")
    c = n % st.companies
    w.t(asset, RDF_TYPE, akj("CustomerDataAsset"))
    w.t(asset, RDFS_LABEL, text(f"Asiakastietovaranto {n}", "fi"))
    w.t(asset, akj("dataSteward"), iri(f"unit-{c}-marketing"))
    for _ in range(5):
        w.t(asset, akj("describesParty"), st.customer(rng.randrange(st.customers)))
    stats.data_assets += 1


def generate(
    out: TextIO,
    *,
    relationships: int,
    seed: int = 1,
    defects: float = 0.0,
    defect_seed: int | None = None,
    as_of: dt.date = DEFAULT_AS_OF,
    progress: Callable[[int, int], None] | None = None,
) -> Stats:
    """Write the organisation to ``out`` as N-Triples; returns counts and the injected defects."""
    check_arguments(relationships, defects)
    rng = random.Random(seed)
    defect_rng = random.Random(seed * 7919 + 1 if defect_seed is None else defect_seed)
    kinds = sorted(DEFECTS)
    st = structure_for(relationships)
    stats = Stats()
    w = Writer(out)
    _write_structure(w, st, stats)
    _write_customers(w, st, rng, stats)
    # Contacts exist only for some customers; the negotiator falls back to the customer itself, so
    # every IRI the relationships name is defined.
    for i in range(relationships):
        defect = kinds[defect_rng.randrange(len(kinds))] if defects and defect_rng.random() < defects else None
        if defect == "wrong-classification" and st.companies == 1:
            defect = "no-payer"
        _relationship(w, i, st, rng, as_of, defect, stats)
        if defect is not None:
            focus = f"{GEN}rel-{i}"
            if defect in ("owner-outside",):
                focus = f"{GEN}asg-{i}-owner-1"
            elif defect == "end-before-start":
                focus = f"{GEN}asg-{i}-team-1"
            elif defect in ("lead-is-post", "lead-left"):
                focus = f"{GEN}asg-{i}-lead-1"
            elif defect == "stale-follow-up":
                focus = f"{GEN}plan-{i}-{as_of.year}"
            stats.defects.append(Defect(defect, DEFECTS[defect][0], focus))
        if i % 100 == 99:
            _data_asset(w, i // 100, st, rng, stats)
        if i % 500 == 499:
            w.flush()
            if progress is not None:
                progress(i + 1, relationships)
    w.flush()
    stats.triples = w.count
    return stats


def generate_to_file(
    path: Path | str,
    *,
    triples: int | None = None,
    relationships: int | None = None,
    seed: int = 1,
    defects: float = 0.0,
    defect_seed: int | None = None,
    as_of: dt.date = DEFAULT_AS_OF,
) -> int:
    """Write an organisation of about ``triples`` triples (or ``relationships``) to ``path``; returns the count."""
    n = relationships_for(triples, relationships, TRIPLES_PER_RELATIONSHIP)
    stats = write_file(
        path,
        lambda out: generate(out, relationships=n, seed=seed, defects=defects, defect_seed=defect_seed, as_of=as_of),
    )
    return stats.triples


def write_defects(path: Path, defects: list[Defect]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["shape_id", "focus_node", "kind", "what"])
        for d in defects:
            writer.writerow([d.shape_id, d.focus, d.kind, DEFECTS[d.kind][1]])


def main(argv: list[str] | None = None) -> int:
    parser = generator_parser(__doc__, TRIPLES_PER_RELATIONSHIP, DEFAULT_AS_OF, "N-Triples file (default: stdout)")
    parser.add_argument("--defect-seed", type=int, help="seed for choosing defects (default: from --seed)")
    parser.add_argument("--defects-out", type=Path, help="CSV of the injected defects")
    args = parser.parse_args(argv)
    relationships = relationships_for(args.triples, args.relationships, TRIPLES_PER_RELATIONSHIP)

    def write(out: TextIO) -> Stats:
        return generate(
            out,
            relationships=relationships,
            seed=args.seed,
            defects=args.defects,
            defect_seed=args.defect_seed,
            as_of=args.as_of,
        )

    stats = write_file(args.out, write) if args.out else write(sys.stdout)
    if args.defects_out:
        write_defects(args.defects_out, stats.defects)
    print(f"{summary(stats, 'defects')}, {len(stats.defects)} defects injected", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
