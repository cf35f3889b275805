"""CI never goes silent (issue 14 §1): input errors in every format, --only-new, new findings
first, --srcroot. Each "Why" failure of the issue is a test here."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from rdflib import Graph

from crmkg.cli import main

from .conftest import BROKEN_DATA, REPO, SCHEMAS, SYNTAX_ERROR

AS_OF = ["--as-of", "2026-10-01"]
#: Line and column of the syntax error in examples/esimerkki-broken/syntax/missing-semicolon.ttl.
SYNTAX_LINE, SYNTAX_COL = 15, 5
SYNTAX_REL = SYNTAX_ERROR.relative_to(REPO).as_posix()
REPORT_SCHEMA = REPO / "src" / "crmkg" / "validation" / "report.schema.json"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


# -- a syntax error reaches every CI format (Why: github printed nothing, sarif 0 bytes, junit no file)


def test_syntax_error_is_a_github_annotation(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["validate", SYNTAX_REL, *AS_OF, "--format", "github"], capsys)
    assert code == 2
    assert f"{SYNTAX_REL}:{SYNTAX_LINE}:{SYNTAX_COL}:" in err
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1
    assert f"file={SYNTAX_REL},line={SYNTAX_LINE},col={SYNTAX_COL}," in errors[0]
    assert "input-error" in errors[0]


def test_syntax_error_is_a_sarif_result_and_notification(in_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.sarif"
    assert main(["validate", SYNTAX_REL, *AS_OF, "--format", "sarif", "-o", str(out)]) == 2
    run = json.loads(out.read_text(encoding="utf-8"))["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    region = note["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": SYNTAX_LINE, "startColumn": SYNTAX_COL}
    [result] = run["results"]
    assert result["ruleId"] == "input-error"
    assert result["level"] == "error"
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": SYNTAX_REL, "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == region
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.resolve().as_uri() + "/"
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(out.read_text(encoding="utf-8")), schema)


def test_syntax_error_is_a_junit_error_case(in_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.xml"
    assert main(["validate", SYNTAX_REL, *AS_OF, "--format", "junit", "-o", str(out)]) == 2
    xmlschema.XMLSchema(SCHEMAS / "junit.xsd").validate(out)
    root = ET.parse(out).getroot()
    assert root.get("errors") == "1"
    [error] = root.iter("error")
    assert error.get("type") == "input-error"
    assert f"{SYNTAX_REL}:{SYNTAX_LINE}:{SYNTAX_COL}" in (error.text or "")


@pytest.mark.parametrize("fmt", ["json", "markdown", "turtle", "text"])
def test_syntax_error_reaches_the_other_formats(in_repo: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    assert main(["validate", SYNTAX_REL, *AS_OF, "--format", fmt, "-o", str(out)]) == 2
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        report = json.loads(text)
        jsonschema.validate(report, json.loads(REPORT_SCHEMA.read_text(encoding="utf-8")))
        assert report["conforms"] is False
        assert report["summary"]["inputErrors"] == 1
        assert report["results"][0]["location"] == {"file": SYNTAX_REL, "line": SYNTAX_LINE, "column": SYNTAX_COL}
    elif fmt == "turtle":
        graph = Graph().parse(data=text, format="turtle")
        assert len(list(graph.subjects(None, None))) > 1
        assert SYNTAX_REL in text
    else:
        assert f"{SYNTAX_REL}:{SYNTAX_LINE}:{SYNTAX_COL}" in text
        assert "ERROR" in text


def test_missing_file_is_annotated_with_its_name(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(["validate", "no/such/data.ttl", "--format", "github"], capsys)
    assert code == 2
    assert out.startswith("::error file=no/such/data.ttl,")


def test_bad_option_is_reported_in_the_chosen_format(in_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.sarif"
    with pytest.raises(SystemExit) as stop:
        main(["validate", str(BROKEN_DATA), "--format", "sarif", "-o", str(out), "--fail-on", "fatal"])
    assert stop.value.code == 2
    run = json.loads(out.read_text(encoding="utf-8"))["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "fatal" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert run["results"] == []  # nothing to point at in a file


def test_bad_baseline_is_reported_where_it_is(
    in_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "old.json"
    baseline.write_text('{"results": [\n  oops\n]}', encoding="utf-8")
    code, out, _err = _run(["validate", str(BROKEN_DATA), "--format", "github", "--baseline", str(baseline)], capsys)
    assert code == 2
    assert ",line=2,col=3," in out.splitlines()[0]


def test_output_is_written_when_the_run_passes(
    in_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "empty.ttl"
    data.write_text("@prefix ex: <https://example.org/> .\n", encoding="utf-8")
    for fmt in ("sarif", "junit", "json", "github", "markdown"):
        out = tmp_path / f"ok.{fmt}"
        assert main(["validate", str(data), *AS_OF, "--format", fmt, "-o", str(out)]) == 0
        assert out.stat().st_size > 0, fmt
    capsys.readouterr()


# -- baselines: new first, --only-new, new/unchanged/fixed counts

NEW_DEFECTS = """@prefix ex: <https://example.org/esimerkki/> .
@prefix akj: <https://w3id.org/crmkg/akj#> .
ex:new-rel-1 a akj:CustomerRelationship .
ex:new-rel-2 a akj:CustomerRelationship .
"""


@pytest.fixture
def changed_data(tmp_path: Path, in_repo: Path) -> tuple[Path, Path]:
    """A baseline report of the broken example, and a copy with new defects and one fixed file."""
    data = tmp_path / "data"
    shutil.copytree(BROKEN_DATA, data)
    baseline = tmp_path / "baseline.json"
    assert main(["validate", str(data), *AS_OF, "--format", "json", "-o", str(baseline)]) == 1
    (data / "new.ttl").write_text(NEW_DEFECTS, encoding="utf-8")
    (data / "other-defects.ttl").unlink()  # its findings are fixed now
    return data, baseline


def _baseline_counts(path: Path) -> dict[str, int]:
    return dict(json.loads(path.read_text(encoding="utf-8"))["summary"]["baseline"])


def test_new_findings_are_annotated_first(changed_data: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data, baseline = changed_data
    json_out = data.parent / "now.json"
    main(["validate", str(data), *AS_OF, "--baseline", str(baseline), "--format", "json", "-o", str(json_out)])
    counts = _baseline_counts(json_out)
    assert counts["new"] >= 10  # two relationships with nothing: S1, S2, S3 ×3, S13b … each
    assert counts["unchanged"] >= 10
    assert counts["fixed"] >= 3
    cap = counts["new"]  # as many annotations as there are new findings: all of them, and only them
    code, out, _err = _run(
        ["validate", str(data), *AS_OF, "--baseline", str(baseline), "--format", "github", "--max-findings", str(cap)],
        capsys,
    )
    assert code == 1
    annotations = [line for line in out.splitlines() if line.startswith(("::error ", "::warning ", "::notice file"))]
    assert len(annotations) == cap
    assert all("new-rel-" in line for line in annotations)
    summary = out.splitlines()[-1]
    assert f"{counts['new']} new, {counts['unchanged']} unchanged, {counts['fixed']} fixed" in summary


def test_only_new_lists_only_new_findings(changed_data: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data, baseline = changed_data
    args = ["validate", str(data), *AS_OF, "--baseline", str(baseline), "--only-new"]
    out_json = data.parent / "only-new.json"
    assert main([*args, "--format", "json", "-o", str(out_json)]) == 1
    report = json.loads(out_json.read_text(encoding="utf-8"))
    assert report["results"]
    assert {r["baselineState"] for r in report["results"]} == {"new"}
    assert len(report["results"]) == report["summary"]["baseline"]["new"]
    assert report["summary"]["baseline"]["unchanged"] > 0
    code, text, _err = _run([*args, "--format", "text"], capsys)
    assert code == 1
    assert "(baseline)" not in text
    assert "new-rel-1" in text
    sarif_out = data.parent / "only-new.sarif"
    main([*args, "--format", "sarif", "-o", str(sarif_out)])
    results = json.loads(sarif_out.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert {r["baselineState"] for r in results} == {"new"}


def test_only_new_needs_a_baseline(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(["validate", str(BROKEN_DATA), "--only-new"], capsys)
    assert code == 2
    assert "--only-new needs --baseline" in err


# -- --srcroot


def test_paths_are_relative_to_the_git_root_by_default(
    in_repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(BROKEN_DATA)  # inside the repository's work tree, not at its root
    code, out, _err = _run(["validate", "relationships.ttl", *AS_OF, "--format", "github"], capsys)
    assert code == 1
    assert "file=examples/esimerkki-broken/data/relationships.ttl," in out


def test_srcroot_makes_paths_relative_to_it(in_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.sarif"
    args = ["validate", str(BROKEN_DATA), *AS_OF, "--format", "sarif", "-o", str(out)]
    assert main([*args, "--srcroot", str(BROKEN_DATA.parent)]) == 1
    run = json.loads(out.read_text(encoding="utf-8"))["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris
    assert all(u.startswith("data/") for u in uris)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == BROKEN_DATA.parent.resolve().as_uri() + "/"


def test_files_outside_srcroot_keep_absolute_uris(in_repo: Path, tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text(NEW_DEFECTS, encoding="utf-8")
    out = tmp_path / "r.sarif"
    main(["validate", str(data), *AS_OF, "--format", "sarif", "-o", str(out), "--srcroot", str(REPO)])
    locations = [r["locations"][0]["physicalLocation"] for r in json.loads(out.read_text())["runs"][0]["results"]]
    assert {loc["artifactLocation"]["uri"] for loc in locations} == {data.resolve().as_uri()}
    assert all("uriBaseId" not in loc["artifactLocation"] for loc in locations)


def test_srcroot_must_be_a_folder(in_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(["validate", str(BROKEN_DATA), "--srcroot", "no-such-dir"], capsys)
    assert code == 2
    assert "--srcroot" in err
