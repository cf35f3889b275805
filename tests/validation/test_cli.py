"""``crmkg validate`` / ``crmkg check`` through the real CLI entry point: exit codes, files, baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmkg.cli import main

from .conftest import BROKEN_DATA, MINI_DATA, MINI_SHAPES, SYNTAX_ERROR

MINI_ARGS = [*map(str, MINI_DATA), "--shapes", str(MINI_SHAPES), "--as-of", "2026-10-01"]


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [("violation", 1), ("warning", 1), ("info", 1)],
)
def test_findings_exit_1(fail_on: str, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *MINI_ARGS, "--fail-on", fail_on]) == code
    assert "FAILED" in capsys.readouterr().out


def test_fail_on_decides_the_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Only a warning: fails at --fail-on warning, passes at violation.
    data = tmp_path / "w.ttl"
    data.write_text(
        '@prefix t: <https://example.org/test/> .\nt:x a t:Thing ; t:name "X" ; t:start "2020-01-01" ; t:a t:x .\n',
        encoding="utf-8",
    )
    args = [str(data), "--shapes", str(MINI_SHAPES), "--as-of", "2026-10-01"]
    assert main(["validate", *args, "--fail-on", "violation"]) == 0
    assert main(["validate", *args, "--fail-on", "warning"]) == 1
    assert main(["validate", *args, "--fail-on", "info"]) == 1
    capsys.readouterr()


def test_as_of_is_a_parameter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    base = [str(MINI_DATA[0]), "--shapes", str(MINI_SHAPES), "--format", "json", "-o", str(out)]
    main(["validate", *base, "--as-of", "2026-10-01"])
    future = {r["ruleId"] for r in json.loads(out.read_text(encoding="utf-8"))["results"]}
    main(["validate", *base, "--as-of", "2031-01-01"])
    later = {r["ruleId"] for r in json.loads(out.read_text(encoding="utf-8"))["results"]}
    assert "T3" in future
    assert "T3" not in later


def test_syntax_error_exits_2_with_file_line_column(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SYNTAX_ERROR), "--as-of", "2026-10-01"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crmkg: error: ")
    assert f"{SYNTAX_ERROR}:15:5:" in err
    assert "Traceback" not in err


def test_missing_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.ttl")]) == 2
    assert "no such file" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["validate", str(empty)]) == 2
    assert "no RDF files" in capsys.readouterr().err


def test_bad_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", *MINI_ARGS, "--fail-on", "fatal"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", *MINI_ARGS[:-1], "2026-13-01"])
    assert exit_info.value.code == 2
    capsys.readouterr()


def test_output_file_and_help_documents_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "deep" / "report.sarif"
    assert main(["validate", *MINI_ARGS, "--format", "sarif", "--output", str(out)]) == 1
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert capsys.readouterr().out == ""
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    help_text = capsys.readouterr().out
    assert "exit codes:" in help_text
    assert "file:line:column" in help_text


def test_baseline_fails_only_on_new_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(["validate", *MINI_ARGS, "--format", "json", "-o", str(baseline)]) == 1
    # Same data against its own baseline: nothing new.
    assert main(["validate", *MINI_ARGS, "--baseline", str(baseline)]) == 0
    assert "baseline: 0 new, 5 unchanged, 0 fixed" in capsys.readouterr().out
    # Drop the violation from the baseline: it is new again.
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["results"] = [r for r in data["results"] if r["ruleId"] != "T1"]
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps(data), encoding="utf-8")
    assert main(["validate", *MINI_ARGS, "--baseline", str(partial)]) == 1
    assert "baseline: 1 new, 4 unchanged, 0 fixed" in capsys.readouterr().out
    # Only half the data: the other file's finding is reported as fixed.
    assert main(["validate", str(MINI_DATA[0]), *MINI_ARGS[2:], "--baseline", str(baseline)]) == 0
    assert "1 fixed" in capsys.readouterr().out


def test_bad_baseline_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["validate", *MINI_ARGS, "--baseline", str(bad)]) == 2
    assert f"{bad}:1:2: baseline is not JSON" in capsys.readouterr().err
    bad.write_text('{"results": 3}', encoding="utf-8")
    assert main(["validate", *MINI_ARGS, "--baseline", str(bad)]) == 2
    assert "not a crmkg JSON report" in capsys.readouterr().err


def test_broken_example_fails_and_names_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(BROKEN_DATA), "--as-of", "2026-10-01", "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "::error file=" in out
    assert "relationships.ttl,line=" in out


def test_check_verb_runs_without_reasoner(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(BROKEN_DATA), "--as-of", "2026-10-01", "--no-reasoner", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["title"] == "crmkg check"
    qc_rules = {r["id"] for r in data["rules"] if r["id"].startswith("qc-")}
    assert qc_rules, "the qc queries are checks"
    assert {r["ruleId"] for r in data["results"]} <= {r["id"] for r in data["rules"]}
    assert any(r["ruleId"].startswith("qc-") for r in data["results"])
