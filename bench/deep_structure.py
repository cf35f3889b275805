"""The holding group of ``generate_deep.py``: its structure, written as Turtle, and its structural defects.

Everything is named from indices; the few facts the relationships need (a team's posts and the
people holding them, its customer model, the customers) are kept in :class:`Organisation`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from deep_findings import AKJ, PARENT_PATH, XSD, Finding, iri_nt, literal_nt
from gen_common import business_id
from turtle_out import Blank, Pairs, TurtleWriter, date, long_text, text

NS = {
    "akj": AKJ,
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": XSD,
    "o": "https://holding.example.net/org/",
    "p": "https://holding.example.net/people/",
    "c": "https://holding.example.net/customers/",
    "crm": "https://holding.example.net/crm/",
}
ROLES = ("akj:UserRole", "akj:NegotiatingPartnerRole", "akj:PayerRole")
LEVELS = (
    ("divisioona", "division"),
    ("liiketoimintalinja", "business line"),
    ("alue", "region"),
    ("piiri", "district"),
    ("osasto", "department"),
    ("jaos", "section"),
    ("tiimi", "team"),
    ("ryhmä", "squad"),
)
GIVEN = ("Aile", "Tuuka", "Vesmo", "Liira", "Ossen", "Kaari", "Mielo", "Rauni", "Eevu", "Hanto")
FAMILY = ("Korvensalo", "Mäkiranta-Aho", "Peltokivi", "Särkkä", "Vuorenlahti", "Öhmanni", "Lintusalo")

#: Structural defect kinds; each company gets some in turn (see ``generate``).
STRUCT_KINDS = (
    "startup-two-parents",
    "startup-no-support",
    "startup-no-review",
    "startup-data-not-enriching",
    "asset-no-steward",
    "model-without-owner",
    "divergent-model",
    "org-cycle",
    "domain-cycle",
    "assessment-level-high",
    "assessment-level-decimal",
    "assessment-date-ill-typed",
    "comm-scope-invalid",
    "bad-business-id",
)


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return NS[prefix] + local


#: The capability assessments' defects: which of a company's three assessments each spoils, the
#: property, the value written there instead (lexical form, XSD datatype) and the component it breaks.
_ASSESSMENT_DEFECTS = {
    "assessment-level-high": (0, "assessmentLevel", "7", "integer", "MaxInclusive"),
    "assessment-level-decimal": (1, "assessmentLevel", "3.5", "decimal", "Datatype"),
    "assessment-date-ill-typed": (2, "activityDate", "2026-02-29", "date", "Datatype"),  # not a leap year
}


def name(rng: random.Random, n: int) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)} {n}"


@dataclass
class Team:
    """A leaf unit: three posts (two account managers, the team lead), their holders, one more member."""

    unit: str
    division: str
    model: str

    def post(self, which: str) -> str:
        return f"{self.unit}.post.{which}"

    def holder(self, which: str) -> str:
        return "p:" + self.unit.removeprefix("o:") + "." + which


@dataclass
class Company:
    index: int
    depth: int
    units: dict[str, str] = field(default_factory=dict)  # unit → parent
    teams: list[Team] = field(default_factory=list)

    @property
    def iri(self) -> str:
        return f"o:c{self.index}"

    @property
    def bot(self) -> str:
        return f"o:c{self.index}.bot"


@dataclass
class Customer:
    iri: str
    contact: str | None


@dataclass
class Organisation:
    companies: list[Company]
    customers: list[Customer]
    #: Models whose owner and counted capacities S19 compares: (model, owner, capacities).
    model_facts: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)

    @classmethod
    def build(cls, companies: int, leaves: int, *, customers: int, rng: random.Random) -> Organisation:
        built = []
        for c in range(companies):
            company = Company(c, depth=6 + c % 3)
            branching = [1] * company.depth
            i = 0
            while _product(branching) < leaves:
                branching[i % company.depth] += 1
                i += 1
            for path in _paths(branching, leaves):
                parent = company.iri
                for level in range(1, len(path) + 1):
                    unit = f"o:c{c}.u" + ".".join(str(x + 1) for x in path[:level])
                    company.units.setdefault(unit, parent)
                    parent = unit
                division = f"o:c{c}.u{path[0] + 1}"
                company.teams.append(Team(parent, division, parent + ".model"))
            built.append(company)
        people = [Customer(f"c:k{k}", f"c:k{k}.contact" if rng.random() < 0.3 else None) for k in range(customers)]
        return cls(built, people)

    def models(self) -> list[tuple[str, str, frozenset[str]]]:
        return [(expand(m), expand(o), caps) for m, o, caps in self.model_facts]

    def parents(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {expand("o:group.management"): [expand("o:group")]}
        for company in self.companies:
            out[expand(company.iri)] = [expand("o:group")]
            for unit, parent in company.units.items():
                out[expand(unit)] = [expand(parent)]
        return out


def _product(values: list[int]) -> int:
    out = 1
    for v in values:
        out *= v
    return out


def _paths(branching: list[int], limit: int) -> list[tuple[int, ...]]:
    """The first ``limit`` leaf paths of a tree with ``branching[level]`` children per node."""
    paths: list[tuple[int, ...]] = [()]
    for b in branching:
        paths = [(*p, k) for p in paths for k in range(b)]
    return paths[:limit]


def write_structure(
    w: TurtleWriter, org: Organisation, defects: dict[int, list[str]], as_of: dt.date, rng: random.Random
) -> list[Finding]:
    findings: list[Finding] = []
    _write_group(w, org, rng)
    for company in org.companies:
        kinds = defects.get(company.index, [])
        findings.extend(_write_company(w, org, company, kinds, as_of, rng))
    _write_customers(w, org, defects, findings, rng)
    return findings


def _write_group(w: TurtleWriter, org: Organisation, rng: random.Random) -> None:
    w.block(
        "o:group",
        [
            ("a", ["akj:CorporateGroup", "org:Organization"]),
            ("rdfs:label", [text("Holding-konserni", "fi"), text("Holding Group", "en")]),
            ("org:identifier", [text(business_id(3_100_000))]),
            ("akj:groupCustomerModel", ["o:group.model"]),
            ("akj:adoptsManagementModel", ["o:group.mm"]),
        ],
        comment="The corporate group: the boundary organisation of every relationship.",
    )
    gm = "o:group.management"
    w.block(
        gm,
        [
            ("a", ["akj:GroupManagement", "org:OrganizationalUnit"]),
            ("org:unitOf", ["o:group"]),
            ("org:classification", ["akj:GroupManagementFunction"]),
        ],
    )
    w.block(
        f"{gm}.post.ceo", [("a", ["org:Post"]), ("org:postIn", [gm]), ("rdfs:label", [text("Konsernijohtaja", "fi")])]
    )
    w.block(
        "p:group.ceo", [("a", ["foaf:Person"]), ("foaf:name", [text(name(rng, 0))]), ("org:holds", [f"{gm}.post.ceo"])]
    )
    w.block(
        "o:group.model", [("a", ["akj:CustomerModel"]), ("akj:modelOwner", [gm]), ("akj:countsAsCustomer", list(ROLES))]
    )
    org.model_facts.append(("o:group.model", gm, frozenset(ROLES)))
    _management_model(w, "o:group.mm", dt.date(2020, 1, 1))


def _management_model(w: TurtleWriter, iri: str, start: dt.date) -> None:
    w.block(
        iri,
        [
            ("a", ["akj:ManagementModel"]),
            ("akj:orientation", ["akj:CustomerCentricOrientation"]),
            ("akj:decentralisation", ["akj:PartlyDecentralised"]),
            ("akj:steeringScope", ["akj:FunctionLevel"]),
            ("akj:startDate", [date(start)]),
        ],
    )


def _write_company(
    w: TurtleWriter, org: Organisation, company: Company, kinds: list[str], as_of: dt.date, rng: random.Random
) -> list[Finding]:
    found: list[Finding] = []
    c, iri = company.index, company.iri
    w.block(
        iri,
        [
            ("a", ["org:FormalOrganization"]),
            ("rdfs:label", [text(f"Tytäryhtiö {c} Oy", "fi"), text(f"Subsidiary {c} Ltd", "en")]),
            ("org:identifier", [text(business_id(1_200_000 + 41 * c))]),
            ("org:subOrganizationOf", ["o:group"]),
            ("akj:adoptsManagementModel", [f"{iri}.mm"]),
            ("akj:communicates", [f"{iri}.comm"]),
            ("rdfs:comment", [long_text(f"Yhtiö {c}.\nYksikköpuu on {company.depth} tasoa syvä.", "fi")]),
        ],
        comment=f"company {c}: units {company.depth} levels deep",
    )
    teams = {t.unit: t for t in company.teams}
    for unit, parent in company.units.items():
        level = unit.count(".", unit.index(".u")) + 0
        fi, en = LEVELS[min(level, len(LEVELS)) - 1]
        code = unit.split(".u", 1)[1]
        pairs: Pairs = [
            ("a", ["org:OrganizationalUnit"]),
            ("rdfs:label", [text(f"{fi} {c}/{code}", "fi"), text(f"{en} {c}/{code}", "en")]),
            ("org:unitOf", [parent]),
        ]
        team = teams.get(unit)
        if team is not None:
            pairs.append(("org:classification", ["akj:SalesFunction"]))
        elif parent == iri:
            pairs.append(("org:classification", ["akj:SalesManagementFunction"]))
        w.block(unit, pairs)
        if team is not None:
            _write_team(w, org, company, team, kinds, found, rng)
    w.block(
        company.bot,
        [("a", ["foaf:Agent"]), ("rdfs:label", [text(f"Myyntirobotti {c}", "fi")]), ("org:memberOf", [iri])],
    )
    marketing = f"{iri}.marketing"
    w.block(
        marketing,
        [("a", ["org:OrganizationalUnit"]), ("org:unitOf", [iri]), ("org:classification", ["akj:MarketingFunction"])],
    )
    _write_startup(w, org, company, kinds, found, as_of, rng)
    _write_management(w, company, kinds, found, as_of, rng)
    return found


def _write_team(
    w: TurtleWriter,
    org: Organisation,
    company: Company,
    team: Team,
    kinds: list[str],
    found: list[Finding],
    rng: random.Random,
) -> None:
    for which, label in (("am1", "Asiakkuuspäällikkö 1"), ("am2", "Asiakkuuspäällikkö 2"), ("tl", "Tiiminvetäjä")):
        w.block(
            team.post(which), [("a", ["org:Post"]), ("org:postIn", [team.unit]), ("rdfs:label", [text(label, "fi")])]
        )
        pairs: Pairs = [
            ("a", ["foaf:Person"]),
            ("foaf:name", [text(name(rng, len(w.parts)))]),
            ("org:holds", [team.post(which)]),
        ]
        if which == "tl":
            pairs.append(("org:headOf", [team.unit]))
        w.block(team.holder(which), pairs)
    w.block(
        team.holder("member"),
        [("a", ["foaf:Person"]), ("foaf:name", [text(name(rng, len(w.parts)))]), ("org:memberOf", [team.unit])],
    )
    caps = ROLES
    owner: str | None = team.unit
    index = company.teams.index(team)
    if index == 0 and "model-without-owner" in kinds:
        owner = None
        found.append(
            Finding("S18", expand(team.model), "MinCount", path=AKJ + "modelOwner", kind="model-without-owner")
        )
    if index == 1 and "divergent-model" in kinds:
        caps = ("akj:PayerRole",)
    w.block(
        team.model,
        [
            ("a", ["akj:CustomerModel"]),
            ("akj:modelOwner", [owner] if owner else []),
            ("akj:countsAsCustomer", list(caps)),
            ("akj:derivedFromModel", ["o:group.model"]),
            ("akj:appliesToUnit", [team.unit]),
        ],
    )
    if owner is not None:
        org.model_facts.append((team.model, owner, frozenset(caps)))


def _write_startup(
    w: TurtleWriter,
    org: Organisation,
    company: Company,
    kinds: list[str],
    found: list[Finding],
    as_of: dt.date,
    rng: random.Random,
) -> None:
    iri = company.iri
    startup = f"{iri}.startup"
    parents: Pairs = [("org:unitOf", [iri])]
    if "startup-two-parents" in kinds:
        parents.append(("org:subOrganizationOf", ["o:group"]))
        found.append(Finding("S20a", expand(startup), "MaxCount", path=PARENT_PATH, kind="startup-two-parents"))
    support = ["o:group.management"]
    if "startup-no-support" in kinds:
        support = []
        found.append(Finding("S20b", expand(startup), "MinCount", path=AKJ + "supportedBy", kind="startup-no-support"))
    w.block(
        startup,
        [
            ("a", ["akj:InternalStartup", "org:OrganizationalUnit"]),
            *parents,
            ("org:classification", ["akj:BusinessManagementFunction"]),
            ("akj:supportedBy", support),
            ("akj:resourcesManagedBy", [startup]),
        ],
    )
    if "startup-no-review" in kinds:
        found.append(Finding("S21", expand(startup), "SPARQL", value=iri_nt(expand(startup)), kind="startup-no-review"))
    else:
        w.block(
            f"{startup}.review",
            [
                ("a", ["akj:SituationReview"]),
                ("akj:reviewedUnit", [startup]),
                ("akj:activityDate", [date(as_of - dt.timedelta(days=5 + rng.randrange(150)))]),
                ("akj:performedBy", ["p:group.ceo"]),
                ("akj:inManagementDomain", ["akj:BusinessManagementDomain"]),
            ],
        )
    customers = org.customers
    enriched = [f"{startup}.data"]
    if "startup-data-not-enriching" in kinds:
        enriched = []
        found.append(
            Finding(
                "S22b",
                expand(f"{startup}.data"),
                "SPARQL",
                value=iri_nt(expand(startup)),
                kind="startup-data-not-enriching",
            )
        )
    w.block(
        f"{iri}.data",
        [
            ("a", ["akj:CustomerDataAsset"]),
            ("rdfs:label", [text(f"Asiakasrekisteri {company.index}", "fi")]),
            ("akj:dataSteward", [f"{iri}.marketing"]),
            ("akj:describesParty", sorted({customers[rng.randrange(len(customers))].iri for _ in range(4)})),
            ("akj:conformsToModel", ["o:group.model"]),
            ("akj:enrichedBy", enriched),
        ],
    )
    w.block(
        f"{startup}.data",
        [
            ("a", ["akj:CustomerDataAsset"]),
            ("akj:dataSteward", [startup]),
            ("akj:describesParty", [customers[rng.randrange(len(customers))].iri]),
        ],
    )
    steward = [f"{iri}.marketing"]
    if "asset-no-steward" in kinds:
        steward = []
        found.append(
            Finding(
                "S22a", expand(f"{iri}.data.service"), "MinCount", path=AKJ + "dataSteward", kind="asset-no-steward"
            )
        )
    w.block(
        f"{iri}.data.service",
        [
            ("a", ["akj:CustomerDataAsset"]),
            ("akj:dataSteward", steward),
            ("akj:describesParty", [customers[rng.randrange(len(customers))].iri]),
        ],
    )


def _write_management(
    w: TurtleWriter, company: Company, kinds: list[str], found: list[Finding], as_of: dt.date, rng: random.Random
) -> None:
    iri = company.iri
    _management_model(w, f"{iri}.mm", dt.date(2019 + company.index % 5, 1, 1))
    scope = "akj:ExternalCommunication"
    if "comm-scope-invalid" in kinds:
        scope = "akj:SocialMediaCommunication"
        found.append(
            Finding(
                "S27",
                expand(f"{iri}.comm"),
                "In",
                path=AKJ + "communicationScope",
                value=iri_nt(expand(scope)),
                kind="comm-scope-invalid",
            )
        )
    w.block(
        f"{iri}.comm",
        [
            ("a", ["akj:CommunicationPractice"]),
            ("akj:communicationScope", [scope]),
            ("akj:emphasisesCustomerCentricity", ["true"]),
        ],
    )
    w.block(
        f"{iri}.domain",
        [
            ("a", ["akj:ManagementDomain", "skos:Concept"]),
            ("skos:prefLabel", [text(f"Avainasiakkuudet {company.index}", "fi")]),
            ("akj:isPartOfDomain", ["akj:CustomerRelationshipManagementDomain"]),
        ],
    )
    capabilities = ("akj:StrategicSensitivity", "akj:CollectiveCommitment", "akj:ResourceFluidity")
    for k, capability in enumerate(capabilities):
        a = f"{iri}.assessment{k + 1}"
        level, when = str(1 + rng.randrange(5)), date(as_of - dt.timedelta(days=30 * k + 3))
        for kind, (index, prop, lexical, datatype, component) in _ASSESSMENT_DEFECTS.items():
            if k == index and kind in kinds:
                if prop == "activityDate":
                    when = f'"{lexical}"^^xsd:date'
                else:
                    level = lexical
                value = literal_nt(lexical, XSD + datatype)
                found.append(Finding("S24", expand(a), component, path=AKJ + prop, value=value, kind=kind))
        w.block(
            a,
            [
                ("a", ["akj:CapabilityAssessment"]),
                ("akj:assessedOrganization", [iri]),
                ("akj:assessedCapability", [capability]),
                ("akj:assessmentLevel", [level]),
                ("akj:activityDate", [when]),
                ("akj:assessor", ["p:group.ceo"]),
            ],
        )
    if "org-cycle" in kinds:
        a, b = f"{iri}.orphan.a", f"{iri}.orphan.b"
        w.block(a, [("a", ["org:OrganizationalUnit"]), ("org:unitOf", [b])])
        w.block(b, [("a", ["org:OrganizationalUnit"]), ("org:unitOf", [a])])
        found.extend(Finding("S23", expand(x), "SPARQL", value=iri_nt(expand(x)), kind="org-cycle") for x in (a, b))
    if "domain-cycle" in kinds:
        x, y = f"{iri}.domain.x", f"{iri}.domain.y"
        w.block(x, [("a", ["akj:ManagementDomain"]), ("akj:isPartOfDomain", [y])])
        w.block(y, [("a", ["akj:ManagementDomain"]), ("akj:isPartOfDomain", [x])])
        found.extend(Finding("S23", expand(d), "SPARQL", value=iri_nt(expand(d)), kind="domain-cycle") for d in (x, y))


def _write_customers(
    w: TurtleWriter, org: Organisation, defects: dict[int, list[str]], found: list[Finding], rng: random.Random
) -> None:
    bad_ids = {c for c, kinds in defects.items() if "bad-business-id" in kinds}
    for k, customer in enumerate(org.customers):
        ident = business_id(2_400_000 + 17 * k) if k % 4 else f"CRM-{k:06d}"
        if k in bad_ids:
            digits, check = business_id(2_400_000 + 17 * k).split("-")
            ident = f"{digits}-{(int(check) + 1) % 10}"
            found.append(
                Finding("S27", expand(customer.iri), "SPARQL", value=literal_nt(ident), kind="bad-business-id")
            )
        pairs: Pairs = [
            ("a", ["org:FormalOrganization"]),
            ("rdfs:label", [text(f"Asiakas {k} Oy", "fi")]),
            ("org:identifier", [text(ident)]),
        ]
        if k % 2:
            site = Blank(
                [
                    ("a", ["org:Site"]),
                    ("rdfs:label", [text(f"Toimipaikka {k}", "fi")]),
                    (
                        "<http://www.w3.org/ns/org#siteAddress>",
                        [Blank([("<http://www.w3.org/2006/vcard/ns#locality>", [text("Kaupunki " + str(k % 97))])])],
                    ),
                ]
            )
            pairs.append(("org:hasPrimarySite", [site]))
        w.block(customer.iri, pairs)
        if customer.contact:
            w.block(
                customer.contact,
                [("a", ["foaf:Person"]), ("foaf:name", [text(name(rng, k))]), ("org:memberOf", [customer.iri])],
            )
