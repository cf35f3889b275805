"""Each example export, end to end as its README walks through it: import, validate at
``--fail-on violation``, and the ownership lookup prints the expected owners and leads."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph

from crmkg import resources
from crmkg.cli import main
from crmkg.loading import load
from crmkg.lookup import ownership_table
from crmkg.store import open_store

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).parent / "expected"
AS_OF = dt.date(2026, 10, 1)

#: example → (the import commands' arguments, the expected ownership file)
EXAMPLES = {
    "salesforce": (
        [
            ["orgchart", "examples/orgchart/orgchart.csv", "--config", "examples/salesforce-export/crmkg-import.toml"],
            ["salesforce", "examples/salesforce-export", "--config", "examples/salesforce-export/crmkg-import.toml"],
        ],
        "salesforce-ownership-2026-10-01.csv",
    ),
    "hubspot": (
        [["hubspot", "examples/hubspot-export", "--config", "examples/hubspot-export/crmkg-import.toml"]],
        "hubspot-ownership-2026-10-01.csv",
    ),
    "dynamics": (
        [["dynamics", "examples/dynamics-export", "--config", "examples/dynamics-export/crmkg-import.toml"]],
        "dynamics-ownership-2026-10-01.csv",
    ),
}


def _import(tmp_path: Path, commands: list[list[str]]) -> list[Path]:
    outputs = []
    for n, args in enumerate(commands):
        out = tmp_path / f"part{n}.ttl"
        rest = [str(ROOT / a) if a.startswith("examples/") else a for a in args[2:]]
        code = main(["import", args[0], str(ROOT / args[1]), *rest, "--out", str(out), "-q"])
        assert code == 0
        outputs.append(out)
    return outputs


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_imports_validates_and_answers(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    commands, expected_file = EXAMPLES[name]
    files = _import(tmp_path, commands)
    capsys.readouterr()
    assert main(["validate", *map(str, files), "--as-of", AS_OF.isoformat(), "--format", "json"]) == 0
    store = open_store()
    load(store, [*resources.ontology_files(), *files])
    got = set()
    for answer in ownership_table(store, AS_OF, lang="en"):
        for role, items in (("owner", answer.owners), ("lead", answer.leads)):
            got |= {(answer.relationship.iri, role, r.assignee.iri, r.since.isoformat()) for r in items}
    with (EXPECTED / expected_file).open(encoding="utf-8", newline="") as handle:
        want = {(r["relationship"], r["role"], r["assignee"], r["since"]) for r in csv.DictReader(handle)}
    assert got == want


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_node_names_system_object_record_and_export_date(name: str, tmp_path: Path) -> None:
    commands, _ = EXAMPLES[name]
    crm = _import(tmp_path, commands[-1:])[0]
    graph = Graph().parse(crm)
    unprovenanced = graph.query(
        """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT DISTINCT ?s WHERE { ?s ?p ?o . FILTER(isIRI(?s)) FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?r }
          FILTER NOT EXISTS { ?s dcterms:isPartOf ?e } FILTER NOT EXISTS { ?s a prov:Collection } }"""
    )
    assert [str(r[0]) for r in unprovenanced] == []  # type: ignore[index]
    systems = {
        (str(r[0]), bool(str(r[1])), bool(str(r[2])))  # type: ignore[index]
        for r in graph.query(
            """PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/>
            SELECT ?system ?object ?id WHERE { ?n prov:wasDerivedFrom ?rec . ?rec dcterms:type ?object ;
              dcterms:identifier ?id ; dcterms:isPartOf ?ex . ?ex dcterms:source ?system ; dcterms:created ?d }"""
        )
    }
    assert systems == {(name, True, True)}
