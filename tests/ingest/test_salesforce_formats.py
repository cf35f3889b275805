"""Salesforce exports as they really come: encodings, line endings, quoting, header variants,
spreadsheet round-trips and Salesforce CLI JSON — each on a fixture that reproduces the format."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from crmkg.ingest import ImportConfig, import_salesforce
from crmkg.ingest.config_base import ReadOptions
from crmkg.ingest.salesforce.config import SalesforceConfig
from crmkg.ingest.values import DateFormat
from crmkg.validation.report import Severity

from .conftest import expected_rows, where

FIXTURES = Path(__file__).parent / "fixtures"
SF = "https://example.org/salesforce/"
AKJ = "https://w3id.org/crmkg/akj#"


def config(**read: object) -> ImportConfig:
    return ImportConfig(salesforce=SalesforceConfig(read=ReadOptions(**read)))  # type: ignore[arg-type]


def codes(result: object, severity: Severity | None = None) -> set[str]:
    findings = result.findings  # type: ignore[attr-defined]
    return {f.shape_id for f in findings if severity is None or f.severity is severity}


def leads(graph: Graph) -> set[tuple[str, str]]:
    rows = graph.query(
        "PREFIX akj: <https://w3id.org/crmkg/akj#> SELECT ?rel ?who WHERE { ?a akj:assignmentFor ?rel ; "
        "akj:responsibilityRole akj:LeadRole ; akj:assignee ?who FILTER NOT EXISTS { ?a akj:endDate ?e } }"
    )
    return {(str(r[0]).removeprefix(SF), str(r[1]).removeprefix(SF)) for r in rows}  # type: ignore[index]


def test_data_export_windows_1252_crlf_quoted_with_null_ids() -> None:
    result = import_salesforce(FIXTURES / "sf-data-export")
    assert codes(result, Severity.VIOLATION) == set()
    # every file fell back to Windows-1252, one note per file naming where UTF-8 failed
    notes = {where(f)[0]: (where(f)[1], str(f.value)) for f in result.findings if f.shape_id == "encoding-fallback"}
    assert notes["Account.csv"] == (2, "0xD6")
    assert set(notes) == {"Account.csv", "AccountHistory.csv", "Contact.csv", "User.csv", "UserRole.csv"}
    graph = result.graph()
    party = URIRef(SF + "account/0015g000Xy00001AIA")
    assert (party, SKOS.prefLabel, Literal("Örkki Öljy Oy")) in graph
    # 000000000000000AAA is "no value": no parent, no dangling reference anywhere
    assert "dangling-id" not in codes(result)
    ceo_post = URIRef(SF + "role/00E5g000Xy00001EIA")
    assert not list(graph.objects(ceo_post, URIRef("http://www.w3.org/ns/org#reportsTo")))
    got = {
        (str(r[0]), str(r[1]), str(r[2]), str(r[3]), "" if r[4] is None else str(r[4]))  # type: ignore[index]
        for r in graph.query(
            "PREFIX akj: <https://w3id.org/crmkg/akj#> SELECT ?rel ?role ?who ?start ?end WHERE { "
            "?a akj:assignmentFor ?rel ; akj:responsibilityRole ?role ; akj:assignee ?who ; akj:startDate ?start "
            "OPTIONAL { ?a akj:endDate ?end } }"
        )
    }
    assert got == expected_rows("sf-data-export-assignments.csv")
    rels = {(str(r[0]),) for r in graph.query("SELECT ?r WHERE { ?r <https://w3id.org/crmkg/akj#hasProvider> ?p }")}  # type: ignore[index]
    assert rels == expected_rows("sf-data-export-relationships.csv")


def _utf8_export_with_line_15(tmp_path: Path, byte: bytes) -> Path:
    folder = tmp_path / "export"
    folder.mkdir(parents=True)
    lines = [b"Id,Name,Type,OwnerId,CreatedDate"]
    for n in range(1, 20):
        name = b"Caf\xc3\xa9 " + str(n).encode()  # UTF-8 "Café n"
        if n + 1 == 15:  # physical line 15: a byte that is not UTF-8
            name = b"Ty" + byte + b"maa " + str(n).encode()
        lines.append(b"0015g000Xy%05dAIA,%s,Customer - Direct,,2024-01-01" % (n, name))
    # ids must carry a valid check suffix: rewrite them through the normaliser
    from crmkg.ingest.sfid import to_id18

    fixed = []
    for line in lines:
        head, _, rest = line.partition(b",")
        if head != b"Id":
            head = to_id18(head.decode()[:15]).encode()
        fixed.append(head + b"," + rest)
    (folder / "Account.csv").write_bytes(b"\r\n".join(fixed) + b"\r\n")
    return folder


def test_a_bad_byte_on_line_15_is_named_there_not_as_an_unreadable_header(tmp_path: Path) -> None:
    # 0xE4 (ä in Windows-1252) inside UTF-8 text: read as Windows-1252, the note names line 15
    result = import_salesforce(_utf8_export_with_line_15(tmp_path, b"\xe4"))
    [note] = [f for f in result.findings if f.shape_id == "encoding-fallback"]
    assert (where(note)[1], str(note.value)) == (15, "0xE4")
    assert not result.fatal
    # 0x81 is not Windows-1252 either: a fatal error naming line 15 and the byte
    result = import_salesforce(_utf8_export_with_line_15(tmp_path / "b", b"\x81"))
    [error] = [f for f in result.findings if f.shape_id == "undecodable"]
    assert (where(error)[1], str(error.value)) == (15, "0x81")
    assert "line 15" in error.message("en")  # the UTF-8 failure is on the same line
    assert result.fatal


def test_declared_encoding_is_used_and_a_wrong_one_is_an_error(tmp_path: Path) -> None:
    src = FIXTURES / "sf-data-export"
    result = import_salesforce(src, config(encoding="iso-8859-1"))
    assert "encoding-fallback" not in codes(result)
    assert not result.fatal
    bogus = import_salesforce(src, config(encoding="no-such-codec"))
    assert "unknown-encoding" in codes(bogus)
    assert bogus.fatal


def test_utf16_unicode_text_from_excel_tab_separated(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    shutil.copytree(FIXTURES / "sf-data-loader", folder)
    text = (folder / "Account.csv").read_text(encoding="utf-8").replace('","', '"\t"').replace("\n", "\r\n")
    (folder / "Account.csv").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    result = import_salesforce(folder)
    assert not result.fatal
    assert result.summary["relationships"] == 2


def test_data_loader_upper_case_quoted_headers() -> None:
    result = import_salesforce(FIXTURES / "sf-data-loader")
    assert codes(result, Severity.VIOLATION) == set()
    assert leads(result.graph()) == {
        ("relationship/0015g000Xy00001AIA", "user/0055g000Xy00003AIA"),
        ("relationship/0015g000Xy00002AIA", "user/0055g000Xy00003AIA"),
    }


def test_excel_finnish_locale_semicolons_labels_and_dates(tmp_path: Path) -> None:
    src = FIXTURES / "sf-excel-fi"
    # without a date_format the Finnish dates are errors naming file, row, column, value and form
    plain = import_salesforce(src)
    [bad] = [f for f in plain.findings if f.shape_id == "bad-date"]
    assert where(bad) == ("Account.csv", 2, "CreatedDate")
    assert bad.message("en").startswith("not a date in YYYY-MM-DD (ISO 8601) form: '3.4.2018 11.00'")
    assert bad.count == 3
    result = import_salesforce(src, config(date_format=DateFormat("D.M.YYYY H.MM")))
    assert codes(result, Severity.VIOLATION) == set()
    graph = result.graph()
    # the ";" inside a quoted name stays in the name; 15-character ids become 18-character IRIs
    plant = URIRef(SF + "account/0015g000Xy00002AIA")
    assert (plant, SKOS.prefLabel, Literal("Örkki Öljy Oy; Kemin tehdas")) in graph
    starts = {str(o) for o in graph.objects(None, URIRef(AKJ + "startDate"))}
    assert starts == {"2018-04-03", "2019-01-15"}


def test_ambiguous_day_month_is_never_guessed() -> None:
    assert DateFormat().parse("4/3/2018") is None
    assert DateFormat("M/D/YYYY").parse("4/3/2018") == DateFormat("D.M.YYYY").parse("3.4.2018")


def test_report_export_with_utf8_bom_object_prefixes_and_owner_names() -> None:
    result = import_salesforce(FIXTURES / "sf-report-utf8-bom", config(date_format=DateFormat("M/D/YYYY")))
    assert codes(result, Severity.VIOLATION) == set()
    assert "owners-by-name" in codes(result)
    assert leads(result.graph()) == {
        ("relationship/0015g000Xy00001AIA", "user/0055g000Xy00003AIA"),
        ("relationship/0015g000Xy00006AIA", "user/0055g000Xy00002AIA"),
    }


def test_unknown_header_says_what_it_looks_like(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Account.csv").write_text("Tunnus,Nimi,Omistaja\r\n1,Yksi,2\r\n", encoding="utf-8")
    result = import_salesforce(folder)
    [error] = [f for f in result.findings if f.severity is Severity.VIOLATION]
    assert error.shape_id == "unknown-separator"
    assert "'Tunnus,Nimi,Omistaja'" in error.message("en")
    assert "expected e.g. Id" in error.message("en")
    assert result.fatal
    # a header that does split but lacks the id column names both what it has and what is needed
    (folder / "Account.csv").write_text("Name;OwnerId\r\nYksi;\r\n", encoding="utf-8")
    [error] = [f for f in import_salesforce(folder).findings if f.severity is Severity.VIOLATION]
    assert error.shape_id == "missing-column"
    assert "'Name;OwnerId'" in error.message("en")
    assert "semicolon" in error.message("en")


def test_sfdx_query_json_imports_like_the_csvs() -> None:
    result = import_salesforce(FIXTURES / "sf-sfdx-query")
    assert codes(result, Severity.VIOLATION) == set()
    graph = result.graph()
    assert leads(graph) == {
        ("relationship/0015g000Xy00001AIA", "user/0055g000Xy00003AIA"),
        ("relationship/0015g000Xy00002AIA", "user/0055g000Xy00002AIA"),
    }
    plant = URIRef(SF + "account/0015g000Xy00002AIA")
    assert (
        plant,
        URIRef("http://www.w3.org/ns/org#subOrganizationOf"),
        URIRef(SF + "account/0015g000Xy00001AIA"),
    ) in graph


def test_sfdx_tree_export_is_refused_with_what_works() -> None:
    result = import_salesforce(FIXTURES / "sf-sfdx-tree")
    assert result.fatal
    refused = [f for f in result.findings if f.shape_id == "sfdx-tree"]
    assert {where(f)[0] for f in refused} == {"Account.json", "Contact.json", "Account-Contact-plan.json"}
    assert "sf data query" in refused[0].message("en")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_messages_in_both_languages(lang: str) -> None:
    result = import_salesforce(FIXTURES / "sf-data-export")
    assert all(f.message(lang) for f in result.findings)
