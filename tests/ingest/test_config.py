"""The mapping tables are data: the config file overrides them, and typos are errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from crmkg.errors import UsageError
from crmkg.ingest import import_salesforce, load_config

from .conftest import EXAMPLE

AKJ = "https://w3id.org/crmkg/akj#"


def roles_of(graph: Graph, assignee: str) -> set[str]:
    return {
        str(row[0])
        for row in graph.query(
            "SELECT ?r WHERE { ?a <https://w3id.org/crmkg/akj#assignee> ?who ; "
            "<https://w3id.org/crmkg/akj#responsibilityRole> ?r }",
            initBindings={"who": assignee},
        )
    }


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_overrides_merge_over_defaults(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
[salesforce]
owner_role = "akj:OwnerRole"
base = "https://crm.example.com/sf/"
[salesforce.team_roles]
"executive sponsor" = "ExecutiveSponsorRole"
"Pre-Sales Consultant" = "none"
[salesforce.contact_roles]
"Business User" = "hasDecisionMaker"
[salesforce.account_types]
"Competitor" = "CustomerRelationship"
""",
        )
    )
    graph = import_salesforce(EXAMPLE, config).graph()
    from rdflib import URIRef

    mikko = URIRef("https://crm.example.com/sf/user/0055g00000MiKkOAAV")
    liisa = URIRef("https://crm.example.com/sf/user/0055g00000LiIsAAAV")
    pekka = URIRef("https://crm.example.com/sf/user/0055g00000PeKkAAAV")
    # OwnerId now gives the owner (Mikko owns the competitor account, made a relationship by the config);
    # "Account Manager" still gives the lead (default kept)
    assert roles_of(graph, mikko) == {AKJ + "ExecutiveSponsorRole", AKJ + "OwnerRole"}
    assert roles_of(graph, liisa) == {AKJ + "OwnerRole", AKJ + "LeadRole"}
    # the dropped pre-sales row is gone, the unmapped "Sales Rep" still defaults to team member
    assert roles_of(graph, pekka) == {AKJ + "TeamMemberRole"}
    assert len(list(graph.subject_objects(URIRef(AKJ + "hasDecisionMaker")))) == 2
    assert not list(graph.subject_objects(URIRef(AKJ + "hasUser")))


@pytest.mark.parametrize(
    "text",
    [
        "[salesforce]\nbase = 'no-scheme/'\n",
        "[salesforce]\nowner_rol = 'LeadRole'\n",
        "[salesforce.team_roles]\n'Account Manager' = 'bad:LeadRole'\n",
        "[salesforce]\nexport_date = 'yesterday'\n",
        "[salesforce\n",
    ],
)
def test_bad_config_is_a_usage_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(UsageError):
        load_config(write(tmp_path, text))
