"""Issue 10 §6: importers never corrupt data silently.

Duplicates are errors naming both rows, a missing key column is an error, the CSV separator is
detected (or the error names it), Windows-1252 is read, an import that fails never replaces the
output, cycles of any length are reported.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, SKOS

from crmkg.ingest import ImportConfig, import_orgchart, import_salesforce
from crmkg.validation.report import Severity

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "salesforce-export"
ORGCHART = ROOT / "examples" / "orgchart" / "orgchart.csv"
SF = "https://example.org/salesforce/"
HR = "https://example.org/hr/"


def copy_export(tmp_path: Path) -> Path:
    target = tmp_path / "export"
    shutil.copytree(EXAMPLE, target)
    return target


def edit(path: Path, before: str, after: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, after, 1), encoding="utf-8")


def located(result: object, code: str) -> list[tuple[str, int | None, str | None, str]]:
    out = []
    for f in result.findings:  # type: ignore[attr-defined]
        if f.shape_id == code:
            loc = f.location
            out.append((Path(loc.file).name, loc.line, loc.field, f.message("en")))
    return out


def test_duplicate_account_id_is_an_error_naming_both_rows(tmp_path: Path) -> None:
    export = copy_export(tmp_path)
    lines = (export / "Account.csv").read_text(encoding="utf-8").splitlines()
    # line 7: the first account again, renamed and with another owner
    dup = lines[1].replace("Asiakas Oy,", "Väärä Nimi Oy,", 1).replace("0055g00000LiIsA", "0055g00000JuKkA")
    (export / "Account.csv").write_text("\n".join([*lines, dup]) + "\n", encoding="utf-8")
    result = import_salesforce(export)
    [(file, line, column, message)] = located(result, "duplicate-id")
    assert (file, line, column) == ("Account.csv", len(lines) + 1, "Id")
    assert "also on line 2" in message
    graph = result.graph()
    party = URIRef(SF + "account/0015g00000AsIaKAAV")
    assert set(graph.objects(party, SKOS.prefLabel)) == {Literal("Asiakas Oy")}  # the label is not overwritten
    leads = set(
        graph.query(
            "SELECT ?who WHERE { ?a <https://w3id.org/crmkg/akj#assignmentFor> ?r ; "
            "<https://w3id.org/crmkg/akj#responsibilityRole> <https://w3id.org/crmkg/akj#LeadRole> ; "
            "<https://w3id.org/crmkg/akj#assignee> ?who }",
            initBindings={"r": URIRef(SF + "relationship/0015g00000AsIaKAAV")},
        )
    )
    assert len(leads) == 1  # no second lead was added
    assert result.has_errors  # so --strict fails on it
    assert result.summary["skippedDuplicate"] == 1


def test_duplicate_user_id_is_an_error_naming_both_rows(tmp_path: Path) -> None:
    export = copy_export(tmp_path)
    lines = (export / "User.csv").read_text(encoding="utf-8").splitlines()
    (export / "User.csv").write_text("\n".join([*lines, lines[2].replace("Mikko", "Toinen")]) + "\n", encoding="utf-8")
    [(file, line, _, message)] = located(import_salesforce(export), "duplicate-id")
    assert (file, line) == ("User.csv", len(lines) + 1)
    assert "also on line 3" in message


def test_duplicate_person_id_with_another_identity_is_an_error(tmp_path: Path) -> None:
    text = ORGCHART.read_text(encoding="utf-8")
    path = tmp_path / "hr.csv"
    path.write_text(
        text + "P002,Joku Muu,joku.muu@esimerkki.fi,E9999,MKT,Markkinointi,GRP,,Harjoittelija,,2024-01-01,\n",
        encoding="utf-8",
    )
    result = import_orgchart(path, ImportConfig())
    [(_, line, column, message)] = located(result, "duplicate-person")
    assert (line, column) == (11, "person_id")
    assert "on line 3" in message
    names = set(result.graph().objects(URIRef(HR + "person/P002"), FOAF.name))
    assert names == {Literal("Mikko Korhonen")}


def test_same_period_twice_is_an_error(tmp_path: Path) -> None:
    lines = ORGCHART.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "hr.csv"
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    [(_, line, _, message)] = located(import_orgchart(path, ImportConfig()), "duplicate-period")
    assert line == len(lines) + 1
    assert "line 2" in message


def test_missing_owner_id_column_is_an_error(tmp_path: Path) -> None:
    export = copy_export(tmp_path)
    lines = (export / "Account.csv").read_text(encoding="utf-8").splitlines()
    stripped = [",".join(f for i, f in enumerate(line.split(",")) if i != 8) for line in lines]
    assert "OwnerId" not in stripped[0]
    (export / "Account.csv").write_text("\n".join(stripped) + "\n", encoding="utf-8")
    result = import_salesforce(export)
    [(file, line, column, _)] = located(result, "missing-key-column")
    assert (file, line, column) == ("Account.csv", 1, "OwnerId")
    assert next(f for f in result.findings if f.shape_id == "missing-key-column").severity is Severity.VIOLATION


def test_missing_person_id_column_is_an_error(tmp_path: Path) -> None:
    lines = ORGCHART.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "hr.csv"
    path.write_text("\n".join(line.split(",", 1)[1] for line in lines) + "\n", encoding="utf-8")
    [(_, line, column, _)] = located(import_orgchart(path, ImportConfig()), "missing-key-column")
    assert (line, column) == (1, "person_id")


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_separator_is_detected(tmp_path: Path, separator: str) -> None:
    export = copy_export(tmp_path)
    for name in ("Account.csv", "User.csv"):
        path = export / name
        import csv
        import io

        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        out = io.StringIO()
        csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(rows)
        path.write_bytes(out.getvalue().encode("cp1252"))  # as Excel in a Finnish locale saves it
    result = import_salesforce(export)
    assert not result.fatal
    assert not result.has_errors
    assert result.summary["accountsRead"] == 5
    label = set(result.graph().objects(URIRef(SF + "account/0015g00000TeOlLAAV"), SKOS.prefLabel))
    assert label == {Literal("Teollisuus Ab, Oy")}


def test_unknown_separator_names_the_header(tmp_path: Path) -> None:
    path = tmp_path / "hr.csv"
    path.write_text("person_id:unit_id:unit_name\nP1:U1:Yksikkö\n", encoding="utf-8")
    result = import_orgchart(path, ImportConfig())
    [(_, line, _, message)] = located(result, "unknown-separator")
    assert line == 1
    assert "'person_id:unit_id:unit_name'" in message
    assert result.fatal


@pytest.mark.parametrize("length", [1, 2, 3, 7])
def test_unit_cycles_of_any_length_are_reported_and_cut(tmp_path: Path, length: int) -> None:
    rows = ["person_id,person_name,unit_id,unit_name,parent_unit_id"]
    units = [f"U{i}" for i in range(length)]
    for i, unit in enumerate(units):
        rows.append(f",,{unit},Yksikkö {i},{units[(i + 1) % length]}")
    rows.append(",,TOP,Ylin,")
    path = tmp_path / "hr.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = import_orgchart(path, ImportConfig())
    code = "self-parent" if length == 1 else "cycle"
    [(_, line, column, message)] = located(result, code)
    assert (line, column) == (2, "parent_unit_id")
    if length > 1:
        assert f"loops through {length} rows" in message
    # after the cut the chain ends at the provider: no unit is its own ancestor
    graph = result.graph()
    unit_of = URIRef("http://www.w3.org/ns/org#unitOf")
    for unit in units:
        seen, node = set(), URIRef(HR + "unit/" + unit)
        while node.startswith(HR):
            assert node not in seen
            seen.add(node)
            node = next(graph.objects(node, unit_of))  # type: ignore[assignment]


def test_role_and_account_cycles_in_salesforce(tmp_path: Path) -> None:
    export = copy_export(tmp_path)
    # the CEO role reports to the account-manager role, which reports (via the director) to the CEO
    edit(
        export / "UserRole.csv",
        "00E5g000000Kq1AEAS,Toimitusjohtaja,,",
        "00E5g000000Kq1AEAS,Toimitusjohtaja,00E5g000000Kq4D,",
    )
    edit(
        export / "Account.csv",
        "0015g00000AsIaKAAV,false,Asiakas Oy,Customer - Direct,,",
        "0015g00000AsIaKAAV,false,Asiakas Oy,Customer - Direct,0015g00000AsTaM,",
    )
    result = import_salesforce(export)
    cycles = {(file, column): message for file, _, column, message in located(result, "cycle")}
    assert "loops through 3 rows" in cycles[("UserRole.csv", "ParentRoleId")]
    assert "loops through 2 rows" in cycles[("Account.csv", "ParentId")]
