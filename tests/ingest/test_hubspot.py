"""HubSpot: companies and contacts exports as HubSpot writes them, owners from the API or a CSV."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import FOAF, ORG

from crmkg.ingest import ImportConfig, import_hubspot
from crmkg.ingest.hubspot.config import HubSpotConfig
from crmkg.validation.report import Severity

from .conftest import where

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "hubspot-export"
COMPANIES = "hubspot-crm-exports-all-companies-2026-02-25.csv"
HS = "https://example.org/hubspot/"
AKJ = "https://w3id.org/crmkg/akj#"


def current(graph: Graph, role: str) -> dict[str, str]:
    rows = graph.query(
        "PREFIX akj: <https://w3id.org/crmkg/akj#> SELECT ?rel ?who WHERE { ?a akj:assignmentFor ?rel ; "
        "akj:responsibilityRole ?role ; akj:assignee ?who }",
        initBindings={"role": URIRef(AKJ + role)},
    )
    return {str(r[0]).removeprefix(HS + "relationship/"): str(r[1]).removeprefix(HS) for r in rows}  # type: ignore[index]


def copy(tmp_path: Path) -> Path:
    target = tmp_path / "export"
    shutil.copytree(EXAMPLE, target)
    return target


def test_lifecycle_stage_decides_who_is_a_customer_and_the_owner_leads() -> None:
    result = import_hubspot(EXAMPLE)
    assert not result.has_errors
    graph = result.graph()
    leads = current(graph, "LeadRole")
    # customers and evangelists (label or internal value) are relationships; a lead and "Other" are not
    assert leads == {
        "18001234501": "owner/61000001",
        "18001234502": "owner/61000001",
        "18001234503": "owner/61000002",
        "18001234506": "owner/61000001",
    }
    stages = {str(f.value) for f in result.findings if f.shape_id == "not-customer-stage"}
    assert stages == {"Marketing Qualified Lead", "Other"}
    # without owner = "team" the team owns nothing; the export date comes from the file name
    assert current(graph, "OwnerRole") == {}
    assert result.summary["skippedNotCustomer"] == 2
    start = graph.value(URIRef(HS + "assignment/18001234503-owner-2025-11-20"), URIRef(AKJ + "startDate"))
    assert str(start) == "2025-11-20"  # "Owner assigned date" is the start, as the portal wrote it
    export = URIRef(HS + "export/2026-02-25")
    assert (export, RDF.type, URIRef("http://www.w3.org/ns/prov#Collection")) in graph


def test_owners_are_staff_in_their_teams_and_contacts_belong_to_their_company() -> None:
    graph = import_hubspot(EXAMPLE).graph()
    ville = URIRef(HS + "owner/61000001")
    assert (ville, RDF.type, FOAF.Person) in graph
    assert (ville, ORG.memberOf, URIRef(HS + "team/myynti-etela")) in graph
    assert (ville, ORG.memberOf, URIRef("https://example.org/salesforce/provider")) in graph
    assert (URIRef(HS + "contact/25100001"), ORG.memberOf, URIRef(HS + "company/18001234501")) in graph
    assert (URIRef(HS + "company/18001234502"), ORG.subOrganizationOf, URIRef(HS + "company/18001234501")) in graph


def test_owner_matched_by_email_and_by_owner_id(tmp_path: Path) -> None:
    export = copy(tmp_path)
    path = export / COMPANIES
    text = path.read_text(encoding="utf-8").replace('"Company owner"', '"hubspot_owner_id"')
    text = text.replace('"Riikka Rantanen","Myynti Pohjoinen"', '"61000002","Myynti Pohjoinen"')
    path.write_text(text.replace('"Other"', '"Customer"'), encoding="utf-8")
    leads = current(import_hubspot(export).graph(), "LeadRole")
    assert leads["18001234503"] == "owner/61000002"  # by id
    assert leads["18001234505"] == "owner/61000002"  # by e-mail


def test_missing_owners_file_gives_placeholders_and_one_warning(tmp_path: Path) -> None:
    export = copy(tmp_path)
    (export / "owners.json").unlink()
    result = import_hubspot(export)
    [warning] = [f for f in result.findings if f.shape_id == "owners-not-exported"]
    assert warning.severity is Severity.WARNING
    assert "names 2 owners" in warning.message("en")
    graph = result.graph()
    assert current(graph, "LeadRole")["18001234503"] == "owner/riikka-rantanen"
    assert (URIRef(HS + "owner/riikka-rantanen"), RDF.type, FOAF.Person) in graph


def test_team_owns_when_configured_and_owners_csv_works(tmp_path: Path) -> None:
    export = copy(tmp_path)
    owners = json.loads((export / "owners.json").read_text(encoding="utf-8"))["results"]
    (export / "owners.json").unlink()
    lines = ["id,name,email,team"] + [
        f"{o['id']},{o['firstName']} {o['lastName']},{o['email']},{o['teams'][0]['name']}" for o in owners
    ]
    (export / "owners.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = ImportConfig(hubspot=replace(HubSpotConfig(), owner="team"))
    graph = import_hubspot(export, config).graph()
    assert current(graph, "OwnerRole")["18001234503"] == "team/myynti-pohjoinen"
    assert current(graph, "LeadRole")["18001234503"] == "owner/61000002"


def test_duplicate_record_id_and_dangling_company(tmp_path: Path) -> None:
    export = copy(tmp_path)
    path = export / COMPANIES
    lines = path.read_text(encoding="utf-8").splitlines()
    duplicate = lines[1].replace("Pohjolan Puutarha Oy", "Toinen Nimi Oy", 1)
    path.write_text("\n".join([*lines, duplicate]) + "\n", encoding="utf-8")
    contacts = export / "hubspot-crm-exports-all-contacts-2026-02-25.csv"
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(text.replace('"18001234504"', '"18009999999"'), encoding="utf-8")
    result = import_hubspot(export)
    found = {f.shape_id: (where(f), f.message("en")) for f in result.findings if f.severity is Severity.VIOLATION}
    assert found["duplicate-id"][0] == (COMPANIES, len(lines) + 1, "Id")
    assert "also on line 2" in found["duplicate-id"][1]
    assert found["dangling-id"][0][2] == "Company"
