"""What a Salesforce export means (issue 11 §1): customers, staff, missing users, owner derivations,
Person Accounts, id prefixes, deleted rows, unused objects, grouped findings — on the Data Export fixture."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, Namespace

from crmkg.ingest import ImportConfig, import_salesforce
from crmkg.ingest.config_base import AKJ, picklist
from crmkg.ingest.salesforce.config import DEFAULT_ACCOUNT_TYPES, SalesforceConfig
from crmkg.validation.report import Severity

from .conftest import where

EXPORT = Path(__file__).parent / "fixtures" / "sf-data-export"
AKJ_NS = Namespace("https://w3id.org/crmkg/akj#")
SF = "https://example.org/salesforce/"
PROVIDER = URIRef("https://example.org/salesforce/provider")
U = {
    k: f"0055g000Xy0000{i}AIA"
    for i, k in enumerate(["ceo", "dir", "am1", "am2old", "partner", "guest", "auto", "portal", "sysadmin"], 1)
}
A = {
    k: f"0015g000Xy{i:05d}AIA"
    for i, k in enumerate(
        [
            "ork",
            "orkplant",
            "reseller",
            "rival",
            "prospect",
            "empty",
            "other",
            "deleted",
            "person",
            "orphanowner",
            "partnerowned",
            "queue",
            "sysowned",
        ],
        1,
    )
}


def imported(**changes: object) -> tuple[object, Graph]:
    result = import_salesforce(EXPORT, ImportConfig(salesforce=replace(SalesforceConfig(), **changes)))  # type: ignore[arg-type]
    return result, result.graph()


@pytest.fixture(scope="module")
def default() -> tuple[object, Graph]:
    return imported()


def findings(result: object, code: str) -> list:  # type: ignore[type-arg]
    return [f for f in result.findings if f.shape_id == code]  # type: ignore[attr-defined]


def relationships(graph: Graph) -> set[str]:
    return {str(s).removeprefix(SF + "relationship/") for s in graph.subjects(URIRef(AKJ + "hasProvider"), None)}


def current(graph: Graph, role: str) -> dict[str, str]:
    rows = graph.query(
        "PREFIX akj: <https://w3id.org/crmkg/akj#> SELECT ?rel ?who WHERE { ?a akj:assignmentFor ?rel ; "
        "akj:responsibilityRole ?role ; akj:assignee ?who FILTER NOT EXISTS { ?a akj:endDate ?e } }",
        initBindings={"role": URIRef(AKJ + role)},
    )
    return {str(r[0]).removeprefix(SF + "relationship/"): str(r[1]).removeprefix(SF) for r in rows}  # type: ignore[index]


def test_who_is_a_customer_by_account_type(default: tuple[object, Graph]) -> None:
    result, graph = default
    got = relationships(graph)
    # customers, an empty Type and an unknown value are relationships; partners, competitors and prospects are not
    assert got == {
        A[k]
        for k in ("ork", "orkplant", "empty", "other", "person", "orphanowner", "partnerowned", "queue", "sysowned")
    }
    # ... but they are still parties, and their OwnerId leads nothing
    assert (URIRef(SF + "account/" + A["reseller"]), RDF.type, ORG.Organization) in graph
    assert A["reseller"] not in current(graph, "LeadRole")
    assert {str(f.value) for f in findings(result, "not-customer")} == {
        "Channel Partner / Reseller",
        "Competitor",
        "Prospect",
    }
    [empty] = findings(result, "empty-value")
    assert "1 row(s) without Type" in empty.message("en")
    assert result.summary["skippedProspect"] == 1  # type: ignore[attr-defined]
    assert result.summary["skippedNotCustomer"] == 2  # type: ignore[attr-defined]


def test_prospects_become_relationships_when_configured() -> None:
    types = picklist({**DEFAULT_ACCOUNT_TYPES, "Prospect": AKJ + "CustomerRelationship"}, AKJ + "CustomerRelationship")
    _, graph = imported(account_types=types)
    assert A["prospect"] in relationships(graph)


def test_deleted_rows_are_skipped_and_counted(default: tuple[object, Graph]) -> None:
    result, graph = default
    assert not list(graph.triples((URIRef(SF + "account/" + A["deleted"]), None, None)))
    assert not list(graph.triples((URIRef(SF + "contact/0035g000Xy00005AIA"), None, None)))
    assert result.summary["skippedDeleted"] == 1  # type: ignore[attr-defined]
    assert result.summary["accountsRead"] == 13  # type: ignore[attr-defined]


def test_only_standard_users_are_staff(default: tuple[object, Graph]) -> None:
    result, graph = default
    members = {str(p).removeprefix(SF + "user/") for p in graph.subjects(ORG.memberOf, PROVIDER)}
    # every active Standard user, also the administrator without role or department; placeholders too
    # (the inactive am2old is a member up to the export only: test_an_inactive_user_has_left_by_the_export)
    assert members == {U[k] for k in ("ceo", "dir", "am1", "sysadmin")} | {
        "0055g000Xy00090AIA",
        "0055g000Xy00091AIA",
    }
    for k in ("partner", "guest", "auto", "portal"):
        assert not list(graph.triples((URIRef(SF + "user/" + U[k]), None, None))), k
    # a partner owner and a guest team member: a warning each, no assignment
    assert {(str(f.value), where(f)[2]) for f in findings(result, "not-staff")} == {
        (U["partner"], "OwnerId"),
        (U["guest"], "UserId"),
    }
    assert A["partnerowned"] not in current(graph, "LeadRole")
    # the partner portal role is not a post of the provider
    assert not list(graph.triples((URIRef(SF + "role/00E5g000Xy00004EIA"), None, None)))


def test_users_missing_from_the_export_are_typed_placeholders_with_one_warning(default: tuple[object, Graph]) -> None:
    result, graph = default
    [warning] = findings(result, "users-missing")
    assert warning.severity is Severity.WARNING
    assert "refers to 2 users" in warning.message("en")
    for uid in ("0055g000Xy00090AIA", "0055g000Xy00091AIA"):
        person = URIRef(SF + "user/" + uid)
        assert (person, RDF.type, FOAF.Person) in graph
        assert (person, FOAF.name, Literal(uid)) in graph
    assert current(graph, "LeadRole")[A["orphanowner"]] == "user/0055g000Xy00090AIA"


def test_no_user_csv_at_all_asks_for_it(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    shutil.copytree(EXPORT, folder)
    (folder / "User.csv").unlink()
    result = import_salesforce(folder)
    warnings = {where(f)[2]: f for f in result.findings if f.shape_id == "users-not-exported"}
    assert "add User.csv" in warnings["OwnerId"].message("en")
    assert not result.fatal


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        ("none", {A["ork"]: "user/" + U["dir"]}),
        (
            "manager",
            {
                A["ork"]: "user/" + U["dir"],
                A["orkplant"]: "user/" + U["dir"],
                A["empty"]: "user/" + U["ceo"],
                A["other"]: "user/" + U["dir"],
                A["person"]: "user/" + U["dir"],
            },
        ),
        (
            "owner-role",
            {
                A["ork"]: "user/" + U["dir"],
                A["orkplant"]: "role/00E5g000Xy00003EIA",
                A["empty"]: "role/00E5g000Xy00002EIA",
                A["other"]: "role/00E5g000Xy00003EIA",
                A["person"]: "role/00E5g000Xy00003EIA",
            },
        ),
        (
            "parent-role",
            {
                A["ork"]: "user/" + U["dir"],
                A["orkplant"]: "role/00E5g000Xy00002EIA",
                A["empty"]: "role/00E5g000Xy00001EIA",
                A["other"]: "role/00E5g000Xy00002EIA",
                A["person"]: "role/00E5g000Xy00002EIA",
            },
        ),
    ],
)
def test_owner_derivations(owner: str, expected: dict[str, str]) -> None:
    # the Executive Sponsor owns Örkki in every mode; the derivation fills in the others
    result, graph = imported(owner=owner)
    assert current(graph, "OwnerRole") == expected
    assert result.summary["withOwner"] == len(expected)  # type: ignore[attr-defined]
    assert f'owner = "{owner}"' in result.notes[0]  # type: ignore[attr-defined]


def test_person_accounts_are_people_and_their_contact_is_not_a_second_party(default: tuple[object, Graph]) -> None:
    _, graph = default
    person = URIRef(SF + "account/" + A["person"])
    assert (person, RDF.type, FOAF.Person) in graph
    assert (person, RDF.type, ORG.Organization) not in graph
    assert not list(graph.triples((URIRef(SF + "contact/0035g000Xy00004AIA"), None, None)))
    rel = URIRef(SF + "relationship/" + A["person"])
    assert (rel, URIRef(AKJ + "hasUser"), person) in graph
    assert (rel, URIRef(AKJ + "hasPayer"), person) in graph


def test_empty_contact_roles_involve_the_contact(default: tuple[object, Graph]) -> None:
    _, graph = default
    rel = URIRef(SF + "relationship/" + A["ork"])
    assert (rel, URIRef(AKJ + "involvesCustomerParty"), URIRef(SF + "contact/0035g000Xy00002AIA")) in graph


def test_rows_of_another_object_and_queue_owners(default: tuple[object, Graph]) -> None:
    result, graph = default
    [other] = findings(result, "other-object-row")
    assert where(other) == ("UserRole.csv", 6, "Id")
    assert "Territory2" in other.message("en")
    assert not list(graph.triples((URIRef(SF + "role/0MI5g000Xy00001GIA"), None, None)))
    [queue] = findings(result, "queue-owner")
    assert where(queue) == ("Account.csv", 13, "OwnerId")


def test_known_unused_objects_are_one_note(default: tuple[object, Graph]) -> None:
    result, _ = default
    [note] = findings(result, "unused-files")
    assert note.severity is Severity.INFO
    assert str(note.value) == "Opportunity.csv, OpportunityTeamMember.csv"


def test_inactive_owner_is_one_grouped_warning(default: tuple[object, Graph]) -> None:
    result, _ = default
    [warning] = findings(result, "inactive-owner")
    assert warning.message("en") == f"the inactive user {U['am2old']} (Jörn Entinen) is the owner of 1 accounts"


def test_history_change_names_its_assigner(default: tuple[object, Graph]) -> None:
    _, graph = default
    assignment = URIRef(SF + f"assignment/{A['ork']}/owner/2024-09-02")
    assert (assignment, URIRef(AKJ + "assignedBy"), URIRef(SF + "user/" + U["dir"])) in graph


def test_provenance_names_system_object_id_and_date(default: tuple[object, Graph]) -> None:
    _, graph = default
    rows = graph.query(
        """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?node ?object ?id ?system ?date WHERE { ?node prov:wasDerivedFrom ?rec .
          ?rec dcterms:type ?object ; dcterms:identifier ?id ; dcterms:isPartOf ?ex .
          ?ex dcterms:source ?system ; dcterms:created ?date }"""
    )
    by_node = {str(r[0]): (str(r[1]), str(r[2]), str(r[3])) for r in rows}  # type: ignore[index]
    assert by_node[SF + "relationship/" + A["ork"]] == ("Account", A["ork"], "salesforce")
    assert by_node[SF + "user/0055g000Xy00090AIA"][0] == "Account"  # a placeholder comes from the row naming it
    missing = graph.query(
        """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT DISTINCT ?s WHERE { ?s ?p ?o . FILTER(isIRI(?s)) FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?r }
          FILTER NOT EXISTS { ?s dcterms:isPartOf ?e } FILTER NOT EXISTS { ?s a prov:Collection } }"""
    )
    assert [str(r[0]) for r in missing] == []  # type: ignore[index]


def test_an_inactive_user_has_left_by_the_export(default: tuple[object, Graph]) -> None:
    result, graph = default
    person = URIRef(SF + "user/" + U["am2old"])
    (exported,) = {str(d) for d in graph.objects(None, DCTERMS.created) if str(d)[:2] == "20"}
    last_day = (dt.date.fromisoformat(exported) - dt.timedelta(days=1)).isoformat()
    ends = {
        (str(graph.value(m, ORG.organization)), str(graph.value(m, AKJ_NS.endDate)))
        for m in graph.subjects(ORG.member, person)
    }
    assert ends == {(str(PROVIDER), last_day)}
    assert (person, ORG.memberOf, PROVIDER) not in graph  # not "held throughout"
    assert not list(graph.objects(person, ORG.holds))
    tenures = {str(graph.value(t, AKJ_NS.endDate)) for t in graph.subjects(AKJ_NS.tenureHolder, person)}
    assert tenures <= {last_day}
    assert result.summary["inactiveUsersEnded"] == 1  # type: ignore[attr-defined]
