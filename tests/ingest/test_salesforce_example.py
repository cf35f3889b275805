"""The example export imports to the expected owners, leads and capacities, with provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from crmkg.ingest import ImportConfig, import_salesforce
from crmkg.validation.report import Severity

from .conftest import EXAMPLE, expected_rows

PREFIXES = """
PREFIX akj: <https://w3id.org/crmkg/akj#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


@pytest.fixture(scope="module")
def graph() -> Graph:
    from crmkg.ingest import load_config

    result = import_salesforce(EXAMPLE, load_config(EXAMPLE / "crmkg-import.toml"))
    assert not result.has_errors, [str(f) for f in result.findings]
    return result.graph()


def _rows(graph: Graph, query: str, **bindings: object) -> set[tuple[str, ...]]:
    result = graph.query(PREFIXES + query, initBindings=bindings)
    return {tuple("" if v is None else str(v) for v in row) for row in result}


def test_assignments_match_expected(graph: Graph) -> None:
    got = _rows(
        graph,
        """
        SELECT ?a ?rel ?role ?who ?start ?end WHERE {
          ?a a akj:ResponsibilityAssignment ; akj:assignmentFor ?rel ; akj:responsibilityRole ?role ;
             akj:assignee ?who ; akj:startDate ?start .
          OPTIONAL { ?a akj:endDate ?end } }""",
    )
    assert got == expected_rows("example-assignments.csv")


def test_current_owners_and_leads_on_reference_date(graph: Graph) -> None:
    got = _rows(
        graph,
        """
        SELECT DISTINCT ?rel ?role ?who WHERE {
          ?a akj:assignmentFor ?rel ; akj:responsibilityRole ?role ; akj:assignee ?who ;
             akj:startDate ?start .
          OPTIONAL { ?a akj:endDate ?end }
          FILTER(?role IN (akj:OwnerRole, akj:LeadRole))
          FILTER(?start <= ?asOf && (!BOUND(?end) || ?end >= ?asOf)) }""",
        asOf=Literal("2026-10-01", datatype=XSD.date),
    )
    assert got == expected_rows("example-current-2026-10-01.csv")


def test_handover_leaves_no_day_with_two_owner_leads(graph: Graph) -> None:
    # On the handover date only the new lead from OwnerId is current (the old one ended the day before).
    got = _rows(
        graph,
        """
        SELECT ?who WHERE {
          ?a akj:assignmentFor ?rel ; akj:responsibilityRole akj:LeadRole ; akj:assignee ?who ;
             akj:startDate ?start ; prov:wasDerivedFrom ?rec .
          ?rec dcterms:type "AccountHistory" .
          OPTIONAL { ?a akj:endDate ?end }
          FILTER(?start <= ?day && (!BOUND(?end) || ?end >= ?day)) }""",
        rel=URIRef("https://example.org/salesforce/relationship/0015g00000TeOlLAAV"),
        day=Literal("2025-06-15", datatype=XSD.date),
    )
    assert got == {("https://example.org/hr/person/P004",)}


def test_capacities_match_expected(graph: Graph) -> None:
    got = _rows(
        graph,
        """
        SELECT ?rel ?p ?party WHERE {
          VALUES ?p { akj:hasUser akj:hasNegotiatingPartner akj:hasPayer akj:involvesCustomerParty }
          ?rel ?p ?party }""",
    )
    assert got == expected_rows("example-capacities.csv")


def test_competitor_gets_no_relationship_by_config(graph: Graph) -> None:
    assert not graph.query(
        PREFIXES
        + """ASK {
        ?rel akj:hasProvider ?p ; akj:involvesCustomerParty
            <https://example.org/salesforce/account/0015g00000KiLpAAAV> }"""
    ).askAnswer


def test_every_generated_node_has_provenance(graph: Graph) -> None:
    missing = graph.query(
        PREFIXES
        + """
        SELECT DISTINCT ?s WHERE {
          ?s ?p ?o . FILTER(isIRI(?s))
          FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?r }
          FILTER NOT EXISTS { ?s dcterms:isPartOf ?export . ?export a prov:Collection }
          FILTER NOT EXISTS { ?s a prov:Collection } }"""
    )
    assert [str(row[0]) for row in missing] == []
    # and the ASK form of the same check
    assert not graph.query(
        PREFIXES
        + """ASK {
          ?s ?p ?o . FILTER(isIRI(?s))
          FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?r }
          FILTER NOT EXISTS { ?s dcterms:isPartOf ?export . ?export a prov:Collection }
          FILTER NOT EXISTS { ?s a prov:Collection } }"""
    ).askAnswer


