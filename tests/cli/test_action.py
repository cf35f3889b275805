"""The GitHub Action (issue 14 §10): ``action.yml`` and the script its validate step runs, run here as
the runner runs it — the inputs as CRMKG_* variables, ``$GITHUB_STEP_SUMMARY`` and ``$GITHUB_OUTPUT``
as files — with the crmkg of this checkout on PATH."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from ..conftest import REPO

SCRIPT = REPO / "scripts" / "ci" / "github-action.sh"
BROKEN = REPO / "examples" / "esimerkki-broken" / "data"
ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def _run(tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str, Path]:
    summary = tmp_path / "summary.md"
    summary.write_text("## an earlier step's summary\n", encoding="utf-8")
    outputs = tmp_path / "outputs"
    sarif = tmp_path / "out" / "crmkg.sarif"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRMKG_", "GITHUB_"))}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_OUTPUT=str(outputs),
        CRMKG_SARIF=str(sarif),
        **inputs,
    )
    done = subprocess.run(
        ["bash", str(SCRIPT)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    written = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines())
    return done, written, summary.read_text(encoding="utf-8"), sarif


def test_findings_give_sarif_a_summary_and_exit_code_1(tmp_path: Path) -> None:
    done, outputs, summary, sarif = _run(
        tmp_path, CRMKG_PATHS=str(BROKEN), CRMKG_AS_OF="2026-10-01", CRMKG_ACTION_LANG="fi"
    )
    assert done.returncode == 0, done.stderr  # the step passes, so the SARIF upload runs
    assert outputs["exit-code"] == "1"
    log = json.loads(sarif.read_text(encoding="utf-8"))
    results = log["runs"][0]["results"]
    with (BROKEN.parent / "expected-findings.csv").open(encoding="utf-8", newline="") as f:
        documented = {row["shape_id"] for row in csv.DictReader(f)}  # esimerkki-broken's findings
    assert {r["ruleId"] for r in results} == documented
    assert summary.startswith("## an earlier step's summary\n")  # appended, never overwritten
    assert "## ❌ crmkg validate: EPÄONNISTUI" in summary
    assert "| `S5` |" in summary


def test_a_syntax_error_still_reaches_sarif_and_the_summary(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(BROKEN, data)
    (data / "people.ttl").write_text("@prefix ex: <https://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    done, outputs, summary, sarif = _run(tmp_path, CRMKG_PATHS="data", CRMKG_ARGS="--max-findings 5")
    assert done.returncode == 0, done.stderr
    assert outputs["exit-code"] == "2"
    run = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]
    located = [
        loc["physicalLocation"]
        for item in run.get("results", []) + run["invocations"][0].get("toolExecutionNotifications", [])
        for loc in item.get("locations", [])
    ]
    assert any(p["artifactLocation"]["uri"].endswith("people.ttl") and p["region"]["startLine"] == 2 for p in located)
    assert "ERROR: 1 input error" in summary


def test_the_action_passes_its_inputs_to_the_script() -> None:
    steps = ACTION["runs"]["steps"]
    validate = next(s for s in steps if s.get("id") == "validate")
    assert "scripts/ci/github-action.sh" in validate["run"]
    script = SCRIPT.read_text(encoding="utf-8")
    for name, value in validate["env"].items():
        assert f"${{{name}" in script, name  # every input the step passes is read by the script
        assert value.startswith("${{ inputs.")
        assert value.removeprefix("${{ inputs.").removesuffix(" }}") in ACTION["inputs"]
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["if"].startswith("always()")
    assert steps[-1]["run"] == 'exit "${{ steps.validate.outputs.exit-code }}"'
