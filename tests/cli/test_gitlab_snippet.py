"""The README's GitLab CI snippet (issue 14 §10) is a job GitLab can run: the YAML parses, the
install line pins this release, and its crmkg commands, run as written on a data folder with
findings, write the JUnit report the job hands to GitLab and the Markdown summary it keeps."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

import crmkg

from ..conftest import REPO

GUIDES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
_SNIPPET = re.compile(r"<!-- gitlab-ci -->\n```yaml\n(.*?)```", re.S)


def _job() -> dict[str, object]:
    found = [m.group(1) for path in GUIDES for m in _SNIPPET.finditer(path.read_text(encoding="utf-8"))]
    assert len(found) == 1, "one GitLab CI snippet in the README or its guides"
    config = yaml.safe_load(found[0])
    [job] = config.values()
    assert isinstance(job, dict)
    return job


def test_the_job_installs_this_release_and_reports_to_gitlab() -> None:
    job = _job()
    script = job["script"]
    assert isinstance(script, list)
    install = [line for line in script if line.startswith("pip install")]
    assert install == [f'pip install "crmkg @ git+<URL of your crmkg clone>@v{crmkg.__version__}"']
    commands = [line for line in script if line.startswith("crmkg ")]
    assert commands
    artifacts = job["artifacts"]
    assert isinstance(artifacts, dict)
    assert artifacts["when"] == "always"  # the reports also when the job fails
    junit = artifacts["reports"]["junit"]
    assert any(f"-o {junit}" in command for command in commands)


def test_its_commands_run_as_written(tmp_path: Path) -> None:
    job = _job()
    commands = [line for line in job["script"] if line.startswith("crmkg ")]  # type: ignore[union-attr]
    shutil.copytree(REPO / "examples" / "esimerkki-broken" / "data", tmp_path / "data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRMKG_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    done = subprocess.run(
        ["bash", "-e", "-c", "\n".join(commands)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # the broken example has violations: the job fails
    junit = ET.parse(tmp_path / job["artifacts"]["reports"]["junit"])  # type: ignore[index]
    cases = junit.getroot().iter("testcase")
    assert any(case.find("failure") is not None for case in cases)
    summary = (tmp_path / job["artifacts"]["paths"][0]).read_text(encoding="utf-8")  # type: ignore[index]
    assert "violation" in summary.lower()
