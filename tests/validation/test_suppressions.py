"""Suppressions (issue 14 §3): crmkg.toml / [tool.crmkg] disable checks, override severities and set
windows; ``# crmkg: ignore[RULE] reason`` suppresses one finding on one node, reported as suppressed
in JSON and SARIF."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from crmkg.cli import main
from crmkg.validation.suppressions import inline_suppression

from .conftest import BROKEN, BROKEN_DATA

AS_OF = ["--as-of", "2026-10-01"]
EXPECTED_RULES = {row["shape_id"] for row in csv.DictReader((BROKEN / "expected-findings.csv").open(encoding="utf-8"))}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data repository (its own git work tree) holding a copy of the broken example."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(BROKEN_DATA, root / "data")
    monkeypatch.chdir(root)
    return root


def _json(args: list[str], out: Path) -> tuple[int, dict[str, object]]:
    code = main(["validate", "data", *AS_OF, "--format", "json", "-o", str(out), *args])
    return code, json.loads(out.read_text(encoding="utf-8"))


def _rules(report: dict[str, object]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for result in report["results"]:  # type: ignore[attr-defined]
        out.setdefault(result["ruleId"], set()).add(result["severity"])
    return out


def test_without_configuration_the_documented_findings(project: Path) -> None:
    _code, report = _json([], project / "r.json")
    assert set(_rules(report)) == EXPECTED_RULES


CONFIG = """
[validate]
disable = ["S19", "S24"]
follow-up-days = 5

