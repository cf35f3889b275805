"""Each kind of bad input gives a finding with file, row and column; good rows still import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import FOAF

from crmkg.errors import IngestError
from crmkg.ingest import import_salesforce
from crmkg.validation.report import Severity

from .conftest import where


def errors(export: Path) -> set[tuple[str, int | None, str | None]]:
    result = import_salesforce(export)
    return {where(f) for f in result.findings if f.severity is Severity.VIOLATION}


def test_malformed_row_is_reported_at_its_line(export_copy: Callable[..., Path]) -> None:
    export = export_copy(("Contact.csv", "Kalle,Kauppias,Kalle Kauppias,", "Kalle,Kauppias,"))
    # the skipped contact then dangles from its AccountContactRelation row
    assert errors(export) == {("Contact.csv", 5, None), ("AccountContactRelation.csv", 6, "ContactId")}


def test_unterminated_quote_stops_the_file_at_that_line(export_copy: Callable[..., Path]) -> None:
    export = export_copy(("Account.csv", '"Teollisuus Ab, Oy"', '"Teollisuus Ab, Oy'))
    found = errors(export)
    assert ("Account.csv", 4, None) in found
    # the accounts before the broken line were imported: no dangling report for them
    assert not any(f == "Account.csv" and r == 2 for f, r, _ in found)


def test_missing_required_column(export_copy: Callable[..., Path]) -> None:
    export = export_copy(("AccountTeamMember.csv", "TeamMemberRole,", "Rooli,"))
    assert errors(export) == {("AccountTeamMember.csv", 1, "TeamMemberRole")}


def test_dangling_id(export_copy: Callable[..., Path]) -> None:
    # a well-formed contact id that is in no row of Contact.csv
    export = export_copy(
        ("AccountContactRelation.csv", "0015g00000TeOlL,0035g00000TePpO", "0015g00000TeOlL,0035g00000ZzZzZ")
    )
    assert errors(export) == {("AccountContactRelation.csv", 4, "ContactId")}


def test_user_missing_from_user_csv_is_a_placeholder_with_one_warning(export_copy: Callable[..., Path]) -> None:
    export = export_copy(
        ("AccountTeamMember.csv", "0015g00000TeOlLAAV,0055g00000PeKkAAAV", "0015g00000TeOlLAAV,0055g00000ZzZzZAAV")
    )
    result = import_salesforce(export)
    assert errors(export) == set()
    warned = [f for f in result.findings if f.shape_id == "users-missing"]
    assert [(where(f), f.severity) for f in warned] == [(("AccountTeamMember.csv", 6, "UserId"), Severity.WARNING)]
    graph = result.graph()
    placeholder = URIRef("https://example.org/salesforce/user/0055g00000ZzZzZAAV")
    assert (placeholder, RDF.type, FOAF.Person) in graph
    assert (placeholder, FOAF.name, Literal("0055g00000ZzZzZAAV")) in graph


def test_malformed_id(export_copy: Callable[..., Path]) -> None:
    export = export_copy(
        ("Contact.csv", "0035g00000KaLlEAAV,0015g00000KaUpPAAV", "0035g00000KaLlEAAV,0015g00000KaUpP#")
    )
    assert errors(export) == {("Contact.csv", 5, "AccountId")}


def test_bad_date(export_copy: Callable[..., Path]) -> None:
    export = export_copy(("AccountHistory.csv", "2024-02-01T07:30:00.000Z,Owner,0055g", "01/02/2024 07:30,Owner,0055g"))
    assert errors(export) == {("AccountHistory.csv", 5, "CreatedDate")}


def test_absent_files_are_notes(tmp_path: Path, export_copy: Callable[..., Path]) -> None:
    export = export_copy()
    for name in ("AccountHistory.csv", "AccountTeamMember.csv"):
        (export / name).unlink()
    result = import_salesforce(export)
    notes = {where(f)[0] for f in result.findings if f.shape_id == "absent-file"}
    assert notes == {"AccountHistory.csv", "AccountTeamMember.csv"}
    assert not result.has_errors


def test_unknown_columns_are_ignored(export_copy: Callable[..., Path]) -> None:
    export = export_copy(("Contact.csv", "Id,AccountId,", "Id,Custom__c,AccountId,"))
    text = (export / "Contact.csv").read_text(encoding="utf-8").splitlines()
    rows = [text[0]] + [line.replace(",", ",x,", 1) for line in text[1:]]
    (export / "Contact.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert errors(export) == set()


def test_folder_without_export_files_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError):
        import_salesforce(tmp_path)
