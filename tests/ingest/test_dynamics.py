"""Dynamics 365 / Dataverse: Web API JSON with annotations, CSV with logical or display names,
Excel exports with the hidden "(Do Not Modify)" id column; owners that are users or teams."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import FOAF, ORG

from crmkg.ingest import ImportConfig, import_dynamics
from crmkg.ingest.dynamics.config import DynamicsConfig
from crmkg.ingest.dynamics.importer import guid
from crmkg.validation.report import Severity

from .conftest import where

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dynamics-export"
DY = "https://example.org/dynamics/"
AKJ = "https://w3id.org/crmkg/akj#"
KIVI, TRE = "00004001-5e1c-4f00-a000-000000004001", "00004002-5e1c-4f00-a000-000000004002"
SARI, TEAM, SALES = (
    "00003001-5e1c-4f00-a000-000000003001",
    "00002001-5e1c-4f00-a000-000000002001",
    "00001002-5e1c-4f00-a000-000000001002",
)


def current(graph: Graph, role: str) -> dict[str, str]:
    rows = graph.query(
        "PREFIX akj: <https://w3id.org/crmkg/akj#> SELECT ?rel ?who WHERE { ?a akj:assignmentFor ?rel ; "
        "akj:responsibilityRole ?role ; akj:assignee ?who FILTER NOT EXISTS { ?a akj:endDate ?e } }",
        initBindings={"role": URIRef(AKJ + role)},
    )
    return {str(r[0]).removeprefix(DY + "relationship/"): str(r[1]).removeprefix(DY) for r in rows}  # type: ignore[index]


def test_guids_with_or_without_braces_in_any_case_are_one_id() -> None:
    assert guid("{6F1D2A3B-0000-4ABC-8DEF-0123456789AB}") == guid("6f1d2a3b-0000-4abc-8def-0123456789ab")
    assert guid("not-a-guid") is None


def test_web_api_json_users_lead_teams_own_inactive_and_app_users() -> None:
    result = import_dynamics(EXAMPLE)
    assert not result.has_errors
    graph = result.graph()
    assert current(graph, "LeadRole") == {
        KIVI: "user/" + SARI,
        "00004006-5e1c-4f00-a000-000000004006": "user/00003004-5e1c-4f00-a000-000000003004",
    }
    owners = current(graph, "OwnerRole")
    assert owners[TRE] == "team/" + TEAM  # a team-owned account is owned by the team
    assert owners[KIVI] == "user/00003002-5e1c-4f00-a000-000000003002"  # a connection as Executive Sponsor
    codes = {f.shape_id: f for f in result.findings}
    assert codes["inactive-accounts"].message("en").startswith("1 inactive accounts")
    assert codes["application-user-owner"].severity is Severity.WARNING
    assert result.summary["skippedInactive"] == 1
    # the application user is no person of the provider; the team is a unit of its business unit
    assert not list(graph.triples((URIRef(DY + "user/00003003-5e1c-4f00-a000-000000003003"), RDF.type, FOAF.Person)))
    assert (URIRef(DY + "team/" + TEAM), ORG.unitOf, URIRef(DY + "businessunit/" + SALES)) in graph
    # a contact in a display-name CSV: its company by GUID in braces, or by the account's name
    assert (
        URIRef(DY + "contact/00005001-5e1c-4f00-a000-000000005001"),
        ORG.memberOf,
        URIRef(DY + "account/" + KIVI),
    ) in graph
    assert (
        URIRef(DY + "contact/00005002-5e1c-4f00-a000-000000005002"),
        ORG.memberOf,
        URIRef(DY + "account/00004003-5e1c-4f00-a000-000000004003"),
    ) in graph
    rel = URIRef(DY + "relationship/" + KIVI)
    assert (
        rel,
        URIRef(AKJ + "hasNegotiatingPartner"),
        URIRef(DY + "contact/00005001-5e1c-4f00-a000-000000005001"),
    ) in graph


def test_business_unit_owns_what_no_team_owns() -> None:
    config = ImportConfig(dynamics=replace(DynamicsConfig(), owner="business-unit"))
    owners = current(import_dynamics(EXAMPLE, config).graph(), "OwnerRole")
    assert owners["00004006-5e1c-4f00-a000-000000004006"] == "businessunit/" + SALES
    assert owners[TRE] == "team/" + TEAM


def _as_csv(tmp_path: Path, names: str) -> Path:
    """The example's accounts and users as CSV files with logical names (GUIDs upper-cased in braces)."""
    folder = tmp_path / "csv"
    folder.mkdir()
    for entity, file in (("accounts", "account.csv"), ("systemusers", "systemuser.csv"), ("teams", "team.csv")):
        records = json.loads((EXAMPLE / f"{entity}.json").read_text(encoding="utf-8"))["value"]
        rows = []
        for r in records:
            row = {}
            for key, value in r.items():
                if key.startswith("@") or "@odata" in key or "FormattedValue" in key or "lookuplogicalname" in key:
                    continue
                name = key.removeprefix("_").removesuffix("_value")
                text = "" if value is None else str(value)
                row[name] = "{" + text.upper() + "}" if guid(text) else text
            if entity == "accounts":
                row["owneridtype"] = r.get("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "")
            rows.append(row)
        header = list(rows[0])
        with (folder / file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, header, lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
    return folder


def test_csv_with_logical_names_imports_like_the_json(tmp_path: Path) -> None:
    result = import_dynamics(_as_csv(tmp_path, "logical"))
    assert not result.fatal
    graph = result.graph()
    assert current(graph, "LeadRole")[KIVI] == "user/" + SARI
    assert current(graph, "OwnerRole")[TRE] == "team/" + TEAM


def test_excel_export_with_hidden_id_column(tmp_path: Path) -> None:
    folder = tmp_path / "xlsx"
    shutil.copytree(EXAMPLE, folder)
    (folder / "accounts.json").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "(Do Not Modify) Account",
            "(Do Not Modify) Row Checksum",
            "(Do Not Modify) Modified On",
            "Account Name",
            "Owner",
            "Relationship Type",
            "Status",
            "Created On",
        ]
    )
    sheet.column_dimensions["A"].hidden = True
    sheet.append([KIVI, "x1", "2026-01-01", "Kivi ja Kallio Oy", "Sari Salminen", "Customer", "Active", "2020-02-03"])
    sheet.append(
        [TRE, "x2", "2026-01-01", "Kivi ja Kallio Oy, Tampere", "Avainasiakastiimi", None, "Active", "2021-06-14"]
    )
    book.save(folder / "Accounts.xlsx")
    result = import_dynamics(folder)
    assert not result.has_errors
    graph = result.graph()
    # owners given by name: a unique user name leads, a team name owns
    assert current(graph, "LeadRole") == {KIVI: "user/" + SARI}
    assert current(graph, "OwnerRole")[TRE] == "team/" + TEAM