[validate.severity]
S13b = "warning"
S5 = "info"
"""


@pytest.mark.parametrize("where", ["crmkg.toml", "pyproject.toml"])
def test_project_configuration_disables_overrides_and_sets_windows(project: Path, where: str) -> None:
    if where == "crmkg.toml":
        (project / "crmkg.toml").write_text(CONFIG, encoding="utf-8")
    else:
        text = CONFIG.replace("[validate]", "[tool.crmkg.validate]").replace("[validate.", "[tool.crmkg.validate.")
        (project / "pyproject.toml").write_text('[project]\nname = "my-data"\n' + text, encoding="utf-8")
    (project / "data" / "sub").mkdir()
    _code, report = _json([], project / "r.json")
    rules = _rules(report)
    assert "S24" not in rules
    assert "S24" not in {r["id"] for r in report["rules"]}  # type: ignore[attr-defined]
    assert rules["S13b"] == {"Warning"}
    assert rules["S5"] == {"Info"}
    assert set(rules) - EXPECTED_RULES  # a 5-day follow-up window finds plans not followed up
    assert any("disables S19, S24" in note for note in report["notes"])  # type: ignore[attr-defined]
    # an option beats the file; --no-config ignores it
    _code, report = _json(["--follow-up-days", "90"], project / "r.json")
    assert set(_rules(report)) == EXPECTED_RULES - {"S24"}
    _code, report = _json(["--no-config"], project / "r.json")
    assert set(_rules(report)) == EXPECTED_RULES


def test_configuration_is_found_above_the_working_directory(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "crmkg.toml").write_text('[validate]\ndisable = ["S24"]\n', encoding="utf-8")
    monkeypatch.chdir(project / "data")
    out = project / "r.json"
    main(["validate", ".", *AS_OF, "--format", "json", "-o", str(out)])
    assert "S24" not in _rules(json.loads(out.read_text(encoding="utf-8")))


def test_explicit_config_file(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text('[validate]\ndisable = ["S2", "S3"]\n', encoding="utf-8")
    _code, report = _json(["--config", str(other)], project / "r.json")
    assert not {"S2", "S3"} & set(_rules(report))


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[validate]\ndisable = [S19]\n", "crmkg.toml:2:"),
        ("[validate]\ndisabel = ['S19']\n", "unknown key 'disabel'"),
        ("[validat]\n", "unknown section [validat]"),
        ("[validate.severity]\nS5 = 'fatal'\n", "expected violation, warning or info"),
        ("[validate]\nreview-days = -1\n", "review-days: -1 days is out of range"),
        ("[validate]\nowner-gap-days = 'x'\n", "owner-gap-days must be a whole number"),
    ],
)
def test_bad_configuration_is_an_input_error_naming_the_file(
    project: Path, text: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "crmkg.toml").write_text(text, encoding="utf-8")
    assert main(["validate", "data", *AS_OF, "--format", "github"]) == 2
    out, err = capsys.readouterr()
    assert needle in err
    assert out.startswith("::error file=crmkg.toml")


def _suppress_on_focus_line(data: Path, focus: str, comment: str) -> int:
    file = next(f for f in sorted(data.glob("*.ttl")) if f"{focus} a " in f.read_text(encoding="utf-8"))
    lines = file.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith(f"{focus} a "))
    lines[number] += f"   {comment}"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number + 1


def test_inline_comment_suppresses_one_finding_on_one_node(project: Path) -> None:
    line = _suppress_on_focus_line(
        project / "data", "ex:arvio-palvelut-ss-2026-05", "# crmkg: ignore[S24] the 7-step scale is being introduced"
    )
    code, report = _json([], project / "r.json")
    assert code == 1  # the other findings still fail
    [suppressed] = [r for r in report["results"] if "suppression" in r]  # type: ignore[attr-defined]
    assert suppressed["ruleId"] == "S24"
    assert suppressed["suppression"] == {
        "kind": "inSource",
        "justification": "the 7-step scale is being introduced",
        "source": f"data/other-defects.ttl:{line}",
    }
    assert report["summary"]["suppressed"] == 1  # type: ignore[index]
    assert report["summary"]["total"] == len(report["results"]) - 1  # type: ignore[index,arg-type]
    sarif = project / "r.sarif"
    main(["validate", "data", *AS_OF, "--format", "sarif", "-o", str(sarif)])
    [entry] = [r for r in json.loads(sarif.read_text())["runs"][0]["results"] if "suppressions" in r]
    assert entry["ruleId"] == "S24"
    assert entry["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "the 7-step scale is being introduced"}
    ]


def test_suppressed_findings_do_not_fail_or_show(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "data" / "only.ttl").write_text(
        "@prefix ex: <https://example.org/esimerkki/> .\n@prefix akj: <https://w3id.org/crmkg/akj#> .\n"
        "ex:x a akj:CapabilityAssessment ;  # crmkg: ignore[S24, S27] imported from the old tool\n"
        "    akj:assessmentLevel 9 .\n",
        encoding="utf-8",
    )
    args = ["validate", "data/only.ttl", *AS_OF]
    code = main([*args, "--format", "github"])
    out = capsys.readouterr().out
    assert "ex:x" not in out
    assert "suppressed" in out.splitlines()[-1]
    assert code == 0


def test_a_comment_for_another_rule_suppresses_nothing(project: Path) -> None:
    _suppress_on_focus_line(project / "data", "ex:arvio-palvelut-ss-2026-05", "# crmkg: ignore[S9] wrong rule")
    _code, report = _json([], project / "r.json")
    assert not [r for r in report["results"] if "suppression" in r]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("line", "rules", "reason"),
    [
        ("ex:a a akj:X .  # crmkg: ignore[S9] reason here", {"S9"}, "reason here"),
        ("ex:a a akj:X .  #crmkg:ignore[S9,S27]", {"S9", "S27"}, ""),
        ("ex:a a akj:X .  # crmkg: ignore[ S13a  S5 ] two", {"S13a", "S5"}, "two"),
        ("ex:a a akj:X .  # crmkg: noqa", None, None),
    ],
)
def test_inline_syntax(line: str, rules: set[str] | None, reason: str | None) -> None:
    found = inline_suppression(line)
    if rules is None:
        assert found is None
    else:
        assert found is not None
        assert found.rules == rules
        assert found.reason == reason
