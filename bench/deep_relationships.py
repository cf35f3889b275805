"""Customer relationships of ``generate_deep.py``: dated owner handovers, leads, team, plans with
follow-ups — and the relationship-level defects with the findings each must produce."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from deep_findings import AKJ, CUSTOMER_PARTY_PATH, XSD, Finding, iri_nt, literal_nt
from deep_structure import Organisation, Team, expand
from turtle_out import Blank, Pairs, TurtleWriter, date, long_text, text

#: Relationship-level defect kinds, given out in turn.
REL_KINDS = (
    "no-provider",
    "no-customer-party",
    "no-payer",
    "provider-is-payer",
    "two-current-owners",
    "no-current-owner",
    "no-current-lead",
    "bot-owner",
    "personal-owner",
    "owner-outside",
    "team-end-before-start",
    "team-missing-start",
    "team-start-with-time",
    "team-start-month-13",
    "relationship-start-string",
    "relationship-start-finnish",
    "stale-owner-shortcut",
    "wrong-classification",
    "unclassified",
    "no-current-plan",
    "stale-follow-ups",
    "approver-not-owner",
    "plan-without-author",
    "follow-up-without-basis",
    "follow-up-date-ill-typed",
    "lead-is-post",
    "two-primary-leads",
    "no-primary-lead",
    "two-models",
    "primary-flag-not-boolean",
    "plan-dates-reversed",
)

#: rdflib (under pyshacl) reads an xsd:date with a time part as a valid date, so the reference misses it.
RDFLIB_LENIENT = "rdflib parses a date with a time part as a valid xsd:date"


@dataclass
class Assignment:
    iri: str
    role: str
    assignee: str
    start: str | None  # Turtle term
    end: dt.date | None = None
    primary: str | None = None
    first: dt.date | None = None  # the start as a date, for finding owners on a day

    def current_on(self, day: dt.date) -> bool:
        return self.first is not None and self.first <= day and (self.end is None or self.end >= day)

    def pairs(self, rel: str) -> Pairs:
        return [
            ("a", ["akj:ResponsibilityAssignment"]),
            ("akj:assignmentFor", [rel]),
            ("akj:responsibilityRole", [self.role]),
            ("akj:assignee", [self.assignee]),
            ("akj:startDate", [self.start] if self.start else []),
            ("akj:endDate", [date(self.end)] if self.end else []),
            ("akj:isPrimary", [self.primary] if self.primary else []),
        ]


def _f(shape: str, focus: str, component: str, kind: str, **more: str) -> Finding:
    return Finding(shape, expand(focus), component, kind=kind, **more)


class RelationshipWriter:
    def __init__(self, w: TurtleWriter, org: Organisation, as_of: dt.date) -> None:
        self.w, self.org, self.as_of = w, org, as_of

    def write(self, i: int, rng: random.Random, kind: str | None) -> list[Finding]:
        org, as_of = self.org, self.as_of
        year = as_of.year
        company = org.companies[i % len(org.companies)]
        team = company.teams[rng.randrange(len(company.teams))]
        rel = f"crm:r{i}"
        provider: str | None = company.iri if rng.random() < 0.7 else team.division
        internal = len(org.companies) > 1 and rng.random() < 0.1
        if internal:
            other = org.companies[(company.index + 1 + rng.randrange(len(org.companies) - 1)) % len(org.companies)]
            other_team = other.teams[rng.randrange(len(other.teams))]
            user, negotiator, payer = other_team.unit, other_team.holder("tl"), other.iri
        else:
            customer = org.customers[rng.randrange(len(org.customers))]
            user = payer = customer.iri
            negotiator = customer.contact or customer.iri
        parties: dict[str, str | None] = {"hasUser": user, "hasNegotiatingPartner": negotiator, "hasPayer": payer}
        start = dt.date(2012, 1, 1) + dt.timedelta(
            days=rng.randrange((dt.date(year - 2, 6, 30) - dt.date(2012, 1, 1)).days)
        )
        start_term = date(start)
        classification: str | None = (
            "akj:InternalCustomerRelationship" if internal else "akj:ExternalCustomerRelationship"
        )
        owners = self._owners(rel, team, start, i, rng)
        leads = self._leads(rel, team, start, rng)
        teams = [
            Assignment(f"{rel}.team{k + 1}", "akj:TeamMemberRole", team.holder(who), date(s), first=s)
            for k, who in enumerate(("member", "am2")[: rng.randrange(3)])
            for s in [start + dt.timedelta(days=rng.randrange(300))]
        ]
        found: list[Finding] = []
        models = [team.model]
        shortcuts = kind is None and rng.random() < 0.2
        plans = {year - 1: True, year: True}
        stale_owner: str | None = None

        # ---- relationship-level defects (each names the findings it must produce)
        if kind == "no-provider":
            provider = None
            found.append(_f("S1", rel, "MinCount", kind, path=AKJ + "hasProvider"))
        elif kind == "no-customer-party":
            parties = dict.fromkeys(parties)
            found.append(_f("S2", rel, "MinCount", kind, path=CUSTOMER_PARTY_PATH))
            # S3 reports through a SPARQL constraint per capacity (issue 15 §7): the value is the relationship
            found.extend(_f("S3", rel, "SPARQL", kind, path=AKJ + p, value=f"<{expand(rel)}>") for p in parties)
        elif kind == "no-payer":
            parties["hasPayer"] = None
            found.append(_f("S3", rel, "SPARQL", kind, path=AKJ + "hasPayer", value=f"<{expand(rel)}>"))
        elif kind == "provider-is-payer":
            assert provider is not None
            parties["hasPayer"] = provider
            found.append(_f("S4", rel, "Disjoint", kind, path=AKJ + "hasProvider", value=iri_nt(expand(provider))))
        elif kind == "two-current-owners":
            owners[-2].end = None
            first = min(expand(owners[-2].iri), expand(owners[-1].iri))
            found.append(_f("S5", rel, "SPARQL", kind, value=iri_nt(first)))
        elif kind == "no-current-owner":
            owners[-1].end = as_of - dt.timedelta(days=5)
            found.append(_f("S6", rel, "SPARQL", kind, value=iri_nt(expand(rel))))
        elif kind == "no-current-lead":
            leads[-1].end = as_of - dt.timedelta(days=5)
            found.append(_f("S7", rel, "SPARQL", kind, value=iri_nt(expand(rel))))
        elif kind in ("bot-owner", "personal-owner", "owner-outside"):
            first_owner = owners[0]  # ended before last year's plan: no plan's approval depends on it
            if kind == "bot-owner":
                first_owner.assignee = company.bot
                found.append(_f("S8", first_owner.iri, "Or", kind, value=iri_nt(expand(first_owner.iri))))
            elif kind == "personal-owner":
                first_owner.assignee = team.holder(first_owner.assignee.rsplit(".", 1)[1])
                found.append(_f("S9", first_owner.iri, "Or", kind, value=iri_nt(expand(first_owner.iri))))
            else:
                outsider = org.customers[i % len(org.customers)].iri
                first_owner.assignee = outsider
                found.append(_f("S10", first_owner.iri, "SPARQL", kind, value=iri_nt(expand(outsider))))
        elif kind is not None and kind.startswith("team-"):
            s = start + dt.timedelta(days=20)
            t1 = Assignment(f"{rel}.team1", "akj:TeamMemberRole", team.holder("member"), date(s), first=s)
            teams = [t1]
            path = AKJ + "startDate"
            if kind == "team-end-before-start":
                t1.end = s - dt.timedelta(days=10)
                found.append(
                    _f(
                        "S11",
                        t1.iri,
                        "LessThanOrEquals",
                        kind,
                        path=path,
                        value=literal_nt(s.isoformat(), XSD + "date"),
                    )
                )
            elif kind == "team-missing-start":
                t1.start = None
                found.append(_f("S11", t1.iri, "MinCount", kind, path=path))
            else:
                lexical = "2023-03-05T00:00:00" if kind == "team-start-with-time" else "2024-13-05"
                t1.start, t1.first = f'"{lexical}"^^xsd:date', None
                gap = RDFLIB_LENIENT if "T" in lexical else ""
                found.append(
                    _f(
                        "S11",
                        t1.iri,
                        "Datatype",
                        kind,
                        path=path,
                        value=literal_nt(lexical, XSD + "date"),
                        reference_gap=gap,
                    )
                )
        elif kind in ("relationship-start-string", "relationship-start-finnish"):
            if kind == "relationship-start-string":
                start_term, value = text(start.isoformat()), literal_nt(start.isoformat())
            else:
                lexical = f"{start.day}.{start.month}.{start.year}"
                start_term, value = f'"{lexical}"^^xsd:date', literal_nt(lexical, XSD + "date")
            found.append(_f("S27", rel, "Datatype", kind, path=AKJ + "startDate", value=value))
        elif kind == "stale-owner-shortcut":
            stale_owner = owners[-2].assignee
            for v in (owners[-2].assignee, owners[-1].assignee):
                found.append(_f("S12", rel, "SPARQL", kind, value=iri_nt(expand(v))))
        elif kind == "wrong-classification":
            if internal:
                classification = "akj:ExternalCustomerRelationship"
                found.append(_f("S13a", rel, "SPARQL", kind, value=iri_nt(expand("o:group"))))
            else:
                classification = "akj:InternalCustomerRelationship"
                for v in {p for p in parties.values() if p}:
                    found.append(_f("S13a", rel, "SPARQL", kind, value=iri_nt(expand(v))))
        elif kind == "unclassified":
            classification = None
            found.append(_f("S13b", rel, "SPARQL", kind, value=iri_nt(expand(rel))))
        elif kind == "no-current-plan":
            plans[year] = False
            found.append(_f("S14", rel, "SPARQL", kind, value=iri_nt(expand(rel))))
        elif kind == "lead-is-post":
            leads[-1].assignee = team.post("tl")
            found.append(_f("S26", leads[-1].iri, "SPARQL", kind, value=iri_nt(expand(team.post("tl")))))
        elif kind in ("two-primary-leads", "no-primary-lead"):
            s = start + dt.timedelta(days=40)
            extra = Assignment(f"{rel}.lead9", "akj:LeadRole", team.holder("am2"), date(s), first=s)
            leads.append(extra)
            if kind == "two-primary-leads":
                extra.primary = "true"
                first = min(expand(leads[-2].iri), expand(extra.iri))
                found.append(_f("S27", rel, "SPARQL", kind, value=iri_nt(first)))
            else:
                leads[-2].primary = None
                found.append(_f("S27", rel, "SPARQL", kind, value=iri_nt(expand(rel))))
        elif kind == "two-models":
            models.append("o:group.model")
            found.append(_f("S27", rel, "MaxCount", kind, path=AKJ + "usesCustomerModel"))
        elif kind == "primary-flag-not-boolean":
            leads[-1].primary = text("kyllä")
            found.append(_f("S27", leads[-1].iri, "Datatype", kind, path=AKJ + "isPrimary", value=literal_nt("kyllä")))

        pairs: Pairs = [
            ("a", ["akj:CustomerRelationship", *([classification] if classification else [])]),
            ("rdfs:label", [text(f"Asiakkuus {i}", "fi"), text(f"Relationship {i}", "en")]),
            ("akj:hasProvider", [provider] if provider else []),
            *((f"akj:{p}", [v] if v else []) for p, v in parties.items()),
            ("akj:startDate", [start_term]),
            ("akj:usesCustomerModel", models),
        ]
        if shortcuts:
            pairs += [("akj:hasOwner", [owners[-1].assignee]), ("akj:hasLead", [leads[-1].assignee])]
        if stale_owner is not None:
            pairs.append(("akj:hasOwner", [stale_owner]))
        if i % 40 == 0:
            pairs.append(
                ("rdfs:comment", [long_text(f"Asiakkuus {i}.\nVastuut vaihtuneet {len(owners) - 1} kertaa.", "fi")])
            )
        self.w.block(rel, pairs, comment=f"relationship {i}" if i % 25 == 0 else None)
        for a in (*owners, *leads, *teams):
            self.w.block(a.iri, a.pairs(rel))
        for y, present in plans.items():
            if present:
                # The reversed dates go to last year's plan, every other plan defect to this year's.
                applies = (kind == "plan-dates-reversed") == (y == year - 1)
                found.extend(self._plan(rel, y, team, owners, rng, kind if applies else None))
        if i % 300 == 299:
            self._decision_and_asset(i, team)
        return found

    def _owners(self, rel: str, team: Team, start: dt.date, i: int, rng: random.Random) -> list[Assignment]:
        """2–5 dated handovers; the first one before last year's plan, the last one over a month ago."""
        handovers = rng.randint(2, 5)
        last_year = dt.date(self.as_of.year - 1, 1, 1)
        first_cut = start + dt.timedelta(days=5 + rng.randrange((last_year - start).days - 15))
        latest = self.as_of - dt.timedelta(days=40)
        rest = sorted(rng.sample(range(1, (latest - first_cut).days), handovers - 1))
        cuts = [first_cut, *(first_cut + dt.timedelta(days=d) for d in rest)]
        out = []
        for k in range(handovers + 1):
            begin = start if k == 0 else cuts[k - 1]
            end = cuts[k] - dt.timedelta(days=1) if k < handovers else None
            assignee = team.post("am1" if (k + i) % 2 == 0 else "am2")
            if k == handovers and rng.random() < 0.1:
                assignee = team.unit
            out.append(Assignment(f"{rel}.owner{k + 1}", "akj:OwnerRole", assignee, date(begin), end, first=begin))
        return out

    def _leads(self, rel: str, team: Team, start: dt.date, rng: random.Random) -> list[Assignment]:
        if rng.random() < 0.5:
            cut = start + dt.timedelta(days=5 + rng.randrange((self.as_of - dt.timedelta(days=40) - start).days - 5))
            return [
                Assignment(
                    f"{rel}.lead1",
                    "akj:LeadRole",
                    team.holder("am1"),
                    date(start),
                    cut - dt.timedelta(days=1),
                    first=start,
                ),
                Assignment(f"{rel}.lead2", "akj:LeadRole", team.holder("tl"), date(cut), primary="true", first=cut),
            ]
        return [Assignment(f"{rel}.lead1", "akj:LeadRole", team.holder("tl"), date(start), primary="true", first=start)]

    def _approver(self, team: Team, owners: list[Assignment], day: dt.date) -> str:
        """The person who may approve a plan valid from ``day``: the holder of the owning post, or
        the head of the owning unit."""
        owner = [a for a in owners if a.current_on(day)][-1].assignee
        return team.holder("tl") if owner == team.unit else team.holder(owner.rsplit(".", 1)[1])

    def _plan(
        self, rel: str, year: int, team: Team, owners: list[Assignment], rng: random.Random, kind: str | None
    ) -> list[Finding]:
        found: list[Finding] = []
        plan = f"{rel}.plan{year}"
        valid_from, valid_until = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if kind == "plan-dates-reversed":
            valid_from, valid_until = valid_until, valid_from
            found.append(
                _f(
                    "S27",
                    plan,
                    "LessThanOrEquals",
                    kind,
                    path=AKJ + "validFrom",
                    value=literal_nt(valid_from.isoformat(), XSD + "date"),
                )
            )
        approver = self._approver(team, owners, valid_from)
        if kind == "approver-not-owner":
            approver = team.holder("member")
            found.append(_f("S16", plan, "SPARQL", kind, value=iri_nt(expand(approver))))
        author = [] if kind == "plan-without-author" else [team.holder("tl")]
        if kind == "plan-without-author":
            found.append(_f("S17", plan, "MinCount", kind, path=AKJ + "preparedBy"))
        self.w.block(
            plan,
            [
                ("a", ["akj:CustomerRelationshipPlan"]),
                ("akj:planFor", [rel]),
                ("akj:preparedBy", author),
                ("akj:approvedBy", [approver]),
                ("akj:validFrom", [date(valid_from)]),
                ("akj:validUntil", [date(valid_until)]),
            ],
        )
        current = year == self.as_of.year
        end = min(self.as_of - dt.timedelta(days=1), dt.date(year, 12, 31))
        count = rng.randint(3, 6) if current else rng.randint(2, 3)
        for n in range(count):
            if current and kind == "stale-follow-ups":
                when = dt.date(year, 1, 1) + dt.timedelta(
                    days=rng.randrange((self.as_of - dt.date(year, 1, 1)).days - 100)
                )
            elif current and n == 0:
                when = self.as_of - dt.timedelta(days=1 + rng.randrange(80))
            else:
                when = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange((end - dt.date(year, 1, 1)).days))
            pairs: Pairs = [
                ("a", ["akj:PlanFollowUp"]),
                ("akj:followsUp", [plan]),
                ("akj:activityDate", [date(when)]),
                ("akj:performedBy", [team.holder("tl")]),
                ("akj:followUpBasis", ["akj:FinancialResultBasis" if n % 2 else "akj:BalanceSheetBasis"]),
                ("akj:inManagementDomain", ["akj:CustomerRelationshipManagementDomain"]),
            ]
            if current and n == 1 and kind in ("follow-up-without-basis", "follow-up-date-ill-typed"):
                named = f"{plan}.fu{n + 1}"
                if kind == "follow-up-without-basis":
                    pairs = [p for p in pairs if p[0] != "akj:followUpBasis"]
                    found.append(_f("S17", named, "MinCount", kind, path=AKJ + "followUpBasis"))
                else:
                    lexical = f"{year}-02-30"
                    pairs = [(p, ['"' + lexical + '"^^xsd:date'] if p == "akj:activityDate" else o) for p, o in pairs]
                    found.append(
                        _f(
                            "S17",
                            named,
                            "Datatype",
                            kind,
                            path=AKJ + "activityDate",
                            value=literal_nt(lexical, XSD + "date"),
                        )
                    )
                self.w.block(named, pairs)
            else:
                self.w.anonymous(pairs)
        if current and kind == "stale-follow-ups":
            found.append(_f("S15", plan, "SPARQL", kind, value=iri_nt(expand(plan))))
        return found

    def _decision_and_asset(self, i: int, team: Team) -> None:
        rels = [f"crm:r{k}" for k in range(i - 5, i + 1)]
        self.w.block(
            f"crm:decision{i}",
            [
                ("a", ["akj:ManagementDecision"]),
                ("akj:activityDate", [date(self.as_of - dt.timedelta(days=i % 200 + 1))]),
                ("akj:performedBy", [team.holder("tl")]),
                ("akj:decisionConcerns", rels[-2:]),
                ("akj:inManagementDomain", ["akj:CustomerRelationshipManagementDomain"]),
            ],
        )
        self.w.block(
            f"crm:data{i}",
            [
                ("a", ["akj:CustomerDataAsset"]),
                ("akj:dataSteward", [team.division]),
                ("akj:describesRelationship", rels),
                ("akj:conformsToModel", [team.model]),
                ("akj:heldInSystem", [Blank([("rdfs:label", [text("CRM")])])]),
            ],
        )