def test_duplicate_and_malformed_guids_are_errors(tmp_path: Path) -> None:
    folder = tmp_path / "dup"
    shutil.copytree(EXAMPLE, folder)
    data = json.loads((folder / "accounts.json").read_text(encoding="utf-8"))
    first = dict(data["value"][0])
    first["accountid"] = "{" + first["accountid"].upper() + "}"  # the same id, another spelling
    broken = dict(data["value"][1], accountid="kivi-1")
    data["value"] += [first, broken]
    (folder / "accounts.json").write_text(json.dumps(data), encoding="utf-8")
    result = import_dynamics(folder)
    found = {f.shape_id for f in result.findings if f.severity is Severity.VIOLATION}
    assert found == {"duplicate-id", "missing-id"}
    assert result.summary["skippedDuplicate"] == 1


@pytest.mark.parametrize("missing", ["systemusers.json", "teams.json"])
def test_owner_not_in_the_export_is_a_placeholder_with_a_warning(tmp_path: Path, missing: str) -> None:
    folder = tmp_path / "part"
    shutil.copytree(EXAMPLE, folder)
    (folder / missing).unlink()
    result = import_dynamics(folder)
    assert any(f.shape_id == "unknown-owner" for f in result.findings)
    assert {where(f)[0] for f in result.findings if f.shape_id == "absent-file"} == {missing.replace("s.json", ".csv")}


def test_xlsx_without_the_extra_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "Accounts.xlsx").write_bytes(b"PK\x03\x04")  # never opened: openpyxl is "not installed"
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    result = import_dynamics(folder)
    [error] = [f for f in result.findings if f.shape_id == "xlsx-needs-extra"]
    assert "pip install 'crmkg[xlsx]'" in error.message("en")
    assert result.fatal


TEAMS = Path(__file__).parent / "fixtures" / "dynamics-teams"


def test_teammembership_makes_team_members_and_a_team_owner_the_owning_unit() -> None:
    """A display-name CSV export (UTF-8 with BOM, CRLF) whose GUIDs come with or without braces,
    in either case: users are members of their teams; the account a team owns is owned by it."""
    result = import_dynamics(TEAMS, ImportConfig(dynamics=replace(DynamicsConfig(), export_date=dt.date(2026, 3, 2))))
    graph = result.graph()
    user, team = "user/0000b00{}-7d2e-4b00-9000-00000000b00{}", "team/0000a00{}-7d2e-4b00-9000-00000000a00{}"
    members = {
        (str(s).removeprefix(DY), str(o).removeprefix(DY))
        for s, o in graph.subject_objects(ORG.memberOf)
        if str(o).startswith(DY + "team/")
    }
    assert members == {
        (user.format(1, 1), team.format(1, 1)),
        (user.format(2, 2), team.format(1, 1)),
        (user.format(3, 3), team.format(2, 2)),
    }
    assert current(graph, "OwnerRole") == {"0000c001-7d2e-4b00-9000-00000000c001": team.format(1, 1)}
    assert current(graph, "LeadRole") == {"0000c002-7d2e-4b00-9000-00000000c002": user.format(3, 3)}
    problems = {(f.shape_id, *where(f)) for f in result.findings if f.severity is Severity.VIOLATION}
    assert problems == {
        ("dangling-id", "teammembership.csv", 5, "systemuserid"),
        ("missing-value", "teammembership.csv", 6, "teamid"),
    }