def test_provenance_leads_back_to_the_crm_row(graph: Graph) -> None:
    got = _rows(
        graph,
        """
        SELECT ?object ?id ?system ?date WHERE {
          <https://example.org/salesforce/assignment/01M5g00000Tm001EAB> prov:wasDerivedFrom ?rec .
          ?rec dcterms:type ?object ; dcterms:identifier ?id ; dcterms:isPartOf ?ex .
          ?ex dcterms:source ?system ; dcterms:created ?date }""",
    )
    assert got == {("AccountTeamMember", "01M5g00000Tm001EAB", "salesforce", "2026-09-30")}


def test_users_link_to_hr_people_by_email_or_employee_number(graph: Graph) -> None:
    got = _rows(
        graph,
        """
        SELECT ?person WHERE { ?person a foaf:Person ; prov:wasDerivedFrom ?rec . ?rec dcterms:type "User" }""",
    )
    assert got == {(f"https://example.org/hr/person/P00{i}",) for i in (1, 2, 3, 4, 5)} | {
        ("https://example.org/salesforce/user/0055g00000PeKkAAAV",)
    }


def test_posts_units_and_line_managers(graph: Graph) -> None:
    got = _rows(
        graph,
        """
        SELECT ?person ?post ?unit ?boss WHERE {
          BIND(<https://example.org/hr/person/P003> AS ?person)
          ?person org:holds ?post ; org:memberOf ?unit ; org:reportsTo ?boss }""",
    )
    assert got == {
        (
            "https://example.org/hr/person/P003",
            "https://example.org/salesforce/role/00E5g000000Kq3CEAS",
            "https://example.org/salesforce/department/myynti",
            "https://example.org/hr/person/P002",
        ),
        # staff are members of the provider itself, too (not only through their department)
        (
            "https://example.org/hr/person/P003",
            "https://example.org/salesforce/role/00E5g000000Kq3CEAS",
            "https://example.org/esimerkki/esimerkki-oy",
            "https://example.org/hr/person/P002",
        ),
    }


def test_example_has_only_notes() -> None:
    result = import_salesforce(EXAMPLE, ImportConfig())
    assert {f.severity for f in result.findings} <= {Severity.INFO}
    # an "Account Manager" who is also the record owner is one lead assignment, not two
    merged = {f.message() for f in result.findings if f.shape_id == "merged-with-owner"}
    assert merged == {
        "0055g00000LiIsAAAV is both the owner of account 0015g00000AsIaKAAV and its 'Account Manager' team member; "
        "kept the OwnerId assignment only",
    }
    # by default the competitor and the prospect are parties without a relationship (one note each)
    notes = {(f.shape_id, str(f.value)) for f in result.findings if f.shape_id != "merged-with-owner"}
    assert notes == {
        ("not-customer", "Competitor"),
        ("not-customer", "Prospect"),
        ("unmapped-value", "Pre-Sales Consultant"),
        ("unmapped-value", "Sales Rep"),
        ("unmapped-value", "Technical Buyer"),
    }


def test_defaults_without_config_use_salesforce_user_iris(tmp_path: Path) -> None:
    graph = import_salesforce(EXAMPLE).graph()
    leads = _rows(
        graph,
        """
        SELECT ?who WHERE { ?a akj:responsibilityRole akj:LeadRole ; akj:assignee ?who ;
                                akj:assignmentFor <https://example.org/salesforce/relationship/0015g00000AsTaMAAV> }""",
    )
    assert leads == {("https://example.org/salesforce/user/0055g00000JuKkAAAV",)}
    # by default the competitor account is a party but no customer relationship
    assert not graph.query(
        PREFIXES
        + """ASK {
        <https://example.org/salesforce/relationship/0015g00000KiLpAAAV> a akj:CustomerRelationship }"""
    ).askAnswer
