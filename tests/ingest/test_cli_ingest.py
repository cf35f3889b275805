"""``crmkg import``: exit codes, atomic output, findings JSON, the store target."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from crmkg.cli import ingest as cli_ingest
from crmkg.errors import CrmkgError

from .conftest import EXAMPLE, ORGCHART


def run(*argv: str) -> int:
    """Run the verb the way ``crmkg`` does: errors of the library become exit code 2."""
    parser = argparse.ArgumentParser(prog="crmkg")
    cli_ingest.register(parser.add_subparsers(dest="verb", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except CrmkgError:
        return 2


def test_import_example_to_turtle(tmp_path: Path) -> None:
    out = tmp_path / "sf.ttl"
    code = run("import", "salesforce", str(EXAMPLE), "--config", str(EXAMPLE / "crmkg-import.toml"), "--out", str(out))
    assert code == 0
    graph = Graph().parse(out)
    assert len(graph) > 300
    assert [p.name for p in tmp_path.iterdir()] == ["sf.ttl"]  # no temp file left behind


def test_ntriples_by_extension_and_same_graph_as_turtle(tmp_path: Path) -> None:
    for name in ("a.nt", "a.ttl"):
        assert (
            run("import", "orgchart", str(ORGCHART), "--export-date", "2026-09-30", "--out", str(tmp_path / name)) == 0
        )
    nt = Graph().parse(tmp_path / "a.nt", format="nt")
    ttl = Graph().parse(tmp_path / "a.ttl", format="turtle")
    assert set(nt) == set(ttl)
    assert len(nt) > 50


def test_strict_with_bad_input_leaves_existing_output_untouched(
    tmp_path: Path, export_copy: Callable[..., Path]
) -> None:
    export = export_copy(("Account.csv", "2023-05-02T12:00:00.000Z", "02.05.2023"))
    out = tmp_path / "existing.ttl"
    out.write_text("# previous import\n", encoding="utf-8")
    findings = tmp_path / "findings.json"
    code = run("import", "salesforce", str(export), "--out", str(out), "--strict", "--findings", str(findings))
    assert code == 1
    assert out.read_text(encoding="utf-8") == "# previous import\n"
    report = json.loads(findings.read_text(encoding="utf-8"))
    errors = [f for f in report["results"] if f["severity"] == "Violation"]
    assert [(Path(f["location"]["file"]).name, f["location"]["line"], f["location"]["field"]) for f in errors] == [
        ("Account.csv", 5, "CreatedDate")
    ]
    assert [f["ruleId"] for f in errors] == ["bad-date"]
    assert report["conforms"] is False
    assert report["engine"] == "import"


def test_default_mode_imports_and_reports_exit_1(
    tmp_path: Path, export_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    export = export_copy(("Account.csv", "2023-05-02T12:00:00.000Z", "02.05.2023"))
    out = tmp_path / "out.nt"
    # a violation at the default --fail-on: exit 1, but (without --strict) the good rows are written
    assert run("import", "salesforce", str(export), "--out", str(out)) == 1
    text = capsys.readouterr().out
    assert 'Account.csv:5:CreatedDate: violation: "02.05.2023"' in text
    assert text.splitlines()[-1].startswith("crmkg import salesforce: imported ")
    assert out.stat().st_size > 0


def test_fail_on_warning_and_sarif(
    tmp_path: Path, export_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # an inactive owner is a warning: passes at the default level, fails at --fail-on warning
    export = export_copy(("User.csv", "Asiakkuuspäällikkö,true", "Asiakkuuspäällikkö,false"))
    out = tmp_path / "out.nt"
    assert run("import", "salesforce", str(export), "--out", str(out)) == 0
    capsys.readouterr()
    assert run("import", "salesforce", str(export), "--out", str(out), "--fail-on", "warning", "--format", "sarif") == 1
    captured = capsys.readouterr()
    sarif = json.loads(captured.out)  # stdout holds only the SARIF log; the summary line went to stderr
    results = sarif["runs"][0]["results"]
    assert {(r["ruleId"], r["level"]) for r in results if r["level"] != "note"} == {("inactive-owner", "warning")}
    located = next(r for r in results if r["ruleId"] == "inactive-owner")["locations"][0]["physicalLocation"]
    assert located["artifactLocation"]["uri"].endswith("Account.csv")
    assert located["region"]["startLine"] > 1
    assert "crmkg import salesforce: imported" in captured.err


def test_missing_folder_is_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "x.ttl"
    assert run("import", "salesforce", str(tmp_path / "nope"), "--out", str(out)) == 2
    assert not out.exists()


def test_bad_output_extension_is_exit_2(tmp_path: Path) -> None:
    assert run("import", "orgchart", str(ORGCHART), "--out", str(tmp_path / "x.csv")) == 2


def test_into_store(tmp_path: Path) -> None:
    from crmkg.store import open_store
    from crmkg.store.base import AskResult

    store_dir = tmp_path / "store"
    assert run("import", "orgchart", str(ORGCHART), "--store", str(store_dir)) == 0
    assert (
        run(
            "import",
            "salesforce",
            str(EXAMPLE),
            "--config",
            str(EXAMPLE / "crmkg-import.toml"),
            "--store",
            str(store_dir),
        )
        == 0
    )
    store = open_store(store_dir, backend="oxigraph")
    try:
        # the Salesforce lead and the HR membership meet on the same person
        ask = store.query("""ASK {
            ?a <https://w3id.org/crmkg/akj#assignee> <https://example.org/hr/person/P004> .
            ?m <http://www.w3.org/ns/org#member> <https://example.org/hr/person/P004> }""")
        assert isinstance(ask, AskResult)
        assert ask.value is True
    finally:
        store.close()


def test_staging_dir_holds_the_tables_the_mappings_read(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    assert (
        run("import", "salesforce", str(EXAMPLE), "--out", str(tmp_path / "x.nt"), "--staging-dir", str(staging)) == 0
    )
    names = {p.name for p in staging.iterdir()}
    assert {"relationships.csv", "assignments.csv", "records.csv", "capacities.csv"} <= names


def test_export_without_customer_relationships_fails_and_says_what_was_read(
    tmp_path: Path, export_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11: a real export whose accounts made no relationship exited 0 with "imported N
    triples". Every account a partner: exit 2 (1 with --strict), nothing written, and the last line
    still counts what was read and why nothing was made."""
    export = export_copy()
    accounts = export / "Account.csv"
    text = accounts.read_text(encoding="utf-8")
    for kind in ("Customer - Direct", "Customer - Channel", "Prospect", "Competitor"):
        text = text.replace(f",{kind},", ",Technology Partner,")
    accounts.write_text(text, encoding="utf-8")
    out = tmp_path / "out.ttl"
    assert run("import", "salesforce", str(export), "--out", str(out)) == 2
    last = capsys.readouterr().out.splitlines()[-1]
    assert "5 accounts read; 0 customer relationships made; skipped: 5 not customers" in last
    assert not out.exists()
    assert run("import", "salesforce", str(export), "--out", str(out), "--strict") == 1
    assert not out.exists()
